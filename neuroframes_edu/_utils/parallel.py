"""How many threads the library's own FFTs may use."""

from __future__ import annotations

import os
from contextlib import contextmanager


def fft_workers() -> int:
    """Threads for :mod:`scipy.fft` (Hilbert transforms and convolutions of many rows at once).

    ``OMP_NUM_THREADS`` when it holds a positive number (its first, for a nested list such as ``"4,2"``):
    the limit that BLAS and PyTorch already obey, which ``make test`` sets to 1 per test worker. Else
    every CPU this process may run on. The rows' transforms are independent, so the result is the same
    for any number of threads.
    """
    first = os.environ.get("OMP_NUM_THREADS", "").split(",")[0].strip()
    try:
        n = int(first)
    except ValueError:
        n = 0
    if n > 0:
        return n
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # macOS, Windows
        return max(os.cpu_count() or 1, 1)


@contextmanager
def fft_threads():
    """``scipy.fft.set_workers`` with :func:`fft_workers` threads — unless the caller already chose more
    than one (``with scipy.fft.set_workers(n):`` around the library call), which is kept."""
    from scipy.fft import get_workers, set_workers

    with set_workers(get_workers() if get_workers() > 1 else fft_workers()):
        yield
