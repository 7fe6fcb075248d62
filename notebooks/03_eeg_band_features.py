# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# [Open the exercises in Google Colab](https://colab.research.google.com/github/neuroframes-edu/neuroframes-edu/blob/main/notebooks/exercises/03_eeg_band_features.ipynb) · [with worked solutions](https://colab.research.google.com/github/neuroframes-edu/neuroframes-edu/blob/main/notebooks/03_eeg_band_features.ipynb)
#
# # 03 · EEG band features
#
# **Expected time:** 60 minutes · **Prerequisites:** notebooks 00–02.
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
# Decades of simultaneous EEG–fMRI agree on one robust link: the **power** of EEG rhythms tracks BOLD.
# Posterior alpha power falls when visual cortex is active (Goldman et al. 2002; Laufs et al. 2003),
# gamma power rises with it (Scheeringa et al. 2011). This notebook turns EEG into band power per fMRI
# frame, shows that link and its haemodynamic delay, and builds the classic **"EEG fingerprint"**:
# ridge regression from HRF-convolved band power to every vertex. It is the honest baseline that the
# graph model of the next notebooks has to beat.
#
# ## Tutorial objectives
# By the end of this notebook you will be able to:
# 1. **extract** a band's envelope with MNE filtering and the Hilbert transform;
# 2. **compute** log band power in bins yourself, at any sampling rate;
# 3. **measure** how band power and BOLD relate, and at which lag;
# 4. **build** HRF-convolved regressors and fit the ridge "EEG fingerprint" on one session;
# 5. **evaluate** it on a held-out session against the noise ceiling;
# 6. **write** a training loop by hand, with validation and early stopping, and check it against ridge;
# 7. **train** the model's EEG encoder and read which frequencies its learned filters pass.

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
import mne
import numpy as np
import torch
from scipy.signal import hilbert

import neuroframes_edu as nfe
from neuroframes_edu.baselines import RidgeFingerprint
from neuroframes_edu.course.exercises import check_band_power
from neuroframes_edu.data import load_dataset
from neuroframes_edu.features import BANDS, band_power, band_power_series, lagged_correlation
from neuroframes_edu.metrics import evaluate, temporal_r, zscore
from neuroframes_edu.plotting import plot_cortex

# The course's default data: 2 subjects × 3 sessions × 10 minutes on fsaverage ico4, simulated once
# (≈ 10 s per subject) and then read from the cache (a few seconds). This notebook reads subject 1.
dataset = load_dataset(regime=REGIME, subjects=[1])
train_session, test_session = dataset[0], dataset[2]  # subject 1: fit on session 1, test on session 3
mesh = nfe.load_fsaverage(train_session.mesh_name)
raw = train_session.raw
print(f"EEG: {len(raw.ch_names)} channels at {raw.info['sfreq']:g} Hz, {raw.times[-1] + 1 / raw.info['sfreq']:.0f} s")
print(f"{len(dataset)} sessions; training on {train_session.subject}/{train_session.session}, "
      f"testing on {test_session.subject}/{test_session.session}")

# %% [markdown]
# ## 1. From a channel to a band envelope (~12 min)
#
# Band power is computed in three steps: **band-pass** filter (MNE designs a linear-phase FIR filter for
# the recording's own sampling rate), take the **analytic signal** with the Hilbert transform, whose
# magnitude is the instantaneous amplitude (the envelope), and **square** it to get power.

# %%
sfreq = raw.info["sfreq"]
lo, hi = BANDS["alpha"]
oz = raw.get_data(picks=["Oz"])[0]
alpha = mne.filter.filter_data(oz, sfreq, lo, hi, verbose=False)
envelope = np.abs(hilbert(alpha))
print(f"EEG sampled at {sfreq:g} Hz; alpha band {lo:g}–{hi:g} Hz")
assert envelope.shape == oz.shape and np.all(envelope >= np.abs(alpha) - 1e-12)

t = np.arange(oz.size) / sfreq
shown = (t >= 30) & (t < 34)
fig, ax = plt.subplots(figsize=(9, 2.8))
ax.plot(t[shown], 1e6 * oz[shown], color="0.7", lw=0.6, label="Oz, broadband")
ax.plot(t[shown], 1e6 * alpha[shown], lw=0.9, label="alpha band (8–13 Hz)")
ax.plot(t[shown], 1e6 * envelope[shown], color="k", lw=1.5, label="alpha envelope |hilbert|")
ax.set(xlabel="time (s)", ylabel="µV")
ax.legend(fontsize=8, loc="upper right")
plt.show()

# %% [markdown]
# **Figure 1. Four seconds of Oz, its alpha band and the alpha envelope.** *Takeaway:* the envelope
# follows the waxing and waning of the rhythm; its square, averaged over short bins, is the band power
# that EEG-informed fMRI relates to BOLD.

# %% [markdown]
# ### Coding exercise 1.1: log band power in bins
# Write `log_band_power(data, sfreq, band, rate)` for an array `data` of shape `(n_channels, n_samples)`:
# band-pass each channel, square the Hilbert envelope, average it in consecutive bins of
# `round(sfreq / rate)` samples (dropping an incomplete last bin) and return the natural log, shape
# `(n_channels, n_bins)`. The check runs it at 250 Hz and 500 Hz, so compute the bin size from `sfreq`.

# %% tags=["hide-input"]
def log_band_power(data, sfreq, band, rate):
    """Log power of each channel in ``band`` (Hz), averaged in bins of ``1 / rate`` seconds."""
    #################################################
    ## TODO for students: filter, |hilbert|², bin means, log.
    # raise NotImplementedError("Student exercise: compute log band power in bins")
    #################################################
    filtered = mne.filter.filter_data(data, sfreq, band[0], band[1], verbose=False)
    power = np.abs(hilbert(filtered, axis=1)) ** 2
    per_bin = int(round(sfreq / rate))
    n_bins = data.shape[1] // per_bin
    return np.log(power[:, : n_bins * per_bin].reshape(len(data), n_bins, per_bin).mean(axis=2))


assert check_band_power(log_band_power)
print("log_band_power agrees with neuroframes_edu.features.band_power_series at 250 Hz and 500 Hz")

# %% [markdown]
# The library's `band_power_series` does the same for every band at once, and `band_power` samples it
# at arbitrary frame times — here the acquired volumes, which are irregular (jitter, missing volumes).
# Passing the computed `series` to `band_power` avoids filtering the recording again.

# %%
series = band_power_series(raw, rate=10.0)
print(f"band power: {series.power.shape[0]} bands × {series.power.shape[1]} channels × "
      f"{series.power.shape[2]:,} bins of {1 / series.rate:.1f} s")
features = band_power(None, train_session.volume_times, series=series)  # (volumes, channels, bands), z-scored
print(f"per volume: {features.shape} (volumes, channels, bands)")
assert features.shape == (len(train_session.volume_times), len(series.ch_names), len(BANDS))

# %% [markdown]
# ## 2. How band power relates to BOLD, and when (~6 min)
#
# Take the posterior channels' power in each band and the mean BOLD of the early visual region, and
# correlate them with the BOLD read `lag` seconds later. Because blood flow is slow, the relation should
# peak a few seconds *after* the EEG.

# %%
posterior = ["O1", "Oz", "O2", "POz", "PO3", "PO4"]
post_idx = [series.ch_names.index(ch) for ch in posterior]
visual_roi = mesh.rois["early_visual"]
valid = train_session.valid
visual_bold = train_session.bold[valid][:, visual_roi].mean(axis=1)
lags = np.arange(-4.0, 16.5, 1.0)
curves = {}
for b, name in enumerate(series.bands):
    power = series.power[b, post_idx].mean(axis=0)
    curves[name] = lagged_correlation(power, series.times, visual_bold, train_session.volume_times[valid], lags)

fig, ax = plt.subplots(figsize=(7, 3))
for name, r in curves.items():
    ax.plot(lags, r, marker="o", ms=3, label=name)
ax.axhline(0, color="0.5", lw=0.5)
ax.axvline(0, color="0.5", lw=0.5, ls=":")
ax.set(xlabel="BOLD read this many seconds after the EEG", ylabel="Pearson r")
ax.legend(fontsize=8, ncols=5, loc="lower right")
plt.show()
alpha_peak = lags[np.argmin(curves["alpha"])]
beta_peak = lags[np.argmin(curves["beta"])]
print(f"alpha: most negative r = {curves['alpha'].min():.2f} at lag {alpha_peak:g} s; "
      f"beta: most negative r = {curves['beta'].min():.2f} at lag {beta_peak:g} s; "
      f"gamma: largest r = {curves['gamma'].max():.2f} at lag {lags[np.argmax(curves['gamma'])]:g} s")
assert curves["alpha"].min() < -0.3 and 2.0 <= alpha_peak <= 9.0
assert curves["beta"].min() < 0 and 2.0 <= beta_peak <= 9.0
assert 0 < curves["gamma"].max() < abs(curves["alpha"].min())  # positive but weaker

# %% [markdown]
# **Figure 2. Correlation of posterior band power with early-visual BOLD, as a function of lag.**
# *Takeaway:* alpha and beta power anti-correlate with BOLD most strongly about 5 s after the EEG —
# the haemodynamic delay; gamma power correlates positively but weakly (at the scalp it is small next
# to the background). A regressor read at lag 0 throws most of the relation away.

# %% [markdown]
# ## 3. HRF-convolved regressors (~8 min)
#
# Rather than pick one lag, EEG-informed fMRI convolves band power with the haemodynamic response,
# which builds in the delay *and* the slow smoothing (notebook 02). `band_power(..., hrf=True)` does
# exactly that, then samples at the volume times.

# %%
raw_alpha = features[..., list(BANDS).index("alpha")]  # from section 1: log power in the 0.8 s before each volume
hrf_feat = band_power(None, train_session.volume_times, hrf=True, series=series)
hrf_alpha = hrf_feat[..., list(BANDS).index("alpha")]
r_raw = np.corrcoef(raw_alpha[valid][:, post_idx].mean(1), visual_bold)[0, 1]
r_hrf = np.corrcoef(hrf_alpha[valid][:, post_idx].mean(1), visual_bold)[0, 1]
print(f"posterior alpha vs early-visual BOLD: r = {r_raw:.2f} (no HRF), r = {r_hrf:.2f} (HRF-convolved)")
assert r_hrf < r_raw - 0.1

# %% [markdown]
# The band picker below draws, for each electrode, the correlation of its HRF-convolved power in one
# band with early-visual BOLD: where on the scalp, and in which band, the information about visual
# cortex lies.

# %%
band_names = list(BANDS)


def show_band(band="alpha"):
    """Topography of corr(HRF-convolved band power at each electrode, early-visual BOLD)."""
    b = band_names.index(band)
    x = hrf_feat[valid][:, :, b]
    r = np.array([np.corrcoef(x[:, c], visual_bold)[0, 1] for c in range(x.shape[1])])
    _, ax = plt.subplots(figsize=(3.2, 3.2))
    mne.viz.plot_topomap(r, train_session.raw.copy().pick("eeg").info, axes=ax, show=False, cmap="RdBu_r",
                         vlim=(-0.6, 0.6))
    ax.set_title(f"{band}: r with early-visual BOLD", fontsize=9)
    plt.show()
    return r


r_alpha_topo = show_band("alpha")
assert r_alpha_topo[post_idx].mean() < r_alpha_topo.mean()  # strongest over the back of the head

# %% [markdown]
# **Figure 3. Scalp map of the correlation between HRF-convolved alpha power and early-visual BOLD.**
# *Takeaway:* the strongest (most negative) relation sits over occipital electrodes, above the visual
# cortex; other bands have other maps — pick them in a live notebook below.

# %% tags=["remove-output"]
# NBVAL_IGNORE_OUTPUT
_ = widgets.interact(show_band, band=widgets.ToggleButtons(options=band_names, value="alpha"))

# %% [markdown]
# ## 4. The "EEG fingerprint": ridge regression to every vertex (~8 min)
#
# Stack the HRF-convolved power of all 64 channels × 5 bands (320 features per volume) and fit one
# ridge regression per vertex (scikit-learn's `RidgeCV`, all vertices at once). The penalty is chosen
# by cross-validation over **contiguous blocks** of volumes: BOLD is autocorrelated, so shuffled folds
# would leak neighbouring volumes and choose a penalty far too small. Training uses session 1 only; we
# test on session 3, recorded separately — the honest split.

# %%
ridge = RidgeFingerprint().fit(hrf_feat[valid], zscore(train_session.bold[valid]))
test_feat = band_power(test_session.raw, test_session.volume_times, hrf=True)
usable = test_session.usable  # valid volumes with the 16 s of EEG before them that the HRF needs
prediction = ridge.predict(test_feat[usable])
truth = zscore(test_session.bold[usable])  # each vertex z-scored over the test session
scores = evaluate(prediction, truth, rois=mesh.rois, noise_ceiling=test_session.truth.noise_ceiling)
print(f"ridge penalty chosen by blocked CV: {ridge.alpha_:g}")
for key in ("temporal_r", "spatial_r", "mse", "ceiling_fraction"):
    print(f"  {key:>24}: {scores[key]:.3f}")
by_region = {k: scores[f"temporal_r/{k}"] for k in mesh.rois}
for name, value in sorted(by_region.items(), key=lambda kv: -kv[1]):
    print(f"  {'temporal_r/' + name:>24}: {value:.3f}")
assert scores["temporal_r"] > 0.15 and scores["mse"] < 1.0
best_region = max(by_region, key=by_region.get)
assert best_region == "early_visual"  # the caption's claim
assert by_region["auditory"] < by_region["early_visual"] - 0.1

# %%
r_map = temporal_r(prediction, truth)
fig = plot_cortex(mesh, r_map, views=[("left", "lateral"), ("left", "medial"), ("right", "lateral")],
                  cmap="RdBu_r", vmin=-0.8, vmax=0.8, colorbar_label="temporal r (held-out session)",
                  figsize=(9, 3), title="ridge EEG fingerprint")
plt.show()

# %% [markdown]
# **Figure 4. Where the EEG fingerprint works:** temporal correlation of the ridge prediction with the
# held-out session's BOLD at every vertex. *Takeaway:* early visual cortex, whose network carries the
# strong posterior alpha rhythm, is predicted best (the region scores printed above, asserted); the
# auditory cortex, whose rhythms are weak at the scalp, scores well below it. The whole-cortex mean is
# printed above, with its fraction of the noise ceiling — the bar for the graph model. (The regions are
# centred where the simulator places its networks, so region scores flatter any method; the
# whole-cortex mean does not.)

# %% [markdown]
# ## 5. The same map by gradient descent: a training loop by hand (~10 min)
#
# Every network in this course is trained by a loop of the same five lines; `training.fit` (notebook 04)
# wraps them with windows, mini-batches and checkpoints. Here is that loop written out once, on the
# simplest model there is — the ridge fingerprint's own linear map, `torch.nn.Linear(320, n_vertices)` —
# so that we know the answer it should reach. For every step:
#
# 1. `optimizer.zero_grad()` clears the gradients of the last step;
# 2. the **forward** pass predicts the training volumes;
# 3. the **loss** scores it: mean squared error, plus ridge's penalty $\alpha\lVert W\rVert^2$ (scaled per
#    volume and vertex, with the $\alpha$ that blocked cross-validation chose above);
# 4. `loss.backward()` computes the gradient of the loss with respect to every weight;
# 5. `optimizer.step()` moves the weights (Adam).
#
# After each step the model predicts the **validation** session (session 2) under `torch.no_grad()`, and
# we keep the weights of the best validation loss (early stopping). We train twice: with ridge's penalty,
# and without any.

# %%
validation_session = dataset[1]  # subject 1, session 2: for choosing when to stop
x_train = hrf_feat[valid].reshape(int(valid.sum()), -1)
val_usable = validation_session.usable
val_feat = band_power(validation_session.raw, validation_session.volume_times, hrf=True)[val_usable]
x_val = val_feat.reshape(len(val_feat), -1)
mean, sd = x_train.mean(axis=0), x_train.std(axis=0)  # standardised as RidgeFingerprint does


def as_tensor(a):
    return torch.as_tensor(a, dtype=torch.float32)


inputs = {"train": as_tensor((x_train - mean) / sd), "val": as_tensor((x_val - mean) / sd),
          "test": as_tensor((test_feat[usable].reshape(int(usable.sum()), -1) - mean) / sd)}
targets = {"train": as_tensor(zscore(train_session.bold[valid])),
           "val": as_tensor(zscore(validation_session.bold[val_usable]))}


def train_by_hand(penalty, steps=80 if FAST else 300, lr=1e-2):
    """Full-batch Adam on MSE + penalty · ‖W‖² / n_vertices; returns the best model and the loss curves."""
    torch.manual_seed(SEED)
    model = torch.nn.Linear(inputs["train"].shape[1], targets["train"].shape[1])
    torch.nn.init.zeros_(model.weight)  # start from "predict the mean": zero weights and bias
    torch.nn.init.zeros_(model.bias)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    history, best = [], (np.inf, 0, None)
    for step in range(steps):
        model.train()
        optimizer.zero_grad()  # 1
        prediction = model(inputs["train"])  # 2
        mse = torch.nn.functional.mse_loss(prediction, targets["train"])  # 3
        loss = mse + penalty * (model.weight**2).sum() / targets["train"].shape[1]
        loss.backward()  # 4
        optimizer.step()  # 5
        model.eval()
        with torch.no_grad():
            val_loss = float(torch.nn.functional.mse_loss(model(inputs["val"]), targets["val"]))
        history.append((mse.detach().item(), val_loss))
        if val_loss < best[0]:
            best = (val_loss, step, {k: v.clone() for k, v in model.state_dict().items()})
    model.load_state_dict(best[2])
    return model, np.array(history), best[1]


runs = {"ridge's penalty": train_by_hand(ridge.alpha_ / int(valid.sum())), "no penalty": train_by_hand(0.0)}
ridge_val = float(np.mean((ridge.predict(val_feat) - targets["val"].numpy()) ** 2))
hand_r = {}
for name, (model, history, best_step) in runs.items():
    with torch.no_grad():
        hand_r[name] = float(temporal_r(model(inputs["test"]).numpy(), truth).mean())
    print(f"{name:>15}: validation loss {history[0, 1]:.3f} after step 1, best {history[best_step, 1]:.3f} at step "
          f"{best_step + 1}, last {history[-1, 1]:.3f}; held-out session 3: temporal r {hand_r[name]:.3f}")
start_val = float((targets["val"] ** 2).mean())  # zero weights predict the mean, 0
print(f"closed-form ridge: validation loss {ridge_val:.3f}; held-out temporal r {scores['temporal_r']:.3f}; "
      f"predicting the mean (the start): {start_val:.3f}")

# %%
fig, ax = plt.subplots(figsize=(7, 3))
for (name, (_, history, best_step)), color in zip(runs.items(), ("C0", "C3"), strict=True):
    ax.plot(history[:, 0], color=color, ls="--", lw=1, label=f"{name}: training")
    ax.plot(history[:, 1], color=color, lw=1.5, label=f"{name}: validation")
    ax.plot(best_step, history[best_step, 1], "o", color=color)
ax.axhline(ridge_val, color="k", lw=0.8, ls=":", label="closed-form ridge, validation")
ax.axhline(start_val, color="0.6", lw=0.8, label="the mean (the start), validation")
ax.set(xlabel="step (one pass over the training session)", ylabel="mean squared error (z)", ylim=(0, 1.4))
ax.legend(fontsize=7, ncols=2)
plt.show()
penalised, free = runs["ridge's penalty"][1], runs["no penalty"][1]
assert penalised[-1, 1] < 0.95 * start_val  # something is learned: the validation loss falls below the mean's
assert abs(penalised[-1, 1] - ridge_val) < 0.01 and abs(hand_r["ridge's penalty"] - scores["temporal_r"]) < 0.02
assert free[-1, 0] < penalised[-1, 0] and free[-1, 1] > free[:, 1].min() + 0.05  # overfitting without it

# %% [markdown]
# **Figure 5. Training (dashed) and validation (solid) loss of the same linear map, learned step by step.**
# *Takeaway:* with ridge's penalty the loop learns the EEG-to-BOLD map — after an overshoot at the first
# Adam step the validation loss falls below that of predicting the mean (grey, where the weights
# started) and settles on the closed-form ridge's (dotted), and the held-out r matches it (both printed
# above, asserted): gradient descent and the closed form solve the same problem. Without the
# penalty the training loss keeps falling while the validation loss turns up after a few steps — the
# model memorises session 1's noise with its 1.6 million weights — and only early stopping (the dot,
# the best validation step) saves part of it. That is why every trained model in this course keeps the
# weights of its best validation epoch, and why notebook 04 starts its network from this ridge solution.

# %% [markdown]
# **Think!** The ridge model predicts every vertex from the *same* 320 features, with independent
# weights. What does it ignore about the cortex that a graph network could use? And why can no
# band-power model follow changes faster than the HRF allows?

# %% [markdown]
# <details><summary>An answer</summary>
#
# It ignores that neighbouring vertices share signal: every vertex's weights are fitted alone, so a noisy
# vertex cannot borrow strength from its neighbours, and the model has no idea that the EEG reached the
# scalp through a lead field from nearby sources. A graph network shares weights and smooths across
# neighbours (notebook 04); source imaging puts the EEG back on the cortex first (notebook 07). The HRF
# limit applies to every band-power model, and to BOLD itself: the regressors are convolved with the HRF,
# which passes little above about 0.2 Hz, and the measured BOLD is no faster.
#
# </details>

# %% [markdown]
# ## 6. Letting training choose the band: the model's EEG encoder (~12 min)
#
# Sections 1–5 chose the bands by hand. The full model of notebook 07 reads those five bands too, but
# its **EEG encoder** (`neuroframes_edu.nn.EEGEncoder`) also *learns* band power of its own. It follows
# section 1's recipe with three changes:
#
# 1. a $1\times1$ convolution first mixes the 64 channels into a few **spatial components** (weighted
#    sums of electrodes), learned;
# 2. each component goes through **temporal filters** — convolutions of 0.04, 0.1 and 0.25 s whose taps
#    are learned *weights*, not a band-pass design;
# 3. each filter's output is squared and averaged in bins of 0.1 s (no Hilbert envelope: the bin mean
#    of the squared output is already its power), then log-scaled.
#
# `EEGEncoder.learned_band_power` is exactly those steps. Which band will training choose, if nothing
# tells it about alpha? To see it in seconds on a CPU we build a small encoder with the model's own
# recipe (`ModelConfig.for_recording`): 4 spatial components and 4 filters of 0.25 s. A filter of
# 0.25 s resolves frequencies about 1 / 0.25 s = 4 Hz apart — enough to single out alpha, which the
# 0.04 s filters could not. The EEG is resampled to 100 Hz (every band, gamma's 30–45 Hz included,
# lies below its 50 Hz Nyquist rate), in µV. Its learned band power becomes section 3's regressors —
# `nn.hrf_regressors` is `band_power(..., hrf=True)` written in torch, so gradients flow through it to
# the filters (the full encoder learns its HRF too; here it is fixed, so that only the filters can
# change what is learned) — and a **linear readout** predicts one number per volume: the mean BOLD of
# early visual cortex. With nothing between the filters and the target but the HRF and one weight per
# filter, whatever the filters learn is directly readable. Section 5's loop trains it, validated on
# session 2.
#
# To read the filters, `nn.filter_responses` gives each one's **power gain** at every frequency: the
# power it passes from a white input (the same power at every frequency), relative to its peak. Its
# **alpha share** is the part of that gain between 8 and 13 Hz, out of 0–45 Hz; a filter that passed
# every frequency alike would have about 5/45 ≈ 0.11.

# %%
from neuroframes_edu.nn import EEGEncoder, ModelConfig, filter_responses, hrf_regressors
from neuroframes_edu.plotting import plot_filter_responses

ENCODER_SFREQ = 100.0
roi_bold = {}  # the early-visual mean of each session, z-scored: the target
eeg_uv = {}
for name, session, volumes in (("train", train_session, valid), ("val", validation_session, val_usable),
                               ("test", test_session, usable)):
    resampled = session.raw.copy().pick("eeg").resample(ENCODER_SFREQ, verbose=False)  # MNE: anti-aliased
    # µV, not V: the encoder's log adds 1e-6 to the power, negligible only in these units
    eeg_uv[name] = (as_tensor(1e6 * resampled.get_data()[None]), session.volume_times[volumes])
    roi_bold[name] = as_tensor(zscore(session.bold[volumes][:, visual_roi].mean(axis=1)))

torch.manual_seed(SEED)
encoder_config = ModelConfig.for_recording(train_session, sfreq=ENCODER_SFREQ, kernel_seconds=(0.25,),
                                           n_spatial=4, n_filters=4)
encoder = EEGEncoder(encoder_config)
readout = torch.nn.Linear(encoder_config.n_filters, 1)


def learned_regressors(eeg, times):
    """Section 3's regressors from the encoder's learned band power: (volumes, filters), each z-scored
    over its session, as band_power does."""
    power = encoder.learned_band_power(eeg, eeg.shape[-1] // encoder.pool)[0]  # (filters, bins): 10 Hz
    x = hrf_regressors(power, encoder.rate, times)
    return (x - x.mean(dim=0)) / x.std(dim=0)


def predict_roi(name):
    return readout(learned_regressors(*eeg_uv[name]))[:, 0]


freqs, gains_before = filter_responses(encoder)
parameters = [*encoder.spatial.parameters(), *encoder.scales.parameters(), *readout.parameters()]
optimizer = torch.optim.Adam(parameters, lr=1e-2)
encoder_history, best_encoder = [], (np.inf, 0, None)
for step in range(80 if FAST else 200):  # section 5's loop
    optimizer.zero_grad()
    loss = torch.nn.functional.mse_loss(predict_roi("train"), roi_bold["train"])
    loss.backward()
    optimizer.step()
    with torch.no_grad():
        val_loss = torch.nn.functional.mse_loss(predict_roi("val"), roi_bold["val"]).item()
    encoder_history.append((loss.detach().item(), val_loss))
    if val_loss < best_encoder[0]:
        best_encoder = (val_loss, step, [p.detach().clone() for p in parameters])
with torch.no_grad():  # keep the weights of the best validation step (early stopping)
    for p, best in zip(parameters, best_encoder[2], strict=True):
        p.copy_(best)
    learned_r = float(np.corrcoef(predict_roi("test").numpy(), roi_bold["test"].numpy())[0, 1])
freqs, gains_after = filter_responses(encoder)
encoder_history = np.array(encoder_history)

# the hand-chosen alternative: the library's alpha band at every channel, ridge readout of the same target
alpha_index = [list(BANDS).index("alpha")]
alpha_ridge = RidgeFingerprint().fit(hrf_feat[valid][..., alpha_index], roi_bold["train"].numpy()[:, None])
alpha_val_prediction = alpha_ridge.predict(val_feat[..., alpha_index]).reshape(-1)
alpha_val = float(np.mean((alpha_val_prediction - roi_bold["val"].numpy()) ** 2))
alpha_r = float(np.corrcoef(alpha_ridge.predict(test_feat[usable][..., alpha_index]).reshape(-1),
                            roi_bold["test"].numpy())[0, 1])


def alpha_share(gains):
    """Share of each filter's power gain over 0–45 Hz that lies in the alpha band (8–13 Hz)."""
    every_band, in_alpha = freqs <= 45, (freqs >= 8) & (freqs <= 13)
    return gains[..., in_alpha].sum(axis=-1) / gains[..., every_band].sum(axis=-1)


share_before, share_after = alpha_share(gains_before)[0], alpha_share(gains_after)[0]
peaks = freqs[gains_after[0].argmax(axis=-1)]
in_alpha = (peaks >= 8) & (peaks <= 13)
weights = readout.weight.detach()[0].numpy()
print(f"validation loss: {encoder_history[0, 1]:.3f} after step 1, best {best_encoder[0]:.3f} at step "
      f"{best_encoder[1] + 1} (predicting the mean: 1.000); the alpha band at every channel, ridge: {alpha_val:.3f}")
print(f"held-out session 3, early-visual BOLD: r = {learned_r:.3f} (learned filters), "
      f"{alpha_r:.3f} (the alpha band, ridge)")
for k in range(len(peaks)):
    print(f"filter {k + 1}: peak {peaks[k]:4.1f} Hz, alpha share {share_before[k]:.2f} before → "
          f"{share_after[k]:.2f} after; readout weight {weights[k]:+.2f}")
print(f"{in_alpha.sum()} of {len(peaks)} filters peak in 8–13 Hz; median alpha share {np.median(share_before):.2f} "
      f"→ {np.median(share_after):.2f}")

# %%
fig, ax = plt.subplots(figsize=(8.5, 3))
plot_filter_responses(freqs, gains_after, initial=gains_before, fmax=45, ax=ax,
                      labels=[f"filter {k + 1}: peak {p:.1f} Hz" for k, p in enumerate(peaks)],
                      title="the encoder's four 0.25 s filters, trained on early-visual BOLD")
fig.tight_layout()
plt.show()
assert best_encoder[0] < 0.5 * encoder_history[0, 1] and best_encoder[0] < 0.5  # something is learned
assert learned_r > alpha_r - 0.05 and best_encoder[0] < alpha_val + 0.05  # about as good as the alpha band
assert np.median(share_after) > 2 * np.median(share_before)  # the filters moved to alpha …
assert in_alpha.sum() == 3 and peaks[~in_alpha].max() < 8  # … three of the four; the fourth to slower ones
assert share_after[in_alpha].max() < 0.6  # even the alpha filters pass much outside the band

# %% [markdown]
# **Figure 6. Power gain of the encoder's four temporal filters at initialisation (grey, dashed) and
# after training (colours), each scaled to its own peak, with the EEG bands shaded** (below 1 Hz lies
# no band). *Takeaway:* nothing told the encoder about alpha, yet training moved most of its filters
# there. Before training each filter passes a broad, random mix of frequencies; after it, three of the
# four peak inside 8–13 Hz and the median alpha share of the gain has more than doubled (printed above,
# asserted). The fourth settled on slow frequencies instead; its readout weight (printed) says how much
# the prediction uses it. Even the alpha filters pass much outside the band — and real EEG, whose power
# falls as 1/f, feeds them more at low frequencies than the white input the gain assumes.
#
# The learned band power predicts held-out early-visual BOLD about as well as the hand-chosen alpha band
# at every channel: its held-out r is within 0.05 of the ridge's, and its best validation loss within
# 0.05 of the ridge's (both printed, asserted; which is ahead can differ between the two). That best
# validation loss was chosen by early stopping on the same session, so it flatters; the held-out r is the
# clean comparison. The validation loss falls far below that of predicting the mean: the EEG itself says
# where the information is — on this `generous` data.

# %% [markdown]
# **Think!** On the `default` regime the coupling is weaker and the BOLD noisier. Would you expect the
# learned filters still to find alpha from one 10-minute session, and still to match the fixed alpha
# band? What does a hand-chosen band give a model that learned filters have to earn from data?

# %% [markdown]
# <details><summary>An answer</summary>
#
# Expect the band more than the score. The filters' taps, the spatial mix and the readout are a few
# hundred weights fitted to about 700 volumes. When each volume carries less signal, the same weights fit
# more of the noise: the validation loss stops improving after fewer steps, early stopping keeps filters
# that have left their random start only part of the way, and the fixed band — which needs no fitting —
# gets further ahead. Even here, on `generous` data, the fixed band's validation loss is close to the
# learned one's. A fixed band is a strong prior — decades of EEG–fMRI findings — and costs no data. That
# is why the full model reads the library's bands *and* learns its own, and why notebook 07 measures, on
# every regime, whether learning pays.
#
# </details>

# %% [markdown]
# ## Self-check quiz (~3 min)
#
# 3 questions on this notebook. Write the letter of each answer in `my_answers` and run the
# cell: every wrong answer is named with the reason it is wrong.

# %%
from neuroframes_edu.course.quiz import check_quiz, show_quiz

show_quiz("03")


# %% tags=["hide-input", "hide-output"]
def my_answers():
    #################################################
    ## TODO for students: the letter of your answer to each question, e.g. {1: "a", 2: "c", 3: "b"}.
    # raise NotImplementedError("Student exercise: answer the quiz above")
    #################################################
    return {1: "b", 2: "a", 3: "c"}


assert check_quiz("03", my_answers())

# %% [markdown]
# ## Summary
#
# - Band power = band-pass filter → squared Hilbert envelope → bin mean → log, with filters designed
#   for the recording's own sampling rate.
# - Alpha power falls with BOLD about 5 s later (the haemodynamic delay); gamma power rises only weakly
#   at the scalp; HRF-convolved regressors capture the delay.
# - The ridge "EEG fingerprint" maps 320 HRF-convolved features to every vertex; with blocked
#   cross-validation and a held-out session it gives an honest baseline and its noise-ceiling fraction.
# - A training loop is five lines (zero the gradients, forward, loss, backward, step) plus validation and
#   early stopping; with ridge's penalty it reaches the closed-form ridge, without one it overfits.
# - The model's EEG encoder learns band power with filters of its own: trained on early-visual BOLD, most
#   of its filters move to the alpha band unaided, and predict about as well as the hand-chosen band (on
#   this data).
#
# **What next:** notebook 04 writes a graph convolution by hand and trains a surface decoder that
# shares information between neighbouring vertices.
