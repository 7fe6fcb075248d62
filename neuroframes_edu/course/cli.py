"""Command line: ``neuroframes-edu <command>`` (also ``python -m neuroframes_edu``).

Commands
--------
run-notebooks   execute the course notebooks with papermill into the book's build folder
sync-notebooks  regenerate the committed ``.ipynb`` files from the jupytext sources (``--check``: report drift)
build-book      build the Jupyter Book website from the executed notebooks
student-notebooks  write student versions of the notebooks (worked solutions replaced by stubs)
info            print versions and the compute device

Every command but ``info`` needs the ``course`` extra (``pip install "neuroframes-edu[course]"``);
without it the command says so instead of failing with a traceback.
"""

from __future__ import annotations

import argparse
import ast
import importlib
import importlib.util
import sys
from pathlib import Path

from neuroframes_edu._utils.validation import USER_ERRORS

#: Install hint printed when a command's tools are missing.
COURSE_EXTRA_HINT = 'pip install "neuroframes-edu[course]"'


def _require_course_tools(command: str, *modules: str) -> None:
    """Import ``modules`` (the course extra's tools that ``command`` needs), or exit with the install hint."""
    for name in modules:
        try:
            importlib.import_module(name)
        except ImportError as exc:
            raise SystemExit(
                f"error: 'neuroframes-edu {command}' needs {name}, which is not installed ({exc}); "
                f"it comes with the course extra: {COURSE_EXTRA_HINT}"
            ) from exc


def _find_root(start: Path | None = None) -> Path:
    """The repository root: the nearest folder upwards holding ``notebooks/`` and ``jupyter-book/``."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "notebooks").is_dir() and (folder / "jupyter-book").is_dir():
            return folder
    raise SystemExit(
        f"error: no neuroframes-edu checkout found at or above {here} (looked for notebooks/ and jupyter-book/); "
        "run from inside the repository or pass --root"
    )


def _parse_value(text: str):
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def _cmd_run_notebooks(args) -> int:
    _require_course_tools("run-notebooks", "nbformat", "jupytext", "papermill", "nbclient")
    from neuroframes_edu.course.notebooks import EXECUTED_DIRNAME, execute_notebooks, format_run_table

    root = args.root or _find_root()
    output = args.output_dir or root / "jupyter-book" / EXECUTED_DIRNAME
    parameters = {"FAST": not args.full}
    for name, value in args.parameter or []:
        parameters[name] = _parse_value(value)
    print(f"Executing notebooks from {root / 'notebooks'} into {output} with {parameters}", flush=True)
    runs = execute_notebooks(root / "notebooks", output, parameters=parameters, only=args.only,
                             kernel_name=args.kernel, timeout=args.timeout, stop_on_error=args.stop_on_error,
                             progress=not args.no_progress, overwrite=args.overwrite)
    print()
    print(format_run_table(runs))
    failed = [r for r in runs if r.status != "ok"]
    if failed:
        print(f"\n{len(failed)} notebook(s) failed; the executed copies with the error are: "
              + ", ".join(str(r.output) for r in failed), file=sys.stderr)
        return 1
    return 0


def _cmd_sync_notebooks(args) -> int:
    _require_course_tools("sync-notebooks", "nbformat", "jupytext")
    from neuroframes_edu.course.notebooks import sync_notebooks

    root = args.root or _find_root()
    stale = sync_notebooks(root / "notebooks", check=args.check, only=args.only)
    if args.check:
        if stale:
            print("These .ipynb files differ from their jupytext sources: " + ", ".join(str(p) for p in stale)
                  + "\nRun 'neuroframes-edu sync-notebooks' (or 'make sync-notebooks') and commit them.",
                  file=sys.stderr)
            return 1
        print("All .ipynb files match their jupytext sources.")
        return 0
    names = [str(p.relative_to(root / "notebooks")) for p in stale]
    print(f"Wrote {len(stale)} notebook(s)" + (": " + ", ".join(names) if stale else ""))
    return 0


def _cmd_build_book(args) -> int:
    _require_course_tools("build-book", "yaml")
    from neuroframes_edu.course.book import build_book

    try:  # the build runs jupyter-book in a subprocess; only check here that it is there
        found = importlib.util.find_spec("jupyter_book") is not None
    except ImportError:
        found = False
    if not found:
        raise SystemExit("error: 'neuroframes-edu build-book' needs jupyter-book, which is not installed; "
                         'it comes with the book extra: pip install "neuroframes-edu[book]"')
    root = args.root or _find_root()
    try:
        index = build_book(root / "jupyter-book", strict=not args.no_strict)
    except (FileNotFoundError, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"The book is at {index}")
    return 0


def _cmd_info(args) -> int:
    from neuroframes_edu.course.environment import environment_report

    print(environment_report())
    return 0


def _cmd_student_notebooks(args) -> int:
    _require_course_tools("student-notebooks", "nbformat", "jupytext")
    from neuroframes_edu.course.notebooks import write_student_notebooks

    root = args.root or _find_root()
    output = args.output_dir or root / "notebooks" / "student"
    counts = write_student_notebooks(root / "notebooks", output, only=args.only, overwrite=args.overwrite)
    for name, n in counts.items():
        print(f"{name}: {n} exercise(s) left for the learner")
    print(f"Wrote {len(counts)} student notebook(s) to {output}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``neuroframes-edu``."""
    parser = argparse.ArgumentParser(prog="neuroframes-edu", description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=None, help="repository root (default: found from the cwd)")
    parser.add_argument("--debug", action="store_true", help="show the Python traceback of an error")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run-notebooks", help="execute the course notebooks with papermill")
    run.add_argument("--full", action="store_true", help="full size (FAST=False): meant for a GPU")
    run.add_argument("--only", nargs="+", metavar="PREFIX", help="notebooks whose name starts with PREFIX, e.g. 00")
    run.add_argument("-p", "--parameter", nargs=2, action="append", metavar=("NAME", "VALUE"),
                     help="inject another parameter (Python literal), e.g. -p SEED 1")
    run.add_argument("--output-dir", type=Path, default=None, help="default: jupyter-book/executed")
    run.add_argument("--kernel", default="python3", help="Jupyter kernel name (default: python3)")
    run.add_argument("--timeout", type=float, default=1800, help="seconds a single cell may take")
    run.add_argument("--stop-on-error", action="store_true", help="stop at the first failing notebook")
    run.add_argument("--no-progress", action="store_true", help="no progress bar")
    run.add_argument("--overwrite", action="store_true",
                     help="replace same-named notebooks in the output folder that neuroframes-edu did not write")
    run.set_defaults(func=_cmd_run_notebooks)

    sync = sub.add_parser("sync-notebooks", help="regenerate notebooks/*.ipynb from the jupytext sources")
    sync.add_argument("--check", action="store_true", help="only report drift; exit 1 if any")
    sync.add_argument("--only", nargs="+", metavar="PREFIX")
    sync.set_defaults(func=_cmd_sync_notebooks)

    book = sub.add_parser("build-book", help="build the Jupyter Book website from the executed notebooks")
    book.add_argument("--no-strict", action="store_true", help="do not fail on Sphinx warnings")
    book.set_defaults(func=_cmd_build_book)

    student = sub.add_parser("student-notebooks", help="write student versions (solutions replaced by stubs)")
    student.add_argument("--output-dir", type=Path, default=None, help="default: notebooks/student")
    student.add_argument("--only", nargs="+", metavar="PREFIX")
    student.add_argument("--overwrite", action="store_true",
                         help="replace student notebooks even where a learner has edited them")
    student.set_defaults(func=_cmd_student_notebooks)

    info = sub.add_parser("info", help="print versions and the compute device")
    info.set_defaults(func=_cmd_info)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``neuroframes-edu`` command."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except USER_ERRORS as exc:  # a user's mistake: one line that says what and how to fix it
        if args.debug:
            raise
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
