"""Shared fixtures: the repository root and small notebooks written on the fly (helpers: tests/support.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import NOTEBOOK_HEADER, ROOT, write_notebook


@pytest.fixture(scope="session")
def root() -> Path:
    """The repository root."""
    return ROOT


@pytest.fixture
def notebook_factory(tmp_path):
    """Make small course-style notebooks in a fresh ``notebooks/`` folder."""
    folder = tmp_path / "notebooks"
    folder.mkdir()

    def make(name: str, body: str, header: str = NOTEBOOK_HEADER) -> Path:
        return write_notebook(folder, name, body, header)

    make.folder = folder
    return make
