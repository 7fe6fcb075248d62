"""How long the course takes in FAST mode: every notebook executed by papermill, one after another, on
this machine — first from nothing (empty data and feature caches, as on a fresh machine: notebook 00
simulates the default data, the first band-power computations fill the feature cache), then again with
those caches filled (as a rerun sees them, and as nbval's second pass in ``make test`` does).

Target (issue 15): the whole FAST course in at most 6 minutes (360 s) on 2 cores.

Run from the repository root: ``python -m benchmarks.course_time``. The caches live in a temporary
folder (``NEUROFRAMES_EDU_DATA``), so the repository's own ``data/cache`` is neither read nor changed.
Writes ``benchmarks/results/course_time.json`` and ``.md``.
"""

from __future__ import annotations

import argparse
import os
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
    return ("\n".join(lines) + f"\n\n*Seconds each notebook took under papermill (FAST = True), on {cpus} CPU "
            f"core{'s' if cpus != 1 else ''}; {record['date']}, neuroframes-edu {version}.*\n")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=RESULTS, help="folder for course_time.json and .md")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    passes = []
    with tempfile.TemporaryDirectory(prefix="neuroframes-course-") as tmp:
        data_dir = Path(tmp) / "data"
        data_dir.mkdir()
        for caches in ("empty caches (a fresh machine)", "filled caches (a rerun)"):
            rows = run_course(data_dir, Path(tmp) / f"executed-{len(passes)}")
            passes.append({"caches": caches, "notebooks": rows,
                           "total_seconds": round(sum(r["seconds"] for r in rows), 1),
                           "all_ok": all(r["status"] == "ok" for r in rows)})
            print(f"{caches}: {passes[-1]['total_seconds']:.0f} s", flush=True)
    record, _, md_path = write_record(args.output, "course_time", time.perf_counter() - start,
                                      cpus=_cpus(), target_seconds=TARGET_SECONDS, passes=passes)
    from neuroframes_edu._utils.atomic import atomic_write_text

    atomic_write_text(md_path, markdown(record))
    print(markdown(record))
    return 0 if all(p["all_ok"] for p in passes) else 1


if __name__ == "__main__":
    sys.exit(main())
