"""How long the course takes in FAST mode: every notebook executed by papermill, one after another, on
this machine — first from nothing (empty data and feature caches, as on a fresh machine: notebook 00
simulates the default data, the first band-power computations fill the feature cache), then again with
those caches filled (as a rerun sees them, and as nbval's second pass in ``make test`` does).

Target (issue 15): the whole FAST course in at most 6 minutes (360 s) on 2 cores.

Single runs on a shared machine vary by 10–15%, so the course runs several times with empty data and
feature caches (``--runs``, default 3, each with caches of its own; the first run is the nearest to a
fresh machine, as later ones find Python's bytecode and the system's file cache warm) and the record
gives every run, their median and how many met the target; then once more with the last run's caches
filled.

Run from the repository root: ``python -m benchmarks.course_time``. The caches live in temporary
folders (``NEUROFRAMES_EDU_DATA``), so the repository's own ``data/cache`` is neither read nor changed.
Writes ``benchmarks/results/course_time.json`` and ``.md``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import write_record

RESULTS = Path(__file__).resolve().parent / "results"
ROOT = Path(__file__).resolve().parents[1]
#: The issue's target for the whole FAST course, in seconds.
TARGET_SECONDS = 360.0


def run_course(data_dir: Path, output_dir: Path) -> list[dict]:
    """Execute every notebook (FAST) with ``data_dir`` as the data folder; one row per notebook."""
    from neuroframes_edu.course.notebooks import execute_notebooks

    saved = {k: os.environ.get(k) for k in ("NEUROFRAMES_EDU_DATA", "NEUROFRAMES_EDU_FEATURE_CACHE")}
    os.environ["NEUROFRAMES_EDU_DATA"] = str(data_dir)  # the kernels inherit it
    os.environ.pop("NEUROFRAMES_EDU_FEATURE_CACHE", None)  # the cache under data_dir, on
    try:
        runs = execute_notebooks(ROOT / "notebooks", output_dir, parameters={"FAST": True}, progress=False,
                                 overwrite=True)
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return [{"notebook": r.name, "seconds": round(r.seconds, 1), "status": r.status} for r in runs]


def _cpus() -> int:
    """The CPUs this process may run on (its affinity), which the notebooks' kernels inherit."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def markdown(record: dict) -> str:
    """The record as a Markdown table: seconds per notebook, cold and warm, and the totals."""
    passes = record["passes"]
    names = [row["notebook"] for row in passes[0]["notebooks"]]
    lines = ["| notebook | " + " | ".join(p["caches"] for p in passes) + " |",
             "|---|" + "---:|" * len(passes)]
    for i, name in enumerate(names):
        lines.append(f"| {name} | " + " | ".join(
            f"{p['notebooks'][i]['seconds']:.0f} s" + ("" if p["notebooks"][i]["status"] == "ok" else " (failed)")
            for p in passes) + " |")
    lines.append("| **total** | " + " | ".join(f"**{p['total_seconds']:.0f} s**" for p in passes) + " |")
    lines.append("| target met (≤ " + f"{record['target_seconds']:.0f} s) | "
                 + " | ".join("yes" if p["total_seconds"] <= record["target_seconds"] else "**no**" for p in passes)
                 + " |")
    cpus, version = record["cpus"], record["versions"]["neuroframes_edu"]
    summary = ""
    cold_passes = [p for p in passes if p["caches"].startswith("empty caches")]
    if len(cold_passes) > 1:
        # a run with a failed notebook ends early: it neither counts as meeting the target nor enters the median
        cold = [p["total_seconds"] for p in cold_passes if all(r["status"] == "ok" for r in p["notebooks"])]
        failed = len(cold_passes) - len(cold)
        summary = f"\n\nFrom empty caches: {len(cold_passes)} runs"
        if cold:
            summary += (f", {min(cold):.0f}–{max(cold):.0f} s, median {statistics.median(cold):.0f} s"
                        + (f" of the {len(cold)} that ran every notebook" if failed else ""))
        met = sum(t <= record["target_seconds"] for t in cold)
        summary += (f"; {met} of {len(cold_passes)} within the target"
                    + (f" ({failed} with a failed notebook)." if failed else "."))
    return ("\n".join(lines) + summary + f"\n\n*Seconds each notebook took under papermill (FAST = True), on {cpus} "
            f"CPU core{'s' if cpus != 1 else ''}; {record['date']}, neuroframes-edu {version}.*\n")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=RESULTS, help="folder for course_time.json and .md")
    parser.add_argument("--runs", type=int, default=3,
                        help="runs from empty caches, each with caches of its own (default 3; about 5 minutes each)")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error(f"--runs must be at least 1, got {args.runs}")
    start = time.perf_counter()
    passes = []
    with tempfile.TemporaryDirectory(prefix="neuroframes-course-") as tmp:
        cold = [f"empty caches, run {i + 1}" if args.runs > 1 else "empty caches (a fresh machine)"
                for i in range(args.runs)]
        for i, caches in enumerate((*cold, "filled caches (a rerun)")):
            data_dir = Path(tmp) / f"data-{min(i, args.runs - 1)}"  # the rerun reads the last run's caches
            data_dir.mkdir(exist_ok=True)
            rows = run_course(data_dir, Path(tmp) / f"executed-{i}")
            passes.append({"caches": caches, "notebooks": rows,
                           "total_seconds": round(sum(r["seconds"] for r in rows), 1),
                           "all_ok": all(r["status"] == "ok" for r in rows)})
            print(f"{caches}: {passes[-1]['total_seconds']:.0f} s", flush=True)
            if i < args.runs - 1:
                shutil.rmtree(data_dir)  # the next run starts from nothing again
    record, _, md_path = write_record(args.output, "course_time", time.perf_counter() - start,
                                      cpus=_cpus(), target_seconds=TARGET_SECONDS, passes=passes)
    from neuroframes_edu._utils.atomic import atomic_write_text

    atomic_write_text(md_path, markdown(record))
    print(markdown(record))
    return 0 if all(p["all_ok"] for p in passes) else 1


if __name__ == "__main__":
    sys.exit(main())
