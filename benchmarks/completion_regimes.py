"""Which completion default holds in every data regime: completion with interpolated residuals against
plain null-space completion (DDNM), scored against the truth and against the measurements.

``nullspace.complete_frames`` fills hidden frames either with the prediction as it is (``residual=None``:
plain DDNM with a frame mask) or with the prediction corrected by the measured residuals interpolated
in time (``residual="linear"``, weighted by ``detail``). For each regime of
:data:`neuroframes_edu.simulate.REGIMES`, subject 1 (sessions 1, 2, 3: train, validate, test) goes
through the course's harness (:func:`neuroframes_edu.evaluation.evaluate_recordings`, ico3, seed 0,
1 epoch per model), and its rows of the missing-volume task are compared: "model + completion"
(interpolated residuals, ``detail`` 0.5) against "model + DDNM (mask)" (plain), beside linear
interpolation and the low-rank temporal GP. ``mse_clean`` is the error against the noise-free BOLD,
``mse`` against the hidden measured volumes.

Run from the repository root: ``python -m benchmarks.completion_regimes`` (about 8 minutes on 2 cores).
Writes ``benchmarks/results/completion_regimes.json`` and ``.md``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from benchmarks.common import write_record

RESULTS = Path(__file__).resolve().parent / "results"
SETTINGS = ("25% missing, window 10", "50% missing, window 3", "50% missing, window 10",
            "anchors at window ends, K = 10")
METHODS = {"interpolated residuals": "model + completion", "plain DDNM": "model + DDNM (mask)",
           "linear interpolation": "linear interpolation", "GP low-rank": "GP low-rank (16)"}


def measure_regime(regime: str, subject: int = 1, seed: int = 0) -> list[dict]:
    """The completion rows of one regime: a dict per (setting, method) with ``mse_clean`` and ``mse``."""
    from neuroframes_edu.data import load_dataset
    from neuroframes_edu.evaluation import EvaluationConfig, evaluate_recordings

    recordings = [r for r in load_dataset(n_subjects=subject, regime=regime) if r.subject == f"{subject:02d}"]
    config = EvaluationConfig(mesh="ico3", epochs=1, missing_fractions=(0.25, 0.5), windows=(3, 10),
                              anchor_windows=(10,), gp_rank=16)
    rows, _ = evaluate_recordings(*recordings[:3], config, seed=seed)
    out = []
    for setting in SETTINGS:
        for label, method in METHODS.items():
            row = next(r for r in rows if r["task"] == "missing" and r["setting"] == setting
                       and r["method"] == method)
            out.append({"regime": regime, "subject": subject, "seed": seed, "setting": setting, "method": label,
                        "mse_clean": round(row["mse_clean"], 4), "mse": round(row["mse"], 4)})
    return out


def verdict(rows: list[dict]) -> dict:
    """How often plain DDNM beats interpolated residuals, against the truth and against the measurements."""
    pairs = {}
    for r in rows:
        pairs.setdefault((r["regime"], r["setting"]), {})[r["method"]] = r
    out = {}
    for metric in ("mse_clean", "mse"):
        wins = [p["plain DDNM"][metric] < p["interpolated residuals"][metric] for p in pairs.values()]
        gp = [p["GP low-rank"][metric] < min(p["plain DDNM"][metric], p["interpolated residuals"][metric])
              for p in pairs.values()]
        out[metric] = {"plain wins": int(sum(wins)), "GP beats both": int(sum(gp)), "of": len(wins)}
    return out


def write_results(rows: list[dict], seconds: float, folder: Path = RESULTS) -> tuple[Path, Path]:
    """Write the JSON record and the Markdown table (atomically)."""
    from neuroframes_edu._utils.atomic import atomic_write_text

    summary = verdict(rows)
    record, json_path, md_path = write_record(folder, "completion_regimes", seconds, verdict=summary, results=rows)
    labels = list(METHODS)
    cell = {(r["regime"], r["setting"], r["method"]): r for r in rows}
    lines = ["| regime | setting | " + " | ".join(labels) + " |", "|---|---|" + "---|" * len(labels)]
    for regime, setting in dict.fromkeys((r["regime"], r["setting"]) for r in rows):
        lines.append(f"| {regime} | {setting} | " + " | ".join(
            f"{cell[regime, setting, m]['mse_clean']:.3f} ({cell[regime, setting, m]['mse']:.3f})" for m in labels)
            + " |")
    truth, measured = summary["mse_clean"], summary["mse"]
    lines += ["", "MSE on the hidden volumes against the noise-free BOLD (in brackets: against the hidden measured "
              "volumes), z units of the test session; subject 1, seed 0, ico3. *Interpolated residuals*: "
              "`complete_frames(pred, y, known, times, residual=\"linear\", detail=0.5)` on the model's prediction; "
              "*plain DDNM*: `residual=None`.", "",
              f"Plain DDNM is closer to the truth in {truth['plain wins']} of {truth['of']} (regime, setting) pairs, "
              f"and closer to the measurements in {measured['plain wins']} of {measured['of']}: neither completion "
              "wins everywhere. The low-rank temporal GP (fitted on the training session, measured volumes "
              f"weighed by their noise) is closer to the truth than both in {truth['GP beats both']} of "
              f"{truth['of']}.", "",
              f"Measured {record['date']} on {record['machine']['platform']} ({record['machine']['processor']}) in "
              f"{record['seconds'] / 60:.1f} min. Command: `python -m benchmarks.completion_regimes`."]
    atomic_write_text(md_path, "\n".join(lines) + "\n")
    return json_path, md_path


def main(argv=None) -> int:
    from neuroframes_edu.simulate import REGIMES

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--regimes", nargs="+", default=list(REGIMES), choices=list(REGIMES))
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    rows = []
    for regime in args.regimes:
        rows += measure_regime(regime)
        print(json.dumps(verdict(rows)), regime, flush=True)
    json_path, md_path = write_results(rows, time.perf_counter() - start, args.output)
    print(f"wrote {json_path} and {md_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
