"""Noise-aware completion: interpolation, exact null-space completion and temporal GP smoothers, scored
against the noise-free BOLD.

``python -m benchmarks.completion --preset fast`` (≈ 2 minutes on 2 CPU cores; its output is committed)
or ``--preset full`` (ico4, 5 seeds). Writes ``benchmarks/results/completion.json`` (every score,
versions, seeds, machine) and ``completion.md`` (``completion-full.*`` for the full preset).

On the default simulated data, for each subject: train on sessions 1–2, test on session 3 (its usable
volumes, in its own z units). Settings:

* ``50% missing, window w`` — half the volumes hidden at random (the seed picks which), each method
  seeing only the measured volumes inside consecutive windows of ``w`` volumes (as
  :mod:`neuroframes_edu.evaluation` does);
* ``anchors, K = k`` — windows of ``k`` volumes measured only at their two ends, the middle completed
  (the protocol of Qu et al. 2026); the seed shifts where the windows start;
* ``×4 frames per TR`` — the noise-free frames between the volumes, from all measured volumes.

Methods: linear and cubic interpolation; :func:`~neuroframes_edu.nullspace.complete_frames` with the
channel-ridge prediction (detail 0.5 and 0); :class:`~neuroframes_edu.smoothing.TemporalGP` per vertex,
low-rank, and with the ridge prediction as its prior mean. On the measured volumes, exact consistency
(λ = 1, the measurement itself) against the noise-aware DDNM+ weight
:func:`~neuroframes_edu.nullspace.noise_aware_lambda`, with the noise variance estimated from the test
session's measured volumes alone (:func:`~neuroframes_edu.smoothing.estimate_noise_variance`).
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

RESULTS = Path(__file__).resolve().parent / "results"
PRESETS = {
    "fast": {"subjects": [1, 2], "seeds": [0, 1, 2], "mesh": "ico3", "missing": 0.5, "windows": [3, 10, 30],
             "anchor_windows": [3, 10, 30], "rank": 16},
    "full": {"subjects": [1, 2], "seeds": [0, 1, 2, 3, 4], "mesh": "ico4", "missing": 0.5,
             "windows": [3, 10, 30], "anchor_windows": [3, 10, 30], "rank": 16},
}
DETAILS = (0.5, 0.0)
TIMINGS: dict = {}  # seconds spent in each method over the run, for the record


@dataclass
class Subject:
    """One subject's trained predictors and its test session, in the test session's z units."""

    times: np.ndarray  # (n,) usable volume times, s
    measured: np.ndarray  # (n, V)
    clean: np.ndarray  # (n, V) noise-free BOLD
    ridge: np.ndarray  # (n, V) ridge prediction from EEG
    gps: dict  # name → (TemporalGP, uses the ridge prediction as mean)
    fine: dict  # super-resolution: times, known, measured, truth, ridge on the fine frame grid
    fit_seconds: dict
    lam: dict  # noise-aware weights: "zero", "ridge" (per vertex, (V,)) and "scalar"


def prepare_subject(recordings, mesh_name: str, rank: int) -> Subject:
    """Train ridge and the GPs on the first two recordings; the third is the test session."""
    from neuroframes_edu.baselines import RidgeFingerprint
    from neuroframes_edu.smoothing import TemporalGP
    from neuroframes_edu.surface import load_mesh, resample_operator
    from neuroframes_edu.training import prepare_session

    *train, test = recordings
    mesh = load_mesh(mesh_name)
    data_mesh = test.load_mesh()
    to_mesh = resample_operator(data_mesh, mesh) if mesh.name != data_mesh.name else None

    def on_mesh(x):
        x = np.asarray(x, dtype=float)
        return x if to_mesh is None else np.asarray(to_mesh @ x.T).T

    p_train = [prepare_session(r, mesh=mesh) for r in train]
    p = prepare_session(test, mesh=mesh)
    ridge = RidgeFingerprint().fit(np.concatenate([s.hrf_at(s.times[s.valid]) for s in p_train]),
                                   np.concatenate([s.bold[s.valid] for s in p_train]))
    series = [s.bold.astype(float) for s in p_train]
    residuals = [s.bold - ridge.predict(s.hrf_at(s.times)) for s in p_train]
    gps, fit_seconds = {}, {}
    for name, r, with_mean in (("GP", None, False), ("GP low-rank", rank, False), ("GP + ridge mean", None, True),
                               ("GP low-rank + ridge mean", rank, True)):
        start = time.perf_counter()
        gps[name] = (TemporalGP(rank=r, seed=0).fit(residuals if with_mean else series, [s.times for s in p_train],
                                                    [s.valid for s in p_train]), with_mean)
        fit_seconds[name] = time.perf_counter() - start
    u = p.usable
    measured = p.standardized(on_mesh(test.bold))
    return Subject(times=p.times[u], measured=measured[u], clean=p.standardized(on_mesh(test.truth.bold_clean))[u],
                   ridge=ridge.predict(p.hrf_at(p.times[u])), gps=gps,
                   fine=_fine_grid(test, p, measured, on_mesh, ridge), fit_seconds=fit_seconds,
                   lam=noise_aware_weights(p_train, series, residuals))


def noise_aware_weights(p_train, series, residuals) -> dict:
    """DDNM+ weights ``λ = σ_p² / (σ_p² + σ_n²)`` per vertex, from the training sessions' measurements
    alone (:func:`~neuroframes_edu.smoothing.noise_aware_weights`): against the mean (``"zero"``) or
    the ridge prediction (``"ridge"``); ``"scalar"``: one weight from the cortex-wide means."""
    from neuroframes_edu.nullspace import noise_aware_lambda
    from neuroframes_edu.smoothing import estimate_noise_variance
    from neuroframes_edu.smoothing import noise_aware_weights as weights

    times, valid = [s.times for s in p_train], [s.valid for s in p_train]
    noise = np.mean([estimate_noise_variance(x, s.times, valid=s.valid) for x, s in zip(series, p_train,
                                                                                         strict=True)], axis=0)
    resid = np.mean([x[s.valid].var(axis=0) for x, s in zip(residuals, p_train, strict=True)], axis=0)
    return {"zero": weights(series, None, times, valid), "ridge": weights(series, residuals, times, valid),
            "scalar": noise_aware_lambda(max(float(resid.mean() - noise.mean()), 0.0), float(noise.mean()))}


def _fine_grid(rec, p, measured, on_mesh, ridge) -> dict:
    """The noise-free frames (4 per TR) with the measured volumes on their nearest frame, as in
    :mod:`neuroframes_edu.evaluation`'s super-resolution task."""
    from neuroframes_edu.data.alignment import has_eeg_window

    truth = rec.truth
    fine_t = truth.frame_times
    ok = has_eeg_window(fine_t, p.window)
    on_frame = truth.frame_index(rec.volume_times)
    known = np.zeros(len(fine_t), dtype=bool)
    known[on_frame[rec.valid]] = True
    y = np.zeros((len(fine_t), measured.shape[1]))
    y[on_frame[rec.valid]] = measured[rec.valid]
    return {"times": fine_t[ok], "known": known[ok], "measured": y[ok],
            "truth": p.standardized(on_mesh(truth.frames))[ok], "ridge": ridge.predict(p.hrf_at(fine_t[ok]))}


def methods(subject: Subject) -> dict:
    """Every method as ``fill(times, measured, known, ridge) → frames`` on one window."""
    from neuroframes_edu.evaluation import _complete_window, _interpolate_window

    out = {f"{kind} interpolation": (lambda t, y, k, r, kind=kind: _interpolate_window(t, y, k, kind))
           for kind in ("linear", "cubic")}
    for detail in DETAILS:
        out[f"ridge + completion (detail {detail:g})"] = (
            lambda t, y, k, r, detail=detail: _complete_window(r, y, k, t, detail))
    for name, (gp, with_mean) in subject.gps.items():
        out[name] = lambda t, y, k, r, gp=gp, with_mean=with_mean: gp.predict(t, y, k, mean=r if with_mean else None)
    return out


def _noise_aware_variants(filled: dict, subject: Subject, known: np.ndarray) -> dict:
    """DDNM+ on the measured volumes with the weights of :func:`noise_aware_weights`. For interpolation
    the prediction at a measured volume is the z-scored mean (0), for completion the ridge prediction;
    GPs are shown with their measured volumes kept exactly (λ = 1) instead."""
    from neuroframes_edu.nullspace import complete_known

    y, r, lam = subject.measured, subject.ridge, subject.lam
    out = {}
    for name, pred in filled.items():
        if name.startswith("GP"):
            out[f"{name}, measured kept (λ = 1)"] = complete_known(pred, y, known, lam=1.0)
        elif name.startswith("ridge"):
            base = np.where(known[:, None], r, pred)  # the projection starts from the prediction
            out[f"{name}, Wiener λ per vertex"] = complete_known(base, y, known, lam=lam["ridge"])
            out[f"{name}, Wiener λ scalar"] = complete_known(base, y, known, lam=lam["scalar"])
        elif name.startswith("linear"):
            out[f"{name}, Wiener λ per vertex"] = complete_known(np.where(known[:, None], 0.0, pred), y, known,
                                                                 lam=lam["zero"])
    return out


def score(pred, subject: Subject, known: np.ndarray) -> dict:
    """MSE and temporal r on the hidden volumes against the truth and the held-out measurements, and
    MSE against the truth on the measured volumes."""
    from neuroframes_edu.metrics import mse, temporal_r

    hidden = ~known
    y, c = subject.measured, subject.clean
    return {"mse_clean": mse(pred[hidden], c[hidden]), "temporal_r_clean": float(temporal_r(pred[hidden],
                                                                                            c[hidden]).mean()),
            "mse": mse(pred[hidden], y[hidden]), "temporal_r": float(temporal_r(pred[hidden], y[hidden]).mean()),
            "mse_clean_measured": mse(pred[known], c[known]), "measurement_noise": mse(y[hidden], c[hidden])}


def completion_rows(subject: Subject, setting: str, known: np.ndarray, size: int, offset: int = 0) -> list[dict]:
    """Every method (and its noise-aware variant) on one mask, completed in windows of ``size`` that
    start at ``offset`` (the volumes before it form one window of their own)."""
    from neuroframes_edu.nullspace import in_windows

    def offset_windows(fill, *arrays):
        head = [fill(*(a[:offset] for a in arrays))] if offset else []
        return np.concatenate([*head, in_windows(fill, size, *(a[offset:] for a in arrays))])

    filled = {}
    for name, fill in methods(subject).items():
        start = time.perf_counter()
        filled[name] = offset_windows(fill, subject.times, subject.measured, known, subject.ridge)
        TIMINGS[name] = TIMINGS.get(name, 0.0) + time.perf_counter() - start
    filled.update(_noise_aware_variants(filled, subject, known))
    return [{"task": "missing" if "missing" in setting else "anchors", "setting": setting, "method": name,
             **score(pred, subject, known)} for name, pred in filled.items()]


def anchor_mask(n: int, size: int, offset: int) -> np.ndarray:
    """Windows of ``size`` volumes measured at both ends only; the first window starts at ``offset``
    (earlier volumes are measured), the last one, however short, ends on a measured volume."""
    position = (np.arange(n) - offset) % size
    known = (position == 0) | (position == size - 1) | (np.arange(n) < offset)
    known[-1] = True
    return known


def superres_rows(subject: Subject) -> list[dict]:
    """Frames between the volumes from every measured volume of the session (no windows)."""
    from neuroframes_edu.baselines import interpolate_frames
    from neuroframes_edu.metrics import mse, temporal_r
    from neuroframes_edu.nullspace import complete_frames

    f = subject.fine
    t, k, y = f["times"], f["known"], f["measured"]
    preds = {f"{kind} interpolation": interpolate_frames(t[k], y[k], t, kind) for kind in ("linear", "cubic")}
    for detail in DETAILS:
        preds[f"ridge + completion (detail {detail:g})"] = complete_frames(f["ridge"], y, k, t, detail=detail)
    rows = []
    for name, (gp, with_mean) in subject.gps.items():
        start = time.perf_counter()
        preds[name] = gp.predict(t, y, k, mean=f["ridge"] if with_mean else None)
        rows.append({"task": "cost", "setting": "whole session", "method": name, "fit_s": subject.fit_seconds[name],
                     "superres_predict_s": time.perf_counter() - start})
    between = ~k
    for name, pred in preds.items():
        rows.append({"task": "superres", "setting": "×4 frames per TR", "method": name,
                     "mse_clean": mse(pred[between], f["truth"][between]),
                     "temporal_r_clean": float(temporal_r(pred[between], f["truth"][between]).mean())})
    return rows


def run_subject(subject: Subject, preset: dict, seed: int) -> list[dict]:
    rng = np.random.default_rng(seed)
    n = len(subject.times)
    rows = []
    hidden = rng.random(n) < preset["missing"]
    for size in preset["windows"]:
        rows += completion_rows(subject, f"{preset['missing']:.0%} missing, window {size}", ~hidden, size)
    for size in preset["anchor_windows"]:
        offset = int(rng.integers(size))
        known = anchor_mask(n, size, offset)
        rows += completion_rows(subject, f"anchors at window ends, K = {size}", known, size, offset)
    return rows


_SCORES = ("mse_clean", "temporal_r_clean", "mse", "temporal_r", "mse_clean_measured", "measurement_noise")
_COLUMNS = {"missing": _SCORES,
            "anchors": _SCORES,
            "superres": ("mse_clean", "temporal_r_clean"),
            "cost": ("fit_s", "superres_predict_s")}
_TITLES = {"missing": "Missing volumes at random (scored on the hidden volumes; `mse_clean_measured` on the "
                       "measured ones)",
           "anchors": "Anchors at the window ends only, the middle completed",
           "superres": "Sub-TR super-resolution (frames between the volumes, against the noise-free frames)",
           "cost": "Cost of the GPs (s; fit on two sessions, one whole-session super-resolution query)"}


def markdown(record: dict) -> str:
    """The Markdown tables: mean ± sd over subjects × seeds."""
    import pandas as pd

    df = pd.DataFrame(record["rows"])
    p = record["preset"]
    regime = (f"the `{p['regime']}` regime (simulator version {record['versions'].get('simulator', '?')})"
              if "regime" in p else "the simulator's earlier default (version 3, before its calibration; close to "
              "today's `generous` regime)")
    lines = [f"Preset `{record['preset_name']}` on {regime}: subjects {p['subjects']} (train on sessions 1–2, test "
             f"on 3), seeds "
             f"{p['seeds']}, mesh {p['mesh']}, low-rank GPs with {p['rank']} components; mean ± sd over subjects × "
             "seeds. Errors in units of the test session's z-scored measurements: `_clean` against the noise-free "
             "BOLD (the truth), the others against the held-out measured volumes. `measurement_noise`: the error "
             "of the hidden volumes' own measurements against the truth (not a floor: a temporal smoother predicts "
             "part of the slow physiological noise). Each method sees only the measured volumes inside its window.", ""]
    for task, columns in _COLUMNS.items():
        sub = df[df["task"] == task]
        if sub.empty:
            continue
        grouped = sub.groupby(["setting", "method"], sort=False)[list(columns)]
        mean, sd = grouped.mean(), grouped.std(ddof=0)
        lines += [f"### {_TITLES[task]}", "", "| setting | method | " + " | ".join(columns) + " |",
                  "|---|---|" + "---|" * len(columns)]
        for (setting, method), row in mean.iterrows():
            cells = [f"{row[c]:.3f} ± {sd.loc[(setting, method), c]:.3f}" for c in columns]
            lines.append(f"| {setting} | {method} | " + " | ".join(cells) + " |")
        lines.append("")
    lines.append(f"Measured {record['date']} on {record['machine']} (numpy {record['versions']['numpy']}, "
                 f"neuroframes-edu {record['versions']['neuroframes_edu']}) in {record['seconds'] / 60:.1f} min. "
                 f"Command: `python -m benchmarks.completion --preset {record['preset_name']}`.")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--preset", choices=sorted(PRESETS), default="fast")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--regime", default="default", help="simulated data regime (default: calibrated)")
    args = parser.parse_args(argv)

    import scipy.linalg  # noqa: F401  (loads its BLAS before the thread limit below)
    import sklearn.linear_model  # noqa: F401
    from threadpoolctl import threadpool_limits

    import neuroframes_edu
    from neuroframes_edu._utils.atomic import atomic_write_text
    from neuroframes_edu.data import load_dataset
    from neuroframes_edu.simulate import SIMULATOR_VERSION

    # The GP solves many small matrices: BLAS threads only add overhead there, and on a shared machine
    # they spin against each other (a 700 × 700 Cholesky took 1 s with 2 threads, 7 ms with 1).
    threadpool_limits(limits=1, user_api="blas")
    start = time.perf_counter()
    preset = {**PRESETS[args.preset], "regime": args.regime}
    dataset = load_dataset(regime=args.regime)
    rows, runs = [], []
    for number in preset["subjects"]:
        sessions = [r for r in dataset if r.subject == f"{number:02d}"][:3]
        t0 = time.perf_counter()
        subject = prepare_subject(sessions, preset["mesh"], preset["rank"])
        print(f"subject {number} prepared in {time.perf_counter() - t0:.1f} s", flush=True)
        base = {"subject": number, "recording": sessions[-1].name}
        rows += [{**base, "seed": 0, **r} for r in superres_rows(subject)]
        for seed in preset["seeds"]:
            rows += [{**base, "seed": seed, **r} for r in run_subject(subject, preset, seed)]
        runs.append({"subject": number, "seconds": round(time.perf_counter() - t0, 1)})
        print(json.dumps(runs[-1]), flush=True)
    import torch

    record = {"benchmark": "completion", "preset_name": args.preset, "preset": preset,
              "date": time.strftime("%Y-%m-%d"),
              "machine": f"{platform.platform()} ({platform.machine()}), {torch.get_num_threads()} torch threads, "
                         "1 BLAS thread",
              "versions": {"neuroframes_edu": neuroframes_edu.__version__, "numpy": np.__version__,
                           "python": platform.python_version(), "simulator": SIMULATOR_VERSION},
              "runs": runs, "rows": rows, "method_seconds": {k: round(v, 2) for k, v in TIMINGS.items()},
              "seconds": round(time.perf_counter() - start, 1)}
    args.output.mkdir(parents=True, exist_ok=True)
    stem = "completion" if args.preset == "fast" else f"completion-{args.preset}"
    atomic_write_text(args.output / f"{stem}.json", json.dumps(record, indent=1) + "\n")
    text = markdown(record)
    atomic_write_text(args.output / f"{stem}.md", text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
