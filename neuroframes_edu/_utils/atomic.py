"""Atomic writes: a file or folder appears complete or not at all, and nothing the user owns is replaced
unless they asked (``overwrite=True``)."""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def atomic_folder(folder: str | Path, overwrite: bool = False):
    """Yield a temporary folder next to ``folder`` and move it into place when the block succeeds.

    Raises
    ------
    FileExistsError
        If ``folder`` exists and ``overwrite`` is False.
    """
    _check_overwrite(overwrite)
    folder = Path(folder)
    if folder.exists() and not overwrite:
        raise FileExistsError(f"{folder} already exists; pass overwrite=True to replace it or choose another path")
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    os.chmod(tmp, 0o777 & ~_umask())  # mkdtemp's 0700 would make the folder private while its files are not
    try:
        yield tmp
        if folder.exists() and not overwrite:  # written meanwhile by someone else (another process): keep theirs
            raise FileExistsError(f"{folder} appeared while it was being written; pass overwrite=True to replace "
                                  "it or choose another path")
        if folder.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{folder.name}.old.", dir=folder.parent))
            try:
                os.replace(folder, old / folder.name)
                os.replace(tmp, folder)
            except BaseException:  # e.g. Ctrl-C between the two moves: put the old folder back
                if not folder.exists() and (old / folder.name).exists():
                    os.replace(old / folder.name, folder)
                shutil.rmtree(old, ignore_errors=True)
                raise
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _check_overwrite(overwrite) -> None:
    """``overwrite`` must be a real bool: a string such as ``"no"`` is truthy and would replace files."""
    from neuroframes_edu._utils.validation import check_type

    check_type(overwrite, bool, "overwrite", hint="pass True to replace existing files, False to keep them")


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


@contextmanager
def atomic_file(path: str | Path, overwrite: bool = True):
    """Yield a temporary path next to ``path``; move it into place when the block succeeds.

    The temporary name keeps every suffix of ``path`` (``.func.gii``, ``.dtseries.nii``), so writers
    that infer the format from the name work on it; on failure it is removed and ``path`` is untouched.
    The finished file gets the usual permissions (``0666`` less the umask), not ``mkstemp``'s ``0600``.

    Raises
    ------
    FileExistsError
        If ``path`` exists and ``overwrite`` is False.
    """
    _check_overwrite(overwrite)
    path = Path(path)
    if path.exists() and not overwrite:
        raise FileExistsError(f"{path} already exists; pass overwrite=True to replace it")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix="".join(path.suffixes) or ".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp)
    try:
        yield tmp
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def atomic_write_text(path: str | Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` through :func:`atomic_file`, so a crash never leaves a
    half-written file behind."""
    with atomic_file(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
