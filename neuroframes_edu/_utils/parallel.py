"""How many threads the library's own FFTs may use."""

from __future__ import annotations

import os


def fft_workers() -> int:
    """Threads for :mod:`scipy.fft` (Hilbert transforms of many channels at once).

    ``OMP_NUM_THREADS`` when it is set — the limit that BLAS and PyTorch already obey, which
    ``make test`` sets to 1 per test worker — else every CPU this process may run on. The transforms
    of the rows are independent, so the result is the same for any number of threads.
    """
    env = os.environ.get("OMP_NUM_THREADS", "").strip()
    if env.isdigit() and int(env) > 0:
        return int(env)
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # macOS, Windows
        return max(os.cpu_count() or 1, 1)
