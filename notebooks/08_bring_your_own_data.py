# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# [Open this notebook in Google Colab](https://colab.research.google.com/github/neuroframes-edu/neuroframes-edu/blob/main/notebooks/08_bring_your_own_data.ipynb)
#
# # 08 · Bring your own data
#
# **Expected time:** 30 minutes · **Prerequisites:** notebooks 02 and 07.
#
# Everything so far ran on simulated recordings. Real simultaneous EEG–fMRI arrives as files: EEG in
# BrainVision or EDF with a trigger per volume, surface BOLD as GIFTI (fsaverage) or CIFTI (HCP fs_LR),
# organised as BIDS or as per-TR folders (CineBrain). This notebook writes the simulated data in those
# formats and reads it back with the same loaders you would point at a real dataset, then shows how
# to train on many subjects with several processes (`torchrun`).
#
# ## Tutorial objectives
# By the end of this notebook you will be able to:
# 1. **load** EEG and surface BOLD from a BIDS dataset and check that they belong together;
# 2. **convert** between GIFTI, CIFTI and per-TR folders, and know what each layout expects;
# 3. **prepare** loaded data for the model and reconstruct it with a saved checkpoint;
# 4. **launch** data-parallel training with `torchrun`.

# %% [markdown]
# ## Setup

# %%
import subprocess
import sys

IN_COLAB = "google.colab" in sys.modules
if IN_COLAB:  # the hcp extra adds the fs_LR meshes used by the CIFTI section
    subprocess.check_call([sys.executable, "-m", "pip", "install", "-q",
                           "neuroframes-edu[hcp] @ git+https://github.com/neuroframes-edu/neuroframes-edu"])

# %% tags=["parameters"]
FAST = True  # small and quick for CPUs and CI; False: full size, meant for a GPU
SEED = 0  # every random step in the notebook derives from this

# %%
import os
import tempfile
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import torch

import neuroframes_edu as nfe
from neuroframes_edu.datasets import load_dataset
from neuroframes_edu.io import (
    frame_windows,
    read_bids_session,
    read_cifti_dtseries,
    read_cinebrain_folder,
    volume_times_from_annotations,
    write_bids_dataset,
    write_cifti_dtseries,
    write_cinebrain_folder,
)
from neuroframes_edu.models import ModelConfig, NeuralFramesModel
from neuroframes_edu.surface import resample_operator
from neuroframes_edu.training import TrainConfig, fit, prepare_session, reconstruct_session

workspace = Path(tempfile.mkdtemp(prefix="neuroframes-byod-"))  # a fresh folder: nothing of yours is touched
dataset = load_dataset()
print(f"{len(dataset)} simulated sessions; example files go to a fresh temporary folder")

# %% [markdown]
# ## 1. BIDS: EEG and surface BOLD side by side
#
# BIDS keeps raw EEG under `sub-XX/ses-YY/eeg/` (here BrainVision, written by mne-bids, with one
# `volume` event per fMRI trigger) and derived data under `derivatives/`. Surface BOLD is a derivative
# (it was projected onto a surface), so it lives in `derivatives/neuroframes-sim/…/func/` as two GIFTI
# files, one per hemisphere, with a JSON sidecar giving the repetition time, the exact time of every
# volume (`VolumeTiming`) and which volumes are usable.

# %%
bids_root = write_bids_dataset([dataset[0], dataset[1]], workspace / "bids")
for path in sorted(bids_root.rglob("*")):
    if path.is_file() and "sub-01" in path.parts and "ses-01" in path.parts:
        print(path.relative_to(bids_root))

# %%
raw, bold, volume_times, valid = read_bids_session(bids_root, subject="01", session="01")
original = dataset[0]
print(raw)
print(f"BOLD {bold.shape} (volumes × vertices); {valid.sum()} of {len(valid)} volumes valid")
assert np.allclose(bold, original.bold, atol=1e-5) and np.allclose(volume_times, original.volume_times, atol=1e-6)
triggers = volume_times_from_annotations(raw)
print(f"{len(triggers)} volume triggers in the EEG; first at {triggers[0]:.3f} s")

# %% [markdown]
# The loaders check what they can and say what is wrong. Asking for a subject that is not there:

# %%
try:
    read_bids_session(bids_root, subject="07")
except ValueError as err:
    print("ValueError:", str(err).replace(str(workspace), "<workspace>"))
    assert "it has subjects" in str(err)

# %% [markdown]
# Each fMRI frame is paired with the EEG window before it (16 s by default: the haemodynamic response
# lasts that long). `frame_windows` returns sample ranges, not copies, and refuses frames too early
# for a full window.

# %%
windows = frame_windows(raw, volume_times[volume_times >= 16.0])
print(f"first frame at {volume_times[volume_times >= 16.0][0]:.2f} s ← EEG samples {windows[0][0]}–{windows[0][1]} "
      f"({(windows[0][1] - windows[0][0]) / raw.info['sfreq']:.0f} s at {raw.info['sfreq']:g} Hz)")
assert (windows[:, 1] - windows[:, 0] == round(16.0 * raw.info["sfreq"])).all()

# %% [markdown]
# ## 2. From files to a model
#
# `prepare_session` accepts anything with `raw`, `bold`, `volume_times` and `valid` — a simulated session
# or what a loader returned — plus `subject` and `session` numbers, which `fit` uses to refuse validating
# on a session it trains on. In FAST mode the BOLD is subsampled to ico3 first (notebook 01), to keep
# training short. We train a small model on session 1 of the BIDS copy (validating on
# session 2), save it, load it back the safe way (`torch.load(..., weights_only=True)`) and reconstruct.

# %%
loaded = []
for ses in ("01", "02"):
    r, b, t, v = read_bids_session(bids_root, "01", ses)
    loaded.append(SimpleNamespace(raw=r, bold=b, volume_times=t, valid=v, subject=1, session=int(ses)))
mesh = nfe.load_fsaverage("ico3" if FAST else original.config.mesh)  # FAST: subsample to ico3, quicker
to_mesh = resample_operator(nfe.load_fsaverage(original.config.mesh), mesh)
train, val = (prepare_session(s).resampled(to_mesh) for s in loaded)
torch.manual_seed(SEED)
config = ModelConfig(n_channels=train.eeg.shape[0], sfreq=train.sfreq, n_vertices=mesh.n_vertices, mesh=mesh.name,
                     temporal="none")
model = NeuralFramesModel(config, mesh)
fit(model, [train], [val], TrainConfig(epochs=1, seed=SEED, progress=False))
checkpoint = model.save(workspace / "model.pt")
restored = NeuralFramesModel.load(checkpoint)
usable = val.times >= config.window
a = reconstruct_session(model, val)[usable]
b = reconstruct_session(restored, val)[usable]
print(f"checkpoint {checkpoint.name}: {checkpoint.stat().st_size / 1e6:.1f} MB; reloaded model reproduces the "
      f"reconstruction exactly: {np.array_equal(a, b)}")
assert np.array_equal(a, b)

# %% [markdown]
# A model refuses data it was not built for, with an error that says what to do — here EEG resampled to a
# different rate:

# %%
try:
    other = SimpleNamespace(raw=loaded[1].raw.copy().resample(200.0), bold=loaded[1].bold,
                            volume_times=loaded[1].volume_times, valid=loaded[1].valid, subject=1, session=2)
    reconstruct_session(model, prepare_session(other).resampled(to_mesh))
except ValueError as err:
    print("ValueError:", err)
    assert "resample" in str(err)

# %% [markdown]
# ## 3. CIFTI: the HCP fs_LR surface
#
# Datasets processed with the HCP pipelines (CineBrain among them) store fMRI as CIFTI-2 dense time
# series: 91,282 "grayordinates", of which the first 59,412 are cortical vertices of the fs_LR 32k mesh.
# `read_cifti_dtseries` returns those in the order of `nfe.load_fslr()` (needs the `hcp` extra).

# %%
try:
    fslr = nfe.surface.load_fslr()
except ImportError as err:  # without the hcp extra: say how to get it
    fslr = None
    print(err)
if fslr is not None:
    rng = np.random.default_rng(SEED)
    series = rng.standard_normal((5, fslr.n_vertices)).astype(np.float32)
    path = write_cifti_dtseries(series, workspace / "example.dtseries.nii", tr=0.8)
    back, tr = read_cifti_dtseries(path)
    print(f"{path.name}: {back.shape[0]} volumes × {back.shape[1]:,} cortical vertices, TR {tr} s")
    assert np.allclose(back, series) and tr == 0.8

# %% [markdown]
# ## 4. Per-TR folders (the CineBrain layout)
#
# Some datasets ship one file per TR: `eeg/000123.npy` (channels × samples recorded during that TR) and
# `fmri/000123.npy` (one frame). The reader checks that every TR is paired, none is missing and every
# array has the expected shape, naming the file at fault.

# %%
n_trs = 20
sfreq = original.raw.info["sfreq"]
per_tr = round(original.config.tr * sfreq)
eeg = original.raw.get_data(picks="eeg")
segments = np.stack([eeg[:, round(t * sfreq): round(t * sfreq) + per_tr] for t in original.volume_times[:n_trs]])
folder = write_cinebrain_folder(segments, original.bold[:n_trs], workspace / "cinebrain")
eeg_back, frames_back = read_cinebrain_folder(folder, n_channels=eeg.shape[0], samples_per_tr=per_tr)
print(f"{len(list((folder / 'eeg').iterdir()))} EEG files and {len(list((folder / 'fmri').iterdir()))} fMRI files; "
      f"read back {eeg_back.shape} and {frames_back.shape}")
assert np.allclose(frames_back, original.bold[:n_trs], atol=1e-6)
os.remove(folder / "fmri" / "000007.npy")
try:
    read_cinebrain_folder(folder, n_channels=eeg.shape[0], samples_per_tr=per_tr)
except ValueError as err:
    print("ValueError:", err)

# %% [markdown]
# ## 5. Many subjects: data-parallel training with `torchrun`
#
# `fit` detects a `torch.distributed` process group: each process trains on its share of the windows,
# gradients are averaged (DistributedDataParallel), and rank 0 reports and saves. The same script runs
# on one CPU, on several GPUs of one machine, or across machines:
#
# ```bash
# torchrun --standalone --nproc_per_node 2 -m neuroframes_edu.training --mesh ico3 --epochs 2 --output model.pt
# # on a machine with 4 GPUs: --nproc_per_node 4 (NCCL is picked automatically)
# ```
#
# Below, two CPU processes train one epoch on short simulated sessions; both print the same parameter
# checksum, because DDP keeps the replicas identical.

# %%
# NBVAL_IGNORE_OUTPUT
command = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2",
           "-m", "neuroframes_edu.training",
           "--mesh", "ico3", "--duration", "60" if FAST else "600", "--epochs", "1", "--n-frames", "5",
           "--output", str(workspace / "ddp.pt")]
env = {**os.environ, "OMP_NUM_THREADS": "1"}
proc = subprocess.run(command, capture_output=True, text=True, env=env, check=False, timeout=600)
ranks = sorted(line for line in proc.stdout.splitlines() if line.startswith("rank "))
print("\n".join(ranks) or proc.stderr[-2000:])
assert proc.returncode == 0 and len(ranks) == 2, f"torchrun exited with {proc.returncode}:\n{proc.stderr[-3000:]}"
assert len({line.rsplit("checksum", 1)[1] for line in ranks}) == 1  # identical replicas

# %% [markdown]
# **Think!** Your dataset has 20 subjects with 3 sessions each. How would you split it so that no
# validation or test frame comes from a training session — and would you also hold out whole subjects?

# %% [markdown]
# ## Summary
#
# - `read_bids_session` loads BrainVision EEG and GIFTI surface BOLD from BIDS, with exact volume timing
#   and validity; `read_cifti_dtseries` and `read_cinebrain_folder` cover HCP-style and per-TR layouts.
# - Loaders and models check shapes, rates and pairing, and say how to fix what is wrong.
# - `prepare_session` → `fit` → `save`/`load` (weights only) → `reconstruct_session` works the same on
#   your files as on the simulator's.
# - `torchrun` scales training to many processes without changing the code.
#
# **What next:** the benchmark page collects the course's results; the instructors' page suggests how to
# teach it.

# %%
import shutil

shutil.rmtree(workspace)  # the example files were only for this notebook
