"""Haemodynamics: the Glover HRF basis, the haemodynamic delay of BOLD, the Balloon–Windkessel option."""

from __future__ import annotations

import numpy as np
import pytest

from neuroframes_edu.simulate.haemodynamics import hrf_basis
from neuroframes_edu.simulate.networks import NETWORKS


def test_hrf_peaks_between_5_and_6_seconds_and_integrates_to_one():
    dt = 0.05
    h, delay, _ = hrf_basis(dt)
    assert 5.0 <= np.argmax(h) * dt <= 6.0
    assert h.sum() * dt == pytest.approx(1.0)
    t = np.arange(len(h)) * dt
    shifted = np.interp(t - 0.3, t, h)
    assert np.abs(h + 0.3 * delay - shifted).max() < 0.05 * h.max()


def test_bold_lags_neural_activity_by_the_haemodynamic_delay(small_session):
    sim = small_session(tr_jitter=0.0)
    k = list(NETWORKS).index("visual")
    vertex = int(np.argmax(sim.truth.network_maps[k]))
    neural = np.interp(sim.truth.frame_times, sim.truth.neural_times, sim.truth.network_activity[:, k])
    bold = sim.truth.frames[:, vertex]
    step = sim.truth.config.frame_period
    lags = np.arange(0, int(10 / step))
    r = [np.corrcoef(neural[: len(neural) - lag], bold[lag:])[0, 1] for lag in lags]
    assert 3.0 <= lags[int(np.argmax(r))] * step <= 7.0


def test_balloon_windkessel_option(small_session):
    glover = small_session(tr_jitter=0.0)
    balloon = small_session(tr_jitter=0.0, hemodynamics="balloon")
    assert np.isfinite(balloon.truth.frames).all()
    k = list(NETWORKS).index("visual")
    v = int(np.argmax(glover.truth.network_maps[k]))
    assert np.corrcoef(glover.truth.frames[:, v], balloon.truth.frames[:, v])[0, 1] > 0.7
    assert 0.3 < balloon.truth.bold_clean.std() / glover.truth.bold_clean.std() < 3
