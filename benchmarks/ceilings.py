"""The ridges and the model beside the ceilings above them, in every named data regime.

For each regime of :data:`neuroframes_edu.simulate.REGIMES`: 2 subjects × 4 sessions of 10 minutes are
simulated at the regime's own mesh (ico4) and scored on ico3 (``prepare_session(rec, mesh="ico3")``,
as the evaluation scores quickly; ico3 vertices are a subset of ico4's, so nothing is interpolated).
Per subject, every method trains on the valid volumes of sessions 1–2 and is tested on session 3
(session 4 only stops the model's training early):

- **channel ridge**: :class:`~neuroframes_edu.baselines.RidgeFingerprint` on the HRF-convolved band
  power of the electrodes (``p.hrf_at(p.times)``), as ``evaluation.py`` fits it;
- **source ridge**: the same ridge on the HRF-convolved band power of every source of an MNE inverse
  (eLORETA in a template head, noise covariance from the training EEG; :mod:`neuroframes_edu.sources`);
- **model**: the course's model reading the same source band power (its default configuration, started
  from the source ridge, ``--epochs`` epochs at the evaluation's learning rate): does learning find
  what the linear ridge misses where the BOLD is not linear in the EEG (``"slow-hrf"``)?
- **EEG-information ceiling**: the same ridge on the true log band power of every source
  (:func:`neuroframes_edu.ceilings.eeg_information_features`): what a perfect inverse would give;
- **activity oracle**: the same ridge on the components' activity itself (``kind="activity"``);
- **noise ceiling**: the mean over vertices of :func:`neuroframes_edu.ceilings.noise_ceiling` on ico3.

Scores are temporal r (mean over vertices) on the test session's usable volumes, against the measured
z-scored BOLD and against the noise-free BOLD in the same z units (``p.standardized``).

Run from the repository root: ``python -m benchmarks.ceilings`` (``--duration 120`` for a quick
check). Writes ``benchmarks/results/ceilings.json`` and ``benchmarks/results/ceilings.md``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

from benchmarks.common import peak_mib, write_record

RESULTS = Path(__file__).resolve().parent / "results"
METHODS = ("channel ridge", "source ridge", "model", "EEG-information ceiling", "activity oracle")


def measure_subject(regime: str, subject: int, duration: float, seed: int, score_mesh: str = "ico3",
                    epochs: int = 5) -> dict:
    """Simulate one subject's four sessions in ``regime``, fit on sessions 1–2, score on session 3 (session 4
    validates the model)."""
    from neuroframes_edu.baselines import RidgeFingerprint
    from neuroframes_edu.ceilings import eeg_information_features, noise_ceiling
    from neuroframes_edu.evaluation import EvaluationConfig
    from neuroframes_edu.metrics import temporal_r
    from neuroframes_edu.simulate import regime_config, simulate_session
    from neuroframes_edu.sources import make_source_imaging
    from neuroframes_edu.surface import load_mesh, resample_operator
    from neuroframes_edu.training import TrainConfig, prepare_session, reconstruct_session, train_model

    config = regime_config(regime, duration=duration)
    mesh = load_mesh(config.mesh)
    start = time.perf_counter()
    recs = [simulate_session(config, seed=seed, subject=subject, session=s, mesh=mesh) for s in (1, 2, 3, 4)]
    simulated = time.perf_counter()
    target = load_mesh(score_mesh)
    to_mesh = resample_operator(mesh, target) if target.name != mesh.name else None
    imaging = make_source_imaging([r.raw for r in recs[:2]], target, method="eLORETA")
    preps = [prepare_session(r, mesh=target).with_sources(r, imaging) for r in recs]

    def features(method, rec, p):
        if method == "channel ridge":
            return p.hrf_at(p.times)
        if method == "source ridge":
            return p.sources_at(p.times)
        return eeg_information_features(rec, rec.volume_times,
                                        kind="band_power" if method == "EEG-information ceiling" else "activity")

    (train_recs, test_rec), (train_preps, test_prep) = (recs[:2], recs[2]), (preps[:2], preps[2])
    y_train = np.concatenate([p.bold[p.valid] for p in train_preps])
    usable = test_prep.usable
    measured = test_prep.bold[usable]
    clean_bold = test_rec.truth.bold_clean if to_mesh is None else (to_mesh @ test_rec.truth.bold_clean.T).T
    clean = test_prep.standardized(clean_bold)[usable]
    row = {"regime": regime, "subject": subject, "seed": seed, "duration_s": duration, "sim_mesh": config.mesh,
           "score_mesh": score_mesh, "tr": config.tr, "eeg_channels": len(test_rec.ch_names),
           "n_test_volumes": int(usable.sum()), "simulate_seconds": round(simulated - start, 2)}
    ridges = {}
    for method in METHODS:
        if method == "model":  # started from the source ridge just fitted, stopped early on session 4
            t0 = time.perf_counter()
            config = TrainConfig(epochs=epochs, lr=EvaluationConfig().lr, seed=seed, progress=False)
            model, result = train_model(train_preps, [preps[3]], mesh=target, seed=seed,
                                        ridge=ridges["source ridge"], config=config)
            pred = reconstruct_session(model, test_prep)[usable]
            row.update({"model/best_epoch": result.best_epoch, "model/epochs": epochs, "model/lr": config.lr,
                        "model/seconds": round(time.perf_counter() - t0, 1)})
        else:
            x_train = np.concatenate([features(method, r, p)[p.valid] for r, p in zip(train_recs, train_preps,
                                                                                         strict=True)])
            ridge = ridges[method] = RidgeFingerprint().fit(x_train, y_train)
            pred = ridge.predict(features(method, test_rec, test_prep))[usable]
            row[f"{method}/n_features"] = int(x_train.shape[1])
            row[f"{method}/alpha"] = ridge.alpha_
        row[f"{method}/r_measured"] = round(float(temporal_r(pred, measured).mean()), 4)
        row[f"{method}/r_clean"] = round(float(temporal_r(pred, clean).mean()), 4)
    row["noise_ceiling"] = round(float(noise_ceiling(test_rec, target).mean()), 4)
    row["noise_ceiling_usable"] = round(float(temporal_r(clean, measured).mean()), 4)
    row["seconds"] = round(time.perf_counter() - start, 2)
    return row


def summarise(rows: list[dict]) -> list[dict]:
    """Per regime: the mean over subjects of every score, and the summed simulation time."""
    out = []
    for regime in dict.fromkeys(r["regime"] for r in rows):
        group = [r for r in rows if r["regime"] == regime]
        keys = [k for k in group[0] if k.endswith(("r_measured", "r_clean")) or k.startswith("noise_ceiling")]
        out.append({"regime": regime, "tr": group[0]["tr"], "eeg_channels": group[0]["eeg_channels"],
                    "n_subjects": len(group), "simulate_seconds": round(sum(r["simulate_seconds"] for r in group), 1),
                    "seconds": round(sum(r["seconds"] for r in group), 1),
                    **{k: round(float(np.mean([r[k] for r in group])), 3) for k in keys}})
    return out


def write_results(rows: list[dict], seconds: float, folder: Path = RESULTS) -> tuple[Path, Path]:
    """Write the JSON record and the Markdown table (atomically)."""

    from neuroframes_edu._utils.atomic import atomic_write_text
    from neuroframes_edu.simulate import REGIMES

    summary = summarise(rows)
    record, json_path, md_path = write_record(folder, "ceilings", seconds, summary=summary, results=rows)
    first = rows[0]
    lines = [
        "| regime | TR (s) | EEG channels | simulate (s) | channel ridge | source ridge | model | model / source "
        "ridge | EEG-information ceiling | activity oracle | noise ceiling |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for s in summary:
        lines.append(f"| {s['regime']} | {s['tr']:g} | {s['eeg_channels']} | {s['simulate_seconds']:.1f} | "
                     f"{s['channel ridge/r_measured']:.3f} ({s['channel ridge/r_clean']:.3f}) | "
                     f"{s['source ridge/r_measured']:.3f} ({s['source ridge/r_clean']:.3f}) | "
                     f"{s['model/r_measured']:.3f} ({s['model/r_clean']:.3f}) | "
                     f"{s['model/r_measured'] / s['source ridge/r_measured']:.3f} "
                     f"({s['model/r_clean'] / s['source ridge/r_clean']:.3f}) | "
                     f"{s['EEG-information ceiling/r_measured']:.3f} ({s['EEG-information ceiling/r_clean']:.3f}) | "
                     f"{s['activity oracle/r_measured']:.3f} ({s['activity oracle/r_clean']:.3f}) | "
                     f"{s['noise_ceiling']:.3f} |")
    lines += ["", "Temporal r, mean over vertices, against the measured z-scored BOLD of the test session's usable "
              "volumes (in brackets: against the noise-free BOLD in the same z units), mean of "
              f"{summary[0]['n_subjects']} subjects; train on sessions 1–2, test on session 3, "
              f"{first['duration_s'] / 60:g}-minute sessions simulated on {first['sim_mesh']} and scored on "
              f"{first['score_mesh']}. The model reads the source ridge's band power, starts from it and stops early "
              f"on session 4{_model_note(rows)}. *Simulate*: seconds to simulate all sessions of the regime. The noise "
              "ceiling is the mean over vertices of `ceilings.noise_ceiling` on the scoring mesh.", "",
              "Regimes: " + "; ".join(f"**{name}**: {text}" for name, text in REGIMES.items()
                                      if name in {s['regime'] for s in summary}) + ".", "",
              f"Measured {record['date']} on {record['machine']['platform']} ({record['machine']['processor']}), "
              f"seed {first['seed']}, {record['seconds']:.0f} s in all. Command: `python -m benchmarks.ceilings`."]
    atomic_write_text(md_path, "\n".join(lines) + "\n")
    return json_path, md_path


def _model_note(rows) -> str:
    fits = [r for r in rows if "model/best_epoch" in r]
    if not fits:
        return ""
    best = [r["model/best_epoch"] for r in fits]
    return (f" ({fits[0]['model/epochs']} epochs at learning rate {fits[0]['model/lr']:g}; in {len(best)} fits it "
            f"kept its start (epoch 0) {sum(b == 0 for b in best)} times, and its best epoch was "
            f"{min(best)}–{max(best)})")


def main(argv=None) -> int:
    from neuroframes_edu.simulate import REGIMES

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=600.0, help="session length in seconds")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--epochs", type=int, default=5, help="training epochs of the model")
    parser.add_argument("--subjects", type=int, default=2)
    parser.add_argument("--regimes", nargs="+", default=list(REGIMES), choices=list(REGIMES))
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    rows = []
    for regime in args.regimes:
        for subject in range(1, args.subjects + 1):
            rows.append(measure_subject(regime, subject, args.duration, args.seed, epochs=args.epochs))
            r = rows[-1]
            print(f"{regime} sub-{subject:02d}: ridge {r['channel ridge/r_measured']:.3f}, source ridge "
                  f"{r['source ridge/r_measured']:.3f}, model {r['model/r_measured']:.3f}, EEG-information ceiling "
                  f"{r['EEG-information ceiling/r_measured']:.3f}, activity {r['activity oracle/r_measured']:.3f}, "
                  f"noise ceiling {r['noise_ceiling']:.3f} ({r['seconds']:.0f} s, peak {peak_mib():.0f} MiB)",
                  flush=True)
    json_path, md_path = write_results(rows, time.perf_counter() - start, args.output)
    print(f"wrote {json_path} and {md_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
