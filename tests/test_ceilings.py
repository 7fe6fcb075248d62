"""Ceilings: the oracle features of the EEG-information ceiling and the noise ceiling on another mesh."""

from __future__ import annotations

import copy
from dataclasses import replace
from functools import cache

import numpy as np
import pytest

from neuroframes_edu.ceilings import eeg_information_features, noise_ceiling
from neuroframes_edu.simulate import BANDS, NETWORKS, regime_config, simulate_session
from neuroframes_edu.surface import load_mesh, resample_operator


@cache
def sim(coupling_scale: float = 1.0):
    # the generous regime: no EEG-silent BOLD and little noise, so the features' mechanics show clearly
    return simulate_session(regime_config("generous", mesh="ico3", duration=60.0, coupling_scale=coupling_scale),
                            seed=4)


def _visual(rec):
    """Feature index of the visual component's alpha power, and the vertex where the visual network peaks."""
    k = list(NETWORKS).index("visual")
    n_components = rec.truth.source_log_power.shape[2]
    return list(BANDS).index("alpha") * n_components + k, int(np.argmax(rec.truth.network_maps[k]))


def test_band_power_features_are_band_major_z_scored_and_track_the_bold():
    rec = sim()
    x = eeg_information_features(rec, rec.volume_times)
    _, n_bands, n_components = rec.truth.source_log_power.shape
    assert x.shape == (len(rec.volume_times), n_bands * n_components) and x.dtype == np.float32
    assert np.isfinite(x).all()
    fine = eeg_information_features(rec, rec.truth.source_power_times)
    np.testing.assert_allclose(fine.mean(axis=0), 0.0, atol=1e-4)
    np.testing.assert_allclose(fine.std(axis=0), 1.0, rtol=1e-3)
    feature, vertex = _visual(rec)
    valid = rec.valid
    r = np.corrcoef(x[valid, feature], rec.truth.bold_clean[valid, vertex])[0, 1]
    assert r < -0.5, r  # HRF-convolved alpha power falls where the visual BOLD rises
    uncoupled = sim(0.0)
    x0 = eeg_information_features(uncoupled, uncoupled.volume_times)
    r0 = np.corrcoef(x0[valid, feature], uncoupled.truth.bold_clean[valid, vertex])[0, 1]
    assert abs(r0) < abs(r) / 2


def test_activity_features_are_the_components_convolved_with_the_hrf():
    rec = sim()
    a = eeg_information_features(rec, rec.volume_times, kind="activity")
    assert a.shape == (len(rec.volume_times), rec.truth.component_activity.shape[1])
    k = list(NETWORKS).index("visual")
    _, vertex = _visual(rec)
    valid = rec.valid
    y = rec.truth.bold_clean[valid, vertex]
    assert np.corrcoef(a[valid, k], y)[0, 1] > 0.5
    design = np.column_stack([a[valid], np.ones(int(valid.sum()))])
    fit = design @ np.linalg.lstsq(design, y, rcond=None)[0]
    assert np.corrcoef(fit, y)[0, 1] > 0.95  # BOLD is (nearly) linear in the HRF-convolved activity


def test_feature_errors_say_what_to_do():
    rec = sim()
    with pytest.raises(ValueError, match="kind must be one of"):
        eeg_information_features(rec, rec.volume_times, kind="phase")
    with pytest.raises(ValueError, match="times must be 1-D"):
        eeg_information_features(rec, rec.volume_times[:, None])
    old = copy.copy(rec)
    old.truth = replace(rec.truth, source_log_power=None)
    with pytest.raises(ValueError, match="no source_log_power .* simulate it again"):
        eeg_information_features(old, rec.volume_times)
    real = copy.copy(rec)
    real.truth = None
    with pytest.raises(ValueError, match="has no ground truth; ceilings need a simulated recording"):
        noise_ceiling(real)


def test_noise_ceiling_on_the_own_and_on_another_mesh():
    rec = sim()
    np.testing.assert_array_equal(noise_ceiling(rec), rec.truth.noise_ceiling)
    np.testing.assert_array_equal(noise_ceiling(rec, "ico3"), rec.truth.noise_ceiling)
    up = noise_ceiling(rec, "ico4")
    assert up.shape == (5124,) and np.all(np.abs(up) <= 1 + 1e-9)
    operator = resample_operator(load_mesh("ico3"), load_mesh("ico4")).tocsr()
    copied = np.flatnonzero(np.isclose(operator.max(axis=1).toarray().ravel(), 1.0))
    assert len(copied) == 1284  # nested numbering: every ico3 vertex is an ico4 vertex
    source = operator[copied].argmax(axis=1).A.ravel()
    np.testing.assert_allclose(up[copied], rec.truth.noise_ceiling[source], atol=1e-6)


def test_eeg_information_ceiling_lies_below_the_noise_ceiling_and_falls_with_eeg_silent_bold():
    from neuroframes_edu.ceilings import eeg_information_ceiling

    def scores(**settings):
        config = regime_config("generous", mesh="ico3", duration=180.0, **settings)
        train, test = (simulate_session(config, seed=5, session=s) for s in (1, 2))
        return eeg_information_ceiling(train, test)

    visible, silent = scores(), scores(eeg_silent_fraction=0.6)
    for s in (visible, silent):
        assert set(s) == {"measured", "clean", "noise_ceiling"} and all(v.shape == (1284,) for v in s.values())
        assert s["measured"].mean() < s["noise_ceiling"].mean()
        assert s["measured"].mean() < s["clean"].mean()  # the measurements' noise lowers every score
    assert silent["clean"].mean() < visible["clean"].mean() - 0.1


def test_eeg_information_ceiling_refuses_what_it_cannot_score():
    from neuroframes_edu.ceilings import eeg_information_ceiling

    rec = sim()
    with pytest.raises(ValueError, match="kind must be one of"):
        eeg_information_ceiling(rec, rec, kind="power")
    with pytest.raises(ValueError, match="at least one recording"):
        eeg_information_ceiling([], rec)
    bare = copy.copy(rec)
    bare.truth = None
    with pytest.raises(ValueError, match="no ground truth"):
        eeg_information_ceiling(rec, bare)
