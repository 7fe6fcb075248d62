"""neuroframes-edu: reconstruct high-resolution cortical fMRI from simultaneous EEG, step by step.

The science library behind the course notebooks: surface meshes, simulation, I/O, features, models,
null-space completion, training, baselines, metrics, evaluation and plotting. The course tooling
(course map, exercise checks, notebook pipeline, book build, command line) lives in
:mod:`neuroframes_edu.course`; its notebook and book tools come with the ``course`` extra.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("neuroframes-edu")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"

from neuroframes_edu.device import select_device
from neuroframes_edu.surface import CorticalMesh, load_fsaverage

__all__ = [
    "CorticalMesh",
    "__version__",
    "load_fsaverage",
    "select_device",
]
