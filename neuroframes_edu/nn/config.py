"""Everything that defines a :class:`~neuroframes_edu.nn.NeuralFramesModel`, saved with every
checkpoint, and the recipe that builds it for a recording (:meth:`ModelConfig.for_recording`).

Introduced in notebook 07.
"""

from __future__ import annotations

from dataclasses import dataclass

from neuroframes_edu._utils.configs import config_from_dict, config_to_dict
from neuroframes_edu.data.alignment import EEG_WINDOW
from neuroframes_edu.features import BANDS, check_bands
from neuroframes_edu.nn.temporal import TEMPORAL_KINDS

_CONV = ("gcn", "cheb")
_PROPAGATION = ("sparse", "edge_index")


@dataclass(frozen=True)
class ModelConfig:
    """Everything that defines a :class:`NeuralFramesModel` (saved with every checkpoint).

    Parameters
    ----------
    n_channels : int
        EEG channels the model expects.
    sfreq : float
        EEG sampling rate (Hz) the model expects.
    n_vertices : int
        Vertices of the cortical mesh.
    mesh : str
        Mesh name (``"ico3"``, ``"ico4"``, ``"ico5"``, ``"fslr32k"``) to rebuild the graph on load.
    ch_names : tuple of str, optional
        Names of the EEG channels, in the order the model reads them. Data with the same channels in
        another order are reordered by name; data with other channels are refused.
    bands : dict or tuple
        Bands of the library band power fused into the encoder: ``{name: (low, high)}`` in Hz (any
        bands the EEG can carry), or names from ``features.BANDS``. Stored as ``((name, low, high), …)``.
    feature_rate : float
        Rate (Hz) of the encoder's internal features.
    window : float
        Seconds of EEG before each frame that its latent can see (default
        :data:`~neuroframes_edu.data.alignment.EEG_WINDOW`, 16 s: the haemodynamic response).
    kernel_seconds : tuple of float
        Temporal kernel lengths of the multi-scale convolutions, in seconds.
    n_spatial : int
        Spatial EEG components (1 × 1 convolution over channels).
    n_filters : int
        Filters per temporal scale.
    latent_dim : int
        Size ``D`` of a frame latent.
    temporal : {"none", "gru", "lstm"}
        Temporal-coherence module (a bidirectional recurrence over the frame latents, notebook 06);
        ``"none"``, the default, leaves it out: on the course's benchmark it bought no measured gain
        (EEG-only temporal r −0.6% on the full preset, 0.0% on the fast one; completion MSE against
        the truth +0.1% on average; ``benchmarks/results/run-*.md``).
    temporal_hidden : int
        Hidden size per direction of the recurrence.
    hidden_dim : int
        Per-vertex feature size in the decoder.
    n_layers : int
        Graph-convolution layers.
    conv : {"gcn", "cheb"}
    cheb_k : int
        Chebyshev order for ``conv="cheb"``.
    propagation : {"sparse", "edge_index"}
        GCN propagation through the sparse normalised adjacency (faster on CPU) or PyG's scatter path.
    vertex_embed_dim : int
        Learned per-vertex embedding size.
    readout_smoothing : int
        Graph propagation steps applied to the decoder's per-vertex linear readout (0: none).
    dropout : float
    n_sources : int
        Cortical sources of the source-imaging input (0: none): the model then also reads the
        HRF-convolved band power of every source (``FrameBatch.hrf_sources``, from sessions prepared
        with :meth:`~neuroframes_edu.training.PreparedSession.with_sources`), through the encoder's
        linear skip and, per vertex, into the decoder's graph convolutions. The sources must be the
        vertices of the model's mesh (``n_sources == n_vertices``).
    """

    n_channels: int
    sfreq: float
    n_vertices: int
    mesh: str = "ico4"
    ch_names: tuple[str, ...] | None = None
    bands: tuple = tuple((name, lo, hi) for name, (lo, hi) in BANDS.items())
    feature_rate: float = 10.0
    window: float = EEG_WINDOW
    kernel_seconds: tuple[float, ...] = (0.04, 0.1, 0.25)
    n_spatial: int = 16
    n_filters: int = 8
    latent_dim: int = 32
    temporal: str = "none"
    temporal_hidden: int = 32
    hidden_dim: int = 32
    n_layers: int = 2
    conv: str = "gcn"
    cheb_k: int = 3
    propagation: str = "sparse"
    vertex_embed_dim: int = 8
    readout_smoothing: int = 2
    dropout: float = 0.1
    n_sources: int = 0

    def __post_init__(self):
        _check_kinds(self)
        bands = self.bands
        if not isinstance(bands, dict) and all(isinstance(b, (tuple, list)) and len(b) == 3 for b in bands):
            bands = {b[0]: (b[1], b[2]) for b in bands}
        bands = check_bands(bands, self.sfreq)
        object.__setattr__(self, "bands", tuple((name, lo, hi) for name, (lo, hi) in bands.items()))
        if self.ch_names is not None:
            object.__setattr__(self, "ch_names", tuple(str(c) for c in self.ch_names))
            if len(self.ch_names) != self.n_channels or len(set(self.ch_names)) != len(self.ch_names):
                raise ValueError(f"ModelConfig.ch_names must name each of the n_channels={self.n_channels} channels "
                                 f"once, got {len(self.ch_names)} names ({len(set(self.ch_names))} distinct)")
        # kinds and single-field ranges are checked by _check_kinds; these compare fields with each other
        bins = self.sfreq / self.feature_rate
        checks = [
            (self.feature_rate <= self.sfreq / 2, "feature_rate", "in (0, sfreq/2]"),
            (abs(bins - round(bins)) < 1e-6, "feature_rate",
             "sfreq divided into bins of whole samples, e.g. "
             f"{self.sfreq / max(round(bins), 1):.6g} Hz (ModelConfig.for_recording picks it)"),
            (self.window >= 1.0 / self.feature_rate, "window", "at least one feature step"),
            (self.temporal in TEMPORAL_KINDS, "temporal", f"one of {TEMPORAL_KINDS}"),
            (self.conv in _CONV, "conv", f"one of {_CONV}"),
            (self.propagation in _PROPAGATION, "propagation", f"one of {_PROPAGATION}"),
            (self.n_sources in (0, self.n_vertices), "n_sources",
             f"0 (no source input) or n_vertices={self.n_vertices} (an inverse onto the model's mesh)"),
        ]
        for ok, name, expected in checks:
            if not ok:
                raise ValueError(f"ModelConfig.{name} must be {expected}, got {getattr(self, name)!r}")
        from neuroframes_edu.data.recording import MESH_VERTICES, canonical_mesh_name

        try:
            standard = canonical_mesh_name(self.mesh)
        except ValueError:
            standard = None  # a mesh of the user's own: its graph comes with it (load(..., mesh=))
            if self.mesh.lower().startswith(("ico", "fsaverage", "fs_lr", "fslr")):
                raise ValueError(f"ModelConfig.mesh {self.mesh!r} looks like a template mesh but is none of "
                                 f"{', '.join(MESH_VERTICES)}; use one of them, or give a mesh of your own another "
                                 "name") from None
        if standard is not None and MESH_VERTICES[standard] != self.n_vertices:
            raise ValueError(f"ModelConfig.n_vertices is {self.n_vertices} but mesh {self.mesh!r} has "
                             f"{MESH_VERTICES[standard]} vertices; ModelConfig.for_recording(rec, mesh=...) sets both")
        object.__setattr__(self, "kernel_seconds", tuple(self.kernel_seconds))

    @property
    def n_band_features(self) -> int:
        return len(self.bands) * self.n_channels

    @property
    def n_source_features(self) -> int:
        return len(self.bands) * self.n_sources

    @property
    def band_edges(self) -> dict[str, tuple[float, float]]:
        """The bands as ``{name: (low, high)}``, as :func:`~neuroframes_edu.training.prepare_session` takes them."""
        return {name: (lo, hi) for name, lo, hi in self.bands}

    @classmethod
    def for_recording(cls, recording, mesh=None, **overrides) -> ModelConfig:
        """The configuration of a model for ``recording`` (or a prepared session of it): its channels
        (by name), sampling rate, EEG window and mesh, with any other field given in ``overrides``.

        Parameters
        ----------
        recording : Recording or PreparedSession
        mesh : str or CorticalMesh, optional
            The mesh to reconstruct on; default the recording's own (pass a coarser one, e.g.
            ``"ico3"``, to train quickly on resampled BOLD).
        **overrides
            Other :class:`ModelConfig` fields (``temporal="gru"``, ``bands={...}``, ``latent_dim=…``).

        Examples
        --------
        >>> from neuroframes_edu.simulate import SimulationConfig, simulate_session
        >>> rec = simulate_session(SimulationConfig(mesh="ico3", duration=60))
        >>> config = ModelConfig.for_recording(rec)
        >>> config.n_channels, config.mesh, config.ch_names[:2]
        (64, 'ico3', ('Fp1', 'AF7'))
        """
        from neuroframes_edu._utils.validation import check_type
        from neuroframes_edu.data.recording import MESH_VERTICES, Recording, canonical_mesh_name
        from neuroframes_edu.training.prepare import PreparedSession

        check_type(recording, (Recording, PreparedSession), "recording")
        if mesh is None:
            mesh = getattr(recording, "mesh_name", None)
            if mesh is None:  # a prepared session: the mesh of its BOLD
                mesh = next((k for k, v in MESH_VERTICES.items() if v == recording.bold.shape[1]), None)
        if mesh is None:
            raise ValueError("mesh: cannot tell the mesh of this recording; pass mesh= (e.g. 'ico4')")
        if isinstance(mesh, str):
            name, n_vertices = canonical_mesh_name(mesh), MESH_VERTICES[canonical_mesh_name(mesh)]
        else:  # a CorticalMesh: a standard one by its short name, one of the user's own by its name
            name, n_vertices = mesh.name, mesh.n_vertices
            if MESH_VERTICES.get(name.removeprefix("fsaverage5-")) == n_vertices or name in ("fsaverage5", "fs_LR-32k"):
                name = canonical_mesh_name(mesh)
        sfreq = float(recording.sfreq)
        # a prepared session's band-power rate; for a recording, 10 Hz rounded to whole bins of samples
        rate = getattr(recording, "rate", None) or sfreq / round(sfreq / 10.0)
        fields = {"n_channels": len(recording.ch_names), "sfreq": sfreq, "feature_rate": rate,
                  "ch_names": tuple(recording.ch_names), "n_vertices": n_vertices, "mesh": name,
                  "window": float(recording.window)}
        if hasattr(recording, "band_edges"):
            fields["bands"] = recording.band_edges
        if getattr(recording, "hrf_sources", None) is not None:  # a session prepared with its sources
            fields["n_sources"] = recording.hrf_sources.shape[0] // len(recording.band_edges)
        return cls(**{**fields, **overrides})

    def to_dict(self) -> dict:
        """JSON-ready dictionary of the configuration."""
        return config_to_dict(self)

    @classmethod
    def from_dict(cls, d: dict) -> ModelConfig:
        """Inverse of :meth:`to_dict`; unknown keys raise."""
        return config_from_dict(cls, d)


#: ModelConfig's integer fields and their smallest allowed values.
_INTS = {"n_channels": 1, "n_vertices": 3, "n_spatial": 1, "n_filters": 0, "latent_dim": 1, "temporal_hidden": 1,
         "hidden_dim": 1, "n_layers": 1, "cheb_k": 1, "vertex_embed_dim": 0, "readout_smoothing": 0, "n_sources": 0}


def _check_kinds(c: ModelConfig) -> None:
    """Types and ranges of ModelConfig's fields, each named (the other checks then compare them)."""
    from neuroframes_edu._utils.validation import check_int, check_number, check_type

    for name, minimum in _INTS.items():
        check_int(getattr(c, name), f"ModelConfig.{name}", minimum=minimum)
    for name in ("sfreq", "feature_rate", "window"):
        check_number(getattr(c, name), f"ModelConfig.{name}", minimum=0, include_minimum=False)
    check_number(c.dropout, "ModelConfig.dropout", minimum=0, maximum=1, include_maximum=False)
    for name in ("mesh", "temporal", "conv", "propagation"):
        check_type(getattr(c, name), str, f"ModelConfig.{name}")
    check_type(c.kernel_seconds, (tuple, list), "ModelConfig.kernel_seconds", hint="e.g. (0.04, 0.1, 0.25)")
    if not c.kernel_seconds:
        raise ValueError("ModelConfig.kernel_seconds must list at least one kernel length in seconds")
    for k in c.kernel_seconds:
        check_number(k, "ModelConfig.kernel_seconds[…]", minimum=0, include_minimum=False)
    check_type(c.ch_names, (tuple, list, None), "ModelConfig.ch_names")
