"""Build the course website with Jupyter Book 1 from the notebooks that papermill executed.

The book never executes notebooks itself (``execute_notebooks: "off"`` in ``_config.yml``): they run
once, through :func:`neuroframes_edu.course.notebooks.execute_notebooks`, and the book shows those copies.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml


def _toc_files(entries) -> list[str]:
    files = []
    for entry in entries or []:
        if "file" in entry:
            files.append(entry["file"])
        for key in ("chapters", "sections", "parts"):
            files += _toc_files(entry.get(key))
    return files


def toc_files(book_dir: str | Path) -> list[str]:
    """Every file (without suffix) named in the book's ``_toc.yml``, root first."""
    toc = yaml.safe_load((Path(book_dir) / "_toc.yml").read_text(encoding="utf-8"))
    return [toc["root"], *_toc_files(toc.get("parts") or toc.get("chapters"))]


def missing_toc_files(book_dir: str | Path) -> list[str]:
    """Files the table of contents names that are not in the book folder (e.g. notebooks not executed yet)."""
    book_dir = Path(book_dir)
    suffixes = (".md", ".ipynb", ".rst")
    return [f for f in toc_files(book_dir)
            if not any((book_dir / f"{f}{s}").is_file() or (book_dir / f).is_file() for s in suffixes)]


def build_book(book_dir: str | Path, strict: bool = True, builder: str = "html") -> Path:
    """Build the book and return the path of its ``index.html``.

    Parameters
    ----------
    book_dir : str or Path
        The ``jupyter-book/`` folder (with ``_config.yml`` and ``_toc.yml``).
    strict : bool
        Turn Sphinx warnings (missing files, broken cross-references) into a failed build
        (``-W -n --keep-going``). Jupyter Book itself exits 0 on a failing notebook, so this matters.
    builder : str
        Jupyter Book builder; ``"html"`` for the website.

    Raises
    ------
    FileNotFoundError
        If the book folder or a file its table of contents names is missing.
    RuntimeError
        If the build fails; the message ends with the build's own output.
    """
    book_dir = Path(book_dir)
    if not (book_dir / "_config.yml").is_file():
        raise FileNotFoundError(f"book_dir {str(book_dir)!r} has no _config.yml; pass the repository's jupyter-book/")
    missing = missing_toc_files(book_dir)
    if missing:
        raise FileNotFoundError(
            f"the book's _toc.yml names files that do not exist: {', '.join(missing)}. Executed notebooks come from "
            "'neuroframes-edu run-notebooks' (or 'make run'); run it before building the book"
        )
    cmd = [sys.executable, "-c", "from jupyter_book.cli.main import main; main()",
           "build", str(book_dir), "--builder", builder, "--all"]  # all pages: 9 s, and never a stale site
    if strict:
        cmd += ["-W", "-n", "--keep-going"]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        tail = (proc.stdout + proc.stderr)[-6000:]
        raise RuntimeError(f"jupyter-book build failed (exit {proc.returncode}):\n{tail}")
    index = book_dir / "_build" / builder / "index.html"
    if not index.is_file():
        raise RuntimeError(f"jupyter-book reported success but {index} was not written")
    return index.resolve()
