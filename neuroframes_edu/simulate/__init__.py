"""A physically grounded simulator of simultaneous EEG–fMRI on the real fsaverage cortex.

The simulator lives in :mod:`.session`; everything it defines is importable from
``neuroframes_edu.simulate`` itself.

Introduced in notebook 02.
"""

from neuroframes_edu.simulate.session import (
    BALLOON,
    BANDS,
    CATEGORIES,
    ENGAGEMENT,
    NETWORK_BAND_AMPLITUDE,
    NETWORK_LATERALITY,
    NETWORKS,
    SIMULATOR_VERSION,
    SPONTANEOUS_EEG_WEIGHT,
    SimulationConfig,
    balloon_windkessel,
    config_hash,
    film_schedule,
    hrf_basis,
    lead_field,
    network_maps,
    ornstein_uhlenbeck,
    simulate_dataset,
    simulate_session,
    smooth_random_maps,
    stimulus_drive,
)

# private, but the course's exercise checks import it from here
from neuroframes_edu.simulate.session import _convolve_causal as _convolve_causal

__all__ = [
    "BALLOON",
    "BANDS",
    "CATEGORIES",
    "ENGAGEMENT",
    "NETWORKS",
    "NETWORK_BAND_AMPLITUDE",
    "NETWORK_LATERALITY",
    "SIMULATOR_VERSION",
    "SPONTANEOUS_EEG_WEIGHT",
    "SimulationConfig",
    "balloon_windkessel",
    "config_hash",
    "film_schedule",
    "hrf_basis",
    "lead_field",
    "network_maps",
    "ornstein_uhlenbeck",
    "simulate_dataset",
    "simulate_session",
    "smooth_random_maps",
    "stimulus_drive",
]
