"""Helpers shared by the benchmark scripts."""

from __future__ import annotations

import json
import platform
import resource
import time
from pathlib import Path


def peak_mib() -> float:
    """Peak resident memory of this process in MiB.

    Read from ``VmHWM`` in ``/proc/self/status`` (Linux), which belongs to this program alone.
    ``getrusage``'s ``ru_maxrss`` is not used where ``/proc`` exists: Linux carries it over from the
    parent through ``fork`` and ``exec``, so a child started by a large parent reports the parent's peak.
    """
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # macOS reports bytes, Linux KiB


def synthetic_training_step(mesh_name: str, n_windows: int = 8, n_frames: int = 10):
    """A default model on ``mesh_name`` and one AdamW training step on random data of the usual shapes
    (64-channel EEG at 250 Hz, 24-s windows), without simulating a session.

    Returns
    -------
    mesh : CorticalMesh
    step : callable
        One forward pass, backward pass and optimiser step.
    label : str
        The batch, in words.
    model, batch : NeuralFramesModel, FrameBatch
        (as attributes of ``step``, for inference timings)
    """
    import torch

    from neuroframes_edu.nn import FrameBatch, ModelConfig, NeuralFramesModel
    from neuroframes_edu.surface import load_mesh
    from neuroframes_edu.training import masked_mse

    torch.manual_seed(0)
    mesh = load_mesh(mesh_name)
    b, f, seconds, sfreq = n_windows, n_frames, 24.0, 250.0
    model = NeuralFramesModel(ModelConfig(n_channels=64, sfreq=sfreq, n_vertices=mesh.n_vertices, mesh=mesh_name),
                              mesh)
    g = torch.Generator().manual_seed(0)
    batch = FrameBatch(eeg=torch.randn(b, 64, int(seconds * sfreq), generator=g),
                       bands=torch.randn(b, 320, int(seconds * 10), generator=g),
                       hrf_bands=torch.randn(b, f, 320, generator=g),
                       frame_times=torch.linspace(16.5, 23.5, f).repeat(b, 1), sfreq=sfreq)
    target = torch.randn(b, f, mesh.n_vertices, generator=g)
    valid = torch.ones(b, f, dtype=torch.bool)
    opt = torch.optim.AdamW(model.parameters())

    def step():
        opt.zero_grad()
        x_pred = model(batch)
        masked_mse(x_pred, target, valid).backward()
        opt.step()

    step.model, step.batch = model, batch
    return mesh, step, f"{b} windows × {f} frames"


def record_header(benchmark: str, seconds: float) -> dict:
    """The head of a benchmark's JSON record: its name, date, machine, versions and run time."""
    import numpy
    import sklearn

    import neuroframes_edu
    from neuroframes_edu.simulate import SIMULATOR_VERSION

    return {"benchmark": benchmark, "date": time.strftime("%Y-%m-%d"),
            "machine": {"platform": platform.platform(), "processor": platform.machine(),
                        "python": platform.python_version()},
            "versions": {"neuroframes_edu": neuroframes_edu.__version__, "numpy": numpy.__version__,
                         "scikit-learn": sklearn.__version__, "simulator": SIMULATOR_VERSION},
            "seconds": round(seconds, 1)}


def write_record(folder: Path, benchmark: str, seconds: float, **fields) -> tuple[dict, Path, Path]:
    """Write a benchmark's JSON record (its header, then ``fields``) atomically to ``folder/<benchmark>.json``.

    Returns the record and the paths of the JSON file and of the Markdown file the caller writes beside it.
    """
    from neuroframes_edu._utils.atomic import atomic_write_text

    folder.mkdir(parents=True, exist_ok=True)
    record = {**record_header(benchmark, seconds), **fields}
    json_path, md_path = folder / f"{benchmark}.json", folder / f"{benchmark}.md"
    atomic_write_text(json_path, json.dumps(record, indent=1) + "\n")
    return record, json_path, md_path
