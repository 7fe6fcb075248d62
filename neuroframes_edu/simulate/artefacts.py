"""In-scanner EEG artefacts left after correction: residual gradient and ballistocardiogram (BCG).

EEG recorded inside an MR scanner carries two large artefacts that standard pipelines subtract
(average artefact subtraction for the gradients, Allen et al. 2000; average or optimal-basis-set
subtraction for the BCG, Allen et al. 1998, Niazy et al. 2005) but never remove completely. What is
left is modelled here, at a chosen standard deviation:

- :func:`gradient_residual`: power at the slice-acquisition rate and its harmonics
  (:data:`SLICES_PER_VOLUME` slices per TR), locked to the volumes, its amplitude changing from volume
  to volume as small head movements change the induced currents; its scalp pattern is a smooth
  (linear plus quadratic) function of electrode position, as induced voltages are.
- :func:`ballistocardiogram`: a pulse after every heartbeat (60–75 beats per minute with beat-to-beat
  variability), whose shape differs across the scalp (each channel mixes three pulse shapes).

Neither follows the BOLD, so both only hide what the EEG says about it. The ``"hard"`` regime
(:mod:`.regimes`) switches them on; :class:`~neuroframes_edu.simulate.SimulationConfig` sets their
sizes (``gradient_residual``, ``bcg_residual``).

Introduced in notebook 02.
"""

from __future__ import annotations

import numpy as np

#: Slices acquired per volume (multiband factor included): the residual gradient artefact sits at
#: ``SLICES_PER_VOLUME / TR`` Hz and its harmonics (15 Hz at TR 0.8 s, 6 Hz at TR 2 s).
SLICES_PER_VOLUME = 12


def _smooth_topography(positions: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A random smooth scalp pattern: linear plus quadratic in the electrode coordinates, unit SD."""
    p = positions - positions.mean(axis=0)
    p = p / max(np.abs(p).max(), 1e-12)
    terms = np.column_stack([p, p**2, p[:, [0]] * p[:, [1]], p[:, [1]] * p[:, [2]]])
    pattern = terms @ rng.standard_normal(terms.shape[1])
    pattern -= pattern.mean()
    return pattern / max(pattern.std(), 1e-12)


def _check(positions, times, sd, name):
    from neuroframes_edu._utils.validation import check_array, check_number, check_times

    positions = check_array(positions, "positions", ndim=2, axes="(n_channels, 3) electrode coordinates in m")
    if positions.shape[1] != 3:
        raise ValueError(f"positions must have shape (n_channels, 3), got {positions.shape}")
    times = check_times(times, "times")
    sd = check_number(sd, name, minimum=0)
    return positions, times, sd


def gradient_residual(positions, times, volume_times, tr: float, sd: float,
                      rng: np.random.Generator) -> np.ndarray:
    """Residual gradient artefact after average artefact subtraction.

    Parameters
    ----------
    positions : array-like, shape (n_channels, 3)
        Electrode coordinates (any unit).
    times : array-like, shape (n_samples,)
        EEG sample times in seconds.
    volume_times : array-like, shape (n_volumes,)
        Acquisition onset of every volume, in seconds.
    tr : float
        Repetition time in seconds.
    sd : float
        Standard deviation of the artefact over all channels and samples (volts).
    rng : numpy.random.Generator

    Returns
    -------
    ndarray, shape (n_channels, n_samples)
        Zero where no volume is being acquired (before the first and after the last volume).
    """
    from neuroframes_edu._utils.validation import check_number, check_times

    positions, times, sd = _check(positions, times, sd, "sd (volts)")
    volume_times = check_times(volume_times, "volume_times")
    tr = check_number(tr, "tr (seconds)", minimum=0, include_minimum=False)
    out = np.zeros((len(positions), len(times)))
    if sd == 0 or not len(volume_times):
        return out
    rate = 1 / float(np.median(np.diff(times))) if len(times) > 1 else 1.0
    slice_rate = SLICES_PER_VOLUME / tr
    harmonics = np.arange(1, max(int(0.45 * rate / slice_rate), 1) + 1)
    # the residual of each volume differs (movement): a lognormal amplitude per volume
    volume = np.clip(np.searchsorted(volume_times, times, side="right") - 1, 0, len(volume_times) - 1)
    scanning = (times >= volume_times[0]) & (times < volume_times[-1] + tr)
    per_volume = rng.lognormal(0.0, 0.4, (len(harmonics), len(volume_times)))
    for k, h in enumerate(harmonics):
        since = times - volume_times[volume]
        wave = np.sin(2 * np.pi * h * slice_rate * since + rng.uniform(0, 2 * np.pi)) / h
        out += np.outer(_smooth_topography(positions, rng), wave * per_volume[k, volume])
    out[:, ~scanning] = 0.0
    return out * (sd / max(out.std(), 1e-30))


def ballistocardiogram(positions, times, sd: float, rng: np.random.Generator,
                       heart_rate: tuple[float, float] = (60.0, 75.0)) -> np.ndarray:
    """Residual ballistocardiogram: a pulse after every heartbeat, its shape varying across channels.

    Parameters
    ----------
    positions : array-like, shape (n_channels, 3)
        Electrode coordinates (any unit).
    times : array-like, shape (n_samples,)
        EEG sample times in seconds.
    sd : float
        Standard deviation of the artefact over all channels and samples (volts).
    rng : numpy.random.Generator
    heart_rate : (float, float)
        Range of the mean heart rate in beats per minute; beat-to-beat intervals vary by 5%.

    Returns
    -------
    ndarray, shape (n_channels, n_samples)
    """
    positions, times, sd = _check(positions, times, sd, "sd (volts)")
    out = np.zeros((len(positions), len(times)))
    if sd == 0 or not len(times):
        return out
    period = 60.0 / rng.uniform(*heart_rate)
    n_beats = int((times[-1] - times[0]) / period) + 2
    beats = times[0] + rng.uniform(0, period) + np.cumsum(rng.normal(period, 0.05 * period, n_beats))
    # three pulse shapes (the pulse ~0.2–0.4 s after the R wave), mixed differently on every channel
    shapes = np.zeros((3, len(times)))
    for beat, amplitude in zip(beats, rng.lognormal(0.0, 0.2, n_beats), strict=True):
        for j, (delay, width) in enumerate(((0.22, 0.04), (0.30, 0.06), (0.40, 0.08))):
            centre = beat + delay  # the samples strictly within 4 widths of it (times increase)
            near = slice(np.searchsorted(times, centre - 4 * width, side="right"),
                         np.searchsorted(times, centre + 4 * width, side="left"))
            u = (times[near] - beat - delay) / width
            shapes[j, near] += amplitude * (1 - u**2) * np.exp(-0.5 * u**2)  # Mexican-hat pulse
    mixing = np.column_stack([_smooth_topography(positions, rng) for _ in range(3)])
    out = mixing @ shapes
    return out * (sd / max(out.std(), 1e-30))
