"""How simulated data compare with real simultaneous EEG–fMRI: the statistics a neuroscientist checks first.

:func:`calibration_statistics` measures, on one recording, what published studies report: the
correlation of posterior alpha and of gamma band power with the BOLD of early visual cortex (the
classic EEG-informed fMRI analysis: log band power of the posterior electrodes, convolved with the
HRF, correlated with the BOLD of the valid volumes; per region and per vertex), the lag at which band
power and BOLD correlate most, the noise ceiling by region, and the EEG spectrum's alpha peak and
aperiodic (1/f) exponent. :data:`LITERATURE` holds the published values each one is checked
against, with its source; ``benchmarks/calibration.py`` measures every regime and writes the data
card's table.

Introduced in notebook 02.
"""

from __future__ import annotations

import numpy as np

#: Statistic → (low, high) range the default regime must fall in, and the evidence behind it. Ranges
#: marked "course target" are not published figures: the studies report maps of significance, not
#: correlation coefficients; they say why the range was chosen.
LITERATURE: dict[str, dict] = {
    "alpha_bold_r_roi": {
        "range": (-0.5, -0.1),
        "published": "negative in occipital cortex, in some subjects only (3 of 7 in Goncalves et al. 2006)",
        "source": "Goldman et al. 2002 Neuroreport 13:2487; Laufs et al. 2003 PNAS 100:11053; Goncalves et al. "
                  "2006 NeuroImage 30:203",
        "note": "course target: the studies give significance maps, not r; a weak-to-moderate negative r",
    },
    "alpha_bold_r_vertex": {
        "range": (-0.4, -0.05),
        "published": "as for the region, weaker per voxel",
        "source": "as above",
        "note": "course target: weaker than the region mean, which averages the noise of its vertices",
    },
    "alpha_bold_lag_s": {
        "range": (3.0, 9.0),
        "published": "deoxy-haemoglobin (NIRS) follows alpha power with a peak at a shift of about 8 s; the BOLD "
                     "peaks about 5 s after a stimulus",
        "source": "Moosmann et al. 2003 NeuroImage 20:145; Huettel & McCarthy 2000 NeuroImage 11:547",
        "note": "",
    },
    "gamma_bold_r_roi": {
        "range": (0.0, 0.4),
        "published": "positive (60–80 Hz), independent of alpha and beta; scalp gamma is hard to recover inside "
                     "the scanner (SNR < 0.3 above 30 Hz after gradient correction)",
        "source": "Scheeringa et al. 2011 Neuron 69:572; Ryali et al. 2009 NeuroImage 48:348",
        "note": "course target: positive and weaker than alpha's",
    },
    "noise_ceiling_roi": {
        "range": (0.45, 0.85),
        "published": "movie viewing: inter-subject correlation ≈ 0.3 per pair in V1 (0.87 averaged over subjects); "
                     "0.5 in medial fusiform, 0.2 in dorsal medial prefrontal cortex",
        "source": "Schmälzle et al. 2017 bioRxiv 158188; Hasson et al. 2004 Science 303:1634",
        "note": "a pairwise ISC of ρ² means a stimulus-locked ceiling of ≈ ρ (√0.3 ≈ 0.55 in V1); spontaneous "
                "activity adds signal a single subject's ceiling keeps, so the ceiling may lie above",
    },
    "noise_ceiling_median": {
        "range": (0.3, 0.75),
        "published": "lower outside sensory cortex (ISC 0.2 in dorsal medial prefrontal cortex)",
        "source": "Hasson et al. 2004 Science 303:1634",
        "note": "course target: below early visual cortex's",
    },
    "alpha_peak_hz": {
        "range": (8.5, 12.0),
        "published": "10.3 Hz on average in adults (MEG, n = 51); about 11 Hz at age 20",
        "source": "Haegens et al. 2014 NeuroImage 92:46; Doppelmayr et al. 1998 Biol Cybern 79:49",
        "note": "",
    },
    "aperiodic_exponent": {
        "range": (0.5, 2.5),
        "published": "a 1/f^χ background whose exponent χ varies with age and state (smaller in older adults)",
        "source": "Donoghue et al. 2020 Nat Neurosci 23:1655; Merkin et al. 2023 Neurobiol Aging",
        "note": "course target: no range was verified; 1/f (χ = 1) to 1/f² bracket what these papers plot",
    },
}


def _posterior_channels(raw, fraction: float = 0.12) -> list[int]:
    """Indices of the most posterior EEG channels (smallest y), at least 3."""
    import mne

    picks = mne.pick_types(raw.info, eeg=True, exclude="bads")
    y = np.array([raw.info["chs"][p]["loc"][1] for p in picks])
    if not np.isfinite(y).all() or np.ptp(y) == 0:
        raise ValueError("the recording's EEG channels have no positions; set a montage first "
                         "(raw.set_montage('standard_1020'))")
    n = max(3, round(fraction * len(picks)))
    return [int(p) for p in picks[np.argsort(y)[:n]]]


def calibration_statistics(recording, roi: str = "early_visual") -> dict[str, float]:
    """The statistics of :data:`LITERATURE`, measured on one recording.

    Parameters
    ----------
    recording : Recording
        A recording with EEG channel positions and a cortical mesh; the noise-ceiling statistics need
        ground truth (a simulated recording) and are NaN without it.
    roi : str
        The region whose BOLD the band power is correlated with (a key of ``mesh.rois``).

    Returns
    -------
    dict of str to float
        ``alpha_bold_r_roi`` / ``gamma_bold_r_roi``: correlation of the posterior channels' mean log
        band power, HRF-convolved, with the region's mean BOLD over valid volumes;
        ``alpha_bold_r_vertex`` / ``gamma_bold_r_vertex``: the median over the region's vertices of the
        same correlation per vertex; ``alpha_bold_lag_s``: the lag (0–12 s) at which alpha power (averaged
        per volume, not convolved) correlates most negatively with the region's BOLD;
        ``noise_ceiling_roi`` / ``noise_ceiling_median``: the median noise ceiling in the region and over
        the cortex; ``alpha_peak_hz``: the frequency in 7–14 Hz where the posterior channels' spectrum
        stands highest above its aperiodic fit;
        ``aperiodic_exponent``: minus the slope of log power against log frequency over 2–40 Hz, alpha
        and beta (7–30 Hz) left out.
    """
    import mne

    from neuroframes_edu.features import band_power_series, hrf_convolve, lagged_correlation
    from neuroframes_edu.metrics import temporal_r

    mesh = recording.load_mesh()
    rois = mesh.rois
    if roi not in rois:
        raise ValueError(f"roi must be one of {sorted(rois)}, got {roi!r}")
    in_roi = rois[roi]
    posterior = _posterior_channels(recording.raw)
    data = recording.raw.get_data(picks=posterior)
    sfreq = recording.raw.info["sfreq"]
    series = band_power_series(data, sfreq=sfreq, bands={"alpha": (8.0, 13.0), "gamma": (30.0, 45.0)})
    convolved = hrf_convolve(series)
    valid = recording.valid
    times = recording.volume_times[valid]
    bold = np.asarray(recording.bold[valid], dtype=float)
    roi_bold = bold[:, in_roi].mean(axis=1)
    out = {}
    for b, band in enumerate(("alpha", "gamma")):
        regressor = np.interp(times, convolved.times, convolved.power[b].mean(axis=0))
        out[f"{band}_bold_r_roi"] = float(np.corrcoef(regressor, roi_bold)[0, 1])
        per_vertex = temporal_r(np.repeat(regressor[:, None], int(in_roi.sum()), axis=1), bold[:, in_roi])
        out[f"{band}_bold_r_vertex"] = float(np.median(per_vertex))
    # the lag: alpha power averaged over each TR, correlated with the BOLD read later
    tr = float(np.median(np.diff(recording.volume_times)))
    per_tr = max(1, round(tr * series.rate))
    n = len(series.times) // per_tr
    alpha = series.power[0].mean(axis=0)[: n * per_tr].reshape(n, per_tr).mean(axis=1)
    alpha_times = series.times[: n * per_tr].reshape(n, per_tr).mean(axis=1)
    lags = np.arange(0.0, 12.0 + 1e-9, tr / 2)
    r = lagged_correlation(alpha, alpha_times, roi_bold, times, lags)
    out["alpha_bold_lag_s"] = float(lags[np.argmin(r)])
    truth = getattr(recording, "truth", None)
    ceiling = np.asarray(truth.noise_ceiling, dtype=float) if truth is not None else None
    out["noise_ceiling_roi"] = float(np.median(ceiling[in_roi])) if ceiling is not None else float("nan")
    out["noise_ceiling_median"] = float(np.median(ceiling)) if ceiling is not None else float("nan")
    # the spectrum of the posterior channels (Welch, 4 s windows)
    psd, freqs = mne.time_frequency.psd_array_welch(data, sfreq, fmin=1.0, fmax=45.0, n_fft=int(4 * sfreq),
                                                    verbose=False)
    log_psd, log_f = np.log10(psd.mean(axis=0)), np.log10(freqs)
    fit = (freqs >= 2) & (freqs <= 40) & ~((freqs >= 7) & (freqs <= 30))
    slope, offset = np.polyfit(log_f[fit], log_psd[fit], 1)
    out["aperiodic_exponent"] = float(-slope)
    # the alpha peak stands above the 1/f background: the largest excess over the aperiodic fit
    alpha_band = (freqs >= 7) & (freqs <= 14)
    excess = log_psd - (offset + slope * log_f)
    out["alpha_peak_hz"] = float(freqs[alpha_band][np.argmax(excess[alpha_band])])
    return out
