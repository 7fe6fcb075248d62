"""What the course runs on: the compute device and the versions of the libraries it relies on.

The device itself is chosen by :func:`neuroframes_edu.device.select_device`. Introduced in notebook 00.
"""

from __future__ import annotations

import importlib
import platform
import sys
from dataclasses import dataclass, field

from neuroframes_edu.device import select_device

#: Libraries whose versions matter for reproducing the course's numbers.
CORE_PACKAGES = (
    "neuroframes_edu",
    "torch",
    "torch_geometric",
    "mne",
    "nilearn",
    "nibabel",
    "numpy",
    "scipy",
    "sklearn",
    "matplotlib",
)

@dataclass
class EnvironmentReport:
    """Versions, platform and compute device, as shown in the welcome notebook."""

    python: str
    platform: str
    device: str
    device_name: str
    packages: dict[str, str] = field(default_factory=dict)
    in_colab: bool = False

    def to_markdown(self) -> str:
        """A two-column Markdown table of everything in the report."""
        rows = ["| | |", "|---|---|",
                f"| Python | {self.python} |",
                f"| Platform | {self.platform} |",
                f"| Device | {self.device} ({self.device_name}) |",
                f"| Running in Colab | {'yes' if self.in_colab else 'no'} |"]
        rows += [f"| {name} | {version} |" for name, version in self.packages.items()]
        return "\n".join(rows)

    def __str__(self) -> str:
        width = max(len(k) for k in ["python", "platform", "device", *self.packages])
        lines = [f"{'python':<{width}}  {self.python}", f"{'platform':<{width}}  {self.platform}",
                 f"{'device':<{width}}  {self.device} ({self.device_name})"]
        lines += [f"{name:<{width}}  {version}" for name, version in self.packages.items()]
        return "\n".join(lines)


def _version_of(module_name: str) -> str:
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return "not installed"
    return str(getattr(module, "__version__", "unknown"))


def environment_report(packages: tuple[str, ...] = CORE_PACKAGES) -> EnvironmentReport:
    """Collect the Python version, platform, compute device and library versions.

    Parameters
    ----------
    packages : tuple of str
        Importable module names whose ``__version__`` to report; a missing one is reported as
        ``"not installed"`` rather than raising, so the report also diagnoses broken set-ups.

    Returns
    -------
    EnvironmentReport
    """
    import torch

    device = select_device("auto")
    if device.type == "cuda":
        name = torch.cuda.get_device_name(device)
    elif device.type == "mps":
        name = "Apple GPU (MPS)"
    else:
        name = f"{platform.processor() or platform.machine()}, {torch.get_num_threads()} threads"
    return EnvironmentReport(
        python=platform.python_version(),
        platform=platform.platform(terse=True),
        device=device.type,
        device_name=name,
        packages={p: _version_of(p) for p in packages},
        in_colab="google.colab" in sys.modules,
    )
