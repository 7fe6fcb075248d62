"""The notebook pipeline: jupytext sources → committed ``.ipynb`` for Colab → papermill execution.

The ``notebooks/NN_slug.py`` files (jupytext ``py:percent``) are the source of truth. From them:

* :func:`sync_notebooks` writes ``notebooks/NN_slug.ipynb`` (no outputs, stable cell ids) — the
  files that Colab badges open. ``check=True`` reports drift instead of writing; a test runs it.
* :func:`execute_notebooks` runs each notebook with papermill, with parameters injected (``FAST``
  for CPU/CI), and writes the executed copies to a build folder (never over the sources). It uses
  papermill's engine with one change for ``interact`` cells
  (:mod:`neuroframes_edu.course.papermill_engine`), and stops each kernel at once after its last
  cell. The book shows those executed copies and ``pytest --nbval`` re-runs them to check that they
  reproduce.

``neuroframes-edu run-notebooks`` and ``neuroframes-edu sync-notebooks`` (see
:mod:`neuroframes_edu.course.cli`) call these functions, so the Makefile, CI and instructors share one
code path. This module and those commands need the ``course`` extra (nbformat, jupytext, papermill).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import sys
import tempfile
import time
import traceback
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import nbformat

from neuroframes_edu._utils.atomic import atomic_write_text

NOTEBOOK_PATTERN = re.compile(r"^(\d\d)_[a-z0-9_]+\.py$")
REQUIRED_PARAMETERS = ("FAST",)
EXECUTED_DIRNAME = "executed"


class NotebookFormatError(ValueError):
    """A notebook source breaks one of the course's conventions (kernelspec, parameters cell, …)."""


def find_notebooks(notebook_dir: str | Path, only: Iterable[str] | None = None) -> list[Path]:
    """The course's jupytext sources in ``notebook_dir``, in course order.

    Parameters
    ----------
    notebook_dir : str or Path
        Folder holding ``NN_slug.py`` files.
    only : iterable of str, optional
        Keep only notebooks whose stem starts with one of these strings (``"00"``, ``"03_eeg"``).

    Raises
    ------
    FileNotFoundError
        If ``notebook_dir`` does not exist.
    ValueError
        If ``only`` names no notebook.
    """
    notebook_dir = Path(notebook_dir)
    if not notebook_dir.is_dir():
        raise FileNotFoundError(f"notebook_dir {str(notebook_dir)!r} is not a folder; pass the repository's notebooks/")
    paths = sorted(p for p in notebook_dir.iterdir() if NOTEBOOK_PATTERN.match(p.name))
    if only:
        wanted = [str(o) for o in only]
        paths = [p for p in paths if any(p.stem.startswith(w) for w in wanted)]
        if not paths:
            raise ValueError(f"only={wanted} matches no notebook in {notebook_dir}; stems look like '00_welcome'")
    return paths


def _stable_cell_ids(nb: nbformat.NotebookNode, stem: str) -> None:
    """Give every cell an id derived from its content, so regenerating the ``.ipynb`` gives no diff
    and editing one cell changes one id."""
    seen: dict[str, int] = {}
    for cell in nb.cells:
        digest = hashlib.sha1(f"{stem}\0{cell.cell_type}\0{cell.source}".encode()).hexdigest()[:10]
        n = seen.get(digest, 0)
        seen[digest] = n + 1
        cell["id"] = digest if n == 0 else f"{digest}-{n}"


def validate_notebook(nb: nbformat.NotebookNode, name: str = "notebook") -> None:
    """Check the conventions every course notebook follows.

    A kernelspec in the header (papermill needs it), exactly one cell tagged ``parameters`` that
    defines every name in :data:`REQUIRED_PARAMETERS`.

    Raises
    ------
    NotebookFormatError
        Naming the notebook and what to add.
    """
    kernelspec = nb.metadata.get("kernelspec", {})
    if not kernelspec.get("name"):
        raise NotebookFormatError(
            f"{name} has no kernelspec; add to its jupytext header:\n"
            "#   kernelspec:\n#     display_name: Python 3 (ipykernel)\n#     language: python\n#     name: python3"
        )
    tagged = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    if len(tagged) != 1:
        raise NotebookFormatError(
            f"{name} has {len(tagged)} cells tagged 'parameters' but needs exactly one; "
            "mark it with '# %% tags=[\"parameters\"]'"
        )
    source = tagged[0].source
    for param in REQUIRED_PARAMETERS:
        if not re.search(rf"^{param}\s*(:[^=]+)?=", source, flags=re.MULTILINE):
            raise NotebookFormatError(f"{name}'s parameters cell does not define {param}; add e.g. '{param} = True'")


def read_source(path: str | Path) -> nbformat.NotebookNode:
    """Read a jupytext ``py:percent`` source into a validated notebook with stable cell ids.

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    NotebookFormatError
        If the notebook breaks a convention (see :func:`validate_notebook`).
    """
    import jupytext

    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"notebook source {str(path)!r} does not exist")
    nb = jupytext.read(path, fmt="py:percent")
    # The jupytext version would churn every .ipynb on each upgrade; the format is all we need.
    nb.metadata.get("jupytext", {}).pop("text_representation", None)
    if not nb.metadata.get("jupytext"):
        nb.metadata.pop("jupytext", None)
    nb.metadata.setdefault("language_info", {"name": "python"})
    _stable_cell_ids(nb, path.stem)
    validate_notebook(nb, name=path.name)
    return nb


def ipynb_text(path: str | Path) -> str:
    """The exact text of the committed ``.ipynb`` that corresponds to a jupytext source."""
    return nbformat.writes(read_source(path)) + "\n"


def sync_notebooks(notebook_dir: str | Path, check: bool = False, only: Iterable[str] | None = None) -> list[Path]:
    """Regenerate ``NN_slug.ipynb`` next to each ``NN_slug.py``, and its learners' version (solutions
    replaced by stubs, :func:`student_version`) in ``exercises/``: both are committed, and the course's
    Colab links open the learners' version first.

    Parameters
    ----------
    notebook_dir : str or Path
        The repository's ``notebooks/`` folder.
    check : bool
        Only report which ``.ipynb`` files are missing or differ from their source; write nothing.
    only : iterable of str, optional
        Restrict to notebooks whose stem starts with one of these strings.

    Returns
    -------
    list of Path
        The ``.ipynb`` files that were (or, with ``check=True``, would be) written.
    """
    stale = []
    for src in find_notebooks(notebook_dir, only):
        exercises = Path(notebook_dir) / EXERCISES / f"{src.stem}.ipynb"
        for target, text in ((src.with_suffix(".ipynb"), ipynb_text(src)), (exercises, student_text(src))):
            if target.is_file() and target.read_text(encoding="utf-8") == text:
                continue
            stale.append(target)
            if not check:
                atomic_write_text(target, text)
    return stale


@dataclass
class NotebookRun:
    """Outcome of executing one notebook."""

    name: str
    status: str  # "ok" or "failed"
    seconds: float
    output: Path
    error: str = ""


def _kernel_python(kernel_name: str) -> str | None:
    try:
        from jupyter_client.kernelspec import KernelSpecManager

        return KernelSpecManager().get_kernel_spec(kernel_name).argv[0]
    except Exception:  # no such kernel: papermill will say so itself
        return None


#: Folder (inside ``notebooks/``) of the committed learners' versions that Colab opens.
EXERCISES = "exercises"
#: Notebook metadata key that marks the notebooks this library writes (executed and student copies).
MARK = "neuroframes_edu"


def _cells_digest(nb) -> str:
    """sha256 of a notebook's cell sources: changes when a learner edits a cell (not when they run it)."""
    import json

    return hashlib.sha256(json.dumps([c.get("source", "") for c in nb.cells]).encode()).hexdigest()


def written_by_library(path: str | Path, kind: str) -> bool:
    """Whether ``path`` is a notebook this library wrote as ``kind`` (``"executed"`` or ``"student"``) and,
    for a student copy, no cell has been edited since: only such files are replaced without
    ``overwrite=True``. Executed copies from before the mark count by papermill's record of their source
    (a temporary file of :func:`execute_notebooks`)."""
    path = Path(path)
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception:  # not a notebook (or unreadable): not ours
        return False
    mark = nb.metadata.get(MARK, {})
    if kind == "student":
        return mark.get("kind") == "student" and mark.get("cells_sha256") == _cells_digest(nb)
    source = str(nb.metadata.get("papermill", {}).get("input_path", ""))
    return mark.get("kind") == "executed" or "neuroframes-nb-" in source


def _refuse_foreign(paths, kind: str, overwrite: bool, what: str) -> None:
    """FileExistsError listing the existing files among ``paths`` that the library did not write as ``kind``."""
    if overwrite:
        return
    foreign = [p for p in paths if Path(p).exists() and not written_by_library(p, kind)]
    if foreign:
        names = ", ".join(str(p) for p in foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
        raise FileExistsError(f"{names} {'was' if len(foreign) == 1 else 'were'} not written by neuroframes-edu"
                              f"{' or were edited since' if kind == 'student' else ''}; {what} would replace "
                              f"{'it' if len(foreign) == 1 else 'them'}. Move {'it' if len(foreign) == 1 else 'them'} "
                              "away, choose another output folder, or pass overwrite=True (--overwrite)")


def execute_notebooks(
    notebook_dir: str | Path,
    output_dir: str | Path,
    parameters: Mapping[str, object] | None = None,
    only: Iterable[str] | None = None,
    kernel_name: str = "python3",
    timeout: float | None = 1800,
    stop_on_error: bool = False,
    progress: bool = True,
    overwrite: bool = False,
) -> list[NotebookRun]:
    """Execute the course notebooks with papermill and write the executed copies to ``output_dir``.

    Parameters
    ----------
    notebook_dir : str or Path
        Folder with the jupytext sources ``NN_slug.py``.
    output_dir : str or Path
        Where ``NN_slug.ipynb`` executed copies go (created if needed). Must not be
        ``notebook_dir``: executed copies never replace the committed notebooks.
    parameters : mapping, optional
        Values injected after the ``parameters`` cell, e.g. ``{"FAST": True}``.
    only : iterable of str, optional
        Run only notebooks whose stem starts with one of these strings.
    kernel_name : str
        Jupyter kernel to run in.
    timeout : float or None
        Seconds one cell may take before the run counts as failed.
    stop_on_error : bool
        Stop at the first failing notebook instead of running the rest.
    progress : bool
        Show a tqdm bar over notebooks.
    overwrite : bool
        Replace (or, on failure, remove) ``NN_slug.ipynb`` files in ``output_dir`` that this library
        did not write. Without it such files are refused before anything runs; executed copies of an
        earlier run are replaced either way.

    Returns
    -------
    list of NotebookRun
        One per notebook, in course order. A failed notebook's partly executed copy is kept as
        ``NN_slug.failed.ipynb`` (with the error in it) and an older executed ``NN_slug.ipynb`` is
        removed, so the book never shows stale results.

    Raises
    ------
    FileExistsError
        ``output_dir`` holds a notebook of the same name that this library did not write (and
        ``overwrite`` is False).

    Notes
    -----
    Each kernel is stopped at once after its notebook's last cell (nbclient's
    ``shutdown_kernel="immediate"``): every output has reached the notebook by then, and a graceful
    stop would only let the interpreter tear down torch, torch-geometric and the rest, about 2 s per
    notebook on 2 cores. The kernel's ``atexit`` hooks and finalizers do not run and its child
    processes are killed, so a notebook cleans up in a cell, as notebook 08 removes its workspace.
    """
    import papermill
    from tqdm.auto import tqdm

    from neuroframes_edu.course.papermill_engine import register as register_engine

    engine = register_engine()  # papermill's engine, minus nbclient's widget-state echo that can stall a cell

    notebook_dir = Path(notebook_dir).resolve()
    output_dir = _output_folder(output_dir, "output_dir").resolve()
    if output_dir == notebook_dir:
        raise ValueError(
            f"output_dir {str(output_dir)!r} is the notebook source folder; executed copies would replace the "
            "committed notebooks. Pick a build folder such as jupyter-book/executed"
        )
    sources = find_notebooks(notebook_dir, only)
    _refuse_foreign([output_dir / f"{src.stem}{suffix}" for src in sources for suffix in (".ipynb", ".failed.ipynb")],
                    "executed", overwrite, "running the notebooks")
    output_dir.mkdir(parents=True, exist_ok=True)
    # Prefer the kernelspec of the environment we run in over one a user installed elsewhere.
    os.environ.setdefault("JUPYTER_PREFER_ENV_PATH", "1")
    os.environ.setdefault("PYTHONHASHSEED", "0")
    kernel_python = _kernel_python(kernel_name)
    if kernel_python and Path(kernel_python).name.startswith("python") and os.path.isabs(kernel_python) \
            and Path(kernel_python).resolve() != Path(sys.executable).resolve():
        print(f"note: kernel {kernel_name!r} runs {kernel_python}, not this interpreter ({sys.executable}); "
              f"run '{sys.executable} -m ipykernel install --sys-prefix' if imports fail", file=sys.stderr)

    runs: list[NotebookRun] = []
    bar = tqdm(sources, desc="notebooks", unit="nb", disable=not progress, file=sys.stdout)
    # Figures must reach the notebook (and the book) even where MPLBACKEND=Agg is set for headless work.
    saved_backend = os.environ.get("MPLBACKEND")
    os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    with contextlib.ExitStack() as stack, tempfile.TemporaryDirectory(prefix="neuroframes-nb-") as tmp:
        stack.callback(_restore_env, "MPLBACKEND", saved_backend)
        for src in bar:
            bar.set_postfix_str(src.stem)
            final = output_dir / f"{src.stem}.ipynb"
            failed = output_dir / f"{src.stem}.failed.ipynb"
            partial = output_dir / f".{src.stem}.partial.ipynb"
            start = time.perf_counter()
            try:
                source_ipynb = Path(tmp) / f"{src.stem}.ipynb"
                marked = read_source(src)
                marked.metadata[MARK] = {"kind": "executed", "source": src.name}
                source_ipynb.write_text(nbformat.writes(marked) + "\n", encoding="utf-8")
                papermill.execute_notebook(
                    str(source_ipynb), str(partial), parameters=dict(parameters or {}),
                    kernel_name=kernel_name, engine_name=engine, progress_bar=False, log_output=False,
                    cwd=str(output_dir), execution_timeout=timeout, shutdown_kernel="immediate",
                )
            except Exception as exc:  # papermill raises PapermillExecutionError with the cell's traceback
                seconds = time.perf_counter() - start
                if partial.exists():
                    os.replace(partial, failed)
                final.unlink(missing_ok=True)
                message = str(exc).strip() or traceback.format_exc()
                runs.append(NotebookRun(src.stem, "failed", seconds, failed, message))
                tqdm.write(f"FAILED {src.stem} after {seconds:.1f} s:\n{message}", file=sys.stdout)
                if stop_on_error:
                    break
                continue
            _hide_injected_parameters(partial)
            os.replace(partial, final)
            failed.unlink(missing_ok=True)
            runs.append(NotebookRun(src.stem, "ok", time.perf_counter() - start, final))
    bar.close()
    return runs


def _output_folder(path, name: str) -> Path:
    """``path`` as a folder to write into: refused if it is an existing file."""
    from neuroframes_edu._utils.validation import check_folder

    return check_folder(path, name, "give a folder to write the notebooks into")


def _hide_injected_parameters(path: Path) -> None:
    """Tag papermill's injected-parameters cell ``remove-cell``: it still runs (nbval runs it too), but
    the website does not show it (the notebook's own ``parameters`` cell above says the same)."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if "injected-parameters" in tags and "remove-cell" not in tags:
            cell.metadata["tags"] = [*tags, "remove-cell"]
    nbformat.write(nb, path)


def _restore_env(name: str, value: str | None) -> None:
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value


def format_run_table(runs: list[NotebookRun]) -> str:
    """A plain-text table of notebook, status and seconds, with a total line."""
    width = max([len("notebook"), *(len(r.name) for r in runs)])
    lines = [f"{'notebook':<{width}}  {'status':<6}  {'seconds':>8}", f"{'-' * width}  {'-' * 6}  {'-' * 8}"]
    lines += [f"{r.name:<{width}}  {r.status:<6}  {r.seconds:8.1f}" for r in runs]
    n_ok = sum(r.status == "ok" for r in runs)
    lines.append(f"{'total':<{width}}  {f'{n_ok}/{len(runs)}':<6}  {sum(r.seconds for r in runs):8.1f}")
    return "\n".join(lines)


_BAR = re.compile(r"^(?P<indent>\s*)#{10,}\s*$")
_RAISE = re.compile(r"^(?P<indent>\s*)#\s*(?P<stmt>raise NotImplementedError\(.*\))\s*$")


def strip_solution(code: str) -> tuple[str, int]:
    """Replace each worked solution in a code cell by its ``raise NotImplementedError`` stub.

    An exercise is marked by two bars of ``#`` that enclose a ``## TODO for students`` line and a
    commented ``# raise NotImplementedError(...)``; the solution is everything after the closing bar
    that is indented at least as deeply (the rest of the function body). The stub is uncommented in
    its place, so the student version still parses and its check tells the learner what to write.

    Returns
    -------
    code : str
        The student version of the cell.
    n : int
        Number of exercises stripped.
    """
    lines = code.splitlines()
    out, i, n = [], 0, 0
    while i < len(lines):
        m = _BAR.match(lines[i])
        if not m:
            out.append(lines[i])
            i += 1
            continue
        end = next((j for j in range(i + 1, len(lines)) if _BAR.match(lines[j])), None)
        block = lines[i: (end or i) + 1]
        stub = next((_RAISE.match(x) for x in block if _RAISE.match(x)), None)
        if end is None or stub is None or not any("TODO for students" in x for x in block):
            out.append(lines[i])
            i += 1
            continue
        indent = len(m.group("indent"))
        out += [x for x in block if not _RAISE.match(x)]
        out.append(" " * indent + stub.group("stmt"))
        i = last = end + 1  # skip the solution: the following lines indented at least as deeply
        while i < len(lines) and (not lines[i].strip() or len(lines[i]) - len(lines[i].lstrip()) >= indent):
            i += 1
            if lines[i - 1].strip():
                last = i
        i = last
        n += 1
    return "\n".join(out) + ("\n" if code.endswith("\n") else ""), n


def write_student_notebooks(notebook_dir: str | Path, output_dir: str | Path,
                            only: Iterable[str] | None = None, overwrite: bool = False) -> dict[str, int]:
    """Write student versions (solutions replaced by stubs) of the course notebooks as ``.ipynb``.

    A student copy this function wrote earlier is replaced (e.g. after a course update) only while no
    cell of it has been edited: a learner's work is never replaced unless ``overwrite=True``.

    Returns
    -------
    dict
        Notebook file name → number of exercises stripped.

    Raises
    ------
    FileExistsError
        Before writing anything: ``output_dir`` holds a notebook of the same name that a learner edited
        or that this library did not write (and ``overwrite`` is False).
    """
    output_dir = _output_folder(output_dir, "output_dir")
    sources = find_notebooks(notebook_dir, only)
    _refuse_foreign([output_dir / f"{p.stem}.ipynb" for p in sources], "student", overwrite,
                    "writing the student notebooks")
    output_dir.mkdir(parents=True, exist_ok=True)
    counts = {}
    for path in sources:
        nb, total = student_version(path)
        name = f"{path.stem}.ipynb"
        atomic_write_text(output_dir / name, nbformat.writes(nb) + "\n")
        counts[name] = total
    return counts


def student_version(path: str | Path) -> tuple[nbformat.NotebookNode, int]:
    """The learners' version of a jupytext source: every worked solution replaced by its stub
    (:func:`strip_solution`), marked as written by this library with a digest of its cells.

    Returns
    -------
    nb : NotebookNode
    n_exercises : int
        Solutions removed.
    """
    nb = read_source(path)
    total = 0
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.source, n = strip_solution(cell.source)
            total += n
    nb.metadata[MARK] = {"kind": "student", "source": Path(path).name, "cells_sha256": _cells_digest(nb)}
    return nb, total


def student_text(path: str | Path) -> str:
    """The exact text of the committed learners' version (``notebooks/exercises/``) of a source."""
    return nbformat.writes(student_version(path)[0]) + "\n"
