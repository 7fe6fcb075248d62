"""The results page's summary figure: each method against both ceilings, with the targets marked.

Drawn from a committed run record, so the figure and its caption always show the numbers of the
tables below them on the page::

    python -m benchmarks.summary                                   # benchmarks/results/run-fast.json
    python -m benchmarks.summary benchmarks/results/run-full.json

writes ``summary-<preset>.png`` and ``summary-<preset>.md`` (the figure and its caption, whose every
number is computed here) next to the record. ``python -m benchmarks.run`` calls it after each run.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

RESULTS = Path(__file__).resolve().parent / "results"
#: EEG-only methods shown, in reading order (those absent from a record are skipped).
EEG_METHODS = ("ridge", "source ridge", "model", "model + temporal coherence", "diffusion (mean of samples)",
               "diffusion (one sample)")
#: Completion methods shown for the paper's protocol.
COMPLETION_METHODS = ("linear interpolation", "GP low-rank (16)", "GP + source ridge mean",
                      "source ridge + completion", "model + completion", "diffusion + DDNM in the sampler")
EEG_TARGET = 0.55  # the best EEG method's temporal r (issue 12)
COMPLETION_TARGET = 0.5  # best / linear interpolation, MSE against the truth at K = 10 (issue 12)


def _mean(df, task, method, metric, setting=None):
    sel = df[(df.task == task) & (df.method == method)]
    if setting is not None:
        sel = sel[sel.setting == setting]
    return float(sel[metric].mean()) if len(sel) and metric in sel and sel[metric].notna().any() else float("nan")


def summary(record: dict):
    """The figure and its caption (Markdown) for one run record.

    Returns
    -------
    fig : matplotlib.figure.Figure
    caption : str
    """
    import matplotlib.pyplot as plt
    import pandas as pd

    from neuroframes_edu.evaluation import ORACLE

    df = pd.DataFrame(record["rows"])
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 5.8), gridspec_kw={"width_ratios": [1.25, 1]})

    # ---- EEG only: temporal r against the measurements and against the noise-free BOLD
    methods = [m for m in EEG_METHODS if (df.method == m).any()]
    measured = [_mean(df, "eeg_only", m, "temporal_r") for m in methods]
    clean = [_mean(df, "eeg_only", m, "temporal_r_clean") for m in methods]
    y = np.arange(len(methods))
    left.barh(y - 0.2, measured, height=0.4, color="tab:blue", label="vs the measurements")
    if np.isfinite(clean).any():
        left.barh(y + 0.2, clean, height=0.4, color="tab:blue", alpha=0.4, label="vs the noise-free BOLD")
    sel = df[(df.task == "eeg_only") & df.method.isin(methods) & (df.ceiling_fraction > 0)]
    noise_ceiling = float((sel.temporal_r / sel.ceiling_fraction).mean()) if len(sel) else float("nan")
    eeg_ceiling = _mean(df, "eeg_only", ORACLE, "temporal_r")
    for value, style, name in ((noise_ceiling, ":", "noise ceiling (vs the measurements)"),
                               (eeg_ceiling, "--", "EEG-information ceiling (vs the measurements)"),
                               (EEG_TARGET, "-", f"target ≥ {EEG_TARGET}")):
        if np.isfinite(value):
            left.axvline(value, color="tab:red" if name.startswith("target") else "black", ls=style, lw=1.2,
                         label=f"{name} ({value:.2f})")
    left.set_yticks(y, methods)
    left.invert_yaxis()
    left.set_xlabel("EEG-only temporal r (mean over vertices, runs)")
    left.set_title("Every volume from EEG alone")
    left.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.45, -0.16), ncol=2, frameon=False)

    # ---- missing volumes, the paper's protocol: MSE against the noise-free BOLD
    settings = [s for s in df[df.task == "missing"].setting.unique() if s.startswith("anchors")]
    ks = [int(s.rsplit("= ", 1)[1]) for s in settings]
    order = np.argsort(ks)
    settings, ks = [settings[i] for i in order], [ks[i] for i in order]
    lines = {}
    for method in COMPLETION_METHODS:
        values = [_mean(df, "missing", method, "mse_clean", s) for s in settings]
        if np.isfinite(values).any():
            lines[method] = values
            right.plot(ks, values, marker="o", lw=2 if "diffusion" in method or method.startswith("model") else 1.2,
                       label=method)
    floor = [_mean(df, "missing", "linear interpolation", "measurement_noise", s) for s in settings]
    if np.isfinite(floor).any():
        right.plot(ks, floor, color="black", ls=":", label="the measurements' own noise")
    k10 = "anchors at window ends, K = 10"
    linear10 = _mean(df, "missing", "linear interpolation", "mse_clean", k10)
    if 10 in ks and np.isfinite(linear10):
        right.scatter([10], [COMPLETION_TARGET * linear10], marker="*", s=180, color="tab:red", zorder=5,
                      label=f"target at K = 10 (≤ {COMPLETION_TARGET} × linear)")
    right.set_xscale("log")
    right.set_xticks(ks, [str(k) for k in ks])
    right.set_xticks([], minor=True)
    right.set_xlabel("window K (volumes; only its two ends measured)")
    right.set_ylabel("MSE vs the noise-free BOLD, hidden volumes")
    right.set_title("Missing volumes: the paper's protocol")
    right.legend(fontsize=7.5, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2, frameon=False)
    fig.tight_layout()

    # ---- the caption: every number from the record
    best = max((m for m in methods if m != "diffusion (one sample)"), key=lambda m: _mean(df, "eeg_only", m,
                                                                                            "temporal_r"))
    r_best = _mean(df, "eeg_only", best, "temporal_r")
    parts = [f"**Left:** the best EEG method ({best}) reaches temporal r {r_best:.3f} against the measurements"]
    if np.isfinite(eeg_ceiling):
        parts.append(f", {r_best / eeg_ceiling:.0%} of the EEG-information ceiling ({eeg_ceiling:.3f}: a ridge on the "
                     "simulator's true source band power)")
    if np.isfinite(noise_ceiling):
        parts.append(f" and {r_best / noise_ceiling:.0%} of the noise ceiling ({noise_ceiling:.3f})")
    parts.append(f"; the target (≥ {EEG_TARGET}) is {'met' if r_best >= EEG_TARGET else 'not met'}. ")
    if "diffusion (mean of samples)" in methods:
        mean_r = _mean(df, "eeg_only", "diffusion (mean of samples)", "temporal_r")
        one_r = _mean(df, "eeg_only", "diffusion (one sample)", "temporal_r")
        parts.append(f"The paper's diffusion model scores {mean_r:.3f} (the mean of its samples; one sample "
                     f"{one_r:.3f}). ")
    if lines and np.isfinite(linear10):
        at10 = {m: v[ks.index(10)] for m, v in lines.items() if 10 in ks}
        winner = min(at10, key=at10.get)
        ratio = at10[winner] / linear10
        parts.append(f"**Right:** at K = 10 the best method ({winner}, MSE {at10[winner]:.3f}) is {ratio:.2f} × "
                     f"linear interpolation ({linear10:.3f}); the target (≤ {COMPLETION_TARGET}) is "
                     f"{'met' if ratio <= COMPLETION_TARGET else 'not met'}. ")
        k_lo, k_hi = ks[0], ks[-1]
        lin = lines.get("linear interpolation")
        if lin is not None:  # every phrase chosen by the numbers it states
            best_lo = min(v[0] for v in lines.values())
            parts.append(f"Linear interpolation is hard to beat in short windows (K = {k_lo}: {lin[0]:.3f})"
                         if lin[0] <= 1.1 * best_lo else
                         f"Linear interpolation is beaten even in short windows (K = {k_lo}: {lin[0]:.3f} against "
                         f"{best_lo:.3f})")
            parts.append(f" and fails in long ones (K = {k_hi}: {lin[-1]:.3f})" if lin[-1] > 1.5 * lin[0] else
                         f" and holds up in long ones (K = {k_hi}: {lin[-1]:.3f})")
            if "diffusion + DDNM in the sampler" in lines:
                d = lines["diffusion + DDNM in the sampler"]
                parts.append(f"; the diffusion model's error hardly depends on K ({d[0]:.3f} → {d[-1]:.3f}): it "
                             "fills the hidden volumes from the EEG" if abs(d[-1] - d[0]) < 0.1 * d[0] else
                             f"; the diffusion model's error changes with K ({d[0]:.3f} → {d[-1]:.3f})")
            parts.append(". ")
    regime = record["preset"].get("regime")
    data = (f" on the `{regime}` regime" + (" (calibrated to published EEG–fMRI)" if regime == "default" else "")
            if regime else " on the simulator's earlier default (before its calibration; close to `generous`)")
    parts.append(f"Preset `{record['preset_name']}`{data}, measured {record['date']}; the tables below hold every "
                 "score with its spread.")
    return fig, "".join(parts)


def write(record_path: Path) -> tuple[Path, Path]:
    """Write ``summary-<preset>.png`` and ``.md`` next to ``record_path``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from neuroframes_edu._utils.atomic import atomic_file, atomic_write_text

    record = json.loads(Path(record_path).read_text(encoding="utf-8"))
    fig, caption = summary(record)
    name = record["preset_name"]
    png, md = Path(record_path).with_name(f"summary-{name}.png"), Path(record_path).with_name(f"summary-{name}.md")
    with atomic_file(png) as tmp:
        fig.savefig(tmp, dpi=110, metadata={"Software": None})  # no version stamp: same numbers, same bytes
    plt.close(fig)
    # the book includes this file from jupyter-book/results.md, so the image path is relative to that page
    atomic_write_text(md, f"```{{figure}} ../benchmarks/results/{png.name}\n:name: summary-{name}\n"
                          f":alt: Each method against both ceilings, targets marked\n\n{caption}\n```\n")
    return png, md


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("record", nargs="?", type=Path, default=RESULTS / "run-fast.json")
    args = parser.parse_args(argv)
    png, md = write(args.record)
    print(f"wrote {png} and {md}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
