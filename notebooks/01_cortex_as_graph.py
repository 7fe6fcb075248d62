# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# [Open the exercises in Google Colab](https://colab.research.google.com/github/neuroframes-edu/neuroframes-edu/blob/main/notebooks/exercises/01_cortex_as_graph.ipynb) · [with worked solutions](https://colab.research.google.com/github/neuroframes-edu/neuroframes-edu/blob/main/notebooks/01_cortex_as_graph.ipynb)
#
# # 01 · The cortex as a graph
#
# **Expected time:** 40 minutes · **Prerequisites:** notebook 00; NumPy and a little linear algebra
# (matrices, eigenvectors).
#
# A graph network needs a graph. Here the cortical surface becomes one: vertices are nodes, triangle
# edges are links. Everything later in the course — the graph-convolutional decoder, smooth maps, the
# regions where we score reconstructions — rests on the objects built in this notebook.
#
# ## Tutorial objectives
# By the end of this notebook you will be able to:
# 1. **load** the cortex at three resolutions (ico3, ico4, ico5) and **explain** why they are nested;
# 2. **build** the adjacency matrix of a triangle mesh yourself, and check it against the library;
# 3. **compute** the graph Laplacian and **use** its eigenvectors to describe smooth maps on the cortex;
# 4. **explain** what one graph-convolution step does to a map, and why many steps over-smooth it;
# 5. **move** maps between resolutions and **name** the regions of interest used to score reconstructions.

# %% [markdown]
# ## Setup

# %%
import subprocess
import sys

IN_COLAB = "google.colab" in sys.modules
if IN_COLAB:
    subprocess.check_call([sys.executable, "-m", "pip", "install", "-q",
                           "neuroframes-edu @ git+https://github.com/neuroframes-edu/neuroframes-edu"])

# %% tags=["parameters"]
FAST = True  # small and quick for CPUs and CI; False: full size, meant for a GPU
SEED = 0  # every random step in the notebook derives from this

# %%
import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import scipy.sparse as sp
from matplotlib.colors import ListedColormap

import neuroframes_edu as nfe
from neuroframes_edu.course.exercises import check_adjacency, check_laplacian
from neuroframes_edu.plotting import plot_cortex
from neuroframes_edu.surface import resample_operator

rng = np.random.default_rng(SEED)
FIGURE_MESH = "ico4" if FAST else "ico5"  # resolution of the maps drawn below

# %% [markdown]
# ## 1. Three resolutions of one cortex (~4 min)
#
# fsaverage is built by subdividing an icosahedron: each subdivision splits every triangle into four.
# Five subdivisions give fsaverage5's 10,242 vertices per hemisphere. The vertex numbering is
# **nested**: the first 642 vertices of a hemisphere are exactly the vertices of the 3-times
# subdivided icosahedron (ico3), the first 2,562 those of ico4. A coarse mesh is therefore a subset
# of the fine one, and its triangles can be recovered as the convex hull of those vertices on the sphere.

# %%
meshes = {res: nfe.load_fsaverage(res) for res in ("ico3", "ico4", "ico5")}
for res, mesh in meshes.items():
    print(f"{res}: {mesh.n_vertices:>6,} vertices, {len(mesh.faces):>6,} triangles, "
          f"{len(mesh.edges):>6,} edges")
assert [m.n_vertices for m in meshes.values()] == [1_284, 5_124, 20_484]
# every closed triangulated sphere has V − E + F = 2 (here: two spheres)
assert all(m.n_vertices - len(m.edges) + len(m.faces) == 4 for m in meshes.values())

# %%
fig, axes = plt.subplots(1, 3, figsize=(10, 3.2), subplot_kw={"projection": "3d"})
for ax, (res, mesh) in zip(axes, meshes.items(), strict=True):
    plot_cortex(mesh, surface="pial", views=[("left", "lateral")], axes=[ax])
    ax.set_title(f"{res}: {mesh.n_left:,} vertices per hemisphere", fontsize=9)
plt.show()

# %% [markdown]
# **Figure 1. The left pial surface at three resolutions**, coloured by sulcal depth. *Takeaway:* ico3
# keeps the overall shape but not the folds; ico4 shows the major sulci; ico5 resolves the folding
# that fMRI at 2–3 mm sees. The course trains at ico4 on a CPU and can show results at ico5.

# %% [markdown]
# ## 2. From triangles to a graph (~6 min)
#
# Two vertices are **neighbours** when they share a triangle edge. The **adjacency matrix** $A$ holds
# $A_{ij} = 1$ for neighbours and 0 otherwise; it is symmetric, has an empty diagonal, and is
# **sparse**: at ico5 only 0.03% of its 420 million entries are non-zero, so it is stored as a
# `scipy.sparse` matrix, never as a dense array.
#
# ### Coding exercise 2.1: build the adjacency matrix
# Write `adjacency_from_faces(faces, n_vertices)`. Each triangle `(a, b, c)` contributes the edges
# a–b, b–c and c–a, in both directions; an edge shared by two triangles must still count once.

# %% tags=["hide-input"]
def adjacency_from_faces(faces, n_vertices):
    """Symmetric 0/1 adjacency (scipy CSR) of a triangle mesh with ``faces`` of shape (n_faces, 3)."""
    #################################################
    ## TODO for students: build the matrix. Hint: stack the three edge lists, add their reverse,
    ## create a scipy.sparse.coo_matrix of ones, and clip duplicate entries to 1.
    # raise NotImplementedError("Student exercise: build the adjacency matrix")
    #################################################
    edges = np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]])
    rows = np.concatenate([edges[:, 0], edges[:, 1]])
    cols = np.concatenate([edges[:, 1], edges[:, 0]])
    a = sp.coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n_vertices, n_vertices)).tocsr()
    a.data[:] = 1.0  # an edge shared by two triangles was summed twice
    return a


assert check_adjacency(adjacency_from_faces)
print("adjacency_from_faces agrees with mesh.adjacency()")

# %% [markdown]
# `check_adjacency` runs your function on a fresh mesh and compares it with the library; when something
# differs it says what (not symmetric, diagonal entries, double-counted edges, wrong edge count). From
# here on we use the library's `mesh.adjacency()` and `mesh.edge_index` (both directions of every edge,
# the format torch-geometric expects).

# %%
mesh = meshes["ico3"]
degree = np.asarray(mesh.adjacency().sum(axis=1)).ravel()
values, counts = np.unique(degree.astype(int), return_counts=True)
print("degree (neighbours per vertex):", {int(v): int(c) for v, c in zip(values, counts, strict=True)})
print("edge_index:", tuple(mesh.edge_index.shape), "— first columns:", mesh.edge_index[:, :4].tolist())
assert set(np.unique(degree)) == {5, 6}  # the 12 icosahedron corners have 5 neighbours, all others 6

# %% [markdown]
# ## 3. The graph Laplacian and smooth maps (~7 min)
#
# The **Laplacian** $L = D - A$ ($D$: diagonal matrix of degrees) measures how much a map differs from
# its neighbours: $(Lx)_i = \sum_{j \sim i} (x_i - x_j)$, and $x^\top L x = \sum_{\text{edges}} (x_i - x_j)^2$.
# A constant map gives $Lx = 0$; a smooth map gives small values; a noisy one large values.
#
# ### Coding exercise 3.1: the Laplacian

# %% tags=["hide-input"]
def laplacian(adjacency):
    """Combinatorial graph Laplacian L = D − A of a scipy sparse adjacency matrix."""
    #################################################
    ## TODO for students: degrees are the row sums of the adjacency.
    # raise NotImplementedError("Student exercise: compute L = D − A")
    #################################################
    degree = np.asarray(adjacency.sum(axis=1)).ravel()
    return sp.diags(degree) - adjacency


assert check_laplacian(laplacian)
print("laplacian agrees with mesh.laplacian(normalized=False)")

# %% [markdown]
# The eigenvectors of the (normalised) Laplacian are the graph's **harmonics**: the first ones vary
# slowly over the surface, later ones faster — the mesh's equivalent of low and high spatial
# frequencies. On a sphere-like mesh they resemble spherical harmonics.

# %%
left = mesh.hemisphere_slice("left")
lap_left = mesh.laplacian(normalized=True)[left][:, left].toarray()
eigenvalues, eigenvectors = np.linalg.eigh(lap_left)
print("smallest eigenvalues (left hemisphere, ico3):", np.round(eigenvalues[:6], 4))
assert abs(eigenvalues[0]) < 1e-9 and eigenvalues[1] > 1e-3  # one connected component per hemisphere

harmonics = np.zeros((3, mesh.n_vertices))
for k, index in enumerate((1, 8, 40)):
    harmonics[k, left] = eigenvectors[:, index]
fig, axes = plt.subplots(1, 3, figsize=(10, 3.2), subplot_kw={"projection": "3d"})
for ax, values, index in zip(axes, harmonics, (1, 8, 40), strict=True):
    plot_cortex(mesh, values, surface="inflated", views=[("left", "lateral")], axes=[ax], cmap="RdBu_r",
                background=False)
    ax.set_title(f"harmonic {index} (λ = {eigenvalues[index]:.3f})", fontsize=9)
plt.show()

# %% [markdown]
# **Figure 2. Three Laplacian harmonics of the left hemisphere** (ico3, inflated). *Takeaway:* small
# eigenvalues mean slow variation across the cortex. Brain maps, such as the simulator's networks,
# are mostly made of such slow harmonics — which is why a graph network that averages neighbours is a
# good prior for them.

# %% [markdown]
# ## 4. One graph-convolution step, and many (~6 min)
#
# A graph-convolutional layer (Kipf & Welling, 2017) multiplies by the **normalised adjacency with
# self-loops**, $\hat A = \hat D^{-1/2} (A + I) \hat D^{-1/2}$: each vertex becomes a weighted average
# of itself and its neighbours. `mesh.normalized_adjacency` is that matrix as a torch sparse tensor —
# one product is exactly one parameter-free `GCNConv` propagation (the library's tests check this).
# What does averaging do to a map, step after step? `mesh.smooth(values, steps)` applies it `steps`
# times; `mesh.roughness(values)` measures how rough a map is, $x^\top L x / x^\top x$ with the
# normalised Laplacian (0 for a constant map, about 1 for white noise).

# %%
fine = nfe.load_fsaverage(FIGURE_MESH)
noise = rng.standard_normal(fine.n_vertices)


steps_list = (0, 5, 50)
for steps in steps_list:
    print(f"{steps:>3} steps: roughness {fine.roughness(fine.smooth(noise, steps)):.4f}")
assert fine.roughness(fine.smooth(noise, 50)) < fine.roughness(fine.smooth(noise, 5)) < fine.roughness(noise)


def show_smoothing(steps=5):
    """Draw white noise on the cortex after ``steps`` graph-convolution propagations."""
    values = fine.smooth(noise, steps)
    plot_cortex(fine, values / np.abs(values).max(), views=[("left", "lateral"), ("left", "medial")],
                cmap="RdBu_r", background=False, title=f"noise after {steps} propagation steps",
                figsize=(6, 3))
    plt.show()


show_smoothing(5)

# %% [markdown]
# **Figure 3. White noise after five graph-convolution steps.** *Takeaway:* each step averages
# neighbours, so the map becomes smoother (its roughness falls, printed above). A few steps turn noise
# into plausible blobs; very many steps wash everything into a near-constant map — **over-smoothing**,
# the reason surface decoders stay shallow and add residual connections (notebook 04).
#
# In a live notebook, the slider below sets the number of steps.

# %% tags=["remove-output"]
# NBVAL_IGNORE_OUTPUT
_ = widgets.interact(show_smoothing, steps=widgets.IntSlider(value=5, min=0, max=100, step=5))

# %% [markdown]
# ## 5. Between resolutions, and the regions we score (~11 min)
#
# `resample_operator(source, target)` is a sparse matrix that moves a map between resolutions: down,
# it picks the nested vertices; up, it interpolates inside the coarse triangle that contains each fine
# vertex. A model trained at ico3 or ico4 can thus be shown at ico5.

# %%
coarse = meshes["ico3"]
up = resample_operator(coarse, fine)
down = resample_operator(fine, coarse)
print(f"up: {up.shape}, {up.nnz:,} non-zeros; down: {down.shape}, {down.nnz:,} non-zeros")
coarse_map = coarse.coordinates["sphere"][:, 2] / 100  # a smooth test map: height on the sphere
np.testing.assert_allclose(down @ (up @ coarse_map), coarse_map)  # nested: down after up is exact
error = np.abs(up @ coarse_map - fine.coordinates["sphere"][:, 2] / 100).max()
print(f"largest interpolation error of a smooth map: {error:.4f} (map range −1 to 1)")
assert error < 0.02

# %% [markdown]
# Finally, the **regions of interest**. No atlas ships offline for fsaverage, so the library defines
# them as geodesic disks — distances measured along the cortex — around documented anatomical
# coordinates (e.g. Heschl's gyrus for primary auditory cortex). On the HCP fs_LR mesh they are unions
# of Glasser areas instead.

# %%
rois = fine.rois
for name, mask in rois.items():
    print(f"{name:>16}: {mask.sum():>5,} vertices ({mask.mean():.1%} of the cortex)")
assert rois["early_visual"].any() and rois["auditory"].any()
labels = np.zeros(fine.n_vertices)
for k, name in enumerate(("early_visual", "auditory", "somatomotor", "default_mode"), start=1):
    labels[rois[name]] = k
region_colours = ListedColormap(["lightgrey", "tab:red", "tab:orange", "tab:green", "tab:purple"])
fig = plot_cortex(fine, labels, views=[("left", "lateral"), ("left", "medial")], cmap=region_colours,
                  vmin=-0.5, vmax=4.5, symmetric=False, avg_method="max", figsize=(6, 3),
                  title="regions of interest (left hemisphere)")
plt.show()

# %% [markdown]
# **Figure 4. Four regions of interest** on the inflated left hemisphere: early visual (red),
# auditory (orange), somatomotor (green) and the default-mode nodes (purple). *Takeaway:* regions sit where the anatomy says —
# visual cortex along the calcarine sulcus on the medial surface, auditory cortex on the superior
# temporal plane; the course reports every metric for the whole cortex and within such regions.
#
# **Think!** Why measure region size along the cortex (geodesically) rather than in straight lines?
# Two points on opposite banks of a sulcus can be 3 mm apart through the fold and 30 mm apart along
# the cortex — and only the second distance says whether they belong to one cortical area.

# %% [markdown]
# <details><summary>An answer</summary>
#
# A cortical area is a patch of the sheet, so its size and its neighbours are measured along the sheet.
# A 10-mm ball in 3-D around a point on one bank of a sulcus also takes in the opposite bank — another
# area, sometimes another network — and a region built that way mixes them. That is why the course's regions
# are geodesic disks (`landmark_rois`), and why the scores for "early visual" or "auditory" mean one area.
#
# </details>

# %% [markdown]
# ### The research scale: HCP fs_LR
# The method this course rebuilds works on the 91,282 grayordinates of HCP-style data, whose cortical
# part is the fs_LR 32k mesh: 59,412 vertices. With the optional `hcp` extra installed the library
# loads it like fsaverage, and every tool above applies unchanged.

# %%
try:
    fslr = nfe.surface.load_fslr()
except ImportError as err:  # the optional extra is not installed
    print(err)
else:
    print(f"{fslr.name}: {fslr.n_vertices:,} vertices, {len(fslr.edges):,} edges, regions: {', '.join(fslr.rois)}")
    assert fslr.n_vertices == 59_412

# %% [markdown]
# ## Self-check quiz (~3 min)
#
# 3 questions on this notebook. Write the letter of each answer in `my_answers` and run the
# cell: every wrong answer is named with the reason it is wrong.

# %%
from neuroframes_edu.course.quiz import check_quiz, show_quiz

show_quiz("01")


# %% tags=["hide-input", "hide-output"]
def my_answers():
    #################################################
    ## TODO for students: the letter of your answer to each question, e.g. {1: "a", 2: "c", 3: "b"}.
    # raise NotImplementedError("Student exercise: answer the quiz above")
    #################################################
    return {1: "c", 2: "b", 3: "c"}


assert check_quiz("01", my_answers())

# %% [markdown]
# ## Summary
#
# - fsaverage comes at nested resolutions: ico3 (1,284 vertices), ico4 (5,124), ico5 (20,484); coarse
#   meshes are subsets of fine ones, and `resample_operator` moves maps between them.
# - A mesh is a graph: the sparse adjacency `A`, `edge_index` for torch-geometric, the Laplacian
#   `L = D − A` whose eigenvectors are the cortex's spatial frequencies.
# - One graph convolution averages each vertex with its neighbours (`normalized_adjacency`); a few
#   steps smooth, many over-smooth.
# - Regions of interest are geodesic disks around anatomical landmarks on fsaverage, Glasser areas on fs_LR.
#
# **What next:** notebook 02 puts activity on this graph: a simulator of simultaneous EEG and fMRI with
# known ground truth.
