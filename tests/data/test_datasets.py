"""The cached default data."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from neuroframes_edu import simulate
from neuroframes_edu.data import datasets
from neuroframes_edu.simulate import SimulationConfig


def test_data_dir_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("NEUROFRAMES_EDU_DATA", str(tmp_path))
    assert datasets.data_dir() == tmp_path
    monkeypatch.delenv("NEUROFRAMES_EDU_DATA")
    checkout = Path(datasets.__file__).resolve().parents[2] / "data"
    if (checkout / "README.md").is_file():  # a source checkout: its data/ folder, as the README says
        assert datasets.data_dir() == checkout
    else:  # an installed package: the user's cache folder
        assert datasets.data_dir() == Path.home() / ".cache" / "neuroframes-edu"


def test_dataset_is_simulated_once_then_loaded_from_the_cache(tmp_path, monkeypatch):
    cfg = SimulationConfig(mesh="ico3", duration=30.0)
    first = datasets.load_dataset(n_subjects=1, n_sessions=2, config=cfg, seed=5, cache_dir=tmp_path)
    assert [(s.subject, s.session) for s in first] == [("01", "01"), ("01", "02")]
    assert len(list(tmp_path.iterdir())) == 1

    def no_simulation(*args, **kwargs):
        raise AssertionError("the cache should have been used")

    monkeypatch.setattr(datasets, "simulate_sessions", no_simulation)
    second = datasets.load_dataset(n_subjects=1, n_sessions=2, config=cfg, seed=5, cache_dir=tmp_path)
    for a, b in zip(first, second, strict=True):
        np.testing.assert_array_equal(a.bold, b.bold)
        np.testing.assert_array_equal(a.truth.frames, b.truth.frames)


def test_a_different_request_is_a_different_cache_entry(tmp_path):
    cfg = SimulationConfig(mesh="ico3", duration=30.0)
    datasets.load_dataset(1, 1, cfg, seed=0, cache_dir=tmp_path)
    datasets.load_dataset(1, 1, cfg, seed=1, cache_dir=tmp_path)
    assert len(list(tmp_path.iterdir())) == 2


def test_simulator_version_is_part_of_the_key():
    cfg = SimulationConfig(mesh="ico3")
    assert simulate.config_hash(cfg, version=1) != simulate.config_hash(cfg, version=2)


def test_no_cache_simulates_afresh(tmp_path):
    cfg = SimulationConfig(mesh="ico3", duration=30.0)
    out = datasets.load_dataset(1, 1, cfg, cache=False, cache_dir=tmp_path)
    assert len(out) == 1 and not any(tmp_path.iterdir())


def test_a_regime_is_its_configuration(tmp_path, monkeypatch):
    seen = []

    def record(pairs, config, seed=0, progress=False):
        seen.append(config)
        return []

    monkeypatch.setattr(datasets, "simulate_sessions", record)
    datasets.load_dataset(1, 1, regime="slow-hrf", cache=False)
    datasets.load_dataset(1, 1, cache=False)
    assert seen == [simulate.regime_config("slow-hrf"), SimulationConfig()]
    assert simulate.config_hash(seen[0]) != simulate.config_hash(seen[1])  # cached apart
    with pytest.raises(ValueError, match="unknown regime 'noisy'; choose one of 'default'"):
        datasets.load_dataset(1, 1, regime="noisy", cache=False)
    with pytest.raises(ValueError, match="pass regime='weak-eeg' or config=, not both.*regime_config\\('weak-eeg'"):
        datasets.load_dataset(1, 1, regime="weak-eeg", config=SimulationConfig(), cache=False)


def test_only_the_subjects_asked_for_are_read_or_simulated(tmp_path, monkeypatch):
    cfg = SimulationConfig(mesh="ico3", duration=30.0)
    real, simulated = datasets.simulate_sessions, []

    def counting(pairs, *args, **kwargs):
        simulated.extend(pairs)
        return real(pairs, *args, **kwargs)

    monkeypatch.setattr(datasets, "simulate_sessions", counting)
    second = datasets.load_dataset(2, 2, cfg, seed=1, cache_dir=tmp_path, subjects=[2])
    assert [(r.subject, r.session) for r in second] == [("02", "01"), ("02", "02")] and simulated == [(2, 1), (2, 2)]
    both = datasets.load_dataset(2, 2, cfg, seed=1, cache_dir=tmp_path)  # subject 2 comes from the cache
    assert simulated == [(2, 1), (2, 2), (1, 1), (1, 2)]
    assert [(r.subject, r.session) for r in both] == [("01", "01"), ("01", "02"), ("02", "01"), ("02", "02")]
    np.testing.assert_array_equal(both[2].bold, second[0].bold)
    fewer = datasets.load_dataset(1, 1, cfg, seed=1, cache_dir=tmp_path)  # a smaller dataset: the same sessions
    np.testing.assert_array_equal(fewer[0].bold, both[0].bold)
    assert simulated == [(2, 1), (2, 2), (1, 1), (1, 2)] and len(list(tmp_path.iterdir())) == 1
    uncached = datasets.load_dataset(2, 1, cfg, seed=1, cache=False, subjects=[2])
    np.testing.assert_array_equal(uncached[0].bold, second[0].bold)
    with pytest.raises(ValueError, match=r"subjects \[3\] lie beyond n_subjects=2; pass n_subjects=3 or more"):
        datasets.load_dataset(2, 1, cfg, cache_dir=tmp_path, subjects=[3])
    with pytest.raises(ValueError, match="subjects is empty"):
        datasets.load_dataset(2, 1, cfg, cache_dir=tmp_path, subjects=[])
    with pytest.raises(ValueError, match="subjects names a subject twice"):
        datasets.load_dataset(2, 1, cfg, cache_dir=tmp_path, subjects=[1, 1])
    with pytest.raises(TypeError, match=r"subjects must be a tuple or list.*\(1,\)"):
        datasets.load_dataset(2, 1, cfg, cache_dir=tmp_path, subjects=1)
