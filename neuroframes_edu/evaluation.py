"""The evaluation harness: every method on every task of a held-out recording, in one table.

It scores any recordings, simulated or real: the model trains on ``train``, stops early on ``val`` and
is scored on ``test`` (different recordings, or parts of one from ``Recording.split``; never frames of
a training recording). Rows that need the truth are added only where the test recording has a
:class:`~neuroframes_edu.data.GroundTruth`.

Tasks:

* ``eeg_only`` — reconstruct every usable volume from EEG alone;
* ``missing`` — hide a fraction of the volumes and complete them, each method seeing only the
  measured volumes inside windows of ``w`` consecutive volumes (the sequence length);
* ``superres`` (truth only) — reconstruct the noise-free frames between the volumes, scored against them;
* ``decoding`` (truth with scenes only) — decode the scene on screen from real vs reconstructed volumes.

Methods: the training mean frame, linear and cubic interpolation, the ridge "EEG fingerprint" (alone
and with completion), and the model with and without temporal coherence, with plain null-space
completion (DDNM with a frame mask) and with completion from interpolated residuals. Errors are in
units of the test recording's z-scored measurements, against the measurements (whose noise is the
floor no method can go below) and, where known, against the noise-free BOLD.

Used by notebooks 07 and 08 and by ``python -m benchmarks.run``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from neuroframes_edu.data.alignment import has_eeg_window


@dataclass(frozen=True)
class EvaluationConfig:
    """What :func:`evaluate_recordings` runs.

    Parameters
    ----------
    mesh : str, optional
        Mesh to train and score on; default the recordings' own. ``"ico3"`` is quick on a CPU (the
        data are resampled to it; fsaverage meshes only).
    epochs : int
        Training epochs per model (early stopping on the validation session keeps the best).
    missing_fractions : tuple of float
        Fractions of the usable volumes hidden in the ``missing`` task.
    windows : tuple of int
        Sequence lengths (volumes) for the ``missing`` task.
    detail : float
        Weight of the prediction's detail in completion with interpolated residuals.
    decoding_lag : float
        Seconds between a scene and the volume it is decoded from.
    rois : tuple of str
        Regions reported separately.
    smoothness : float
        Weight of the smoothness penalty for the model with temporal coherence.
    """

    mesh: str | None = None
    epochs: int = 3
    missing_fractions: tuple[float, ...] = (0.25, 0.5, 0.75)
    windows: tuple[int, ...] = (3, 10, 30)
    detail: float = 0.5
    decoding_lag: float = 5.0
    rois: tuple[str, ...] = ("early_visual", "auditory")
    smoothness: float = 0.05

    def __post_init__(self):
        if not all(0 < f < 1 for f in self.missing_fractions):
            raise ValueError(f"missing_fractions must lie in (0, 1), got {self.missing_fractions}")
        if not all(int(w) >= 2 for w in self.windows):
            raise ValueError(f"windows must be ≥ 2 volumes, got {self.windows}")
        if self.epochs < 1:
            raise ValueError(f"epochs must be ≥ 1, got {self.epochs}")


MODEL_VARIANTS = {"model": "gru", "model (no coherence)": "none"}


def _windowed(size: int, fill, *arrays) -> np.ndarray:
    """Apply ``fill`` to consecutive windows of ``size`` frames of ``arrays`` (each sliced along its first
    axis), so that a method sees only what is measured inside the window; the frames, concatenated."""
    n = len(arrays[0])
    return np.concatenate([fill(*(a[s: s + size] for a in arrays)) for s in range(0, n, size)])


def _interpolate_window(times, measured, known, kind):
    from neuroframes_edu.baselines import interpolate_frames

    if not known.any():
        return np.zeros(measured.shape)  # nothing measured in the window: the (z-scored) mean frame
    return interpolate_frames(times[known], measured[known], times, kind)


def _complete_window(pred, measured, known, times, detail):
    from neuroframes_edu.nullspace import complete_frames

    if not known.any():
        return pred  # nothing measured in the window: the prediction as it is
    return complete_frames(pred, measured, known, times, detail=detail)


def evaluate_recordings(train, val, test, config: EvaluationConfig | None = None, seed: int = 0,
                        progress: bool = False):
    """Score every method on every task of held-out recordings.

    Parameters
    ----------
    train, val, test : Recording or list of Recording
        Training, validation (early stopping) and test recordings, held out from each other:
        different sessions, or the parts of one recording from ``Recording.split``. Test rows are
        pooled over the test recordings' usable volumes, each z-scored on its own.
    config : EvaluationConfig, optional
    seed : int
        Seeds model initialisation, training order and which volumes are hidden.
    progress : bool
        Show training progress bars.

    Returns
    -------
    rows : list of dict
        One row per (task, setting, method) with its metrics; see :func:`summary_table`.
    models : dict
        The trained models by name.

    Raises
    ------
    ValueError
        Recordings that overlap in time (they would leak), or on meshes that cannot be resampled to
        ``config.mesh``.
    """
    from neuroframes_edu.baselines import MeanFrame, RidgeFingerprint
    from neuroframes_edu.metrics import decoding_accuracy, evaluate, mse, temporal_r, zscore
    from neuroframes_edu.nullspace import complete_frames
    from neuroframes_edu.surface import load_mesh, resample_operator
    from neuroframes_edu.training import TrainConfig, check_held_out, prepare_session, reconstruct_session, train_model

    config = config or EvaluationConfig()
    train, val, test = ([r] if not isinstance(r, (list, tuple)) else list(r) for r in (train, val, test))
    data_mesh = test[0].load_mesh()
    mesh = load_mesh(config.mesh) if config.mesh else data_mesh
    to_mesh = resample_operator(data_mesh, mesh) if mesh.name != data_mesh.name else None
    p_train, p_val, p_test = ([prepare_session(r, mesh=mesh) for r in group] for group in (train, val, test))
    check_held_out(p_train, p_val)
    check_held_out(p_train, p_test)
    check_held_out(p_val, p_test)
    window = p_train[0].window

    def on_mesh(x):
        x = np.asarray(x, dtype=float)
        return x if to_mesh is None else np.asarray(to_mesh @ x.T).T

    # Test recordings are scored on their usable volumes, pooled; everything that looks along time
    # (interpolation, completion in windows) runs within one recording at a time.
    usable = [p.usable for p in p_test]
    stops = np.cumsum([int(u.sum()) for u in usable])
    segments = [slice(a, b) for a, b in zip(np.concatenate([[0], stops[:-1]]), stops, strict=True)]

    def pooled(per_recording):
        return np.concatenate([np.asarray(x)[u] for x, u in zip(per_recording, usable, strict=True)])

    def within_recordings(fn, *arrays):
        return np.concatenate([fn(*(a[seg] for a in arrays)) for seg in segments])

    # measurements (and, where known, the noise-free BOLD) in each test recording's z units, float64
    measured = [p.standardized(on_mesh(r.bold)) for r, p in zip(test, p_test, strict=True)]
    has_truth = all(r.truth is not None for r in test)
    rois = {k: mesh.rois[k] for k in config.rois if k in mesh.rois}
    base = {"subject": test[0].subject, "recording": ", ".join(r.name for r in test), "seed": seed,
            "mesh": mesh.name}
    rows = []

    def add(task, setting, method, **metrics):
        rows.append({**base, "task": task, "setting": setting, "method": method,
                     **{k: float(v) for k, v in metrics.items()}})

    # ---- ridge and models
    ridge = RidgeFingerprint().fit(np.concatenate([s.hrf_at(s.times[s.valid]) for s in p_train]),
                                   np.concatenate([s.bold[s.valid] for s in p_train]))
    predictions = {"ridge": pooled([ridge.predict(p.hrf_at(p.times)) for p in p_test])}
    models = {}
    for name, temporal in MODEL_VARIANTS.items():
        model, _ = train_model(p_train, p_val, mesh=mesh, temporal=temporal, seed=seed,
                               config=TrainConfig(epochs=config.epochs, seed=seed, progress=progress,
                                                  smoothness=config.smoothness if temporal != "none" else 0.0))
        models[name] = model
        # float64: exact pastes of the measurements in completion
        predictions[name] = pooled([reconstruct_session(model, p).astype(np.float64) for p in p_test])

    # ---- task 1: EEG only
    y_u = pooled(measured)
    n_usable = len(y_u)
    ceiling = clean_u = None
    if has_truth:
        clean_u = pooled([p.standardized(on_mesh(r.truth.bold_clean)) for r, p in zip(test, p_test, strict=True)])
        ceiling = np.clip(np.mean([on_mesh(r.truth.noise_ceiling[None])[0] for r in test], axis=0), 1e-6, None)
    mean_frame = MeanFrame().fit(np.concatenate([s.bold[s.valid] for s in p_train])).predict(n_usable)
    for method, pred in {"mean frame": mean_frame, **predictions}.items():
        m = evaluate(pred, y_u, rois=rois, noise_ceiling=ceiling)
        extra = {"ceiling_fraction": m["ceiling_fraction"],
                 "temporal_r_clean": float(temporal_r(pred, clean_u).mean())} if has_truth else {}
        add("eeg_only", "all volumes", method, mse=mse(pred, y_u), temporal_r=m["temporal_r"],
            spatial_r=m["spatial_r"], cosine=m["cosine"], **extra,
            **{f"temporal_r/{k}": m[f"temporal_r/{k}"] for k in rois})

    # ---- task 2: missing volumes, windows of w volumes (within each recording)
    rng = np.random.default_rng(seed)
    t_u = pooled([p.times for p in p_test])
    windowed = {}
    for fraction in config.missing_fractions:
        hidden = rng.random(n_usable) < fraction
        known = ~hidden
        for size in config.windows:
            setting = f"{fraction:.0%} missing, window {size}"

            def in_windows(fill, *arrays, size=size):
                return within_recordings(lambda *a: _windowed(size, fill, *a), *arrays)

            filled = {f"{kind} interpolation": in_windows(lambda t, y, k, kind=kind: _interpolate_window(
                t, y, k, kind), t_u, y_u, known) for kind in ("linear", "cubic")}
            if size not in windowed:  # the recurrence sees one window of `size` volumes at a time
                windowed[size] = {name: pooled([reconstruct_session(models[name], p, n_frames=size).astype(
                    np.float64) for p in p_test]) for name in models}
            for name, pred in {"ridge": predictions["ridge"], **windowed[size]}.items():
                filled[f"{name} + completion"] = in_windows(lambda p, y, k, t: _complete_window(
                    p, y, k, t, config.detail), pred, y_u, known, t_u)
                if name != "ridge":
                    filled[f"{name} + DDNM (mask)"] = complete_frames(pred, y_u, known, residual=None)
            for method, pred in filled.items():
                extra = {"mse_clean": mse(pred[hidden], clean_u[hidden]),
                         "noise_floor": mse(clean_u[hidden], y_u[hidden])} if has_truth else {}
                add("missing", setting, method, mse=mse(pred[hidden], y_u[hidden]), **extra,
                    temporal_r=float(temporal_r(pred[hidden], y_u[hidden]).mean()),
                    max_error_measured=float(np.abs(pred[known] - y_u[known]).max()))

    if has_truth:
        _superres(add, models, ridge, test[0], p_test[0], measured[0], on_mesh, window, config)
        if all(r.truth.scenes for r in test) and all(r.truth is not None and r.truth.scenes for r in train):
            lag = config.decoding_lag
            train_labels = np.concatenate([r.truth.scene_labels(s.times[s.valid], lag=lag)
                                           for r, s in zip(train, p_train, strict=True)])
            test_labels = np.concatenate([r.truth.scene_labels(p.times[p.usable], lag=lag)
                                          for r, p in zip(test, p_test, strict=True)])
            sets = {"real fMRI": (y_u, test_labels), **{k: (zscore(v), test_labels) for k, v in predictions.items()}}
            accuracy = decoding_accuracy(np.concatenate([s.bold[s.valid] for s in p_train]), train_labels, sets,
                                         seed=seed)
            for method, value in accuracy.items():
                add("decoding", f"scene, lag {lag:g} s", method, accuracy=value)
    return rows, models


def _superres(add, models, ridge, rec, p, measured, on_mesh, window, config):
    """Sub-TR super-resolution against the noise-free frames (of the first test recording)."""
    from neuroframes_edu.baselines import interpolate_frames
    from neuroframes_edu.metrics import mse, temporal_r
    from neuroframes_edu.nullspace import complete_frames
    from neuroframes_edu.training import reconstruct_session

    truth = rec.truth
    frames = p.standardized(on_mesh(truth.frames))
    fine_t = truth.frame_times
    fine_ok = has_eeg_window(fine_t, window)
    on_frame = truth.frame_index(rec.volume_times)  # each volume sits on the fine frame nearest its time
    on_volume = np.zeros(len(fine_t), dtype=bool)
    on_volume[on_frame[rec.valid]] = True
    y_fine = np.zeros_like(frames)
    y_fine[on_frame[rec.valid]] = measured[rec.valid]
    t_f, k_f, y_f, truth_f = fine_t[fine_ok], on_volume[fine_ok], y_fine[fine_ok], frames[fine_ok]
    between = ~k_f
    factor = truth.frames_per_volume
    setting = f"×{factor} frames per TR"
    sr = {"linear interpolation": interpolate_frames(t_f[k_f], y_f[k_f], t_f, "linear"),
          "cubic interpolation": interpolate_frames(t_f[k_f], y_f[k_f], t_f, "cubic")}
    fine_preds = {"ridge": ridge.predict(p.hrf_at(t_f))}
    for name, model in models.items():
        fine_preds[name] = reconstruct_session(model, p, frame_times=t_f, n_frames=10 * factor).astype(np.float64)
    for name, pred in fine_preds.items():
        sr[f"{name} + completion"] = complete_frames(pred, y_f, k_f, t_f, detail=config.detail)
    for method, pred in sr.items():
        add("superres", setting, method, mse_clean=mse(pred[between], truth_f[between]),
            temporal_r_clean=float(temporal_r(pred[between], truth_f[between]).mean()),
            max_error_measured=float(np.abs(pred[k_f] - y_f[k_f]).max()))


def summary_table(rows):
    """Mean and standard deviation over seeds (and subjects) of every metric, as a pandas DataFrame
    indexed by (task, setting, method)."""
    import pandas as pd

    df = pd.DataFrame(rows)
    metrics = [c for c in df.columns if c not in ("subject", "recording", "seed", "mesh", "task", "setting",
                                                  "method")]
    grouped = df.groupby(["task", "setting", "method"], sort=False)[metrics]
    out = grouped.mean().join(grouped.std(ddof=0).add_suffix(" sd"))
    return out.dropna(axis=1, how="all")


_COLUMNS = {
    "eeg_only": ("temporal_r", "temporal_r_clean", "spatial_r", "cosine", "mse", "ceiling_fraction",
                 "temporal_r/early_visual", "temporal_r/auditory"),
    "missing": ("mse", "mse_clean", "temporal_r", "max_error_measured", "noise_floor"),
    "superres": ("mse_clean", "temporal_r_clean", "max_error_measured"),
    "decoding": ("accuracy",),
}
_TITLES = {"eeg_only": "EEG-only reconstruction", "missing": "Missing volumes (scored on the hidden volumes)",
           "superres": "Sub-TR super-resolution (scored on the frames between volumes, against the noise-free "
                       "frames)", "decoding": "Downstream decoding of the scene category"}


def results_markdown(rows, digits: int = 3) -> str:
    """The evaluation as Markdown tables (mean ± sd over seeds and subjects), one per task."""
    table = summary_table(rows)
    n_runs = len({(r.get("recording", r.get("subject")), r["seed"]) for r in rows})
    lines = []
    for task, columns in _COLUMNS.items():
        if task not in table.index.get_level_values(0):
            continue
        sub = table.loc[task]
        columns = [c for c in columns if c in sub.columns]
        lines += [f"### {_TITLES[task]}", "", "| setting | method | " + " | ".join(columns) + " |",
                  "|---|---|" + "---|" * len(columns)]
        for (setting, method), row in sub.iterrows():
            cells = []
            for c in columns:
                sd = row.get(f"{c} sd", np.nan)
                cells.append(f"{row[c]:.{digits}f}" + (f" ± {sd:.{digits}f}" if n_runs > 1 and np.isfinite(sd) else ""))
            lines.append(f"| {setting} | {method} | " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines)
