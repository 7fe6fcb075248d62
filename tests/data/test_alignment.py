"""Alignment of EEG and fMRI: volume triggers, their grid, the EEG window before each frame."""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest

from neuroframes_edu.data import alignment
from neuroframes_edu.simulate import SimulationConfig, simulate_session


@cache
def sim():
    return simulate_session(SimulationConfig(mesh="ico3", duration=40.0), seed=2)


def test_volume_triggers_and_coverage():
    s = sim()
    times = alignment.volume_times_from_annotations(s.raw)
    np.testing.assert_allclose(times, s.volume_times, atol=1e-3)
    with pytest.raises(ValueError, match="no 'TR' annotations.*scene/"):
        alignment.volume_times_from_annotations(s.raw, description="TR")
    alignment.check_eeg_covers(s.raw, s.truth.frame_times[s.truth.frame_times > 6.0], window=6.0)
    with pytest.raises(ValueError, match="shorter than the fMRI run"):
        alignment.check_eeg_covers(s.raw, np.array([10.0, 400.0]))
    with pytest.raises(ValueError, match="needs 6.0 s of EEG before it"):
        alignment.check_eeg_covers(s.raw, s.truth.frame_times, window=6.0)
    with pytest.raises(ValueError, match="frame_times is empty"):
        alignment.check_eeg_covers(s.raw, [])


def test_frame_windows_precede_each_frame():
    s = sim()
    late = s.volume_times > 10.0
    windows = alignment.frame_windows(s.raw, s.volume_times[late], window=8.0)
    assert windows.shape == (late.sum(), 2)
    np.testing.assert_array_equal(windows[:, 1] - windows[:, 0], 2000)  # 8 s at 250 Hz
    np.testing.assert_allclose(windows[:, 1] / 250.0, s.volume_times[late], atol=0.5 / 250)
    with pytest.raises(ValueError, match="needs 8.0 s of EEG before it"):
        alignment.frame_windows(s.raw, window=8.0)  # triggers from the annotations, first at t ≈ 0
    with pytest.raises(ValueError, match="window must be > 0"):
        alignment.frame_windows(s.raw, s.volume_times[late], window=0)




def _triggers(n=1000, tr=2.0011, jitter=0.02, lost=0.1, seed=0):
    rng = np.random.default_rng(seed)
    t = 5.0 + np.arange(n) * tr + rng.normal(0, jitter, n)
    keep = rng.random(n) >= lost
    keep[0] = keep[-1] = True
    return t, keep


@pytest.mark.parametrize("nominal", [None, 2.0])
def test_volume_grid_places_triggers_with_gaps_on_the_right_slots(nominal):
    # a long run whose TR on the EEG clock differs from the nominal one: rounding every trigger from the
    # first with the nominal TR drifts by slots by the end; the grid must not
    t, keep = _triggers()
    naive = np.rint((t[keep] - t[keep][0]) / 2.0).astype(int)
    assert naive[-1] != np.flatnonzero(keep)[-1], "the test must be hard: naive rounding drifts"
    grid = alignment.volume_grid(t[keep], tr=nominal)
    np.testing.assert_array_equal(grid.slot, np.flatnonzero(keep))
    assert grid.n_lost == int((~keep).sum()) and len(grid.times) == 1000
    assert abs(grid.tr - 2.0011) < 1e-4 and grid.max_residual < 0.1
    np.testing.assert_array_equal(grid.times[grid.acquired], t[keep])
    assert np.all(np.diff(grid.times) > 0)


def test_volume_grid_errors():
    with pytest.raises(ValueError, match="at least 2 volume triggers"):
        alignment.volume_grid([1.0])
    with pytest.raises(ValueError, match="less than half a TR"):
        alignment.volume_grid([0.0, 2.0, 2.1, 4.0], tr=2.0)
    with pytest.raises(ValueError, match="NaN"):
        alignment.volume_grid([0.0, np.nan, 4.0])
    with pytest.raises(ValueError, match="off the regular grid.*not one run at a fixed TR"):
        alignment.volume_grid(np.concatenate([np.arange(10) * 2.0, 20.0 + np.arange(10) * 2.6]))  # two TRs
