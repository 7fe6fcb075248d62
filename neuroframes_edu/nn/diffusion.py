"""The paper's model: EEG-conditioned latent diffusion over windows of cortical frames, with
null-space (DDNM) sampling — ``FrameBatch → samples (S, B, K, V)``.

Qu et al. (CVPR 2026, arXiv 2603.24176), as the paper describes it:

1. a **linear** frame autoencoder (:class:`~neuroframes_edu.nn.autoencoder.LinearFrameAutoencoder`)
   maps every frame to a latent, so that the range–null projection is exact in latent space;
2. a DiT-style transformer (:class:`~neuroframes_edu.nn.denoiser.FrameDenoiser`) denoises the ``K``
   frame latents of a window, attending to EEG tokens from a temporal-convolutional encoder (the
   course's :class:`~neuroframes_edu.nn.EEGEncoder`) in every block;
3. it is trained to predict the noise (ε-prediction, 1000 steps, linear β) and sampled with DDIM;
4. completing a window whose some frames were measured ("InterRecon") uses the **same checkpoint**
   with another sampler: at every step the predicted clean latents are projected,
   ``ẑ_0 ← A†E(y) + (I − A†A) ẑ_0`` (DDNM), or partially for noisy measurements (DDNM+).

Here ``forward`` is the training objective's forward pass (as in diffusion training scripts): it
noises the target frames' latents at random steps and returns the noise prediction beside the
noise, so that :func:`~neuroframes_edu.training.fit` trains it like the course's other model
(validation, early stopping, seeds, mixed precision, DDP). :meth:`EEGDiffusionModel.sample` draws
reconstructions.

The autoencoder is fitted first (PCA of training frames by default) and frozen: trained jointly
with the noise prediction it could shrink its latents until noise hides them.

Introduced in notebook 09.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path

import torch
from torch import nn

from neuroframes_edu._utils.configs import config_from_dict
from neuroframes_edu.nn.autoencoder import LinearFrameAutoencoder
from neuroframes_edu.nn.config import ModelConfig
from neuroframes_edu.nn.denoiser import FrameDenoiser
from neuroframes_edu.nn.encoder import EEGEncoder
from neuroframes_edu.nn.model import (
    DIFFUSION_FORMAT,
    FrameBatch,
    check_frame_batch,
    masked_mse,
    read_checkpoint,
    restore_checkpoint,
    write_checkpoint,
)
from neuroframes_edu.nn.schedule import NoiseSchedule, ddim_sample, ddnm_plus_weight


@dataclass(frozen=True)
class DiffusionConfig:
    """Everything that defines an :class:`EEGDiffusionModel` (saved with every checkpoint).

    Parameters
    ----------
    eeg : ModelConfig
        The EEG side: channels, sampling rate, bands, window, the encoder's sizes (its ``latent_dim``
        is the size of an EEG token) and ``n_sources`` for source band power; as for the course's
        model (:meth:`ModelConfig.for_recording`). Its decoder fields are unused.
    frame_latent_dim : int
        Latent size of a frame in the linear autoencoder (the paper: 1024 for 91,282 grayordinates).
    width, depth, heads : int
        The denoising transformer (the paper: 1024, 6, 8).
    dropout : float
        Dropout in the transformer.
    n_steps : int
        Diffusion steps (the paper: 1000).
    beta_start, beta_end : float
        The linear β schedule.
    cond_dropout : float
        Probability of replacing a window's EEG tokens by a learned "no EEG" token in training, so
        that sampling can use classifier-free guidance (0 disables it).
    prediction : {"v", "epsilon"}
        What the denoiser predicts: the velocity ``v = √ᾱ_t ε − √(1 − ᾱ_t) z_0`` (Salimans & Ho 2022)
        or the noise (ε, the paper's and DDPM's choice). Sampling turns either into the noise and the
        clean estimate. With ε the clean estimate at the noisiest steps divides the prediction's error
        by ``√ᾱ_t`` (0.006 at the last of 1000 steps), which is where the EEG's information has to
        enter; with v it does not. Measured on the course's data (subject 1, one training session,
        ico3, width 128, depth 4, dropout 0.1; EEG-only temporal r of the mean of 16 samples, against
        the source ridge's 0.474): v 0.460, ε 0.224 (``benchmarks/diffusion.py`` compares them on
        both subjects).
    tokens : {"linear", "encoder"}
        Where the EEG tokens come from. ``"encoder"``, the paper's way: the course's temporal-
        convolutional :class:`~neuroframes_edu.nn.EEGEncoder` on the raw EEG, trained with the
        denoiser. ``"linear"``: a linear map of the HRF-convolved band power at each frame (of the
        sources where ``eeg.n_sources``, else of the channels) — the encoder's own skip path without
        its convolutions — which :func:`~neuroframes_edu.training.train_diffusion` starts from the
        ridge. The default, for quality and cost: from EEG alone the encoder's tokens reach temporal
        r 0.411 against 0.448 for ``"linear"`` (``benchmarks/diffusion.py``, 2 subjects, one training
        session each), and on 2 CPU cores a training step of 16 windows takes 1.0 s through the encoder
        and 0.08 s through the denoiser (ico3, 64 channels).
    """

    eeg: ModelConfig
    frame_latent_dim: int = 64
    width: int = 128
    depth: int = 4
    heads: int = 4
    dropout: float = 0.1
    n_steps: int = 1000
    beta_start: float = 1e-4
    beta_end: float = 0.02
    cond_dropout: float = 0.1
    prediction: str = "v"
    tokens: str = "linear"

    def __post_init__(self):
        if not isinstance(self.eeg, ModelConfig):
            raise TypeError(f"DiffusionConfig.eeg must be a ModelConfig (ModelConfig.for_recording(...)), got "
                            f"{type(self.eeg).__name__}")
        from neuroframes_edu._utils.validation import check_int, check_number, check_type

        for name in ("frame_latent_dim", "width", "depth", "heads", "n_steps"):
            check_int(getattr(self, name), f"DiffusionConfig.{name}")  # no floats, no bools
        for name in ("dropout", "beta_start", "beta_end", "cond_dropout"):  # kinds first, then ranges below
            check_number(getattr(self, name), f"DiffusionConfig.{name}")
        for name in ("tokens", "prediction"):
            check_type(getattr(self, name), str, f"DiffusionConfig.{name}")
        checks = [
            (isinstance(self.frame_latent_dim, int) and 1 <= self.frame_latent_dim <= self.eeg.n_vertices,
             "frame_latent_dim", f"an int in 1..n_vertices={self.eeg.n_vertices}"),
            (isinstance(self.width, int) and self.width >= 2, "width", "an int ≥ 2"),
            (isinstance(self.depth, int) and self.depth >= 1, "depth", "an int ≥ 1"),
            (isinstance(self.heads, int) and self.heads >= 1 and self.width % self.heads == 0, "heads",
             f"an int ≥ 1 dividing width={self.width}"),
            (0 <= self.dropout < 1, "dropout", "in [0, 1)"),
            (isinstance(self.n_steps, int) and self.n_steps >= 2, "n_steps", "an int ≥ 2"),
            (0 < self.beta_start < self.beta_end < 1, "beta_start", "in (0, beta_end) with beta_end < 1"),
            (0 <= self.cond_dropout < 1, "cond_dropout", "in [0, 1)"),
            (self.tokens in ("linear", "encoder"), "tokens", "'linear' or 'encoder'"),
            (self.prediction in ("epsilon", "v"), "prediction", "'epsilon' or 'v'"),
        ]
        for ok, name, expected in checks:
            if not ok:
                raise ValueError(f"DiffusionConfig.{name} must be {expected}, got {getattr(self, name)!r}")

    @classmethod
    def for_recording(cls, recording, mesh=None, eeg: dict | None = None, **overrides) -> DiffusionConfig:
        """The configuration for ``recording`` (or a prepared session): its EEG side from
        :meth:`ModelConfig.for_recording` (``eeg=`` overrides its fields), with ``overrides`` here."""
        return cls(eeg=ModelConfig.for_recording(recording, mesh=mesh, **(eeg or {})), **overrides)

    def to_dict(self) -> dict:
        """JSON-ready dictionary of the configuration."""
        return {f.name: self.eeg.to_dict() if f.name == "eeg" else getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_dict(cls, d: dict) -> DiffusionConfig:
        """Inverse of :meth:`to_dict`; unknown keys raise."""
        d = dict(d)
        if "eeg" not in d:
            raise ValueError("a DiffusionConfig dictionary needs its 'eeg' ModelConfig")
        return config_from_dict(cls, {**d, "eeg": ModelConfig.from_dict(d.pop("eeg"))})


class _PerWindowMask:
    """A frame mask per window of a batch, with :class:`~neuroframes_edu.nullspace.FrameMask`'s
    ``project(x, y, lam)`` (``y`` holds every frame, measured ones in place): the sampler's operator
    when windows were measured at different frames."""

    def __init__(self, known: torch.Tensor):
        self.known = known

    def project(self, x: torch.Tensor, y: torch.Tensor, lam: float = 1.0) -> torch.Tensor:
        from neuroframes_edu.nullspace import complete_known

        return complete_known(x, y, self.known, lam=float(lam))


class EEGDiffusionModel(nn.Module):
    """EEG-conditioned latent diffusion over windows of cortical frames (the paper's model).

    Parameters
    ----------
    config : DiffusionConfig

    Notes
    -----
    ``forward(batch) → (ε̂, ε)``, each ``(B, K, L)``: the training objective's prediction and target
    (:meth:`loss` scores them on the valid frames). :meth:`sample` reconstructs.
    """

    def __init__(self, config: DiffusionConfig):
        super().__init__()
        self.config = config
        self.source_imaging = None  # the EEG inverse, for models that read source band power
        eeg = config.eeg
        self.encoder = EEGEncoder(eeg) if config.tokens == "encoder" else None
        n_features = eeg.n_source_features if eeg.n_sources else eeg.n_band_features
        self.token_map = nn.Linear(n_features, eeg.latent_dim) if config.tokens == "linear" else None
        self.autoencoder = LinearFrameAutoencoder(config.eeg.n_vertices, config.frame_latent_dim)
        self.autoencoder.requires_grad_(False)
        self.denoiser = FrameDenoiser(config.frame_latent_dim, config.eeg.latent_dim, config.width, config.depth,
                                      config.heads, config.dropout)
        self.null_token = nn.Parameter(torch.zeros(config.eeg.latent_dim))
        self.schedule = NoiseSchedule(config.n_steps, config.beta_start, config.beta_end)

    @property
    def reads_eeg(self) -> bool:
        """Whether the model reads the EEG itself (``tokens="encoder"``) or only band-power features."""
        return self.config.tokens == "encoder"

    @property
    def input_config(self) -> ModelConfig:
        """The EEG side's configuration: what data the model reads (channels, bands, window, sources)."""
        return self.config.eeg

    def check_batch(self, batch: FrameBatch) -> None:
        """Raise a clear error for inputs the model was not built for (as the course's model does)."""
        check_frame_batch(self.config.eeg, batch)

    def condition(self, batch: FrameBatch) -> torch.Tensor:
        """EEG tokens ``(B, F, D)``, one per frame: the encoder's latent, or the linear map of the frame's
        HRF-convolved band power (``config.tokens``)."""
        sources = batch.hrf_sources if self.config.eeg.n_sources else None
        if self.encoder is None:
            return self.token_map(sources if sources is not None else batch.hrf_bands)
        return self.encoder(batch.eeg, batch.bands, batch.hrf_bands, batch.frame_times, sources)

    def forward(self, batch: FrameBatch) -> tuple[torch.Tensor, torch.Tensor]:
        """Noise the target frames' latents at random steps; return the denoiser's prediction and its
        target (``(ε̂, ε)``, or ``(v̂, v)`` for ``prediction="v"``), each ``(B, K, L)``.

        Steps, noise and which windows lose their EEG (``cond_dropout``, training only) are drawn
        from torch's global generator (seeded by ``fit``).
        """
        self.check_batch(batch)
        if batch.target is None:
            raise ValueError("the diffusion objective needs target frames (batch.target); to reconstruct, call "
                             "model.sample(batch)")
        z0 = self.autoencoder.encode(batch.target)
        b = z0.shape[0]
        t = torch.randint(0, self.schedule.n_steps, (b,), device=z0.device)
        noise = torch.randn_like(z0)
        context = self.condition(batch)
        if self.training:  # the "no EEG" token is in the graph at every step (DDP needs every parameter used)
            drop = torch.rand(b, device=z0.device) < self.config.cond_dropout
            context = torch.where(drop[:, None, None], self.null_token.to(context.dtype), context)
        pred = self.denoiser(self.schedule.add_noise(z0, t, noise), t, batch.frame_times, context)
        if self.config.prediction == "v":
            abar = self.schedule.alpha_bar(t, z0)
            return pred, abar.sqrt() * noise - (1 - abar).sqrt() * z0
        return pred, noise

    def loss(self, output: tuple[torch.Tensor, torch.Tensor], batch: FrameBatch, smoothness: float = 0.0):
        """The prediction's MSE over the valid frames (``smoothness`` is for the course's model; unused)."""
        eps, noise = output
        valid = batch.valid if batch.valid is not None else torch.ones(eps.shape[:2], dtype=torch.bool,
                                                                         device=eps.device)
        return masked_mse(eps.float(), noise.float(), valid)

    @torch.no_grad()
    def sample(self, batch: FrameBatch, n_samples: int = 1, steps: int = 50, operator=None, measured=None,
               sigma_y: float = 0.0, guidance: float = 1.0, eta: float = 0.0, exact: bool = False,
               seed: int = 0, progress: bool = False, known=None) -> torch.Tensor:
        """Draw reconstructions of the batch's windows from their EEG, optionally completing measured frames.

        Parameters
        ----------
        batch : FrameBatch
            Windows of ``K`` frames with their EEG (``target`` is not used).
        n_samples : int
            Samples per window (their spread is the model's uncertainty).
        steps : int
            DDIM steps.
        operator : MeasurementOperator, optional
            How the measurements arise from the ``K`` frames (:mod:`neuroframes_edu.nullspace`:
            ``FrameMask``, ``decimation``, ``TemporalOperator``…), acting along the frame axis.
        measured : tensor, shape (B, M, V) or (B, K, V), optional
            The measurements ``y = A x`` of each window (with ``operator``), or each window's frames
            with the measured ones in place (with ``known``; the others are ignored).
        sigma_y : float
            Standard deviation of the measurement noise, in the frames' units (z-scored BOLD); 0 is
            plain DDNM (the projection is exact at every step), > 0 is DDNM+ (Eq. 19: partial while
            the sample is less noisy than the measurements).
        guidance : float
            Classifier-free guidance scale: ``ε̂ = ε̂_∅ + w (ε̂_EEG − ε̂_∅)``; 1 uses the EEG tokens only.
        eta : float
            DDIM's η (0: deterministic given the seed).
        exact : bool
            Finish with the projection in vertex space, so that ``A x̂ = y`` exactly (the latent
            projection keeps the *latents* of the measurements, which decode to ``D(E(y))``).
        seed : int
            Seeds the starting noise (and η's noise): the same seed gives the same samples.
        progress : bool
        known : tensor of bool, shape (B, K), optional
            Instead of ``operator``: a frame mask per window (True where a frame was measured), so that
            windows measured at different frames share one call
            (:func:`~neuroframes_edu.nullspace.complete_known` at every step); a window with no
            measured frame is sampled from its EEG alone.

        Returns
        -------
        tensor, shape (n_samples, B, K, V)
        """
        self.check_batch(batch)
        if operator is not None and known is not None:
            raise ValueError("give operator= (one for every window) or known= (a frame mask per window), not both")
        if ((operator is None and known is None) != (measured is None)):
            raise ValueError("give measured= with operator= (y = A x of each window) or with known= (the windows' "
                             "frames, measured ones in place), or none of the three")
        from neuroframes_edu._utils.validation import check_int, check_number

        guidance = check_number(guidance, "guidance", minimum=0)
        n_samples = check_int(n_samples, "n_samples", minimum=1)
        sigma_y = check_number(sigma_y, "sigma_y", minimum=0)
        self.eval()
        device = next(self.parameters()).device
        b, k = batch.frame_times.shape
        ae = self.autoencoder
        context = self.condition(batch)
        frame_times = batch.frame_times
        if n_samples > 1:  # samples of one window side by side in the batch
            context = context.repeat(n_samples, 1, 1)
            frame_times = frame_times.repeat(n_samples, 1)
        y_latent = None
        if measured is not None:
            measured = torch.as_tensor(measured, dtype=context.dtype, device=device)
            if measured.ndim != 3 or measured.shape[0] != b or measured.shape[2] != self.config.eeg.n_vertices:
                raise ValueError(f"measured must be (batch={b}, measurements, vertices={self.config.eeg.n_vertices}), "
                                 f"got {tuple(measured.shape)}")
            if known is not None:
                known = torch.as_tensor(known, device=device)
                if known.dtype != torch.bool or tuple(known.shape) != (b, k) or measured.shape[1] != k:
                    raise ValueError(f"with known=, known must be boolean (batch={b}, frames={k}) and measured "
                                     f"(batch={b}, frames={k}, vertices); got known {known.dtype} "
                                     f"{tuple(known.shape)} and measured {tuple(measured.shape)}")
                measured = torch.where(known[..., None], measured, 0.0)  # unmeasured frames: ignored
                operator = _PerWindowMask(known.repeat(n_samples, 1))
            y_latent = ae.encode(measured).repeat(n_samples, 1, 1)
            # noise of sd sigma_y on every vertex has this sd in latent units (the encoder's rows' RMS norm)
            sigma_latent = float(sigma_y) * float(ae.encoder.weight.norm(dim=1).pow(2).mean().sqrt())
        null = self.null_token.to(context.dtype).expand_as(context)

        def denoise(z, t):
            out = self.denoiser(z, t, frame_times, context)
            if guidance != 1.0:
                out_null = self.denoiser(z, t, frame_times, null)
                out = out_null + guidance * (out - out_null)
            if self.config.prediction == "v":  # ε = √(1 − ᾱ) z_t + √ᾱ v
                abar = self.schedule.alpha_bar(t, z)
                out = (1 - abar).sqrt() * z + abar.sqrt() * out
            return out

        def correct(z0, t, t_next):
            if y_latent is None:
                return z0
            abar_next = float(self.schedule.alphas_cumprod[t_next]) if t_next >= 0 else 1.0
            lam = ddnm_plus_weight(abar_next, sigma_latent)
            return operator.project(z0, y_latent, lam=lam)

        generator = torch.Generator(device=device).manual_seed(int(seed))
        noise = torch.randn((n_samples * b, k, self.config.frame_latent_dim), generator=generator, device=device,
                            dtype=context.dtype)
        z0 = ddim_sample(denoise, self.schedule, noise, steps=steps, eta=eta, correct=correct,
                         generator=generator, progress=progress)
        frames = ae.decode(z0)
        if exact and operator is not None:
            frames = operator.project(frames, measured.repeat(n_samples, 1, 1))
        return frames.reshape(n_samples, b, k, -1)

    # -------------------------------------------------------------- checkpoints
    def save(self, path: str | Path, extra: dict | None = None, overwrite: bool = False) -> Path:
        """Save weights and configuration (atomically), loadable with ``weights_only=True``; ``extra``
        and ``overwrite`` as in :meth:`NeuralFramesModel.save <neuroframes_edu.nn.NeuralFramesModel.save>`."""
        return write_checkpoint(self, path, DIFFUSION_FORMAT, extra, overwrite)

    @classmethod
    def load(cls, path: str | Path, map_location="cpu") -> EEGDiffusionModel:
        """Load a checkpoint written by :meth:`save` (``torch.load(..., weights_only=True)``).

        Raises
        ------
        FileNotFoundError
            If the file does not exist.
        ValueError
            If the file is not a diffusion-model checkpoint of this library, or is corrupt.
        """
        payload = read_checkpoint(path, DIFFUSION_FORMAT, map_location)
        return restore_checkpoint(cls(DiffusionConfig.from_dict(payload["config"])), payload, path)
