"""The cortical mesh: both hemispheres in one vertex array, with the graph structures built on it.

Vertices are stacked left hemisphere first, then right; ``faces`` index into that stacked array.
Each :class:`CorticalMesh` also carries what the graph networks and the simulator need:
``edge_index`` and the symmetric normalised adjacency for torch-geometric, the graph Laplacian,
smoothing, vertex normals and areas, geodesic distances, named regions of interest (built by
:mod:`neuroframes_edu.surface.regions`), and conversions to nilearn objects for plotting. Template
meshes are loaded by :mod:`neuroframes_edu.surface.templates`.

Introduced in notebook 00 (the mesh, plotting) and notebook 01 (graphs, smoothing, geodesics, regions).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import scipy.sparse as sp

from neuroframes_edu.surface.regions import FSAVERAGE_LANDMARKS, HEMISPHERES, Landmark, landmark_rois

#: Surface geometries that every :class:`CorticalMesh` carries (midthickness = mean of pial and white
#: where a mesh ships none).
SURFACE_TYPES = ("pial", "white", "midthickness", "inflated", "sphere")


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
        from neuroframes_edu._utils.validation import check_type

        check_type(bool(normalized) if isinstance(normalized, np.bool_) else normalized, bool, "normalized")
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

        from neuroframes_edu._utils.validation import check_array, check_int

        x = np.asarray(values, dtype=np.float32)
        if x.ndim not in (1, 2) or x.shape[0] != self.n_vertices:
            raise ValueError(f"values must have shape ({self.n_vertices},) or ({self.n_vertices}, n_maps) for "
                             f"mesh {self.name!r}, got {x.shape}")
        check_array(x, "values")  # a NaN would spread to every neighbour at each step
        steps = check_int(steps, "steps", minimum=0)
        t = torch.from_numpy(x.reshape(self.n_vertices, -1).copy())
        for _ in range(steps):
            t = self.normalized_adjacency @ t
        return t.numpy().reshape(x.shape)

    def roughness(self, values) -> float:
        """Normalised Dirichlet energy ``xᵀ L x / xᵀ x`` of a centred map (mean over maps if 2-D).

        0 for a constant map, up to 2 for the roughest (the normalised Laplacian's spectrum is in [0, 2]);
        white noise scores about 1.
        """
        from neuroframes_edu._utils.validation import check_array

        x = check_array(values, "values", axes=f"({self.n_vertices},) or ({self.n_vertices}, n_maps)")
        if x.ndim not in (1, 2) or x.shape[0] != self.n_vertices:
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

        from neuroframes_edu._utils.validation import check_number

        raw = np.atleast_1d(np.asarray(sources))
        if raw.dtype.kind not in "iu" and not (raw.dtype == object and all(isinstance(s, (int, np.integer))
                                                                          and not isinstance(s, bool) for s in raw)):
            raise TypeError(f"sources must be integer vertex indices, got {raw.dtype} values {raw.tolist()[:5]}")
        sources = raw.astype(int)
        if max_distance is not None:
            max_distance = check_number(max_distance, "max_distance (mm)", minimum=0)
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
        from neuroframes_edu._utils.validation import check_array

        point = check_array(xyz, "xyz", shape=(3,), axes="(x, y, z) in mm")
        sl = self.hemisphere_slice(hemi)
        d = np.linalg.norm(self._coords(surface)[sl] - point, axis=1)
        return int(sl.start + d.argmin())

    def landmark_vertex(self, landmark: str | Landmark, hemi: str) -> int:
        """Vertex nearest to an anatomical landmark (by name from :data:`FSAVERAGE_LANDMARKS`) in ``hemi``."""
        if isinstance(landmark, str):
            from neuroframes_edu._utils.validation import check_option

            check_option(landmark, tuple(FSAVERAGE_LANDMARKS), "landmark")
        lm = FSAVERAGE_LANDMARKS[landmark] if isinstance(landmark, str) else landmark
        x, y, z = lm.mni
        return self.nearest_vertex((x if hemi == "left" else -x, y, z), hemi)

    @cached_property
    def rois(self) -> dict[str, np.ndarray]:
        """Named regions of interest, each a boolean mask over vertices (both hemispheres).

        fsaverage: geodesic disks around :data:`FSAVERAGE_LANDMARKS` (see :data:`FSAVERAGE_ROIS` and
        :func:`~neuroframes_edu.surface.regions.landmark_rois`); fs_LR: unions of Glasser areas (see
        :data:`GLASSER_ROIS`), precomputed in :attr:`roi_masks` by the loader.
        """
        if self.roi_masks is not None:
            return dict(self.roi_masks)
        return landmark_rois(self)

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
