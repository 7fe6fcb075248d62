"""A physically grounded simulator of simultaneous EEG–fMRI on the real fsaverage cortex.

Real simultaneous recordings cannot ship with a course, so the default data are generated, with
the ground truth known, deterministically from a seed:

1. **Networks** (:mod:`.networks`). Smooth maps on the cortex (geodesic Gaussians around anatomical
   landmarks) for visual, auditory, somatomotor, face, place, motion, speech, default-mode and
   fronto-parietal networks, plus spontaneous smooth modes with random centres.
2. **Neural activity** (:mod:`.networks`). A film-like schedule of scenes (faces, speech, motion,
   places, rest) engages the networks differently; spontaneous, autocorrelated (Ornstein–Uhlenbeck)
   fluctuations ride on top, so not everything is stimulus-locked. Everything stays low-rank: maps ×
   time courses.
3. **EEG** (:mod:`.leadfield`, :mod:`.rhythms`). Dipoles at vertices along the white-surface normal; an
   MNE sphere-model lead field (standard montage, biosemi64 by default) maps source currents to
   electrodes. Each component emits δ θ α β γ oscillations whose amplitude follows its activity as
   reported in simultaneous EEG–fMRI (gamma up, alpha and beta down: Goldman 2002, Laufs 2003,
   Scheeringa 2011) with a subject's own alpha peak frequency, plus a 1/f background from unrelated
   sources, sensor noise and residual scanner artefacts (:mod:`.artefacts`: gradient and
   ballistocardiogram). Returned as an ``mne.io.Raw`` with montage and annotations for the scenes and
   the fMRI volume triggers.
4. **BOLD** (:mod:`.haemodynamics`). Activity convolved with nilearn's Glover HRF, truly shifted and
   stretched per cortical region (:func:`hrf_kernel`, :func:`hrf_regions`), or a per-vertex
   Balloon–Windkessel model (Friston et al. 2000 parameters) with the same regional delays. EEG-silent
   modes add BOLD fluctuations that emit no EEG (``eeg_silent_fraction`` of its variance). Noise:
   spatially smooth physiological fluctuations plus thermal noise at a chosen SNR.
5. **Frames and acquisition** (:mod:`.session`). Noise-free BOLD on a fine grid (TR/4 by default) is
   the ground truth for intermediate frames; volumes are acquired every TR with timing jitter, and a
   fraction of them is missing or corrupted (a validity mask says which).
6. **Noise ceiling** (:mod:`.session`). Per vertex, the correlation over valid volumes between the
   true (noise-free) BOLD and the measured BOLD: the score of a perfect reconstruction, which no method
   can beat on average (in expectation it is ``sqrt(var_signal / (var_signal + var_noise))``).

:func:`simulate_session` in :mod:`.session` runs every step; the other modules import nothing from it.
:mod:`.regimes` names settings that differ in what limits a reconstruction (:func:`regime_config`);
:mod:`.calibration` measures a recording against published values (:func:`calibration_statistics`).
Everything public is importable from ``neuroframes_edu.simulate`` itself.

Introduced in notebook 02.
"""

from neuroframes_edu.simulate.artefacts import SLICES_PER_VOLUME, ballistocardiogram, gradient_residual
from neuroframes_edu.simulate.calibration import LITERATURE, calibration_statistics
from neuroframes_edu.simulate.haemodynamics import BALLOON, balloon_windkessel, hrf_basis, hrf_kernel, hrf_regions

# private, but the course's exercise checks (course/exercises.py) import it from here
from neuroframes_edu.simulate.haemodynamics import _convolve_causal as _convolve_causal
from neuroframes_edu.simulate.leadfield import lead_field
from neuroframes_edu.simulate.networks import (
    CATEGORIES,
    ENGAGEMENT,
    NETWORK_LATERALITY,
    NETWORKS,
    film_schedule,
    network_maps,
    ornstein_uhlenbeck,
    smooth_random_maps,
    stimulus_drive,
)
from neuroframes_edu.simulate.regimes import REGIMES, regime_config
from neuroframes_edu.simulate.rhythms import ALPHA_PEAK, BANDS, NETWORK_BAND_AMPLITUDE, SPONTANEOUS_EEG_WEIGHT
from neuroframes_edu.simulate.session import (
    SIMULATOR_VERSION,
    SOURCE_POWER_RATE,
    SimulationConfig,
    config_hash,
    simulate_dataset,
    simulate_session,
    simulate_sessions,
)

__all__ = [
    "ALPHA_PEAK",
    "BALLOON",
    "BANDS",
    "CATEGORIES",
    "ENGAGEMENT",
    "LITERATURE",
    "NETWORKS",
    "NETWORK_BAND_AMPLITUDE",
    "NETWORK_LATERALITY",
    "REGIMES",
    "SIMULATOR_VERSION",
    "SLICES_PER_VOLUME",
    "SOURCE_POWER_RATE",
    "SPONTANEOUS_EEG_WEIGHT",
    "SimulationConfig",
    "ballistocardiogram",
    "balloon_windkessel",
    "calibration_statistics",
    "config_hash",
    "film_schedule",
    "gradient_residual",
    "hrf_basis",
    "hrf_kernel",
    "hrf_regions",
    "lead_field",
    "network_maps",
    "ornstein_uhlenbeck",
    "regime_config",
    "simulate_dataset",
    "simulate_session",
    "simulate_sessions",
    "smooth_random_maps",
    "stimulus_drive",
]
