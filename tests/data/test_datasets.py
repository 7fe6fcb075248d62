"""The cached default data."""

from __future__ import annotations

import numpy as np

from neuroframes_edu import simulate
from neuroframes_edu.data import datasets
from neuroframes_edu.simulate import SimulationConfig


def test_data_dir_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("NEUROFRAMES_EDU_DATA", str(tmp_path))
    assert datasets.data_dir() == tmp_path
    monkeypatch.delenv("NEUROFRAMES_EDU_DATA")
    assert datasets.data_dir().name in ("data", "neuroframes-edu")


def test_dataset_is_simulated_once_then_loaded_from_the_cache(tmp_path, monkeypatch):
    cfg = SimulationConfig(mesh="ico3", duration=30.0)
    first = datasets.load_dataset(n_subjects=1, n_sessions=2, config=cfg, seed=5, cache_dir=tmp_path)
    assert [(s.subject, s.session) for s in first] == [("01", "01"), ("01", "02")]
    assert len(list(tmp_path.iterdir())) == 1

    def no_simulation(*args, **kwargs):
        raise AssertionError("the cache should have been used")

    monkeypatch.setattr(datasets, "simulate_dataset", no_simulation)
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
