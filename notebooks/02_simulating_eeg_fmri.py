# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# [Open the exercises in Google Colab](https://colab.research.google.com/github/neuroframes-edu/neuroframes-edu/blob/main/notebooks/exercises/02_simulating_eeg_fmri.ipynb) · [with worked solutions](https://colab.research.google.com/github/neuroframes-edu/neuroframes-edu/blob/main/notebooks/02_simulating_eeg_fmri.ipynb)
#
# # 02 · Simulating simultaneous EEG–fMRI
#
# **Expected time:** 60 minutes · **Prerequisites:** notebooks 00 and 01.
#
# To learn how well EEG can reconstruct fMRI we need recordings where the truth is known. Real
# simultaneous EEG–fMRI cannot be shipped with a course, so the library simulates it on the real
# cortex, from physics: currents in the cortex produce EEG through a head model, and the same
# activity, filtered by the slow haemodynamic response, produces BOLD. Because every step is known,
# we know the noise-free signal at every vertex and every 0.2 s, and the best score any method could
# reach. The data card (`data/README.md`) lists every parameter and the literature behind it.
#
# **Which data?** This notebook simulates the **`default` regime**, calibrated on average over subjects
# to published simultaneous EEG–fMRI (the data card's table): alpha–BOLD correlations far weaker than in
# `generous`, much of the BOLD invisible to the EEG, noisy volumes, residual scanner artefacts in the EEG. Section 7 measures it against the literature and
# against the `generous` regime that later notebooks use to make each method's mechanics visible.
#
# ## Tutorial objectives
# By the end of this notebook you will be able to:
# 1. **describe** the simulator's chain: networks → neural activity → EEG (lead field, rhythms) and BOLD (HRF);
# 2. **explain** why a dipole on the cortex shows up as a broad pattern on the scalp;
# 3. **compute** BOLD from neural activity by convolving with the haemodynamic response yourself;
# 4. **distinguish** ground-truth neural frames, acquired volumes, jitter and missing volumes;
# 5. **interpret** the noise ceiling: the best correlation any reconstruction can reach;
# 6. **compare** simulated statistics with published ones, and tell the two ceilings (noise, EEG information) apart.

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
import mne
import numpy as np

import neuroframes_edu as nfe
from neuroframes_edu.course.exercises import check_hrf_convolution
from neuroframes_edu.features import band_power
from neuroframes_edu.metrics import temporal_r
from neuroframes_edu.plotting import plot_cortex
from neuroframes_edu.simulate import (
    NETWORKS,
    SLICES_PER_VOLUME,
    SimulationConfig,
    calibration_statistics,
    hrf_basis,
    lead_field,
    simulate_session,
)

MESH = "ico4" if FAST else "ico5"
DURATION = 180.0 if FAST else 600.0  # seconds of simulated recording
mesh = nfe.load_fsaverage(MESH)

# %% [markdown]
# ## 1. Where activity lives: networks on the cortex (~5 min)
#
# The simulator places nine functional networks on the cortex — visual, auditory, somatomotor, face,
# place, motion, speech, default-mode and fronto-parietal — each a smooth map made of Gaussian
# blobs (measured along the cortex) around documented anatomical landmarks. Sixteen more random smooth
# maps carry spontaneous activity that no stimulus drives.

# %%
config = SimulationConfig(mesh=MESH, duration=DURATION)
sim = simulate_session(config, seed=SEED, mesh=mesh)
print(f"{len(sim.truth.network_names)} networks:", ", ".join(sim.truth.network_names))
assert sim.truth.network_maps.shape == (len(NETWORKS), mesh.n_vertices)

fig, axes = plt.subplots(1, 3, figsize=(10, 3.2), subplot_kw={"projection": "3d"})
for ax, name, view in zip(axes, ("visual", "auditory", "default_mode"), ("medial", "lateral", "medial"),
                          strict=True):
    k = sim.truth.network_names.index(name)
    plot_cortex(mesh, sim.truth.network_maps[k], views=[("left", view)], axes=[ax], cmap="hot", vmin=0, vmax=1)
    ax.set_title(f"{name} network (left {view})", fontsize=9)
plt.show()

# %% [markdown]
# **Figure 1. Three of the nine network maps** (0 = not involved, 1 = core). *Takeaway:* networks are
# local (visual along the calcarine sulcus, auditory on the superior temporal plane) or distributed
# (the default-mode network joins medial prefrontal, posterior cingulate and angular nodes).

# %% [markdown]
# ## 2. From cortex to scalp: the lead field (~5 min)
#
# Pyramidal cells, whose currents EEG picks up, stand perpendicular to the cortical sheet, so each
# vertex is a current dipole pointing along the surface normal. MNE computes how a unit dipole at
# each vertex shows up at each of the 64 electrodes (the **lead field**, here with a three-shell
# spherical head). Every electrode sees every source, blurred: that is why EEG has millisecond timing
# but centimetre-scale spatial resolution.

# %%
gain, info, geometry = lead_field(MESH, config.montage, config.sfreq)
print(f"lead field: {gain.shape[0]} electrodes × {gain.shape[1]:,} vertices; cortex scaled by "
      f"{geometry['scale']:.2f} to fit the spherical head")
assert gain.shape == (64, mesh.n_vertices) and np.isfinite(gain).all()

fig, axes = plt.subplots(1, 3, figsize=(9, 3))
for ax, name in zip(axes, ("visual", "auditory", "somatomotor"), strict=True):
    pattern = gain @ (sim.truth.network_maps[sim.truth.network_names.index(name)] * mesh.vertex_areas())
    mne.viz.plot_topomap(pattern, info, axes=ax, show=False, cmap="RdBu_r")
    ax.set_title(f"{name} network", fontsize=9)
plt.show()

# %% [markdown]
# **Figure 2. Scalp patterns of three networks** (potential per unit activity; red positive, blue
# negative). *Takeaway:* each network produces a broad, characteristic topography — visual over the
# back of the head, auditory and somatomotor as dipolar patterns over the sides and top. Networks
# overlap on the scalp, which is what makes recovering them from EEG hard.

# %% [markdown]
# ## 3. The EEG: rhythms that follow activity (~10 min)
#
# Each network emits δ θ α β γ oscillations whose amplitude follows its activity, as simultaneous
# recordings report: alpha and beta power **fall** where BOLD rises, gamma power **rises**. Add a 1/f
# background from unrelated sources, sensor noise and what the scanner leaves in the EEG after
# correction (a residual of the gradient artefact at the slice rate, and of the ballistocardiogram after
# every heartbeat), and you get the `mne.io.Raw` below, with the scenes of the "film" and every fMRI
# volume trigger as annotations. Look at it first, as you would at any recording.

# %%
print(sim.raw)
descriptions = sorted(set(sim.raw.annotations.description))
print("annotations:", ", ".join(descriptions))
assert "volume" in descriptions
mne.viz.set_browser_backend("matplotlib", verbose=False)
shown_channels = ["Fz", "Cz", "T7", "T8", "Pz", "O1", "Oz", "O2"]
fig = sim.raw.plot(start=30.0, duration=5.0, picks=shown_channels, scalings={"eeg": 40e-6}, show=False,
                   show_scrollbars=False, show_scalebars=True)
plt.show()

# %% [markdown]
# **Figure 3a. Five seconds of the simulated EEG**, eight channels, with the fMRI volume triggers (the
# annotations). *Takeaway:* it looks like awake EEG: irregular, with bursts of alpha at the occipital
# electrodes (O1, Oz, O2); the rhythms that carry information about the BOLD are not visible by eye —
# they live in the band power over seconds.
#
# The spectrum says more. Awake EEG has a **1/f background** (power falling with frequency) and an
# **alpha peak** near 10 Hz over the back of the head; `calibration_statistics` measures both (Section 7
# compares them with published values).

# %%
spectrum = sim.raw.compute_psd(method="welch", fmin=1.0, fmax=45.0, n_fft=int(4 * sim.raw.info["sfreq"]),
                               verbose=False)
freqs = spectrum.freqs
posterior_psd = spectrum.get_data(picks=["O1", "Oz", "O2", "POz"]).mean(axis=0)
eeg_stats = calibration_statistics(sim)
slice_rate = SLICES_PER_VOLUME / config.tr
line = np.argmin(np.abs(freqs - slice_rate))
line_height = posterior_psd[line] / np.median(np.r_[posterior_psd[line - 6:line - 2], posterior_psd[line + 3:line + 7]])
print(f"alpha peak {eeg_stats['alpha_peak_hz']:.2f} Hz; 1/f exponent {eeg_stats['aperiodic_exponent']:.2f}; "
      f"the line at {slice_rate:g} Hz stands {line_height:.1f} times above its neighbours")
assert 8.5 <= eeg_stats["alpha_peak_hz"] <= 12.0 and line_height > 2

fig, ax = plt.subplots(figsize=(6.5, 3))
ax.loglog(freqs, posterior_psd * 1e12, lw=1)
ax.axvline(eeg_stats["alpha_peak_hz"], color="C1", ls="--", lw=0.8, label="alpha peak")
ax.axvline(slice_rate, color="C3", ls=":", lw=0.8, label=f"slice rate ({slice_rate:g} Hz)")
ax.set(xlabel="frequency (Hz)", ylabel="power (µV²/Hz)", title="posterior channels (mean)")
ax.legend(fontsize=8)
plt.show()

# %% [markdown]
# **Figure 3b. The spectrum of the posterior channels**, log–log. *Takeaway:* power falls with
# frequency overall (the exponent printed above is fitted outside 7–30 Hz), alpha power is strongest near
# the subject's alpha peak, and a narrow line at the slice rate (12 slices per 0.8 s volume: 15 Hz) is
# the residual gradient artefact — a real recording needs the same look before any analysis, because
# such lines sit inside the beta band whose power the course reads. Compared with real EEG, the shape
# shows how the simulator builds its rhythms: each band is band-limited noise, so the spectrum is
# nearly flat inside a band and steps down at its edges (above the alpha band most of all) instead of
# falling smoothly with an alpha hump on top. The statistics fall in their published ranges (Section 7);
# the shape does not, and the data card lists it among what the simulator does not model.

# %%
occipital = ["O1", "Oz", "O2", "POz"]
times = np.arange(20.0, DURATION - 2.0, 2.0)
alpha = band_power(sim.raw.copy().pick(occipital), times, bands={"alpha": (8, 13)}, window=2.0)[:, :, 0].mean(1)
visual = np.interp(times, sim.truth.neural_times, sim.truth.network_activity[:, sim.truth.network_names.index("visual")])
r_alpha = np.corrcoef(alpha, visual)[0, 1]
print(f"correlation of occipital alpha power with visual-network activity: r = {r_alpha:.2f}")
assert r_alpha < -0.3

fig, ax = plt.subplots(figsize=(9, 2.8))
ax.plot(times, (visual - visual.mean()) / visual.std(), label="visual-network activity (z)")
ax.plot(times, alpha, label="occipital alpha power (z)")
ax.set_xlabel("time (s)")
ax.legend(loc="upper right", fontsize=8)
plt.show()

# %% [markdown]
# **Figure 3c. Occipital alpha power against visual activity** over the simulated session. *Takeaway:*
# when the visual network is active (scenes with faces, motion, places), posterior alpha drops — the
# anti-correlation (r printed above) that the EEG features of notebook 03 exploit.

# %% [markdown]
# ## 4. From activity to BOLD: the haemodynamic response (~8 min)
#
# BOLD is neural activity seen through blood flow: a slow response that peaks about 5 s after a brief
# burst of activity and undershoots afterwards. nilearn provides the canonical (Glover) response; BOLD
# is the **convolution** of activity with it. The simulator also gives each of 24 cortical regions its
# own HRF, truly shifted by about ±1 s (SD 0.5 s; more in the `slow-hrf` and `hard` regimes) and stretched in
# width, as responses differ between regions and people (`simulate.hrf_kernel`).
#
# ### Coding exercise 4.1: convolve activity with the HRF
# Write `convolve_hrf(activity, hrf, dt)`: the causal convolution integral
# $\text{bold}(t) = \int_0^\infty h(\tau)\,\text{activity}(t-\tau)\,d\tau \approx dt \sum_k h_k\,\text{activity}_{t-k}$,
# as long as the input.

# %% tags=["hide-input"]
def convolve_hrf(activity, hrf, dt):
    """BOLD from an activity time course sampled every ``dt`` seconds (causal, same length)."""
    #################################################
    ## TODO for students: np.convolve gives the full convolution; keep the first len(activity) samples.
    # raise NotImplementedError("Student exercise: convolve activity with the HRF")
    #################################################
    return dt * np.convolve(activity, hrf)[: len(activity)]


assert check_hrf_convolution(convolve_hrf)
print("convolve_hrf agrees with the simulator")

# %%
dt = 0.05
hrf = hrf_basis(dt)[0]
t_hrf = np.arange(len(hrf)) * dt
print(f"the HRF peaks {t_hrf[np.argmax(hrf)]:.2f} s after activity")
assert 5.0 <= t_hrf[np.argmax(hrf)] <= 6.0
k = sim.truth.network_names.index("auditory")
bold_model = convolve_hrf(sim.truth.network_activity[:, k], hrf, dt)

fig, axes = plt.subplots(1, 2, figsize=(10, 2.8), gridspec_kw={"width_ratios": [1, 2.5]})
axes[0].plot(t_hrf, hrf)
axes[0].set(xlabel="time after activity (s)", title="Glover HRF")
window = sim.truth.neural_times < 90
axes[1].plot(sim.truth.neural_times[window], sim.truth.network_activity[window, k], lw=0.8, label="auditory activity")
axes[1].plot(sim.truth.neural_times[window], bold_model[window], lw=2, label="convolved with the HRF")
axes[1].set(xlabel="time (s)")
axes[1].legend(fontsize=8)
plt.show()

# %% [markdown]
# **Figure 4. The haemodynamic response and what it does.** Left: the HRF peaks about 5 s after
# activity. Right: the auditory network's activity (fast, with speech scenes) and its convolution
# (slow and delayed). *Takeaway:* BOLD lags and smooths activity, so a frame at time t reflects the
# EEG of the preceding ~16–20 s — the window every model in the course reads.

# %% [markdown]
# ## 5. Frames, volumes, jitter, slice timing and missing data (~9 min)
#
# The simulator keeps the noise-free BOLD on a fine grid, every TR/4 = 0.2 s: the **neural frames**,
# ground truth for intermediate frames. The scanner acquires one **volume** per TR (0.8 s) with a few
# milliseconds of timing jitter, adds physiological and thermal noise, and loses or corrupts a few
# volumes, which the validity mask flags.

# %%
n_missing, n_corrupt = (sim.volume_status == "missing").sum(), (sim.volume_status == "corrupted").sum()
jitter_ms = 1000 * (sim.volume_times - np.arange(len(sim.volume_times)) * config.tr)
print(f"{len(sim.truth.frame_times):,} frames every {config.frame_period:.1f} s; {len(sim.volume_times)} volumes every "
      f"{config.tr} s (jitter SD {jitter_ms.std():.1f} ms); {n_missing} missing and {n_corrupt} corrupted volumes")
assert sim.truth.frames.shape[0] == config.frames_per_tr * len(sim.volume_times)

vertex = int(np.argmax(sim.truth.network_maps[sim.truth.network_names.index("visual")]))
shown = sim.truth.frame_times < 60
vol = sim.volume_times < 60
fig, ax = plt.subplots(figsize=(9, 2.8))
ax.plot(sim.truth.frame_times[shown], sim.truth.frames[shown, vertex], color="k", lw=1, label="neural frames (truth, 0.2 s)")
ok = vol & sim.valid
ax.plot(sim.volume_times[ok], sim.bold[ok, vertex], "o", ms=3, label="acquired volumes (0.8 s, noisy)")
bad = vol & ~sim.valid
ax.plot(sim.volume_times[bad], np.zeros(bad.sum()), "x", color="red", label="missing / corrupted")
ax.set(xlabel="time (s)", ylabel="BOLD (%)")
ax.legend(fontsize=8, loc="upper right")
plt.show()

# %% [markdown]
# **Figure 5. One visual vertex: ground-truth frames and acquired volumes.** *Takeaway:* volumes sample
# the slow signal coarsely and with noise; intermediate frames and flagged volumes (red) are what the
# null-space completion of notebook 05 fills in — and here we can check it against the truth.
#
# **Slice timing.** A real scanner does not take a volume at one instant: it acquires it slice by slice
# (here 12 groups of slices per TR, several at once with multiband), so the slices of one volume are up
# to one TR apart in time. Preprocessing either shifts every slice to a common time (fMRIPrep's
# slice-timing correction) or models the offset. The simulator takes each volume at one instant, so the
# course's data need no correction. How much would ignoring it cost? Compare the noise-free BOLD with
# itself read one slice-group interval, and almost one TR, later.

# %%
frame_step = config.frame_period
for offset in (config.tr / SLICES_PER_VOLUME, config.tr - config.tr / SLICES_PER_VOLUME):
    lag = max(1, round(offset / frame_step))
    truth_frames = sim.truth.frames
    r_lag = np.nanmean(temporal_r(truth_frames[:-lag], truth_frames[lag:]))
    print(f"noise-free BOLD against itself {lag * frame_step:.1f} s later: mean r = {r_lag:.3f}")
assert r_lag > 0.9  # at TR 0.8 s the last slice is still close to the first

# %% [markdown]
# The BOLD barely changes within a TR of 0.8 s (the correlations printed above), so slice timing
# matters little at fast multiband TRs; at a TR of 2 s or more, slices a whole TR apart see a
# noticeably different signal, and slice-timing correction becomes part of the pipeline.

# %% [markdown]
# ## 6. The noise ceiling (~9 min)
#
# How well could a perfect method do? Comparing the noise-free BOLD with the measured BOLD gives, per
# vertex, the correlation that a *perfect* reconstruction would score against the measurements: the
# **noise ceiling**. Where there is little signal (far from any network) it is low; where networks
# are strong it approaches 1. Every score in the course is also reported as a fraction of it.

# %%
print(f"noise ceiling: median {np.median(sim.truth.noise_ceiling):.2f}; by region:")
for name, value in sim.truth.roi_noise_ceiling(mesh.rois).items():
    print(f"  {name:>16}: {value:.2f}")
assert 0.3 < np.median(sim.truth.noise_ceiling) < 0.9


def show_ceiling(snr=config.bold_snr):
    """Simulate a short session at a given BOLD signal-to-noise ratio and draw its noise ceiling."""
    short = simulate_session(SimulationConfig(mesh="ico3", duration=60.0, bold_snr=snr), seed=SEED)
    plot_cortex(nfe.load_fsaverage("ico3"), short.truth.noise_ceiling, views=[("left", "lateral"), ("left", "medial")],
                cmap="viridis", vmin=0, vmax=1, colorbar_label="noise ceiling (r)", figsize=(6.5, 3),
                title=f"SNR {snr:g}: median ceiling {np.median(short.truth.noise_ceiling):.2f}")
    plt.show()


show_ceiling(config.bold_snr)

# %% [markdown]
# **Figure 6. The noise ceiling on the cortex at the default SNR of 0.7** (a short ico3 session). *Takeaway:* the
# ceiling is high where networks or spontaneous modes carry signal and low where little happens; no method should be expected to
# beat it, and scores near it mean the data, not the method, are the limit. Try other SNRs in a live
# notebook with the slider below.

# %% tags=["remove-output"]
# NBVAL_IGNORE_OUTPUT
_ = widgets.interact(show_ceiling, snr=widgets.FloatLogSlider(value=config.bold_snr, base=10, min=-0.5, max=1.5,
                                                             step=0.25))

# %% [markdown]
# **Think!** The simulator's noise ceiling is computed against the *measured* BOLD. Why would a
# reconstruction that correlates 0.9 with the noise-free frames score lower against the measurements?
# What does that mean for reading the paper's reported correlations on real data?

# %% [markdown]
# <details><summary>An answer</summary>
#
# With measurement noise independent of everything else, the correlation with the measurements is the
# correlation with the truth times the correlation of the truth with the measurements: r(pred, measured)
# = r(pred, truth) × r(truth, measured). The second factor is the noise ceiling, so a reconstruction at
# 0.9 against the truth scores about 0.9 × 0.7 ≈ 0.63 against measurements with a ceiling of 0.7.
# A paper's correlation on real data must therefore be read against that data's noise ceiling: 0.3 can be
# near the ceiling of a noisy region and far from it in a clean one.
#
# </details>

# %% [markdown]
# ## 7. Is it realistic? Calibration and the two ceilings (~8 min)
#
# A simulator is only as useful as its numbers are believable. Simultaneous EEG–fMRI studies report
# that posterior alpha power falls when occipital BOLD rises, but weakly, and not in every subject;
# that the BOLD follows the EEG with a delay of about 5 s; that a film's BOLD is reliable in visual
# cortex and much less elsewhere; that the awake EEG has a 1/f background with an alpha peak near 10 Hz.
# `calibration_statistics` measures each of these on a recording, and `LITERATURE` holds the published
# values with their sources (the data card's table has them all).
#
# Below, the default regime is compared with `generous`: no EEG-silent BOLD, a BOLD signal three times
# cleaner, no scanner artefacts. Later notebooks use `generous` because its strong coupling makes every
# method's mechanics visible in a few minutes of data; this comparison says how far from real data
# that is.

# %%
from neuroframes_edu.ceilings import eeg_information_ceiling
from neuroframes_edu.simulate import LITERATURE, regime_config

generous = regime_config("generous", mesh=MESH, duration=DURATION)
sessions = {"default": [sim, simulate_session(config, seed=SEED, session=2, mesh=mesh)],
            "generous": [simulate_session(generous, seed=SEED, session=s, mesh=mesh) for s in (1, 2)]}
stats = {name: calibration_statistics(recs[0]) for name, recs in sessions.items()}
print(f"{'statistic':>22} {'target':>15} {'default':>8} {'generous':>9}")
for key, lit in LITERATURE.items():
    low, high = lit["range"]
    marks = ["" if low <= stats[n][key] <= high else "✗" for n in stats]
    print(f"{key:>22} {low:>6.2f} to {high:<6.2f} {stats['default'][key]:>7.2f}{marks[0]:1} "
          f"{stats['generous'][key]:>8.2f}{marks[1]:1}")
print("✗: outside the target range")

def off_target(value, key):
    """How far a value lies from the middle of its target range."""
    low, high = LITERATURE[key]["range"]
    return abs(value - (low + high) / 2)


for key in ("alpha_bold_r_roi", "noise_ceiling_median"):
    assert off_target(stats["default"][key], key) < off_target(stats["generous"][key], key), key
assert stats["generous"]["alpha_bold_r_roi"] < stats["default"]["alpha_bold_r_roi"] < 0

# %% [markdown]
# Alpha power and the visual BOLD are anti-correlated in both regimes, more weakly in the default, whose
# noise ceiling is also lower; for both statistics the default lies nearer the middle of the target
# range than `generous` does (asserted above). One three-minute session of one subject is noisy, so the
# default can miss a target here (✗ marks where); the calibration is the data card's table, which
# averages two subjects over 10 minutes.
#
# **Two ceilings.** The noise ceiling says what a perfect reconstruction would score against the
# measurements. The **EEG-information ceiling** says what the EEG could deliver at best: a ridge
# regression reading the *true* band power of every EEG source, as a perfect inverse of the EEG would
# hand it (`ceilings.eeg_information_ceiling`, trained on session 1, scored on session 2). BOLD that no
# EEG source carries (the EEG-silent share) and the randomness of oscillation power lie between the two.

# %%
ceilings = {name: eeg_information_ceiling(recs[0], recs[1], mesh="ico3") for name, recs in sessions.items()}
for name, c in ceilings.items():
    print(f"{name:>9}: noise ceiling {c['noise_ceiling'].mean():.3f}, EEG-information ceiling "
          f"{c['measured'].mean():.3f} (against the noise-free BOLD {c['clean'].mean():.3f}); EEG-silent share of "
          f"the BOLD variance {sessions[name][0].truth.config.eeg_silent_fraction:.0%}")
share = {name: c["measured"].mean() / c["noise_ceiling"].mean() for name, c in ceilings.items()}
print(f"EEG-information ceiling as a share of the noise ceiling: default {share['default']:.0%}, "
      f"generous {share['generous']:.0%}")
assert all(c["measured"].mean() < c["noise_ceiling"].mean() for c in ceilings.values())
assert share["default"] < share["generous"]

fig, ax = plt.subplots(figsize=(6.5, 2.8))
names = list(ceilings)
x = np.arange(len(names))
ax.bar(x - 0.2, [ceilings[n]["noise_ceiling"].mean() for n in names], 0.4, label="noise ceiling")
ax.bar(x + 0.2, [ceilings[n]["measured"].mean() for n in names], 0.4, label="EEG-information ceiling")
ax.set_xticks(x, names)
ax.set(ylabel="temporal r (mean over vertices)", ylim=(0, 1))
ax.legend(fontsize=8)
plt.show()

# %% [markdown]
# **Figure 7. The two ceilings in the default and the generous regime** (ico3, session 2 after training
# on session 1). *Takeaway:* in both, the EEG can explain less than a perfect reconstruction would
# (EEG-information ceiling below the noise ceiling); on the calibrated default the gap is wider
# (shares printed above), so a method that reads the EEG should be judged against the lower ceiling,
# and a score near it means the EEG, not the method, is the limit.

# %% [markdown]
# ## Self-check quiz (~3 min)
#
# 3 questions on this notebook. Write the letter of each answer in `my_answers` and run the
# cell: every wrong answer is named with the reason it is wrong.

# %%
from neuroframes_edu.course.quiz import check_quiz, show_quiz

show_quiz("02")


# %% tags=["hide-input", "hide-output"]
def my_answers():
    #################################################
    ## TODO for students: the letter of your answer to each question, e.g. {1: "a", 2: "c", 3: "b"}.
    # raise NotImplementedError("Student exercise: answer the quiz above")
    #################################################
    return {1: "d", 2: "a", 3: "b"}


assert check_quiz("02", my_answers())

# %% [markdown]
# ## Summary
#
# - The simulator builds networks on the cortex, drives them with a film-like stimulus plus spontaneous
#   fluctuations, and derives both EEG (MNE lead field, band-limited rhythms coupled to activity) and
#   BOLD (HRF convolution, noise, irregular acquisition).
# - EEG sees every source blurred across the scalp; its band power tracks activity (alpha down, gamma up).
# - BOLD is activity convolved with a ~5-s-delayed response; frames every 0.2 s are the truth, volumes
#   every 0.8 s are what is measured.
# - The noise ceiling says how well any method could possibly do, per vertex and per region; the
#   EEG-information ceiling says how well any method that reads the EEG could do. BOLD the EEG cannot
#   see lies between them.
# - The default regime is calibrated, on average over subjects, to published EEG–fMRI (data card);
#   `generous` is not, and the notebooks that use it to show a method's mechanics say so.
#
# **What next:** notebook 03 turns EEG into band-power features per fMRI frame and fits the classic
# ridge "EEG fingerprint" baseline.
