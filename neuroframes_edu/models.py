"""The model: EEG → frame latents → temporal coherence → surface graph decoder → null-space completion.

Small modules, one idea each (shapes: ``B`` batch, ``F`` frames, ``C`` EEG channels, ``S`` EEG
samples, ``R`` feature-rate steps, ``V`` vertices, ``D`` latent size):

* :class:`EEGEncoder` — multi-scale temporal convolutions (kernel lengths in **seconds**, so they
  mean the same at 250 Hz and 1 kHz) turn EEG into band-power-like features at a low rate, fused
  with the library's band power; a causal readout over the ``window`` seconds before each frame
  (the haemodynamic lag) gives one latent per frame: ``(B, C, S) → (B, F, D)``.
* :class:`TemporalCoherence` — a bidirectional GRU/LSTM over the *sequence of frame latents*,
  added residually: ``(B, F, D) → (B, F, D)``; :func:`smoothness_penalty` penalises second
  differences of the output frames.
* :class:`SurfaceDecoder` — graph convolutions on the cortical mesh (torch-geometric ``GCNConv``,
  through the sparse normalised adjacency, or ``ChebConv``) over per-vertex geometry and learned
  vertex embeddings, modulated by the frame latent: ``(B, F, D) → (B, F, V)``.
* :class:`NeuralFramesModel` — all of it plus null-space completion against whatever frames are
  known (none, some, or a coarser grid), with one :class:`ModelConfig` and ``save``/``load``.

Introduced in notebooks 03 (encoder), 04 (decoder), 06 (coherence) and 07 (the full model).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import torch
from torch import nn

from neuroframes_edu._utils.configs import config_from_dict, config_to_dict
from neuroframes_edu.features import BANDS
from neuroframes_edu.surface import CorticalMesh

_TEMPORAL = ("gru", "lstm", "none")
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
    bands : tuple of str
        Bands of the library band power fused into the encoder (names from ``features.BANDS``).
    feature_rate : float
        Rate (Hz) of the encoder's internal features.
    window : float
        Seconds of EEG before each frame that its latent can see. 16 s covers the haemodynamic
        response (peak ≈ 5 s, return to baseline by ≈ 16–20 s); shorter windows lose it.
    kernel_seconds : tuple of float
        Temporal kernel lengths of the multi-scale convolutions, in seconds.
    n_spatial : int
        Spatial EEG components (1 × 1 convolution over channels).
    n_filters : int
        Filters per temporal scale.
    latent_dim : int
        Size ``D`` of a frame latent.
    temporal : {"gru", "lstm", "none"}
        Temporal-coherence module; ``"none"`` ablates it.
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
    """

    n_channels: int
    sfreq: float
    n_vertices: int
    mesh: str = "ico4"
    bands: tuple[str, ...] = tuple(BANDS)
    feature_rate: float = 10.0
    window: float = 16.0
    kernel_seconds: tuple[float, ...] = (0.04, 0.1, 0.25)
    n_spatial: int = 16
    n_filters: int = 8
    latent_dim: int = 32
    temporal: str = "gru"
    temporal_hidden: int = 32
    hidden_dim: int = 32
    n_layers: int = 2
    conv: str = "gcn"
    cheb_k: int = 3
    propagation: str = "sparse"
    vertex_embed_dim: int = 8
    readout_smoothing: int = 2
    dropout: float = 0.1

    def __post_init__(self):
        checks = [
            (self.n_channels >= 1, "n_channels", "≥ 1"),
            (self.sfreq > 0, "sfreq", "positive (Hz)"),
            (self.n_vertices >= 3, "n_vertices", "≥ 3"),
            (all(b in BANDS for b in self.bands), "bands", f"names from {tuple(BANDS)}"),
            (0 < self.feature_rate <= self.sfreq / 2, "feature_rate", "in (0, sfreq/2]"),
            (self.window >= 1.0 / self.feature_rate, "window", "at least one feature step"),
            (all(k > 0 for k in self.kernel_seconds), "kernel_seconds", "positive"),
            (self.n_filters >= 0 and self.readout_smoothing >= 0, "n_filters", "≥ 0 (0: band power only)"),
            (self.temporal in _TEMPORAL, "temporal", f"one of {_TEMPORAL}"),
            (self.conv in _CONV, "conv", f"one of {_CONV}"),
            (self.propagation in _PROPAGATION, "propagation", f"one of {_PROPAGATION}"),
            (self.n_layers >= 1, "n_layers", "≥ 1"),
            (0 <= self.dropout < 1, "dropout", "in [0, 1)"),
        ]
        for ok, name, expected in checks:
            if not ok:
                raise ValueError(f"ModelConfig.{name} must be {expected}, got {getattr(self, name)!r}")
        for name in ("kernel_seconds", "bands"):
            object.__setattr__(self, name, tuple(getattr(self, name)))

    @property
    def n_band_features(self) -> int:
        return len(self.bands) * self.n_channels

    def to_dict(self) -> dict:
        """JSON-ready dictionary of the configuration."""
        return config_to_dict(self)

    @classmethod
    def from_dict(cls, d: dict) -> ModelConfig:
        """Inverse of :meth:`to_dict`; unknown keys raise."""
        return config_from_dict(cls, d)


@dataclass
class FrameBatch:
    """One batch of model inputs (and, for training, targets).

    Attributes
    ----------
    eeg : tensor, shape (B, C, S)
        Standardised EEG segments, each starting ``window`` seconds before its first frame.
    bands : tensor, shape (B, n_bands · C, R)
        Standardised log band power of the same segments at ``feature_rate``.
    hrf_bands : tensor, shape (B, F, n_bands · C)
        HRF-convolved band power at each frame.
    frame_times : tensor, shape (B, F)
        Seconds from each segment's start to each frame (≥ ``window``).
    sfreq : float
        EEG sampling rate of ``eeg``.
    target : tensor, shape (B, F, V), optional
        z-scored BOLD at the frames.
    valid : tensor of bool, shape (B, F), optional
        Frames whose target counts in the loss.
    known : tensor of bool, shape (B, F), optional
        Frames whose measurement is given for null-space completion.
    measured : tensor, shape (B, F, V), optional
        The measurements at known frames (other entries are ignored).
    """

    eeg: torch.Tensor
    bands: torch.Tensor
    hrf_bands: torch.Tensor
    frame_times: torch.Tensor
    sfreq: float
    target: torch.Tensor | None = None
    valid: torch.Tensor | None = None
    known: torch.Tensor | None = None
    measured: torch.Tensor | None = None
    extras: dict = field(default_factory=dict)

    def to(self, device) -> FrameBatch:
        moved = {k: (v.to(device) if isinstance(v, torch.Tensor) else v) for k, v in self.__dict__.items()}
        return FrameBatch(**moved)


# ------------------------------------------------------------------------------------------- encoder
class EEGEncoder(nn.Module):
    """Multi-scale temporal convolutional EEG encoder with a causal haemodynamic readout.

    ``eeg (B, C, S)``, ``bands (B, n_bands·C, R)``, ``hrf_bands (B, F, n_bands·C)``,
    ``frame_times (B, F)`` → ``latents (B, F, D)``.

    Each temporal scale is a convolution of ``kernel_seconds[i] · sfreq`` samples whose squared output
    is averaged to ``feature_rate`` and log-scaled (a learned band power). Those features and the
    library's band power are mixed, then a causal depthwise convolution spanning ``window`` seconds
    (a learned haemodynamic response per feature) produces the latent at each frame from the EEG that
    precedes it. HRF-convolved band power at the frame enters through a linear skip.
    """

    def __init__(self, config: ModelConfig):
        super().__init__()
        c = config
        self.sfreq, self.rate, self.window = float(c.sfreq), float(c.feature_rate), float(c.window)
        self.pool = max(int(round(c.sfreq / c.feature_rate)), 1)
        self.spatial = nn.Conv1d(c.n_channels, c.n_spatial, kernel_size=1)
        self.scales = nn.ModuleList()
        for seconds in (c.kernel_seconds if c.n_filters > 0 else ()):
            k = max(int(round(seconds * c.sfreq)), 1)
            self.scales.append(nn.Conv1d(c.n_spatial, c.n_filters, kernel_size=k, padding=k // 2, bias=False))
        n_feat = len(self.scales) * c.n_filters + c.n_band_features
        self.mix = nn.Sequential(nn.Conv1d(n_feat, c.latent_dim, kernel_size=1), nn.GELU(), nn.Dropout(c.dropout))
        self.readout_len = max(int(round(c.window * c.feature_rate)), 1)
        self.readout = nn.Conv1d(c.latent_dim, c.latent_dim, kernel_size=self.readout_len, groups=c.latent_dim)
        self.pointwise = nn.Conv1d(c.latent_dim, c.latent_dim, kernel_size=1)
        # No normalisation across latent features: their absolute size carries how active each
        # component is, which a per-frame LayerNorm would erase.
        self.skip = nn.Linear(c.n_band_features, c.latent_dim)

    def forward(self, eeg: torch.Tensor, bands: torch.Tensor, hrf_bands: torch.Tensor,
                frame_times: torch.Tensor) -> torch.Tensor:
        x = self.spatial(eeg)
        n_steps = bands.shape[-1]
        learned = []
        for conv in self.scales:
            power = conv(x)[..., : eeg.shape[-1]] ** 2
            power = power[..., : n_steps * self.pool]
            if power.shape[-1] < n_steps * self.pool:
                power = nn.functional.pad(power, (0, n_steps * self.pool - power.shape[-1]))
            learned.append(torch.log(nn.functional.avg_pool1d(power, self.pool) + 1e-6))
        feats = self.mix(torch.cat([*learned, bands], dim=1))  # (B, D, R)
        causal = nn.functional.pad(feats, (self.readout_len - 1, 0))
        series = self.pointwise(self.readout(causal))  # (B, D, R): step r summarises [r − window, r]
        # the feature step that ends at each frame time
        index = (frame_times * self.rate).floor().long().clamp(0, n_steps - 1) - 1
        index = index.clamp(min=0)
        latents = torch.gather(series, 2, index[:, None, :].expand(-1, series.shape[1], -1)).transpose(1, 2)
        return latents + self.skip(hrf_bands)


# ------------------------------------------------------------------------------------------- temporal
class TemporalCoherence(nn.Module):
    """Bidirectional recurrence over the sequence of frame latents, added residually.

    ``latents (B, F, D) → (B, F, D)``. Each frame's latent is refined by those before and after it,
    which makes consecutive reconstructed frames consistent. ``kind="none"`` is the identity (the
    ablation).
    """

    def __init__(self, dim: int, hidden: int = 32, kind: str = "gru", dropout: float = 0.0):
        super().__init__()
        if kind not in _TEMPORAL:
            raise ValueError(f"kind must be one of {_TEMPORAL}, got {kind!r}")
        self.kind = kind
        if kind != "none":
            rnn = nn.GRU if kind == "gru" else nn.LSTM
            self.rnn = rnn(dim, hidden, batch_first=True, bidirectional=True)
            self.out = nn.Sequential(nn.Dropout(dropout), nn.Linear(2 * hidden, dim))
            nn.init.zeros_(self.out[1].weight)
            nn.init.zeros_(self.out[1].bias)

    def forward(self, latents: torch.Tensor) -> torch.Tensor:
        if self.kind == "none":
            return latents
        h, _ = self.rnn(latents)
        return latents + self.out(h)


def smoothness_penalty(frames: torch.Tensor, weight: float = 1.0) -> torch.Tensor:
    """``weight · mean((x[t+1] − 2 x[t] + x[t−1])²)`` over frames (axis −2) of ``(..., F, V)``; 0 if F < 3."""
    if frames.shape[-2] < 3:
        return frames.new_zeros(())
    second = frames[..., 2:, :] - 2 * frames[..., 1:-1, :] + frames[..., :-2, :]
    return weight * (second**2).mean()


# ------------------------------------------------------------------------------------------- decoder
def propagate_sparse(adjacency: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """Multiply every graph in a batch by a sparse ``(V, V)`` matrix: ``x (N, V, H) → (N, V, H)``.

    The batch is folded into the feature axis so that one sparse–dense product serves all graphs.
    """
    n, v, h = x.shape
    folded = x.permute(1, 0, 2).reshape(v, n * h)
    out = torch.sparse.mm(adjacency, folded) if adjacency.layout != torch.strided else adjacency @ folded
    return out.reshape(v, n, h).permute(1, 0, 2)


class SurfaceConv(nn.Module):
    """One torch-geometric graph convolution on the cortical mesh, batched over frames.

    ``x (N, V, H) → (N, V, H)``. ``conv="gcn"`` uses PyG's ``GCNConv`` weights; with
    ``propagation="sparse"`` its propagation runs as one sparse product with the normalised adjacency
    (identical result, measured about twice as fast on CPU), with ``"edge_index"`` through PyG's own
    message passing. ``conv="cheb"`` uses PyG's ``ChebConv``.
    """

    def __init__(self, dim: int, conv: str = "gcn", propagation: str = "sparse", cheb_k: int = 3):
        super().__init__()
        from torch_geometric.nn import ChebConv, GCNConv

        self.kind, self.propagation = conv, propagation
        if conv == "gcn":
            self.conv = GCNConv(dim, dim, normalize=False, add_self_loops=False)
        else:
            self.conv = ChebConv(dim, dim, K=cheb_k, normalization="sym")

    def forward(self, x: torch.Tensor, adjacency: torch.Tensor, edge_index: torch.Tensor,
                edge_weight: torch.Tensor) -> torch.Tensor:
        if self.kind == "gcn" and self.propagation == "sparse":
            h = self.conv.lin(x)
            return propagate_sparse(adjacency, h) + self.conv.bias
        if self.kind == "gcn":
            return self.conv(x, edge_index, edge_weight)
        return torch.stack([self.conv(xi, edge_index) for xi in x])


class SurfaceDecoder(nn.Module):
    """Graph-convolutional decoder from frame latents to one value per cortical vertex.

    ``latents (B, F, D) → frames (B, F, V)``.

    Every vertex starts from its geometry (midthickness position, normal, sulcal depth) and a learned
    embedding; the frame latent modulates these features (feature-wise affine, FiLM); graph
    convolutions spread information along the cortex; a per-vertex linear readout of the latent is
    added, so the decoder can express both smooth spatial patterns and vertex-specific responses.
    The mesh enters as buffers (``edge_index``, the sparse normalised adjacency), never recomputed.
    """

    def __init__(self, mesh: CorticalMesh, latent_dim: int, hidden_dim: int = 32, n_layers: int = 2,
                 vertex_embed_dim: int = 8, conv: str = "gcn", propagation: str = "sparse", cheb_k: int = 3,
                 dropout: float = 0.0, readout_smoothing: int = 2):
        super().__init__()
        self.n_vertices = mesh.n_vertices
        geometry = torch.cat([
            torch.as_tensor(mesh.coordinates["midthickness"], dtype=torch.float32) / 50.0,
            torch.as_tensor(mesh.vertex_normals("white"), dtype=torch.float32),
            torch.as_tensor(mesh.sulc, dtype=torch.float32)[:, None],
        ], dim=1)
        geometry = (geometry - geometry.mean(0)) / geometry.std(0).clamp_min(1e-6)
        self.register_buffer("geometry", geometry, persistent=False)
        adjacency = mesh.normalized_adjacency
        self.register_buffer("adjacency", adjacency, persistent=False)
        coo = adjacency.to_sparse_coo().coalesce()
        self.register_buffer("edge_index", coo.indices(), persistent=False)
        self.register_buffer("edge_weight", coo.values(), persistent=False)
        self.embedding = nn.Parameter(torch.randn(mesh.n_vertices, vertex_embed_dim) * 0.1)
        self.base = nn.Sequential(nn.Linear(geometry.shape[1] + vertex_embed_dim, hidden_dim), nn.GELU(),
                                  nn.Linear(hidden_dim, hidden_dim))
        self.film = nn.Linear(latent_dim, 2 * hidden_dim)
        self.convs = nn.ModuleList([SurfaceConv(hidden_dim, conv, propagation, cheb_k) for _ in range(n_layers)])
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(hidden_dim, 1)
        self.readout = nn.Parameter(torch.zeros(mesh.n_vertices, latent_dim))
        self.readout_smoothing = readout_smoothing

    def forward(self, latents: torch.Tensor) -> torch.Tensor:
        b, f, d = latents.shape
        z = latents.reshape(b * f, d)
        base = self.base(torch.cat([self.geometry, self.embedding], dim=1))  # (V, H)
        gamma, beta = self.film(z).chunk(2, dim=-1)  # (N, H)
        h = nn.functional.gelu(base[None] * (1 + gamma[:, None]) + beta[:, None])  # (N, V, H)
        for conv in self.convs:
            h = h + self.dropout(nn.functional.gelu(conv(h, self.adjacency, self.edge_index, self.edge_weight)))
        linear = (z @ self.readout.T)[..., None]  # (N, V, 1): a per-vertex linear readout of the latent …
        for _ in range(self.readout_smoothing):  # … smoothed along the cortex, as BOLD maps are
            linear = propagate_sparse(self.adjacency, linear)
        out = self.head(h)[..., 0] + linear[..., 0]  # (N, V)
        return out.reshape(b, f, self.n_vertices)


# ------------------------------------------------------------------------------------------- full model
class NeuralFramesModel(nn.Module):
    """EEG-conditioned reconstruction of cortical fMRI frames with exact null-space completion.

    ``FrameBatch → (x_hat, x_pred)``, both ``(B, F, V)``: ``x_pred`` is the network's prediction and
    ``x_hat`` the completed frames, equal to ``measured`` at every ``known`` frame (or to ``A†y`` in
    the range of a given operator) and to the prediction elsewhere.
    """

    def __init__(self, config: ModelConfig, mesh: CorticalMesh):
        super().__init__()
        if mesh.n_vertices != config.n_vertices:
            raise ValueError(f"mesh {mesh.name!r} has {mesh.n_vertices} vertices but config.n_vertices is "
                             f"{config.n_vertices}; build the config for this mesh")
        self.config = config
        self.encoder = EEGEncoder(config)
        self.temporal = TemporalCoherence(config.latent_dim, config.temporal_hidden, config.temporal, config.dropout)
        self.decoder = SurfaceDecoder(mesh, config.latent_dim, config.hidden_dim, config.n_layers,
                                      config.vertex_embed_dim, config.conv, config.propagation, config.cheb_k,
                                      config.dropout, config.readout_smoothing)

    def check_batch(self, batch: FrameBatch) -> None:
        """Raise a clear error for inputs the model was not built for."""
        c = self.config
        if batch.eeg.ndim != 3:
            raise ValueError(f"eeg must be (batch, channels, samples), got shape {tuple(batch.eeg.shape)}")
        if batch.eeg.shape[1] != c.n_channels:
            raise ValueError(f"eeg has {batch.eeg.shape[1]} channels but the model was built for {c.n_channels} "
                             "(model.config.n_channels); re-create the model or pick channels with raw.pick(...)")
        if float(batch.sfreq) != float(c.sfreq):
            raise ValueError(f"eeg is sampled at {batch.sfreq} Hz but the model was built for {c.sfreq} Hz "
                             f"(model.config.sfreq); resample with raw.resample({c.sfreq})")
        if batch.bands.shape[1] != c.n_band_features:
            raise ValueError(f"bands has {batch.bands.shape[1]} features, expected {c.n_band_features} "
                             f"({len(c.bands)} bands × {c.n_channels} channels)")
        n_frames = batch.frame_times.shape[-1]
        for name in ("eeg", "bands", "hrf_bands", "frame_times"):
            t = getattr(batch, name)
            if not torch.isfinite(t).all():
                raise ValueError(f"{name} contains NaN or infinite values; clean the recording first")
        if batch.hrf_bands.shape[:2] != batch.frame_times.shape:
            raise ValueError(f"hrf_bands has {tuple(batch.hrf_bands.shape[:2])} (batch, frames) but frame_times "
                             f"has {tuple(batch.frame_times.shape)}")
        if (batch.frame_times < c.window - 1e-6).any():
            raise ValueError(f"every frame needs {c.window} s of EEG before it (model.config.window); the earliest "
                             f"frame is at {float(batch.frame_times.min()):.2f} s into its segment")
        if batch.known is not None:
            if batch.known.shape != batch.frame_times.shape:
                raise ValueError(f"known has shape {tuple(batch.known.shape)} but there are "
                                 f"{tuple(batch.frame_times.shape)} (batch, frames); one flag per frame")
            if batch.measured is None:
                raise ValueError("known is given but measured is None; pass the measured frames too")
            if batch.measured.shape[-1] != c.n_vertices or batch.measured.shape[-2] != n_frames:
                raise ValueError(f"measured has shape {tuple(batch.measured.shape)}, expected (batch, {n_frames}, "
                                 f"{c.n_vertices}): one frame per frame time on the model's mesh")
            if not torch.isfinite(batch.measured[batch.known]).all():
                raise ValueError("measured contains NaN or infinite values at known frames")

    def forward(self, batch: FrameBatch, operator=None, measurements=None, lam: float = 1.0):
        """Reconstruct frames; complete them against ``batch.known``/``batch.measured`` or an operator.

        Parameters
        ----------
        batch : FrameBatch
        operator : neuroframes_edu.nullspace.MeasurementOperator, optional
            A shared measurement operator along the frame axis (e.g. blurred decimation), used with
            ``measurements`` of shape ``(B, M, V)`` instead of a mask.
        lam : float
            Weight of the measurements (1: exact; below 1 for noisy measurements).

        Returns
        -------
        x_hat, x_pred : tensors, shape (B, F, V)
        """
        self.check_batch(batch)
        latents = self.encoder(batch.eeg, batch.bands, batch.hrf_bands, batch.frame_times)
        latents = self.temporal(latents)
        x_pred = self.decoder(latents)
        if operator is not None:
            if measurements is None:
                raise ValueError("operator is given but measurements is None")
            return operator.project(x_pred, measurements.to(x_pred.dtype), lam), x_pred
        if batch.known is not None and batch.known.any():
            known = batch.known[..., None]
            measured = batch.measured.to(x_pred.dtype)
            if lam == 1.0:
                x_hat = torch.where(known, measured, x_pred)
            else:
                x_hat = torch.where(known, x_pred + lam * (measured - x_pred), x_pred)
            return x_hat, x_pred
        return x_pred, x_pred

    # -------------------------------------------------------------- checkpoints
    def save(self, path: str | Path, extra: dict | None = None) -> Path:
        """Save the weights with the config (atomically), loadable with ``weights_only=True``."""
        from neuroframes_edu._utils.atomic import atomic_file

        path = Path(path)
        payload = {"format": "neuroframes-edu model", "version": 1, "config": self.config.to_dict(),
                   "state_dict": self.state_dict(), "extra": dict(extra or {})}
        with atomic_file(path) as tmp:
            torch.save(payload, tmp)
        return path

    @classmethod
    def load(cls, path: str | Path, mesh: CorticalMesh | None = None, map_location="cpu") -> NeuralFramesModel:
        """Load a checkpoint written by :meth:`save` (``torch.load(..., weights_only=True)``).

        Raises
        ------
        FileNotFoundError
            If the file does not exist.
        ValueError
            If the file is not a neuroframes-edu checkpoint, is corrupt, or ``mesh`` does not match.
        """
        from neuroframes_edu.surface import load_mesh

        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(f"checkpoint {path} does not exist")
        try:
            payload = torch.load(path, map_location=map_location, weights_only=True)
        except Exception as exc:
            raise ValueError(f"cannot read checkpoint {path} ({type(exc).__name__}: {exc}); the file is corrupt "
                             "or not a torch checkpoint") from exc
        if not isinstance(payload, dict) or payload.get("format") != "neuroframes-edu model":
            raise ValueError(f"{path} is not a neuroframes-edu model checkpoint")
        config = ModelConfig.from_dict(payload["config"])
        mesh = mesh or load_mesh(config.mesh)
        model = cls(config, mesh)
        try:
            model.load_state_dict(payload["state_dict"])
        except RuntimeError as exc:
            raise ValueError(f"{path} does not fit the model its config describes: {exc}") from exc
        model.checkpoint_extra = payload.get("extra", {})
        return model


def count_parameters(model: nn.Module) -> int:
    """Number of trainable parameters."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)

