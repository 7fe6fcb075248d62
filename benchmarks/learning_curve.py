"""Learning curves: how EEG-only reconstruction grows with the number of training sessions.

Per subject of the default simulation (2 subjects, 8 sessions of 10 minutes each: the default
dataset's sessions 1–3 plus five more from the same seeds), session 7 is the test session, session 8
stops the model's training early, and the first ``k`` sessions train, for ``k`` in 1, 2, 4, 6:

- **channel ridge**: :class:`~neuroframes_edu.baselines.RidgeFingerprint` on HRF-convolved band power
  of the electrodes, as the evaluation fits it;
- **source ridge**: the same ridge on band power of every source of an MNE inverse (eLORETA in a
  template head, noise covariance from the training EEG; :mod:`neuroframes_edu.sources`);
- **model**: the course's model reading the same source band power (its default configuration, started
  from the source ridge above, ``--epochs`` epochs at the evaluation's learning rate, early stopping on
  session 8 with an inverse from the training sessions);
- **EEG-information ceiling**: the same ridge on the true source band power
  (:func:`neuroframes_edu.ceilings.eeg_information_features`).

Scored on ico3: temporal r (mean over vertices) on the test session's usable volumes, against the
measured z-scored BOLD and (in brackets) the noise-free BOLD.

Run from the repository root: ``python -m benchmarks.learning_curve`` (``--sessions 1 2`` for a quick
check). Writes ``benchmarks/results/learning_curve.json`` and ``.md``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

from benchmarks.common import peak_mib, write_record

RESULTS = Path(__file__).resolve().parent / "results"
METHODS = ("channel ridge", "source ridge", "model", "EEG-information ceiling")
N_SESSIONS = 8  # sessions 1-6 train, 7 tests, 8 validates the model
TEST, VAL = 6, 7  # their indices


def measure_subject(recordings, counts, mesh_name: str = "ico3", epochs: int = 5, seeds=(0,)) -> list[dict]:
    """One subject's sessions (index 6 tests, 7 validates): a row per (training sessions, method), and per
    seed for the model (the ridges and the ceiling do not depend on a seed)."""
    from neuroframes_edu.baselines import RidgeFingerprint
    from neuroframes_edu.ceilings import eeg_information_features
    from neuroframes_edu.evaluation import EvaluationConfig
    from neuroframes_edu.metrics import temporal_r
    from neuroframes_edu.sources import make_source_imaging
    from neuroframes_edu.surface import load_mesh, resample_operator
    from neuroframes_edu.training import TrainConfig, prepare_session, reconstruct_session, train_model

    pool, test, val = recordings[:TEST], recordings[TEST], recordings[VAL]
    mesh = load_mesh(mesh_name)
    to_mesh = resample_operator(test.load_mesh(), mesh) if mesh.name != test.mesh_name else None
    preps = [prepare_session(r, mesh=mesh) for r in recordings]
    p_test, p_val = preps[TEST], preps[VAL]
    usable = p_test.usable
    measured = p_test.bold[usable]
    clean = test.truth.bold_clean if to_mesh is None else (to_mesh @ test.truth.bold_clean.T).T
    clean = p_test.standardized(clean)[usable]
    rows = []
    for k in counts:
        start = time.perf_counter()
        imaging = make_source_imaging([r.raw for r in pool[:k]], mesh, method="eLORETA")
        train = [p.with_sources(r, imaging) for r, p in zip(pool[:k], preps[:k], strict=True)]
        p_test_k, p_val_k = p_test.with_sources(test, imaging), p_val.with_sources(val, imaging)
        inverse_seconds = round(time.perf_counter() - start, 1)
        y = np.concatenate([p.bold[p.valid] for p in train])
        ridges = {}
        for method, seed in [(m, s) for m in METHODS for s in (seeds if m == "model" else (None,))]:
            t0 = time.perf_counter()
            extra = {}
            if method == "model":
                lr = EvaluationConfig().lr
                model, result = train_model(train, [p_val_k], mesh=mesh, seed=seed, ridge=ridges["source ridge"],
                                            config=TrainConfig(epochs=epochs, lr=lr, seed=seed, progress=False))
                pred = reconstruct_session(model, p_test_k)[usable]
                extra = {"seed": seed, "n_features": model.config.n_source_features, "best_epoch": result.best_epoch,
                         "epochs": epochs, "lr": lr}
            else:
                def features(rec, p, method=method):
                    if method == "channel ridge":
                        return p.hrf_at(p.times)
                    if method == "source ridge":
                        return p.sources_at(p.times)
                    return eeg_information_features(rec, p.times)

                x = np.concatenate([features(r, p)[p.valid] for r, p in zip(pool[:k], train, strict=True)])
                ridge = ridges[method] = RidgeFingerprint().fit(x, y)
                pred = ridge.predict(features(test, p_test_k))[usable]
                extra = {"n_features": int(x.shape[1]), "alpha": ridge.alpha_}
            rows.append({"subject": test.subject, "sessions": k, "minutes": round(k * test.span[1] / 60, 1),
                         "method": method, **extra,
                         "r_measured": round(float(temporal_r(pred, measured).mean()), 4),
                         "r_clean": round(float(temporal_r(pred, clean).mean()), 4),
                         "seconds": round(time.perf_counter() - t0, 1), "inverse_seconds": inverse_seconds})
    return rows


def summarise(rows: list[dict]) -> list[dict]:
    """Mean and standard deviation over subjects (and, for the model, seeds) for each (sessions, method)."""
    out = []
    for k in dict.fromkeys(r["sessions"] for r in rows):
        for method in dict.fromkeys(r["method"] for r in rows):
            group = [r for r in rows if r["sessions"] == k and r["method"] == method]
            if group:
                out.append({"sessions": k, "method": method, "n_subjects": len({g["subject"] for g in group}),
                            "n_runs": len(group),
                            **{f"{m}{s}": round(float(f([g[m] for g in group])), 3)
                               for m in ("r_measured", "r_clean") for s, f in (("", np.mean), (" sd", np.std))}})
    return out


def write_results(rows: list[dict], seconds: float, folder: Path = RESULTS) -> tuple[Path, Path]:
    """Write the JSON record and the Markdown table (atomically)."""

    from neuroframes_edu._utils.atomic import atomic_write_text

    summary = summarise(rows)
    record, json_path, md_path = write_record(folder, "learning_curve", seconds, summary=summary, results=rows)
    counts = list(dict.fromkeys(s["sessions"] for s in summary))
    methods = list(dict.fromkeys(s["method"] for s in summary))
    cell = {(s["sessions"], s["method"]): s for s in summary}
    lines = ["| training sessions | " + " | ".join(methods) + " |", "|---|" + "---|" * len(methods)]
    for k in counts:
        lines.append(f"| {k} | " + " | ".join(
            f"{cell[k, m]['r_measured']:.3f} ± {cell[k, m]['r_measured sd']:.3f} ({cell[k, m]['r_clean']:.3f})"
            if (k, m) in cell else "" for m in methods) + " |")
    n = summary[0]["n_subjects"]
    runs = max(s["n_runs"] for s in summary if s["method"] == "model") if "model" in methods else n
    over = f"{n} subject(s)" + (f" (the model: {runs} runs, {runs // n} seeds per subject)" if runs > n else "")
    lines += ["", f"Temporal r on the held-out session 7, mean ± sd over {over}, against the measured BOLD "
              "(in brackets: against the noise-free BOLD); 10-minute sessions, scored on ico3. The source ridge's "
              "and the model's inverse and noise covariance come from the training sessions only; the model "
              f"stops early on session 8{_epochs_note(rows)}.", "",
              f"Measured {record['date']} on {record['machine']['platform']} ({record['machine']['processor']}) in "
              f"{record['seconds'] / 60:.1f} min. Command: `python -m benchmarks.learning_curve`."]
    atomic_write_text(md_path, "\n".join(lines) + "\n")
    return json_path, md_path


def _epochs_note(rows) -> str:
    model = [r for r in rows if r["method"] == "model"]
    if not model:
        return ""
    best = [r["best_epoch"] for r in model]
    rate = f" at learning rate {model[0]['lr']:g}" if "lr" in model[0] else ""
    return (f" ({model[0]['epochs']} epochs{rate}; the epoch it kept: {min(best)}–{max(best)}; in {len(best)} fits "
            f"no epoch beat its source-ridge start (epoch 0) {sum(b == 0 for b in best)} times, and the first "
            f"epoch was the best {sum(b == 1 for b in best)} times)")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[1, 2, 4, 6],
                        help=f"training-set sizes (at most {N_SESSIONS - 1})")
    parser.add_argument("--subjects", type=int, default=2)
    parser.add_argument("--epochs", type=int, default=5, help="training epochs of the model")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2],
                        help="seeds of the model's initialisation and training order (one fit each)")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--regime", default="default", help="simulated data regime (default: calibrated)")
    args = parser.parse_args(argv)
    if not all(1 <= k <= TEST for k in args.sessions):
        parser.error(f"--sessions must lie in 1..{TEST}")
    from neuroframes_edu.data import load_dataset

    start = time.perf_counter()
    dataset = load_dataset(n_subjects=args.subjects, n_sessions=N_SESSIONS, progress=True, regime=args.regime)
    rows = []
    for subject in sorted({r.subject for r in dataset}):
        rows += measure_subject([r for r in dataset if r.subject == subject], args.sessions, epochs=args.epochs,
                                seeds=args.seeds)
        for r in rows[-len(args.sessions) * (len(METHODS) - 1 + len(args.seeds)):]:
            print(json.dumps(r), flush=True)
        print(f"peak {peak_mib():.0f} MiB", flush=True)
    json_path, md_path = write_results(rows, time.perf_counter() - start, args.output)
    print(f"wrote {json_path} and {md_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
