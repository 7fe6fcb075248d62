"""Copy the summaries of the benchmark records the course quotes into the package.

Notebooks read benchmark numbers through :func:`neuroframes_edu.course.records.load_record`, which
must work where only the package is installed (Colab). This script copies each record's summary and
provenance from ``benchmarks/results/`` to ``neuroframes_edu/course/records/``::

    python -m benchmarks.course_records

A test fails when a copy differs from its record, naming this command.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from neuroframes_edu._utils.atomic import atomic_write_text
from neuroframes_edu.course.records import FOLDER, RECORDS

RESULTS = Path(__file__).resolve().parent / "results"
#: The simulator version of records written before records carried it (the benchmarks page says the same).
UNTAGGED_SIMULATOR = {"ceilings": 4, "learning_curve": 3}


def course_copy(name: str) -> dict:
    """The package's copy of ``benchmarks/results/<name>.json``: its summary and provenance."""
    record = json.loads((RESULTS / f"{name}.json").read_text(encoding="utf-8"))
    return {"benchmark": record["benchmark"], "date": record["date"], "command": RECORDS[name],
            "simulator": record["versions"].get("simulator", UNTAGGED_SIMULATOR[name]),
            "summary": record["summary"]}


def main(argv=None) -> int:
    for name in RECORDS:
        path = FOLDER / f"{name}.json"
        atomic_write_text(path, json.dumps(course_copy(name), indent=1) + "\n")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
