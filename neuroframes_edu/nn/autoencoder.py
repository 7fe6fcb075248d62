"""The linear frame autoencoder of the paper's latent diffusion model, ``frames (…, V) ↔ latents (…, L)``.

Qu et al. (CVPR 2026) compress each fMRI frame to a latent with a **linear** autoencoder so that the
range–null projection stays exact in the compressed space: a measurement operator ``A`` that acts
along the frame axis (a frame mask, decimation, a temporal blur; :mod:`neuroframes_edu.nullspace`)
commutes with a linear map applied to every frame, ``E(A x) = A E(x)``, so projecting the latents
onto ``A z = E(y)`` is the same as projecting frames whose encoding is ``z``. A bias would break that
for operators whose rows do not sum to one, so there is none (the course's frames are z-scored per
vertex, so their mean is already ~0).

Two ways to fit it, to compare: :meth:`LinearFrameAutoencoder.fit_pca` (the top principal directions
of training frames: by Eckart–Young the best linear autoencoder of a given size in squared error on
those frames) and :meth:`LinearFrameAutoencoder.fit_gradient` (encoder and decoder trained by Adam
on the reconstruction error, as the paper trains it).

Introduced in notebook 09.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn


def _frames(frames, n_vertices: int) -> torch.Tensor:
    """``frames`` as a float32 ``(N, V)`` tensor, checked."""
    x = torch.as_tensor(np.asarray(frames) if not isinstance(frames, torch.Tensor) else frames)
    if x.ndim != 2 or x.shape[1] != n_vertices:
        raise ValueError(f"frames must be (n_frames, n_vertices={n_vertices}), got shape {tuple(x.shape)}; stack the "
                         "training sessions' valid frames, e.g. np.concatenate([s.bold[s.valid] for s in sessions])")
    if not torch.isfinite(x).all():
        raise ValueError(f"frames contain {int((~torch.isfinite(x)).sum())} NaN or infinite values; use the valid "
                         "frames only (session.bold[session.valid])")
    return x.float()


class LinearFrameAutoencoder(nn.Module):
    """A linear, bias-free frame autoencoder: ``encode (…, V) → (…, L)``, ``decode (…, L) → (…, V)``.

    Parameters
    ----------
    n_vertices : int
        Vertices ``V`` of a frame.
    latent_dim : int
        Latent size ``L`` (≤ ``V``).

    Notes
    -----
    Before it is fitted the maps are random (orthogonal encoder, its transpose as decoder). After
    :meth:`fit_pca` the latents have unit mean square over the training frames (one scale shared by
    every component, as latent diffusion rescales its latents), so the diffusion's unit-variance
    noise is on the same scale as the data; the decoder undoes the scale.
    """

    def __init__(self, n_vertices: int, latent_dim: int):
        super().__init__()
        from neuroframes_edu._utils.validation import check_int

        n_vertices = check_int(n_vertices, "n_vertices", minimum=1)
        latent_dim = check_int(latent_dim, f"latent_dim (in 1..n_vertices={n_vertices})", minimum=1,
                               maximum=n_vertices)
        self.n_vertices, self.latent_dim = int(n_vertices), int(latent_dim)
        self.encoder = nn.Linear(self.n_vertices, self.latent_dim, bias=False)
        self.decoder = nn.Linear(self.latent_dim, self.n_vertices, bias=False)
        with torch.no_grad():
            nn.init.orthogonal_(self.encoder.weight)
            self.decoder.weight.copy_(self.encoder.weight.T)

    def encode(self, frames: torch.Tensor) -> torch.Tensor:
        """``(…, V) → (…, L)``."""
        return self.encoder(frames)

    def decode(self, latents: torch.Tensor) -> torch.Tensor:
        """``(…, L) → (…, V)``."""
        return self.decoder(latents)

    def forward(self, frames: torch.Tensor) -> torch.Tensor:
        """The reconstruction ``decode(encode(frames))``, ``(…, V) → (…, V)``."""
        return self.decode(self.encode(frames))

    @torch.no_grad()
    def fit_pca(self, frames) -> float:
        """Set the maps to the top ``L`` principal directions of ``frames`` (``(N, V)``, not centred).

        Returns
        -------
        float
            The fraction of the frames' sum of squares the latents keep.
        """
        x = _frames(frames, self.n_vertices).double()
        _, s, vt = torch.linalg.svd(x, full_matrices=False)
        w = vt[: self.latent_dim]  # (L, V), orthonormal rows
        scale = float(torch.sqrt((s[: self.latent_dim] ** 2).sum() / (len(x) * self.latent_dim)))
        self.encoder.weight.copy_((w / scale).float())
        self.decoder.weight.copy_((w.T * scale).float())
        return float((s[: self.latent_dim] ** 2).sum() / (s ** 2).sum())

    def fit_gradient(self, frames, epochs: int = 50, lr: float = 1e-3, batch_size: int = 256, seed: int = 0,
                     progress: bool = False) -> list[float]:
        """Train encoder and decoder on the reconstruction error of ``frames`` (``(N, V)``) with Adam.

        The latents are then rescaled to unit mean square, as after :meth:`fit_pca`.

        Returns
        -------
        list of float
            The mean squared reconstruction error of each epoch.
        """
        from tqdm.auto import tqdm

        from neuroframes_edu._utils.validation import check_int, check_number

        epochs, batch_size = check_int(epochs, "epochs", minimum=0), check_int(batch_size, "batch_size", minimum=1)
        lr = check_number(lr, "lr", minimum=0, include_minimum=False)
        seed = check_int(seed, "seed", minimum=0)
        x = _frames(frames, self.n_vertices)
        frozen = [p for p in self.parameters() if not p.requires_grad]  # e.g. inside a diffusion model
        self.requires_grad_(True)
        generator = torch.Generator().manual_seed(int(seed))
        with torch.no_grad():  # a seeded start
            self.encoder.weight.copy_(torch.linalg.qr(torch.randn(self.n_vertices, self.latent_dim,
                                                                  generator=generator))[0].T)
            self.decoder.weight.copy_(self.encoder.weight.T)
        optimizer = torch.optim.Adam(self.parameters(), lr=lr)
        losses = []
        for _ in tqdm(range(int(epochs)), desc="autoencoder", disable=not progress):
            order, total = torch.randperm(len(x), generator=generator), 0.0
            for i in range(0, len(x), batch_size):
                batch = x[order[i:i + batch_size]]
                loss = ((self(batch) - batch) ** 2).mean()
                optimizer.zero_grad(set_to_none=True)
                loss.backward()
                optimizer.step()
                total += float(loss.detach()) * len(batch)
            losses.append(total / len(x))
        with torch.no_grad():
            scale = float(torch.sqrt((self.encode(x) ** 2).mean()))
            self.encoder.weight.div_(scale)
            self.decoder.weight.mul_(scale)
        for p in frozen:
            p.requires_grad_(False)
        return losses

    @torch.no_grad()
    def reconstruction_error(self, frames) -> float:
        """Mean squared error of ``decode(encode(frames))`` relative to the frames' mean square."""
        x = _frames(frames, self.n_vertices).to(self.encoder.weight.device)
        return float(((self(x) - x) ** 2).mean() / (x ** 2).mean())
