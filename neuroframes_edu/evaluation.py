"""The evaluation harness: every method on every task of a held-out recording, in one table.

It scores any recordings, simulated or real: the model trains on ``train``, stops early on ``val`` and
is scored on ``test`` (different recordings, or parts of one from ``Recording.split``; never frames of
a training recording). Rows that need the truth are added only where the test recording has a
:class:`~neuroframes_edu.data.GroundTruth`.

Tasks:

* ``eeg_only`` — reconstruct every usable volume from EEG alone;
* ``missing`` — hide a fraction of the volumes and complete them, each method seeing only the
  measured volumes inside windows of ``w`` consecutive volumes (the sequence length); and the
  paper's protocol (arXiv 2603.24176): windows of K volumes measured only at their ends;
* ``superres`` (truth only) — reconstruct the noise-free frames between the volumes, scored against them;
* ``decoding`` (truth with scenes only) — decode the scene on screen from real vs reconstructed volumes.

Methods: the training mean frame, linear and cubic interpolation, a temporal Gaussian-process smoother
fitted on the training recordings (per vertex, low-rank, and with the source-ridge prediction as its
mean; :mod:`neuroframes_edu.smoothing`), the ridge "EEG fingerprint" on channel band power and on
source band power (an MNE inverse, :mod:`neuroframes_edu.sources`), alone and with completion, and the
model with and without temporal coherence, with plain null-space completion (DDNM with a frame mask)
and with completion from interpolated residuals (exact, λ = 1, and noise-aware: the measured volumes
weighed against the EEG prediction by per-vertex Wiener weights estimated on the training recordings,
DDNM+). Simulated test recordings add both ceilings: the
noise ceiling and the EEG-information ceiling (a ridge on the true source band power,
:mod:`neuroframes_edu.ceilings`), and each method's fraction of each. Errors are in
units of the test recording's z-scored measurements, against the measurements (whose noise is the
floor no method can go below) and, where known, against the noise-free BOLD.

Used by notebooks 07 and 08 and by ``python -m benchmarks.run``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from neuroframes_edu.data.alignment import has_eeg_window

#: The models the evaluation trains: the default (no temporal coherence, which bought no measured gain) and
#: the model with it, so that every table shows what coherence adds.
MODEL_VARIANTS = {"model": "none", "model + temporal coherence": "gru"}


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
    stride : int, optional
        Volumes between the starts of the models' training windows
        (:class:`~neuroframes_edu.training.TrainConfig`); default half a training window (5 of its 10
        volumes). ``10`` puts the windows side by side and halves the training steps (the notebooks'
        FAST mode). The diffusion model (``diffusion``) keeps its own default.
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
    anchor_windows : tuple of int
        The paper's protocol in the ``missing`` task: windows of K volumes measured only at their two
        ends, the middle completed.
    source_method : str, optional
        MNE inverse (:mod:`neuroframes_edu.sources`, ``"eLORETA"``, ``"MNE"``, …) for the "source ridge"
        baseline and the models' source input (they then read the band power of every source and start
        from the source ridge); ``None`` leaves it out (models read the channels only).
    gp_rank : int
        Spatial components of the low-rank temporal GP smoother.
    models : tuple of str
        Which of :data:`MODEL_VARIANTS` to train and score (default both, so that every table shows what
        temporal coherence adds; ``("model",)`` halves the training time, ``()`` scores the baselines
        only).
    diffusion : dict, optional
        Also train and score the paper's diffusion model (:func:`~neuroframes_edu.training.train_diffusion`)
        with these options: ``epochs`` (default 100), ``lr`` (1e-3), ``patience`` (15), ``n_samples``
        per window (8), DDIM ``steps`` (20), and any :class:`~neuroframes_edu.nn.DiffusionConfig` field
        (``width``, ``depth``, ``frame_latent_dim``…). ``{}`` uses the defaults; ``None`` leaves it out.
    lr : float
        Learning rate of the models. They start from a ridge solution and fine-tune it, which needs
        small steps. Chosen on the validation session (session 2) of both default subjects, for a
        source-reading model on ico3 (validation loss at the start → best of 5 epochs, and its epoch):
        3e-4 gives 0.754 → 0.743 (epoch 2) and 0.779 → 0.769 (2); 1e-4 0.743 (5) and 0.770 (5), still
        falling; 1e-3 never beats the start (0.781 at best for subject 2), and 3e-3 is worse still.
        The same rate as ``TrainConfig.lr``, chosen there for models reading the channels.
    """

    mesh: str | None = None
    epochs: int = 3
    stride: int | None = None
    missing_fractions: tuple[float, ...] = (0.25, 0.5, 0.75)
    windows: tuple[int, ...] = (3, 10, 30)
    detail: float = 0.5
    decoding_lag: float = 5.0
    rois: tuple[str, ...] = ("early_visual", "auditory")
    smoothness: float = 0.05
    anchor_windows: tuple[int, ...] = (3, 10, 30)
    source_method: str | None = "eLORETA"
    gp_rank: int = 16
    lr: float = 3e-4
    models: tuple[str, ...] = tuple(MODEL_VARIANTS)
    diffusion: dict | None = None

    def __post_init__(self):
        from functools import partial

        from neuroframes_edu._utils.validation import (
            check_int,
            check_number,
            check_option,
            check_sequence,
            check_type,
        )
        from neuroframes_edu.sources import METHODS
        from neuroframes_edu.surface.regions import FSAVERAGE_ROIS
        from neuroframes_edu.surface.templates import MESH_NAMES

        def tidy(name, value):  # lists become tuples, so the frozen config stays hashable
            object.__setattr__(self, name, value)

        check_option(self.mesh, (None, *MESH_NAMES), "mesh")
        check_int(self.epochs, "epochs", minimum=1)
        check_int(self.gp_rank, "gp_rank", minimum=1)
        if self.stride is not None:
            check_int(self.stride, "stride", minimum=1)
        tidy("missing_fractions", check_sequence(
            self.missing_fractions, "missing_fractions",
            lambda f, n: check_number(f, n, minimum=0, maximum=1, include_minimum=False, include_maximum=False)))
        tidy("windows", check_sequence(self.windows, "windows", partial(check_int, minimum=2)))
        # two anchors and at least one volume between them
        tidy("anchor_windows", check_sequence(self.anchor_windows, "anchor_windows", partial(check_int, minimum=3),
                                              allow_empty=True))
        tidy("rois", check_sequence(self.rois, "rois", lambda r, n: check_option(r, tuple(FSAVERAGE_ROIS), n),
                                    allow_empty=True))
        tidy("models", check_sequence(self.models, "models", lambda m, n: check_option(m, tuple(MODEL_VARIANTS), n),
                                      allow_empty=True))
        if len(set(self.models)) != len(self.models):
            raise ValueError(f"models names a model twice: {self.models!r}; name each of {tuple(MODEL_VARIANTS)} once")
        check_number(self.detail, "detail", minimum=0)
        check_number(self.decoding_lag, "decoding_lag", minimum=0)
        check_number(self.smoothness, "smoothness", minimum=0)
        check_number(self.lr, "lr", minimum=0, include_minimum=False)
        check_type(self.source_method, (str, None), "source_method")
        if self.source_method is not None:
            check_option(self.source_method, METHODS, "source_method")
        if self.diffusion is not None:
            from dataclasses import fields

            from neuroframes_edu.nn.diffusion import DiffusionConfig

            known = {"epochs", "lr", "patience", "n_samples", "steps"} | {
                f.name for f in fields(DiffusionConfig) if f.name != "eeg"}
            unknown = sorted(set(self.diffusion) - known) if isinstance(self.diffusion, dict) else None
            if unknown is None or unknown:
                raise ValueError(f"diffusion must be a dict of options or None (got {self.diffusion!r}); known "
                                 f"options: {sorted(known)}")
            # check the values now, not after the other models have trained for minutes
            for name in ("epochs", "patience", "n_samples", "steps"):
                if name in self.diffusion:
                    check_int(self.diffusion[name], f"diffusion[{name!r}]", minimum=1)
            if "lr" in self.diffusion:
                check_number(self.diffusion["lr"], "diffusion['lr']", minimum=0, include_minimum=False)
            from neuroframes_edu.nn.config import ModelConfig

            probe = ModelConfig(n_channels=1, sfreq=100.0, n_vertices=59_412, mesh="fslr32k")  # the largest mesh
            DiffusionConfig(eeg=probe, **{k: v for k, v in self.diffusion.items() if k not in DIFFUSION_DEFAULTS})


#: The EEG-information ceiling's row: ridge on the true source band power (simulated recordings only).
ORACLE = "EEG-information ceiling (true source power)"
#: The paper's diffusion model's rows (``EvaluationConfig.diffusion``): the mean of its samples …
DIFFUSION = "diffusion (mean of samples)"
#: … and one sample, which is what a generative model draws (posterior draws score lower than their mean).
DIFFUSION_ONE = "diffusion (one sample)"
#: Training and sampling options of the diffusion model that ``EvaluationConfig.diffusion`` leaves out
#: (learning rate and patience as measured in ``benchmarks/diffusion.py``).
DIFFUSION_DEFAULTS = {"epochs": 100, "lr": 1e-3, "patience": 15, "n_samples": 8, "steps": 20}


class _Diffusion:
    """The paper's diffusion model in the evaluation: trained once per seed, sampled over the usable
    volumes of each test recording in windows that see only their own frames."""

    def __init__(self, p_train, p_val, mesh, options: dict, seed: int, ridge, progress: bool):
        import time

        from neuroframes_edu.smoothing import estimate_noise_variance
        from neuroframes_edu.training import TrainConfig, train_diffusion

        opts = {**DIFFUSION_DEFAULTS, **options}
        self.n_samples, self.steps = int(opts.pop("n_samples")), int(opts.pop("steps"))
        train_config = TrainConfig(epochs=int(opts.pop("epochs")), lr=float(opts.pop("lr")),
                                   patience=int(opts.pop("patience")), batch_size=16, seed=seed, progress=progress)
        start = time.perf_counter()
        self.model, self.result = train_diffusion(p_train, p_val, mesh=mesh, config=train_config, seed=seed,
                                                  ridge=ridge, **opts)
        self.train_seconds = time.perf_counter() - start
        self.seed = seed
        # DDNM+: the measurement noise of the z-scored BOLD, estimated from the training recordings alone
        self.sigma_y = float(np.sqrt(np.mean([estimate_noise_variance(s.bold, s.times, s.valid, per_vertex=False)
                                              for s in p_train])))

    def samples(self, p, known=None, measured=None, size: int = 10, sigma_y: float = 0.0,
                frame_times=None) -> np.ndarray:
        """``(n_samples, n_frames, V)`` over the usable volumes of prepared test recording ``p`` (or at
        ``frame_times``), in windows of ``size`` frames."""
        from neuroframes_edu.training import sample_session

        frame_times = p.times[p.usable] if frame_times is None else frame_times
        return sample_session(self.model, p, frame_times=frame_times, known=known, measured=measured,
                              n_samples=self.n_samples, steps=self.steps, sigma_y=sigma_y, n_frames=size,
                              exact=known is not None and sigma_y == 0, seed=self.seed, last="short"
                              ).astype(np.float64)

    def cost(self, p) -> dict:
        """Training seconds, and milliseconds per window of 10 frames sampled at 10 and at 50 DDIM steps."""
        import time

        from neuroframes_edu.training import sample_session

        times = p.times[p.usable][:80]  # 8 windows
        out = {"train_seconds": self.train_seconds, "epochs_trained": len(self.result.history),
               "best_epoch": self.result.best_epoch}
        for steps in (10, 50):
            start = time.perf_counter()
            sample_session(self.model, p, frame_times=times, steps=steps, n_frames=10, seed=self.seed)
            out[f"ms_per_window_{steps}_steps"] = 1000 * (time.perf_counter() - start) / 8
        return out


class _SourceRidge:
    """The "source ridge" baseline: a ridge from the band power of every source of an MNE inverse (built
    from the training recordings: template head, noise covariance from their EEG) to BOLD, on sessions
    prepared with their sources (``PreparedSession.with_sources``)."""

    def __init__(self, p_train, p_test, train_bold):
        from neuroframes_edu.baselines import RidgeFingerprint

        train_x = [s.sources_at(s.times) for s in p_train]
        self.ridge = RidgeFingerprint().fit(np.concatenate([x[s.valid] for x, s in zip(train_x, p_train,
                                                                                        strict=True)]), train_bold)
        self.train_predictions = _out_of_fold(self.ridge, train_x, p_train)
        self.test_predictions = [self.ridge.predict(p.sources_at(p.times)) for p in p_test]
        self._test = p_test[0]

    def predict_fine(self, times):
        """Predictions at times of the first test recording (super-resolution)."""
        return self.ridge.predict(self._test.sources_at(times))


def _out_of_fold(ridge, features, sessions) -> list:
    """A fitted ridge's out-of-fold predictions of its training sessions' valid volumes (zeros elsewhere):
    each session predicted by a ridge fitted on the others, or contiguous folds of a single session."""
    valid = [s.valid for s in sessions]
    groups = np.concatenate([np.full(int(v.sum()), i) for i, v in enumerate(valid)])
    pred = ridge.cross_val_predict(np.concatenate([x[v] for x, v in zip(features, valid, strict=True)]),
                                   np.concatenate([s.bold[s.valid] for s in sessions]), groups=groups)
    out, start = [], 0
    for s in sessions:
        full = np.zeros(s.bold.shape)
        full[s.valid] = pred[start: start + int(s.valid.sum())]
        start += int(s.valid.sum())
        out.append(full)
    return out


def _fit_gps(p_train, eeg_train_predictions, eeg_mean: str, rank: int, seed: int) -> dict:
    """Temporal GP smoothers fitted on the training recordings: per vertex, low-rank, and on the
    out-of-fold residuals of an EEG prediction (then used as the GP's mean). Name → (GP, name of its
    mean or None)."""
    from neuroframes_edu.smoothing import TemporalGP

    times, valid = [s.times for s in p_train], [s.valid for s in p_train]
    series = [s.bold.astype(np.float64) for s in p_train]
    residuals = [s.bold - pred for s, pred in zip(p_train, eeg_train_predictions, strict=True)]
    return {"GP": (TemporalGP(seed=seed).fit(series, times, valid), None),
            f"GP low-rank ({rank})": (TemporalGP(rank=rank, seed=seed).fit(series, times, valid), None),
            f"GP + {eeg_mean} mean": (TemporalGP(seed=seed).fit(residuals, times, valid), eeg_mean)}


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
    seed : int or sequence of int
        Seeds model initialisation, training order and which volumes are hidden. Several seeds run
        in one call share what does not depend on the seed (preparation, the inverse, the ridge
        baselines and the ceilings), each with its own rows.
    progress : bool
        Show training progress bars.

    Returns
    -------
    rows : list of dict
        One row per (task, setting, method) with its metrics; see :func:`summary_table`.
    models : dict
        The trained models by name (for several seeds: ``{seed: {name: model}}``).

    Raises
    ------
    ValueError
        Recordings that overlap in time (they would leak), or on meshes that cannot be resampled to
        ``config.mesh``.
    """
    from neuroframes_edu._utils.validation import check_int, check_sequence, check_type
    from neuroframes_edu.baselines import MeanFrame, RidgeFingerprint
    from neuroframes_edu.data.recording import Recording
    from neuroframes_edu.metrics import cosine, decoding_accuracy, evaluate, interval_coverage, mse, temporal_r, zscore
    from neuroframes_edu.nullspace import complete_frames, complete_known, in_windows, window_end_anchors
    from neuroframes_edu.smoothing import noise_aware_weights
    from neuroframes_edu.surface import load_mesh, resample_operator
    from neuroframes_edu.training import TrainConfig, check_held_out, prepare_session, reconstruct_session, train_model

    check_type(config, (EvaluationConfig, None), "config", hint="e.g. EvaluationConfig(epochs=1)")
    config = config or EvaluationConfig()
    single = np.ndim(seed) == 0
    seeds = [check_int(seed, "seed", minimum=0)] if single else list(check_sequence(
        seed, "seed", lambda s, name: check_int(s, name, minimum=0)))
    if len(set(seeds)) != len(seeds):
        raise ValueError(f"seed must be an int or a sequence of distinct ints, got {seed!r}")

    def recordings(value, name):  # one Recording or a non-empty list of them (not prepared sessions)
        value = [value] if isinstance(value, Recording) else value
        return list(check_sequence(value, name, lambda r, item: check_type(
            r, Recording, item, hint="evaluate_recordings prepares the recordings itself; pass Recording objects")))

    train, val, test = recordings(train, "train"), recordings(val, "val"), recordings(test, "test")
    data_mesh = test[0].load_mesh()
    mesh = load_mesh(config.mesh) if config.mesh else data_mesh
    to_mesh = resample_operator(data_mesh, mesh) if mesh.name != data_mesh.name else None
    p_train, p_val, p_test = ([prepare_session(r, mesh=mesh) for r in group] for group in (train, val, test))
    imaging = None
    if config.source_method is not None:  # the inverse from the training recordings only
        from neuroframes_edu.sources import make_source_imaging

        imaging = make_source_imaging([r.raw for r in train], mesh, method=config.source_method)
        p_train, p_val, p_test = ([p.with_sources(r, imaging) for r, p in zip(group, prepared, strict=True)]
                                  for group, prepared in ((train, p_train), (val, p_val), (test, p_test)))
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
    base = {"subject": test[0].subject, "recording": ", ".join(r.name for r in test), "seed": None,
            "mesh": mesh.name}
    rows = []

    def add(task, setting, method, **metrics):
        rows.append({**base, "task": task, "setting": setting, "method": method,
                     **{k: float(v) for k, v in metrics.items()}})

    # ---- ridge (channels and sources), the temporal GP smoothers, and the models
    train_bold = np.concatenate([s.bold[s.valid] for s in p_train])
    ridge = RidgeFingerprint().fit(np.concatenate([s.hrf_at(s.times[s.valid]) for s in p_train]), train_bold)
    predictions = {"ridge": pooled([ridge.predict(p.hrf_at(p.times)) for p in p_test])}
    source = None
    if config.source_method is not None:
        source = _SourceRidge(p_train, p_test, train_bold)
        predictions["source ridge"] = pooled(source.test_predictions)
    eeg_mean = "source ridge" if source is not None else "ridge"
    held_out = source.train_predictions if source is not None else _out_of_fold(
        ridge, [s.hrf_at(s.times) for s in p_train], p_train)
    # DDNM+: per-vertex weights of the measured volumes against the EEG prediction, from training data
    lam = noise_aware_weights([s.bold for s in p_train], [s.bold - h for s, h in zip(p_train, held_out, strict=True)],
                              [s.times for s in p_train], [s.valid for s in p_train])
    # ---- task 1: EEG only
    y_u = pooled(measured)
    n_usable = len(y_u)
    ceiling = clean_u = None
    if has_truth:
        clean_u = pooled([p.standardized(on_mesh(r.truth.bold_clean)) for r, p in zip(test, p_test, strict=True)])
        ceiling = np.clip(np.mean([on_mesh(r.truth.noise_ceiling[None])[0] for r in test], axis=0), 1e-6, None)
    mean_frame = MeanFrame().fit(train_bold).predict(n_usable)
    oracle = {}
    if has_truth and all(r.truth is not None and r.truth.source_log_power is not None for r in (*train, *test)):
        from neuroframes_edu.ceilings import eeg_information_features

        fit = RidgeFingerprint().fit(np.concatenate([eeg_information_features(r, s.times[s.valid])
                                                     for r, s in zip(train, p_train, strict=True)]), train_bold)
        oracle[ORACLE] = pooled([fit.predict(eeg_information_features(r, p.times))
                                 for r, p in zip(test, p_test, strict=True)])
    eeg_ceiling = float(temporal_r(oracle[ORACLE], y_u).mean()) if oracle else None
    shared_predictions, all_models = predictions, {}
    for seed in seeds:  # what depends on the seed: the GPs, the models, the hidden volumes, decoding
        base["seed"] = seed
        predictions = dict(shared_predictions)
        gps = _fit_gps(p_train, held_out, eeg_mean, config.gp_rank, seed)
        models, best_epochs = {}, {}
        eeg_only_frames = 10  # the window the models reconstruct whole sessions in; reused in the missing task
        for name in config.models:
            temporal = MODEL_VARIANTS[name]
            train_config = TrainConfig(epochs=config.epochs, stride=config.stride, lr=config.lr, seed=seed,
                                       progress=progress, smoothness=config.smoothness if temporal != "none" else 0.0)
            model, result = train_model(p_train, p_val, mesh=mesh, temporal=temporal, seed=seed, config=train_config,
                                        ridge=source.ridge if source is not None else ridge)  # its baseline
            model.source_imaging = imaging
            models[name] = model
            best_epochs[name] = result.best_epoch
            # float64: exact pastes of the measurements in completion
            predictions[name] = pooled([reconstruct_session(model, p, n_frames=eeg_only_frames).astype(np.float64)
                                        for p in p_test])
        diffusion = coverage = None
        if config.diffusion is not None:  # the paper's model: tokens start from the same ridge as the model
            diffusion = _Diffusion(p_train, p_val, mesh, config.diffusion, seed,
                                   source.ridge if source is not None else ridge, progress)
            diffusion.model.source_imaging = imaging
            drawn = np.concatenate([diffusion.samples(p) for p in p_test], axis=1)
            predictions[DIFFUSION], predictions[DIFFUSION_ONE] = drawn.mean(0), drawn[0]
            coverage = {f"coverage_{round(100 * q)}": c for q, c in interval_coverage(drawn, y_u).items()}
            if has_truth:
                coverage.update({f"coverage_{round(100 * q)}_clean": c
                                 for q, c in interval_coverage(drawn, clean_u).items()})
            coverage["spread"] = float(drawn.std(0).mean())
            add("uncertainty", "EEG only", DIFFUSION, **coverage)
            add("cost", "per (subject, seed)", "diffusion", **diffusion.cost(p_test[0]))

        for method, pred in {"mean frame": mean_frame, **predictions, **oracle}.items():
            m = evaluate(pred, y_u, rois=rois, noise_ceiling=ceiling)
            extra = {"ceiling_fraction": m["ceiling_fraction"],
                     "temporal_r_clean": float(temporal_r(pred, clean_u).mean())} if has_truth else {}
            if eeg_ceiling is not None and eeg_ceiling > 0:
                extra["eeg_ceiling_fraction"] = m["temporal_r"] / eeg_ceiling
            if method in best_epochs:  # the epoch early stopping kept (0: the ridge start, 1: the first)
                extra["best_epoch"] = best_epochs[method]
            add("eeg_only", "all volumes", method, mse=mse(pred, y_u), temporal_r=m["temporal_r"],
                spatial_r=m["spatial_r"], cosine=m["cosine"], **extra,
                **{f"temporal_r/{k}": m[f"temporal_r/{k}"] for k in rois})

        # ---- task 2: missing volumes — random ones in windows of w volumes, and windows measured only at
        # their two ends (the paper's protocol); every method sees one window of one recording at a time
        rng = np.random.default_rng(seed)
        t_u = pooled([p.times for p in p_test])
        settings = []
        for fraction in config.missing_fractions:
            hidden = rng.random(n_usable) < fraction
            settings += [(f"{fraction:.0%} missing, window {size}", hidden, size) for size in config.windows]
        for size in config.anchor_windows:
            settings.append((f"anchors at window ends, K = {size}", ~within_recordings(
                lambda t, size=size: window_end_anchors(len(t), size), t_u), size))
        # the models' reconstructions in windows of each size, starting with the EEG-only predictions above
        windowed = {eeg_only_frames: {name: predictions[name] for name in models}}
        for setting, hidden, size in settings:
            known = ~hidden

            def per_window(fill, *arrays, size=size):
                return within_recordings(lambda *a: in_windows(fill, size, *a), *arrays)

            filled = {f"{kind} interpolation": per_window(lambda t, y, k, kind=kind: _interpolate_window(
                t, y, k, kind), t_u, y_u, known) for kind in ("linear", "cubic")}
            for name, (gp, mean) in gps.items():
                prior = np.zeros_like(y_u) if mean is None else predictions[mean]
                filled[name] = per_window(lambda t, y, k, m, gp=gp: gp.predict(t, y, k, mean=m), t_u, y_u, known, prior)
                if mean is not None:  # λ = 1: the same, with the measured volumes kept exactly
                    filled[f"{name}, measured kept (λ = 1)"] = complete_known(filled[name], y_u, known, lam=1.0)
            if size not in windowed:  # the recurrence sees one window of `size` volumes at a time
                windowed[size] = {name: pooled([reconstruct_session(models[name], p, n_frames=size).astype(
                    np.float64) for p in p_test]) for name in models}
            eeg_predictions = {k: predictions[k] for k in ("ridge", "source ridge") if k in predictions}
            for name, pred in {**eeg_predictions, **windowed[size]}.items():
                filled[f"{name} + completion"] = per_window(lambda p, y, k, t: _complete_window(
                    p, y, k, t, config.detail), pred, y_u, known, t_u)
                if name in models:
                    filled[f"{name} + DDNM (mask)"] = complete_frames(pred, y_u, known, residual=None)
            if diffusion is not None:  # the projection inside the sampler, exact (DDNM) or noise-aware (DDNM+)
                for label, sigma in (("DDNM in the sampler", 0.0), ("DDNM+ in the sampler", diffusion.sigma_y)):
                    drawn = np.concatenate([diffusion.samples(p, known[seg], y_u[seg], size, sigma)
                                            for p, seg in zip(p_test, segments, strict=True)], axis=1)
                    filled[f"diffusion + {label}"] = drawn.mean(0)
            # DDNM+: the measured volumes become prediction + λ (measurement − prediction); hidden ones as completed
            start = np.where(known[:, None], predictions[eeg_mean], filled[f"{eeg_mean} + completion"])
            filled[f"{eeg_mean} + completion, noise-aware λ"] = complete_known(start, y_u, known, lam=lam)
            y_h = y_u[hidden]
            if has_truth:
                clean_h, clean_k = clean_u[hidden], clean_u[known]
                measurement_noise = mse(clean_h, y_h)
            for method, pred in filled.items():
                p_h = pred[hidden]
                r_h = temporal_r(p_h, y_h)
                extra = {"mse_clean": mse(p_h, clean_h), "measurement_noise": measurement_noise,
                         "mse_clean_measured": mse(pred[known], clean_k),
                         # in the units of the measurements (the truth barely varies at some vertices)
                         "cosine_clean": float(cosine(p_h, clean_h, reference=y_h).mean()),
                         **{f"mse_clean/{k}": mse(p_h[:, roi], clean_h[:, roi]) for k, roi in rois.items()},
                         } if has_truth else {}
                add("missing", setting, method, mse=mse(p_h, y_h), **extra, temporal_r=float(r_h.mean()),
                    cosine=float(cosine(p_h, y_h).mean()),
                    max_error_measured=float(np.abs(pred[known] - y_u[known]).max()),
                    **{f"temporal_r/{k}": float(r_h[roi].mean()) for k, roi in rois.items()})

        if has_truth:
            _superres(add, models, ridge, source, gps, test[0], p_test[0], measured[0], on_mesh, window, config,
                      diffusion)
            if all(r.truth.scenes for r in test) and all(r.truth is not None and r.truth.scenes for r in train):
                lag = config.decoding_lag
                train_labels = np.concatenate([r.truth.scene_labels(s.times[s.valid], lag=lag)
                                               for r, s in zip(train, p_train, strict=True)])
                test_labels = np.concatenate([r.truth.scene_labels(p.times[p.usable], lag=lag)
                                              for r, p in zip(test, p_test, strict=True)])
                sets = {"real fMRI": (y_u, test_labels),
                        **{k: (zscore(v), test_labels) for k, v in predictions.items()}}
                accuracy = decoding_accuracy(np.concatenate([s.bold[s.valid] for s in p_train]), train_labels, sets,
                                             seed=seed)
                for method, value in accuracy.items():
                    add("decoding", f"scene, lag {lag:g} s", method, accuracy=value)
        all_models[seed] = models
    return rows, (all_models[seeds[0]] if single else all_models)


def _superres(add, models, ridge, source, gps, rec, p, measured, on_mesh, window, config, diffusion=None):
    """Sub-TR super-resolution against the noise-free frames (of the first test recording). The diffusion
    model samples windows spanning as many seconds as the models' (10 volumes), with the measured volumes
    kept inside the sampler; it was trained on frames one TR apart, so frames between volumes are new to it."""
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
    if source is not None:
        fine_preds["source ridge"] = source.predict_fine(t_f)
    for name, (gp, mean) in gps.items():
        sr[name] = gp.predict(t_f, y_f, k_f, mean=None if mean is None else fine_preds[mean])
    for name, model in models.items():
        fine_preds[name] = reconstruct_session(model, p, frame_times=t_f, n_frames=10 * factor).astype(np.float64)
    for name, pred in fine_preds.items():
        sr[f"{name} + completion"] = complete_frames(pred, y_f, k_f, t_f, detail=config.detail)
    if diffusion is not None:
        sr["diffusion + DDNM in the sampler"] = diffusion.samples(p, k_f, y_f, 10 * factor, frame_times=t_f).mean(0)
    for method, pred in sr.items():
        add("superres", setting, method, mse_clean=mse(pred[between], truth_f[between]),
            temporal_r_clean=float(temporal_r(pred[between], truth_f[between]).mean()),
            max_error_measured=float(np.abs(pred[k_f] - y_f[k_f]).max()))


def summary_table(rows):
    """Mean and standard deviation over seeds (and subjects) of every metric, as a pandas DataFrame
    indexed by (task, setting, method)."""
    import pandas as pd

    df = pd.DataFrame(rows)
    if df.empty or not {"task", "setting", "method"} <= set(df.columns):
        raise ValueError("rows must be the non-empty list of result rows that evaluate_recordings returns (each with "
                         "task, setting and method)")
    metrics = [c for c in df.columns if c not in ("subject", "recording", "seed", "mesh", "task", "setting",
                                                  "method")]
    grouped = df.groupby(["task", "setting", "method"], sort=False)[metrics]
    out = grouped.mean().join(grouped.std(ddof=0).add_suffix(" sd"))
    return out.dropna(axis=1, how="all")


_COLUMNS = {
    "eeg_only": ("temporal_r", "temporal_r_clean", "spatial_r", "cosine", "mse", "ceiling_fraction",
                 "eeg_ceiling_fraction", "temporal_r/early_visual", "temporal_r/auditory"),
    "missing": ("mse", "mse_clean", "temporal_r", "cosine", "max_error_measured", "mse_clean_measured",
                "measurement_noise"),
    "superres": ("mse_clean", "temporal_r_clean", "max_error_measured"),
    "decoding": ("accuracy",),
    "uncertainty": ("coverage_50", "coverage_90", "coverage_50_clean", "coverage_90_clean", "spread"),
    "cost": ("train_seconds", "epochs_trained", "best_epoch", "ms_per_window_10_steps", "ms_per_window_50_steps"),
}
_TITLES = {"eeg_only": "EEG-only reconstruction", "missing": "Missing volumes (scored on the hidden volumes)",
           "superres": "Sub-TR super-resolution (scored on the frames between volumes, against the noise-free "
                       "frames)", "decoding": "Downstream decoding of the scene category",
           "uncertainty": "Uncertainty of the diffusion model: coverage of the measurements (and of the noise-free "
                          "BOLD) by the central 50% and 90% intervals of its samples; spread: their mean sd",
           "cost": "Cost of the diffusion model: training, and sampling per window of 10 frames"}


# The paper's protocol (anchors at the window ends) once more, by region and with the cosine: the
# metrics arXiv 2603.24176 reports, against the noise-free BOLD where the data have it; then, per region,
# the columns that start with _REGION_PREFIXES
_REGION_SETTINGS = "anchors at window ends"
_REGION_TITLE = "The paper's protocol by region (anchors at window ends; scored on the hidden volumes)"
_REGION_COLUMNS = ("mse_clean", "cosine_clean", "cosine")
_REGION_PREFIXES = ("mse_clean/", "temporal_r/")


def results_markdown(rows, digits: int = 3) -> str:
    """The evaluation as Markdown tables (mean ± sd over seeds and subjects), one per task, and the
    paper's anchors-at-window-ends protocol by region."""
    table = summary_table(rows)
    n_runs = len({(r.get("recording", r.get("subject")), r["seed"]) for r in rows})
    lines = []
    per_region = [c for prefix in _REGION_PREFIXES for c in table.columns
                  if c.startswith(prefix) and not c.endswith(" sd")]
    tables = [(task, _TITLES[task], columns, None) for task, columns in _COLUMNS.items()]
    if per_region:
        tables.append(("missing", _REGION_TITLE, (*_REGION_COLUMNS, *per_region), _REGION_SETTINGS))
    for task, title, columns, settings in tables:
        if task not in table.index.get_level_values(0):
            continue
        sub = table.loc[task]
        if settings is not None:
            sub = sub[[str(s).startswith(settings) for s in sub.index.get_level_values(0)]]
        # a column another task fills (e.g. cosine in an older record's missing-volume rows) stays out
        columns = [c for c in columns if c in sub.columns and sub[c].notna().any()]
        if sub.empty or (settings is not None and not set(columns) & set(per_region)):  # no region scored
            continue
        lines += [f"### {title}", "", "| setting | method | " + " | ".join(columns) + " |",
                  "|---|---|" + "---|" * len(columns)]
        for (setting, method), row in sub.iterrows():
            cells = []
            for c in columns:
                sd = row.get(f"{c} sd", np.nan)
                cells.append(f"{row[c]:.{digits}f}" + (f" ± {sd:.{digits}f}" if n_runs > 1 and np.isfinite(sd) else ""))
            lines.append(f"| {setting} | {method} | " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines)
