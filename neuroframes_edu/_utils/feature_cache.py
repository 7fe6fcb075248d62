"""An on-disk cache for expensive EEG features, keyed by the content of their inputs.

Band power of a 10-minute recording takes seconds per call (five FIR band-pass filters and Hilbert
envelopes; for cortical sources, a projection onto every vertex as well), and the course computes the
same features of the same recordings in several notebooks, each in its own kernel. Like joblib's
``Memory`` (which nilearn uses for the same purpose), this cache stores a function's result under a
digest of its inputs, so a second call with the same EEG, parameters and code returns the stored
arrays instead of recomputing them — bit for bit the same arrays.

* The key is a BLAKE2 digest of every input array's bytes, dtype and shape, the parameters, and the
  source code of the module that computes the feature: editing that module invalidates its entries.
* Entries are ``.npz`` files written atomically (a temporary file moved into place), so a reader never
  sees half a file and concurrent writers of the same key are harmless; an unreadable entry is
  recomputed and replaced.
* Inputs smaller than :data:`MIN_VALUES` values are not cached (they compute faster than a lookup).
* The cache lives in ``<data_dir>/cache/features`` (:func:`neuroframes_edu.data.datasets.data_dir`) and
  is kept under :data:`MAX_BYTES` by deleting the least recently used entries. It holds only derived
  data: deleting it is always safe. Set the environment variable ``NEUROFRAMES_EDU_FEATURE_CACHE=0`` to
  turn it off, or to a folder to put it there.
"""

from __future__ import annotations

import hashlib
import json
import os
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np

from neuroframes_edu._utils.atomic import atomic_file

#: Inputs with fewer values than this are computed, not cached.
MIN_VALUES = 1 << 20
#: Size the cache is trimmed to (least recently used entries first).
MAX_BYTES = 3 * 1024**3
_OFF = {"0", "off", "false", "no"}


def cache_dir() -> Path | None:
    """The cache folder, or ``None`` when ``NEUROFRAMES_EDU_FEATURE_CACHE`` turns the cache off."""
    env = os.environ.get("NEUROFRAMES_EDU_FEATURE_CACHE", "").strip()
    if env.lower() in _OFF:
        return None
    if env:
        return Path(env).expanduser()
    from neuroframes_edu.data.datasets import data_dir

    return data_dir() / "cache" / "features"


def digest(arrays, params: dict, code_of) -> str:
    """A hex digest of ``arrays`` (their bytes, dtypes and shapes), ``params`` (JSON-serialisable) and the
    source files of the modules named in ``code_of`` (one name or several)."""
    import importlib

    h = hashlib.blake2b(digest_size=20)
    for name in (code_of,) if isinstance(code_of, str) else tuple(code_of):
        h.update(Path(importlib.import_module(name).__file__).read_bytes())
    h.update(json.dumps(params, sort_keys=True, default=str).encode())
    for a in arrays:
        a = np.ascontiguousarray(a)
        h.update(f"{a.dtype.str}{a.shape}".encode())
        h.update(memoryview(a).cast("B"))
    return h.hexdigest()


def cached(kind: str, arrays, params: dict, code_of,
           compute: Callable[[], dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """``compute()`` — a dict of arrays — from the cache when the same inputs were seen before.

    Parameters
    ----------
    kind : str
        Sub-folder of the cache (one per feature).
    arrays : sequence of ndarray
        The inputs the result depends on (e.g. the EEG samples and an inverse kernel).
    params : dict
        Every other input (rates, bands, channel names), JSON-serialisable.
    code_of : str or tuple of str
        Modules whose source code computes the result (``"neuroframes_edu.features"``).
    compute : callable
        Returns the result as ``{name: ndarray}``.
    """
    folder = cache_dir()
    if folder is None or sum(int(np.size(a)) for a in arrays) < MIN_VALUES:
        return compute()
    path = folder / kind / f"{digest(arrays, params, code_of)}.npz"
    if path.is_file():
        try:
            with np.load(path, allow_pickle=False) as stored:
                result = {name: stored[name] for name in stored.files}
            os.utime(path)  # recently used: trimmed last
            return result
        except Exception as exc:  # a damaged entry: recompute and replace it
            warnings.warn(f"the cached features in {path} could not be read ({type(exc).__name__}: {exc}); computing "
                          "them again (the feature cache holds only derived data: deleting it is always safe)",
                          RuntimeWarning, stacklevel=3)
    result = compute()
    try:
        with atomic_file(path) as tmp:  # replaces a damaged entry; concurrent writers of a key are harmless
            np.savez(tmp, **result)
        _trim(folder)
    except OSError as exc:  # a read-only or full disk must not stop the computation
        warnings.warn(f"could not write the feature cache in {folder} ({exc}); set NEUROFRAMES_EDU_FEATURE_CACHE=0 "
                      "to turn it off, or to a writable folder", RuntimeWarning, stacklevel=3)
    return result


def _trim(folder: Path, max_bytes: int | None = None) -> None:
    """Delete the least recently used entries until the cache holds at most ``max_bytes``."""
    limit = MAX_BYTES if max_bytes is None else max_bytes
    entries = []
    for p in folder.glob("*/*.npz"):
        try:
            st = p.stat()
        except FileNotFoundError:  # removed by a concurrent trim
            continue
        entries.append((st.st_mtime, st.st_size, p))
    total = sum(size for _, size, _ in entries)
    for _, size, p in sorted(entries):
        if total <= limit:
            break
        p.unlink(missing_ok=True)
        total -= size
