"""The compute device: CUDA, then Apple's MPS, then the CPU — and a clear error when a requested one is missing."""

from __future__ import annotations

_DEVICE_CHOICES = ("auto", "cuda", "mps", "cpu")


class DeviceUnavailableError(RuntimeError):
    """The requested accelerator is not available on this machine (a RuntimeError, as before)."""


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
    DeviceUnavailableError
        A ``RuntimeError``: the requested accelerator is not available.

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
    kind, _, index = device.partition(":")
    if index and (kind != "cuda" or not index.isdigit()):
        raise ValueError(f"device {device!r}: only CUDA devices take an index, as a number ('cuda:1')")
    if kind not in _DEVICE_CHOICES:
        raise ValueError(f"device must be one of {', '.join(_DEVICE_CHOICES)} (optionally 'cuda:N'), got {device!r}")
    mps_ok = getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available()
    if kind == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        return torch.device("mps" if mps_ok else "cpu")
    if kind == "cuda" and not torch.cuda.is_available():
        raise DeviceUnavailableError(
            "device='cuda' was requested but torch sees no CUDA GPU "
            f"(torch {torch.__version__}, CUDA build: {torch.version.cuda}); use device='auto' or 'cpu', "
            "or in Colab choose Runtime → Change runtime type → GPU"
        )
    if kind == "mps" and not mps_ok:
        raise DeviceUnavailableError("device='mps' was requested but Apple's MPS backend is not available; use "
                                     "'auto' or 'cpu'")
    return torch.device(device)
