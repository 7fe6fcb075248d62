"""Small data shared by the bad-input tests: one simulated session (ico3, 60 s, EEG at 100 Hz), prepared,
and the ico3 mesh; each built once per test process."""

from __future__ import annotations

from functools import cache


@cache
def recording():
    from neuroframes_edu.simulate import SimulationConfig, simulate_session

    return simulate_session(SimulationConfig(mesh="ico3", duration=60.0, sfreq=100.0), seed=0, subject=1, session=1)


@cache
def prepared():
    from neuroframes_edu.training import prepare_session

    return prepare_session(recording())


@cache
def mesh():
    from neuroframes_edu.surface import load_fsaverage

    return load_fsaverage("ico3")
