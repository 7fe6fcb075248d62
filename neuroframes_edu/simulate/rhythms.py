"""EEG rhythms and how activity modulates them: the δ θ α β γ bands of the simulated sources.

Each band in :data:`BANDS` has a relative source amplitude and a gain by which a component's activity
scales its log-amplitude, so that alpha and beta power fall and gamma power rises where BOLD rises
(Goldman 2002; Laufs 2003; Scheeringa 2011); :data:`NETWORK_BAND_AMPLITUDE` gives the networks that
carry a dominant rhythm (posterior alpha, somatomotor beta) their own amplitude, and
:data:`SPONTANEOUS_EEG_WEIGHT` weighs the spontaneous modes. The band-limited carriers (MNE FIR
filters) and the 1/f background are generated here too.

Introduced in notebook 02.
"""

from __future__ import annotations

import numpy as np

#: EEG bands (Hz) with relative source amplitude and the gain by which activity scales log-amplitude:
#: alpha and beta power fall where BOLD rises, gamma power rises (Goldman 2002; Laufs 2003;
#: Scheeringa 2011); delta and theta are left nearly uncoupled.
BANDS: dict[str, tuple[float, float, float, float]] = {
    #          low, high, amplitude, gain
    "delta": (1.0, 4.0, 1.0, 0.0),
    "theta": (4.0, 8.0, 0.7, 0.1),
    "alpha": (8.0, 13.0, 1.2, -0.6),
    "beta": (13.0, 30.0, 0.5, -0.4),
    "gamma": (30.0, 45.0, 0.3, 0.8),
}
#: Band amplitudes that differ from BANDS for a network: posterior alpha is the dominant rhythm of the
#: awake EEG, and the visual network carries it.
NETWORK_BAND_AMPLITUDE = {("visual", "alpha"): 4.0, ("somatomotor", "beta"): 1.5}
#: EEG weight of the spontaneous modes relative to the networks.
SPONTANEOUS_EEG_WEIGHT = 0.5


#: Mean and standard deviation (Hz) of the individual alpha peak frequency across subjects, clipped to
#: 9–11.5 Hz (10.3 Hz on average in adults: Haegens et al. 2014).
ALPHA_PEAK = (10.3, 0.5)
#: Half-width (Hz) of the alpha rhythm around a subject's peak.
ALPHA_HALF_WIDTH = 1.5


def _band_carriers(n_series: int, n_samples: int, sfreq: float, rng: np.random.Generator,
                   alpha_peak: float | None = None) -> dict[str, np.ndarray]:
    """Unit-variance band-limited noise for each band, filtered with MNE's FIR filters; the alpha
    carrier is narrower, ±:data:`ALPHA_HALF_WIDTH` Hz around ``alpha_peak`` when given, so the
    spectrum has a peak there as recorded EEG does."""
    import mne

    out = {}
    for band, (lo, hi, _, _) in BANDS.items():
        if band == "alpha" and alpha_peak is not None:
            lo, hi = alpha_peak - ALPHA_HALF_WIDTH, alpha_peak + ALPHA_HALF_WIDTH
        white = rng.standard_normal((n_series, n_samples))
        with mne.utils.use_log_level("error"):
            x = mne.filter.filter_data(white, sfreq, lo, min(hi, 0.45 * sfreq), method="fir", phase="zero",
                                       fir_design="firwin", n_jobs=None, verbose=False)
        out[band] = x / x.std(axis=1, keepdims=True)
    return out


def _pink_noise(n_series: int, n_samples: int, sfreq: float, rng: np.random.Generator) -> np.ndarray:
    """1/f noise (power ∝ 1/f above 1 Hz), unit variance, shape (n_series, n_samples)."""
    spectrum = rng.standard_normal((n_series, n_samples // 2 + 1)) + 1j * rng.standard_normal(
        (n_series, n_samples // 2 + 1))
    freqs = np.fft.rfftfreq(n_samples, 1 / sfreq)
    spectrum /= np.sqrt(np.maximum(freqs, 1.0))
    spectrum[:, 0] = 0
    x = np.fft.irfft(spectrum, n=n_samples, axis=1)
    return x / x.std(axis=1, keepdims=True)
