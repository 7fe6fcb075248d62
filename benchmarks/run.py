"""The course's results table: every method on every task, over seeds, with the cost of running it.

``python -m benchmarks.run --preset fast`` (≈ 27 minutes on 2 CPU cores, most of it the diffusion model's
sampling; its output is committed) or
``--preset full`` (both subjects on ico4, 20 epochs, 5 seeds, six training sessions — an hour of data,
where the learning curve passes r 0.55 — per subject: meant for a GPU). Writes
``benchmarks/results/run-<preset>.json`` (every score, versions, seeds, machine) and
``run-<preset>.md`` (the tables the book's results page includes).

Quality: :func:`neuroframes_edu.evaluation.evaluate_recordings` on held-out sessions of the default
simulated data — EEG-only reconstruction, missing volumes (25/50/75% in windows of 3/10/30), sub-TR
super-resolution ×4 against the noise-free frames, scene decoding — for the mean frame, linear and
cubic interpolation, the temporal GP smoothers, channel and source ridge, the EEG-information ceiling,
the model with/without temporal coherence and null-space completion, and the paper's diffusion model
(DDNM and DDNM+ in its sampler, its uncertainty and its cost); then the method's targets
(issue 12), each measured from those rows (:func:`targets`).

Cost (each mesh in a fresh process, so peak memory is its own): one training step and inference
frames per second at ico3, ico4, ico5 and fs_LR (with the ``hcp`` extra); one GCN layer through
``edge_index`` vs the sparse adjacency; and the null-space projection's time against vertices × frames.
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
PRESETS = {
    "fast": {"subjects": [1, 2], "seeds": [0, 1, 2], "mesh": "ico3", "epochs": 3, "train_sessions": 1,
             "diffusion": {}, "cost_meshes": ["ico3", "ico4", "ico5", "fslr32k"]},
    "full": {"subjects": [1, 2], "seeds": [0, 1, 2, 3, 4], "mesh": "ico4", "epochs": 20, "train_sessions": 6,
             "diffusion": {"n_samples": 16, "steps": 50}, "cost_meshes": ["ico3", "ico4", "ico5", "fslr32k"]},
}


def split_sessions(recordings, train_sessions: int):
    """One subject's sessions in order → (training sessions 1…k, validation session k+1, test session k+2)."""
    k = int(train_sessions)
    if k < 1 or len(recordings) < k + 2:
        raise ValueError(f"{k} training sessions need {k + 2} sessions (validation and test after them), got "
                         f"{len(recordings)}")
    return list(recordings[:k]), recordings[k], recordings[k + 1]


def _timed(fn, repeats: int = 3) -> float:
    """Median seconds of ``repeats`` calls after one warm-up call (the median resists stray hiccups)."""
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def mesh_cost(mesh_name: str) -> dict:
    """Training-step time, inference frames/s, GCN propagation paths and peak memory on one mesh."""
    import torch

    from neuroframes_edu.nn import SurfaceConv

    mesh, step, batch_label = synthetic_training_step(mesh_name)
    model, batch = step.model, step.batch
    b, f = batch.frame_times.shape

    def infer():
        with torch.no_grad():
            model.eval()
            model(batch)
            model.train()

    out = {"mesh": mesh_name, "n_vertices": mesh.n_vertices, "batch": batch_label,
           "train_step_s": _timed(step, 2), "inference_frames_per_s": b * f / _timed(infer, 2)}
    x = torch.randn(b, mesh.n_vertices, 32, requires_grad=True)
    adjacency = mesh.normalized_adjacency
    coo = adjacency.to_sparse_coo().coalesce()
    for propagation in ("edge_index", "sparse"):
        layer = SurfaceConv(32, "gcn", propagation)

        def forward_backward(layer=layer):
            layer(x, adjacency, coo.indices(), coo.values()).sum().backward()

        out[f"gcn_layer_{propagation}_ms"] = 1000 * _timed(forward_backward)
    out["peak_memory_mib"] = peak_mib()
    return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in out.items()}


def nullspace_cost(vertices=(4_000, 16_000, 64_000, 256_000), frames=(10, 40)) -> list[dict]:
    """Time of one null-space projection (frame mask and blurred decimation) against vertices × frames."""
    import torch

    from neuroframes_edu.nullspace import FrameMask, blurred_decimation

    rows = []
    g = torch.Generator().manual_seed(0)
    for t in frames:
        mask = FrameMask(torch.arange(t) % 2 == 0)
        blur = blurred_decimation(t, 4, [0.2, 0.5, 0.3])
        for v in vertices:
            x = torch.randn(t, v, generator=g)
            for name, op in (("frame mask", mask), ("blurred decimation", blur)):
                y = op.apply(x)
                seconds = _timed(lambda op=op, x=x, y=y: op.project(x, y), 9)
                rows.append({"operator": name, "n_frames": t, "n_vertices": v, "seconds": seconds,
                             "ns_per_value": 1e9 * seconds / (t * v)})
    return rows


def _scaling_exponent(rows, operator: str) -> float:
    """Slope of log(time) against log(vertices × frames): 1 means linear growth."""
    sel = [r for r in rows if r["operator"] == operator]
    size = np.log([r["n_frames"] * r["n_vertices"] for r in sel])
    return float(np.polyfit(size, np.log([r["seconds"] for r in sel]), 1)[0])


def _in_subprocess(func: str, arg) -> dict | None:
    code = f"import json; from benchmarks.run import {func}; print(json.dumps({func}({arg!r})))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        print(f"{func}({arg!r}) skipped:\n{proc.stderr[-1500:]}", file=sys.stderr)
        return None
    return json.loads(proc.stdout.strip().splitlines()[-1])


def targets(rows) -> list[dict]:
    """The method's targets (issue 12), each measured from the rows: value, goal, met or not.

    Only targets whose rows are present are returned (e.g. truth-based ones need simulated data).
    """
    import pandas as pd

    df = pd.DataFrame(rows)

    def value(task, setting, method, metric):
        sel = df[(df.task == task) & (df.setting == setting) & (df.method == method)]
        return float(sel[metric].mean()) if len(sel) and metric in sel else float("nan")

    def eeg(method):
        return value("eeg_only", "all volumes", method, "temporal_r")

    out = []

    def add(name, measured, goal, met, how=None):
        if np.isfinite(measured):
            out.append({"target": name, "measured": round(measured, 3), "goal": goal, "met": bool(met),
                        **({"how": how} if how else {})})

    best = max(eeg("source ridge"), eeg("model"))
    add("EEG-only temporal r (best EEG method)", best, "≥ 0.55", best >= 0.55)
    ratio = eeg("model") / eeg("source ridge")
    add("model / source ridge, EEG-only r", ratio, "≥ 1.05", ratio >= 1.05)
    ratio = eeg("model") / eeg("ridge")
    add("model / channel ridge, EEG-only r", ratio, "≥ 1.25", ratio >= 1.25)
    sel = df[(df.task == "eeg_only") & (df.method == "model")]
    if "best_epoch" in sel and len(sel):
        first = float((sel.best_epoch <= 1).mean())
        add("model: share of runs whose best epoch is its ridge start (0) or the first", first,
            "0 (best epoch later than the first)", first == 0)
    for setting in ("50% missing, window 10", "anchors at window ends, K = 10"):
        methods = df[(df.task == "missing") & (df.setting == setting)].method.unique()
        if "mse_clean" not in df or not len(methods):
            continue
        scores = {m: value("missing", setting, m, "mse_clean") for m in methods}
        winner = min(scores, key=scores.get)
        ratio = scores[winner] / scores["linear interpolation"]
        add(f"{setting}: MSE vs truth, best ({winner}) / linear interpolation", ratio, "≤ 0.5", ratio <= 0.5)
    setting = "50% missing, window 3"
    methods = df[(df.task == "missing") & (df.setting == setting)].method.unique()
    if "mse_clean" in df and len(methods):
        uses_eeg = ("ridge", "model")
        with_eeg = min(value("missing", setting, m, "mse_clean") for m in methods if any(k in m for k in uses_eeg))
        without = min(value("missing", setting, m, "mse_clean") for m in methods if not any(k in m for k in uses_eeg))
        gain = 1 - with_eeg / without
        add(f"{setting}: best EEG-informed completion better than best without EEG (MSE vs truth)", gain, "≥ 0.10",
            gain >= 0.10)
    exact = df[(df.task == "missing") & df.method.str.contains("completion|λ = 1|DDNM")
               & ~df.method.str.contains("noise-aware|DDNM\\+", regex=True)]  # DDNM+ weighs them by design
    if len(exact) and "max_error_measured" in exact:
        worst = float(exact.max_error_measured.max())
        # the diffusion sampler works in float32: its exact projection is exact to float32 rounding
        add("λ = 1: largest error on measured volumes", worst, "= 0 (to float32 rounding, < 1e-5)", worst < 1e-5)
    sr = df[df.task == "superres"]
    if len(sr):
        setting = sr.setting.iloc[0]
        scores = {m: value("superres", setting, m, "mse_clean") for m in sr.method.unique()}
        winner = min(scores, key=scores.get)
        ratio = scores[winner] / scores["linear interpolation"]
        add(f"sub-TR {setting}: MSE vs truth, best ({winner}) / linear interpolation", ratio, "≤ 0.8", ratio <= 0.8)
    # the model with and without temporal coherence (records made before coherence left the default name
    # them "model" and "model (no coherence)")
    coherent, plain = "model + temporal coherence", "model"
    left = (df.method == coherent).any()  # coherence is no longer part of the default model
    if not left:
        coherent, plain = "model", "model (no coherence)"
    gain = eeg(coherent) / eeg(plain) - 1
    left_how = 'left the default (`ModelConfig.temporal = "none"`)'
    how = left_how if left and gain < 0.02 else None
    add("temporal coherence: EEG-only r gain of the model with it over the model without it", gain,
        "≥ 0.02 (else it leaves the default)", gain >= 0.02 or left, how)
    # … and in the completion tasks, against the truth: the mean relative MSE gain over each task's settings
    # (a task's mean, not its best setting: the best of many noisy comparisons would find a gain anywhere)
    per_task = {}
    for (task, setting), group in df[df.method.str.startswith(coherent)].groupby(["task", "setting"]):
        if "mse_clean" not in group or task not in ("missing", "superres"):
            continue
        for method in group.method.unique():
            if method.startswith("model (no coherence)"):  # the older naming's variant without it
                continue
            other = method.replace(coherent, plain, 1)
            if not (df.method == other).any():
                continue
            with_, without = value(task, setting, method, "mse_clean"), value(task, setting, other, "mse_clean")
            per_task.setdefault(task, []).append(1 - with_ / without)
    if per_task:
        task, gains = max(per_task.items(), key=lambda kv: np.mean(kv[1]))
        gain = float(np.mean(gains))
        add(f"temporal coherence: mean MSE-vs-truth gain over the {len(gains)} settings of the best task ({task}; "
            f"largest single setting {max(gains):.3f})", gain, "≥ 0.02 (else it leaves the default)",
            gain >= 0.02 or left, left_how if left and gain < 0.02 else None)
    return out


def _met(goal: dict) -> str:
    """A target's verdict: yes, **no**, or how it was met (e.g. an idea that did not help left the default)."""
    if not goal["met"]:
        return "**no**"
    return f"yes: {goal['how']}" if goal.get("how") else "yes"


def _diffusion_sentence(config: dict) -> str:
    """How the run trained and sampled the paper's diffusion model (empty if it did not)."""
    from neuroframes_edu.evaluation import DIFFUSION_DEFAULTS

    if config.get("diffusion") is None:
        return ""
    opts = {**DIFFUSION_DEFAULTS, **config["diffusion"]}
    sizes = {k: v for k, v in opts.items() if k not in DIFFUSION_DEFAULTS}
    return (f" The paper's diffusion model (`train_diffusion`, `DiffusionConfig` "
            f"{'defaults' if not sizes else 'with ' + ', '.join(f'{k}={v}' for k, v in sizes.items())}) trains for at "
            f"most {opts['epochs']} epochs at learning rate {opts['lr']:g} (patience {opts['patience']}) and draws "
            f"{opts['n_samples']} samples per window with {opts['steps']} DDIM steps; its rows score the mean of "
            "the samples unless they say otherwise.")


def markdown(record: dict) -> str:
    """The Markdown tables of one run."""
    from neuroframes_edu.evaluation import results_markdown

    p = record["preset"]
    n_runs = sum(len(_seeds(r)) for r in record["runs"])
    k = p.get("train_sessions", 1)  # records made before presets named it trained on one session
    regime = (f"the `{p['regime']}` regime (simulator version {record['versions'].get('simulator', '?')})"
              if "regime" in p else "the simulator's earlier default (version 3, before its calibration; close to "
              "today's `generous` regime)")
    lines = [f"Preset `{record['preset_name']}` on {regime}: subjects {p['subjects']}, seeds {p['seeds']}, trained on "
             f"{k} session{'s' if k > 1 else ''} of 10 minutes per subject (validation on session {k + 1}, test on "
             f"session {k + 2}) and scored on {p['mesh']} with {p['epochs']} epochs per model; mean ± sd over "
             f"{n_runs} runs "
             "(subject × seed). Errors are in units of the session's z-scored measurements; `measurement_noise` is "
             "the error of the hidden volumes' own measurements against the noise-free BOLD (not a floor: a "
             "temporal smoother predicts part of the slow physiological noise)."
             + _diffusion_sentence(record.get("config", {})), "",
             results_markdown(record["rows"])]
    goals = targets(record["rows"])
    if record["preset_name"] == "fast" and record.get("parts", 1) == 1 and record.get("mesh_cost"):
        minutes = record["seconds"] / 60  # the whole preset in one command, cost included
        trained = sum(r.get("train_seconds", 0.0) for r in record["rows"] if r["task"] == "cost") / 60
        share = f"; training the diffusion model took {trained:.1f} of them" if trained else ""
        goals.append({"target": f"`--preset fast`, wall time in minutes ({record['machine'].split(', ')[-1]}{share})",
                      "measured": minutes, "goal": "≤ 10", "met": minutes <= 10})
    if goals:
        lines += ["### Targets of the method, measured", "", "| target | measured | goal | met |", "|---|---|---|---|"]
        lines += [f"| {g['target']} | {g['measured']:.3f} | {g['goal']} | {_met(g)} |"
                  for g in goals]
        lines.append("")
    if record.get("mesh_cost"):
        lines += ["### Cost per mesh (2 CPU cores unless stated; each mesh in a fresh process)", "",
                  "| mesh | vertices | training step (s, 8 × 10 frames) | inference (frames/s) | GCN layer, edge_index "
                  "(ms) | GCN layer, sparse (ms) | peak memory (MiB) |", "|---|---|---|---|---|---|---|"]
        for c in record["mesh_cost"]:
            lines.append(f"| {c['mesh']} | {c['n_vertices']:,} | {c['train_step_s']:.2f} | "
                         f"{c['inference_frames_per_s']:.0f} | {c['gcn_layer_edge_index_ms']:.1f} | "
                         f"{c['gcn_layer_sparse_ms']:.1f} | {c['peak_memory_mib']:.0f} |")
        lines.append("")
    if record.get("nullspace_cost"):
        rows = record["nullspace_cost"]
        lines += ["### Null-space projection cost", "",
                  "| operator | frames | vertices | time (ms) | ns per value |", "|---|---|---|---|---|"]
        for r in rows:
            lines.append(f"| {r['operator']} | {r['n_frames']} | {r['n_vertices']:,} | {1000 * r['seconds']:.2f} | "
                         f"{r['ns_per_value']:.2f} |")
        exps = {op: _scaling_exponent(rows, op) for op in ("frame mask", "blurred decimation")}
        lines += ["", "Growth of the time with vertices × frames (log–log slope; 1 = linear): "
                  + ", ".join(f"{op} {e:.2f}" for op, e in exps.items()) + ".", ""]
    name = record["preset_name"]
    per_run = "; ".join(f"subject {r['subject']} seed{'s' if len(_seeds(r)) > 1 else ''} "
                        f"{', '.join(map(str, _seeds(r)))}: {r['seconds']:.0f} s" for r in record["runs"])
    if record.get("parts", 1) > 1:
        command = (f"`python -m benchmarks.run --preset {name} --skip-cost --subjects S --seeds D` for each run, "
                   f"then `python -m benchmarks.run --merge` on their `run-{name}.json`")
    else:
        command = f"`python -m benchmarks.run --preset {name}`"
    lines.append(f"Measured {record['date']} on {record['machine']} (torch {record['versions']['torch']}, "
                 f"neuroframes-edu {record['versions']['neuroframes_edu']}) in {record['seconds'] / 60:.1f} min "
                 f"({per_run}). Command: {command}.")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--preset", choices=sorted(PRESETS), default="fast")
    parser.add_argument("--skip-cost", action="store_true", help="quality only")
    parser.add_argument("--reuse-quality", action="store_true",
                        help="keep the quality scores of the last run of this preset; measure the cost again")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--regime", default="default",
                        help="the simulated data regime (neuroframes_edu.simulate.REGIMES); default: calibrated")
    parser.add_argument("--subjects", type=int, nargs="+", help="only these subjects (default: the preset's)")
    parser.add_argument("--seeds", type=int, nargs="+", help="only these seeds (default: the preset's)")
    parser.add_argument("--merge", type=Path, nargs="+", metavar="RUN_JSON",
                        help="combine records of one preset run in parts (e.g. one subject each, on a GPU) "
                             "into run-<preset>.json and .md under --output; measures nothing")
    args = parser.parse_args(argv)
    if args.merge:
        record = merge_records([json.loads(p.read_text()) for p in args.merge])
        _write(record, args.output)
        return 0

    import torch

    import neuroframes_edu
    from neuroframes_edu.data import load_dataset
    from neuroframes_edu.evaluation import EvaluationConfig, evaluate_recordings
    from neuroframes_edu.simulate import REGIMES, SIMULATOR_VERSION

    if args.regime not in REGIMES:
        parser.error(f"--regime must be one of {', '.join(REGIMES)}, got {args.regime!r}")

    start = time.perf_counter()
    preset = dict(PRESETS[args.preset])
    preset.update({k: v for k, v in (("subjects", args.subjects), ("seeds", args.seeds)) if v})
    preset["regime"] = args.regime
    config = EvaluationConfig(mesh=preset["mesh"], epochs=preset["epochs"], diffusion=preset.get("diffusion"))
    rows, runs, previous = [], [], args.output / f"run-{args.preset}.json"
    if args.reuse_quality:
        if not previous.is_file():
            parser.error(f"--reuse-quality needs {previous}; run without it first")
        old = json.loads(previous.read_text())
        rows, runs = old["rows"], old["runs"]
    k = preset["train_sessions"]
    dataset = [] if args.reuse_quality else load_dataset(n_sessions=k + 2, progress=True, regime=args.regime)
    for subject in preset["subjects"] if not args.reuse_quality else []:
        train, val, test = split_sessions([s for s in dataset if s.subject == f"{subject:02d}"], k)
        t0 = time.perf_counter()  # all seeds in one call: they share what does not depend on the seed
        rows += evaluate_recordings(train, val, test, config, seed=preset["seeds"])[0]
        runs.append({"subject": subject, "seeds": list(preset["seeds"]), "seconds": round(time.perf_counter() - t0, 1)})
        print(json.dumps(runs[-1]), flush=True)
    record = {"benchmark": "run", "preset_name": args.preset, "preset": preset, "date": time.strftime("%Y-%m-%d"),
              "machine": f"{platform.platform()} ({platform.machine()}), {torch.get_num_threads()} torch threads"
                         + (f", {torch.cuda.get_device_name(0)}" if torch.cuda.is_available() else ""),
              "versions": {"neuroframes_edu": neuroframes_edu.__version__, "torch": torch.__version__,
                           "python": platform.python_version(), "simulator": SIMULATOR_VERSION},
              "config": {k: list(v) if isinstance(v, tuple) else v for k, v in config.__dict__.items()},
              "runs": runs, "rows": rows, "mesh_cost": [], "nullspace_cost": []}
    if not args.skip_cost:
        for name in preset["cost_meshes"]:
            cost = _in_subprocess("mesh_cost", name)
            if cost:
                record["mesh_cost"].append(cost)
                print(json.dumps(cost), flush=True)
        record["nullspace_cost"] = nullspace_cost()
    record["seconds"] = round(time.perf_counter() - start, 1) + (
        sum(r["seconds"] for r in runs) if args.reuse_quality else 0.0)
    _write(record, args.output)
    return 0


def _write(record: dict, output: Path) -> None:
    from neuroframes_edu._utils.atomic import atomic_write_text

    output.mkdir(parents=True, exist_ok=True)
    atomic_write_text(output / f"run-{record['preset_name']}.json", json.dumps(record, indent=1) + "\n")
    text = markdown(record)
    atomic_write_text(output / f"run-{record['preset_name']}.md", text)
    from benchmarks.summary import write as write_summary

    write_summary(output / f"run-{record['preset_name']}.json")  # the results page's figure, from this record
    print(text)


def _seeds(run: dict) -> list[int]:
    return list(run["seeds"]) if "seeds" in run else [run["seed"]]


def merge_records(records: list[dict]) -> dict:
    """One record from records of the same preset run in parts: their runs and rows together, the
    subjects and seeds they cover, the seconds of all parts; refuses parts of different presets or
    configurations, and parts that ran the same (subject, seed)."""
    first = records[0]
    for r in records[1:]:
        if r["preset_name"] != first["preset_name"] or r["config"] != first["config"] \
                or r["preset"].get("regime") != first["preset"].get("regime"):
            raise ValueError("the records are of different presets or configurations; merge parts of one run only")
    keys = [(run["subject"], seed) for r in records for run in r["runs"] for seed in _seeds(run)]
    if len(set(keys)) != len(keys):
        raise ValueError(f"(subject, seed) pairs appear twice among the records: {sorted(keys)}")
    preset = dict(first["preset"])
    preset["subjects"] = sorted({s for s, _ in keys})
    preset["seeds"] = sorted({s for _, s in keys})
    machines = sorted({r["machine"] for r in records})
    return {**first, "preset": preset, "machine": "; ".join(machines),
            "date": max(r["date"] for r in records),
            "runs": [run for r in records for run in r["runs"]], "rows": [row for r in records for row in r["rows"]],
            "mesh_cost": [c for r in records for c in r["mesh_cost"]],
            "nullspace_cost": [c for r in records for c in r["nullspace_cost"]],
            "seconds": round(sum(r["seconds"] for r in records), 1), "parts": len(records)}


if __name__ == "__main__":
    sys.exit(main())
