"""EEG band features: band-limited power per channel, aligned to fMRI frames.

Power in the classic bands (δ θ α β γ) is the EEG quantity that tracks BOLD best in simultaneous
recordings: alpha and beta power fall where BOLD rises, gamma power rises (Goldman 2002; Laufs 2003;
Scheeringa 2011). Here it is computed with MNE's FIR band-pass filters at the recording's own
sampling rate, squared Hilbert envelopes, log-scaled, and averaged in short bins; it can then be
convolved with the haemodynamic response so that it lines up with BOLD (the "EEG fingerprint"
regressors of EEG-informed fMRI).

Introduced in notebook 03.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from neuroframes_edu._utils.validation import check_array, check_number, check_times

#: Default bands in Hz (upper gamma edge kept at 45 Hz, below line noise).
BANDS: dict[str, tuple[float, float]] = {
    "delta": (1.0, 4.0),
    "theta": (4.0, 8.0),
    "alpha": (8.0, 13.0),
    "beta": (13.0, 30.0),
    "gamma": (30.0, 45.0),
}


@dataclass
class BandPowerSeries:
    """Log band power of every channel on a regular time grid.

    Attributes
    ----------
    power : ndarray, shape (n_bands, n_channels, n_steps)
        Natural log of the mean squared envelope in each bin.
    times : ndarray, shape (n_steps,)
        Centre of each bin in seconds from the start of the recording.
    rate : float
        Bins per second.
    bands : dict
        Band name → (low, high) Hz.
    ch_names : list of str
    """

    power: np.ndarray
    times: np.ndarray
    rate: float
    bands: dict
    ch_names: list

    def __post_init__(self):
        from neuroframes_edu._utils.validation import check_array, check_number

        check_number(self.rate, "rate (bins per second)", minimum=0, include_minimum=False)
        power = check_array(self.power, "power", ndim=3, finite=False, axes="(n_bands, n_channels, n_bins)")
        if np.shape(self.times) != (power.shape[2],):
            raise ValueError(f"times has shape {np.shape(self.times)} but power has {power.shape[2]} bins; give one "
                             "time per bin")


def _as_data(eeg, sfreq):
    """(data, sfreq, ch_names) from an ``mne.io.Raw`` or an array with an explicit ``sfreq``."""
    if hasattr(eeg, "get_data") and hasattr(eeg, "info"):
        import mne

        if sfreq is not None and float(sfreq) != float(eeg.info["sfreq"]):
            raise ValueError(f"sfreq={sfreq} disagrees with the recording's own rate {eeg.info['sfreq']} Hz; "
                             "leave sfreq=None when passing an mne.io.Raw")
        picks = mne.pick_types(eeg.info, eeg=True)
        return eeg.get_data(picks=picks), float(eeg.info["sfreq"]), [eeg.ch_names[i] for i in picks]
    from neuroframes_edu._utils.validation import check_array, check_number

    if sfreq is None:
        raise ValueError("sfreq is required when eeg is an array; pass the sampling rate in Hz (e.g. sfreq=250.0)")
    sfreq = check_number(sfreq, "sfreq", minimum=0, include_minimum=False)
    data = check_array(eeg, "eeg", ndim=2, finite=False, axes="(n_channels, n_samples)")
    if data.shape[0] > data.shape[1]:
        raise ValueError(f"eeg has shape {data.shape}: more channels than samples, so it is probably (n_samples, "
                         "n_channels); pass eeg.T, shaped (n_channels, n_samples) as in MNE")
    return data, sfreq, [f"EEG{i:03d}" for i in range(data.shape[0])]


def check_bands(bands, sfreq: float | None = None) -> dict[str, tuple[float, float]]:
    """Frequency bands as a ``{name: (low, high)}`` dictionary of floats, checked.

    Parameters
    ----------
    bands : dict or sequence of str
        Band name → (low, high) Hz (any names, e.g. ``{"high_gamma": (45, 70)}``), or names of
        :data:`BANDS`.
    sfreq : float, optional
        The EEG's sampling rate: every band must end below its Nyquist frequency.

    Raises
    ------
    ValueError
        An empty set, an unknown band name, edges that are not ``0 < low < high``, or a band above Nyquist.
    """
    if sfreq is not None:
        from neuroframes_edu._utils.validation import check_number

        sfreq = check_number(sfreq, "sfreq", minimum=0, include_minimum=False)
    if isinstance(bands, str):
        bands = (bands,)
    if not isinstance(bands, dict):
        unknown = [b for b in bands if b not in BANDS]
        if unknown:
            raise ValueError(f"bands: {unknown} are not among the named bands {tuple(BANDS)}; give custom bands by "
                             "their edges, e.g. bands={'high_gamma': (45, 70)}")
        bands = {b: BANDS[b] for b in bands}
    if not bands:
        raise ValueError("bands must name at least one band, e.g. {'alpha': (8, 13)}")
    out = {}
    for name, edges in bands.items():
        try:
            lo, hi = (float(e) for e in edges)
        except (TypeError, ValueError):
            raise ValueError(f"band {name!r} must be a (low, high) pair in Hz, got {edges!r}") from None
        if not 0 < lo < hi:
            raise ValueError(f"band {name!r} must satisfy 0 < low < high, got ({lo}, {hi})")
        if sfreq is not None and hi >= sfreq / 2:
            raise ValueError(f"band {name!r} reaches {hi} Hz but the EEG is sampled at {sfreq} Hz (Nyquist "
                             f"{sfreq / 2} Hz); lower the band or use a higher-rate recording")
        out[str(name)] = (lo, hi)
    return out


def _bins(n_samples: int, sfreq: float, rate: float) -> tuple[int, int]:
    """Samples per bin and whole bins of a recording binned at ``rate`` bins per second, checked."""
    from neuroframes_edu._utils.validation import check_number

    rate = check_number(rate, "rate")
    if rate <= 0 or rate > sfreq / 2:
        raise ValueError(f"rate must be in (0, sfreq/2 = {sfreq / 2}] bins per second, got {rate}")
    per_bin = int(round(sfreq / rate))
    n_bins = n_samples // per_bin
    if n_bins < 1:
        raise ValueError(f"the recording ({n_samples} samples) is shorter than one bin ({per_bin} samples)")
    return per_bin, n_bins


def _hilbert_imag(x: np.ndarray, n_fft: int | None = None) -> np.ndarray:
    """The Hilbert transform of each row: ``scipy.signal.hilbert(x, N=n_fft, axis=-1).imag``, by one real
    FFT and one inverse real FFT (half the work of the complex pair that ``hilbert`` does, which also
    returns the real part, ``x`` itself). The analytic signal is ``x + 1j * _hilbert_imag(x)`` and its
    squared envelope ``x**2 + _hilbert_imag(x)**2``.

    Parameters
    ----------
    x : ndarray, shape (..., n_samples)
        Real rows.
    n_fft : int, optional
        Transform length (at least ``n_samples``; the rows are zero-padded to it, as ``hilbert``'s ``N``);
        default ``n_samples``.

    Returns
    -------
    ndarray, shape (..., n_samples)
        Equal to ``hilbert``'s imaginary part to rounding (about 1e-15 of the rows' scale).
    """
    from scipy import fft

    from neuroframes_edu._utils.parallel import fft_threads

    n = x.shape[-1]
    n_fft = n if n_fft is None else int(n_fft)
    if n_fft < n:
        raise ValueError(f"n_fft={n_fft} is shorter than the rows ({n} samples); pass n_fft >= {n}, or None for "
                         "the rows' length")
    with fft_threads():  # the rows' transforms in parallel: the same numbers, sooner
        spectrum = fft.rfft(x, n_fft, axis=-1)
        spectrum *= -1j  # -i sign(f): positive frequencies only in a one-sided spectrum
        spectrum[..., 0] = 0  # sign(0) = 0, and the Nyquist bin of an even length is its own mirror
        if n_fft % 2 == 0:
            spectrum[..., -1] = 0
        return fft.irfft(spectrum, n_fft, axis=-1)[..., :n]


def _log_binned_power(rows: np.ndarray, per_bin: int) -> np.ndarray:
    """Natural log of the mean squared Hilbert envelope of each (band-passed) row in consecutive bins of
    ``per_bin`` samples (a trailing partial bin is dropped): the band power of :func:`band_power_series`,
    and of every source in the simulator. Shape ``(n_rows, n_samples // per_bin)``."""
    n_bins = rows.shape[1] // per_bin
    envelope = rows ** 2 + _hilbert_imag(rows) ** 2  # |scipy.signal.hilbert(rows)|²
    return np.log(envelope[:, : n_bins * per_bin].reshape(len(rows), n_bins, per_bin).mean(axis=2) + 1e-30)


def band_power_series(eeg, sfreq: float | None = None, bands: dict | None = None,
                      rate: float = 10.0) -> BandPowerSeries:
    """Log band power of each channel, averaged in bins of ``1 / rate`` seconds.

    Parameters
    ----------
    eeg : mne.io.Raw or ndarray, shape (n_channels, n_samples)
        The recording. Filters are designed for its own sampling rate, never a hard-coded one.
    sfreq : float, optional
        Sampling rate in Hz; required for arrays, taken from ``raw.info`` otherwise.
    bands : dict, optional
        Band name → (low, high) Hz; default :data:`BANDS`.
    rate : float
        Output bins per second (default 10 Hz: fine enough for any fMRI frame rate).

    Returns
    -------
    BandPowerSeries

    Notes
    -----
    Results for long recordings are kept in an on-disk cache keyed by the samples, the parameters and
    this module's code, so a later call on the same recording (another notebook, say) returns the same
    arrays at once; ``NEUROFRAMES_EDU_FEATURE_CACHE=0`` turns it off
    (:mod:`neuroframes_edu._utils.feature_cache`).

    Raises
    ------
    ValueError
        Wrong shape, a band above Nyquist, NaN or infinite samples, or a recording shorter than a bin.
    """
    import mne

    data, sfreq, ch_names = _as_data(eeg, sfreq)
    bands = check_bands(BANDS if bands is None else bands, sfreq)
    if not np.isfinite(data).all():
        raise ValueError(f"eeg contains {int((~np.isfinite(data)).sum())} NaN or infinite samples; interpolate "
                         "bad segments (e.g. raw.interpolate_bads()) or drop them first")
    per_bin, n_steps = _bins(data.shape[1], sfreq, rate)

    def compute():
        power = np.empty((len(bands), data.shape[0], n_steps))
        for b, (lo, hi) in enumerate(bands.values()):
            filtered = mne.filter.filter_data(data, sfreq, lo, hi, method="fir", phase="zero", fir_design="firwin",
                                              verbose=False)
            power[b] = _log_binned_power(filtered, per_bin)
        return {"power": power}

    from neuroframes_edu._utils.feature_cache import cached

    # the same recording's band power is read by several notebooks: computed once, then from the cache
    power = cached("band_power", [data], {"sfreq": sfreq, "bands": bands, "per_bin": per_bin, "mne": mne.__version__},
                   "neuroframes_edu.features", compute)["power"]
    times = (np.arange(n_steps) + 0.5) * per_bin / sfreq
    return BandPowerSeries(power=power, times=times, rate=sfreq / per_bin, bands=bands, ch_names=ch_names)


def glover_kernel(rate: float, time_length: float = 32.0) -> np.ndarray:
    """The convolution kernel of the EEG-informed regressors: nilearn's Glover HRF for a series of
    ``rate`` bins per second over ``time_length`` seconds, scaled to unit area (``h.sum() / rate == 1``).
    It is the kernel of :func:`hrf_convolve` and of its differentiable twin
    :func:`neuroframes_edu.nn.hrf_regressors`. (The simulator's own, shifted and stretched kernel is
    :func:`neuroframes_edu.simulate.hrf_kernel`, which takes the sampling *interval*.)

    Returns
    -------
    ndarray, shape (round(time_length · rate),)
        ``h[0]`` at lag 0, where the HRF is 0; nilearn spreads the samples over ``time_length`` seconds
        (a step of ``time_length / (n − 1)``, within 0.3% of ``1 / rate`` at 10 Hz).
    """
    from nilearn.glm.first_level.hemodynamic_models import glover_hrf

    rate = check_number(rate, "rate (bins per second)", minimum=0, include_minimum=False)
    time_length = check_number(time_length, "time_length", minimum=0, include_minimum=False)
    if time_length * rate < 2:
        raise ValueError(f"time_length × rate = {time_length * rate:g} leaves fewer than 2 samples of the HRF; use a "
                         "rate of at least 2 / time_length bins per second")
    h = glover_hrf(t_r=1.0 / rate, oversampling=1, time_length=time_length)
    return h / (h.sum() / rate)


def hrf_convolve(series: BandPowerSeries) -> BandPowerSeries:
    """Convolve band power with nilearn's Glover HRF (causally), so that it lines up with BOLD.

    Each channel and band is centred first, so the output is the haemodynamic prediction of the
    band's fluctuations (the classic EEG-informed fMRI regressor).
    """
    from neuroframes_edu._utils.validation import check_type

    check_type(series, BandPowerSeries, "series", hint="compute it with band_power_series(eeg, sfreq=...)")
    from scipy.signal import fftconvolve

    from neuroframes_edu._utils.parallel import fft_threads

    dt = 1.0 / series.rate
    h = glover_kernel(series.rate)
    centred = series.power - series.power.mean(axis=2, keepdims=True)
    with fft_threads():  # every series at once, in parallel: the same numbers, sooner
        conv = dt * fftconvolve(centred, h[None, None, :], mode="full", axes=2)[..., : centred.shape[2]]
    return BandPowerSeries(power=conv, times=series.times, rate=series.rate, bands=series.bands,
                           ch_names=series.ch_names)


def band_power(eeg, frame_times, sfreq: float | None = None, bands: dict | None = None, window: float = 0.8,
               hrf: bool = False, standardize: bool = True, rate: float = 10.0,
               series: BandPowerSeries | None = None) -> np.ndarray:
    """Band power per channel at each fMRI frame.

    Parameters
    ----------
    eeg : mne.io.Raw or ndarray, shape (n_channels, n_samples)
    frame_times : array-like, shape (n_frames,)
        Seconds from the start of the recording; any spacing (irregular sampling is fine).
    sfreq : float, optional
        Required for arrays.
    bands : dict, optional
        Default :data:`BANDS`.
    window : float
        Without ``hrf``: average the log power over ``[t − window, t]`` before each frame.
    hrf : bool
        Convolve with the haemodynamic response first, then sample at the frame times: the
        features then line up with BOLD, lag included.
    standardize : bool
        z-score each (channel, band) feature across the frames.
    rate : float
        Internal bin rate (Hz).
    series : BandPowerSeries, optional
        Band power already computed by :func:`band_power_series` for this recording; pass it (with
        ``eeg=None``) to sample it at several sets of frame times without filtering again.

    Returns
    -------
    ndarray, shape (n_frames, n_channels, n_bands)

    Raises
    ------
    ValueError
        Frame times outside the recording, empty, or any error of :func:`band_power_series`.

    Examples
    --------
    >>> import numpy as np
    >>> eeg = np.random.default_rng(0).standard_normal((4, 2500))
    >>> band_power(eeg, [2.0, 5.0, 9.0], sfreq=250.0).shape
    (3, 4, 5)
    """
    frame_times = check_array(frame_times, "frame_times", ndim=1, axes="(n_frames,) of seconds")
    if frame_times.size == 0:
        raise ValueError("frame_times is empty; give at least one frame time in seconds")
    if series is None:
        series = band_power_series(eeg, sfreq=sfreq, bands=bands, rate=rate)
    elif eeg is not None:
        raise ValueError("pass either eeg or a precomputed series, not both")
    duration = series.times[-1] + 0.5 / series.rate
    if frame_times.min() < 0 or frame_times.max() > duration + 1e-9:
        raise ValueError(f"frame_times span {frame_times.min():.2f}–{frame_times.max():.2f} s but the EEG covers "
                         f"0–{duration:.2f} s; align the frames to the EEG first (io.volume_times_from_annotations)")
    if hrf:
        series = hrf_convolve(series)
        flat = series.power.reshape(-1, series.power.shape[2])
        out = np.stack([np.interp(frame_times, series.times, row) for row in flat], axis=1)
    else:
        check_number(window, "window", minimum=0, include_minimum=False)
        cumsum = np.concatenate([np.zeros((*series.power.shape[:2], 1)), np.cumsum(series.power, axis=2)], axis=2)
        stop = np.clip(np.floor(frame_times * series.rate).astype(int), 1, series.power.shape[2])
        start = np.clip(stop - max(int(round(window * series.rate)), 1), 0, None)
        out = ((cumsum[..., stop] - cumsum[..., start]) / (stop - start)).reshape(-1, len(frame_times)).T
    n_bands, n_channels = series.power.shape[:2]
    out = out.reshape(len(frame_times), n_bands, n_channels).transpose(0, 2, 1)
    if standardize:
        from neuroframes_edu.metrics import zscore

        if len(frame_times) < 2:
            raise ValueError("standardize=True z-scores each feature over the frames, which needs at least 2 frame "
                             "times (one frame would give all zeros); pass standardize=False for a single frame")
        out = zscore(out)
    return out


def lagged_correlation(feature, feature_times, target, target_times, lags) -> np.ndarray:
    """Pearson correlation of a feature with a target time course, the target read ``lag`` seconds later.

    ``r[k] = corr(feature(t), target(t + lags[k]))`` over the feature's times whose shifted time falls
    inside the target's span (the target is linearly interpolated there). A positive peak lag means the
    target follows the feature — the haemodynamic delay, for band power against BOLD.

    Parameters
    ----------
    feature : array-like, shape (n_times,)
    feature_times : array-like, shape (n_times,)
        Seconds.
    target : array-like, shape (n_target,)
    target_times : array-like, shape (n_target,)
        Seconds, increasing.
    lags : array-like, shape (n_lags,)
        Seconds.

    Returns
    -------
    ndarray, shape (n_lags,)
    """
    x, tx = (check_array(v, name, ndim=1, axes="(n_times,)") for v, name in ((feature, "feature"),
                                                                             (feature_times, "feature_times")))
    y = check_array(target, "target", ndim=1, axes="(n_target,)")
    ty = check_times(target_times, "target_times")
    if x.shape != tx.shape:
        raise ValueError(f"feature {x.shape} and feature_times {tx.shape} must be equally long (one time per value)")
    if y.shape != ty.shape:
        raise ValueError(f"target {y.shape} and target_times {ty.shape} must be equally long (one time per value)")
    out = []
    for lag in check_array(lags, "lags", ndim=1, axes="(n_lags,) of seconds"):
        inside = (tx + lag >= ty[0]) & (tx + lag <= ty[-1])
        if inside.sum() < 3:
            raise ValueError(f"lag {lag} s leaves fewer than 3 overlapping samples; use smaller lags")
        a, b = x[inside], np.interp(tx[inside] + lag, ty, y)
        for name, series in (("feature", a), ("target", b)):
            if np.ptp(series) == 0:
                raise ValueError(f"{name} is constant over the samples that lag {lag:g} s overlaps, so its "
                                 "correlation is undefined; check that it varies")
        out.append(np.corrcoef(a, b)[0, 1])
    return np.array(out)
