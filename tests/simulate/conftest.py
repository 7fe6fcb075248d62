"""Fixtures for the simulator tests: small ico3 sessions, simulated once and shared by every file."""

from __future__ import annotations

from functools import cache

import pytest

from neuroframes_edu.simulate.session import SimulationConfig, simulate_session

#: The small session most tests look at: two minutes on ico3.
SMALL = dict(mesh="ico3", duration=120.0)


@pytest.fixture(scope="session")
def small_config():
    """The configuration of the small session."""
    return SimulationConfig(**SMALL)


@pytest.fixture(scope="session")
def small_session():
    """``small_session(seed=0, **overrides)``: the small session with configuration overrides, simulated once per
    test run."""

    @cache
    def simulate(seed=0, **kwargs):
        return simulate_session(SimulationConfig(**{**SMALL, **kwargs}), seed=seed)

    return simulate
