"""The benchmark numbers the course quotes, shipped with the package so that notebooks read them
anywhere (Colab installs the package, not the repository's ``benchmarks/`` folder).

Each entry is a copy of the ``summary`` of a committed record in ``benchmarks/results/`` with its
provenance (date, command, simulator version); ``python -m benchmarks.course_records`` refreshes the
copies, and a test keeps them equal to the records.

Introduced in notebook 07 (Section 6, "Why and when the model wins").
"""

from __future__ import annotations

import json
from pathlib import Path

#: Records the course reads, with the benchmark command that measures each.
RECORDS = {"ceilings": "python -m benchmarks.ceilings", "learning_curve": "python -m benchmarks.learning_curve"}
FOLDER = Path(__file__).resolve().parent / "records"


def load_record(name: str) -> dict:
    """A benchmark's summary and provenance.

    Parameters
    ----------
    name : str
        One of :data:`RECORDS`.

    Returns
    -------
    dict
        ``benchmark``, ``date``, ``command``, ``simulator`` (the simulator version that generated its
        data) and ``summary`` (a list of rows, as in the record).

    Raises
    ------
    ValueError
        For a name not in :data:`RECORDS`.
    """
    from neuroframes_edu._utils.validation import check_option

    check_option(name, tuple(RECORDS), "name")
    return json.loads((FOLDER / f"{name}.json").read_text(encoding="utf-8"))
