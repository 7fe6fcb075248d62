"""Quality bars of the model library on the default simulated data (FAST settings, CPU).

For each subject: train on session 1, stop early on session 2, test on session 3 (held-out sessions,
never frames of a training session). Reports, on the test session's valid volumes:

* EEG-only reconstruction: the model (warm-started from ridge, then trained; with and without
  temporal coherence) against the ridge
  "EEG fingerprint" baseline and the mean frame — temporal r, spatial r, MSE, fraction of the noise
  ceiling;
* completion with 50% of the volumes missing: model + null-space completion against linear and cubic
  interpolation, MSE on the missing volumes, and the error on the measured ones (exactly 0);
* cost: seconds per training epoch at ico3, ico4 and ico5, and the peak memory of one training step
  on the 59,412-vertex fs_LR mesh (when the ``hcp`` extra is installed), each in a fresh process.

Run from the repository root: ``python -m benchmarks.quality`` (``--subjects 1`` for a quicker run).
Writes ``benchmarks/results/quality.json`` and ``benchmarks/results/quality.md``.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from benchmarks.common import peak_mib, synthetic_training_step

RESULTS = Path(__file__).resolve().parent / "results"
FAST_TRAINING = {"epochs": 8, "n_frames": 10, "batch_size": 8}


def _model(mesh, prepared, temporal="gru"):
    from neuroframes_edu.models import ModelConfig, NeuralFramesModel

    cfg = ModelConfig(n_channels=prepared.eeg.shape[0], sfreq=prepared.sfreq, n_vertices=mesh.n_vertices,
                      mesh=mesh.metadata["resolution"] if mesh.metadata["resolution"] != "32k" else "fslr32k",
                      temporal=temporal)
    return NeuralFramesModel(cfg, mesh)


def evaluate_subject(sessions, prepared, mesh, seed: int = 0) -> dict:
    """All quality numbers for one subject (sessions 1, 2, 3 = train, validation, test)."""
    import torch

    from neuroframes_edu.baselines import MeanFrame, RidgeFingerprint, interpolate_frames
    from neuroframes_edu.features import band_power
    from neuroframes_edu.metrics import decoding_accuracy, evaluate, mse, mse_z, zscore
    from neuroframes_edu.nullspace import complete_frames
    from neuroframes_edu.training import TrainConfig, fit, init_from_ridge, reconstruct_session

    train, val, test = prepared
    sim_test = sessions[2]
    rng = np.random.default_rng(seed)
    window = 16.0
    usable = test.valid & (test.times >= window)
    target = test.bold[usable]
    # the simulator's noise-free BOLD in the units of the z-scored measurements: the ground truth
    clean = ((sim_test.bold_clean - test.extras["bold_mean"]) / np.where(test.extras["bold_sd"] > 0,
                                                                         test.extras["bold_sd"], 1.0))
    out = {"subject": sessions[0].subject, "n_test_volumes": int(usable.sum())}

    def score(pred):
        m = evaluate(pred, target, noise_ceiling=sim_test.noise_ceiling)
        m["temporal_r_clean"] = evaluate(pred, clean[usable])["temporal_r"]
        return {k: round(v, 4) for k, v in m.items()}

    out["mean_frame"] = score(MeanFrame().fit(train.bold[train.valid]).predict(len(target)) +
                              1e-9 * rng.standard_normal(target.shape))
    feats = [band_power(s.raw, s.volume_times, hrf=True) for s in sessions]
    ridge = RidgeFingerprint().fit(feats[0][train.valid], train.bold[train.valid])
    ridge_pred = ridge.predict(feats[2])
    out["ridge"] = score(ridge_pred[usable])
    out["ridge"]["alpha"] = ridge.alpha_
    # downstream check: decode the scene on screen ~5 s earlier from real vs reconstructed frames
    lag = 5.0
    train_labels = sessions[0].scene_labels(train.times[train.valid], lag=lag)
    test_labels = sessions[2].scene_labels(test.times[usable], lag=lag)
    decoding_sets = {"real": (test.bold[usable], test_labels), "ridge": (zscore(ridge_pred[usable]), test_labels)}

    known = usable & (rng.random(len(test.times)) < 0.5)
    hidden = usable & ~known
    for variant, temporal, smooth in (("model", "gru", 0.05), ("model_no_coherence", "none", 0.0)):
        torch.manual_seed(seed)
        model = _model(mesh, train, temporal)
        init_from_ridge(model, [train])
        result = fit(model, [train], [val], TrainConfig(seed=seed, smoothness=smooth, progress=False,
                                                        **FAST_TRAINING))
        eeg_only = reconstruct_session(model, test)
        decoding_sets[variant] = (zscore(eeg_only[usable]), test_labels)
        k, h = known[usable], hidden[usable]
        plain = complete_frames(eeg_only[usable], test.bold[usable], k, residual=None)
        resid = complete_frames(eeg_only[usable], test.bold[usable], k, test.times[usable], detail=0.5)
        out[variant] = {**score(eeg_only[usable]), "best_epoch": result.best_epoch,
                        "seconds_per_epoch": round(result.seconds_per_epoch, 2),
                        "completion_mse_missing": round(mse_z(plain[h], test.bold[hidden]), 4),
                        "completion_mse_missing_clean": round(mse(plain[h], clean[hidden]), 4),
                        "residual_completion_mse_missing_clean": round(mse(resid[h], clean[hidden]), 4),
                        "completion_max_error_measured": float(np.abs(plain[k] - test.bold[known]).max()),
                        "residual_completion_mse_missing": round(mse_z(resid[h], test.bold[hidden]), 4),
                        "residual_completion_max_error_measured": float(np.abs(resid[k] - test.bold[known]).max())}
    for kind in ("linear", "cubic"):
        pred = interpolate_frames(test.times[known], test.bold[known], test.times[hidden], kind)
        out[f"{kind}_interpolation"] = {"completion_mse_missing": round(mse_z(pred, test.bold[hidden]), 4),
                                        "completion_mse_missing_clean": round(mse(pred, clean[hidden]), 4)}
    # no method can predict the measurement noise: its power is the floor of the MSE against measurements
    out["noise_floor_mse_missing"] = round(mse(clean[hidden], test.bold[hidden]), 4)
    accuracy = decoding_accuracy(train.bold[train.valid], train_labels, decoding_sets, seed=seed)
    out["decoding"] = {k: round(v, 4) for k, v in accuracy.items()}
    return out


def epoch_cost(mesh_name: str, duration: float = 600.0) -> dict:
    """Seconds for one training epoch on one simulated session at ``mesh_name`` (in this process)."""
    import torch

    from neuroframes_edu.simulate import SimulationConfig, simulate_session
    from neuroframes_edu.surface import load_mesh
    from neuroframes_edu.training import TrainConfig, fit, prepare_session

    mesh = load_mesh(mesh_name)
    cfg = SimulationConfig(mesh=mesh_name, duration=duration)
    train = prepare_session(simulate_session(cfg, seed=0, subject=1, session=1, mesh=mesh))
    val = prepare_session(simulate_session(SimulationConfig(mesh=mesh_name, duration=120.0), seed=0, subject=1,
                                           session=2, mesh=mesh))
    torch.manual_seed(0)
    model = _model(mesh, train)
    start = time.perf_counter()
    result = fit(model, [train], [val], TrainConfig(epochs=1, progress=False, n_frames=10, batch_size=8))
    return {"mesh": mesh_name, "n_vertices": mesh.n_vertices, "seconds_per_epoch": round(result.seconds_per_epoch, 1),
            "session_minutes": duration / 60, "wall_seconds": round(time.perf_counter() - start, 1),
            "peak_memory_mib": round(peak_mib(), 1)}


def step_memory(mesh_name: str = "fslr32k") -> dict:
    """Peak memory (MiB) and time of one training step (batch 8 × 10 frames) on a mesh, in this process."""
    mesh, step, batch_label = synthetic_training_step(mesh_name)
    start = time.perf_counter()
    step()
    return {"mesh": mesh_name, "n_vertices": mesh.n_vertices, "step_seconds": round(time.perf_counter() - start, 2),
            "peak_memory_mib": round(peak_mib(), 1), "batch": batch_label}


def _in_subprocess(func: str, arg: str) -> dict:
    code = f"import json; from benchmarks.quality import {func}; print(json.dumps({func}({arg!r})))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"{func}({arg}) failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _markdown(record: dict) -> str:
    lines = ["### EEG-only reconstruction (held-out session 3; mean over subjects)", "",
             "| method | temporal r | temporal r vs noise-free BOLD | spatial r | MSE (z) "
             "| fraction of noise ceiling |",
             "|---|---|---|---|---|---|"]
    subjects = record["subjects"]

    def mean(key, field):
        return np.mean([s[key][field] for s in subjects])

    for key, label in (("mean_frame", "mean frame"), ("ridge", "ridge on HRF band power"),
                       ("model_no_coherence", "model, no temporal coherence"), ("model", "model")):
        lines.append(f"| {label} | {mean(key, 'temporal_r'):.3f} | {mean(key, 'temporal_r_clean'):.3f} | "
                     f"{mean(key, 'spatial_r'):.3f} | {mean(key, 'mse'):.3f} | {mean(key, 'ceiling_fraction'):.3f} |")
    lines += ["", "### Completion with 50% of the volumes missing", "",
              "MSE on the missing volumes in units of the session's z-scored measurements, against the measured "
              "volumes (whose noise no method can predict: its power is the floor) and against the simulator's "
              "noise-free BOLD (the ground truth).", "",
              "| method | MSE vs measured | MSE vs noise-free BOLD | max error on measured volumes |",
              "|---|---|---|---|",
              f"| noise floor (measurement noise alone) | "
              f"{np.mean([s['noise_floor_mse_missing'] for s in subjects]):.3f} | 0 | — |"]
    rows = (("linear_interpolation", "", "linear interpolation"), ("cubic_interpolation", "", "cubic interpolation"),
            ("model_no_coherence", "", "model + completion (DDNM, mask), no coherence"),
            ("model", "", "model + completion (DDNM, mask)"),
            ("model_no_coherence", "residual_", "model + completion with interpolated residuals, no coherence"),
            ("model", "residual_", "model + completion with interpolated residuals"))
    for key, prefix, label in rows:
        vals = [s[key] for s in subjects]
        mse = np.mean([v[f"{prefix}completion_mse_missing"] for v in vals])
        clean = np.mean([v[f"{prefix}completion_mse_missing_clean"] for v in vals])
        if "model" in key:
            err = f"{max(v[f'{prefix}completion_max_error_measured'] for v in vals):.1e}"
        else:
            err = "0 (kept as measured)"
        lines.append(f"| {label} | {mse:.3f} | {clean:.3f} | {err} |")
    lines += ["", "### Downstream decoding of the scene category (lag 5 s; trained on real frames of session 1)", "",
              "| frames of the test session | accuracy |", "|---|---|"]
    for key, label in (("real", "real fMRI"), ("ridge", "ridge reconstruction"),
                       ("model_no_coherence", "model reconstruction, no coherence"),
                       ("model", "model reconstruction"), ("chance", "chance (most frequent scene)")):
        lines.append(f"| {label} | {np.mean([s['decoding'][key] for s in subjects]):.3f} |")
    lines += ["", f"### Cost (2 CPU cores, measured {record.get('cost_date', record['date'])}; memory includes "
              "simulating the session)", "",
              "| mesh | vertices | seconds per epoch (10-min session) | peak process memory (MiB) |",
              "|---|---|---|---|"]
    for row in record["epoch_cost"]:
        lines.append(f"| {row['mesh']} | {row['n_vertices']:,} | {row['seconds_per_epoch']:.1f} | "
                     f"{row['peak_memory_mib']:.0f} |")
    if record.get("fslr_step"):
        s = record["fslr_step"]
        lines.append(f"| fslr32k (one step, {s['batch']}) | {s['n_vertices']:,} | {s['step_seconds']:.1f} s per "
                     f"step | {s['peak_memory_mib']:.0f} |")
    lines += ["", f"Measured {record['date']} on {record['machine']}; FAST training ({FAST_TRAINING}), seed "
              f"{record['seed']}. Command: `python -m benchmarks.quality`."]
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subjects", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skip-cost", action="store_true")
    parser.add_argument("--cost-only", action="store_true", help="keep the last quality scores; measure the cost")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    import torch

    import neuroframes_edu
    from neuroframes_edu._utils.atomic import atomic_write_text
    from neuroframes_edu.datasets import load_dataset
    from neuroframes_edu.surface import load_mesh
    from neuroframes_edu.training import prepare_session

    previous = args.output / "quality.json"
    dataset = [] if args.cost_only else load_dataset()
    subjects = json.loads(previous.read_text())["subjects"] if args.cost_only else []
    mesh = None if args.cost_only else load_mesh(dataset[0].config.mesh)
    for subject in range(1, args.subjects + 1) if not args.cost_only else []:
        sessions = [s for s in dataset if s.subject == subject]
        prepared = [prepare_session(s) for s in sessions]
        subjects.append(evaluate_subject(sessions, prepared, mesh, seed=args.seed))
        print(json.dumps(subjects[-1]), flush=True)
    record = {"benchmark": "quality", "date": time.strftime("%Y-%m-%d"), "seed": args.seed,
              "machine": f"{platform.platform()} ({platform.machine()})",
              "versions": {"neuroframes_edu": neuroframes_edu.__version__, "torch": torch.__version__},
              "subjects": subjects, "epoch_cost": [], "fslr_step": None}
    if args.skip_cost and previous.is_file():  # keep the last cost measurements, with the date they were taken
        old = json.loads(previous.read_text())
        record["epoch_cost"], record["fslr_step"] = old.get("epoch_cost", []), old.get("fslr_step")
        record["cost_date"] = old.get("cost_date", old.get("date"))
    if not args.skip_cost:
        record["cost_date"] = record["date"]
        for name in ("ico3", "ico4", "ico5"):
            record["epoch_cost"].append(_in_subprocess("epoch_cost", name))
            print(json.dumps(record["epoch_cost"][-1]), flush=True)
        try:
            record["fslr_step"] = _in_subprocess("step_memory", "fslr32k")
        except RuntimeError as exc:
            print(f"fs_LR step skipped: {exc}", file=sys.stderr)
    args.output.mkdir(parents=True, exist_ok=True)
    atomic_write_text(args.output / "quality.json", json.dumps(record, indent=1) + "\n")
    atomic_write_text(args.output / "quality.md", _markdown(record))
    print(_markdown(record))
    return 0


if __name__ == "__main__":
    sys.exit(main())
