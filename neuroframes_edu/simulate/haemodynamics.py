"""Haemodynamics: from neural activity to BOLD.

:func:`hrf_basis` samples nilearn's Glover HRF with its latency and dispersion derivatives (the
informed basis set, whose first-order Taylor terms give each vertex its own HRF latency and
dispersion), applied by causal convolution; :func:`balloon_windkessel` integrates the nonlinear
Balloon–Windkessel model with the :data:`BALLOON` parameters of Friston et al. (2000) for many
vertices at once.

Introduced in notebook 02.
"""

from __future__ import annotations

import numpy as np

#: Balloon–Windkessel parameters of Friston et al. (2000).
BALLOON = {"kappa": 0.65, "gamma": 0.41, "tau": 0.98, "alpha": 0.32, "rho": 0.34, "v0": 0.02}


def hrf_basis(dt: float, length: float = 32.0) -> np.ndarray:
    """nilearn's Glover HRF sampled every ``dt`` seconds, with its latency and dispersion derivatives.

    Returns
    -------
    ndarray, shape (3, n_taps)
        Row 0: the HRF, scaled to unit area (``h.sum() * dt == 1``: a sustained activity of 1 settles
        at a BOLD change of 1); row 1: minus its time derivative, so that ``h + δ·row1 ≈ h(t − δ)`` (a
        delay of δ seconds); row 2: nilearn's dispersion derivative. All rows share the scale.
    """
    from neuroframes_edu._utils.validation import check_number

    dt = check_number(dt, "dt (seconds between samples)", minimum=0, include_minimum=False)
    length = check_number(length, "length (seconds)", minimum=dt)
    from nilearn.glm.first_level.hemodynamic_models import (
        glover_dispersion_derivative,
        glover_hrf,
        glover_time_derivative,
    )

    h = glover_hrf(t_r=dt, oversampling=1, time_length=length)
    d_time = glover_time_derivative(t_r=dt, oversampling=1, time_length=length)
    d_disp = glover_dispersion_derivative(t_r=dt, oversampling=1, time_length=length)
    return np.stack([h, -d_time, d_disp]) / (h.sum() * dt)


def hrf_kernel(dt: float, latency: float = 0.0, dispersion: float = 0.0, length: float = 32.0) -> np.ndarray:
    """nilearn's Glover HRF delayed by ``latency`` seconds and ``1 + dispersion`` times as wide, unit area.

    The response is a true shift and stretch of the canonical shape, ``h((t − latency − t_peak) /
    (1 + dispersion) + t_peak)`` with ``t_peak`` the canonical peak (≈ 5 s), so a region with
    ``latency=2`` peaks 2 s later with the same shape; a first-order Taylor term ``h − δ·h′``
    (:func:`hrf_basis`) distorts the shape instead once δ exceeds about 1 s. The kernel stays causal: it
    is zero before ``t = 0`` even for negative latencies, which move its rise earlier.

    Parameters
    ----------
    dt : float
        Seconds between samples.
    latency : float
        Delay in seconds (negative: earlier); at least −2.5 s, so that the response still rises after
        ``t = 0``.
    dispersion : float
        Relative change of the response's width (0.2: 20% wider, −0.2: 20% narrower), above −0.5.
    length : float
        Seconds of kernel.

    Returns
    -------
    ndarray, shape (n_taps,)
        Scaled to unit area (``h.sum() * dt == 1``), like row 0 of :func:`hrf_basis`.

    Examples
    --------
    >>> h, late = hrf_kernel(0.1), hrf_kernel(0.1, latency=2.0)
    >>> round(float(late.argmax() - h.argmax()) * 0.1, 1)
    2.0
    """
    from nilearn.glm.first_level.hemodynamic_models import glover_hrf

    from neuroframes_edu._utils.validation import check_number

    dt = check_number(dt, "dt (seconds between samples)", minimum=0, include_minimum=False)
    length = check_number(length, "length (seconds)", minimum=dt)
    latency = check_number(latency, "latency (seconds)", minimum=-2.5)
    dispersion = check_number(dispersion, "dispersion (relative width change)", minimum=-0.5, include_minimum=False)
    fine = dt / 10
    canonical = glover_hrf(t_r=fine, oversampling=1, time_length=2 * length + 10)
    grid = np.arange(len(canonical)) * fine
    peak = grid[canonical.argmax()]
    t = np.arange(round(length / dt)) * dt
    h = np.interp((t - latency - peak) / (1 + dispersion) + peak, grid, canonical, left=0.0, right=0.0)
    return h / (h.sum() * dt)


def hrf_regions(mesh, n_regions: int, rng: np.random.Generator) -> np.ndarray:
    """Divide the cortex into ``n_regions`` compact regions that each share one HRF.

    Regions are k-means clusters of the vertices' midthickness coordinates, computed per hemisphere
    (half of the regions each, the left one taking the odd one out), so no region crosses the midline.

    Parameters
    ----------
    mesh : CorticalMesh
    n_regions : int
        At least 2 (one per hemisphere) and at most the number of vertices.
    rng : numpy.random.Generator
        Seeds the clustering.

    Returns
    -------
    ndarray of int, shape (n_vertices,)
        Region index of every vertex, ``0 … n_regions − 1`` (left hemisphere first).
    """
    from sklearn.cluster import KMeans

    from neuroframes_edu._utils.validation import check_int, check_type

    n_regions = check_int(n_regions, "n_regions", minimum=2)
    check_type(rng, np.random.Generator, "rng", hint="e.g. np.random.default_rng(0)")
    if n_regions > mesh.n_vertices:
        raise ValueError(f"n_regions={n_regions} exceeds the mesh's {mesh.n_vertices} vertices")
    coords = mesh._coords("midthickness")
    labels = np.empty(mesh.n_vertices, dtype=np.int64)
    counts = ((n_regions + 1) // 2, n_regions // 2)
    offset = 0
    for hemi, count in zip(("left", "right"), counts, strict=True):
        part = mesh.hemisphere_slice(hemi)
        km = KMeans(count, n_init=1, random_state=int(rng.integers(2**31 - 1))).fit(coords[part])
        labels[part] = km.labels_ + offset
        offset += count
    return labels


def _convolve_causal(x: np.ndarray, kernel: np.ndarray, dt: float) -> np.ndarray:
    """Causal convolution integral along axis 0 of ``x`` (n_times, n_series) with a kernel sampled every
    ``dt`` seconds; output has the length of ``x``."""
    from scipy.signal import fftconvolve

    return dt * fftconvolve(x, kernel[:, None], mode="full", axes=0)[: x.shape[0]]


def balloon_windkessel(neural: np.ndarray, dt: float, sample_steps: np.ndarray,
                       params: dict | None = None) -> np.ndarray:
    """Integrate the Balloon–Windkessel model (Friston et al. 2000) for many vertices at once.

    Parameters
    ----------
    neural : callable or ndarray
        ``neural(step) -> (n_vertices,)`` input at each step, or an array ``(n_steps, n_vertices)``.
    dt : float
        Integration step in seconds (≤ 0.1 s for stability).
    sample_steps : ndarray of int
        Steps at which to record the BOLD signal.

    Returns
    -------
    ndarray, shape (len(sample_steps), n_vertices)
        BOLD as % signal change.
    """
    p = {**BALLOON, **(params or {})}
    get = neural if callable(neural) else (lambda i: neural[i])
    first = get(0)
    n = first.shape[0]
    s, f, v, q = np.zeros(n), np.ones(n), np.ones(n), np.ones(n)
    k1, k2, k3 = 7 * p["rho"], 2.0, 2 * p["rho"] - 0.2
    sample_steps = np.asarray(sample_steps)
    n_rows = None if callable(neural) else len(neural)
    if sample_steps.ndim != 1 or not np.issubdtype(sample_steps.dtype, np.integer) or not len(sample_steps) \
            or sample_steps.min() < 0 or (n_rows is not None and sample_steps.max() >= n_rows):
        raise ValueError(f"sample_steps must be integer steps in [0, {n_rows or 'n_steps'}) (the steps of neural), "
                         f"got {sample_steps.tolist()[:5]}{'…' if sample_steps.size > 5 else ''}")
    out = np.zeros((len(sample_steps), n))
    order = np.argsort(sample_steps)
    j = 0
    n_steps = int(sample_steps.max()) + 1
    for i in range(n_steps):
        u = get(i)
        e = 1 - (1 - p["rho"]) ** (1 / f)
        v_alpha = v ** (1 / p["alpha"])
        ds = u - p["kappa"] * s - p["gamma"] * (f - 1)
        df = s
        dv = (f - v_alpha) / p["tau"]
        dq = (f * e / p["rho"] - v_alpha * q / v) / p["tau"]
        s, f, v, q = s + dt * ds, np.maximum(f + dt * df, 1e-3), np.maximum(v + dt * dv, 1e-3), \
            np.maximum(q + dt * dq, 1e-3)
        while j < len(order) and sample_steps[order[j]] == i:
            out[order[j]] = 100 * p["v0"] * (k1 * (1 - q) + k2 * (1 - q / v) + k3 * (1 - v))
            j += 1
    return out
