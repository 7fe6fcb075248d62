# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# [Open the exercises in Google Colab](https://colab.research.google.com/github/neuroframes-edu/neuroframes-edu/blob/main/notebooks/exercises/05_null_space_completion.ipynb) · [with worked solutions](https://colab.research.google.com/github/neuroframes-edu/neuroframes-edu/blob/main/notebooks/05_null_space_completion.ipynb)
#
# # 05 · Null-space completion
#
# **Expected time:** 45 minutes · **Prerequisites:** notebooks 02 (frames and volumes) and 03 (the ridge
# baseline); linear algebra: matrix rank and the pseudo-inverse.
#
# **Which data?** This notebook runs the simulator's `generous` regime (`REGIME` in the parameters
# cell): EEG–BOLD coupling stronger and BOLD cleaner than in any published recording, so that the
# method's mechanics show in a few minutes of data on a CPU. On the `default` regime, calibrated to
# real recordings (notebook 02, Section 7), the EEG-information ceiling (what a perfect inverse of the
# EEG allows) is well below the noise ceiling (about 40% of it in the data card's 10-minute sessions),
# and every EEG-based score below would be far lower; the results page measures by how much. (The
# asserts here check this notebook's claims on the `generous` data: run it with `REGIME = "default"` and
# the first claim that no longer holds stops it — a lesson in itself.)
#
# This is the heart of the method. Some frames of the fMRI sequence are measured (acquired volumes),
# others are not (missing volumes, frames between volumes). A network predicts all of them from EEG —
# but a measured frame is *data*, and no prediction should overwrite it. The range–null-space
# decomposition (DDNM; Wang, Yu & Zhang 2023) solves this exactly: with a linear measurement operator
# $A$ ($y = Ax$) and its pseudo-inverse $A^\dagger$,
#
# $$\hat x = A^\dagger y + (I - A^\dagger A)\, x_\text{pred}.$$
#
# The first term is everything the measurements determine; the second is what they cannot see, taken
# from the prediction. Then $A\hat x = y$ whatever the network predicted.
#
# ## Tutorial objectives
# By the end of this notebook you will be able to:
# 1. **decompose** a sequence into its range and null-space parts for a given operator;
# 2. **implement** the null-space projection and **prove by numbers** that measured frames stay exact;
# 3. **apply** it to missing volumes (frame masks), sub-TR frames (decimation) and blurred measurements;
# 4. **compare** completion with linear and cubic interpolation on held-out data;
# 5. **explain** why blending a prediction with the measurements breaks measurement consistency.

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
REGIME = "generous"  # data regime (notebook 02): "default" is calibrated to real recordings

# %%
import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from neuroframes_edu.baselines import RidgeFingerprint, interpolate_frames
from neuroframes_edu.course.exercises import check_null_space_projection
from neuroframes_edu.data import EEG_WINDOW, load_dataset
from neuroframes_edu.features import band_power, band_power_series
from neuroframes_edu.metrics import mse_z, zscore
from neuroframes_edu.nullspace import (
    FrameMask,
    blurred_decimation,
    complete_frames,
    measurement_consistency,
)
from neuroframes_edu.simulate import hrf_basis

rng = np.random.default_rng(SEED)
np.set_printoptions(precision=3, suppress=True)

# %% [markdown]
# ## 1. Range and null space on a three-frame toy (~9 min)
#
# One vertex, three frames $x = (x_1, x_2, x_3)$; the scanner measured frames 1 and 3. The operator
# selects them: $A = \begin{pmatrix}1&0&0\\0&0&1\end{pmatrix}$. Its pseudo-inverse puts measurements
# back in their slots, $A^\dagger A$ keeps frames 1 and 3 (the **range**), $I - A^\dagger A$ keeps frame 2
# (the **null space**: what $A$ cannot see).

# %%
A = np.array([[1.0, 0, 0], [0, 0, 1.0]])
A_pinv = np.linalg.pinv(A)
x = np.array([2.0, 5.0, 3.0])
print("A† A =\n", A_pinv @ A)
print("range part    A†A x      =", A_pinv @ A @ x)
print("null part  (I − A†A) x   =", (np.eye(3) - A_pinv @ A) @ x)
assert np.allclose(A_pinv @ A @ x + (np.eye(3) - A_pinv @ A) @ x, x)

y = A @ x  # what was measured
x_pred = np.array([1.0, 4.0, 1.0])  # a network's guess: wrong on the measured frames
x_hat = A_pinv @ y + (np.eye(3) - A_pinv @ A) @ x_pred
print(f"measured y = {y}; prediction {x_pred} → completed {x_hat}; A x̂ = {A @ x_hat}")
assert np.allclose(A @ x_hat, y)

# %% [markdown]
# For a selection, the completion just pastes the measured frames over the prediction. The formula
# matters when $A$ **mixes** frames. Suppose each measurement averages neighbouring frames (a scanner
# integrating over time, or haemodynamic blur): $A^\dagger$ is no longer $A^\top$, and the range
# is a subspace that no single frame spans.

# %%
B = np.array([[0.5, 0.5, 0.0], [0.0, 0.5, 0.5]])
B_pinv = np.linalg.pinv(B)
null_direction = np.linalg.svd(B)[2][-1]  # the one direction B cannot see
print("B† =\n", B_pinv)
print("null space of B is spanned by", null_direction, "— B times it:", B @ null_direction)
x_hat_b = B_pinv @ (B @ x) + (np.eye(3) - B_pinv @ B) @ x_pred
print(f"completed {x_hat_b}; B x̂ = {B @ x_hat_b} = B x = {B @ x}")
assert np.allclose(B @ x_hat_b, B @ x)

# %% [markdown]
# ### Coding exercise 1.1: the null-space projection
# Write `null_space_project(x_pred, y, A)` for `x_pred` of shape `(T, V)` (frames × vertices), `y` of
# shape `(M, V)` and a dense `A` of shape `(M, T)`: the same operator for every vertex. The check runs
# it on a frame mask and on a blur.

# %% tags=["hide-input"]
def null_space_project(x_pred, y, A):
    """x̂ = A†y + (I − A†A) x_pred, with A acting on the frame axis."""
    #################################################
    ## TODO for students: compute A† with np.linalg.pinv; remember the identity has T × T entries.
    # raise NotImplementedError("Student exercise: write the null-space projection")
    #################################################
    pinv = np.linalg.pinv(A)
    return pinv @ y + (np.eye(A.shape[1]) - pinv @ A) @ x_pred


assert check_null_space_projection(null_space_project)
print("null_space_project agrees with neuroframes_edu.nullspace.TemporalOperator")

# %% [markdown]
# The library never builds $I - A^\dagger A$ for a whole brain: $A$ acts along the frame axis only, so it
# is a small $M \times T$ matrix applied to every vertex at once (`TemporalOperator`), and for masks it
# is index operations (`FrameMask`). The cost grows linearly with vertices × frames.

# %% [markdown]
# ## 2. Missing volumes on real-sized data (~13 min)
#
# Now a held-out session: 10 minutes, 5,124 vertices. We need a prediction of every volume from EEG;
# any predictor will do, so we use the ridge "EEG fingerprint" of notebook 03 (fit on session 1).
# Then we hide a fraction of the valid volumes of session 3 and complete them.

# %%
dataset = load_dataset(regime=REGIME)
train, test = dataset[0], dataset[2]  # subject 1: sessions 1 and 3
train_features = band_power(train.raw, train.volume_times, hrf=True)
ridge = RidgeFingerprint().fit(train_features[train.valid], zscore(train.bold[train.valid]))

usable = test.usable  # valid volumes with 16 s of EEG before them, for the HRF features
times = test.volume_times[usable]
measured = zscore(test.bold[usable])  # every vertex z-scored over the session
test_series = band_power_series(test.raw)  # filtered once, sampled twice (volumes here, frames in section 3)
prediction = ridge.predict(band_power(None, times, hrf=True, series=test_series))
print(f"{len(times)} usable volumes × {measured.shape[1]:,} vertices; ridge prediction ready")

# %%
def completion_scores(fraction_missing, seed=SEED):
    """MSE on hidden volumes for interpolation and completion, plus the error on measured ones."""
    r = np.random.default_rng(seed)
    hidden = r.random(len(times)) < fraction_missing
    hidden[[0, -1]] = False  # keep both ends measured: interpolation cannot extrapolate
    known = ~hidden
    plain = FrameMask(known).project(prediction, measured[known])
    resid = complete_frames(prediction, measured, known, times, detail=0.5)
    out = {"linear interpolation": interpolate_frames(times[known], measured[known], times[hidden], "linear"),
           "cubic interpolation": interpolate_frames(times[known], measured[known], times[hidden], "cubic"),
           "ridge + DDNM (mask)": plain[hidden],
           "ridge + completion with interpolated residuals": resid[hidden]}
    scores = {name: mse_z(pred, measured[hidden]) for name, pred in out.items()}
    exact = max(float(np.abs(plain[known] - measured[known]).max()), float(np.abs(resid[known] - measured[known]).max()))
    return scores, exact, known, resid


scores, exact, known, completed = completion_scores(0.5)
for name, value in scores.items():
    print(f"{name:>48}: MSE {value:.3f} on hidden volumes")
print(f"largest change to any measured volume: {exact}")
assert exact == 0.0
assert scores["ridge + completion with interpolated residuals"] <= scores["linear interpolation"] + 0.01
assert scores["ridge + DDNM (mask)"] < 1.0

# %% [markdown]
# **Proof by numbers.** The measured volumes come back bit for bit (largest change 0.0), for any
# prediction. Plain DDNM with a mask ignores the measured neighbours when filling a hidden volume, so
# it is only as good as the EEG prediction; `complete_frames` also corrects the prediction by the
# measured residuals interpolated in time — still exact on measured volumes, and as good as or better than
# interpolation. Cubic interpolation overshoots between noisy samples.

# %%
vertex = int(np.argmax(test.truth.noise_ceiling))  # the vertex with the clearest signal
shown = times < 200
fig, ax = plt.subplots(figsize=(9, 3))
ax.plot(times[shown], measured[shown, vertex], color="0.6", lw=1, label="measured (all volumes, for reference)")
ax.plot(times[shown & known], measured[shown & known, vertex], "o", ms=3, color="k", label="kept (measured)")
ax.plot(times[shown], completed[shown, vertex], color="C1", lw=1.2, label="completed")
ax.set(xlabel="time (s)", ylabel="BOLD (z)")
ax.legend(fontsize=8, loc="upper right", ncols=3)
plt.show()

# %% [markdown]
# **Figure 1. One vertex with half of its volumes hidden.** Black dots are kept exactly; the orange curve
# fills the gaps from the measured neighbours plus the EEG prediction's detail. *Takeaway:* the
# completed sequence passes through every measurement — that is the guarantee — and its quality between
# them depends on the prediction.

# %% [markdown]
# The slider below varies the fraction of missing volumes.

# %%
def show_missing(fraction=0.5):
    """MSE on hidden volumes against the fraction of volumes hidden."""
    s, err, _, _ = completion_scores(fraction)
    _, ax = plt.subplots(figsize=(6, 2.6))
    ax.barh(list(s), list(s.values()), color=["0.6", "0.8", "C0", "C1"])
    ax.set(xlabel="MSE on hidden volumes (z)", title=f"{fraction:.0%} hidden; measured volumes changed by {err}")
    ax.invert_yaxis()
    plt.show()


show_missing(0.5)

# %% [markdown]
# **Figure 2. Completion against interpolation at 50% missing volumes.** *Takeaway:* a
# measurement-aware completion matches or beats interpolation while keeping the data; plain DDNM is only as
# good as the EEG prediction. With more volumes missing (try the slider) interpolation has farther to
# reach and the prediction matters more.

# %% tags=["remove-output"]
# NBVAL_IGNORE_OUTPUT
_ = widgets.interact(show_missing, fraction=widgets.FloatSlider(value=0.5, min=0.1, max=0.9, step=0.1))

# %% [markdown]
# ## 3. Between the volumes: sub-TR frames (~5 min)
#
# The simulator keeps the noise-free BOLD every 0.2 s, four frames per TR — the **neural frames** we
# would like to see. The measured volumes sit on every fourth frame. Completion keeps the volumes and
# fills the three frames between them; since we know the truth, we score against it.

# %%
fine_times = test.truth.frame_times
on_grid = np.zeros(len(fine_times), dtype=bool)
on_grid[test.truth.frame_index(test.volume_times[test.valid])] = True
# ground-truth frames in the units of the z-scored measurements
truth = zscore(test.truth.frames, reference=test.bold[test.valid])
measured_fine = np.zeros_like(truth)
measured_fine[on_grid] = zscore(test.bold[test.valid])
keep = fine_times >= EEG_WINDOW
fine_pred = ridge.predict(band_power(None, fine_times[keep], hrf=True, series=test_series))
t_k, grid_k, truth_k, meas_k = fine_times[keep], on_grid[keep], truth[keep], measured_fine[keep]
between = ~grid_k
sr = {"linear interpolation": interpolate_frames(t_k[grid_k], meas_k[grid_k], t_k[between], "linear"),
      "cubic interpolation": interpolate_frames(t_k[grid_k], meas_k[grid_k], t_k[between], "cubic"),
      "ridge + completion": complete_frames(fine_pred, meas_k, grid_k, t_k, detail=0.5)[between]}
sr_mse = {name: float(np.mean((pred - truth_k[between]) ** 2)) for name, pred in sr.items()}
floor = float(np.mean((meas_k[grid_k] - truth_k[grid_k]) ** 2))
for name, value in sr_mse.items():
    print(f"{name:>22}: MSE {value:.3f} against the true intermediate frames")
print(f"(the measured volumes themselves differ from the truth by MSE {floor:.3f}: their noise)")
assert sr_mse["ridge + completion"] < sr_mse["cubic interpolation"]

# %% [markdown]
# All three methods inherit the volumes' noise, so none reaches zero. A fine-grid mask is the same
# `FrameMask` as before (`nullspace.decimation(n_frames, 4)` builds it for a regular grid).

# %% [markdown]
# ## 4. Blurred measurements: when $A^\dagger \neq A^\top$ (~5 min)
#
# Suppose we wanted the fast **neural** time course rather than BOLD. Each volume is then a
# haemodynamically *blurred* sum of many past frames, decimated: $A$ = decimate ∘ convolve-with-HRF.
# That $A$ is not a selection; `blurred_decimation` builds it and `TemporalOperator` computes $A^\dagger$
# once by SVD. The completion still reproduces every measurement exactly.

# %%
period = test.truth.config.frame_period
hrf = hrf_basis(period, length=20.0)[0]
n_frames = 120  # 24 s of frames
A_blur = blurred_decimation(n_frames, 4, hrf / hrf.sum())
t_fine = 30.0 + np.arange(n_frames) * period
neural = np.interp(t_fine, test.truth.neural_times, test.truth.network_activity[:, test.truth.network_names.index("visual")])[:, None]
y_blur = A_blur.apply(neural)
guess = np.zeros_like(neural)  # no prediction at all
x_hat_blur = A_blur.project(guess, y_blur)
consistency = measurement_consistency(x_hat_blur, y_blur, A_blur)
print(f"A is {A_blur.n_measurements} × {A_blur.n_frames} with rank {A_blur.rank}; ‖A x̂ − y‖/‖y‖ = {consistency:.1e}")
assert consistency < 1e-6 and A_blur.rank <= A_blur.n_measurements

fig, ax = plt.subplots(figsize=(8, 2.8))
ax.plot(t_fine, neural[:, 0], color="k", lw=1, label="true neural frames")
ax.plot(t_fine, np.asarray(x_hat_blur)[:, 0], color="C1", label="A†y (no prediction)")
ax.set(xlabel="time (s)", ylabel="activity (a.u.)")
ax.legend(fontsize=8)
plt.show()

# %% [markdown]
# **Figure 3. With a blurring operator, the measurements alone pin down only a smooth part of the
# neural time course** ($A^\dagger y$, orange); the rest lies in the null space and must come from a
# prediction. *Takeaway:* the projection is exact for any linear $A$, but how much it fixes depends on
# $A$'s rank — here 30 blurred measurements of 120 frames, of rank at most 30 (printed above): three
# quarters of the time course or more lie in the null space.

# %% [markdown]
# ## 5. What not to do: blending the prediction with the data (~7 min)
#
# An intuitive "completer" — the kind a first sketch of this architecture tends to contain — averages the prediction
# with the measurements wherever measurements exist: $\hat x = \tfrac12 (x_\text{pred} + A^\dagger y)$
# on measured frames. It looks harmless. It is not: the result no longer reproduces the data.

# %%
def blend_completer(x_pred, y, known):
    """The blending completer: average prediction and measurement on measured frames (do not use)."""
    out = x_pred.copy()
    out[known] = 0.5 * (x_pred[known] + y)
    return out


mask = FrameMask(known)
blended = blend_completer(prediction, measured[known], known)
projected = mask.project(prediction, measured[known])
blend_error = measurement_consistency(blended, measured[known], mask)
print(f"measurement consistency ‖A x̂ − y‖/‖y‖: blend {blend_error:.3f}, null-space projection "
      f"{measurement_consistency(projected, measured[known], mask):.1e}")
half = mask.project(prediction, measured[known], lam=0.5)
assert np.allclose(half, blended) and blend_error > 0.1

# %% [markdown]
# **Why.** The blend changes the *range* part of the sequence — the part the measurements already
# determine — by half the prediction's error there: $A\hat x - y = \tfrac12(A x_\text{pred} - y)$.
# In fact it is exactly DDNM+ with $\lambda = ½$ (`project(..., lam=0.5)` gives the same numbers):
# trusting the prediction as much as the scanner. That is defensible only when the measurements are
# *noisier* than the prediction; for acquired fMRI volumes they are not. The null-space projection
# touches only what $A$ cannot see.

# %% [markdown]
# **Think!** Measured volumes carry noise (notebook 02). With $\lambda < 1$ a completion could
# denoise them. How would you choose $\lambda$ from the noise ceiling — and what would you give up?

# %% [markdown]
# <details><summary>An answer</summary>
#
# The Wiener weight: trust a measured value as much as the prediction is uncertain relative to it,
# λ = σ²_pred / (σ²_pred + σ²_noise), where σ²_pred is the prediction's error variance and σ²_noise the
# measurement noise (`noise_aware_lambda`). The noise ceiling estimates the noise: for z-scored BOLD with
# ceiling r, the noise variance is about 1 − r². What you give up is exact consistency — A x̂ no longer
# equals y — which matters when the measured volumes must stay as acquired. What you gain is accuracy:
# notebook 09 measures DDNM+ (λ < 1) bringing the measured volumes closer to the noise-free BOLD than the
# measurements themselves. That is why section 5's "blending" is not wrong in itself: with a fixed ½ it
# ignores the noise level, and the right weight comes from it.
#
# </details>

# %% [markdown]
# ## Self-check quiz (~3 min)
#
# 3 questions on this notebook. Write the letter of each answer in `my_answers` and run the
# cell: every wrong answer is named with the reason it is wrong.

# %%
from neuroframes_edu.course.quiz import check_quiz, show_quiz

show_quiz("05")


# %% tags=["hide-input", "hide-output"]
def my_answers():
    #################################################
    ## TODO for students: the letter of your answer to each question, e.g. {1: "a", 2: "c", 3: "b"}.
    # raise NotImplementedError("Student exercise: answer the quiz above")
    #################################################
    return {1: "d", 2: "b", 3: "a"}


assert check_quiz("05", my_answers())

# %% [markdown]
# ## Summary
#
# - Every sequence splits into what the measurements see (range, $A^\dagger A x$) and what they cannot
#   (null space, $(I - A^\dagger A)x$); $\hat x = A^\dagger y + (I - A^\dagger A)x_\text{pred}$ takes the first
#   from the data and the second from the prediction, so $A\hat x = y$ exactly.
# - Frame masks (missing volumes, sub-TR frames) make it a paste; blurring operators need $A^\dagger$ by SVD.
# - Measurement-aware completion keeps every volume and matches or beats interpolation; blending breaks
#   consistency — it is DDNM+ with λ = ½.
#
# **What next:** notebook 06 makes the predictions themselves coherent in time.
