"""Noise-aware temporal smoothing of BOLD: estimate the measurement noise, and complete frames with a
temporal Gaussian process instead of keeping every noisy measurement exactly.

Measured BOLD is the signal plus noise. Interpolation and exact null-space completion
(:func:`neuroframes_edu.nullspace.complete_frames`) reproduce every measured frame, noise included, and
draw straight lines between them. A stationary Gaussian process (GP) over time knows, from training
recordings, how the signal's covariance falls off with the time between two frames and how much of the
variance is white measurement noise, so its posterior mean weighs each measurement by how much it can be
trusted and carries information over several volumes. It is the optimal linear smoother (Kalman /
Wiener) for that covariance.

* :func:`estimate_noise_variance` — the white-noise variance of a series, from the data alone.
* :class:`TemporalGP` — fit the temporal covariance on training recordings (per vertex with a shared
  shape, or on a low-rank spatial basis plus a per-vertex residual), then complete missing frames,
  smooth measured ones, or query frames between volumes (sub-TR super-resolution); an EEG prediction
  (e.g. ridge) can be the prior mean, the GP then models what it misses.

Errors and variances are in the units of the series (the course z-scores BOLD per vertex).

Scored beside interpolation and null-space completion in :mod:`neuroframes_edu.evaluation` (its
results in notebook 07); ``python -m benchmarks.completion`` compares it with interpolation, exact and
noise-aware null-space completion on the default data.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Correlation shapes a kernel term may take, each as a function of ``r = |τ| / length``.
SHAPES = {
    "exponential": lambda r: np.exp(-r),
    "matern32": lambda r: (1 + np.sqrt(3) * r) * np.exp(-np.sqrt(3) * r),
    "matern52": lambda r: (1 + np.sqrt(5) * r + 5 * r**2 / 3) * np.exp(-np.sqrt(5) * r),
    "squared_exponential": lambda r: np.exp(-0.5 * r**2),
}


def _as_series(frames, name: str) -> np.ndarray:
    x = np.asarray(frames, dtype=float)
    if x.ndim == 1:
        x = x[:, None]
    if x.ndim != 2 or x.shape[0] < 2 or x.shape[1] == 0:
        raise ValueError(f"{name} must be shaped (n_frames, n_vertices) with at least 2 frames, got {x.shape}")
    return x


def _as_times(times, n: int, name: str = "times") -> np.ndarray:
    if times is None:
        return np.arange(n, dtype=float)
    t = np.asarray(times, dtype=float)
    if t.shape != (n,):
        raise ValueError(f"{name} has shape {t.shape} but there are {n} frames; pass one time per frame")
    if not np.isfinite(t).all() or np.any(np.diff(t) <= 0):
        raise ValueError(f"{name} must be finite and strictly increasing (sort the frames by time)")
    return t


def _as_mask(mask, n: int, name: str) -> np.ndarray:
    if mask is None:
        return np.ones(n, dtype=bool)
    m = np.asarray(mask)
    if m.shape != (n,) or m.dtype != bool:
        raise ValueError(f"{name} must be a boolean array of shape ({n},) (True where a frame is measured), got "
                         f"{m.dtype} {m.shape}")
    return m


def autocovariance(frames, times=None, valid=None, max_lag: int = 10, bin_width: float | None = None):
    """Empirical autocovariance of every column of a series, binned by the time between frames.

    Frame pairs up to ``max_lag`` frames apart (both valid) are grouped by their time difference in
    bins of ``bin_width`` (bin 0 holds only the zero lag, so it alone contains the white noise), so
    jittered or irregular sampling is handled. Columns are centred on their valid frames' mean.

    Parameters
    ----------
    frames : array-like, shape (n_frames, n_columns)
    times : array-like, shape (n_frames,), optional
        Frame times (default 0, 1, 2, …).
    valid : array-like of bool, shape (n_frames,), optional
        Frames to use (default all); invalid ones may hold anything, NaN included.
    max_lag : int
        Largest lag in frames.
    bin_width : float, optional
        Width of the time bins (default the median frame spacing).

    Returns
    -------
    lags : ndarray, shape (n_bins,)
        Mean time difference of the pairs in each bin (0 for the first).
    cov : ndarray, shape (n_bins, n_columns)
    counts : ndarray, shape (n_bins,)
        Pairs in each bin (bins without pairs are dropped).
    """
    sums, counts, tau_sums = _binned_products(frames, times, valid, max_lag, bin_width)
    keep = counts > 0
    return tau_sums[keep] / counts[keep], sums[keep] / counts[keep][:, None], counts[keep]


def _binned_products(frames, times, valid, max_lag: int, bin_width: float | None):
    """Sums of lagged products per time bin ``0 … max_lag`` (pairs further apart are left out), their
    pair counts and summed time differences: additive over recordings."""
    x = np.asarray(frames, dtype=float)
    if x.ndim != 2:
        raise ValueError(f"frames must be (n_frames, n_columns), got shape {x.shape}")
    t = _as_times(times, len(x))
    ok = _as_mask(valid, len(x), "valid") & np.isfinite(x).all(axis=1)
    if ok.sum() < 2:
        raise ValueError("frames need at least 2 valid, finite frames to estimate an autocovariance")
    from neuroframes_edu._utils.validation import check_int, check_number

    max_lag = check_int(max_lag, "max_lag (frames)", minimum=1)
    width = float(np.median(np.diff(t))) if bin_width is None else check_number(
        bin_width, "bin_width", minimum=0, include_minimum=False)
    xc = np.where(ok[:, None], x - x[ok].mean(axis=0), 0.0)
    n_bins = max_lag + 1
    sums, counts, tau_sums = np.zeros((n_bins, x.shape[1])), np.zeros(n_bins), np.zeros(n_bins)
    for lag in range(min(max_lag, len(x) - 1) + 1):
        pair = ok[lag:] & ok[: len(x) - lag]
        dt = t[lag:] - t[: len(x) - lag]
        b = np.zeros(len(dt), dtype=int) if lag == 0 else np.maximum(np.rint(dt / width).astype(int), 1)
        pair &= b < n_bins
        if not pair.any():
            continue
        products = xc[lag:] * xc[: len(x) - lag]
        for value in np.unique(b[pair]):  # jitter spreads one lag over a bin or two, rarely more
            sel = pair & (b == value)
            sums[value] += products[sel].sum(axis=0)
            counts[value] += sel.sum()
            tau_sums[value] += dt[sel].sum()
    return sums, counts, tau_sums


def estimate_noise_variance(frames, times=None, valid=None, n_lags: int = 3, per_vertex: bool = True):
    """Variance of the white measurement noise in a series, from the data alone.

    A smooth signal's autocovariance ``c(τ)`` is continuous at ``τ = 0``; white noise adds to ``c(0)``
    only. So the signal variance is ``c(0)`` extrapolated from lags ``1 … n_lags`` — by a polynomial in
    ``τ²`` of degree ``n_lags − 1`` (a smooth stationary covariance is even in ``τ``), exact for the
    signal's first ``n_lags`` Taylor terms — and the noise variance is the jump ``c(0) − ĉ(0)``,
    clipped to ``[0, c(0)]``. Noise that is correlated in time (physiological drifts, aliased
    respiration) counts as signal here: no temporal method can tell them apart.

    Parameters
    ----------
    frames : array-like, shape (n_frames, n_vertices) or (n_frames,)
        E.g. BOLD z-scored per vertex.
    times : array-like, shape (n_frames,), optional
        Frame times (default 0, 1, 2, …); lags are measured in these units.
    valid : array-like of bool, shape (n_frames,), optional
        Frames that were measured (default all).
    n_lags : int
        Lags used for the extrapolation (1 to 5): more average out more estimation noise, fewer assume
        less about the signal's smoothness.
    per_vertex : bool
        Return one variance per vertex; otherwise their mean.

    Returns
    -------
    ndarray of shape (n_vertices,), or float

    Raises
    ------
    ValueError
        Bad shapes, fewer frames than ``n_lags + 2``, ``n_lags`` outside 1 … 5.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> t = np.arange(2000) * 0.8
    >>> signal = np.sin(2 * np.pi * t / 20)[:, None]
    >>> noisy = signal + rng.normal(0, 0.5, (2000, 1))
    >>> round(float(estimate_noise_variance(noisy, t)[0]), 2)
    0.25
    """
    x = _as_series(frames, "frames")
    from neuroframes_edu._utils.validation import check_int

    n_lags = check_int(n_lags, "n_lags (lags used to extrapolate to zero)", minimum=1, maximum=5)
    if len(x) < n_lags + 2:
        raise ValueError(f"frames has {len(x)} frames but n_lags={n_lags} needs at least {n_lags + 2}")
    lags, cov, _ = autocovariance(x, times, valid, max_lag=n_lags)
    if len(lags) < n_lags + 1:
        raise ValueError(f"only {len(lags) - 1} distinct non-zero lags among the valid frames; need {n_lags}")
    noise = _extrapolated_noise(lags, cov, n_lags)
    return noise if per_vertex else float(noise.mean())


def noise_aware_weights(series, residuals=None, times=None, valid=None, noise_ceiling=None) -> np.ndarray:
    """Per-vertex DDNM+ weights of measurements against a predictor, ``λ = σ_p² / (σ_p² + σ_n²)``,
    from training recordings alone.

    ``σ_n²`` is :func:`estimate_noise_variance` of the measurements (their white part, from the
    autocovariance), or, given the ``noise_ceiling`` ``r`` of every vertex (the correlation of a
    measured series with its noise-free signal, from repeated runs), ``1 − r²``: all of the noise of
    a z-scored series, the slow physiological part included, which the autocovariance mistakes for
    signal. ``σ_p²`` is the variance of the predictor's errors beyond that noise (of ``residuals``,
    measurements minus held-out predictions, less ``σ_n²``; without them the predictor is the mean, 0,
    and ``σ_p²`` the signal variance). Pass the result as ``lam`` to
    :func:`neuroframes_edu.nullspace.complete_known`.

    Parameters
    ----------
    series : list of ndarray, shape (n_frames, n_vertices)
        Measured (z-scored) training recordings.
    residuals : list of ndarray, optional
        The same recordings minus a predictor's out-of-sample predictions (in-sample ones shrink
        ``σ_p²`` and with it ``λ``).
    times, valid : list of array-like, optional
        Per recording, as for :func:`estimate_noise_variance`.
    noise_ceiling : array-like, shape (n_vertices,), optional
        Correlation of each vertex's measured series with its noise-free signal, in [-1, 1]; the
        series must then be z-scored per vertex (unit variance), so that ``1 − r²`` is the noise
        variance in their units.

    Returns
    -------
    ndarray, shape (n_vertices,)
        In [0, 1].

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> signal = np.cumsum(rng.standard_normal((2000, 3)), axis=0) * 0.05
    >>> measured = signal + rng.standard_normal((2000, 3))
    >>> z = (measured - measured.mean(0)) / measured.std(0)
    >>> r = np.array([np.corrcoef(measured[:, v], signal[:, v])[0, 1] for v in range(3)])
    >>> lam = noise_aware_weights([z], noise_ceiling=r)  # predictor: the mean, 0
    >>> bool(np.allclose(lam, r**2))  # the signal's share of the variance
    True
    """
    from neuroframes_edu.nullspace import noise_aware_lambda

    series = _as_list(series, "series")
    residuals = series if residuals is None else _as_list(residuals, "residuals", len(series))
    times, valid = _as_list(times, "times", len(series)), _as_list(valid, "valid", len(series))
    if noise_ceiling is None:
        noise = np.mean([estimate_noise_variance(x, t, valid=v) for x, t, v in zip(series, times, valid,
                                                                                   strict=True)], axis=0)
    else:
        from neuroframes_edu._utils.validation import check_array

        r = check_array(noise_ceiling, "noise_ceiling", ndim=1, axes="(n_vertices,)")
        n_v = np.asarray(series[0]).shape[-1]
        if r.shape != (n_v,):
            raise ValueError(f"noise_ceiling has {r.shape[0]} values but the series have {n_v} vertices; pass one "
                             "correlation per vertex")
        if (np.abs(r) > 1).any():
            raise ValueError(f"noise_ceiling must be correlations in [-1, 1], got values up to {np.abs(r).max():.3g}; "
                             "pass r, not r² or a percentage")
        noise = 1.0 - r**2
    spread = np.mean([np.asarray(r, dtype=float)[slice(None) if v is None else np.asarray(v, dtype=bool)].var(axis=0)
                      for r, v in zip(residuals, valid, strict=True)], axis=0)
    return noise_aware_lambda(np.clip(spread - noise, 0, None), noise)


def _extrapolated_noise(lags, cov, n_lags: int) -> np.ndarray:
    """``c(0) − ĉ(0)`` per column, ``ĉ(0)`` from a polynomial in ``τ²`` through lags ``1 … n_lags``."""
    tau2 = lags[1: n_lags + 1] ** 2
    design = np.vander(tau2 / tau2[0], n_lags, increasing=True)  # columns 1, τ², τ⁴, … (scaled)
    coef = np.linalg.lstsq(design, cov[1: n_lags + 1], rcond=None)[0]
    return np.clip(cov[0] - coef[0], 0.0, cov[0])


@dataclass(frozen=True)
class StationaryKernel:
    """A temporal covariance: a sum of correlation shapes plus a white-noise nugget.

    ``k(τ) = Σ_j amplitudes[j] · SHAPES[shapes[j]](|τ| / lengths[j])  +  nugget · [τ = 0]``

    Attributes
    ----------
    shapes : tuple of str
        Keys of :data:`SHAPES`.
    amplitudes, lengths : tuple of float
        Variance and length scale (in time units) of each term.
    nugget : float
        Variance of the white measurement noise.
    """

    shapes: tuple
    amplitudes: tuple
    lengths: tuple
    nugget: float

    def __post_init__(self):
        from neuroframes_edu._utils.validation import check_number, check_option

        for i, s in enumerate(self.shapes):
            check_option(s, tuple(SHAPES), f"shapes[{i}]")
        if not len(self.shapes) == len(self.amplitudes) == len(self.lengths):
            raise ValueError(f"shapes, amplitudes and lengths must have one entry per term, got "
                             f"{len(self.shapes)}, {len(self.amplitudes)} and {len(self.lengths)}")
        for name in ("amplitudes", "lengths"):
            for i, v in enumerate(getattr(self, name)):
                check_number(v, f"{name}[{i}]", minimum=0, include_minimum=name == "amplitudes")
        check_number(self.nugget, "nugget", minimum=0)

    @property
    def signal_variance(self) -> float:
        return float(sum(self.amplitudes))

    def signal(self, tau) -> np.ndarray:
        """Covariance of the noise-free signal at time differences ``tau`` (any shape)."""
        r = np.abs(np.asarray(tau, dtype=float))
        return sum(a * SHAPES[s](r / ell) for s, a, ell in zip(self.shapes, self.amplitudes, self.lengths,
                                                                strict=True))

    def correlation(self, tau) -> np.ndarray:
        """The signal's correlation ``k_signal(τ) / k_signal(0)``."""
        return self.signal(tau) / max(self.signal_variance, 1e-12)


#: The default kernel: a smooth term (the haemodynamic signal) and a rougher one.
DEFAULT_SHAPES = ("squared_exponential", "matern32")


def fit_kernel(lags, cov, counts=None, shapes=DEFAULT_SHAPES, scale: float = 1.0,
               min_nugget: float = 0.0) -> StationaryKernel:
    """Fit a :class:`StationaryKernel` to an empirical autocovariance (from :func:`autocovariance`).

    The signal terms are fitted by weighted least squares to the non-zero lags (weights: pair counts),
    in log-amplitudes and log-lengths from a fixed start (deterministic); the nugget is what the zero
    lag holds beyond the fitted signal variance.

    Parameters
    ----------
    lags : array-like, shape (n_bins,)
        Time differences; the first must be 0.
    cov : array-like, shape (n_bins,)
    counts : array-like, shape (n_bins,), optional
    shapes : tuple of str
        One entry of :data:`SHAPES` per term; the terms start at length scales spread geometrically
        between ``scale`` and ten times the largest lag over ten.
    scale : float
        Typical frame spacing (time units), where the shortest term starts.
    min_nugget : float
        Lower bound of the nugget (e.g. the white noise known to be there); the signal terms are scaled
        down to leave room for it. Without one, a fit that reaches ``c(0)`` would treat the series as
        noise-free and interpolate its noise.

    Returns
    -------
    StationaryKernel
    """
    from scipy.optimize import least_squares

    lags, cov = np.asarray(lags, dtype=float), np.asarray(cov, dtype=float)
    unknown = [s for s in shapes if s not in SHAPES]
    if unknown or not shapes:
        raise ValueError(f"shapes must be a non-empty tuple of {sorted(SHAPES)}, got {shapes!r}")
    if lags.ndim != 1 or cov.shape != lags.shape or len(lags) < 2 * len(shapes) + 1 or lags[0] != 0:
        raise ValueError(f"need lags (starting at 0) and cov of the same 1-D shape with at least "
                         f"{2 * len(shapes) + 1} bins, got {lags.shape} and {cov.shape}")
    if counts is not None and np.shape(counts) != lags.shape:
        raise ValueError(f"counts has shape {np.shape(counts)} but lags {lags.shape}; give one pair count per lag bin")
    w = np.sqrt(np.ones_like(lags) if counts is None else np.asarray(counts, dtype=float))[1:]
    tau, c = lags[1:], cov[1:]
    start_var = max(c[0], 1e-3 * max(cov[0], 1e-12)) / len(shapes)
    starts = np.geomspace(2 * scale, max(3 * scale, tau[-1] / 2), len(shapes))
    p0 = np.concatenate([np.full(len(shapes), np.log(start_var)), np.log(starts)])

    def model(p):
        amps, ells = np.exp(p[: len(shapes)]), np.exp(p[len(shapes):])
        return sum(a * SHAPES[s](tau / ell) for s, a, ell in zip(shapes, amps, ells, strict=True))

    # lengths below the frame spacing are not identifiable from the lags (such a term is white noise
    # at the sampled lags), and no term may hold more variance than the series itself
    top = max(float(cov[0]), float(np.abs(c).max()), 1e-12)
    lower = np.concatenate([np.full(len(shapes), np.log(1e-6 * top)), np.full(len(shapes), np.log(scale))])
    upper = np.concatenate([np.full(len(shapes), np.log(top)), np.full(len(shapes), np.log(100 * max(tau[-1],
                                                                                                      scale)))])
    p0 = np.clip(p0, lower + 1e-9, upper - 1e-9)
    fit = least_squares(lambda p: w * (model(p) - c), p0, bounds=(lower, upper), method="trf")
    amps, ells = np.exp(fit.x[: len(shapes)]), np.exp(fit.x[len(shapes):])
    nugget = min(max(float(cov[0] - amps.sum()), float(min_nugget), 1e-6 * max(float(cov[0]), 1e-12)),
                 float(cov[0]))
    room = max(float(cov[0]) - nugget, 1e-12)
    if amps.sum() > room:  # the signal cannot vary more than the series less its noise
        amps *= room / amps.sum()
    return StationaryKernel(tuple(shapes), tuple(float(a) for a in amps), tuple(float(e) for e in ells), nugget)


def _posterior_shared(corr_kk, corr_qk, y, signal_var: float, noise_var: float):
    """Posterior mean ``s ρ_qk (s ρ_kk + n I)⁻¹ y`` when every column has the same variances: one
    Cholesky factorisation (several times cheaper than an eigendecomposition)."""
    from scipy.linalg import cho_factor, cho_solve

    factor = cho_factor(signal_var * corr_kk + noise_var * np.eye(len(corr_kk)), lower=True)
    return signal_var * (corr_qk @ cho_solve(factor, y))


def _posterior(corr_kk, corr_qk, y, signal_var, noise_var):
    """Posterior mean ``s ρ_qk (s ρ_kk + n I)⁻¹ y`` for every column of ``y`` at once: one
    eigendecomposition of the shared correlation ``ρ_kk``, then a diagonal per column (its own signal
    variance ``s`` and noise variance ``n``)."""
    evals, evecs = np.linalg.eigh(corr_kk)
    evals = np.clip(evals, 0.0, None)
    z = evecs.T @ y  # (n_known, V)
    z *= signal_var / (signal_var * evals[:, None] + noise_var)
    return (corr_qk @ evecs) @ z


class TemporalGP:
    """A stationary temporal Gaussian-process smoother for frame sequences (the GP/Kalman baseline).

    ``fit`` learns, from training recordings, the temporal covariance of the series; ``predict`` gives
    the posterior mean at any times from the frames measured at some of them. Measured frames are
    *smoothed* (weighted by their estimated noise), not kept exactly; compose with
    :func:`neuroframes_edu.nullspace.complete_known` (``lam=1``) to keep them.

    * ``rank=None``: every vertex is a GP with the same correlation shape ``ρ(τ)`` (fitted on the
      autocovariance pooled over vertices) and its own signal and noise variances (fitted on its own
      autocovariance), so one eigendecomposition serves all vertices.
    * ``rank=k``: the top ``k`` principal components of the training frames (spatial maps) each get a
      kernel of their own; what they leave is the per-vertex model above. Smooth, spatially extended
      signal is then shared across vertices and separated from spatially white noise. A component's
      nugget is at least the per-vertex white noise projected onto its map, so that no component is
      treated as noise-free.

    Parameters
    ----------
    rank : int, optional
        Spatial components (``None``: per vertex only).
    shapes : tuple of str
        Kernel terms (keys of :data:`SHAPES`).
    max_lag : int
        Lags (in frames) of the empirical autocovariance the kernels are fitted to.
    seed : int
        Seeds the randomised PCA (``rank=k``).

    Attributes
    ----------
    kernel_ : StationaryKernel
        The pooled per-vertex (or residual) kernel.
    signal_var_, noise_var_ : ndarray, shape (n_vertices,)
        Per-vertex signal and white-noise variances.
    components_ : ndarray, shape (rank, n_vertices)
        Spatial maps (``rank=k``), orthonormal rows.
    component_kernels_ : list of StationaryKernel

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> t = np.arange(400) * 0.8
    >>> clean = np.sin(2 * np.pi * t[:, None] / 15 + rng.uniform(0, 6, 20))
    >>> noisy = clean + rng.normal(0, 0.7, clean.shape)
    >>> gp = TemporalGP().fit([noisy], [t])
    >>> known = np.arange(400) % 2 == 0
    >>> filled = gp.predict(t, noisy, known)
    >>> bool(((filled - clean)[~known] ** 2).mean() < ((noisy - clean)[~known] ** 2).mean())
    True
    """

    def __init__(self, rank: int | None = None, shapes=DEFAULT_SHAPES, max_lag: int = 40, seed: int = 0):
        from neuroframes_edu._utils.validation import check_int

        if rank is not None:
            rank = check_int(rank, "rank (spatial components; None for one GP per vertex)", minimum=1)
        max_lag = check_int(max_lag, "max_lag (frames; at least 4 to fit a kernel)", minimum=4)
        seed = check_int(seed, "seed", minimum=0, maximum=2**32 - 1)
        self.rank = rank
        self.shapes = tuple(shapes)
        self.max_lag = int(max_lag)
        self.seed = seed

    # ---- fitting
    def fit(self, series, times=None, valid=None) -> TemporalGP:
        """Fit the temporal covariance on training series.

        Parameters
        ----------
        series : list of array-like, each (n_frames_i, n_vertices)
            Training recordings (z-scored BOLD, or the residuals of a prior-mean prediction such as
            ridge from EEG, when ``predict`` will be given that prediction as ``mean``).
        times : list of array-like, each (n_frames_i,), optional
            Frame times of each (default 0, 1, 2, …).
        valid : list of array-like of bool, each (n_frames_i,), optional
            Frames to use (default all).

        Returns
        -------
        self
        """
        xs = [_as_series(s, f"series[{i}]") for i, s in enumerate(_as_list(series, "series"))]
        n_v = xs[0].shape[1]
        if any(x.shape[1] != n_v for x in xs):
            raise ValueError(f"every series must have the same number of vertices, got {[x.shape[1] for x in xs]}")
        ts = [_as_times(t, len(x), f"times[{i}]") for i, (x, t) in enumerate(
            zip(xs, _as_list(times, "times", len(xs)), strict=True))]
        oks = [_as_mask(v, len(x), f"valid[{i}]") & np.isfinite(x).all(axis=1) for i, (x, v) in enumerate(
            zip(xs, _as_list(valid, "valid", len(xs)), strict=True))]
        xs = [np.where(ok[:, None], x, 0.0) for x, ok in zip(xs, oks, strict=True)]
        self.scale_ = float(np.median(np.concatenate([np.diff(t) for t in ts])))
        self.n_vertices_ = n_v
        if self.rank is not None:
            self._fit_components(xs, ts, oks)
            xs = [x - (x @ self.components_.T) @ self.components_ for x in xs]
        self._fit_vertices(xs, ts, oks)
        return self

    def _pooled_autocovariance(self, xs, ts, oks):
        """Autocovariance per column over all recordings (their lagged products pooled), on the bins
        that hold pairs."""
        parts = [_binned_products(x, t, ok, self.max_lag, self.scale_) for x, t, ok in zip(xs, ts, oks, strict=True)]
        sums, counts, tau_sums = (sum(p[i] for p in parts) for i in range(3))
        keep = counts > 0
        return tau_sums[keep] / counts[keep], sums[keep] / counts[keep][:, None], counts[keep]

    def _fit_vertices(self, xs, ts, oks):
        lags, cov, counts = self._pooled_autocovariance(xs, ts, oks)
        self.kernel_ = fit_kernel(lags, cov.mean(axis=1), counts, self.shapes, self.scale_)
        rho = self.kernel_.correlation(lags[1:])
        # each vertex's signal variance: least-squares scale of the shared shape over all non-zero lags
        signal = np.clip((rho[:, None] * cov[1:] * counts[1:, None]).sum(0) / (rho**2 * counts[1:]).sum(), 0, None)
        signal = np.minimum(signal, cov[0])
        floor = 1e-3 * max(float(cov[0].mean()), 1e-12)
        self.signal_var_ = signal
        self.noise_var_ = np.maximum(cov[0] - signal, floor)

    def _fit_components(self, xs, ts, oks):
        from sklearn.decomposition import PCA

        stacked = np.concatenate([x[ok] for x, ok in zip(xs, oks, strict=True)])
        k = min(self.rank, *stacked.shape)
        pca = PCA(n_components=k, svd_solver="randomized", random_state=self.seed).fit(stacked)
        self.components_ = pca.components_  # (k, V), orthonormal rows
        # white noise on the vertices reaches every component (spatially white: Σ_v W_jv² σ_v²); its
        # nugget cannot be smaller, however well a smooth kernel happens to fit the lags
        lags, cov, _ = self._pooled_autocovariance(xs, ts, oks)
        floors = (self.components_**2) @ _extrapolated_noise(lags, cov, 3)
        scores = [x @ self.components_.T for x in xs]
        lags, cov, counts = self._pooled_autocovariance(scores, ts, oks)
        self.component_kernels_ = [fit_kernel(lags, cov[:, j], counts, self.shapes, self.scale_, floors[j])
                                   for j in range(k)]

    # ---- prediction
    def predict(self, times, measured, known, mean=None) -> np.ndarray:
        """Posterior mean of the noise-free series at every one of ``times``.

        Parameters
        ----------
        times : array-like, shape (n_frames,)
            Times of the frames to return, in the units the GP was fitted in (e.g. a finer grid than
            the volumes for sub-TR super-resolution, with the volumes placed on their nearest frame).
        measured : array-like, shape (n_frames, n_vertices)
            Values at the ``known`` frames (other rows are ignored and may be anything, NaN included).
        known : array-like of bool, shape (n_frames,)
        mean : array-like, shape (n_frames, n_vertices), optional
            Prior mean (e.g. ridge from EEG); the GP then completes its residual. Fit the GP on the
            training residuals of the same predictor.

        Returns
        -------
        ndarray, shape (n_frames, n_vertices)
            With no known frame, the prior mean (zeros without one).
        """
        self._check_fitted()
        y = np.asarray(measured, dtype=float)
        if y.ndim != 2 or y.shape[1] != self.n_vertices_:
            raise ValueError(f"measured must be (n_frames, {self.n_vertices_}) as in fit, got {y.shape}")
        t = _as_times(times, len(y))
        k = _as_mask(known, len(y), "known")
        prior = np.zeros(y.shape) if mean is None else np.asarray(mean, dtype=float)
        if prior.shape != y.shape or not np.isfinite(prior).all():
            raise ValueError(f"mean must be finite and shaped like measured {y.shape}, got {prior.shape}")
        if not np.isfinite(y[k]).all():
            raise ValueError("measured contains NaN or infinite values at known frames")
        if not k.any():
            return prior.copy()
        residual = y[k] - prior[k]
        diff_kk = t[k][:, None] - t[k][None, :]
        diff_qk = t[:, None] - t[k][None, :]
        out = prior.copy()
        if self.rank is not None:
            scores = residual @ self.components_.T
            for j, kern in enumerate(self.component_kernels_):
                post = _posterior_shared(kern.correlation(diff_kk), kern.correlation(diff_qk), scores[:, j: j + 1],
                                         kern.signal_variance, kern.nugget)
                out += post @ self.components_[j: j + 1]
            residual = residual - (residual @ self.components_.T) @ self.components_
        out += _posterior(self.kernel_.correlation(diff_kk), self.kernel_.correlation(diff_qk), residual,
                          self.signal_var_, self.noise_var_)
        return out

    def predict_windows(self, times, measured, known, size: int, mean=None) -> np.ndarray:
        """:meth:`predict` on consecutive windows of ``size`` frames, each seeing only its own
        measured frames (as a model reading sequences of ``size`` frames would)."""
        from neuroframes_edu._utils.validation import check_int

        size = check_int(size, "size (frames per window)", minimum=1)
        y = np.asarray(measured, dtype=float)
        prior = np.zeros(y.shape) if mean is None else np.asarray(mean, dtype=float)
        t, k = np.asarray(times, dtype=float), np.asarray(known)
        return np.concatenate([self.predict(t[s: s + size], y[s: s + size], k[s: s + size], prior[s: s + size])
                               for s in range(0, len(y), int(size))])

    def _check_fitted(self):
        if not hasattr(self, "kernel_"):
            raise RuntimeError("call fit() on training series before predict()")


def _as_list(value, name: str, n: int | None = None) -> list:
    """A list of per-recording entries (one array is one recording); ``None`` → ``n`` Nones."""
    if value is None and n is not None:
        return [None] * n
    if isinstance(value, np.ndarray) or (not isinstance(value, (list, tuple))):
        value = [value]
    value = list(value)
    if n is not None and len(value) != n:
        raise ValueError(f"{name} has {len(value)} entries but there are {n} series; pass one per series")
    if not value:
        raise ValueError(f"{name} is empty; pass at least one training series")
    return value
