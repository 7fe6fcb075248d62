"""Neural activity: smooth network maps on the cortex × time courses driven by a film-like schedule of scenes.

:data:`NETWORKS` places each network's nodes as geodesic Gaussians around the anatomical landmarks of
:mod:`neuroframes_edu.surface.regions` (:func:`network_maps`, with per-subject jitter);
:func:`smooth_random_maps` gives spontaneous modes with random centres (and the simulator's smooth noise
and HRF-variability maps). :func:`film_schedule` draws scenes of the :data:`CATEGORIES`,
:func:`stimulus_drive` turns them into network drive by :data:`ENGAGEMENT`, and
:func:`ornstein_uhlenbeck` adds spontaneous, autocorrelated fluctuations, so everything stays low-rank:
maps × time courses.

Introduced in notebook 02.
"""

from __future__ import annotations

import numpy as np

from neuroframes_edu.surface import FSAVERAGE_LANDMARKS, CorticalMesh

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


def smooth_random_maps(mesh: CorticalMesh, n_maps: int, rng: np.random.Generator,
                       n_blobs: int = 3, width_mm: tuple[float, float] = (12.0, 25.0)) -> np.ndarray:
    """Random smooth maps on the cortex: sums of signed geodesic Gaussians at random vertices.

    Returns
    -------
    ndarray, shape (n_maps, n_vertices)
        Each map scaled to unit peak absolute value.
    """
    from neuroframes_edu._utils.validation import check_int, check_type

    n_maps = check_int(n_maps, "n_maps", minimum=0)
    check_type(rng, np.random.Generator, "rng", hint="e.g. np.random.default_rng(0)")
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

    from neuroframes_edu._utils.validation import check_int, check_number, check_type

    n_series, n_times = check_int(n_series, "n_series", minimum=0), check_int(n_times, "n_times", minimum=0)
    dt = check_number(dt, "dt", minimum=0, include_minimum=False)
    tau = check_number(tau, "tau (time constant, s)", minimum=0, include_minimum=False)
    sd = check_number(sd, "sd", minimum=0)
    check_type(rng, np.random.Generator, "rng", hint="e.g. np.random.default_rng(0)")
    a = np.exp(-dt / tau)
    noise = rng.standard_normal((n_times, n_series)) * sd * np.sqrt(1 - a**2)
    start = rng.standard_normal(n_series) * sd
    out = lfilter([1.0], [1.0, -a], noise, axis=0, zi=(a * start)[None, :])[0]
    return out


def film_schedule(duration: float, scene_duration: tuple[float, float],
                  rng: np.random.Generator) -> list[dict]:
    """A film-like sequence of scenes covering ``duration`` seconds, with categories drawn so that the
    same category rarely repeats back to back (as in edited films)."""
    from neuroframes_edu._utils.validation import check_number

    duration = check_number(duration, "duration", minimum=0)
    if not (isinstance(scene_duration, (tuple, list)) and len(scene_duration) == 2):
        raise TypeError(f"scene_duration must be a (shortest, longest) pair of seconds, got {scene_duration!r}")
    low = check_number(scene_duration[0], "scene_duration[0] (shortest scene, s)", minimum=0, include_minimum=False)
    check_number(scene_duration[1], "scene_duration[1] (longest scene, s)", minimum=low)
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
    from neuroframes_edu._utils.validation import check_times

    times = check_times(times, "times")
    if len(times) < 2:
        raise ValueError("times must hold at least 2 samples (the drive is smoothed over ~100 ms of them)")
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
