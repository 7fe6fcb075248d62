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
