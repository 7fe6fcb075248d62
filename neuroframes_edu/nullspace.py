"""Null-space (range–null space) completion: fill in what was not measured, keep what was, exactly.

A linear measurement operator ``A`` says how the acquired data ``y`` arise from the full sequence of
frames ``x``: ``y = A x``. Any sequence splits into a part that ``A`` sees (its range, ``A†A x``) and
a part it cannot see (its null space, ``(I − A†A) x``). Given a network's prediction ``x_pred``,

    x̂ = A†y + (I − A†A) x_pred                                   (DDNM, Wang et al. 2023)

takes the visible part from the measurements and only the invisible part from the prediction, so
``A x̂ = y`` holds exactly whatever the network predicted. With noisy measurements the DDNM+ variant
``x̂ = x_pred + λ A†(y − A x_pred)``, ``0 ≤ λ ≤ 1``, trades fidelity to ``y`` against the prediction.

Here ``A`` acts along the **frame** axis of arrays shaped ``(..., n_frames, n_vertices)``, the same
for every vertex, so it is a small ``n_measurements × n_frames`` matrix: no ``n_vertices²`` or
``(frames·vertices)²`` matrix is ever formed, and the cost grows linearly with vertices × frames.

Operators:

* :class:`FrameMask` — some frames measured, others missing (irregular sampling, dropped volumes);
  ``A`` selects rows of the identity, ``A† = Aᵀ``, and the projection just pastes the measured frames in.
* :func:`decimation` — volumes every ``factor``-th frame of a fine grid (sub-TR super-resolution).
* :func:`window_end_anchors` — the paper's protocol: windows measured only at their two ends; and
  :func:`in_windows`, which runs any completion one window at a time.
* :class:`TemporalOperator` — any small temporal matrix, e.g. :func:`blurred_decimation` (frames
  blurred by the haemodynamic response, then decimated): not a projector, so ``A†`` is computed
  once by SVD and applied per vertex; ``tikhonov=`` regularises it where ``A`` is ill-conditioned.

Noisy measurements: :func:`noise_aware_lambda` gives the Wiener weight ``λ = σ_p² / (σ_p² + σ_n²)`` for
``lam`` (per vertex if wanted), from the noise variance that
:func:`neuroframes_edu.smoothing.estimate_noise_variance` estimates; ``λ = 1`` stays the exact case.

Everything is torch and differentiable, so completion can sit inside training.

Introduced in notebook 05.
"""

from __future__ import annotations

import numpy as np
import torch


def _as_tensor(x, name: str, dtype=None) -> tuple[torch.Tensor, bool]:
    was_numpy = not isinstance(x, torch.Tensor)
    if was_numpy:
        x = np.asarray(x)
        if x.dtype.kind not in "biuf":
            raise TypeError(f"{name} must be an array of numbers, got {x.dtype} values")
    t = torch.as_tensor(x)
    if dtype is not None:
        t = t.to(dtype)
    if not torch.is_floating_point(t):
        t = t.to(torch.get_default_dtype())
    if not torch.isfinite(t).all():
        raise ValueError(f"{name} contains {int((~torch.isfinite(t)).sum())} NaN or infinite values")
    return t, was_numpy


def _known_mask(known, name: str = "known") -> torch.Tensor:
    """``known`` as a boolean tensor of any shape, read by the library's one mask rule
    (:func:`~neuroframes_edu._utils.validation.check_mask`): booleans or 0 / 1, never indices or weights."""
    from neuroframes_edu._utils.validation import check_mask

    device = known.device if isinstance(known, torch.Tensor) else None
    mask = torch.as_tensor(check_mask(known, name, ndim=None))
    return mask if device is None else mask.to(device)


def _check_lam(lam, n_vertices: int, like: torch.Tensor):
    """``lam`` as a float, or as a ``(n_vertices,)`` tensor for a weight per vertex; in [0, 1]."""
    if np.ndim(lam) == 0:
        from neuroframes_edu._utils.validation import check_number

        if isinstance(lam, torch.Tensor):
            lam = lam.item()
        return check_number(lam, "lam (1: keep the measurements exactly)", minimum=0, maximum=1)
    t = torch.as_tensor(np.asarray(lam) if not isinstance(lam, torch.Tensor) else lam)
    if t.shape != (n_vertices,):
        raise ValueError(f"lam must be a number or one weight per vertex, shape ({n_vertices},); got shape "
                         f"{tuple(t.shape)}")
    if not (torch.isfinite(t).all() and (t >= 0).all() and (t <= 1).all()):
        raise ValueError("lam must lie in [0, 1] at every vertex (1: keep the measurements exactly)")
    return t.to(device=like.device, dtype=like.dtype)


def _back(t: torch.Tensor, to_numpy: bool):
    return t.detach().cpu().numpy() if to_numpy else t


def _numpy_in_numpy_out(method):
    """Let ``apply``/``pinv`` take NumPy arrays too (returning NumPy), as ``project`` does."""
    import functools

    @functools.wraps(method)
    def wrapper(self, x):
        name, rows, what = (("x", self.n_frames, "n_frames") if method.__name__ == "apply"
                            else ("y", self.n_measurements, "n_measurements"))
        shape = tuple(x.shape) if isinstance(x, torch.Tensor) else np.shape(x)
        if len(shape) < 2 or shape[-2] != rows:
            raise ValueError(f"{method.__name__}: {name} must be (..., {what}={rows}, n_vertices), got shape {shape}")
        if isinstance(x, torch.Tensor):
            return method(self, x)
        t, _ = _as_tensor(x, name)
        return _back(method(self, t), True)

    return wrapper


class MeasurementOperator:
    """A linear operator ``A`` along the frame axis: ``(..., n_frames, V) → (..., n_measurements, V)``.

    Subclasses implement :meth:`apply` (``A x``) and :meth:`pinv` (``A† y``).
    """

    n_frames: int
    n_measurements: int

    def apply(self, x):
        """``A x``: shape ``(..., n_frames, V)`` → ``(..., n_measurements, V)``."""
        raise NotImplementedError

    def pinv(self, y):
        """``A† y``: shape ``(..., n_measurements, V)`` → ``(..., n_frames, V)``."""
        raise NotImplementedError

    def _check(self, x: torch.Tensor, axis_len: int, name: str, what: str) -> None:
        if x.ndim < 2:
            raise ValueError(f"{name} must have shape (..., {what}, n_vertices), got {tuple(x.shape)}")
        if x.shape[-2] != axis_len:
            raise ValueError(f"{name} has {x.shape[-2]} {what} along axis -2 but the operator expects {axis_len}; "
                             f"pass arrays shaped (..., {what}, n_vertices)")

    def project(self, x_pred, y, lam: float = 1.0):
        """Null-space completion ``x̂ = x_pred + λ A†(y − A x_pred)``.

        With ``lam = 1`` this is ``A†y + (I − A†A) x_pred``: every measurement is reproduced exactly.

        Parameters
        ----------
        x_pred : tensor or ndarray, shape (..., n_frames, n_vertices)
            The prediction (e.g. the network's output).
        y : tensor or ndarray, shape (..., n_measurements, n_vertices)
            The measurements.
        lam : float or array-like of shape (n_vertices,)
            Weight in [0, 1] of the measurements (DDNM+ for noisy ``y``); 0 returns ``x_pred``. One
            weight per vertex, e.g. from :func:`noise_aware_lambda`, where noise levels differ.

        Returns
        -------
        Same type as ``x_pred``, shape (..., n_frames, n_vertices)
        """
        xp, to_numpy = _as_tensor(x_pred, "x_pred")
        yt, _ = _as_tensor(y, "y", dtype=xp.dtype)
        yt = yt.to(xp.device)
        self._check(xp, self.n_frames, "x_pred", "frames")
        self._check(yt, self.n_measurements, "y", "measurements")
        weight = _check_lam(lam, xp.shape[-1], xp)
        residual = yt - self.apply(xp)
        return _back(xp + weight * self.pinv(residual), to_numpy)

    def null_component(self, x):
        """``(I − A†A) x``: the part of ``x`` the measurements cannot see."""
        xt, to_numpy = _as_tensor(x, "x")
        return _back(xt - self.pinv(self.apply(xt)), to_numpy)

    def matrix(self, dtype=torch.float64) -> torch.Tensor:
        """``A`` as a dense ``(n_measurements, n_frames)`` matrix (for teaching and tests)."""
        eye = torch.eye(self.n_frames, dtype=dtype)[..., None]  # (T, T, 1): column t is e_t
        return self.apply(eye)[..., 0].T


class FrameMask(MeasurementOperator):
    """Some frames measured, the rest missing: ``A`` keeps the rows of the identity at measured frames.

    Parameters
    ----------
    known : array-like of bool, shape (n_frames,)
        True where a frame was measured.
    allow_empty : bool
        Accept a mask with no measured frame (the projection then returns the prediction); by default
        this raises, since it usually means a mask inverted by mistake.

    Examples
    --------
    >>> op = FrameMask([True, False, True])
    >>> x_hat = op.project(np.zeros((3, 2)), np.ones((2, 2)))
    >>> x_hat[:, 0].tolist()
    [1.0, 0.0, 1.0]
    """

    def __init__(self, known, allow_empty: bool = False):
        known = _known_mask(known)
        if known.ndim != 1:
            raise ValueError(f"known must be a 1-D boolean mask over frames, got shape {tuple(known.shape)}")
        if not known.any() and not allow_empty:
            raise ValueError("known marks no frame as measured, so there is nothing to keep; for prediction from "
                             "EEG alone skip the completion (or pass allow_empty=True)")
        self.known = known
        self.index = torch.nonzero(known).ravel()
        self.n_frames = int(known.numel())
        self.n_measurements = int(self.index.numel())

    @_numpy_in_numpy_out
    def apply(self, x):
        return x.index_select(-2, self.index.to(x.device))

    @_numpy_in_numpy_out
    def pinv(self, y):
        shape = (*y.shape[:-2], self.n_frames, y.shape[-1])
        out = y.new_zeros(shape)
        return out.index_copy(-2, self.index.to(y.device), y)

    def project(self, x_pred, y, lam: float = 1.0):
        """Null-space completion; for a mask it pastes the measured frames in (bit for bit when
        ``lam = 1``: ``A†y + (I − A†A) x_pred`` is exactly that for a selection)."""
        xp, to_numpy = _as_tensor(x_pred, "x_pred")
        yt, _ = _as_tensor(y, "y", dtype=xp.dtype)
        self._check(xp, self.n_frames, "x_pred", "frames")
        self._check(yt, self.n_measurements, "y", "measurements")
        weight = _check_lam(lam, xp.shape[-1], xp)
        known = self.known.to(xp.device).expand(xp.shape[:-1])
        return _back(_paste(xp, self.pinv(yt.to(xp.device)), known, weight), to_numpy)


def _paste(x_pred: torch.Tensor, y_full: torch.Tensor, known: torch.Tensor, lam) -> torch.Tensor:
    """``A†y + (I − A†A) x_pred`` (or its DDNM+ relaxation ``x_pred + λ A†(y − A x_pred)``) for frame masks:
    ``y_full`` holds the measurements at the ``known`` frames of ``x_pred`` (``(..., F, V)``; ``known``
    ``(..., F)``); ``lam`` a float or a ``(V,)`` tensor."""
    k = known[..., None]
    if isinstance(lam, float) and lam == 1.0:
        return torch.where(k, y_full, x_pred)
    relaxed = x_pred + lam * (y_full - x_pred)
    if isinstance(lam, torch.Tensor):  # vertices weighted 1 keep their measurements bit for bit
        relaxed = torch.where(lam == 1.0, y_full, relaxed)
    return torch.where(k, relaxed, x_pred)


def complete_known(x_pred, measured, known, lam: float = 1.0):
    """Null-space completion against a different frame mask for every sequence of a batch.

    ``x̂ = A†y + (I − A†A) x_pred`` with ``A`` the selection of the ``known`` frames: measured frames
    are kept exactly (``lam = 1``) and the prediction fills the rest. This is :meth:`FrameMask.project`
    for a batch whose sequences were measured at different frames.

    Parameters
    ----------
    x_pred : tensor or ndarray, shape (..., n_frames, n_vertices)
    measured : tensor or ndarray, shape (..., n_frames, n_vertices)
        Values at the known frames (other entries are ignored and may be anything finite).
    known : array-like of bool, shape (..., n_frames)
    lam : float or array-like of shape (n_vertices,)
        Weight in [0, 1] of the measurements (DDNM+ for noisy ones), one number or one per vertex;
        :func:`noise_aware_lambda` gives the Wiener weight from the noise and prediction-error variances.

    Returns
    -------
    Same type as ``x_pred``.

    Raises
    ------
    ValueError
        Shapes that do not match (naming them), ``lam`` outside [0, 1], NaN at known frames.
    """
    xp, to_numpy = _as_tensor(x_pred, "x_pred")
    k = _known_mask(known).to(xp.device)
    m = torch.as_tensor(np.asarray(measured) if not isinstance(measured, torch.Tensor) else measured)
    if m.shape != xp.shape or k.shape != xp.shape[:-1]:
        raise ValueError(f"x_pred {tuple(xp.shape)}, measured {tuple(m.shape)} and known {tuple(k.shape)} must be "
                         "(..., n_frames, n_vertices), (..., n_frames, n_vertices) and (..., n_frames)")
    weight = _check_lam(lam, xp.shape[-1], xp)
    m = m.to(device=xp.device, dtype=xp.dtype)
    if not torch.isfinite(m[k]).all():
        raise ValueError("measured contains NaN or infinite values at known frames")
    return _back(_paste(xp, torch.where(k[..., None], m, 0.0), k, weight), to_numpy)


def noise_aware_lambda(prior_var, noise_var):
    """The Wiener weight of noisy measurements against a prediction: ``λ = σ_p² / (σ_p² + σ_n²)``.

    For a measurement ``y = x + noise`` (noise variance ``σ_n²``) and a prediction ``x_pred`` whose error
    ``x − x_pred`` has variance ``σ_p²`` (the signal variance ``σ_s²`` when the prediction is the mean),
    ``x_pred + λ (y − x_pred)`` is the minimum-mean-squared-error combination: the DDNM+ relaxation of
    the exact null-space projection with this ``λ``. ``λ = 1`` (noise-free measurements) keeps them
    exactly; ``λ → 0`` trusts the prediction. Pass the result as ``lam`` to :func:`complete_known` or
    :meth:`MeasurementOperator.project`; :func:`neuroframes_edu.smoothing.estimate_noise_variance`
    estimates ``σ_n²`` from the measurements alone.

    Parameters
    ----------
    prior_var : float or array-like, shape (n_vertices,)
        Variance of the prediction's error (≥ 0).
    noise_var : float or array-like, shape (n_vertices,)
        Variance of the measurement noise (≥ 0).

    Returns
    -------
    float or ndarray
        In [0, 1]; 1 where both variances are 0 (nothing to correct, keep the measurement).

    Raises
    ------
    ValueError
        Negative or non-finite variances, or shapes that do not broadcast.

    Examples
    --------
    >>> noise_aware_lambda(0.58, 0.42)  # z-scored BOLD at SNR 2 is about this, for a zero prediction
    0.58
    """
    from neuroframes_edu._utils.validation import check_array

    p, n = check_array(prior_var, "prior_var", finite=False), check_array(noise_var, "noise_var", finite=False)
    for name, v in (("prior_var", p), ("noise_var", n)):
        if not np.isfinite(v).all() or (v < 0).any():
            raise ValueError(f"{name} must be finite and ≥ 0 (a variance), got {v if v.ndim == 0 else 'an array'} "
                             f"with minimum {float(np.min(v)) if v.size else 'n/a'}")
    try:
        total = p + n
    except ValueError as err:
        raise ValueError(f"prior_var {p.shape} and noise_var {n.shape} must broadcast (one per vertex)") from err
    lam = np.where(total > 0, p / np.where(total > 0, total, 1.0), 1.0)
    return float(lam) if lam.ndim == 0 else lam


def decimation(n_frames: int, factor: int, offset: int = 0) -> FrameMask:
    """Frames measured every ``factor``-th step of a fine grid, starting at ``offset``: sub-TR
    super-resolution, where the fine grid has ``factor`` frames per TR.

    Raises
    ------
    ValueError
        If ``factor`` < 1 or ``offset`` is not in ``[0, factor)``.
    """
    n_frames, factor = _positive_int(n_frames, "n_frames", 1), _positive_int(factor, "factor", 1)
    offset = _positive_int(offset, "offset", 0)
    if offset >= factor:
        raise ValueError(f"need 0 ≤ offset < factor, got factor={factor}, offset={offset}")
    if n_frames <= offset:
        raise ValueError(f"n_frames ({n_frames}) must exceed offset ({offset})")
    return FrameMask(np.arange(n_frames) % factor == offset)


def window_end_anchors(n_frames: int, window: int) -> np.ndarray:
    """The paper's completion protocol (arXiv 2603.24176): consecutive, non-overlapping windows of
    ``window`` frames, measured only at their first and last frame (a last, shorter window likewise).

    Returns
    -------
    known : ndarray of bool, shape (n_frames,)
        True at the measured frames; ``(window − 2) / window`` of the frames are hidden. Pass it to
        :class:`FrameMask`, :func:`complete_frames` or the samplers as ``known``.

    Raises
    ------
    ValueError
        If ``n_frames`` < 1 or ``window`` < 3 (two anchors and at least one frame between them).

    Examples
    --------
    >>> window_end_anchors(7, 3).astype(int)
    array([1, 0, 1, 1, 0, 1, 1])
    """
    n, size = _positive_int(n_frames, "n_frames", 1), _positive_int(window, "window", 3)
    pos = np.arange(n) % size
    known = (pos == 0) | (pos == size - 1)
    known[-1] = True
    return known


def in_windows(fill, window: int, *arrays) -> np.ndarray:
    """Apply ``fill`` to consecutive, non-overlapping windows of ``window`` frames, so that a method
    sees only what is measured inside its own window (as a sequence model of that length does).

    Parameters
    ----------
    fill : callable
        ``fill(*chunks) → (n, ...)``, called with each array sliced to one window along its first axis;
        it returns that window's frames.
    window : int
        Frames per window (the last window may be shorter).
    *arrays : array-like, each (n_frames, ...)
        Arrays with the same first axis, e.g. ``times, measured, known``.

    Returns
    -------
    ndarray, shape (n_frames, ...)
        The windows' outputs, concatenated.

    Examples
    --------
    Linear interpolation that sees only its own window of the paper's protocol:

    >>> from neuroframes_edu.baselines import interpolate_frames
    >>> t = np.arange(6.0); y = t[:, None] ** 2; known = window_end_anchors(6, 3)
    >>> in_windows(lambda t, y, k: interpolate_frames(t[k], y[k], t), 3, t, y, known)[:, 0]
    array([ 0.,  2.,  4.,  9., 17., 25.])
    """
    if not callable(fill):
        raise TypeError(f"fill must be a function of the windows' chunks, got {type(fill).__name__} {fill!r}; "
                        "the arguments are in_windows(fill, window, *arrays)")
    size = _positive_int(window, "window", 1)
    if not arrays:
        raise ValueError("in_windows needs at least one array to split into windows")
    arrays = [np.asarray(a) for a in arrays]
    n = len(arrays[0])
    if any(a.ndim == 0 or len(a) != n for a in arrays):
        raise ValueError(f"the arrays must share their first axis (frames); got lengths "
                         f"{[len(a) if a.ndim else None for a in arrays]}")
    if n == 0:
        raise ValueError("the arrays have no frames")
    return np.concatenate([np.asarray(fill(*(a[s: s + size] for a in arrays))) for s in range(0, n, size)])


def _positive_int(value, name: str, minimum: int) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{name} must be an integer ≥ {minimum}, got {value!r}")
    return int(value)


class TemporalOperator(MeasurementOperator):
    """Any linear operator along the frame axis, given as a small dense matrix ``A`` (M × T).

    ``A†`` is computed once from the SVD of ``A`` (singular values below ``rcond · σ_max`` are
    treated as zero) and applied to every vertex with one matrix product.

    An ill-conditioned ``A`` (a blur that nearly cancels some temporal patterns) has tiny singular
    values, and ``A†`` multiplies the noise in ``y`` by their inverse. ``tikhonov = ε > 0`` replaces it
    by the regularised inverse ``A⁺ = Aᵀ(AAᵀ + ε σ_max² I)⁻¹``: each singular value ``s`` is inverted
    as ``s / (s² + ε σ_max²)``, which stays bounded by ``1 / (2 σ_max √ε)``. The completion then no
    longer reproduces ``y`` exactly (``A x̂ ≈ y``), which is the point with noisy measurements.

    Parameters
    ----------
    matrix : array-like, shape (n_measurements, n_frames)
    rcond : float
        Relative cut-off for small singular values.
    tikhonov : float
        Regularisation ``ε`` relative to ``σ_max²`` (0: the exact pseudo-inverse). Of the order of the
        noise-to-signal variance ratio of ``y`` is a good start.

    Examples
    --------
    >>> op = TemporalOperator([[1.0, 1.0], [1.0, 1.001]], tikhonov=1e-3)
    >>> bool(np.abs(op.pinv(np.array([[1.0], [-1.0]]))).max() < 20)  # the exact A† gives about 2000
    True
    """

    def __init__(self, matrix, rcond: float = 1e-10, tikhonov: float = 0.0):
        if not isinstance(matrix, torch.Tensor):
            from neuroframes_edu._utils.validation import check_array

            matrix = check_array(matrix, "matrix", finite=False, axes="(n_measurements, n_frames)")
        a = torch.as_tensor(matrix, dtype=torch.float64)
        if a.ndim != 2 or a.shape[0] == 0 or a.shape[1] == 0:
            raise ValueError(f"matrix must be 2-D (n_measurements, n_frames), got shape {tuple(a.shape)}")
        if not torch.isfinite(a).all():
            raise ValueError("matrix contains NaN or infinite values")
        from neuroframes_edu._utils.validation import check_number

        tikhonov = check_number(tikhonov, "tikhonov (0: the exact pseudo-inverse)", minimum=0)
        rcond = check_number(rcond, "rcond", minimum=0, maximum=1, include_maximum=False)
        u, s, vh = torch.linalg.svd(a, full_matrices=False)
        keep = s > rcond * s.max()
        if not keep.any():
            raise ValueError("matrix is zero: it measures nothing")
        self.a = a
        self.tikhonov = float(tikhonov)
        if self.tikhonov == 0:
            self.a_pinv = (vh[keep].T / s[keep]) @ u[:, keep].T  # (T, M)
        else:  # each 1/s becomes s / (s² + ε σ_max²)
            self.a_pinv = (vh[keep].T * (s[keep] / (s[keep] ** 2 + self.tikhonov * s.max() ** 2))) @ u[:, keep].T
        self.rank = int(keep.sum())
        self.n_measurements, self.n_frames = a.shape

    @_numpy_in_numpy_out
    def apply(self, x):
        return torch.einsum("mt,...tv->...mv", self.a.to(device=x.device, dtype=x.dtype), x)

    @_numpy_in_numpy_out
    def pinv(self, y):
        return torch.einsum("tm,...mv->...tv", self.a_pinv.to(device=y.device, dtype=y.dtype), y)


def blurred_decimation(n_frames: int, factor: int, kernel, offset: int = 0,
                       tikhonov: float = 0.0) -> TemporalOperator:
    """Frames blurred causally by ``kernel`` (e.g. a haemodynamic response sampled at the frame
    period, normalised to unit sum), then measured every ``factor``-th frame.

    Unlike plain decimation this ``A`` is not a selection: the measurements mix several frames, and the
    completion must undo the blur where it can (through ``A†``) while the prediction fills the rest.
    A long, smooth kernel makes ``A`` ill-conditioned; ``tikhonov > 0`` regularises its inverse (see
    :class:`TemporalOperator`) so that measurement noise is not amplified.
    """
    from neuroframes_edu._utils.validation import check_array

    n_frames, factor = _positive_int(n_frames, "n_frames", 1), _positive_int(factor, "factor", 1)
    offset = _positive_int(offset, "offset", 0)
    kernel = check_array(kernel, "kernel", ndim=1, axes="(n_lags,): the response at lags 0, 1, 2, … frames")
    if kernel.size == 0 or kernel.sum() == 0:
        raise ValueError("kernel must be a non-empty array with a non-zero sum")
    blur = np.zeros((n_frames, n_frames))
    for lag, k in enumerate(kernel[:n_frames]):
        blur += k * np.eye(n_frames, k=-lag)
    rows = np.arange(offset, n_frames, factor)
    if factor < 1 or rows.size == 0:
        raise ValueError(f"factor={factor}, offset={offset} leave no measurement in {n_frames} frames")
    return TemporalOperator(blur[rows], tikhonov=tikhonov)


def measurement_consistency(x_hat, y, operator: MeasurementOperator) -> float:
    """Relative measurement error ``‖A x̂ − y‖ / ‖y‖`` (0 for an exact completion)."""
    if not isinstance(operator, MeasurementOperator):
        raise TypeError(f"operator must be a MeasurementOperator (FrameMask, TemporalOperator, decimation(...)), got "
                        f"{type(operator).__name__}")
    xt, _ = _as_tensor(x_hat, "x_hat", dtype=torch.float64)
    yt, _ = _as_tensor(y, "y", dtype=torch.float64)
    norm = torch.linalg.vector_norm(yt)
    diff = torch.linalg.vector_norm(operator.apply(xt) - yt)
    return float(diff / norm) if norm > 0 else float(diff)


def complete_frames(x_pred, measured, known, times=None, residual: str | None = "linear", detail: float = 1.0):
    """Null-space completion of a frame sequence with a measurement-aware null-space filler.

    The range part is always the measurements (``A†y``: measured frames are kept exactly). For the
    null-space part, ``residual=None`` uses the prediction as it is — plain DDNM with a frame mask,
    where measured frames do not inform the missing ones. ``residual="linear"`` first corrects the
    prediction by the measured residuals ``y − A x_pred``, interpolated in time to every frame:

        x̂ = A†y + (I − A†A) [x_pred + R (y − A x_pred)],

    with ``R`` linear interpolation over ``times``. Without any EEG information (``x_pred = 0``) this
    is linear interpolation of the measurements; with it, the prediction adds the detail between the
    measured frames, weighted by ``detail`` (0 gives plain interpolation).

    Parameters
    ----------
    x_pred : ndarray or tensor, shape (n_frames, n_vertices)
    measured : ndarray or tensor, shape (n_frames, n_vertices)
        Values at the known frames (other rows are ignored).
    known : array-like of bool, shape (n_frames,)
    times : array-like, shape (n_frames,), optional
        Frame times (default: 0, 1, 2, …).
    residual : {"linear", None}
    detail : float
        Weight of the prediction's own detail between measured frames.

    Returns
    -------
    Same type as ``x_pred``.

    Notes
    -----
    Both fillers keep the measured frames exactly, which is right for noise-free measurements and
    wrong for noisy ones: interpolating between noisy volumes is closer to the truth than the volumes
    themselves. Neither filler wins across data regimes (``benchmarks/completion_regimes.py``: plain
    DDNM is closer to the noise-free BOLD in 9 of 16 (regime, setting) pairs, interpolated residuals in
    the other 7), and both lose everywhere to a temporal Gaussian process fitted on training sessions,
    which weighs the measured volumes by their noise (16 of 16). For noisy fMRI use
    :class:`neuroframes_edu.smoothing.TemporalGP` (``rank=`` for the low-rank version, ``mean=`` an EEG
    prediction when the gaps are short), and :func:`complete_known` with ``lam=1`` where the measured
    volumes must be kept exactly.
    """
    from neuroframes_edu.baselines import interpolate_frames

    xp, to_numpy = _as_tensor(x_pred, "x_pred")
    from neuroframes_edu._utils.validation import check_number

    detail = check_number(detail, "detail", minimum=0)
    known_t = _known_mask(known)
    op = FrameMask(known_t)
    if xp.ndim != 2:
        raise ValueError(f"x_pred must be (n_frames, n_vertices), got {tuple(xp.shape)}")
    m = torch.as_tensor(np.asarray(measured) if not isinstance(measured, torch.Tensor) else measured)
    if m.shape != xp.shape:
        raise ValueError(f"measured has shape {tuple(m.shape)} but x_pred has {tuple(xp.shape)}")
    y, _ = _as_tensor(m[known_t], "measured at known frames", dtype=xp.dtype)
    if residual is None:
        return _back(op.project(xp, y), to_numpy)
    if residual != "linear":
        raise ValueError(f"residual must be 'linear' or None, got {residual!r}")
    from neuroframes_edu._utils.validation import check_times

    t = np.arange(xp.shape[0], dtype=float) if times is None else check_times(times, "times", length=xp.shape[0])
    k = known_t.numpy()
    res = (y - op.apply(xp)).detach().cpu().numpy()
    base = xp.detach().cpu().numpy()
    detail_part = base - interpolate_frames(t[k], base[k], t, "linear")
    filler = interpolate_frames(t[k], base[k] + res, t, "linear") + detail * detail_part
    filled = torch.as_tensor(filler, dtype=xp.dtype, device=xp.device)
    return _back(op.project(filled, y), to_numpy)
