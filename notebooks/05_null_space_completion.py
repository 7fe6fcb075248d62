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
# **Expected time:** 60 minutes · **Prerequisites:** notebooks 02 (frames, volumes and the noise
# ceiling) and 03 (the ridge baseline); linear algebra: matrix rank, the SVD and the pseudo-inverse.
#
# **Which data?** This notebook runs the simulator's `generous` regime (`REGIME` in the parameters
# cell): EEG–BOLD coupling stronger and BOLD cleaner than in any published recording, so that the
# method's mechanics show in a few minutes of data on a CPU. Its lessons are about measurements and
# noise rather than about how much the EEG explains, and every claim it asserts also holds on the
# `default` regime, calibrated to real recordings (notebook 02, Section 7): run it with
# `REGIME = "default"` to see the same conclusions with noisier volumes and a fainter EEG prediction.
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
# That guarantee is exactly right when the measurements are clean. fMRI volumes are not: notebook 02
# showed that a measured volume is the BOLD signal plus noise. So this notebook scores every method
# **twice** — against the held-out measurements, which is all a real study has, and against the
# simulator's noise-free BOLD, which is what we actually want — and follows the ground truth where the
# two disagree.
#
# ## Tutorial objectives
# By the end of this notebook you will be able to:
# 1. **decompose** a sequence into its range and null-space parts for a given operator, and
#    **implement** the projection that keeps measured frames exact;
# 2. **score** completions against held-out measurements *and* the noise-free truth, and **explain**
#    why the two can rank methods differently;
# 3. **choose** the DDNM+ weight λ of noisy measurements from their noise level, and **show** that it
#    beats keeping them exactly;
# 4. **use** the sampling theorem to explain why frames between volumes are a denoising problem,
#    and compare completion with linear interpolation and a temporal Gaussian process;
# 5. **stabilise** $A^\dagger y$ for a blurring operator with truncated SVD or Tikhonov regularisation;
# 6. **run** the projection inside a diffusion sampler, the bridge to the paper's model (notebook 09).

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
import torch
from scipy.signal import welch

from neuroframes_edu.baselines import RidgeFingerprint, interpolate_frames
from neuroframes_edu.course.exercises import check_noise_weight, check_null_space_projection
from neuroframes_edu.data import EEG_WINDOW, load_dataset
from neuroframes_edu.features import band_power, band_power_series
from neuroframes_edu.metrics import mse, zscore
from neuroframes_edu.nn import NoiseSchedule, ddim_sample
from neuroframes_edu.nullspace import (
    FrameMask,
    TemporalOperator,
    blurred_decimation,
    complete_frames,
    complete_known,
    measurement_consistency,
)
from neuroframes_edu.simulate import hrf_basis
from neuroframes_edu.smoothing import TemporalGP, noise_aware_weights

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
# ## 2. Missing volumes, scored twice (~12 min)
#
# Now a held-out session: 10 minutes, 5,124 vertices. We need a prediction of every volume from EEG;
# any predictor will do, so we use the ridge "EEG fingerprint" of notebook 03 (fit on session 1).
# Then we hide a fraction of the valid volumes of session 3 and fill them in with:
#
# - **linear** and **cubic interpolation** of the measured neighbours (no EEG);
# - **ridge + DDNM (mask)**: the projection above with a frame mask — measured volumes pasted in, the
#   EEG prediction everywhere else;
# - **ridge + interpolated residuals** (`complete_frames`): the prediction corrected by the measured
#   residuals $y - Ax_\text{pred}$, interpolated linearly in time, plus a share (`detail`) of the
#   prediction's own wiggles between volumes. With a zero prediction it *is* linear interpolation, so
#   it sits next to linear interpolation by construction: only its difference from it is the EEG's doing;
# - a **temporal Gaussian process** (`smoothing.TemporalGP`): fitted on session 1, it knows how BOLD
#   covaries over time and how much of it is white noise, so it *smooths* the measurements while
#   filling the gaps (the Kalman/Wiener smoother; no EEG);
# - and a control that uses nothing at all: the **mean** (0 in z units) at every hidden volume. A
#   method that does not beat it has learned nothing about the hidden volumes.
#
# The simulator also gives the noise-free BOLD at every volume (`truth`), in the same z units.

# %%
dataset = load_dataset(regime=REGIME, subjects=[1])
train, validation, test = dataset[0], dataset[1], dataset[2]  # subject 1: sessions 1, 2 and 3
train_features = band_power(train.raw, train.volume_times, hrf=True)
ridge = RidgeFingerprint().fit(train_features[train.valid], zscore(train.bold[train.valid]))
gp = TemporalGP().fit([zscore(train.bold[train.valid])], [train.volume_times[train.valid]])

usable = test.usable  # valid volumes with 16 s of EEG before them, for the HRF features
times = test.volume_times[usable]
measured = zscore(test.bold[usable])  # every vertex z-scored over the session
# the noise-free BOLD at the same volumes, in the units of the z-scored measurements
truth = zscore(test.truth.frames[test.truth.frame_index(times)], reference=test.bold[usable])
test_series = band_power_series(test.raw)  # filtered once, sampled twice (volumes here, frames in section 4)
prediction = ridge.predict(band_power(None, times, hrf=True, series=test_series))
print(f"{len(times)} usable volumes × {measured.shape[1]:,} vertices; ridge prediction ready")
print(f"the measured volumes differ from the noise-free BOLD by MSE {mse(measured, truth):.3f}: their noise")

# %%
def completion_scores(fraction_missing, seed=SEED):
    """MSE on hidden volumes against the held-out measurements and against the noise-free truth."""
    r = np.random.default_rng(seed)
    hidden = r.random(len(times)) < fraction_missing
    hidden[[0, -1]] = False  # keep both ends measured: interpolation cannot extrapolate
    known = ~hidden
    plain = FrameMask(known).project(prediction, measured[known])
    resid = complete_frames(prediction, measured, known, times, detail=0.5)
    smooth = gp.predict(times, measured, known)
    out = {"linear interpolation": interpolate_frames(times[known], measured[known], times[hidden], "linear"),
           "cubic interpolation": interpolate_frames(times[known], measured[known], times[hidden], "cubic"),
           "ridge + DDNM (mask)": plain[hidden],
           "ridge + interpolated residuals": resid[hidden],
           "temporal GP (no EEG)": smooth[hidden],
           "mean (0): no data, no EEG": np.zeros_like(measured[hidden])}
    scores = {name: (mse(pred, measured[hidden]), mse(pred, truth[hidden])) for name, pred in out.items()}
    exact = max(float(np.abs(plain[known] - measured[known]).max()), float(np.abs(resid[known] - measured[known]).max()))
    return scores, exact, known, {"ridge + interpolated residuals": resid, "temporal GP (no EEG)": smooth}


scores, exact, known, filled = completion_scores(0.5)
print(f"{'50% of volumes hidden':>32} | vs measurements | vs noise-free truth")
for name, (vs_measured, vs_truth) in scores.items():
    print(f"{name:>32} | {vs_measured:15.3f} | {vs_truth:.3f}")
print(f"largest change to any measured volume (DDNM and interpolated residuals): {exact}")
lin, res, ddnm, gp_s, cub, zero = (scores[k] for k in (
    "linear interpolation", "ridge + interpolated residuals", "ridge + DDNM (mask)", "temporal GP (no EEG)",
    "cubic interpolation", "mean (0): no data, no EEG"))
assert exact == 0.0
assert abs(res[0] - lin[0]) < 0.01 and abs(res[1] - lin[1]) < 0.01  # interpolation by construction
assert gp_s[1] == min(s[1] for s in scores.values())  # the best against the truth
assert cub[0] > lin[0] and cub[1] > lin[1]

# %% [markdown]
# **Reading the table.** The measured volumes come back bit for bit (largest change 0.0): that is the
# guarantee, for any prediction. Beyond it:
#
# - The interpolated-residual completion is within 0.01 of linear interpolation on both scores — what
#   the construction promises, and no evidence that the EEG helps.
# - Cubic interpolation is worse than linear on both: it overshoots between noisy samples.
# - Ridge + DDNM fills a hidden volume from the EEG alone; compare it with the mean (0) to see how much
#   the EEG knows about it (the next cell prints the verdicts).
# - The temporal GP, which uses no EEG at all, is the closest to the truth. It wins by *smoothing*:
#   every hidden volume is estimated from several noisy neighbours, each weighed by how much it can be
#   trusted, instead of from the two nearest ones taken at face value.
#
# And the two columns need not agree, as the next cell checks on this regime.

# %%
eeg_vs_interp = {col: ("beats" if ddnm[i] < lin[i] else "loses to") for i, col in
                 enumerate(("the held-out measurements", "the noise-free truth"))}
for col, verdict in eeg_vs_interp.items():
    print(f"scored against {col}, ridge + DDNM {verdict} linear interpolation")
eeg_gain = 1 - ddnm[1] / zero[1]
print(f"MSE against the truth, as a multiple of the mean (0)'s: EEG prediction {ddnm[1] / zero[1]:.2f}, linear "
      f"interpolation {lin[1] / zero[1]:.2f}")
agree = len(set(eeg_vs_interp.values())) == 1
print("the two scores agree here" if agree else
      "the two scores disagree: the measurements' own noise decides the ranking against them")
assert all(gp_s[i] < lin[i] for i in (0, 1))
if REGIME == "generous":
    assert agree and eeg_gain > 0.1
if REGIME == "default":
    assert eeg_vs_interp == {"the held-out measurements": "loses to", "the noise-free truth": "beats"}
    assert abs(eeg_gain) < 0.05 and lin[1] > zero[1]  # the EEG knows ~nothing; interpolation is worse than 0

# %% [markdown]
# Why can the columns disagree? Interpolation copies the noise of the neighbouring volumes, and part of
# that noise is slow (physiological drifts last several seconds), so it is *shared* with the hidden
# volume: against the held-out measurements, copying neighbours is rewarded for predicting noise. The
# noise-free truth does not reward it. The next cell measures that shared part as a covariance between
# each method's error and the hidden volumes' noise.

# %%
hidden = ~known
noise_hidden = measured[hidden] - truth[hidden]
linear_fill = interpolate_frames(times[known], measured[known], times[hidden], "linear")
shared = {"linear interpolation": float(np.mean((linear_fill - truth[hidden]) * noise_hidden)),
          "ridge + DDNM (mask)": float(np.mean((prediction[hidden] - truth[hidden]) * noise_hidden))}
print("error shared with the hidden volumes' noise (covariance):",
      ", ".join(f"{k} {v:.3f}" for k, v in shared.items()))
assert shared["linear interpolation"] > 2 * abs(shared["ridge + DDNM (mask)"])

# %% [markdown]
# Linear interpolation's error shares several times more with the hidden volumes' noise than the EEG
# prediction's, which carries none of the measurement noise. So the noisier the volumes, the worse
# interpolation does against the truth relative to the measurements. On the `default` regime this goes
# as far as it can: linear interpolation of the very noisy volumes is further from the truth than the
# mean (0), so *anything* near the mean — including an EEG prediction that knows almost nothing, as
# the control row shows — "beats" it against the truth while losing against the measurements. A real
# study only has the measurements, which is why the course keeps a simulator with ground truth, and why
# every comparison needs the do-nothing control beside it.

# %%
vertex = int(np.argmax(test.truth.noise_ceiling))  # the vertex with the clearest signal
shown = times < 200
fig, ax = plt.subplots(figsize=(9, 3))
ax.plot(times[shown], truth[shown, vertex], color="C2", lw=1.5, label="noise-free BOLD (truth)")
ax.plot(times[shown & known], measured[shown & known, vertex], "o", ms=3, color="k", label="kept (measured)")
for name, color in (("ridge + interpolated residuals", "C1"), ("temporal GP (no EEG)", "C0")):
    ax.plot(times[shown], filled[name][shown, vertex], color=color, lw=1, label=name)
ax.set(xlabel="time (s)", ylabel="BOLD (z)")
ax.legend(fontsize=8, loc="upper right", ncols=2)
plt.show()

# %% [markdown]
# **Figure 1. One vertex with half of its volumes hidden.** Black dots are the measured volumes; the
# residual completion (orange) passes through every one of them, noise included, while the GP (blue)
# passes near them and stays closer to the noise-free BOLD (green), as it does over all vertices (the
# table above). *Takeaway:* exactness keeps the noise; with noisy volumes the method closest to the
# truth is the one allowed to move off the data.

# %%
def show_missing(fraction=0.5):
    """MSE on hidden volumes against the fraction of volumes hidden, scored both ways."""
    s, err, _, _ = completion_scores(fraction)
    _, axes = plt.subplots(1, 2, figsize=(10, 2.8), sharey=True)
    colors = ["0.6", "0.8", "C3", "C1", "C0", "0.9"]
    for i, (ax, title) in enumerate(zip(axes, ("vs held-out measurements", "vs noise-free truth"), strict=True)):
        ax.barh(list(s), [v[i] for v in s.values()], color=colors)
        ax.set(xlabel="MSE on hidden volumes (z)", title=title)
    axes[0].invert_yaxis()
    plt.suptitle(f"{fraction:.0%} hidden; measured volumes changed by {err}", fontsize=10)
    plt.tight_layout()
    plt.show()


show_missing(0.5)

# %% [markdown]
# **Figure 2. Completion against interpolation at 50% missing volumes, scored against the held-out
# measurements (left) and the noise-free truth (right).** *Takeaway:* against both, the noise-aware GP
# is best, cubic interpolation is worse than linear, and the interpolated-residual completion is linear
# interpolation to within 0.01; whether the EEG prediction beats interpolation depends on the score
# (the printed verdicts above). With more volumes missing, interpolation has farther to reach: the
# next cell scores four fractions against the truth (the slider below redraws the figure for any).

# %%
print(f"{'hidden':>6} | {'linear':>7} | {'ridge + DDNM':>12} | {'GP':>6} | {'mean (0)':>8}   (MSE vs truth)")
gaps = []
for fraction in (0.25, 0.5, 0.75, 0.9):
    s_f = scores if fraction == 0.5 else completion_scores(fraction)[0]  # 50%: scored above
    row = [s_f[k][1] for k in ("linear interpolation", "ridge + DDNM (mask)", "temporal GP (no EEG)",
                               "mean (0): no data, no EEG")]
    gaps.append(row[0] - row[1])
    print(f"{fraction:6.0%} | {row[0]:7.3f} | {row[1]:12.3f} | {row[2]:6.3f} | {row[3]:8.3f}")
assert np.all(np.diff(gaps) > 0)  # interpolation falls behind the EEG as gaps widen

# %% [markdown]
# The EEG prediction's error hardly depends on how many volumes are hidden (it never looks at the
# measurements), while interpolation's grows with the gaps: the more is missing, the more the
# prediction matters — on the `generous` regime, where it knows something. On `default`, the
# prediction stays at the level of the mean (0).

# %% tags=["remove-output"]
# NBVAL_IGNORE_OUTPUT
_ = widgets.interact(show_missing, fraction=widgets.FloatSlider(value=0.5, min=0.1, max=0.9, step=0.1))

# %% [markdown]
# ## 3. Noisy measurements: keep them, or weigh them? (~10 min)
#
# At the *measured* volumes the exact projection keeps the data, noise and all. An intuitive
# alternative — the kind a first sketch of this architecture tends to contain — averages the prediction
# with the measurements there: $\hat x = \tfrac12 (x_\text{pred} + y)$. It breaks the guarantee
# ($A\hat x - y = \tfrac12(Ax_\text{pred} - y) \neq 0$). Is it worse? Score both against the truth.

# %%
mask = FrameMask(known)
kept = mask.project(prediction, measured[known])  # exact: λ = 1
blended = mask.project(prediction, measured[known], lam=0.5)  # the ½ blend is DDNM+ with λ = ½
assert np.allclose(blended[known], 0.5 * (prediction[known] + measured[known]))
at_measured = {"the measurements (exact projection)": kept[known], "the EEG prediction alone": prediction[known],
               "their ½ blend": blended[known]}
for name, x in at_measured.items():
    print(f"{name:>36}: MSE {mse(x, truth[known]):.3f} against the noise-free BOLD")
print(f"consistency ‖A x̂ − y‖/‖y‖: exact {measurement_consistency(kept, measured[known], mask):.1e}, "
      f"blend {measurement_consistency(blended, measured[known], mask):.3f}")
mse_keep, mse_pred, mse_blend = (mse(x, truth[known]) for x in at_measured.values())
assert mse_blend < min(mse_keep, mse_pred)

# %% [markdown]
# The blend is closer to the truth than **either** of its ingredients. Nothing mysterious: the
# measurement and the prediction are two noisy estimates of the same value whose errors are nearly
# independent (the measurement's error is scanner and physiological noise, the prediction's is what the
# EEG misses), and averaging independent errors shrinks them. What the fixed ½ ignores is *how* noisy
# each estimate is. The minimum-error weight of the measurement is the **Wiener weight**
#
# $$\lambda = \frac{\sigma_p^2}{\sigma_p^2 + \sigma_n^2}, \qquad \hat x = x_\text{pred} + \lambda\,(y - x_\text{pred})
# \ \text{at measured frames},$$
#
# with $\sigma_n^2$ the measurement noise and $\sigma_p^2$ the prediction's error: trust the data more
# when the prediction is poor, less when the data are noisy. With $\lambda < 1$ the projection is
# **DDNM+** (Wang et al. 2023), `project(..., lam=λ)`; with clean data ($\sigma_n^2 = 0$)
# $\lambda = 1$ and it is exact DDNM again. Both variances come from quantities you can measure:
#
# - the **noise ceiling** $r$ of notebook 02 is the correlation of a measured series with its noise-free
#   signal, so a z-scored series has noise variance $\sigma_n^2 = 1 - r^2$ (in a real study $r$ comes
#   from repeated runs of the same stimulus; here from the simulator, on the *validation* session);
# - the variance of the prediction's residuals on a validation session, $\mathrm{var}(y - x_\text{pred})$,
#   holds both errors, so $\sigma_p^2 = \max(\mathrm{var}(y - x_\text{pred}) - \sigma_n^2,\ 0)$.

# %% [markdown]
# ### Coding exercise 3.1: the noise-aware weight
# Write `choose_lambda(noise_ceiling, residual_var)`: both are arrays with one value per vertex; return
# λ per vertex. The check names the usual mistakes.

# %% tags=["hide-input"]
def choose_lambda(noise_ceiling, residual_var):
    """λ = σ_p² / (σ_p² + σ_n²) per vertex, from the noise ceiling r and the residual variance."""
    #################################################
    ## TODO for students: σ_n² = 1 − r²; σ_p² = residual_var − σ_n², clipped at 0; then the Wiener weight.
    # raise NotImplementedError("Student exercise: choose the DDNM+ weight from the noise level")
    #################################################
    noise_var = 1 - np.asarray(noise_ceiling) ** 2
    prior_var = np.clip(np.asarray(residual_var) - noise_var, 0, None)
    return prior_var / np.maximum(prior_var + noise_var, 1e-12)


assert check_noise_weight(choose_lambda)
print("choose_lambda agrees with neuroframes_edu.smoothing.noise_aware_weights(..., noise_ceiling=r)")

# %%
val_usable = validation.usable
val_measured = zscore(validation.bold[val_usable])
val_prediction = ridge.predict(band_power(validation.raw, validation.volume_times[val_usable], hrf=True))
val_residual = val_measured - val_prediction
ceiling = validation.truth.noise_ceiling  # in a real study: from repeated runs
lam = choose_lambda(ceiling, val_residual.var(axis=0))
assert np.allclose(lam, noise_aware_weights([val_measured], [val_residual], noise_ceiling=ceiling))
# the same weight with the noise estimated from the measurements alone (their white part)
lam_white = noise_aware_weights([val_measured], [val_residual], times=[validation.volume_times[val_usable]])
print(f"median λ: {np.median(lam):.2f} from the noise ceiling, {np.median(lam_white):.2f} from the "
      "autocovariance of the measurements alone")

weighted = {"keep (λ = 1, exact DDNM)": 1.0, "½ blend (λ = ½)": 0.5,
            "λ from the autocovariance": lam_white, "λ from the noise ceiling (DDNM+)": lam}
results = {}
for name, weight in weighted.items():
    x = complete_known(prediction, measured, known, lam=weight)
    results[name] = (mse(x[known], truth[known]), measurement_consistency(x, measured[known], mask))
# the control: the same weighting against the mean (0) instead of the EEG prediction — shrinkage, no EEG
lam_mean = choose_lambda(ceiling, val_measured.var(axis=0))
x_mean = complete_known(np.zeros_like(measured), measured, known, lam=lam_mean)
results["λ from the noise ceiling, mean (0)"] = (mse(x_mean[known], truth[known]),
                                                  measurement_consistency(x_mean, measured[known], mask))
results["temporal GP smoothing (no EEG)"] = (mse(filled["temporal GP (no EEG)"][known], truth[known]),
                                             measurement_consistency(filled["temporal GP (no EEG)"],
                                                                     measured[known], mask))
print(f"{'at the measured volumes':>34} | MSE vs truth | ‖A x̂ − y‖/‖y‖")
for name, (err, cons) in results.items():
    print(f"{name:>34} | {err:12.3f} | {cons:.3f}")
best = results["λ from the noise ceiling (DDNM+)"][0]
assert best < results["½ blend (λ = ½)"][0] < results["keep (λ = 1, exact DDNM)"][0]
assert best < results["λ from the autocovariance"][0]
shrink = results["λ from the noise ceiling, mean (0)"][0]
eeg_share = round((shrink - best) / (results["keep (λ = 1, exact DDNM)"][0] - best), 2) + 0.0  # no "-0%"
print(f"DDNM+ is {1 - best / results['keep (λ = 1, exact DDNM)'][0]:.0%} closer to the truth than keeping the "
      f"measurements; of that gain, the EEG prediction's share (against weighting towards the mean) is "
      f"{eeg_share:.0%}")
assert best <= shrink + 0.005 and eeg_share < 0.25  # mostly denoising; the EEG adds a little or nothing

# %% [markdown]
# The noise-aware weight wins, and by a wide margin over exactness. But look at the control row: the
# same weighting of the measurements against the *mean* (0), with no EEG at all, gets nearly all of
# the way — DDNM+'s gain is almost all **denoising**, shrinking noisy volumes towards what is expected,
# and only a small rest is the EEG's (its share is printed above; on the `default` regime it is none).
# The estimate from the measurements alone (`noise_aware_weights` without a ceiling) sees only the
# *white* part of the noise — the slow physiological part looks like signal to an autocovariance — so
# it trusts the data too much (a larger λ) and lands between. The GP, with no EEG, smooths the measured
# volumes too; the last column shows what everyone except exact DDNM gives up: $A\hat x \neq y$.

# %%
lams = np.linspace(0, 1, 21)
curve_truth, curve_data = [], []
for v in lams:
    at_known = complete_known(prediction, measured, known, lam=float(v))[known]
    curve_truth.append(mse(at_known, truth[known]))
    curve_data.append(mse(at_known, measured[known]))
fig, ax = plt.subplots(figsize=(7, 3))
ax.plot(lams, curve_truth, color="C2", label="vs noise-free truth")
ax.plot(lams, curve_data, color="0.4", ls="--", label="vs the measurements themselves")
ax.axhline(best, color="C1", lw=1, label="per-vertex λ from the noise ceiling, vs truth")
ax.set(xlabel="λ (one weight for every vertex)", ylabel="MSE at measured volumes (z)")
ax.legend(fontsize=8)
plt.show()
best_single = float(lams[int(np.argmin(curve_truth))])
print(f"best single λ against the truth: {best_single:.2f}; against the measurements: λ = 1 (MSE 0 by construction)")
assert curve_data[-1] == 0.0 and 0 < best_single < 1 and best <= min(curve_truth) + 1e-9

# %% [markdown]
# **Figure 3. The weight of the measurements, scored two ways.** Against the measurements themselves
# (dashed) keeping them (λ = 1) is perfect by construction; against the noise-free BOLD (green) it is
# far from the best, which lies in between (the best single weight is printed above). A weight per
# vertex, from its noise ceiling (orange line), does better than any single one.
# *Takeaway:* exact consistency is right for clean measurements; for noisy ones, weigh them by their
# noise — that is DDNM+, and the ½ "blend" was only its crude version.

# %% [markdown]
# **Think!** Here the noise ceiling came from the simulator. How would you estimate it in a real
# study, and what happens to λ and to the error if your estimate of the ceiling is too high?

# %% [markdown]
# <details><summary>An answer</summary>
#
# From repeated measurements of the same signal: two runs of the same film or task, correlated
# vertex by vertex. Careful with the square: each run is signal plus its own noise, so the correlation
# ρ between two runs is the signal's share of the variance, $r^2$ — the noise variance is $1 - \rho$,
# not $1 - \rho^2$. And a caveat that matters for this course: repeats keep only what is locked to the
# stimulus. Spontaneous activity — much of what the EEG tracks — differs between runs and counts as
# noise there, so a repeat-based ceiling overstates the noise of spontaneous BOLD and gives a λ that is
# too small. A ceiling that is too high means too little noise, so λ moves towards 1 and the completion
# keeps more of the noise — the autocovariance estimate above is exactly that mistake (it misses the
# slow noise), and its error lies between DDNM+ and exact DDNM in the table. Near the optimum the curve
# is flat (Figure 3), so a rough estimate already gives most of the gain.
#
# </details>

# %% [markdown]
# ## 4. Between the volumes: sub-TR frames and the sampling theorem (~7 min)
#
# The simulator keeps the noise-free BOLD every 0.2 s, four frames per TR — **sub-TR BOLD frames**,
# the high-frame-rate movie we would like to see. The measured volumes sit on every fourth frame.
# Before comparing methods, ask how much there is to reconstruct between the volumes at all. The
# **sampling theorem** says that a signal with no power above half the sampling rate (the Nyquist
# frequency, $1/(2\,\mathrm{TR})$) is fully determined by its samples (exactly, through sinc
# interpolation). BOLD is the neural activity filtered by the haemodynamic response, a low-pass filter
# that passes almost nothing above 0.2 Hz. So look at its spectrum.

# %%
period = test.truth.config.frame_period
tr = float(np.median(np.diff(test.volume_times)))
nyquist = 1 / (2 * tr)
freqs, power = welch(test.truth.frames - test.truth.frames.mean(axis=0), fs=1 / period, nperseg=512, axis=0)
power = power.mean(axis=1)  # averaged over vertices
above = float(power[freqs > nyquist].sum() / power.sum())
print(f"TR {tr:.2f} s → Nyquist frequency {nyquist:.3f} Hz; share of the noise-free BOLD's power above it: {above:.1e}")

fine_times = test.truth.frame_times
on_grid = np.zeros(len(fine_times), dtype=bool)
on_grid[test.truth.frame_index(test.volume_times[test.valid])] = True
fine_truth = zscore(test.truth.frames, reference=test.bold[test.valid])  # in the measurements' z units
measured_fine = np.zeros_like(fine_truth)
measured_fine[on_grid] = zscore(test.bold[test.valid])
keep = fine_times >= EEG_WINDOW
fine_pred = ridge.predict(band_power(None, fine_times[keep], hrf=True, series=test_series))
t_k, grid_k, truth_k, meas_k = fine_times[keep], on_grid[keep], fine_truth[keep], measured_fine[keep]
between = ~grid_k
sr = {"linear interpolation of noise-free volumes": interpolate_frames(t_k[grid_k], truth_k[grid_k],
                                                                         t_k[between], "linear"),
      "linear interpolation": interpolate_frames(t_k[grid_k], meas_k[grid_k], t_k[between], "linear"),
      "cubic interpolation": interpolate_frames(t_k[grid_k], meas_k[grid_k], t_k[between], "cubic"),
      "ridge + interpolated residuals": complete_frames(fine_pred, meas_k, grid_k, t_k, detail=0.5)[between],
      "temporal GP (no EEG)": gp.predict(t_k, meas_k, grid_k)[between]}
sr_mse = {name: mse(pred, truth_k[between]) for name, pred in sr.items()}
for name, value in sr_mse.items():
    print(f"{name:>42}: MSE {value:.4f} against the true intermediate frames")
volume_noise = mse(meas_k[grid_k], truth_k[grid_k])
print(f"(the measured volumes themselves differ from the truth by MSE {volume_noise:.3f}: their noise)")
assert above < 1e-4 and sr_mse["linear interpolation of noise-free volumes"] < 0.01 * volume_noise
assert sr_mse["temporal GP (no EEG)"] < sr_mse["linear interpolation"] < sr_mse["cubic interpolation"]
assert abs(sr_mse["ridge + interpolated residuals"] - sr_mse["linear interpolation"]) < 0.01

# %%
fig, ax = plt.subplots(figsize=(7, 2.8))
ax.semilogy(freqs, power / power.max(), color="C2")
ax.axvline(nyquist, color="k", ls="--", lw=1, label=f"Nyquist frequency of the TR ({nyquist:.2f} Hz)")
ax.set(xlabel="frequency (Hz)", ylabel="power (relative)", xlim=(0, 1 / (2 * period)))
ax.legend(fontsize=8)
plt.show()

# %% [markdown]
# **Figure 4. The spectrum of the noise-free BOLD, sampled every 0.2 s.** Its power falls by orders of
# magnitude well before the Nyquist frequency of the volumes (dashed); the share above it is printed
# above. *Takeaway:* the volumes already determine the BOLD between them. Even linear interpolation,
# far cruder than the theorem's sinc, misses less than 1% of the volumes' own noise on *noise-free*
# volumes, because the BOLD's power lies far below the Nyquist frequency: a TR is a small fraction of
# its slowest swings. What separates the methods on the noisy volumes is only how they treat that
# noise: the GP smooths it and wins; linear interpolation copies it; cubic amplifies it; the
# interpolated-residual completion is linear interpolation again (within 0.01), because the ridge
# prediction, built from HRF-smoothed band power, has no detail between volumes to add. Temporal
# super-resolution of BOLD is a denoising problem. The EEG's millisecond resolution is worth something
# for the *neural* activity beneath the BOLD — which the volumes blur, as the next section shows — not
# for the BOLD between volumes.

# %% [markdown]
# ## 5. Blurred measurements: when $A^\dagger$ amplifies noise (~8 min)
#
# Suppose we wanted the fast **neural** time course rather than BOLD. Each volume is then a
# haemodynamically *blurred* sum of many past frames, decimated: $A$ = decimate ∘ convolve-with-HRF.
# That $A$ is not a selection; `blurred_decimation` builds it and `TemporalOperator` computes $A^\dagger$
# once by SVD. On clean measurements the completion reproduces every measurement exactly.

# %%
hrf = hrf_basis(period, length=20.0)[0]
n_frames = 120  # 24 s of frames
A_blur = blurred_decimation(n_frames, 4, hrf / hrf.sum())
t_fine = 30.0 + np.arange(n_frames) * period
networks = test.truth.network_names
neural = np.stack([np.interp(t_fine, test.truth.neural_times, test.truth.network_activity[:, j])
                   for j in range(len(networks))], axis=1)  # (frames, networks): one column per network
y_blur = A_blur.apply(neural)
guess = np.zeros_like(neural)  # no prediction at all
x_hat_blur = A_blur.project(guess, y_blur)
consistency = measurement_consistency(x_hat_blur, y_blur, A_blur)
print(f"A is {A_blur.n_measurements} × {A_blur.n_frames} with rank {A_blur.rank}; ‖A x̂ − y‖/‖y‖ = {consistency:.1e}")
print(f"the HRF at lag 0 is {hrf[0]:.1f}: the first volume sees none of the frames, hence rank "
      f"{A_blur.n_measurements} − 1")
assert consistency < 1e-6 and A_blur.rank <= A_blur.n_measurements

# %% [markdown]
# Now add noise to $y$ — 1% and 10% of its standard deviation, far less than fMRI carries — and look
# at $A^\dagger y$ alone. The SVD $A = U\,\mathrm{diag}(s)\,V^\top$ gives $A^\dagger = V\,\mathrm{diag}(1/s)\,U^\top$:
# every singular value is inverted, and a smooth HRF makes some of them tiny, so the noise along their
# directions is multiplied by huge factors. Two standard fixes bound $1/s$: **truncated SVD** drops
# singular values below a cut-off (`rcond`), and **Tikhonov** regularisation inverts each one as
# $s / (s^2 + \varepsilon\, s_\text{max}^2)$ (`tikhonov=ε`). Both give up exactness on $y$ — which is noisy
# anyway. Below, $A^+$ stands for any of these inverses, exact or regularised.

# %%
singular = np.linalg.svd(A_blur.matrix().numpy(), compute_uv=False)
kept_s = singular[: A_blur.rank]
print(f"singular values kept: {kept_s.max():.2f} … {kept_s.min():.1e} (condition number {kept_s.max() / kept_s.min():.0e})")
noise_rng = np.random.default_rng(SEED)
epsilons = np.logspace(-6, -1, 11)
cutoffs = np.logspace(-4, -0.5, 8)
blur_errors = {}
for level in (0.01, 0.1):
    y_noisy = y_blur + level * y_blur.std() * noise_rng.standard_normal(y_blur.shape)

    def error(op, y=y_noisy):
        return float(np.linalg.norm(op.pinv(y) - neural) / np.linalg.norm(neural))

    blur_errors[level] = {
        "A†y": error(A_blur),
        "Tikhonov": [error(blurred_decimation(n_frames, 4, hrf / hrf.sum(), tikhonov=e)) for e in epsilons],
        "truncated SVD": [error(TemporalOperator(A_blur.matrix(), rcond=c)) for c in cutoffs]}
clean_error = float(np.linalg.norm(A_blur.pinv(y_blur) - neural) / np.linalg.norm(neural))
print(f"relative error ‖A⁺y − x‖/‖x‖ of the neural time courses (clean y: {clean_error:.2f}, the null space, "
      f"which holds {clean_error ** 2:.0%} of their energy)")
for level, e in blur_errors.items():
    best_eps = epsilons[int(np.argmin(e["Tikhonov"]))]
    print(f"  {level:.0%} noise: A†y {e['A†y']:.0f}; Tikhonov best {min(e['Tikhonov']):.2f} (ε = {best_eps:.0e}); "
          f"truncated SVD best {min(e['truncated SVD']):.2f}")
for e in blur_errors.values():
    assert e["A†y"] > 10 and min(e["Tikhonov"]) < 1 and min(e["truncated SVD"]) < 1
best_eps_by_level = [epsilons[int(np.argmin(blur_errors[lv]["Tikhonov"]))] for lv in (0.01, 0.1)]
assert best_eps_by_level[0] < best_eps_by_level[1]  # more noise, more regularisation

# %%
fig, axes = plt.subplots(1, 2, figsize=(10, 2.8))
ax = axes[0]
ax.plot(t_fine, neural[:, 0], color="k", lw=1, label=f"true neural frames ({networks[0]})")
ax.plot(t_fine, np.asarray(x_hat_blur)[:, 0], color="C1", label="A†y, clean y (no prediction)")
ax.set(xlabel="time (s)", ylabel="activity (a.u.)")
ax.legend(fontsize=8)
ax = axes[1]
for level, color in ((0.01, "C0"), (0.1, "C3")):
    ax.loglog(epsilons, blur_errors[level]["Tikhonov"], color=color, marker="o", ms=3, label=f"{level:.0%} noise")
    ax.axhline(blur_errors[level]["A†y"], color=color, ls=":", lw=1)
ax.set(xlabel="Tikhonov ε", ylabel="‖A⁺y − x‖ / ‖x‖", title="dotted: exact A†y")
ax.legend(fontsize=8)
plt.tight_layout()
plt.show()

# %% [markdown]
# **Figure 5. Left: with a blurring operator and clean measurements, $A^\dagger y$ (orange) pins down only a
# smooth part of the neural time course;** the rest lies in the null space and must come from a
# prediction — here 30 blurred measurements of 120 frames, of rank at most 30, so three quarters of the
# time course's *dimensions* or more, though only a small share of its energy (printed above: these
# slow network time courses are mostly what the blur keeps). **Right: with noisy measurements the exact $A^\dagger y$ (dotted) is off by many
# times the signal itself; Tikhonov regularisation brings the error below the signal's size**, and the
# best ε grows with the noise (printed above). *Takeaway:* "exact for any linear $A$" is a statement
# about clean data; with noise, regularise the inverse and let the prediction fill what the
# measurements cannot resolve.

# %% [markdown]
# ## 6. The projection inside a sampler (~7 min)
#
# So far the projection ran **once**, after a prediction. In DDNM, and in the paper's model, it runs
# inside every step of a diffusion sampler: the sampler turns noise into a sequence step by step; at
# each step a denoiser estimates the clean sequence $\hat x_0$, the projection replaces its range part
# by the measurements, and the next, less noisy sample is built from the corrected $\hat x_0$. The
# measurements then steer what the sampler generates *around* them, not only at them.
#
# To see why that matters without training anything, take a prior we know exactly: BOLD time courses
# as a Gaussian process, with the temporal covariance $C$ of a GP fitted like section 2's, but on the
# *noise-free* training BOLD. For a Gaussian prior the best denoiser has a closed form: from a noisy sample
# $z_t = \sqrt{\bar\alpha_t}\,x_0 + \sqrt{1-\bar\alpha_t}\,\varepsilon$,
# $\ \mathbb E[x_0 \mid z_t] = \sqrt{\bar\alpha_t}\,C\,(\bar\alpha_t C + (1-\bar\alpha_t) I)^{-1} z_t$.
# Notebook 09 replaces it by a trained network conditioned on EEG; the sampler (`nn.ddim_sample`) is the
# same. The task: windows of 20 volumes (16 s) with three measured anchors each (first, middle, last),
# measured without noise — the setting where the exact projection is right.

# %%
window, anchors = 20, [0, 9, 19]
prior_gp = TemporalGP().fit([zscore(train.truth.frames[train.truth.frame_index(train.volume_times[train.valid])],
                                    reference=train.bold[train.valid])], [train.volume_times[train.valid]])
lags = np.abs(np.subtract.outer(np.arange(window), np.arange(window))) * tr
C = torch.as_tensor(prior_gp.kernel_.signal(lags) + 1e-6 * np.eye(window))
schedule = NoiseSchedule(1000)


def gaussian_denoiser(z, t):
    """ε̂ of the exact posterior-mean denoiser for the Gaussian prior C; z is (batch, frames, vertices)."""
    abar = schedule.alphas_cumprod[int(t[0])]
    gain = abar.sqrt() * C @ torch.linalg.inv(abar * C + (1 - abar) * torch.eye(window, dtype=C.dtype))
    x0 = torch.einsum("st,btv->bsv", gain, z)
    return (z - abar.sqrt() * x0) / (1 - abar).sqrt()


n_windows = len(times) // window
columns = np.random.default_rng(SEED).choice(measured.shape[1], 400, replace=False)  # 400 vertices
clean = truth[: n_windows * window, columns].reshape(n_windows, window, -1)  # the noise-free BOLD
known_w = np.isin(np.arange(window), anchors)
anchor_mask = FrameMask(known_w)
y_anchor = torch.as_tensor(clean[:, known_w])
inside, after = [], []
for s in range(8):
    start = torch.randn(clean.shape, generator=torch.Generator().manual_seed(SEED + s), dtype=torch.float64)
    inside.append(ddim_sample(gaussian_denoiser, schedule, start, steps=20,
                              correct=lambda z0, *_: anchor_mask.project(z0, y_anchor)).numpy())
    after.append(anchor_mask.project(ddim_sample(gaussian_denoiser, schedule, start, steps=20), y_anchor).numpy())
gap = ~known_w
cov_kk, cov_qk = C.numpy()[np.ix_(known_w, known_w)], C.numpy()[np.ix_(gap, known_w)]
posterior_mean = np.einsum("qk,wkv->wqv", cov_qk @ np.linalg.inv(cov_kk), clean[:, known_w])
linear_w = np.stack([interpolate_frames(np.arange(window)[known_w] * tr, w[known_w], np.arange(window)[gap] * tr,
                                        "linear") for w in clean])
sampler = {"projection after sampling (one sample)": after[0][:, gap],
           "projection inside the sampler (one sample)": inside[0][:, gap],
           "inside, mean of 8 samples": np.mean(inside, axis=0)[:, gap],
           "posterior mean (closed form)": posterior_mean,
           "linear interpolation": linear_w}
def window_mse(x):
    """MSE over windows × frames × vertices, against the noise-free frames between the anchors."""
    return mse(x.reshape(-1, x.shape[-1]), clean[:, gap].reshape(-1, x.shape[-1]))


sampler_mse = {name: window_mse(x) for name, x in sampler.items()}
print(f"{n_windows} windows × 400 vertices; MSE on the 17 frames between anchors (prior variance "
      f"{float(np.mean(clean[:, gap] ** 2)):.3f}):")
for name, value in sampler_mse.items():
    print(f"{name:>44}: {value:.3f}")
print(f"largest change to an anchor: {max(np.abs(x[:, known_w] - clean[:, known_w]).max() for x in inside):.1e}")
# error of a mean of n samples = bias² + spread / n: from n = 1 and n = 8, the limit of infinitely many
one, eight = sampler_mse["projection inside the sampler (one sample)"], sampler_mse["inside, mean of 8 samples"]
spread = (one - eight) * 8 / 7
print(f"the mean of infinitely many samples would reach about {one - spread:.3f}; the posterior mean "
      f"{sampler_mse['posterior mean (closed form)']:.3f}")
assert one - spread > sampler_mse["posterior mean (closed form)"]
assert (sampler_mse["posterior mean (closed form)"] <= sampler_mse["inside, mean of 8 samples"]
        < sampler_mse["projection inside the sampler (one sample)"]
        < 0.6 * sampler_mse["projection after sampling (one sample)"])
assert (sampler_mse["projection inside the sampler (one sample)"] > 2 * sampler_mse["posterior mean (closed form)"]
        and abs(sampler_mse["linear interpolation"] / sampler_mse["posterior mean (closed form)"] - 1) < 0.1)

# %% [markdown]
# **What the numbers say.** Projecting after sampling pastes the anchors into a sequence generated
# without them: the frames between are an unconditional draw, about twice the prior variance away from
# the truth. Projecting inside the sampler lets every step see the anchors, and the frames between bend
# towards them: one sample's error is about half of that. One sample is still a *sample* — a plausible
# sequence, not the most likely one — so averaging several removes part of its error. Not all of it:
# the mean of infinitely many samples (extrapolated above) would still be further from the truth than
# the posterior mean, which for a Gaussian prior we can compute directly and which is the best possible
# here (linear interpolation, on clean smooth anchors, is about as good). DDNM's sampler is only an
# approximation of exact posterior sampling — an exact posterior sample would miss the truth by twice
# the posterior mean's error, and one DDNM sample misses it by more — and with deterministic DDIM
# (η = 0, as here and in notebook 09) samples differ only by their starting noise. That is why notebook
# 09 reports the mean of several samples beside a single one, and the spread of the samples as an
# uncertainty.

# %%
fig, ax = plt.subplots(figsize=(8, 2.8))
w_show, v_show = 3, 0
t_w = np.arange(window) * tr
ax.plot(t_w, clean[w_show, :, v_show], color="C2", lw=2, label="noise-free BOLD")
ax.plot(t_w[known_w], clean[w_show, known_w, v_show], "ko", label="anchors (measured)")
for s in range(8):
    ax.plot(t_w, inside[s][w_show, :, v_show], color="C1", lw=0.8, alpha=0.6,
            label="projection inside the sampler (8 samples)" if s == 0 else None)
ax.plot(t_w, after[0][w_show, :, v_show], color="0.5", ls="--", lw=1, label="projection after sampling")
ax.set(xlabel="time in the window (s)", ylabel="BOLD (z)")
ax.legend(fontsize=8, ncols=2)
plt.show()

# %% [markdown]
# **Figure 6. One window of one vertex: the anchors steer the sampler.** With the projection inside
# every step (orange) the samples pass through the anchors and bend towards the truth between them;
# their spread is the sampler's uncertainty. Pasted afterwards (grey dashed), the anchors are kept but
# the frames between ignore them. *Takeaway:* inside a sampler the projection is not a final touch-up
# but what conditions the generated frames on the measurements — the mechanism of the paper's model.

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
#   from the data and the second from the prediction, so $A\hat x = y$ exactly. For a frame mask it is a paste.
# - Scored against the noise-free truth, exactness is right only for clean measurements. fMRI volumes
#   are noisy: weighing them against the prediction by their noise (DDNM+, λ from the noise ceiling) is
#   far closer to the truth than keeping them, and a temporal GP that smooths them beats interpolation.
#   Held-out measurements and the truth can rank methods differently; a simulator shows which is right.
# - BOLD has almost no power above the Nyquist frequency of the TR, so the volumes determine the BOLD
#   between them: sub-TR frames of BOLD are a denoising problem, where a smoother (the GP) beats
#   interpolation and the interpolated-residual filler adds nothing to it.
# - Always score beside the do-nothing control (the mean): on calibrated data much of what looks like
#   an EEG gain is shrinkage towards it.
# - For a blurring operator, $A^\dagger$ divides noise by tiny singular values; truncated SVD or Tikhonov
#   regularisation bounds it.
# - Inside a diffusion sampler the projection conditions every step on the measurements, so the frames
#   between them follow; pasted after sampling, it does not.
#
# **What next:** notebook 06 makes the predictions themselves coherent in time; notebook 09 puts this
# projection inside the paper's EEG-conditioned diffusion sampler.
