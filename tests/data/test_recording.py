"""Recording: the one data object — its checks, split, folders, files and BIDS, and a real-data story."""

from __future__ import annotations

import json
import textwrap
from functools import cache

import mne
import numpy as np
import pytest

from neuroframes_edu import io
from neuroframes_edu.data import Recording
from neuroframes_edu.data.folder import load_recording, save_recording
from neuroframes_edu.simulate import SimulationConfig, simulate_session


@cache
def sim():
    return simulate_session(SimulationConfig(mesh="ico3", duration=60.0), seed=2)


def _parts(rec=None):
    rec = rec or sim()
    return dict(raw=rec.raw, bold=rec.bold, volume_times=rec.volume_times, mesh="ico3", valid=rec.valid)


# ---------------------------------------------------------------- construction checks
def test_a_simulated_session_is_a_recording_with_ground_truth():
    rec = sim()
    assert isinstance(rec, Recording) and rec.truth is not None
    assert rec.name == "sub-01_ses-01_task-film" and rec.mesh_name == "ico3" and rec.n_vertices == 1284
    assert rec.ch_names[:2] == ["Fp1", "AF7"] and rec.sfreq == 250.0 and abs(rec.tr - 0.8) < 0.01
    assert rec.usable.sum() < rec.valid.sum() and not rec.usable[rec.volume_times < 16.0].any()
    assert "with ground truth" in repr(rec)
    image = rec.to_surface_image(volumes=slice(0, 3))
    assert image.shape == (1284, 3)


@pytest.mark.parametrize(("change", "match"), [
    ({"raw": np.zeros((3, 3))}, "raw: expected an mne.io.Raw.*read_eeg"),
    ({"bold": np.zeros(10)}, r"bold: must be 2-D \(n_volumes, n_vertices\)"),
    ({"volume_times": np.arange(5.0)}, "volume_times: has shape .* one time per volume"),
    ({"volume_times": "nan"}, "volume_times: contains 1 NaN.*infers lost volumes"),
    ({"volume_times": "swap"}, "volume_times: must be strictly increasing.*sort the volumes"),
    ({"volume_times": "late"}, "volume_times: the last volume is at .* but the EEG ends.*load the full EEG"),
    ({"volume_times": "early"}, "volume_times: no valid volume has 16 s of EEG before it"),
    ({"valid": "none"}, "valid: marks no volume as valid; check the mask is not inverted"),
    ({"valid": "short"}, "valid: has shape"),
    ({"bold": "nan"}, "bold: has NaN or infinite values at 1 valid volumes.*mark those volumes valid=False"),
    ({"mesh": "ico4"}, "bold: has 1,284 vertices per volume but mesh 'ico4' has 5,124"),
    ({"mesh": "ico9"}, "mesh must be one of ico3, ico4, ico5, fslr32k"),
])
def test_every_construction_error_names_the_argument_and_the_fix(change, match):
    kwargs = _parts()
    n = len(kwargs["volume_times"])
    for key, value in change.items():
        if not isinstance(value, str):
            pass
        elif value == "nan":
            arr = np.array(kwargs[key], dtype=float)
            arr[np.flatnonzero(kwargs["valid"])[3]] = np.nan
            value = arr
        elif value == "swap":
            value = kwargs[key].copy()
            value[[5, 6]] = value[[6, 5]]
        elif value == "late":
            value = kwargs[key] + 30.0
        elif value == "early":
            value = np.linspace(0, 15.0, n)
        elif value == "none":
            value = np.zeros(n, dtype=bool)
        elif value == "short":
            value = kwargs[key][:-1]
        kwargs[key] = value
    with pytest.raises(ValueError, match=match):
        Recording(**kwargs)


def test_recordings_made_without_a_subject_never_share_a_name(tmp_path):
    a = Recording(**_parts())
    other = simulate_session(SimulationConfig(mesh="ico3", duration=60.0), seed=3)
    b = Recording(**{**_parts(other)})
    assert a.name != b.name and a.name.startswith("sub-mem")  # in memory: a hash of the data
    assert Recording(**_parts()).name == a.name  # … which is stable
    sim().raw.save(tmp_path / "lab_run3_raw.fif", verbose="error")
    raw = mne.io.read_raw_fif(tmp_path / "lab_run3_raw.fif", verbose="error")
    assert Recording(**{**_parts(), "raw": raw}).subject == "labrun3raw"  # from a file: its name


def test_a_raw_without_eeg_channels_is_refused():
    raw = sim().raw.copy().set_channel_types(dict.fromkeys(sim().raw.ch_names, "misc"), verbose="error")
    with pytest.raises(ValueError, match="raw: has no EEG channels.*set_channel_types"):
        Recording(**{**_parts(), "raw": raw})


# ---------------------------------------------------------------- split
def test_split_keeps_the_lead_in_and_leaves_a_haemodynamic_gap():
    rec = sim()
    train, val, test = rec.split((0.5, 0.25, 0.25))
    assert [p.name for p in (train, val, test)] == [f"{rec.name}_part-{k}" for k in ("train", "val", "test")]
    assert all(p.source == rec.name for p in (train, val, test))
    for a, b in ((train, val), (val, test)):
        assert b.span[0] - a.span[1] >= rec.window - 1e-6  # no frame shares EEG or haemodynamics across parts
    for part in (train, val, test):
        assert part.usable.any()
        first = part.volume_times[part.usable][0]
        assert first >= part.window - 1e-6  # the lead-in is there
        # the part's EEG is the original's, shifted by its offset
        k = round((part.offset + first) * rec.sfreq)
        j = round(first * part.sfreq)
        np.testing.assert_allclose(part.raw.get_data()[:, j], rec.raw.get_data()[:, k])
        # ground truth cropped alongside
        assert part.truth.bold_clean.shape == part.bold.shape
        assert part.truth.frame_times[0] >= 0 and part.truth.frame_times[-1] <= part.raw.times[-1] + 1e-9
        # the truth's clocks follow the part: the same scene is on screen at the same moment
        t = part.volume_times[part.usable][0]
        assert part.truth.scene_labels([t])[0] == rec.truth.scene_labels([t + part.offset])[0]
        np.testing.assert_allclose(part.truth.neural_times + part.offset, rec.truth.neural_times)
        # … and its noise ceiling is that of its own volumes
        v = part.valid
        own = [np.corrcoef(part.bold[v, i], part.truth.bold_clean[v, i])[0, 1] for i in range(5)]
        np.testing.assert_allclose(part.truth.noise_ceiling[:5], own, atol=1e-6)
    np.testing.assert_array_equal(test.bold, rec.bold[-len(test.bold):])


def test_split_errors():
    with pytest.raises(ValueError, match="fractions: must be ≥ 2 positive shares"):
        sim().split((1.0,), names=("all",))
    with pytest.raises(ValueError, match="gap: .* leaves no time"):
        sim().split(gap=100.0)
    with pytest.raises(ValueError, match="gap: must be at least the EEG window \\(16 s\\).*use the default"):
        sim().split(gap=5.0)


# ---------------------------------------------------------------- folders
def test_folder_round_trip(tmp_path):
    rec = sim().split()[2]
    save_recording(rec, tmp_path / "rec")
    back = load_recording(tmp_path / "rec")
    assert back.name == rec.name and back.offset == rec.offset and back.span == rec.span
    for name in ("bold", "volume_times", "valid", "volume_status"):
        np.testing.assert_array_equal(getattr(back, name), getattr(rec, name), err_msg=name)
    for name in ("bold_clean", "frames", "frame_times", "noise_ceiling", "network_maps", "spontaneous_activity",
                 "spontaneous_maps", "source_log_power", "source_power_times"):
        np.testing.assert_array_equal(getattr(back.truth, name), getattr(rec.truth, name), err_msg=name)
    assert back.truth.scenes == rec.truth.scenes and back.truth.config == rec.truth.config
    assert back.truth.band_names == rec.truth.band_names == ("delta", "theta", "alpha", "beta", "gamma")
    # a part measures the source band power's clock from its own start, as it does the frames'
    np.testing.assert_allclose(rec.truth.source_power_times + rec.offset, sim().truth.source_power_times)
    np.testing.assert_allclose(back.raw.get_data(), rec.raw.get_data(), rtol=1e-6, atol=1e-12)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "no temporary folders left behind"


def test_saving_never_replaces_existing_data_unless_asked(tmp_path):
    target = tmp_path / "rec"
    target.mkdir()
    (target / "precious.txt").write_text("mine")
    with pytest.raises(FileExistsError, match="overwrite=True"):
        save_recording(sim(), target)
    assert (target / "precious.txt").read_text() == "mine"
    save_recording(sim(), target, overwrite=True)
    assert not (target / "precious.txt").exists() and (target / "recording.json").is_file()


def test_an_interrupted_save_leaves_nothing(tmp_path, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(io, "write_gifti_timeseries", boom)
    with pytest.raises(RuntimeError, match="disk full"):
        save_recording(sim(), tmp_path / "rec")
    assert list(tmp_path.iterdir()) == []


def test_load_recording_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="missing recording.json"):
        load_recording(tmp_path)
    save_recording(sim(), tmp_path / "rec")
    (tmp_path / "rec" / "ground_truth.npz").unlink()
    with pytest.raises(FileNotFoundError, match="missing ground_truth.npz"):
        load_recording(tmp_path / "rec")
    (tmp_path / "rec" / "recording.json").write_text("{not json")
    with pytest.raises(ValueError, match="not valid JSON"):
        load_recording(tmp_path / "rec")


# ---------------------------------------------------------------- files with lost volumes
@cache
def foreign():
    """A recording unlike the defaults: another montage, 200 Hz, TR 2 s with jitter, 10% of volumes lost."""
    cfg = SimulationConfig(mesh="ico3", duration=200.0, sfreq=200.0, montage="GSN-HydroCel-64_1.0", tr=2.0,
                           tr_jitter=0.02, missing_fraction=0.1, corrupted_fraction=0.0, frames_per_tr=2)
    return simulate_session(cfg, seed=5, subject=3)


def _write_foreign(folder, lost_first=False):
    """EEG (FIF, one `volume` annotation per acquired volume) and GIFTI holding only acquired volumes."""
    rec = foreign()
    acquired = rec.volume_status == "ok"
    if lost_first:
        acquired[0] = False
    raw = rec.raw.copy()
    onsets = rec.volume_times[acquired]
    raw.set_annotations(mne.Annotations(onsets, np.zeros(len(onsets)), ["volume"] * len(onsets)))
    eeg = folder / "sub-07_ses-02_task-rest_eeg_raw.fif"
    raw.save(eeg, verbose="error")
    paths = io.write_gifti_timeseries(rec.bold[acquired], 642, folder / "sub-07_ses-02_task-rest_")
    return rec, acquired, eeg, (paths["left"], paths["right"])


def test_from_files_puts_acquired_volumes_on_the_grid(tmp_path):
    rec, acquired, eeg, bold = _write_foreign(tmp_path)
    if not acquired[-1] or not acquired[0]:
        pytest.skip("the draw lost a first or last volume")
    back = Recording.from_files(eeg=eeg, bold=bold)
    assert (back.subject, back.session, back.task) == ("07", "02", "rest")
    assert back.n_volumes == rec.n_volumes and back.acquisition.n_lost == int((~acquired).sum())
    np.testing.assert_array_equal(back.valid, acquired)
    np.testing.assert_allclose(back.volume_times[acquired], rec.volume_times[acquired], atol=1e-3)
    np.testing.assert_allclose(back.volume_times[~acquired], rec.volume_times[~acquired], atol=0.1)
    np.testing.assert_array_equal(back.bold[acquired], rec.bold[acquired])
    assert set(back.volume_status[~acquired]) == {"missing"}
    assert back.ch_names == rec.ch_names and back.sfreq == 200.0


def test_from_files_errors(tmp_path):
    rec, _, eeg, bold = _write_foreign(tmp_path)
    with pytest.raises(ValueError, match="volume_times: has 3 entries but the BOLD has"):
        Recording.from_files(eeg=eeg, bold=bold, volume_times=[1.0, 2.0, 3.0])
    too_many = io.write_gifti_timeseries(np.vstack([rec.bold, rec.bold[:5]]), 642, tmp_path / "sub-07_ses-02_long_")
    with pytest.raises(ValueError, match="lost before the first or after the last trigger cannot be placed"):
        Recording.from_files(eeg=eeg, bold=(too_many["left"], too_many["right"]))
    with pytest.raises(ValueError, match="no 'TR' annotations"):
        Recording.from_files(eeg=eeg, bold=bold, trigger="TR")
    other = io.write_gifti_timeseries(rec.bold, 642, tmp_path / "sub-08_ses-02_")
    with pytest.raises(ValueError, match="mismatched sub"):
        Recording.from_files(eeg=eeg, bold=(other["left"], other["right"]))
    with pytest.raises(ValueError, match="single file but not a CIFTI"):
        Recording.from_files(eeg=eeg, bold=bold[0])


def test_files_to_a_scored_table_in_at_most_15_lines(tmp_path):
    """Issue 11's bar: a recording unlike the defaults goes from files to a trained model and a scored
    table in ≤ 15 lines of user code beyond imports."""
    _, _, eeg, (left, right) = _write_foreign(tmp_path)
    user_code = textwrap.dedent("""
        rec = Recording.from_files(eeg=eeg, bold=(left, right))
        train, val, test = rec.split()
        config = EvaluationConfig(epochs=1, missing_fractions=(0.5,), windows=(10,))
        rows, models = evaluate_recordings(train, val, test, config)
        table = summary_table(rows)
    """)
    assert len([line for line in user_code.splitlines() if line.strip()]) <= 15
    from neuroframes_edu.evaluation import EvaluationConfig, evaluate_recordings, summary_table

    scope = {"Recording": Recording, "EvaluationConfig": EvaluationConfig, "evaluate_recordings": evaluate_recordings,
             "summary_table": summary_table, "eeg": eeg, "left": left, "right": right}
    exec(user_code, scope)
    table, rec = scope["table"], scope["rec"]
    assert rec.acquisition.n_lost >= 1 and rec.sfreq == 200.0 and len(rec.ch_names) == 64
    assert ("eeg_only", "all volumes", "model") in table.index and ("missing", "50% missing, window 10",
                                                                  "model + completion") in table.index
    # real data have no ground truth: no truth-based rows or columns
    assert "superres" not in table.index.get_level_values(0) and "temporal_r_clean" not in table.columns
    assert np.isfinite(table["temporal_r"].dropna()).all()
    assert scope["models"]["model"].config.ch_names == tuple(rec.ch_names)


# ---------------------------------------------------------------- BIDS
def test_bids_round_trip_with_fmriprep_names(tmp_path):
    s = sim()
    root = io.write_bids_dataset([s], tmp_path / "bids")
    func = root / "derivatives" / io.BIDS_PIPELINE / "sub-01" / "ses-01" / "func"
    assert (func / "sub-01_ses-01_task-film_hemi-L_space-fsaverage3_bold.func.gii").is_file()
    back = Recording.from_bids(root, "01", "01")
    np.testing.assert_array_equal(back.bold, s.bold)
    # volume times travel as the EEG's volume events, on BrainVision's sample grid
    np.testing.assert_allclose(back.volume_times, s.volume_times, atol=0.5 / s.sfreq + 1e-9)
    assert "VolumeTiming" not in json.loads(next(func.glob("*_bold.json")).read_text())  # not on the EEG clock
    np.testing.assert_array_equal(back.valid, s.valid)
    np.testing.assert_allclose(back.raw.get_data(), s.raw.get_data(), atol=1e-9)
    assert back.name == s.name and back.truth is None
    with pytest.raises(ValueError, match=r"subject: '07' is not in .* it has subjects \['01'\]"):
        Recording.from_bids(root, "07")
    with pytest.raises(ValueError, match="session/task/run: 0 EEG recordings match subject '01', session '09'"):
        Recording.from_bids(root, "01", "09")
    with pytest.raises(FileExistsError):
        io.write_bids_dataset([s], root)
    with pytest.raises(FileNotFoundError, match="not a BIDS dataset"):
        Recording.from_bids(tmp_path, "01")


def test_bids_finds_fmriprep_derivatives_and_volume_events(tmp_path):
    """A dataset laid out as fMRIPrep writes it: its own derivatives folder, hemi before space, a sidecar
    without VolumeTiming — volume times then come from the EEG's volume events."""
    rec = foreign()
    root = io.write_bids_dataset([rec], tmp_path / "bids")
    ours = root / "derivatives" / io.BIDS_PIPELINE
    fmriprep = root / "derivatives" / "fmriprep" / "sub-03" / "ses-01" / "func"
    fmriprep.mkdir(parents=True)
    for path in (ours / "sub-03" / "ses-01" / "func").iterdir():
        name = path.name.replace("space-fsaverage3", "space-fsaverage5")
        if name.endswith(".json"):
            sidecar = json.loads(path.read_text())
            (fmriprep / name).write_text(json.dumps({"RepetitionTime": sidecar["RepetitionTime"]}))
        else:
            (fmriprep / name).write_bytes(path.read_bytes())
    with pytest.raises(ValueError, match="2 surface BOLD runs match.*pass space="):
        Recording.from_bids(root, "03")
    back = Recording.from_bids(root, "03", space="fsaverage5")
    assert back.acquisition is not None and back.acquisition.n_lost == 0  # every volume has its event
    np.testing.assert_allclose(back.volume_times, rec.volume_times, atol=0.5 / rec.sfreq + 1e-9)
    np.testing.assert_array_equal(back.bold, rec.bold)
    with pytest.raises(FileNotFoundError, match="no surface BOLD for subject '03'"):
        Recording.from_bids(root, "03", space="fsLR")


# ---------------------------------------------------------------- CineBrain folders
def test_from_cinebrain_joins_the_per_tr_segments(tmp_path):
    rec = sim()
    per_tr = 200  # 0.8 s at 250 Hz
    eeg = rec.raw.get_data()
    n = 40
    segments = np.stack([eeg[:, i * per_tr:(i + 1) * per_tr] for i in range(n)])
    folder = io.write_cinebrain_folder(segments, rec.bold[:n], tmp_path / "cb")
    back = Recording.from_cinebrain(folder, sfreq=250.0, tr=0.8, ch_names=rec.ch_names, n_vertices=1284)
    assert back.n_volumes == n and back.ch_names == rec.ch_names and back.mesh_name == "ico3"
    np.testing.assert_allclose(back.raw.get_data(), eeg[:, : n * per_tr], rtol=1e-6, atol=1e-12)
    np.testing.assert_allclose(back.volume_times, np.arange(n) * 0.8)
    with pytest.raises(ValueError, match="ch_names: names 2 channels but the segments have 64"):
        Recording.from_cinebrain(folder, sfreq=250.0, tr=0.8, ch_names=["a", "b"])
    with pytest.raises(ValueError, match="expected \\(64, 250\\)"):
        Recording.from_cinebrain(folder, sfreq=250.0, tr=1.0)


def test_from_files_marks_scrubbed_volumes_invalid_and_refuses_swapped_hemispheres(tmp_path):
    rec, acquired, eeg, _ = _write_foreign(tmp_path)
    bold = rec.bold[acquired].copy()
    bold[[20, 21]] = np.nan  # volumes scrubbed to NaN by a preprocessing pipeline
    with pytest.raises(ValueError, match="4 volumes|2 volumes.*allow_nonfinite=True"):
        io.write_gifti_timeseries(bold, 642, tmp_path / "sub-07_ses-02_task-rest_nan_")
    paths = io.write_gifti_timeseries(bold, 642, tmp_path / "sub-07_ses-02_task-rest_nan_", allow_nonfinite=True)
    back = Recording.from_files(eeg=eeg, bold=(paths["left"], paths["right"]))
    k = np.flatnonzero(acquired)[[20, 21]]
    assert not back.valid[k].any() and set(back.volume_status[k]) == {"non-finite"}
    with pytest.raises(ValueError, match="left: .*hemi-R.* pass \\(left, right\\) in that order"):
        Recording.from_files(eeg=eeg, bold=(paths["right"], paths["left"]))
    named = tmp_path / "sub-07_ses-02_a.func.gii", tmp_path / "sub-07_ses-02_b.func.gii"
    for src, dst in zip((paths["right"], paths["left"]), named, strict=True):
        dst.write_bytes(src.read_bytes())  # swapped, and names that do not tell
    with pytest.raises(ValueError, match="left: .* holds CortexRight; pass \\(left, right\\)"):
        Recording.from_files(eeg=eeg, bold=named)


def test_bad_channels_are_left_out_as_mne_does():
    raw = sim().raw.copy()
    raw.info["bads"] = ["Fp1", "Oz"]
    rec = Recording(**{**_parts(), "raw": raw})
    assert "Fp1" not in rec.ch_names and len(rec.ch_names) == 62
    raw.info["bads"] = list(raw.ch_names)
    with pytest.raises(ValueError, match="raw: marks every EEG channel as bad.*interpolate_bads"):
        Recording(**{**_parts(), "raw": raw})
