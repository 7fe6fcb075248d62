"""Baselines and metrics."""

from __future__ import annotations

import numpy as np
import pytest

from neuroframes_edu import metrics
from neuroframes_edu.baselines import MeanFrame, RidgeFingerprint, interpolate_frames


def test_mean_frame():
    frames = [np.ones((3, 4)), 3 * np.ones((1, 4))]
    pred = MeanFrame().fit(frames).predict(5)
    np.testing.assert_allclose(pred, 1.5)
    with pytest.raises(RuntimeError, match="fit"):
        MeanFrame().predict(2)


def test_linear_and_cubic_interpolation():
    t = np.array([0.0, 1.0, 2.0, 3.0])
    y = np.stack([t, t**3], axis=1)
    q = np.array([0.5, 1.5, 2.5, 4.0, -1.0])
    lin = interpolate_frames(t, y, q, "linear")
    np.testing.assert_allclose(lin[:3, 0], [0.5, 1.5, 2.5])
    np.testing.assert_allclose(lin[3], y[-1])  # held outside the measured span
    np.testing.assert_allclose(lin[4], y[0])
    cub = interpolate_frames(t, y, q[:3], "cubic")
    np.testing.assert_allclose(cub[:, 0], [0.5, 1.5, 2.5], atol=1e-12)  # a line stays a line
    assert np.abs(cub[:, 1] - q[:3] ** 3).max() < np.abs(lin[:3, 1] - q[:3] ** 3).max()
    # unsorted input, one known frame
    np.testing.assert_allclose(interpolate_frames(t[::-1], y[::-1], [0.5], "linear"), lin[:1])
    np.testing.assert_allclose(interpolate_frames([1.0], y[1:2], [0.0, 5.0]), np.repeat(y[1:2], 2, axis=0))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (([], np.zeros((0, 2)), [1.0]), "no measured frame"),
        (([0.0, 0.0], np.zeros((2, 2)), [1.0]), "duplicates"),
        (([0.0, 1.0], np.zeros((3, 2)), [1.0]), "must pair up"),
        (([0.0, np.nan], np.zeros((2, 2)), [1.0]), "finite"),
    ],
)
def test_interpolation_errors(args, message):
    with pytest.raises(ValueError, match=message):
        interpolate_frames(*args)
    with pytest.raises(ValueError, match="kind must be"):
        interpolate_frames([0.0, 1.0], np.zeros((2, 1)), [0.5], "quadratic")


def test_ridge_recovers_a_linear_map():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((400, 6, 5))
    w = rng.standard_normal((30, 20))
    y = x.reshape(400, -1) @ w + 0.01 * rng.standard_normal((400, 20))
    model = RidgeFingerprint().fit(x[:300], y[:300])
    pred = model.predict(x[300:])
    assert metrics.temporal_r(pred, y[300:]).mean() > 0.99
    with pytest.raises(ValueError, match="features have 300 frames but frames have 10"):
        RidgeFingerprint().fit(x[:300], y[:10])
    with pytest.raises(ValueError, match="need at least 10 frames for 5-fold"):
        RidgeFingerprint().fit(x[:4], y[:4])


# more training frames than features (SVD), as many (the boundary), fewer (Gram matrix), and fewer with a
# repeated feature (a rank-deficient Gram matrix)
@pytest.mark.parametrize("n_features", [12, 96, 300, "repeated"])
def test_block_cross_validation_scores_are_scikit_learns(n_features):
    from sklearn.linear_model import Ridge
    from sklearn.model_selection import KFold, cross_val_score

    from neuroframes_edu.baselines import _block_cv_r2

    rng = np.random.default_rng(3)
    x = rng.standard_normal((120, 300 if n_features == "repeated" else n_features))  # folds train on 96 frames
    if n_features == "repeated":
        x[:, 1] = x[:, 0]
    y = x[:, :4] @ rng.standard_normal((4, 6)) + rng.standard_normal((120, 6))
    alphas = (0.1, 10.0, 1e4)
    ours = _block_cv_r2(x, y, alphas, 5)
    theirs = [cross_val_score(Ridge(alpha=a), x, y, cv=KFold(5), scoring="r2").mean() for a in alphas]
    assert np.allclose(ours, theirs, atol=1e-8)


def test_ridge_penalty_is_chosen_on_contiguous_blocks():
    # Autocorrelated noise that a leave-one-out search would mistake for signal: the block
    # cross-validation must pick a strong penalty when the features carry nothing.
    rng = np.random.default_rng(5)
    from scipy.ndimage import gaussian_filter1d

    x = gaussian_filter1d(rng.standard_normal((600, 40)), 10, axis=0)
    y = gaussian_filter1d(rng.standard_normal((600, 8)), 10, axis=0)
    model = RidgeFingerprint().fit(x, y)
    assert model.alpha_ >= 1e3


def test_metrics_on_known_cases():
    rng = np.random.default_rng(1)
    target = rng.standard_normal((50, 30))
    perfect = metrics.evaluate(target, target)
    assert perfect["mse"] == pytest.approx(0) and perfect["temporal_r"] == pytest.approx(1)
    assert perfect["spatial_r"] == pytest.approx(1) and perfect["cosine"] == pytest.approx(1)
    scaled = metrics.evaluate(3 * target + 2, target)
    assert scaled["temporal_r"] == pytest.approx(1) and scaled["mse"] > 1
    flipped = metrics.evaluate(-target, target)
    assert flipped["temporal_r"] == pytest.approx(-1)
    mean_pred = metrics.evaluate(np.zeros_like(target) + target.mean(axis=0), target)
    assert mean_pred["mse"] == pytest.approx(1.0)  # z-scored: predicting the mean costs one variance
    assert metrics.temporal_r(np.ones_like(target), target).max() == 0


def test_rois_and_noise_ceiling():
    rng = np.random.default_rng(2)
    target = rng.standard_normal((40, 10))
    pred = target + rng.standard_normal((40, 10))
    roi = np.zeros(10, dtype=bool)
    roi[:4] = True
    out = metrics.evaluate(pred, target, rois={"v1": roi}, noise_ceiling=np.full(10, 0.5))
    assert out["ceiling_fraction"] == pytest.approx(out["temporal_r"] / 0.5)
    assert out["temporal_r/v1"] == pytest.approx(metrics.temporal_r(pred, target)[:4].mean())
    with pytest.raises(ValueError, match="ROI 'empty' is empty"):
        metrics.evaluate(pred, target, rois={"empty": np.zeros(10, dtype=bool)})
    with pytest.raises(ValueError, match="noise_ceiling has shape"):
        metrics.evaluate(pred, target, noise_ceiling=np.ones(3))


def test_metric_input_errors():
    with pytest.raises(ValueError, match="same shape"):
        metrics.evaluate(np.zeros((5, 3)), np.zeros((5, 4)))
    with pytest.raises(ValueError, match="pred contains 1 NaN"):
        metrics.mse_z(np.array([[np.nan, 0], [0, 0]]), np.zeros((2, 2)))
    with pytest.raises(ValueError, match="at least 2 frames"):
        metrics.temporal_r(np.zeros((1, 3)), np.zeros((1, 3)))


def test_decoding_tells_informative_from_uninformative_frames():
    rng = np.random.default_rng(3)
    labels = rng.integers(0, 3, 600)
    patterns = rng.standard_normal((3, 40))
    frames = patterns[labels] + 0.5 * rng.standard_normal((600, 40))
    noise = rng.standard_normal((200, 40))
    acc = metrics.decoding_accuracy(frames[:400], labels[:400],
                                    {"real": (frames[400:], labels[400:]), "noise": (noise, labels[400:])},
                                    n_components=10)
    assert acc["real"] > 0.9 and acc["noise"] < 0.5 and 0.3 < acc["chance"] < 0.5
    with pytest.raises(ValueError, match="at least two classes"):
        metrics.decoding_accuracy(frames[:10], np.zeros(10), {})


def test_plain_mse_and_zscore():
    from neuroframes_edu.metrics import mse, zscore

    a = np.array([[0.0, 1.0], [2.0, 3.0]])
    assert mse(a, a + 0.5) == 0.25
    with pytest.raises(ValueError, match="same shape"):
        mse(a, a[:, :1])
    z = zscore(np.array([[1.0, 5.0], [3.0, 5.0], [5.0, 5.0]]))
    np.testing.assert_allclose(z[:, 0], [-1.224744871, 0.0, 1.224744871])
    assert (z[:, 1] == 0).all()  # a constant vertex carries no time course


def test_cosine_against_a_noise_free_target_uses_the_measurements_scale():
    from neuroframes_edu.metrics import cosine, spatial_r

    rng = np.random.default_rng(0)
    clean = rng.normal(size=(200, 50))
    clean[:, :3] *= 1e-3  # vertices where the noise-free signal barely varies
    measured = clean + 0.5 * rng.normal(size=clean.shape)
    np.testing.assert_allclose(cosine(measured, clean, reference=clean), cosine(measured, clean))
    # z-scored by the truth's own tiny spread, three silent vertices swamp every frame …
    assert cosine(measured, clean).mean() < 0.3
    # … in the measurements' units the same frames agree as they should
    assert cosine(measured, clean, reference=measured).mean() > 0.8
    assert spatial_r(measured, clean, reference=measured).mean() > 0.8
    with pytest.raises(ValueError, match="reference must be"):
        cosine(measured, clean, reference=measured[:, :10])
