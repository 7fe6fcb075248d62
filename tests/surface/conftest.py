"""Fixtures for the surface tests: fsaverage meshes loaded once and shared."""

from __future__ import annotations

from functools import cache

import pytest

from neuroframes_edu.surface.templates import load_fsaverage


@pytest.fixture(scope="session")
def mesh():
    """``mesh(resolution)``: fsaverage at ``"ico3"``, ``"ico4"`` or ``"ico5"``, loaded once per session."""
    return cache(load_fsaverage)
