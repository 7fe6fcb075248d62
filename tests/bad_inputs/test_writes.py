"""Writes: folders get the same permissions as their files, and an interrupt while an overwrite swaps
folders never loses the target (issue 14)."""

from __future__ import annotations

import os
import stat

import pytest

from neuroframes_edu._utils import atomic
from neuroframes_edu._utils.atomic import atomic_file, atomic_folder


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_folders_and_files_get_the_usual_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        with atomic_folder(tmp_path / "out") as tmp:
            (tmp / "data.txt").write_text("x")
        with atomic_file(tmp_path / "file.txt") as tmp:
            tmp.write_text("y")
    finally:
        os.umask(old)
    assert _mode(tmp_path / "out") == 0o755  # not mkdtemp's 0700
    assert _mode(tmp_path / "out" / "data.txt") == 0o644
    assert _mode(tmp_path / "file.txt") == 0o644


def test_an_existing_folder_is_refused_unless_overwrite(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "mine.txt").write_text("keep")
    with pytest.raises(FileExistsError, match="out already exists; pass overwrite=True"), \
            atomic_folder(tmp_path / "out"):
        pass
    assert (tmp_path / "out" / "mine.txt").read_text() == "keep"


def test_a_folder_that_appears_while_writing_is_kept_unless_overwrite(tmp_path):
    """Another process finished the same folder first: without overwrite=True, theirs stays."""
    target = tmp_path / "out"
    with pytest.raises(FileExistsError, match="out appeared while it was being written"), \
            atomic_folder(target) as tmp:
        (tmp / "mine.txt").write_text("mine")
        target.mkdir()
        (target / "theirs.txt").write_text("theirs")
    assert sorted(p.name for p in target.iterdir()) == ["theirs.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no temporary folders left behind


def test_an_interrupt_between_the_two_moves_puts_the_old_folder_back(tmp_path, monkeypatch):
    target = tmp_path / "out"
    target.mkdir()
    (target / "old.txt").write_text("old")
    calls = []
    real = os.replace

    def interrupted(src, dst):
        calls.append((src, dst))
        if len(calls) == 2:  # the old folder has moved away, the new one not yet in
            raise KeyboardInterrupt
        return real(src, dst)

    monkeypatch.setattr(atomic.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt), atomic_folder(target, overwrite=True) as tmp:
        (tmp / "new.txt").write_text("new")
    monkeypatch.setattr(atomic.os, "replace", real)
    assert (target / "old.txt").read_text() == "old" and not (target / "new.txt").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no temporary folders left behind


def test_a_failure_inside_the_block_leaves_the_target_untouched(tmp_path):
    target = tmp_path / "out"
    target.mkdir()
    (target / "old.txt").write_text("old")
    with pytest.raises(RuntimeError, match="half-way"), atomic_folder(target, overwrite=True) as tmp:
        (tmp / "new.txt").write_text("new")
        raise RuntimeError("half-way")
    assert sorted(p.name for p in target.iterdir()) == ["old.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_damaged_cache_entry_is_simulated_again_and_replaced(tmp_path):
    import numpy as np

    from neuroframes_edu.data import datasets
    from neuroframes_edu.simulate import SimulationConfig

    cfg = SimulationConfig(mesh="ico3", duration=30.0)
    first = datasets.load_dataset(n_subjects=1, n_sessions=1, config=cfg, seed=3, cache_dir=tmp_path)
    entry = next(tmp_path.iterdir()) / "sub-01_ses-01"
    damaged = [p for p in entry.rglob("*") if p.is_file() and p.name != "recording.json"]
    assert damaged
    for p in damaged:  # a copy cut short: every data file truncated
        p.write_bytes(p.read_bytes()[:10])
    with pytest.warns(RuntimeWarning, match="could not be read .* simulating them again and replacing that cache "
                                            "entry .*deleting it is always safe"):
        again = datasets.load_dataset(n_subjects=1, n_sessions=1, config=cfg, seed=3, cache_dir=tmp_path)
    np.testing.assert_array_equal(again[0].bold, first[0].bold)
    reread = datasets.load_dataset(n_subjects=1, n_sessions=1, config=cfg, seed=3, cache_dir=tmp_path)  # repaired
    np.testing.assert_array_equal(reread[0].bold, first[0].bold)


def test_a_cache_entry_written_by_a_concurrent_run_is_kept_not_replaced(tmp_path, monkeypatch):
    """Two DDP ranks miss the cache together: the second to finish must not move the first's entry
    away while the first reads it back (that race once failed ``torchrun`` in CI)."""
    import numpy as np

    from neuroframes_edu.data import datasets
    from neuroframes_edu.simulate import SimulationConfig

    cfg = SimulationConfig(mesh="ico3", duration=30.0)
    real = datasets.simulate_sessions

    def slow_simulation(*args, **kwargs):  # the other rank finishes and caches while this one simulates
        monkeypatch.setattr(datasets, "simulate_sessions", real)
        other = datasets.load_dataset(n_subjects=1, n_sessions=1, config=cfg, seed=3, cache_dir=tmp_path)
        entry = next(tmp_path.glob("sim-*")) / "sub-01_ses-01"
        inodes.append(entry.stat().st_ino)
        readers.append(other)
        return real(*args, **kwargs)

    inodes, readers = [], []
    monkeypatch.setattr(datasets, "simulate_sessions", slow_simulation)
    mine = datasets.load_dataset(n_subjects=1, n_sessions=1, config=cfg, seed=3, cache_dir=tmp_path)
    entry = next(tmp_path.glob("sim-*")) / "sub-01_ses-01"
    assert entry.stat().st_ino == inodes[0]  # the first entry stayed where its reader found it
    np.testing.assert_array_equal(mine[0].bold, readers[0][0].bold)
    assert sorted(p.name for p in entry.parent.iterdir()) == [entry.name]  # no temporary folders left behind
    assert len(list(tmp_path.iterdir())) == 1
