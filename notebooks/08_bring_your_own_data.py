# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# [Open the exercises in Google Colab](https://colab.research.google.com/github/neuroframes-edu/neuroframes-edu/blob/main/notebooks/exercises/08_bring_your_own_data.ipynb) · [with worked solutions](https://colab.research.google.com/github/neuroframes-edu/neuroframes-edu/blob/main/notebooks/08_bring_your_own_data.ipynb)
#
# # 08 · Bring your own data
#
# **Expected time:** 35 minutes · **Prerequisites:** notebooks 02 and 07.
#
# Everything so far ran on the course's default recordings. Yours will differ: another EEG cap, another
# sampling rate, another TR, volumes lost to the scanner, files in BIDS or as fMRIPrep wrote them. This
# notebook takes one such recording **from files to a trained model, a scored table and completed
# volumes**, with the same few calls you would point at your own data:
#
# ```python
# rec = Recording.from_files(eeg="sub-07_eeg.fif", bold=("…hemi-L….func.gii", "…hemi-R….func.gii"))
# train, val, test = rec.split()
# rows, models = evaluate_recordings(train, val, test)
# ```
#
# ## Tutorial objectives
# By the end of this notebook you will be able to:
# 1. **load** EEG and surface BOLD files into one checked `Recording`, with lost volumes put on the scanner's grid;
# 2. **split** one recording in time into parts that train, validate and test without leaking;
# 3. **train and score** a model on it with the course's evaluation harness, and **complete** its lost volumes;
# 4. **read** BIDS datasets (fMRIPrep derivatives too), CIFTI and per-TR folders, and **scale out** with `torchrun`;
# 5. **list** what real simultaneous EEG–fMRI needs before it reaches this library.

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

import matplotlib.pyplot as plt
import mne
import numpy as np
from IPython.display import Markdown, display

import neuroframes_edu as nfe
from neuroframes_edu import io
from neuroframes_edu.data import EEG_WINDOW, Recording, has_eeg_window
from neuroframes_edu.evaluation import EvaluationConfig, evaluate_recordings, results_markdown, summary_table
from neuroframes_edu.nn import NeuralFramesModel
from neuroframes_edu.simulate import SimulationConfig, simulate_session
from neuroframes_edu.training import prepare_session, reconstruct_session

workspace = Path(tempfile.mkdtemp(prefix="neuroframes-byod-"))  # a fresh folder: nothing of yours is touched
print("example files go to a fresh temporary folder")

# %% [markdown]
# ## 1. A recording unlike the defaults, as files (~2 min)
#
# We need a stand-in for *your* recording, so we simulate one that differs from the course's defaults
# in every way that matters — a 64-channel GSN HydroCel net instead of BioSemi, EEG at 500 Hz instead
# of 250, a TR of 2 s instead of 0.8 s with trigger jitter, and 10% of the volumes lost — and write it
# the way a lab would hand it over: EEG as a FIF file with one `volume` annotation per **acquired**
# volume, and the surface BOLD of the acquired volumes as two GIFTI files, one per hemisphere. From
# here on we only use the files.
#
# The stand-in is simulated in the calibrated `default` regime (notebook 02, Section 7): residual scanner
# artefacts in its EEG, a noisy BOLD of which the EEG sees less than half. Its EEG-based scores below
# are therefore close to zero — four minutes of data in a realistic regime leave the EEG little to say;
# this notebook is about the path from files to results, not about the scores.

# %%
stand_in = simulate_session(
    SimulationConfig(mesh="ico4", duration=240.0 if FAST else 1800.0, sfreq=500.0, montage="GSN-HydroCel-64_1.0",
                     tr=2.0, tr_jitter=0.02, missing_fraction=0.10, corrupted_fraction=0.0, frames_per_tr=2),
    seed=SEED, subject=7)
acquired = stand_in.volume_status == "ok"
raw = stand_in.raw.copy()
onsets = stand_in.volume_times[acquired]
raw.set_annotations(mne.Annotations(onsets, np.zeros(len(onsets)), ["volume"] * len(onsets)))
eeg_file = workspace / "sub-07_ses-01_task-film_eeg.fif"
raw.save(eeg_file, verbose="error")
gifti = io.write_gifti_timeseries(stand_in.bold[acquired], 2562, workspace / "sub-07_ses-01_task-film_")
for path in sorted(workspace.iterdir()):
    print(f"{path.name:48s} {path.stat().st_size / 1e6:6.1f} MB")

# %% [markdown]
# ## 2. Files → `Recording` in one call (~4 min)
#
# A `Recording` is the one data object every stage of the library takes: the EEG as an `mne.io.Raw`
# (channel names and montage kept), the BOLD as volumes × vertices on a named mesh (inferred from the
# vertex count), the time of every volume, which volumes are valid, and who it is (read from the BIDS
# entities in the file names). It is checked once, when it is made.
#
# The triggers have gaps where volumes were lost. `Recording.from_files` puts them on the scanner's
# regular grid (`volume_grid`): it rounds each *interval* between triggers to a whole number of TRs —
# so an error in the TR cannot accumulate over a long run — and fits the grid's start and TR to all
# triggers. Lost volumes become invalid rows. (Volumes lost *before the first* or *after the last*
# trigger leave no gap, so no method can count them — check your scanner log for those.)

# %%
rec = Recording.from_files(eeg=eeg_file, bold=(gifti["left"], gifti["right"]))
grid = rec.acquisition
print(rec)
print(f"TR fitted to the triggers: {grid.tr:.4f} s; {grid.n_lost} volumes lost between triggers; "
      f"largest trigger jitter {grid.max_residual * 1000:.0f} ms")
first, stop = np.argmax(acquired), len(acquired) - np.argmax(acquired[::-1])  # the triggered span
assert grid.n_lost == int((~acquired[first:stop]).sum()) and rec.n_volumes == stop - first
assert rec.mesh_name == "ico4" and rec.sfreq == 500.0 and rec.subject == "07"

# %% [markdown]
# Mistakes are caught with a message that names the argument and the fix. Pairing the EEG with BOLD
# files of another subject, or giving volume times that do not fit:

# %%
other = io.write_gifti_timeseries(stand_in.bold[acquired], 2562, workspace / "sub-08_ses-01_task-film_")
for attempt in (lambda: Recording.from_files(eeg=eeg_file, bold=(other["left"], other["right"])),
                lambda: Recording.from_files(eeg=eeg_file, bold=(gifti["left"], gifti["right"]),
                                             volume_times=np.arange(10.0))):
    try:
        attempt()
    except ValueError as err:
        print("ValueError:", err)

# %% [markdown]
# ## 3. Split one recording in time (~2 min)
#
# With one long recording, validation and test data must come from it too. Random volumes would leak:
# neighbouring volumes share slow BOLD fluctuations and the haemodynamic response of the same events.
# `rec.split()` cuts it into consecutive **parts** (60 / 20 / 20% by default); each part keeps the
# 16 s of EEG its first frame needs, and 16 s of volumes (`EEG_WINDOW`, the length of the haemodynamic
# response) are dropped between parts. `fit` and the evaluation harness accept such parts as held out
# and refuse anything that overlaps in time.

# %%
train, val, test = rec.split()
for part in (train, val, test):
    print(f"{part.name:36s} volumes {part.span[0]:6.1f}–{part.span[1]:6.1f} s: {part.n_volumes} "
          f"({int(part.usable.sum())} usable)")
gaps = [b.span[0] - a.span[1] for a, b in ((train, val), (val, test))]
print(f"gaps between parts: {gaps[0]:.1f} s and {gaps[1]:.1f} s")
assert min(gaps) >= EEG_WINDOW

# %% [markdown]
# ## 4. Train and score: the course's evaluation harness (~4 min)
#
# `evaluate_recordings` is the harness of notebook 07: it trains the model (ridge start, early stopping
# on `val`; with `FAST = False` also a second one with temporal coherence) and scores it beside the
# mean frame, interpolation and the ridge "EEG fingerprint" on `test` — EEG-only reconstruction and
# hidden volumes completed in windows (random ones, and the paper's protocol: windows measured only at
# their ends); beside them the ridge on band power of the EEG's *sources* (an MNE inverse in a template
# head) and temporal Gaussian-process smoothers fitted on `train`. A real recording has no ground truth,
# so the rows that need it (noise-free BOLD, super-resolution, scene decoding) are simply absent: every
# number below is against the measurements.
# In FAST mode the BOLD is resampled to ico3 and the model trains for 2 epochs of side-by-side windows.

# %%
config = EvaluationConfig(mesh="ico3" if FAST else None, epochs=2 if FAST else 20, stride=10 if FAST else None,
                          missing_fractions=(0.5,), windows=(10,), anchor_windows=(10,),
                          models=("model",) if FAST else ("model", "model + temporal coherence"))
rows, models = evaluate_recordings(train, val, test, config, seed=SEED)
table = summary_table(rows)
display(Markdown(results_markdown(rows)))
assert "superres" not in table.index.get_level_values(0)  # no truth, no truth-based rows
missing = table.loc["missing"].droplevel(0)
noise_aware = missing.index.str.contains("noise-aware")  # λ estimated from `train`: exact only where it is 1
exact = missing.index.str.contains(r"\+ completion|DDNM|λ = 1") & ~noise_aware  # the measured volumes kept
assert exact.sum() >= 4 and (missing.loc[exact, "max_error_measured"] == 0).all()
smoothers = missing.index.str.startswith("GP") & ~missing.index.str.contains("λ = 1")
assert smoothers.sum() >= 3 and (missing.loc[smoothers, "max_error_measured"] > 0).all()  # weighed by their noise

# %% [markdown]
# **Reading the table.** The EEG-only rows say how much of each vertex's time course the EEG predicts
# on data the model never saw; the missing-volume rows compare filling hidden volumes from the
# neighbouring measured ones (interpolation) with the EEG-informed methods. Completed sequences pass
# exactly through every measured volume (`max_error_measured` is 0 for all of them, as asserted); the GP
# smoothers do not — they weigh each measured volume by its estimated noise (noise-aware completion,
# DDNM+, does so too, where the training part shows white noise), which on noisy data brings
# them closer to the truth (notebook 07 measures it where the truth is known), but here, against the
# measurements themselves, costs them exactness.
# With one short recording these numbers are noisy: the results page shows the same table over seeds
# and more data.

# %% [markdown]
# ## 5. Complete the lost volumes, save the model, and feed it data it was not built for (~5 min)
#
# The trained model reconstructs any frame from EEG; null-space completion keeps every measured volume
# and fills only the lost ones. The model reads the band power of EEG *sources*, so new EEG passes
# through the inverse it was trained with (`model.source_imaging`). The test part has lost volumes of
# its own:

# %%
model = models["model"]
p_test = prepare_session(test, mesh=model.config.mesh, imaging=model.source_imaging)  # EEG sources too
completed = reconstruct_session(model, p_test, known=p_test.valid, measured=p_test.bold)
usable = has_eeg_window(p_test.times, model.config.window)  # volumes with 16 s of EEG before them
measured = usable & p_test.valid
assert np.array_equal(completed[measured], p_test.bold[measured])
lost = usable & ~p_test.valid
print(f"{int(lost.sum())} lost volumes of the test part filled from EEG; {int(measured.sum())} measured volumes "
      "kept exactly")

prediction = reconstruct_session(model, p_test)  # from EEG alone
vertex = int(np.argmax(prediction[usable].std(0)))  # where the EEG predicts the most variation
fig, ax = plt.subplots(figsize=(8, 2.6))
t = p_test.times
ax.plot(t[usable], completed[usable, vertex], color="C0", lw=1.2, label="completed sequence")
ax.plot(t[measured], p_test.bold[measured, vertex], "k.", ms=4, label="measured")
ax.plot(t[lost], completed[lost, vertex], "o", mfc="none", color="C3", label="lost, filled from EEG")
ax.set(xlabel="time in the test part (s)", ylabel="BOLD (z)")
ax.legend(fontsize=8, ncol=3, loc="upper right")
plt.show()

# %% [markdown]
# **Figure 1. One vertex of the test part, completed.** *Takeaway:* the completed sequence passes
# through every measured volume (black dots; asserted exactly above) and the model's EEG prediction
# fills the volumes the scanner lost (red circles) — there is no measured value to score those against
# in a real recording, which is why section 4 scores hidden volumes instead.

# %% [markdown]
# A checkpoint stores the weights with the configuration — the mesh, the bands, the sampling rate and
# the EEG **channel names** — and the EEG inverse the model's source input comes from
# (`model.source_imaging`, built from the training part), and loads the safe way
# (`torch.load(..., weights_only=True)`). A model
# reads channels by name: the same cap with its channels in another order gives the same
# reconstruction; a cap without some of the model's channels is refused, saying which are missing.

# %%
checkpoint = model.save(workspace / "model.pt")
restored = NeuralFramesModel.load(checkpoint)
again = reconstruct_session(restored, p_test)
print(f"checkpoint {checkpoint.name}: {checkpoint.stat().st_size / 1e6:.1f} MB, {len(restored.config.ch_names)} "
      f"channels by name; reloaded model reproduces the reconstruction: "
      f"{np.allclose(again[usable], prediction[usable])}")
reordered = Recording(test.raw.copy().reorder_channels(test.ch_names[::-1]), test.bold, test.volume_times,
                      valid=test.valid, subject="07")
same = reconstruct_session(model, prepare_session(reordered, mesh=model.config.mesh,
                                                  imaging=restored.source_imaging))
assert np.allclose(same[usable], again[usable], atol=1e-5)
print("channels in reverse order: the same reconstruction")
fewer = Recording(test.raw.copy().drop_channels(test.ch_names[-3:]), test.bold, test.volume_times,
                  valid=test.valid, subject="07")
try:
    reconstruct_session(model, prepare_session(fewer, mesh=model.config.mesh, imaging=restored.source_imaging))
except ValueError as err:
    print("ValueError:", err)
    assert "missing" in str(err)

# %% [markdown]
# ## 6. BIDS and fMRIPrep derivatives, CIFTI, per-TR folders (~6 min)
#
# **BIDS** keeps raw EEG under `sub-XX/ses-YY/eeg/` (here BrainVision, written by mne-bids, with one
# `volume` event per trigger) and the surface BOLD as a *derivative*: fMRIPrep writes it as
# `derivatives/fmriprep/sub-XX/…/func/sub-XX_…_hemi-L_space-fsaverage5_bold.func.gii` (or CIFTI,
# `…_space-fsLR_den-91k_bold.dtseries.nii`). `Recording.from_bids` finds the EEG through mne-bids and
# the BOLD in any derivatives folder, whatever the order of the file-name entities. Volume times come
# from the EEG's volume events, placed on the grid of the sidecar's `RepetitionTime`: they are what
# aligns the two files (BIDS's own `VolumeTiming` counts from the start of the fMRI run, not the EEG).

# %%
bids_root = io.write_bids_dataset([rec], workspace / "bids")
for path in sorted(bids_root.rglob("*")):
    if path.is_file() and "sub-07" in path.parts:
        print(path.relative_to(bids_root))
from_bids = Recording.from_bids(bids_root, subject="07")
print(from_bids)
# volume times travel as the EEG's volume events, on BrainVision's sample grid
assert np.array_equal(from_bids.bold, rec.bold)
assert np.allclose(from_bids.volume_times, rec.volume_times, atol=0.5 / rec.sfreq + 1e-9)
try:
    Recording.from_bids(bids_root, subject="09")
except ValueError as err:
    print("ValueError:", str(err).replace(str(workspace), "<workspace>"))

# %% [markdown]
# **CIFTI.** Data processed with the HCP pipelines (CineBrain among them) come as CIFTI-2 dense time
# series: 91,282 grayordinates, of which 59,412 are cortical vertices of the fs_LR 32k mesh.
# `read_cifti_dtseries` returns those in the order of `nfe.surface.load_fslr()` (needs the `hcp`
# extra), and `Recording.from_files(eeg=…, bold="…dtseries.nii")` takes such a file directly.

# %%
try:
    fslr = nfe.surface.load_fslr()
except ImportError as err:  # without the hcp extra: say how to get it
    fslr = None
    print(err)
if fslr is not None:
    rng = np.random.default_rng(SEED)
    series = rng.standard_normal((5, fslr.n_vertices)).astype(np.float32)
    path = io.write_cifti_dtseries(series, workspace / "example.dtseries.nii", tr=2.0)
    back, tr = io.read_cifti_dtseries(path)
    print(f"{path.name}: {back.shape[0]} volumes × {back.shape[1]:,} cortical vertices, TR {tr} s")
    assert np.allclose(back, series) and tr == 2.0

# %% [markdown]
# **Per-TR folders (the CineBrain layout)** ship one file per TR: `eeg/000123.npy` (channels ×
# samples recorded during that TR) and `fmri/000123.npy` (one frame). `Recording.from_cinebrain` joins
# the segments into one continuous EEG and places volume *i* at the start of its TR; the reader checks
# that every TR is paired, none is missing and every array has the expected shape, naming the file.

# %%
n_trs, per_tr = 40, round(2.0 * rec.sfreq)
eeg = rec.raw.get_data(picks="eeg")
segments = np.stack([eeg[:, i * per_tr: (i + 1) * per_tr] for i in range(n_trs)])
folder = io.write_cinebrain_folder(segments, rec.bold[:n_trs], workspace / "cinebrain")
per_tr_rec = Recording.from_cinebrain(folder, sfreq=rec.sfreq, tr=2.0, ch_names=rec.ch_names, subject="07")
print(per_tr_rec)
assert per_tr_rec.n_volumes == n_trs and per_tr_rec.ch_names == rec.ch_names
os.remove(folder / "fmri" / "000007.npy")
try:
    Recording.from_cinebrain(folder, sfreq=rec.sfreq, tr=2.0)
except ValueError as err:
    print("ValueError:", err)

# %% [markdown]
# ## 7. Many subjects: data-parallel training with `torchrun` (~3 min)
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
# ## 8. Before your data reach this library: a checklist (~3 min)
#
# Simultaneous EEG–fMRI needs cleaning that this library does not do. Check each item before you
# make a `Recording`:
#
# | Step | Why | Tools |
# |---|---|---|
# | **Gradient artefact removal** | The scanner's switching gradients induce artefacts hundreds of times larger than the EEG. | Average artefact subtraction (Allen et al. 2000) and FASTR: EEGLAB's FMRIB plug-in, BrainVision Analyzer; needs the volume/slice markers. |
# | **Ballistocardiogram (BCG) removal** | Each heartbeat moves the electrodes in the static field. | Optimal basis sets (Niazy et al. 2005, FMRIB plug-in); ICA (`mne.preprocessing.ICA`) with the ECG channel (`mne.preprocessing.find_ecg_events`). |
# | **Clock synchronisation** | EEG and scanner clocks drift; gradient-artefact removal and volume times both depend on them. | A sync box that locks the EEG amplifier to the scanner clock (Mandelkow et al. 2006); check the fitted TR that `Recording.from_files` reports against the scanner's. |
# | **Volume triggers** | Volume times come from them; lost or doubled triggers shift everything after. | One annotation per volume (`trigger=` names it); `volume_grid` detects gaps but not volumes lost before the first or after the last trigger. |
# | **Slice timing** | A volume's slices are acquired over the whole TR. | fMRIPrep (`--slice-time-ref`) or AFNI `3dTshift`; or state in your analysis which slice time the volume times refer to. |
# | **Surface projection** | This library works on cortical surfaces. | fMRIPrep `--output-spaces fsaverage5` (GIFTI) or `--cifti-output 91k` (fs_LR); resample to an ico mesh with `surface.resample_operator`. |
# | **Bad volumes and channels** | Motion spikes and broken electrodes. | Volume flags → `valid=`; bad channels → `raw.interpolate_bads()` (the model reads channels by name). |
#
# **Think!** Your dataset has 20 subjects with 3 sessions each. Would you hold out whole sessions,
# parts of sessions (`Recording.split`), or whole subjects — and what does each tell you?

# %% [markdown]
# <details><summary>An answer</summary>
#
# Each answers a different question. Parts of one session share electrode placement, head position and
# the subject's state: the most optimistic split, useful for debugging. Held-out sessions test whether a
# subject's model works on another day. Held-out subjects test whether the method works for new people,
# which is what a paper claiming generality must show — and a per-subject model cannot do it at all. With
# 20 × 3, train on two sessions and test on the third for each subject, and hold out whole subjects for any
# shared model.
#
# </details>

# %% [markdown]
# ## Self-check quiz (~3 min)
#
# 3 questions on this notebook. Write the letter of each answer in `my_answers` and run the
# cell: every wrong answer is named with the reason it is wrong.

# %%
from neuroframes_edu.course.quiz import check_quiz, show_quiz

show_quiz("08")


# %% tags=["hide-input", "hide-output"]
def my_answers():
    #################################################
    ## TODO for students: the letter of your answer to each question, e.g. {1: "a", 2: "c", 3: "b"}.
    # raise NotImplementedError("Student exercise: answer the quiz above")
    #################################################
    return {1: "b", 2: "d", 3: "c"}


assert check_quiz("08", my_answers())

# %% [markdown]
# ## Summary
#
# - `Recording.from_files`, `Recording.from_bids` (fMRIPrep derivatives too) and `Recording.from_cinebrain`
#   turn files into the one data object every stage takes, checked once; lost volumes land on the
#   scanner's grid, and what cannot be known (volumes lost at the edges) is said.
# - `rec.split()` makes train, validation and test parts of one recording that do not leak into each
#   other; `fit` and `evaluate_recordings` refuse data that overlap in time.
# - `evaluate_recordings(train, val, test)` trains and scores any recordings; rows that need ground truth
#   appear only where it exists.
# - Models read channels by name and bands by their edges; checkpoints load with `weights_only=True`;
#   `torchrun` scales training out without changing the code.
# - Gradient and BCG artefact removal, clock sync and slice timing come first, with the tools above.
#
# **What next:** the results page collects the course's numbers; the instructors' page suggests how to
# teach it.

# %%
import shutil

shutil.rmtree(workspace)  # the example files were only for this notebook
