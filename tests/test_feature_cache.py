"""The on-disk feature cache: same inputs give the same arrays without recomputing; anything else misses."""

from __future__ import annotations

import numpy as np
import pytest

from neuroframes_edu._utils import feature_cache


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("NEUROFRAMES_EDU_FEATURE_CACHE", str(tmp_path / "features"))
    monkeypatch.setattr(feature_cache, "MIN_VALUES", 10)
    return tmp_path / "features"


def _counting(result):
    calls = []

    def compute():
        calls.append(1)
        return {name: value.copy() for name, value in result.items()}

    return compute, calls


def test_a_second_call_reads_the_same_arrays_without_computing(cache):
    data = np.random.default_rng(0).standard_normal((4, 50))
    compute, calls = _counting({"power": data * 2, "times": np.arange(50.0)})
    first = feature_cache.cached("kind", [data], {"rate": 10.0}, "neuroframes_edu.features", compute)
    second = feature_cache.cached("kind", [data.copy()], {"rate": 10.0}, "neuroframes_edu.features", compute)
    assert len(calls) == 1 and len(list((cache / "kind").glob("*.npz"))) == 1
    for name in first:
        assert second[name].dtype == first[name].dtype and np.array_equal(second[name], first[name])


@pytest.mark.parametrize("change", ["data", "dtype", "shape", "params", "code"])
def test_any_change_of_input_or_code_misses(cache, change):
    data = np.random.default_rng(0).standard_normal((4, 50))
    compute, calls = _counting({"power": data})
    feature_cache.cached("kind", [data], {"rate": 10.0}, "neuroframes_edu.features", compute)
    arrays, params, code = [data], {"rate": 10.0}, "neuroframes_edu.features"
    if change == "data":
        other = data.copy()
        other[3, 49] += 1e-12
        arrays = [other]
    elif change == "dtype":
        arrays = [data.astype(np.float32)]
    elif change == "shape":
        arrays = [data.reshape(8, 25)]
    elif change == "params":
        params = {"rate": 5.0}
    else:
        code = ("neuroframes_edu.features", "neuroframes_edu.sources")
    feature_cache.cached("kind", arrays, params, code, compute)
    assert len(calls) == 2


def test_band_power_series_from_the_cache_is_identical(cache):
    from neuroframes_edu.features import band_power_series

    eeg = np.random.default_rng(1).standard_normal((3, 250 * 20))
    first = band_power_series(eeg, sfreq=250.0)
    assert len(list(cache.glob("band_power/*.npz"))) == 1
    second = band_power_series(eeg, sfreq=250.0)
    assert np.array_equal(first.power, second.power) and np.array_equal(first.times, second.times)
    assert second.rate == first.rate and second.bands == first.bands


def test_small_inputs_and_a_disabled_cache_write_nothing(tmp_path, monkeypatch):
    from neuroframes_edu.features import band_power_series

    eeg = np.random.default_rng(1).standard_normal((3, 250 * 20))
    monkeypatch.setenv("NEUROFRAMES_EDU_FEATURE_CACHE", str(tmp_path / "features"))
    band_power_series(eeg, sfreq=250.0)  # 15,000 values, below MIN_VALUES
    monkeypatch.setenv("NEUROFRAMES_EDU_FEATURE_CACHE", "0")
    monkeypatch.setattr(feature_cache, "MIN_VALUES", 10)
    assert feature_cache.cache_dir() is None
    band_power_series(eeg, sfreq=250.0)
    assert not (tmp_path / "features").exists()


def test_a_damaged_entry_is_recomputed_and_replaced(cache):
    data = np.arange(100.0)
    compute, calls = _counting({"power": data})
    feature_cache.cached("kind", [data], {}, "neuroframes_edu.features", compute)
    (entry,) = (cache / "kind").glob("*.npz")
    entry.write_bytes(b"not an npz file")
    with pytest.warns(RuntimeWarning, match="could not be read"):
        again = feature_cache.cached("kind", [data], {}, "neuroframes_edu.features", compute)
    assert len(calls) == 2 and np.array_equal(again["power"], data)
    assert np.array_equal(feature_cache.cached("kind", [data], {}, "neuroframes_edu.features", compute)["power"], data)
    assert len(calls) == 2  # the replaced entry is read again


def test_an_unwritable_cache_warns_and_still_computes(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("NEUROFRAMES_EDU_FEATURE_CACHE", str(blocker / "features"))
    monkeypatch.setattr(feature_cache, "MIN_VALUES", 10)
    with pytest.warns(RuntimeWarning, match="could not write the feature cache"):
        out = feature_cache.cached("kind", [np.arange(100.0)], {}, "neuroframes_edu.features",
                                   lambda: {"power": np.ones(3)})
    assert np.array_equal(out["power"], np.ones(3))


def test_the_least_recently_used_entries_are_trimmed_first(cache):
    import os

    entries = []
    for i in range(4):
        data = np.full(100, float(i))
        feature_cache.cached("kind", [data], {}, "neuroframes_edu.features", lambda d=data: {"power": d})
        (entry,) = set((cache / "kind").glob("*.npz")) - set(entries)
        os.utime(entry, (1000 + i, 1000 + i))
        entries.append(entry)
    size = entries[0].stat().st_size
    feature_cache._trim(cache, max_bytes=2 * size)
    assert [e.exists() for e in entries] == [False, False, True, True]
