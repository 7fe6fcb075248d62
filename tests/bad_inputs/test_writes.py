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
