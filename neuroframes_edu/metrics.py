"""How good is a reconstruction? The metrics of the course's evaluation table.

All metrics compare a predicted sequence of frames with a reference, both shaped
``(n_frames, n_vertices)``:

* **MSE on z-scored frames** — each vertex's time course is z-scored with the *reference's* mean and
  standard deviation, and the same transform is applied to the prediction;
* **temporal r** — Pearson correlation over time, per vertex (does each vertex go up and down at the
  right moments?);
* **spatial r** — Pearson correlation over vertices, per frame (is the pattern on the cortex right?);
* **cosine** — cosine similarity per frame of the z-scored frames;
* each of them whole-cortex and within regions of interest, plus the temporal r as a **fraction of
  the noise ceiling** (the best any method can reach on these data), the **measurement consistency**
  ``‖A x̂ − y‖ / ‖y‖`` (:func:`neuroframes_edu.nullspace.measurement_consistency`), and a downstream
  **decoding** check (:func:`decoding_accuracy`);
* for methods that draw samples (the diffusion model), the **coverage** of the truth by their central
  intervals (:func:`interval_coverage`): a calibrated 90% interval holds the truth 90% of the time.

Introduced in notebook 07.
"""

from __future__ import annotations

import numpy as np

from neuroframes_edu._utils.validation import check_array


def _pair(pred, target) -> tuple[np.ndarray, np.ndarray]:
    pred, target = np.asarray(pred, dtype=float), np.asarray(target, dtype=float)
    if pred.shape != target.shape or pred.ndim != 2:
        raise ValueError(f"pred and target must both be (n_frames, n_vertices) arrays of the same shape, got "
                         f"{pred.shape} and {target.shape}")
    if pred.shape[0] < 2:
        raise ValueError("need at least 2 frames to compare time courses")
    for name, arr in (("pred", pred), ("target", target)):
        if not np.isfinite(arr).all():
            raise ValueError(f"{name} contains {int((~np.isfinite(arr)).sum())} NaN or infinite values")
    return pred, target


def zscore_stats(reference, axis: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Mean and standard deviation of ``reference`` along ``axis`` (kept as a length-1 axis), with a
    standard deviation of 0 replaced by 1 so that a constant series z-scores to 0, never to NaN."""
    reference = np.asarray(reference, dtype=float)
    mean, sd = reference.mean(axis=axis, keepdims=True), reference.std(axis=axis, keepdims=True)
    return mean, np.where(sd > 0, sd, 1.0)


def _zscore_like(pred, target, reference=None):
    if reference is None:
        reference = target
    else:
        reference = check_array(reference, "reference", axes="(n_frames, n_vertices)")
        if reference.ndim != 2 or reference.shape[1] != target.shape[1]:
            raise ValueError(f"reference must be (n_frames, {target.shape[1]}) like the target, got "
                             f"{reference.shape}")
    mean, sd = zscore_stats(reference)
    return (pred - mean) / sd, (target - mean) / sd


def _corr(a, b, axis):
    a = a - a.mean(axis=axis, keepdims=True)
    b = b - b.mean(axis=axis, keepdims=True)
    denom = np.sqrt((a**2).sum(axis=axis) * (b**2).sum(axis=axis))
    return np.where(denom > 0, (a * b).sum(axis=axis) / np.where(denom > 0, denom, 1.0), 0.0)


def mse_z(pred, target) -> float:
    """Mean squared error after z-scoring every vertex with the target's statistics."""
    pred, target = _pair(pred, target)
    zp, zt = _zscore_like(pred, target)
    return float(((zp - zt) ** 2).mean())


def mse(pred, target) -> float:
    """Plain mean squared error, in the units of the arrays (no re-standardisation).

    Use it when both are already in the session's z units and the target is not a fair scale
    reference — e.g. the noise-free BOLD, nearly constant at vertices that carry no signal.
    """
    pred, target = _pair(pred, target)
    return float(((pred - target) ** 2).mean())


def zscore(x, axis: int = 0, reference=None) -> np.ndarray:
    """z-score ``x`` along ``axis`` (by default every vertex of ``(n_frames, n_vertices)`` over time).

    The library's one z-score: frames per vertex, EEG per channel (``axis=1``), features per row.
    With ``reference`` the mean and standard deviation come from it (e.g. the valid volumes only, or
    the training data) and are applied to ``x``. A constant series becomes 0.
    """
    x = check_array(x, "x", axes="(data to z-score)")
    from neuroframes_edu._utils.validation import check_int

    if not -x.ndim <= check_int(axis, "axis") < x.ndim:
        raise ValueError(f"axis {axis} does not exist in x of shape {x.shape}; use an axis in [{-x.ndim}, {x.ndim})")
    if reference is not None:
        reference = check_array(reference, "reference", ndim=x.ndim)
    mean, sd = zscore_stats(x if reference is None else reference, axis=axis)
    return (x - mean) / sd


def temporal_r(pred, target) -> np.ndarray:
    """Pearson r over time for each vertex; shape ``(n_vertices,)`` (0 where either is constant)."""
    pred, target = _pair(pred, target)
    return _corr(pred, target, axis=0)


def spatial_r(pred, target, reference=None) -> np.ndarray:
    """Pearson r over vertices for each frame of the z-scored data; shape ``(n_frames,)``.

    Each vertex is z-scored with the mean and standard deviation over time of ``reference``
    (default: ``target``), as for :func:`cosine`.
    """
    pred, target = _pair(pred, target)
    zp, zt = _zscore_like(pred, target, reference)
    return _corr(zp, zt, axis=1)


def cosine(pred, target, reference=None) -> np.ndarray:
    """Cosine similarity per frame of the z-scored frames; shape ``(n_frames,)``.

    Each vertex is z-scored with the mean and standard deviation over time of ``reference``
    (default: ``target``). Against a noise-free target, pass the measurements as ``reference``:
    vertices where the noise-free BOLD barely varies would otherwise be divided by a tiny standard
    deviation and swamp every frame (on the default data 37 of 1,284 ico3 vertices vary with a
    standard deviation below 0.05, and the cosine of the measurements with the truth falls from
    0.74 to 0.08).
    """
    pred, target = _pair(pred, target)
    zp, zt = _zscore_like(pred, target, reference)
    denom = np.linalg.norm(zp, axis=1) * np.linalg.norm(zt, axis=1)
    return np.where(denom > 0, (zp * zt).sum(axis=1) / np.where(denom > 0, denom, 1.0), 0.0)


def evaluate(pred, target, rois: dict | None = None, noise_ceiling=None) -> dict[str, float]:
    """All scalar metrics of one reconstruction, whole cortex and per region.

    Parameters
    ----------
    pred, target : array-like, shape (n_frames, n_vertices)
        Evaluate only frames that were actually measured in ``target`` (select them first).
    rois : dict of str to bool array, optional
        Regions; adds ``"<metric>/<roi>"`` entries.
    noise_ceiling : array-like, shape (n_vertices,), optional
        Adds ``"ceiling_fraction"`` (mean temporal r ÷ mean ceiling) overall and per region.

    Returns
    -------
    dict
        ``mse``, ``temporal_r``, ``spatial_r``, ``cosine`` (means), and the optional extras.
    """
    pred, target = _pair(pred, target)
    t_r = temporal_r(pred, target)
    out = {"mse": mse_z(pred, target), "temporal_r": float(t_r.mean()),
           "spatial_r": float(spatial_r(pred, target).mean()), "cosine": float(cosine(pred, target).mean())}
    ceiling = None
    if noise_ceiling is not None:
        ceiling = check_array(noise_ceiling, "noise_ceiling", ndim=1, axes="(n_vertices,)")
        if ceiling.shape != (pred.shape[1],):
            raise ValueError(f"noise_ceiling has shape {ceiling.shape}, expected ({pred.shape[1]},)")
        # a correlation per vertex (slightly negative where a vertex carries no signal); its mean divides r
        if (ceiling < -1).any() or (ceiling > 1).any() or not ceiling.mean() > 0:
            raise ValueError(f"noise_ceiling must hold correlations in [-1, 1] with a positive mean (it divides the "
                             f"temporal r), got values in [{ceiling.min():g}, {ceiling.max():g}] with mean "
                             f"{ceiling.mean():g}; check that it is the ceiling of these data")
        out["noise_ceiling"] = float(ceiling.mean())
        out["ceiling_fraction"] = float(t_r.mean() / ceiling.mean())
    if rois is not None and not isinstance(rois, dict):
        raise TypeError(f"rois must be a dict of region name → boolean mask over vertices (e.g. mesh.rois), got "
                        f"{type(rois).__name__}")
    for name, mask in (rois or {}).items():
        from neuroframes_edu._utils.validation import check_mask

        mask = check_mask(mask, f"ROI {name!r}", length=pred.shape[1])
        if not mask.any():
            raise ValueError(f"ROI {name!r} is empty")
        sub_p, sub_t = pred[:, mask], target[:, mask]
        out[f"mse/{name}"] = mse_z(sub_p, sub_t)
        out[f"temporal_r/{name}"] = float(t_r[mask].mean())
        out[f"spatial_r/{name}"] = float(spatial_r(sub_p, sub_t).mean())
        out[f"cosine/{name}"] = float(cosine(sub_p, sub_t).mean())
        if ceiling is not None:
            if not ceiling[mask].mean() > 0:
                raise ValueError(f"noise_ceiling averages {ceiling[mask].mean():g} over ROI {name!r}, so no fraction "
                                 "of it can be given; leave the ROI out or check the ceiling")
            out[f"ceiling_fraction/{name}"] = float(t_r[mask].mean() / ceiling[mask].mean())
    return out


def interval_coverage(samples, truth, levels=(0.5, 0.9)) -> dict[float, float]:
    """How often the truth falls inside the samples' central intervals: calibration of an uncertainty.

    For each level ``q`` the interval runs from the ``(1 − q)/2`` to the ``(1 + q)/2`` quantile of the
    samples of every value (linear interpolation between order statistics). A calibrated sampler
    covers the truth a fraction ``q`` of the time; less is over-confident, more is under-confident.

    Parameters
    ----------
    samples : array-like, shape (n_samples, ...)
        Draws of the reconstruction (at least 2).
    truth : array-like, shape (...)
        What they reconstruct (e.g. the noise-free BOLD, or held-out measurements).
    levels : sequence of float
        Central interval levels in (0, 1).

    Returns
    -------
    dict
        ``{level: fraction of values covered}``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> cover = interval_coverage(rng.normal(size=(200, 5000)), rng.normal(size=5000))
    >>> {q: round(c, 1) for q, c in cover.items()}
    {0.5: 0.5, 0.9: 0.9}
    """
    samples, truth = np.asarray(samples, dtype=float), np.asarray(truth, dtype=float)
    if samples.ndim < 1 or samples.shape[0] < 2 or samples.shape[1:] != truth.shape:
        raise ValueError(f"samples must be (n_samples ≥ 2, *truth.shape), got {samples.shape} for truth "
                         f"{truth.shape}")
    for name, arr in (("samples", samples), ("truth", truth)):
        if not np.isfinite(arr).all():
            raise ValueError(f"{name} contains {int((~np.isfinite(arr)).sum())} NaN or infinite values")
    from neuroframes_edu._utils.validation import check_number, check_sequence

    levels = check_sequence(levels, "levels", lambda q, name: check_number(
        q, name, minimum=0, maximum=1, include_minimum=False, include_maximum=False))
    out = {}
    for q in levels:
        lo, hi = np.quantile(samples, [(1 - q) / 2, (1 + q) / 2], axis=0)
        out[float(q)] = float(np.mean((truth >= lo) & (truth <= hi)))
    return out


def decoding_accuracy(train_frames, train_labels, test_sets: dict, n_components: int = 50,
                      seed: int = 0) -> dict[str, float]:
    """Downstream check: decode labels (e.g. the scene category) from fMRI frames.

    A logistic-regression decoder (on z-scored frames reduced by PCA) is trained on real frames of
    training sessions and tested on each named test set — typically the real and the reconstructed
    frames of a held-out session. If reconstructed frames decode as well as real ones, the
    reconstruction kept the functional information.

    Parameters
    ----------
    train_frames : array-like, shape (n_train, n_vertices)
    train_labels : array-like, shape (n_train,)
    test_sets : dict of str to (frames, labels)
    n_components : int
        PCA components (capped by the data size).
    seed : int

    Returns
    -------
    dict
        Accuracy per test set, plus ``"chance"`` (the most frequent training label's share).
    """
    from sklearn.decomposition import PCA
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from neuroframes_edu._utils.validation import check_array, check_int, check_type

    x = check_array(train_frames, "train_frames", ndim=2, axes="(n_train, n_vertices)")
    labels = np.asarray(train_labels)
    if labels.ndim != 1 or len(x) != len(labels):
        raise ValueError(f"train_frames {x.shape} and train_labels {labels.shape} must pair up: one label per frame")
    if len(np.unique(labels)) < 2:
        raise ValueError("train_labels must contain at least two classes")
    n_components = check_int(n_components, "n_components", minimum=1)
    seed = check_int(seed, "seed", minimum=0, maximum=2**32 - 1)
    check_type(test_sets, dict, "test_sets", hint='give {"name": (frames, labels), ...}')
    tests = {}
    for name, pair in test_sets.items():
        if not (isinstance(pair, (tuple, list)) and len(pair) == 2):
            raise TypeError(f"test_sets[{name!r}] must be a pair (frames, labels), got {type(pair).__name__}")
        f = check_array(pair[0], f"test_sets[{name!r}] frames", ndim=2, axes="(n_test, n_vertices)")
        y = np.asarray(pair[1])
        if f.shape[1] != x.shape[1] or y.shape != (len(f),):
            raise ValueError(f"test_sets[{name!r}] has frames {f.shape} and labels {y.shape}; expected "
                             f"(n_test, {x.shape[1]}) frames, as train_frames, and one label per frame")
        tests[name] = (f, y)
    k = int(min(n_components, x.shape[0] - 1, x.shape[1]))
    model = make_pipeline(StandardScaler(), PCA(n_components=k, random_state=seed),
                          LogisticRegression(max_iter=2000, C=0.1))
    model.fit(x, labels)
    out = {name: float((model.predict(f) == y).mean()) for name, (f, y) in tests.items()}
    _, counts = np.unique(labels, return_counts=True)
    out["chance"] = float(counts.max() / counts.sum())
    return out
