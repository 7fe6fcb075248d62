"""Checks the readers share: a time series' shape and values, and file names that must name one recording."""

from __future__ import annotations

from pathlib import Path

import numpy as np


def check_timeseries(data, n_vertices: int | None, name: str = "data", allow_nonfinite: bool = False) -> np.ndarray:
    """A ``(n_volumes, n_vertices)`` array, checked: 2-D, the mesh's vertex count, and finite unless
    ``allow_nonfinite`` (files that mark scrubbed volumes with NaN; a Recording marks them invalid)."""
    data = np.asarray(data)
    if data.ndim != 2:
        raise ValueError(f"{name} must be 2-D (n_volumes, n_vertices), got shape {data.shape}")
    if n_vertices is not None and data.shape[1] != n_vertices:
        raise ValueError(f"{name} has {data.shape[1]} vertices per volume but the mesh has {n_vertices}; "
                         "check that the data and the mesh are the same surface and resolution")
    if not allow_nonfinite and not np.isfinite(data).all():
        bad = ~np.isfinite(data).all(axis=1)
        raise ValueError(f"{name} contains {int((~np.isfinite(data)).sum())} NaN or infinite values (in "
                         f"{int(bad.sum())} volumes); pass allow_nonfinite=True to read them (Recording.from_files "
                         "marks such volumes invalid)")
    return data


def check_same_recording(*paths) -> None:
    """Refuse files whose BIDS-style names (``sub-01_ses-02_…``) name different subjects or sessions.

    Raises
    ------
    ValueError
        Naming the two files and the entity that differs.
    """
    import re

    for entity in ("sub", "ses", "task", "run"):
        seen = {}
        for path in paths:
            match = re.search(rf"(?:^|[_/]){entity}-([A-Za-z0-9]+)", Path(path).name)
            if match:
                seen.setdefault(match.group(1), Path(path).name)
        if len(seen) > 1:
            (a, fa), (b, fb) = list(seen.items())[:2]
            raise ValueError(f"mismatched {entity}: {fa} is {entity}-{a} but {fb} is {entity}-{b}; pair files "
                             "of one recording")
