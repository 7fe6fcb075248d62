"""One simulated session: shapes, determinism, seeding, acquisition, noise ceiling, configuration."""

from __future__ import annotations

import numpy as np
import pytest

from neuroframes_edu.simulate.networks import CATEGORIES, NETWORKS
from neuroframes_edu.simulate.session import SimulationConfig, simulate_session
from neuroframes_edu.surface import load_fsaverage


def test_shapes_and_types(small_session):
    sim = small_session()
    cfg = sim.truth.config
    n_vol = int(cfg.duration / cfg.tr)
    assert sim.bold.shape == sim.truth.bold_clean.shape == (n_vol, 1284)
    assert sim.truth.frames.shape == (n_vol * cfg.frames_per_tr, 1284)
    assert sim.truth.frame_times.shape == (sim.truth.frames.shape[0],)
    np.testing.assert_allclose(np.diff(sim.truth.frame_times), cfg.tr / cfg.frames_per_tr)
    assert sim.bold.dtype == np.float32 and sim.truth.frames.dtype == np.float32
    assert sim.truth.network_maps.shape == (len(NETWORKS), 1284)
    assert sim.truth.network_activity.shape == (len(sim.truth.neural_times), len(NETWORKS))
    assert sim.raw.info["sfreq"] == 250.0 and len(sim.raw.ch_names) == 64
    assert sim.raw.n_times == int(cfg.duration * cfg.sfreq)
    assert sim.raw.get_montage() is not None
    for arr in (sim.bold, sim.truth.frames, sim.raw.get_data(), sim.truth.noise_ceiling):
        assert np.isfinite(arr).all()


def test_annotations_mark_scenes_and_volume_triggers(small_session):
    sim = small_session()
    desc = np.asarray(sim.raw.annotations.description)
    np.testing.assert_allclose(np.sort(sim.raw.annotations.onset[desc == "volume"]), sim.volume_times, atol=1e-3)
    scenes = [d for d in desc if d.startswith("scene/")]
    assert len(scenes) == len(sim.truth.scenes)
    assert {d.split("/")[1] for d in scenes} <= set(CATEGORIES)
    covered = sum(s["duration"] for s in sim.truth.scenes)
    assert covered == pytest.approx(sim.truth.config.duration)


def test_same_seed_same_numbers_and_other_seed_other_numbers():
    cfg = SimulationConfig(mesh="ico3", duration=60.0)
    a, b = simulate_session(cfg, seed=3), simulate_session(cfg, seed=3)
    np.testing.assert_array_equal(a.bold, b.bold)
    np.testing.assert_array_equal(a.truth.frames, b.truth.frames)
    np.testing.assert_array_equal(a.raw.get_data(), b.raw.get_data())
    assert a.truth.scenes == b.truth.scenes
    c = simulate_session(cfg, seed=4)
    assert not np.allclose(a.bold, c.bold)


def test_sessions_of_a_subject_share_anatomy_but_not_time_courses():
    cfg = SimulationConfig(mesh="ico3", duration=60.0)
    s1 = simulate_session(cfg, seed=0, subject=1, session=1)
    s2 = simulate_session(cfg, seed=0, subject=1, session=2)
    other = simulate_session(cfg, seed=0, subject=2, session=1)
    np.testing.assert_array_equal(s1.truth.network_maps, s2.truth.network_maps)
    assert not np.allclose(s1.truth.network_maps, other.truth.network_maps)
    assert s1.truth.scenes != s2.truth.scenes


def test_volume_timing_is_irregular_and_masks_are_honoured():
    sim = simulate_session(SimulationConfig(mesh="ico3", duration=240.0, tr_jitter=0.02,
                                            missing_fraction=0.1, corrupted_fraction=0.05), seed=1)
    n = len(sim.volume_times)
    deviation = sim.volume_times - np.arange(n) * sim.truth.config.tr
    assert 0.01 < deviation.std() < 0.03 and np.abs(deviation).max() <= 0.06 + 1e-9
    assert len(set(np.round(np.diff(sim.volume_times), 6))) > 10, "intervals are not all equal"
    assert (sim.volume_status == "missing").sum() == round(0.1 * n)
    assert (sim.volume_status == "corrupted").sum() == round(0.05 * n)
    np.testing.assert_array_equal(sim.valid, sim.volume_status == "ok")
    assert (sim.bold[sim.volume_status == "missing"] == 0).all()
    spikes = np.abs(sim.bold - sim.truth.bold_clean)[sim.volume_status == "corrupted"].max(axis=1)
    noise = np.abs(sim.bold - sim.truth.bold_clean)[sim.valid].max(axis=1)
    assert np.median(spikes) > 2 * np.median(noise)


def test_regular_acquisition_samples_the_ground_truth_frames(small_session):
    sim = small_session(tr_jitter=0.0)
    on_volumes = sim.truth.frames[sim.truth.frame_index(sim.volume_times)]
    np.testing.assert_allclose(sim.truth.bold_clean, on_volumes, atol=1e-5)


def test_noise_ceiling_tracks_snr():
    ceilings = {snr: simulate_session(SimulationConfig(mesh="ico3", duration=120.0, bold_snr=snr), seed=0)
                .truth.noise_ceiling for snr in (0.5, 2.0, 100.0)}
    assert ceilings[100.0].mean() > 0.95
    assert ceilings[0.5].mean() < ceilings[2.0].mean() < ceilings[100.0].mean()
    for c in ceilings.values():
        # a correlation: at vertices with almost no signal it can dip below zero by chance
        assert ((c >= -1) & (c <= 1)).all() and np.median(c) > 0


def test_noise_ceiling_matches_the_measured_correlation(small_session):
    sim = small_session()
    valid = sim.valid
    measured = np.array([np.corrcoef(sim.bold[valid, v], sim.truth.bold_clean[valid, v])[0, 1]
                         for v in range(0, sim.n_vertices, 50)])
    np.testing.assert_allclose(measured, sim.truth.noise_ceiling[::50], atol=1e-5)
    var_s, var_n = sim.truth.bold_clean[valid].var(axis=0), (sim.bold - sim.truth.bold_clean)[valid].var(axis=0)
    expected = np.sqrt(var_s / (var_s + var_n))
    assert abs(np.median(sim.truth.noise_ceiling) - np.median(expected)) < 0.05


def test_roi_noise_ceiling(small_session):
    sim = small_session()
    rois = load_fsaverage("ico3").rois
    out = sim.truth.roi_noise_ceiling(rois)
    assert set(out) == set(rois) and all(0 < v <= 1 for v in out.values())
    with pytest.raises(ValueError, match="mask has shape"):
        sim.truth.roi_noise_ceiling({"bad": np.ones(3, dtype=bool)})


def test_sampling_rate_and_montage_are_configurable():
    sim = simulate_session(SimulationConfig(mesh="ico3", duration=30.0, sfreq=500.0, montage="easycap-M1"), seed=0)
    assert sim.raw.info["sfreq"] == 500.0 and sim.raw.n_times == 15000
    assert len(sim.raw.ch_names) != 64


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"duration": 1.0}, "duration must be at least 10 TRs"),
        ({"sfreq": 50.0}, "sfreq must be at least 100 Hz"),
        ({"tr_jitter": 0.5}, "tr_jitter must be in"),
        ({"missing_fraction": 0.6, "corrupted_fraction": 0.5}, "missing_fraction \\+ corrupted_fraction"),
        ({"hemodynamics": "linear"}, "hemodynamics must be one of"),
        ({"montage": "my_cap"}, "montage must be an MNE built-in montage"),
        ({"bold_snr": 0.0}, "bold_snr must be > 0, got 0"),
        ({"frames_per_tr": 0}, "frames_per_tr must be an integer"),
    ],
)
def test_config_errors_name_the_field(kwargs, message):
    with pytest.raises(ValueError, match=message):
        SimulationConfig(**kwargs)


def test_config_round_trips_through_a_dict():
    cfg = SimulationConfig(mesh="ico3", scene_duration=(2.0, 3.0))
    assert SimulationConfig.from_dict(cfg.to_dict()) == cfg
    with pytest.raises(ValueError, match="unknown SimulationConfig fields"):
        SimulationConfig.from_dict({"nonsense": 1})


def test_bad_identifiers_and_mismatched_mesh(small_config):
    with pytest.raises(ValueError, match="subject must be a positive integer"):
        simulate_session(small_config, subject=0)
    with pytest.raises(ValueError, match="seed must be a non-negative integer"):
        simulate_session(small_config, seed=-1)
    with pytest.raises(ValueError, match="does not match config.mesh"):
        simulate_session(small_config, mesh=load_fsaverage("ico4"))
