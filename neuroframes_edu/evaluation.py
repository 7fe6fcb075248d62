"""The evaluation harness: every method on every task of a held-out session, in one table.

Tasks (all on the held-out test session of one subject; the model trains on session 1 and stops early
on session 2, never on frames of the test session):

* ``eeg_only`` — reconstruct every volume from EEG alone;
* ``missing`` — hide a fraction of the volumes and complete them, each method seeing only the
  measured volumes inside windows of ``w`` consecutive volumes (the sequence length);
* ``superres`` — reconstruct the simulator's noise-free frames between the volumes (``factor`` frames
  per TR), scored against that ground truth.

Methods: the training-set mean frame, linear and cubic interpolation, the ridge "EEG fingerprint"
(alone and with completion), and the model with and without temporal coherence, with plain
null-space completion (DDNM with a frame mask) and with completion from interpolated residuals.
Errors are in units of the session's z-scored measurements, against the measurements (whose noise is
the floor no method can go below) and against the noise-free BOLD.

Used by notebook 07 and by ``python -m benchmarks.run``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class EvaluationConfig:
    """What :func:`evaluate_subject` runs.

    Parameters
    ----------
    mesh : str
        Mesh to train and score on (``"ico3"`` is quick on a CPU; the data are resampled to it).
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

    mesh: str = "ico3"
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


def evaluate_subject(sessions, config: EvaluationConfig | None = None, seed: int = 0, progress: bool = False):
    """Score every method on every task for one subject.

    Parameters
    ----------
    sessions : sequence of 3 SimulatedSession
        Training, validation and test sessions of one subject (in that order).
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
    """
    import torch

    from neuroframes_edu.baselines import MeanFrame, RidgeFingerprint, interpolate_frames
    from neuroframes_edu.metrics import decoding_accuracy, evaluate, mse, temporal_r, zscore
    from neuroframes_edu.models import ModelConfig, NeuralFramesModel
    from neuroframes_edu.nullspace import complete_frames
    from neuroframes_edu.surface import load_mesh, resample_operator
    from neuroframes_edu.training import TrainConfig, fit, init_from_ridge, prepare_session, reconstruct_session

    config = config or EvaluationConfig()
    if len(sessions) != 3 or len({s.subject for s in sessions}) != 1:
        raise ValueError("sessions must be the training, validation and test sessions of one subject")
    sim = sessions[2]
    data_mesh, mesh = load_mesh(sim.config.mesh), load_mesh(config.mesh)
    to_mesh = resample_operator(data_mesh, mesh)
    train, val, test = (prepare_session(s).resampled(to_mesh) for s in sessions)

    # measurements, noise-free BOLD and ground-truth frames of the test session, in the same z units
    valid = sim.valid
    raw = np.asarray(to_mesh @ np.asarray(sim.bold, dtype=float).T).T
    mean, sd = raw[valid].mean(0), raw[valid].std(0)
    sd = np.where(sd > 0, sd, 1.0)

    def to_z(x):
        return (np.asarray(to_mesh @ np.asarray(x, dtype=float).T).T - mean) / sd

    measured, clean, frames = (raw - mean) / sd, to_z(sim.bold_clean), to_z(sim.frames)
    ceiling = np.clip(np.asarray(to_mesh @ sim.noise_ceiling), 1e-6, None)
    rois = {k: mesh.rois[k] for k in config.rois if k in mesh.rois}
    window_s = 16.0
    times = test.times
    usable = valid & (times >= window_s)
    base = {"subject": sim.subject, "seed": seed, "mesh": mesh.name}
    rows = []

    def add(task, setting, method, **metrics):
        rows.append({**base, "task": task, "setting": setting, "method": method,
                     **{k: float(v) for k, v in metrics.items()}})

    # ---- ridge and models
    ridge = RidgeFingerprint().fit(train.hrf_at(train.times[train.valid]), train.bold[train.valid])
    predictions = {"ridge": ridge.predict(test.hrf_at(times[usable]))}
    models = {}
    for name, temporal in MODEL_VARIANTS.items():
        torch.manual_seed(seed)
        cfg = ModelConfig(n_channels=train.eeg.shape[0], sfreq=train.sfreq, n_vertices=mesh.n_vertices,
                          mesh=mesh.name, temporal=temporal, window=window_s)
        model = NeuralFramesModel(cfg, mesh)
        init_from_ridge(model, [train])
        fit(model, [train], [val], TrainConfig(epochs=config.epochs, seed=seed, progress=progress,
                                               smoothness=config.smoothness if temporal != "none" else 0.0))
        models[name] = model
        predictions[name] = reconstruct_session(model, test)[usable].astype(np.float64)  # float64: exact pastes

    # ---- task 1: EEG only
    n_usable = int(usable.sum())
    predictions_eeg = {"mean frame": MeanFrame().fit(train.bold[train.valid]).predict(n_usable), **predictions}
    for method, pred in predictions_eeg.items():
        m = evaluate(pred, measured[usable], rois=rois, noise_ceiling=ceiling)
        add("eeg_only", "all volumes", method, mse=mse(pred, measured[usable]), temporal_r=m["temporal_r"],
            spatial_r=m["spatial_r"], cosine=m["cosine"], ceiling_fraction=m["ceiling_fraction"],
            temporal_r_clean=float(temporal_r(pred, clean[usable]).mean()),
            **{f"temporal_r/{k}": m[f"temporal_r/{k}"] for k in rois})

    # ---- task 2: missing volumes, windows of w volumes
    rng = np.random.default_rng(seed)
    t_u, y_u, c_u = times[usable], measured[usable], clean[usable]
    windowed = {}
    for fraction in config.missing_fractions:
        hidden = rng.random(n_usable) < fraction
        known = ~hidden
        noise_floor = mse(c_u[hidden], y_u[hidden])
        for size in config.windows:
            setting = f"{fraction:.0%} missing, window {size}"
            filled = {f"{kind} interpolation": _windowed(size, lambda t, y, k, kind=kind: _interpolate_window(
                t, y, k, kind), t_u, y_u, known) for kind in ("linear", "cubic")}
            if size not in windowed:  # the recurrence sees one window of `size` volumes at a time
                windowed[size] = {name: reconstruct_session(models[name], test, n_frames=size)[usable].astype(
                    np.float64) for name in models}
            for name, pred in {"ridge": predictions["ridge"], **windowed[size]}.items():
                filled[f"{name} + completion"] = _windowed(size, lambda p, y, k, t: _complete_window(
                    p, y, k, t, config.detail), pred, y_u, known, t_u)
                if name != "ridge":
                    filled[f"{name} + DDNM (mask)"] = np.where(known[:, None], y_u, pred)
            for method, pred in filled.items():
                add("missing", setting, method, mse=mse(pred[hidden], y_u[hidden]),
                    mse_clean=mse(pred[hidden], c_u[hidden]),
                    temporal_r=float(temporal_r(pred[hidden], y_u[hidden]).mean()),
                    max_error_measured=float(np.abs(pred[known] - y_u[known]).max())
                    if "interpolation" not in method else 0.0,
                    noise_floor=noise_floor)

    # ---- task 3: sub-TR super-resolution against the noise-free frames
    factor = sim.config.frames_per_tr
    fine_t = sim.frame_times
    fine_ok = fine_t >= window_s
    on_volume = np.zeros(len(fine_t), dtype=bool)
    on_volume[sim.volume_frame_index[valid]] = True
    y_fine = np.zeros_like(frames)
    y_fine[sim.volume_frame_index[valid]] = measured[valid]
    t_f, k_f, y_f, truth_f = fine_t[fine_ok], on_volume[fine_ok], y_fine[fine_ok], frames[fine_ok]
    between = ~k_f
    setting = f"×{factor} frames per TR"
    sr = {"linear interpolation": interpolate_frames(t_f[k_f], y_f[k_f], t_f, "linear"),
          "cubic interpolation": interpolate_frames(t_f[k_f], y_f[k_f], t_f, "cubic")}
    fine_preds = {"ridge": ridge.predict(test.hrf_at(t_f))}
    for name, model in models.items():
        fine_preds[name] = reconstruct_session(model, test, frame_times=t_f, n_frames=10 * factor).astype(np.float64)
    for name, pred in fine_preds.items():
        sr[f"{name} + completion"] = complete_frames(pred, y_f, k_f, t_f, detail=config.detail)
    for method, pred in sr.items():
        add("superres", setting, method, mse_clean=mse(pred[between], truth_f[between]),
            temporal_r_clean=float(temporal_r(pred[between], truth_f[between]).mean()),
            max_error_measured=float(np.abs(pred[k_f] - y_f[k_f]).max()))

    # ---- downstream: decode the scene from real vs reconstructed volumes
    train_sim = sessions[0]
    train_labels = train_sim.scene_labels(train.times[train.valid], lag=config.decoding_lag)
    test_labels = sim.scene_labels(t_u, lag=config.decoding_lag)
    sets = {"real fMRI": (y_u, test_labels), **{k: (zscore(v), test_labels) for k, v in predictions.items()}}
    accuracy = decoding_accuracy(train.bold[train.valid], train_labels, sets, seed=seed)
    for method, value in accuracy.items():
        add("decoding", f"scene, lag {config.decoding_lag:g} s", method, accuracy=value)
    return rows, models


def summary_table(rows):
    """Mean and standard deviation over seeds (and subjects) of every metric, as a pandas DataFrame
    indexed by (task, setting, method)."""
    import pandas as pd

    df = pd.DataFrame(rows)
    metrics = [c for c in df.columns if c not in ("subject", "seed", "mesh", "task", "setting", "method")]
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
    n_runs = len({(r["subject"], r["seed"]) for r in rows})
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
