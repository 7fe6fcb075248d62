"""The simulated EEG: realistic amplitude, and band power coupled to activity (alpha down, gamma up)."""

from __future__ import annotations

import numpy as np

from neuroframes_edu.simulate.networks import NETWORKS
from neuroframes_edu.simulate.rhythms import BANDS
from neuroframes_edu.simulate.session import SimulationConfig, simulate_session


def test_eeg_has_realistic_amplitude_and_average_reference(small_session):
    data = small_session().raw.get_data()
    assert 5e-6 < data.std() < 100e-6, "scalp EEG is tens of microvolts"
    np.testing.assert_allclose(data.mean(axis=0), 0, atol=1e-12)


def _band_log_power(raw, band, channels, seconds=2.0):
    lo, hi = BANDS[band][:2]
    env = raw.copy().pick(channels).filter(lo, hi, verbose=False).apply_hilbert(envelope=True, verbose=False)
    power = env.get_data().mean(axis=0) ** 2
    win = int(seconds * raw.info["sfreq"])
    n = len(power) // win
    return np.log(power[: n * win].reshape(n, win).mean(axis=1)), (np.arange(n) + 0.5) * seconds


def test_alpha_falls_and_gamma_rises_where_the_visual_network_is_active():
    sim = simulate_session(SimulationConfig(mesh="ico3", duration=300.0), seed=0)
    k = list(NETWORKS).index("visual")
    occipital = ["O1", "Oz", "O2", "POz"]
    corr = {}
    for band in ("alpha", "gamma"):
        power, times = _band_log_power(sim.raw, band, occipital)
        activity = np.interp(times, sim.truth.neural_times, sim.truth.network_activity[:, k])
        corr[band] = np.corrcoef(power, activity)[0, 1]
    assert corr["alpha"] < -0.3, corr
    assert corr["gamma"] > 0.05, corr
