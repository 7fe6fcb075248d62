"""neuroframes-edu: reconstruct high-resolution cortical fMRI from simultaneous EEG, step by step.

The library behind the course notebooks: surface meshes, plotting, the notebook pipeline and the
model parts that the notebooks introduce one by one.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("neuroframes-edu")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"

from neuroframes_edu.course import COURSE, REPOSITORY_URL, Chapter, course_map_markdown
from neuroframes_edu.device import select_device
from neuroframes_edu.environment import environment_report
from neuroframes_edu.surface import CorticalMesh, load_fsaverage

__all__ = [
    "COURSE",
    "REPOSITORY_URL",
    "Chapter",
    "CorticalMesh",
    "__version__",
    "course_map_markdown",
    "environment_report",
    "load_fsaverage",
    "select_device",
]
