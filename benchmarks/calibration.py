"""The simulator beside the literature: every calibration statistic and both ceilings, in every named regime.

For each regime of :data:`neuroframes_edu.simulate.REGIMES`, 2 subjects × 2 sessions of 10 minutes
are simulated at ico4. On session 1 of each subject, :func:`neuroframes_edu.simulate.calibration_statistics`
measures what simultaneous EEG–fMRI studies report (alpha– and gamma–BOLD correlation in early visual
cortex per region and per vertex, the lag of the alpha–BOLD correlation, the noise ceiling by region,
the EEG's alpha peak and 1/f exponent). Then, scored on ico3 (session 1 trains, session 2 tests):

- **channel ridge**: :class:`~neuroframes_edu.baselines.RidgeFingerprint` on the HRF-convolved band
  power of the electrodes, the simplest EEG method;
- **EEG-information ceiling**: the same ridge on the true log band power of every EEG source
  (:func:`neuroframes_edu.ceilings.eeg_information_ceiling`): what a perfect inverse could give;
- **noise ceiling**: the mean over vertices of :func:`neuroframes_edu.ceilings.noise_ceiling`;
- **EEG-visible share**: the share of the noise-free BOLD variance that does not come from EEG-silent
  activity (the truth's ``eeg_silent_share``, variance-weighted over vertices).

Run from the repository root: ``python -m benchmarks.calibration`` (``--regimes default generous`` for
a subset). Writes ``benchmarks/results/calibration.json`` and ``benchmarks/results/calibration.md``
(the data card's table, included in the book).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

from benchmarks.common import write_record

RESULTS = Path(__file__).resolve().parent / "results"
#: Statistic → how the table names it.
LABELS = {
    "alpha_bold_r_roi": "alpha–BOLD r, early visual region (HRF-convolved posterior alpha power)",
    "alpha_bold_r_vertex": "alpha–BOLD r, per vertex (median in early visual cortex)",
    "alpha_bold_lag_s": "lag of the strongest alpha–BOLD correlation (s)",
    "gamma_bold_r_roi": "gamma–BOLD r, early visual region",
    "noise_ceiling_roi": "noise ceiling, early visual cortex (median)",
    "noise_ceiling_median": "noise ceiling, whole cortex (median)",
    "alpha_peak_hz": "alpha peak of the posterior EEG (Hz)",
    "aperiodic_exponent": "1/f exponent of the EEG spectrum, 2–40 Hz",
}


def measure_subject(regime: str, subject: int, seed: int = 0, duration: float = 600.0,
                    score_mesh: str = "ico3") -> dict:
    """Calibration statistics of session 1 and ceilings of session 2 (trained on session 1) of one subject."""
    from neuroframes_edu.baselines import RidgeFingerprint
    from neuroframes_edu.ceilings import eeg_information_ceiling
    from neuroframes_edu.metrics import temporal_r
    from neuroframes_edu.simulate import calibration_statistics, regime_config, simulate_session
    from neuroframes_edu.surface import load_mesh, resample_operator
    from neuroframes_edu.training import prepare_session

    config = regime_config(regime, duration=duration)
    mesh = load_mesh(config.mesh)
    start = time.perf_counter()
    recs = [simulate_session(config, seed=seed, subject=subject, session=s, mesh=mesh) for s in (1, 2)]
    row = {"regime": regime, "subject": subject, "seed": seed, "duration_s": duration, "tr": config.tr,
           **{k: round(v, 4) for k, v in calibration_statistics(recs[0]).items()}}
    truth = recs[0].truth
    variance = truth.bold_clean.var(axis=0)
    row["eeg_visible_share"] = round(float(((1 - truth.extras["eeg_silent_share"]) * variance).sum()
                                           / variance.sum()), 4)
    train, test = (prepare_session(r, mesh=score_mesh) for r in recs)
    usable = test.usable
    ridge = RidgeFingerprint().fit(train.hrf_at(train.times)[train.valid], train.bold[train.valid])
    pred = ridge.predict(test.hrf_at(test.times))[usable]
    row["channel ridge/r_measured"] = round(float(temporal_r(pred, test.bold[usable]).mean()), 4)
    clean = test.standardized(np.asarray(resample_operator(mesh, load_mesh(score_mesh)) @ recs[1].truth.bold_clean.T).T)
    row["channel ridge/r_clean"] = round(float(temporal_r(pred, clean[usable]).mean()), 4)
    scores = eeg_information_ceiling(recs[0], recs[1], mesh=score_mesh)
    row["EEG-information ceiling/r_measured"] = round(float(scores["measured"].mean()), 4)
    row["EEG-information ceiling/r_clean"] = round(float(scores["clean"].mean()), 4)
    row["noise_ceiling"] = round(float(scores["noise_ceiling"].mean()), 4)
    row["seconds"] = round(time.perf_counter() - start, 1)
    return row


def summarise(rows: list[dict]) -> list[dict]:
    """Per regime, the mean over subjects of every number (and the per-subject values of the statistics)."""
    out = []
    skip = {"regime", "subject", "seed", "duration_s", "tr", "seconds"}
    for regime in dict.fromkeys(r["regime"] for r in rows):
        group = [r for r in rows if r["regime"] == regime]
        keys = [k for k in group[0] if k not in skip]
        out.append({"regime": regime, "tr": group[0]["tr"], "n_subjects": len(group),
                    **{k: round(float(np.mean([r[k] for r in group])), 3) for k in keys},
                    **{f"{k}/subjects": [r[k] for r in group] for k in LABELS}})
    return out


def markdown(record: dict) -> str:
    """The data card's tables from a record written by :func:`write_results`."""
    from neuroframes_edu.simulate import LITERATURE

    summary = {s["regime"]: s for s in record["summary"]}
    regimes = list(summary)
    default = summary.get("default")
    lines = ["| statistic | published (source) | target | " + " | ".join(regimes) + " |",
             "|---|---|---|" + "---|" * len(regimes)]
    for key, label in LABELS.items():
        lit = LITERATURE[key]
        low, high = lit["range"]
        cells = []
        for regime in regimes:
            value = summary[regime][key]
            mark = "" if low <= value <= high else " ✗"
            cells.append(f"{value:.2f}{mark}")
        note = f" *{lit['note']}*" if lit["note"] else ""
        lines.append(f"| {label} | {lit['published']} ({lit['source']}){note} | {low:g} to {high:g} | "
                     + " | ".join(cells) + " |")
    lines += ["", "✗: outside the target range. Values are the mean of the subjects (session 1 of each).", "",
              "| regime | TR (s) | EEG-visible share of the BOLD variance | channel ridge | EEG-information ceiling "
              "| noise ceiling | channel ridge / EEG-information ceiling | EEG-information / noise ceiling |",
              "|---|---|---|---|---|---|---|---|"]
    for regime, s in summary.items():
        lines.append(f"| {regime} | {s['tr']:g} | {s['eeg_visible_share']:.2f} | "
                     f"{s['channel ridge/r_measured']:.3f} ({s['channel ridge/r_clean']:.3f}) | "
                     f"{s['EEG-information ceiling/r_measured']:.3f} ({s['EEG-information ceiling/r_clean']:.3f}) | "
                     f"{s['noise_ceiling']:.3f} | "
                     f"{s['channel ridge/r_measured'] / s['EEG-information ceiling/r_measured']:.2f} | "
                     f"{s['EEG-information ceiling/r_measured'] / s['noise_ceiling']:.2f} |")
    first = record["results"][0]
    lines += ["", "Temporal r, mean over vertices (ico3), on session 2 of each subject after training on session 1, "
              "against the measured z-scored BOLD of its usable volumes (in brackets: against the noise-free BOLD). "
              f"{first['duration_s'] / 60:g}-minute sessions simulated on ico4, {len(record['results'])} subject-"
              "regime pairs.", ""]
    if default is not None:
        lines.append(f"On the calibrated default, a perfect reconstruction would score {default['noise_ceiling']:.2f} "
                     "against the measurements; a perfect inverse of the EEG gives a ridge "
                     f"{default['EEG-information ceiling/r_measured']:.2f}, and the electrodes' band power "
                     f"{default['channel ridge/r_measured']:.2f}.")
        lines.append("")
    lines.append(f"Measured {record['date']} on {record['machine']['platform']} ({record['machine']['processor']}), "
                 f"seed {first['seed']}, {record['seconds']:.0f} s in all. "
                 "Command: `python -m benchmarks.calibration`.")
    return "\n".join(lines) + "\n"


#: The data card, and the markers between which :func:`update_data_card` writes the tables.
DATA_CARD = Path(__file__).resolve().parents[1] / "data" / "README.md"
MARKERS = ("<!-- calibration table: written by python -m benchmarks.calibration -->",
           "<!-- end of calibration table -->")


def data_card_block(text: str) -> str:
    """The text between the data card's calibration markers."""
    start, end = text.index(MARKERS[0]) + len(MARKERS[0]), text.index(MARKERS[1])
    return text[start:end].strip("\n") + "\n"


def update_data_card(record: dict, path: Path = DATA_CARD) -> None:
    """Replace the tables between the data card's markers with :func:`markdown` of ``record`` (atomically)."""
    from neuroframes_edu._utils.atomic import atomic_write_text

    text = path.read_text()
    if MARKERS[0] not in text or MARKERS[1] not in text:
        raise ValueError(f"{path} has no calibration markers {MARKERS}; put them where the table belongs")
    start, end = text.index(MARKERS[0]) + len(MARKERS[0]), text.index(MARKERS[1])
    atomic_write_text(path, text[:start] + "\n" + markdown(record) + text[end:])


def write_results(rows: list[dict], seconds: float, folder: Path = RESULTS,
                  data_card: Path | None = DATA_CARD) -> tuple[Path, Path]:
    """Write the JSON record and the Markdown tables (atomically), and the tables into the data card."""
    from neuroframes_edu._utils.atomic import atomic_write_text

    record, json_path, md_path = write_record(folder, "calibration", seconds, summary=summarise(rows), results=rows)
    atomic_write_text(md_path, markdown(record))
    if data_card is not None:
        update_data_card(record, data_card)
    return json_path, md_path


def main(argv=None) -> int:
    from neuroframes_edu.simulate import REGIMES

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=600.0, help="session length in seconds")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--subjects", type=int, default=2)
    parser.add_argument("--regimes", nargs="+", default=list(REGIMES), choices=list(REGIMES))
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    rows = []
    for regime in args.regimes:
        for subject in range(1, args.subjects + 1):
            rows.append(measure_subject(regime, subject, args.seed, args.duration))
            r = rows[-1]
            print(f"{regime} sub-{subject:02d}: alpha–BOLD {r['alpha_bold_r_roi']:.2f}, ceiling "
                  f"{r['noise_ceiling']:.3f}, EEG-information {r['EEG-information ceiling/r_measured']:.3f}, "
                  f"channel ridge {r['channel ridge/r_measured']:.3f} ({r['seconds']:.0f} s)", flush=True)
    json_path, md_path = write_results(rows, time.perf_counter() - start, args.output,
                                       DATA_CARD if args.output == RESULTS else None)
    print(f"wrote {json_path} and {md_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
