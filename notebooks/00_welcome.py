# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# [Open the exercises in Google Colab](https://colab.research.google.com/github/neuroframes-edu/neuroframes-edu/blob/main/notebooks/exercises/00_welcome.ipynb) · [with worked solutions](https://colab.research.google.com/github/neuroframes-edu/neuroframes-edu/blob/main/notebooks/00_welcome.ipynb)
#
# # 00 · Welcome: the course, your set-up and a first look at the cortex
#
# **Expected time:** 23 minutes · **Prerequisites:** Python and NumPy; no neuroscience needed.
#
# This course teaches, one building block at a time, how to reconstruct **high-resolution cortical fMRI
# from simultaneous EEG**: how to use EEG, which sees millisecond dynamics, to fill in the brain
# activity that fMRI, which sees millimetres but only one volume every second, never measured.
#
# ## Tutorial objectives
# By the end of this notebook you will be able to:
# 1. **explain** why EEG and fMRI complement each other, and what "completing frames" means;
# 2. **find** your way through the nine notebooks of the course;
# 3. **check** that your environment works and which compute device (CUDA GPU, Apple MPS or CPU) it uses;
# 4. **load** the fsaverage cortical surface and **describe** its vertices, triangles and hemispheres;
# 5. **plot** a map on the inflated cortex and **read** sulcal depth from it.

# %% [markdown]
# ## Setup
#
# In Google Colab, the next cell installs the course library (Colab already has PyTorch with CUDA).
# Anywhere else it does nothing: `make run` or `pip install -e .` has installed everything.

# %%
import subprocess
import sys

IN_COLAB = "google.colab" in sys.modules
if IN_COLAB:
    subprocess.check_call([sys.executable, "-m", "pip", "install", "-q",
                           "neuroframes-edu @ git+https://github.com/neuroframes-edu/neuroframes-edu"])

# %% [markdown]
# Every notebook of the course starts with the same **parameters** cell. `FAST = True` keeps data and
# models small so that the notebook runs in a few minutes on a laptop CPU (that is how the website
# and the tests run it); set `FAST = False` on a GPU for full-size runs. `SEED` fixes every random step.

# %% tags=["parameters"]
FAST = True  # small and quick for CPUs and CI; False: full size, meant for a GPU
SEED = 0  # every random step in the notebook derives from this

# %%
import time

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import torch
from IPython.display import Markdown, display

import neuroframes_edu as nfe
from neuroframes_edu.course import COURSE, checkout_notebook_dir, course_map_markdown, environment_report
from neuroframes_edu.plotting import plot_cortex

_ = torch.manual_seed(SEED)

# %% [markdown]
# ## 1. The problem this course solves (~6 min)
#
# Brain activity unfolds on two scales at once, and no single instrument sees both:
#
# | | EEG | fMRI (BOLD) |
# |---|---|---|
# | time | milliseconds (250–1,000 samples/s) | one volume every ~0.8–2 s, delayed by 4–6 s (the haemodynamic response) |
# | space | centimetres: every electrode sums the whole cortex | millimetres: one value per cortical vertex |
#
# Recorded **simultaneously**, the two can be combined. The method this course rebuilds
# ("Modeling Spatiotemporal Neural Frames for High Resolution Brain Dynamics", CVPR 2026) lets EEG
# condition a reconstruction of the fMRI signal at every vertex of the cortex, *including frames that
# were never acquired*: missing volumes, and intermediate frames between two volumes.
#
# Its key guarantee is a **null-space (range–null) projection** (Wang et al., DDNM, 2022). If a linear
# operator $A$ says what was measured (which frames, at which times) and $y$ are the measurements, the
# network's prediction $x_\text{pred}$ is corrected to
#
# $$\hat{x} = A^{\dagger} y + (I - A^{\dagger} A)\, x_\text{pred},$$
#
# so that $A\hat{x} = y$ holds exactly — every measured frame is kept — while the network fills in only
# what the measurements leave open. You will build this, and every other part, yourself:
#
# 1. EEG band features (δ θ α β γ) and a multi-scale temporal encoder (notebook 3);
# 2. a graph-convolutional decoder on the cortical mesh (notebooks 1 and 4);
# 3. null-space completion, exact on measured frames (notebook 5);
# 4. temporal coherence (notebook 6);
# 5. training and an honest evaluation against baselines (notebook 7);
# 6. the paper's own model: an EEG-conditioned latent diffusion model with the projection inside every
#    step of its sampler (notebook 9), measured against the simpler methods above.
#
# Because real simultaneous EEG–fMRI cannot be shipped with a course, the default data come from a
# physically grounded **simulator** on the real cortical surface, with known ground truth (notebook 2).
#
# **What you will build, in one picture.** Below, the simplest EEG method of the course (a ridge
# regression from EEG band power, notebook 3) is trained on one simulated session and reconstructs
# another from its EEG alone; the simulator's noise-free BOLD is the truth it is judged against. It runs
# twice: on the `generous` regime, whose strong EEG–BOLD coupling the later notebooks use to show each
# method's mechanics, and on the `default` regime, calibrated to published recordings. Don't worry about
# the code yet; every line of it is taught later.

# %%
from neuroframes_edu.baselines import RidgeFingerprint
from neuroframes_edu.data import load_dataset
from neuroframes_edu.metrics import temporal_r
from neuroframes_edu.simulate import regime_config, simulate_session
from neuroframes_edu.surface import resample_operator
from neuroframes_edu.training import prepare_session

small = nfe.load_fsaverage("ico3")
subject_1 = {  # sessions 1 (to train on) and 3 (held out) of subject 1
    "generous": load_dataset(regime="generous", subjects=[1])[::2],  # the later notebooks' data
    "default": [simulate_session(regime_config("default", mesh="ico3"), seed=0, session=s) for s in (1, 3)],
}
shown = {}
for regime, sessions in subject_1.items():
    first, held_out = (prepare_session(r, mesh=small) for r in sessions)
    ridge = RidgeFingerprint().fit(first.hrf_at(first.times)[first.valid], first.bold[first.valid])
    usable = held_out.usable
    reconstruction = ridge.predict(held_out.hrf_at(held_out.times))[usable]
    to_small = resample_operator(sessions[1].load_mesh(), small)
    truth = held_out.standardized((to_small @ sessions[1].truth.bold_clean.T).T)[usable]
    r = temporal_r(reconstruction, truth)
    shown[regime] = (reconstruction, truth, r)
    print(f"{regime:>9}: reconstruction from EEG against the noise-free BOLD, temporal r = {np.nanmean(r):.2f} "
          f"(mean over vertices)")
assert np.nanmean(shown["generous"][2]) > 2 * np.nanmean(shown["default"][2]) > 0

moment = 200  # one held-out volume
fig, axes = plt.subplots(2, 2, figsize=(7, 5), subplot_kw={"projection": "3d"})
for row, (regime, (reconstruction, truth, _)) in enumerate(shown.items()):
    for col, (values, label) in enumerate(((truth[moment], "truth"), (reconstruction[moment], "from EEG"))):
        plot_cortex(small, values, views=[("left", "lateral")], axes=[axes[row, col]], cmap="RdBu_r", vmin=-2,
                    vmax=2)
        axes[row, col].set_title(f"{regime}: {label}", fontsize=9)
plt.show()

# %% [markdown]
# **Figure 0. One held-out moment: the noise-free BOLD (left) and its reconstruction from EEG alone
# (right)**, z-scored, in the two regimes. *Takeaway:* where the EEG says a lot (`generous`) the
# reconstruction finds the regions that are up or down; on data calibrated to real recordings
# (`default`) it is much fainter and often wrong (the printed r, asserted at least twice as high in
# `generous`). The course builds better methods than this ridge — and measures, against both ceilings,
# how much better they can get.

# %% [markdown]
# ## 2. The course map (~2 min)
#
# The table comes from the library (`neuroframes_edu.course`), the same list that the website and the
# README are checked against; notebooks not written yet are marked *in preparation*.

# %%
display(Markdown(course_map_markdown(checkout_notebook_dir())))
assert len(COURSE) == 10

# %% [markdown]
# ## 3. Your environment (~2 min)
#
# The report below lists the library versions and the device the course will compute on: `cuda` on a
# GPU (Colab: *Runtime → Change runtime type → GPU*), `mps` on Apple silicon, otherwise `cpu`. Every
# notebook runs on a CPU; a GPU only makes the full-size (`FAST = False`) runs quicker.

# %%
# NBVAL_IGNORE_OUTPUT
report = environment_report()
display(Markdown(report.to_markdown()))
device = nfe.select_device("auto")
assert report.packages["torch"] != "not installed" and report.packages["torch_geometric"] != "not installed"

# %% [markdown]
# A quick check that the device computes, and how fast: a matrix product of the size the course's
# models use (larger when `FAST = False`). Timings differ from machine to machine.

# %%
# NBVAL_IGNORE_OUTPUT
size = 512 if FAST else 4096
generator = torch.Generator().manual_seed(SEED)
a = torch.randn(size, size, generator=generator).to(device)
b = torch.randn(size, size, generator=generator).to(device)
(a @ b).sum().item()  # warm-up
start = time.perf_counter()
product = a @ b
checksum = product.sum().item()  # .item() waits for the device to finish
seconds = time.perf_counter() - start
print(f"{size}×{size} matrix product on {device}: {seconds * 1e3:.1f} ms ({2 * size**3 / seconds / 1e9:.1f} GFLOP/s)")
assert np.isfinite(checksum)

# %% [markdown]
# ## 4. A first look at the cortex (~7 min)
#
# The course works on **fsaverage**, FreeSurfer's template cortex, which nilearn ships (no download).
# Each hemisphere is a sphere-like sheet of triangles: an icosahedron subdivided five times gives
# 10,242 vertices per hemisphere. The same vertices come in several geometries: the **pial** surface
# (the outer surface of the grey matter, folded), the **white** surface (its inner border), the
# **inflated** surface (folds blown up so that nothing is hidden) and a **sphere**. Because vertex
# *i* is the same point of cortex in all of them, a map computed on one can be drawn on another.
#
# `load_fsaverage` returns both hemispheres as one mesh: left vertices first, then right.

# %%
mesh = nfe.load_fsaverage("ico5")
print(f"{mesh.name}: {mesh.n_vertices:,} vertices ({mesh.n_left:,} per hemisphere), "
      f"{len(mesh.faces):,} triangles")
print("geometries:", ", ".join(mesh.coordinates))
print(f"sulcal depth: {mesh.sulc.min():.2f} to {mesh.sulc.max():.2f}; "
      f"{(mesh.sulc > 0).mean():.0%} of vertices lie in sulci (depth > 0)")
assert mesh.n_vertices == 20_484 and mesh.n_left == 10_242
assert len(mesh.faces) == 2 * 20_480  # a closed triangulated sphere has 2V − 4 triangles
assert np.isfinite(mesh.sulc).all()
assert 0.4 < (mesh.sulc > 0).mean() < 0.6  # sulci and gyri share the cortex roughly evenly

# %% [markdown]
# **Sulcal depth** says how deep each vertex lies relative to the brain's average surface: positive
# inside the folds (**sulci**), negative on the crowns (**gyri**). Drawn in grey on the inflated surface
# it is the map that neuroimagers use to find their way around.

# %%
fig = plot_cortex(mesh, surface="inflated", title="fsaverage5, inflated: sulcal depth")
plt.show()

# %% [markdown]
# **Figure 1. Sulcal depth on the inflated fsaverage5 cortex**, left and right hemispheres seen from
# the side (lateral) and from the midline (medial); dark = deep sulci, light = gyri.
# *Takeaway:* inflating the surface shows cortex that is buried inside folds on the real brain. About
# half of the vertices lie in sulci, out of sight on the folded brain: a map of activity must be
# drawn on the inflated surface to be seen whole.
#
# The same map on the folded **pial** surface shows why:

# %%
def compare_geometries(mesh, hemi="left", view="lateral"):
    """Draw sulcal depth on the pial and inflated geometry of one hemisphere, side by side."""
    figure, axes = plt.subplots(1, 2, figsize=(7, 3.2), subplot_kw={"projection": "3d"})
    for ax, surface in zip(axes, ["pial", "inflated"], strict=True):
        plot_cortex(mesh, surface=surface, views=[(hemi, view)], axes=[ax])
        ax.set_title(f"{surface} ({hemi} {view})", fontsize=9)
    return figure


fig = compare_geometries(mesh)
plt.show()

# %% [markdown]
# **Figure 2. One hemisphere, two geometries.** Left: the folded pial surface; right: the same vertices
# on the inflated surface, same colours. *Takeaway:* on the pial surface you only see the gyral
# crowns (light); the dark sulcal cortex is tucked away — the same vertices, only moved.
#
# ### Look around yourself
# The function below draws one hemisphere of one geometry from one viewpoint. Here it shows the
# **sphere**, the geometry on which fsaverage aligns every brain to the template.

# %%
def show_view(surface="inflated", hemi="left", view="lateral"):
    """Draw sulcal depth on one hemisphere of one geometry from one viewpoint."""
    plot_cortex(mesh, surface=surface, views=[(hemi, view)], figsize=(4, 3.5))
    plt.show()


show_view("sphere", "left", "lateral")

# %% [markdown]
# **Figure 3. Sulcal depth on the sphere.** *Takeaway:* on the sphere every vertex is visible and
# neighbours stay neighbours, so folds become smooth blotches; this is the geometry on which
# fsaverage aligns brains and on which coarser meshes are built (notebook 1).
#
# In a live notebook (Colab or JupyterLab) the widget below lets you pick the geometry, hemisphere and
# view yourself; the website shows no widget, since widgets need a running Python.

# %% tags=["remove-output"]
# NBVAL_IGNORE_OUTPUT
_ = widgets.interact(show_view, surface=["inflated", "pial", "white", "sphere"], hemi=["left", "right"],
                 view=["lateral", "medial", "dorsal", "ventral", "anterior", "posterior"])

# %% [markdown]
# **Think!** The sphere geometry looks like a ball with smooth blotches. Why would a method that
# compares vertices across the cortex (a graph network, say) want to know the distances on the
# *sphere* or *white* surface rather than straight-line distances on the pial surface?
# (Hint: two sides of a sulcus are millimetres apart through the fold, centimetres apart along the cortex.)

# %% [markdown]
# <details><summary>An answer</summary>
#
# Because the graph's neighbourhoods must follow the cortical sheet. On the pial surface the two banks
# of a sulcus are millimetres apart in 3-D but centimetres apart along the cortex, and they often belong to
# different areas. A method that measured straight-line distances there would mix signals across the fold.
# The sphere and white surfaces keep neighbours along the sheet close and unfold the rest; the mesh's
# triangles (and so the graph of notebook 01) join only vertices that are neighbours along the sheet,
# whichever geometry is drawn.
#
# </details>

# %% [markdown]
# ## Self-check quiz (~3 min)
#
# 3 questions on this notebook. Write the letter of each answer in `my_answers` and run the
# cell: every wrong answer is named with the reason it is wrong.

# %%
from neuroframes_edu.course.quiz import check_quiz, show_quiz

show_quiz("00")


# %% tags=["hide-input", "hide-output"]
def my_answers():
    #################################################
    ## TODO for students: the letter of your answer to each question, e.g. {1: "a", 2: "c", 3: "b"}.
    # raise NotImplementedError("Student exercise: answer the quiz above")
    #################################################
    return {1: "a", 2: "a", 3: "a"}


assert check_quiz("00", my_answers())

# %% [markdown]
# ## Summary
#
# - EEG and fMRI see brain activity at complementary resolutions; the course reconstructs vertex-level
#   fMRI frames from EEG, and a null-space projection keeps every measured frame exact.
# - The course has nine notebooks; the map above says what each one teaches and how long it takes.
# - `environment_report()` and `nfe.select_device()` tell you what you compute on.
# - fsaverage5 has 20,484 vertices and 40,960 triangles; its pial, white, inflated and sphere geometries
#   share the vertex numbering, and sulcal depth shows where the folds are.
#
# **What next:** notebook 01 turns this mesh into a graph — adjacency, the graph Laplacian, coarser
# resolutions and smooth maps on the cortex — the structure every later model computes on.
