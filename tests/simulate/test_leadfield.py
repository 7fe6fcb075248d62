"""The EEG lead field: shape, finiteness, dipole sign, any montage, the cache."""

from __future__ import annotations

import numpy as np

from neuroframes_edu.simulate.leadfield import lead_field
from neuroframes_edu.surface import load_fsaverage


def test_lead_field_shape_finiteness_and_dipole_sign():
    import mne

    mesh = load_fsaverage("ico3")
    gain, info, geometry = lead_field(mesh, "biosemi64")
    assert gain.shape == (64, mesh.n_vertices) and np.isfinite(gain).all()
    assert 0.7 < geometry["scale"] <= 1.0
    # a dipole at the top of the cortex pointing outwards is positive under the electrode above it
    top = int(np.argmax(geometry["source_positions"][:, 2]))
    electrodes = np.array([ch["loc"][:3] for ch in info["chs"]])
    nearest = int(np.argmin(np.linalg.norm(electrodes - geometry["source_positions"][top], axis=1)))
    assert mesh.vertex_normals("white")[top, 2] > 0.5
    assert gain[nearest, top] > 0 and gain[nearest, top] > gain[:, top].mean()
    # any built-in montage works, with its own channel count
    other, _, _ = lead_field("ico3", "easycap-M1")
    assert other.shape == (len(mne.channels.make_standard_montage("easycap-M1").ch_names), mesh.n_vertices)
    # the cached copy is not shared with the caller
    other[:] = 0
    assert np.abs(lead_field("ico3", "easycap-M1")[0]).max() > 0
