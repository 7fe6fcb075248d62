"""What the course runs on: the compute device and the versions of the libraries it relies on.

Introduced in notebook 00.
"""

from __future__ import annotations

import importlib
import platform
import sys
from dataclasses import dataclass, field

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

_DEVICE_CHOICES = ("auto", "cuda", "mps", "cpu")


def select_device(device: str | None = "auto"):
    """Pick the torch device to compute on.

    Parameters
    ----------
    device : {"auto", "cuda", "mps", "cpu"} or str, optional
        ``"auto"`` (or ``None``) takes CUDA when a GPU is visible, else Apple's MPS, else the CPU.
        An explicit choice is checked: asking for CUDA on a machine without it raises instead of
        silently running on the CPU. Indexed devices such as ``"cuda:1"`` are accepted.

    Returns
    -------
    torch.device

    Raises
    ------
    ValueError
        If ``device`` is not one of the choices above.
    RuntimeError
        If the requested accelerator is not available.

    Examples
    --------
    >>> select_device("cpu")
    device(type='cpu')
    """
    import torch

    if device is None:
        device = "auto"
    if not isinstance(device, str):
        raise ValueError(f"device must be a string such as 'auto', 'cuda' or 'cpu', got {type(device).__name__}")
    kind = device.split(":", 1)[0]
    if kind not in _DEVICE_CHOICES:
        raise ValueError(f"device must be one of {', '.join(_DEVICE_CHOICES)} (optionally 'cuda:N'), got {device!r}")
    mps_ok = getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available()
    if kind == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        return torch.device("mps" if mps_ok else "cpu")
    if kind == "cuda" and not torch.cuda.is_available():
        raise RuntimeError(
            "device='cuda' was requested but torch sees no CUDA GPU "
            f"(torch {torch.__version__}, CUDA build: {torch.version.cuda}); use device='auto' or 'cpu', "
            "or in Colab choose Runtime → Change runtime type → GPU"
        )
    if kind == "mps" and not mps_ok:
        raise RuntimeError("device='mps' was requested but Apple's MPS backend is not available; use 'auto' or 'cpu'")
    return torch.device(device)


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
