"""Network maps and the film-like scene schedule of the simulator."""

from __future__ import annotations

import numpy as np

from neuroframes_edu.simulate.networks import CATEGORIES, NETWORKS
from neuroframes_edu.surface import load_fsaverage


def test_network_maps_peak_at_their_landmarks(small_session):
    sim = small_session()
    mesh = load_fsaverage("ico3")
    k = list(NETWORKS).index("auditory")
    centre = mesh.landmark_vertex("heschl", "left")
    d = mesh.geodesic_distances(centre)[0]
    assert sim.truth.network_maps[k, d < 10].mean() > 0.5
    assert sim.truth.network_maps[k, np.isfinite(d) & (d > 60)].max() < 0.05
    speech = sim.truth.network_maps[list(NETWORKS).index("speech")]
    assert speech[: mesh.n_left].sum() > 1.5 * speech[mesh.n_left:].sum(), "speech is left-lateralised"


def test_scene_labels_follow_the_schedule(small_session):
    sim = small_session()
    first = sim.truth.scenes[1]
    t = first["onset"] + 0.01
    assert CATEGORIES[int(sim.truth.scene_labels([t])[0])] == first["category"]
    assert sim.truth.scene_labels([t + 5.0], lag=5.0)[0] == sim.truth.scene_labels([t])[0]
    assert sim.truth.scene_labels([-1.0])[0] == CATEGORIES.index("rest")
