"""The package re-exports what the single ``simulate`` module used to define, so old imports keep working, and it
imports first in a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys

import pytest

from neuroframes_edu import simulate
from neuroframes_edu.simulate import (
    artefacts,
    calibration,
    haemodynamics,
    leadfield,
    networks,
    regimes,
    rhythms,
    session,
)

#: Every public name of the former neuroframes_edu/simulate.py (and the names added since), with the module that
#: defines it now;
#: _convolve_causal is private but the course's exercise checks import it from the package.
OLD_NAMES = {
    "NETWORKS": networks,
    "NETWORK_LATERALITY": networks,
    "CATEGORIES": networks,
    "ENGAGEMENT": networks,
    "smooth_random_maps": networks,
    "network_maps": networks,
    "ornstein_uhlenbeck": networks,
    "film_schedule": networks,
    "stimulus_drive": networks,
    "BALLOON": haemodynamics,
    "hrf_basis": haemodynamics,
    "_convolve_causal": haemodynamics,
    "balloon_windkessel": haemodynamics,
    "BANDS": rhythms,
    "NETWORK_BAND_AMPLITUDE": rhythms,
    "SPONTANEOUS_EEG_WEIGHT": rhythms,
    "lead_field": leadfield,
    "SIMULATOR_VERSION": session,
    "SOURCE_POWER_RATE": session,
    "REGIMES": regimes,
    "regime_config": regimes,
    "SimulationConfig": session,
    "simulate_session": session,
    "simulate_dataset": session,
    "simulate_sessions": session,
    "config_hash": session,
    "hrf_kernel": haemodynamics,
    "hrf_regions": haemodynamics,
    "ALPHA_PEAK": rhythms,
    "SLICES_PER_VOLUME": artefacts,
    "gradient_residual": artefacts,
    "ballistocardiogram": artefacts,
    "LITERATURE": calibration,
    "calibration_statistics": calibration,
}


@pytest.mark.parametrize("name", sorted(OLD_NAMES))
def test_old_names_are_reexported(name):
    assert getattr(simulate, name) is getattr(OLD_NAMES[name], name)


def test_all_lists_what_the_package_exports():
    assert set(simulate.__all__) == {n for n in OLD_NAMES if not n.startswith("_")}
    assert all(hasattr(simulate, n) for n in simulate.__all__)


def test_the_package_imports_first_in_a_fresh_interpreter(root):
    """simulate → data.recording would run data/__init__ → data.datasets → simulate: a cycle that broke a plain
    ``import neuroframes_edu.simulate`` when nothing had imported neuroframes_edu.data before."""
    code = "import neuroframes_edu.simulate as s; print(s.SIMULATOR_VERSION)"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root, check=False)
    assert proc.returncode == 0, proc.stderr
