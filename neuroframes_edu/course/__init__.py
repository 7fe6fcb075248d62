"""The course tooling: the course map, the environment report, the exercise checks, the notebook
pipeline (jupytext → ``.ipynb`` → papermill), the book build and the ``neuroframes-edu`` command.

None of it is needed to use the science library. Importing this package stays light (no nbformat,
jupytext, papermill or nbclient), so the notebooks can use the course map and the exercise checks in
Colab; the notebook pipeline, the book build and the command line need the ``course`` extra::

    pip install "neuroframes-edu[course]"
"""

from neuroframes_edu.course.chapters import (
    COURSE,
    DEFAULT_BRANCH,
    REPOSITORY_URL,
    Chapter,
    available_chapters,
    chapter,
    checkout_notebook_dir,
    course_map_markdown,
)
from neuroframes_edu.course.environment import CORE_PACKAGES, EnvironmentReport, environment_report

__all__ = [
    "CORE_PACKAGES",
    "COURSE",
    "DEFAULT_BRANCH",
    "REPOSITORY_URL",
    "Chapter",
    "EnvironmentReport",
    "available_chapters",
    "chapter",
    "checkout_notebook_dir",
    "course_map_markdown",
    "environment_report",
]
