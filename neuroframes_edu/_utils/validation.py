"""Validators for every public boundary, in the style of MNE's ``_validate_type`` / ``_check_option``.

Each one returns the checked value (converted where that is safe) or raises an error whose message
names the argument, shows what it received, says what it expects and, where there is one, how to fix it:

* :func:`check_type`, :func:`check_option` — the kind of value, one of a set of choices;
* :func:`check_int`, :func:`check_number` — integers and real numbers in a range (no bool, no NaN);
* :func:`check_array` — an array's dimensions, shape and finiteness;
* :func:`check_times` — a time axis: 1-D, finite, strictly increasing (or at least sorted), of a length;
* :func:`check_writable` — the file-safety policy: never replace a file unless the caller asked.

Wrong kinds raise ``TypeError``, wrong values ``ValueError``, refused writes ``FileExistsError``.
"""

from __future__ import annotations

import numbers
from pathlib import Path

import numpy as np

_MAX_REPR = 60

#: Errors that report a user's mistake (a bad argument, a missing or existing file) rather than a bug:
#: the command lines print them as one ``error:`` line (``--debug`` shows the traceback).
USER_ERRORS = (ValueError, TypeError, OSError)


def _show(value) -> str:
    """A short ``repr`` of what was received (arrays by shape and dtype)."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} ({value.dtype})"
    text = repr(value)
    return text if len(text) <= _MAX_REPR else text[: _MAX_REPR - 3] + "..."


def _kind(value) -> str:
    return type(value).__name__


def check_type(value, types, name: str, hint: str | None = None):
    """``value`` if it is an instance of ``types`` (a type, a tuple of types, or ``None`` for None).

    Raises
    ------
    TypeError
        ``"{name} must be <types>, got <type> <value>"``, with ``hint`` appended.
    """
    allowed = types if isinstance(types, tuple) else (types,)
    if value is None and None in allowed:
        return value
    real = tuple(t for t in allowed if t is not None)
    # bool is an int subclass: accept it only where bool itself is allowed
    if isinstance(value, real) and not (isinstance(value, (bool, np.bool_)) and bool not in real
                                         and any(t in (int, numbers.Integral, float, numbers.Real) for t in real)):
        return value
    names = [("None" if t is None else getattr(t, "__name__", str(t))) for t in allowed]
    expected = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
    raise TypeError(f"{name} must be {expected}, got {_kind(value)} {_show(value)}" + (f"; {hint}" if hint else ""))


def check_option(value, allowed, name: str):
    """``value`` if it is one of ``allowed``.

    Raises
    ------
    ValueError
        ``"{name} must be one of (...), got ..."``; a near miss in case (``"Linear"``) is named.
    """
    allowed = tuple(allowed)
    try:
        if value in allowed:
            return value
    except TypeError:  # unhashable or incomparable
        pass
    hint = ""
    if isinstance(value, str):
        close = [a for a in allowed if isinstance(a, str) and a.lower() == value.strip().lower()]
        if close:
            hint = f" (did you mean {close[0]!r}?)"
    raise ValueError(f"{name} must be one of {allowed}, got {_show(value)}{hint}")


def check_int(value, name: str, minimum: int | None = None, maximum: int | None = None) -> int:
    """``value`` as an ``int`` in ``[minimum, maximum]``: an integer (numpy integers too; floats such as
    ``3.0`` and bools are refused so that a slip such as ``n_frames=0.5`` is not silently truncated).

    Raises
    ------
    TypeError
        Not an integer.
    ValueError
        Out of range.
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {_kind(value)} {_show(value)}")
    value = int(value)
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise ValueError(f"{name} must be an integer {_range(minimum, maximum, True, True)}, got {value}")
    return value


def check_number(value, name: str, minimum: float | None = None, maximum: float | None = None,
                 include_minimum: bool = True, include_maximum: bool = True) -> float:
    """``value`` as a finite ``float`` in the range (bounds inclusive unless said otherwise).

    Raises
    ------
    TypeError
        Not a real number (strings, bools, arrays of several values).
    ValueError
        NaN, infinite, or out of range.
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        if isinstance(value, np.ndarray) and value.size == 1 and np.issubdtype(value.dtype, np.number):
            value = value.item()
        else:
            raise TypeError(f"{name} must be a real number, got {_kind(value)} {_show(value)}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value}")
    below = minimum is not None and (value < minimum if include_minimum else value <= minimum)
    above = maximum is not None and (value > maximum if include_maximum else value >= maximum)
    if below or above:
        raise ValueError(f"{name} must be {_range(minimum, maximum, include_minimum, include_maximum)}, got {value:g}")
    return value


def _range(lo, hi, include_lo, include_hi) -> str:
    if lo is not None and hi is not None:
        return f"in {'[' if include_lo else '('}{lo:g}, {hi:g}{']' if include_hi else ')'}"
    if lo is not None:
        return f"{'≥' if include_lo else '>'} {lo:g}"
    if hi is not None:
        return f"{'≤' if include_hi else '<'} {hi:g}"
    return "a number"


def check_sequence(value, name: str, each, allow_empty: bool = False) -> tuple:
    """``value`` (a list, tuple or 1-D array; one bare item is refused, so ``windows=3`` or ``rois="auditory"`` is not
    read as something else) as a tuple of ``each(item, f"{name}[{i}]")``.

    Raises
    ------
    TypeError
        Not a list or tuple, or an item ``each`` refuses.
    ValueError
        Empty (unless ``allow_empty``), or an item ``each`` refuses.
    """
    if isinstance(value, np.ndarray) and value.ndim == 1:
        value = value.tolist()
    if not isinstance(value, (list, tuple)):
        raise TypeError(f"{name} must be a tuple or list, got {_kind(value)} {_show(value)}; for one value write "
                        f"({_show(value)},)")
    if not value and not allow_empty:
        raise ValueError(f"{name} is empty; give at least one value")
    return tuple(each(item, f"{name}[{i}]") for i, item in enumerate(value))


def check_array(value, name: str, ndim: int | None = None, shape: tuple | None = None, finite: bool = True,
                dtype=float, axes: str | None = None) -> np.ndarray:
    """``value`` as an array of ``dtype`` with ``ndim`` dimensions and ``shape`` (``None`` entries match any
    length), finite unless ``finite=False``. ``axes`` names the dimensions in messages, e.g.
    ``"(n_frames, n_vertices)"``.

    Raises
    ------
    TypeError
        Values that cannot become ``dtype`` (strings, objects).
    ValueError
        Wrong dimensions or shape, or NaN / infinite values (counted, with the first position).
    """
    try:
        arr = np.asarray(value, dtype=dtype)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be an array of numbers{' ' + axes if axes else ''}, got {_kind(value)} "
                        f"{_show(value)}") from None
    what = f" {axes}" if axes else ""
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D{what}, got shape {arr.shape}")
    if shape is not None and (arr.ndim != len(shape) or any(s is not None and a != s
                                                            for a, s in zip(arr.shape, shape, strict=True))):
        expected = "(" + ", ".join("any" if s is None else str(s) for s in shape) + ")"
        raise ValueError(f"{name} must have shape {expected}{what}, got {arr.shape}")
    if finite and np.issubdtype(arr.dtype, np.inexact):
        bad = ~np.isfinite(arr)
        if bad.any():
            first = tuple(int(i) for i in np.argwhere(bad)[0])
            raise ValueError(f"{name} contains {int(bad.sum())} NaN or infinite value(s) (the first at index "
                             f"{first[0] if len(first) == 1 else first}); remove or mark them before passing it")
    return arr


def check_mask(value, name: str, length: int | None = None, ndim: int | None = 1) -> np.ndarray:
    """``value`` as a boolean mask: booleans, or 0 / 1 integers (``mask.astype(int)``), from a NumPy array,
    a list or a torch tensor. Fractions, weights and indices are refused rather than cast
    (``np.linspace(0, 1, n).astype(bool)`` is all True but the first; ``[0, 2, 5]`` is not frames 0, 2, 5).

    The library's one reading of a mask: frame masks in :mod:`neuroframes_edu.nullspace`, ``valid`` and
    ``known`` flags, ROI masks.

    Parameters
    ----------
    value : array-like or tensor
    name : str
        The argument's name, for messages.
    length : int, optional
        Required length of the last axis (one flag per frame or vertex).
    ndim : int or None
        Required number of dimensions (``None``: any, e.g. a batch of masks).

    Raises
    ------
    ValueError
        Of the wrong dimension or length, or holding values other than 0 / 1.
    """
    if hasattr(value, "detach") and hasattr(value, "cpu"):  # a torch tensor
        value = value.detach().cpu().numpy()
    arr = np.asarray(value)
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-D boolean mask, got shape {arr.shape}")
    if length is not None and (arr.ndim == 0 or arr.shape[-1] != length):
        got = arr.shape[-1] if arr.ndim else 0
        raise ValueError(f"{name} has {got} flags but the data it goes with have {length}; give one per frame "
                         "(volume)")
    if arr.dtype != bool:
        if arr.dtype.kind not in "iu" or not np.isin(arr, (0, 1)).all():
            values = np.unique(arr).tolist() if arr.dtype.kind in "iufb" else arr.dtype
            shown = values if not isinstance(values, list) or len(values) <= 6 else [*values[:6], "..."]
            raise ValueError(f"{name} must be a boolean mask (True / 1 where it holds), got {arr.dtype} values "
                             f"{shown}; from indices make one with np.isin(np.arange(n), indices)")
        arr = arr.astype(bool)
    return arr


def check_folder(value, name: str, purpose: str) -> Path:
    """``value`` as a folder path to write into (it need not exist yet); an existing file is refused.

    ``purpose`` ends the message, e.g. ``"give a folder for the cache (it is created if missing)"``.

    Raises
    ------
    NotADirectoryError
        ``value`` names an existing file.
    """
    path = Path(value)
    if path.exists() and not path.is_dir():
        raise NotADirectoryError(f"{name} {path} is a file, not a folder; {purpose}")
    return path


def check_times(value, name: str, length: int | None = None, strictly: bool = True,
                allow_empty: bool = False) -> np.ndarray:
    """A time axis in seconds: a 1-D float array, finite, increasing (strictly unless ``strictly=False``),
    of ``length`` values if given.

    A shuffled or reversed time axis is refused rather than sorted: sorting would reorder the data that
    goes with it, silently.

    Raises
    ------
    ValueError
        Naming the first offending position and its values.
    """
    t = check_array(value, name, ndim=1, axes="(n_times,)")
    if length is not None and len(t) != length:
        raise ValueError(f"{name} has {len(t)} times but the data it goes with have {length}; give one time per "
                         "frame (volume)")
    if not len(t) and not allow_empty:
        raise ValueError(f"{name} is empty; give at least one time in seconds")
    d = np.diff(t)
    bad = np.flatnonzero(d <= 0 if strictly else d < 0)
    if bad.size:
        i = int(bad[0])
        raise ValueError(f"{name} must be {'strictly ' if strictly else ''}increasing, but {name}[{i}] = {t[i]:g} "
                         f"and {name}[{i + 1}] = {t[i + 1]:g}; sort the times and the data that go with them "
                         "together, or drop duplicates")
    return t


def check_writable(path, name: str = "path", overwrite: bool = False) -> Path:
    """The file-safety policy for every writer: ``path`` as a ``Path`` that may be written — it does not
    exist, or ``overwrite`` is True (and it is not a folder).

    Raises
    ------
    FileExistsError
        ``path`` exists and ``overwrite`` is False (the message says how to replace it).
    IsADirectoryError
        ``path`` is an existing folder.
    TypeError
        ``path`` is not a string or path.
    """
    import os

    check_type(path, (str, os.PathLike), name)
    check_type(overwrite, bool, "overwrite", hint="pass True to replace an existing file, False to keep it")
    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(f"{name} {path} is a folder; give a file name inside it")
    if path.exists() and not overwrite:
        raise FileExistsError(f"{name} {path} already exists; pass overwrite=True (--overwrite on the command line) "
                              "to replace it, or choose another name")
    return path
