"""Helpers shared by the tests (imported as ``tests.support``): repository paths, notebooks written on the
fly, and a Python that cannot import the course tools."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: What the course extra (and the book and dev extras) add on top of the science library.
COURSE_ONLY_MODULES = ("jupytext", "papermill", "nbval", "nbclient", "nbformat", "jupyterlab", "ipykernel",
                       "ipywidgets", "jupyter_book", "playwright")

_BLOCKER = """
import importlib.abc
import sys

BLOCKED = {blocked!r}
already = sorted(name for name in sys.modules if name.split(".")[0] in BLOCKED)
assert not already, f"imported before the blocker was installed: {{already}}"


class Blocker(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):  # raising stops the search: "not installed"
        if name.split(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {{name!r}} (blocked: not part of a lean install)", name=name)
        return None


sys.meta_path.insert(0, Blocker())
"""

NOTEBOOK_HEADER = """# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---
"""


def write_notebook(folder: Path, name: str, body: str, header: str = NOTEBOOK_HEADER) -> Path:
    """Write a jupytext py:percent notebook ``folder/name`` and return its path."""
    path = folder / name
    path.write_text(header + body, encoding="utf-8")
    return path


def run_python_without(blocked, code: str, **kwargs) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh interpreter in which importing any of the ``blocked`` top-level packages
    raises ImportError, as if they were not installed. Returns the completed process (not checked)."""
    script = _BLOCKER.format(blocked=tuple(blocked)) + "\n" + textwrap.dedent(code)
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT,
                          check=False, **kwargs)
