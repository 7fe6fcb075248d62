"""The EEG forward model: dipoles at the mesh vertices, oriented along the outward white-surface normal.

:func:`lead_field` fits a three-layer MNE sphere model to any MNE built-in montage, centres the
template cortex in it, scales the cortex to fit inside the brain sphere and computes the gain from
source currents to electrodes. The lead field of a mesh given by name is computed once per process
and cached.

Introduced in notebook 02.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from neuroframes_edu.surface import CorticalMesh, load_mesh


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
    import mne

    from neuroframes_edu._utils.validation import check_number, check_option

    check_option(montage, tuple(mne.channels.get_builtin_montages()), "montage")
    sfreq = check_number(sfreq, "sfreq", minimum=0, include_minimum=False)
    if isinstance(mesh, str):
        gain, info, geometry = _lead_field_cached(mesh, montage, float(sfreq))
        return gain.copy(), info.copy(), dict(geometry)
    return _compute_lead_field(mesh, montage, float(sfreq))
