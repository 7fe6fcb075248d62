"""Shared fixtures: paths into the repository and small notebooks written on the fly."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

NOTEBOOK_HEADER = """# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---
"""


@pytest.fixture(scope="session")
def root() -> Path:
    """The repository root."""
    return ROOT


def write_notebook(folder: Path, name: str, body: str, header: str = NOTEBOOK_HEADER) -> Path:
    """Write a jupytext py:percent notebook ``folder/name`` and return its path."""
    path = folder / name
    path.write_text(header + body, encoding="utf-8")
    return path


@pytest.fixture
def notebook_factory(tmp_path):
    """Make small course-style notebooks in a fresh ``notebooks/`` folder."""
    folder = tmp_path / "notebooks"
    folder.mkdir()

    def make(name: str, body: str, header: str = NOTEBOOK_HEADER) -> Path:
        return write_notebook(folder, name, body, header)

    make.folder = folder
    return make
