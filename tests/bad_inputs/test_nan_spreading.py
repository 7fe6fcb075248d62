"""Functions that would spread one NaN over a whole series, map or table refuse it (issue 14)."""

from __future__ import annotations

import numpy as np
import pytest

from neuroframes_edu.baselines import MeanFrame
from neuroframes_edu.metrics import evaluate, zscore


def _with_nan(shape=(6, 4), at=(2, 1)):
    x = np.random.default_rng(0).standard_normal(shape)
    x[at] = np.nan
    return x


def test_zscore_refuses_nan_in_the_data_and_in_the_reference():
    with pytest.raises(ValueError, match="x contains 1 NaN or infinite value.*\\(2, 1\\).*remove or mark"):
        zscore(_with_nan())
    with pytest.raises(ValueError, match="reference contains 1 NaN"):
        zscore(np.ones((6, 4)), reference=_with_nan())
    with pytest.raises(ValueError, match="reference must be 2-D"):
        zscore(np.ones((6, 4)), reference=np.ones(4))


def test_mean_frame_refuses_nan():
    with pytest.raises(ValueError, match="frames contains 1 NaN"):
        MeanFrame().fit(_with_nan())
    with pytest.raises(ValueError, match=r"frames\[1\] contains 1 NaN"):  # names the recording
        MeanFrame().fit([np.zeros((3, 4)), _with_nan()])


def test_evaluate_refuses_a_nan_noise_ceiling():
    rng = np.random.default_rng(0)
    pred, target = rng.standard_normal((10, 4)), rng.standard_normal((10, 4))
    with pytest.raises(ValueError, match="noise_ceiling contains 1 NaN"):
        evaluate(pred, target, noise_ceiling=np.array([0.5, np.nan, 0.5, 0.5]))
    with pytest.raises(ValueError, match="noise_ceiling must be 1-D"):
        evaluate(pred, target, noise_ceiling=np.full((2, 2), 0.5))


def test_mesh_smooth_refuses_nan_and_bad_steps():
    from neuroframes_edu.surface import load_fsaverage

    mesh = load_fsaverage("ico3")
    values = np.zeros(mesh.n_vertices)
    values[7] = np.nan
    with pytest.raises(ValueError, match="values contains 1 NaN or infinite value.*index 7"):
        mesh.smooth(values)
    with pytest.raises(TypeError, match="steps must be an integer, got float 1.5"):
        mesh.smooth(np.zeros(mesh.n_vertices), steps=1.5)
    with pytest.raises(ValueError, match="steps must be an integer ≥ 0, got -1"):
        mesh.smooth(np.zeros(mesh.n_vertices), steps=-1)
    with pytest.raises(ValueError, match="values must have shape \\(1284,\\)"):
        mesh.smooth(np.zeros((2, 2, 2)))


@pytest.mark.parametrize("ceiling", [np.zeros(4), np.array([-0.5, -0.1, 0.5, 0.05]), np.array([0.5, 1.5, 0.5, 0.5])])
def test_evaluate_refuses_a_ceiling_it_cannot_divide_by(ceiling):
    rng = np.random.default_rng(0)
    pred, target = rng.standard_normal((10, 4)), rng.standard_normal((10, 4))
    with pytest.raises(ValueError, match="noise_ceiling must hold correlations in \\[-1, 1\\] with a positive mean"):
        evaluate(pred, target, noise_ceiling=ceiling)


def test_evaluate_accepts_a_ceiling_slightly_below_zero_at_some_vertices():
    rng = np.random.default_rng(0)
    pred, target = rng.standard_normal((10, 4)), rng.standard_normal((10, 4))
    out = evaluate(pred, target, noise_ceiling=np.array([-0.1, 0.8, 0.8, 0.9]))
    assert out["noise_ceiling"] == pytest.approx(0.6)


def test_evaluate_refuses_a_zero_ceiling_throughout_a_region():
    rng = np.random.default_rng(0)
    pred, target = rng.standard_normal((10, 4)), rng.standard_normal((10, 4))
    with pytest.raises(ValueError, match="noise_ceiling averages 0 over ROI 'v1'"):
        evaluate(pred, target, rois={"v1": np.array([True, True, False, False])},
                 noise_ceiling=np.array([0.0, 0.0, 0.5, 0.5]))
