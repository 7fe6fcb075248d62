"""Helpers shared by the benchmark scripts."""

from __future__ import annotations

import resource
from pathlib import Path


def peak_mib() -> float:
    """Peak resident memory of this process in MiB.

    Read from ``VmHWM`` in ``/proc/self/status`` (Linux), which belongs to this program alone.
    ``getrusage``'s ``ru_maxrss`` is not used where ``/proc`` exists: Linux carries it over from the
    parent through ``fork`` and ``exec``, so a child started by a large parent reports the parent's peak.
    """
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # macOS reports bytes, Linux KiB
