"""The denoising transformer of the paper's diffusion model: a DiT over frame latents with
cross-attention to EEG tokens, ``z_t (B, K, L), t (B,), frame times (B, K), EEG (B, F, D) → ε̂ (B, K, L)``.

Each of the ``K`` frames is a token. As in DiT (Peebles & Xie 2023) the diffusion step conditions
every block through adaptive layer norm with zero-initialised gates ("adaLN-Zero"), so an untrained
block is the identity; a sinusoidal encoding of each frame's time (seconds from the window's first
frame) says where it sits; and, as in the paper, every block attends from the frame tokens to the
EEG tokens (one per frame). The EEG tokens carry the same time encoding, so that a frame can find
the EEG of its own moment among them, and each frame also receives its own moment's token added to
its embedding (``frame_context``): with cross-attention alone, on the course's data, the denoiser had
not learned to use the EEG after 1,300 training steps (EEG-only r 0.16 of its samples' mean, against
the source ridge's 0.48, while a linear map from a frame's token explains 43% of its latent's variance).

Introduced in notebook 09.
"""

from __future__ import annotations

import math

import torch
from torch import nn


def sinusoidal_embedding(values: torch.Tensor, dim: int, max_period: float = 10_000.0) -> torch.Tensor:
    """Sinusoidal features of ``values`` ``(…)`` → ``(…, dim)`` (Vaswani et al. 2017), for steps or seconds."""
    half = dim // 2
    freqs = torch.exp(-math.log(max_period) * torch.arange(half, device=values.device, dtype=torch.float32) / half)
    args = values.float()[..., None] * freqs
    emb = torch.cat([torch.cos(args), torch.sin(args)], dim=-1)
    return nn.functional.pad(emb, (0, dim - 2 * half))


def _modulate(x: torch.Tensor, shift: torch.Tensor, scale: torch.Tensor) -> torch.Tensor:
    return x * (1 + scale[:, None]) + shift[:, None]


class DiTBlock(nn.Module):
    """Self-attention over frames, cross-attention to EEG tokens, MLP; adaLN-Zero from the step.

    ``x (B, K, W)``, ``c (B, W)`` (step embedding), ``context (B, F, W)`` → ``(B, K, W)``.
    """

    def __init__(self, width: int, heads: int, dropout: float = 0.0, mlp_ratio: float = 4.0):
        super().__init__()
        self.norm1 = nn.LayerNorm(width, elementwise_affine=False, eps=1e-6)
        self.attn = nn.MultiheadAttention(width, heads, dropout=dropout, batch_first=True)
        self.norm_cross = nn.LayerNorm(width, eps=1e-6)
        self.cross = nn.MultiheadAttention(width, heads, dropout=dropout, batch_first=True)
        self.norm2 = nn.LayerNorm(width, elementwise_affine=False, eps=1e-6)
        hidden = int(width * mlp_ratio)
        self.mlp = nn.Sequential(nn.Linear(width, hidden), nn.GELU(approximate="tanh"), nn.Dropout(dropout),
                                 nn.Linear(hidden, width))
        self.modulation = nn.Sequential(nn.SiLU(), nn.Linear(width, 6 * width))
        nn.init.zeros_(self.modulation[-1].weight)
        nn.init.zeros_(self.modulation[-1].bias)

    def forward(self, x: torch.Tensor, c: torch.Tensor, context: torch.Tensor) -> torch.Tensor:
        shift1, scale1, gate1, shift2, scale2, gate2 = self.modulation(c).chunk(6, dim=-1)
        h = _modulate(self.norm1(x), shift1, scale1)
        x = x + gate1[:, None] * self.attn(h, h, h, need_weights=False)[0]
        h = self.norm_cross(x)
        x = x + self.cross(h, context, context, need_weights=False)[0]
        h = _modulate(self.norm2(x), shift2, scale2)
        return x + gate2[:, None] * self.mlp(h)


class FrameDenoiser(nn.Module):
    """DiT over the ``K`` frame latents of a window, conditioned on EEG tokens.

    Parameters
    ----------
    latent_dim : int
        Size ``L`` of a frame latent (the autoencoder's).
    cond_dim : int
        Size ``D`` of an EEG token (the EEG encoder's latent size).
    width, depth, heads : int
        Transformer width, blocks and attention heads (the paper: 1024, 6, 8).
    dropout : float

    Notes
    -----
    ``forward(z_t (B, K, L), t (B,), frame_times (B, K), context (B, F, D)) → ε̂ (B, K, L)``. The
    output layer starts at zero, so an untrained denoiser predicts ``ε̂ = 0``.
    """

    def __init__(self, latent_dim: int, cond_dim: int, width: int = 128, depth: int = 4, heads: int = 4,
                 dropout: float = 0.0):
        super().__init__()
        if width % heads:
            raise ValueError(f"width ({width}) must be a multiple of heads ({heads})")
        self.width = width
        self.embed = nn.Linear(latent_dim, width)
        self.step_mlp = nn.Sequential(nn.Linear(width, width), nn.SiLU(), nn.Linear(width, width))
        self.context = nn.Linear(cond_dim, width)
        self.frame_context = nn.Linear(cond_dim, width)
        self.blocks = nn.ModuleList(DiTBlock(width, heads, dropout) for _ in range(depth))
        self.norm_out = nn.LayerNorm(width, elementwise_affine=False, eps=1e-6)
        self.modulation_out = nn.Sequential(nn.SiLU(), nn.Linear(width, 2 * width))
        self.out = nn.Linear(width, latent_dim)
        for layer in (self.modulation_out[-1], self.out):
            nn.init.zeros_(layer.weight)
            nn.init.zeros_(layer.bias)

    def forward(self, z: torch.Tensor, t: torch.Tensor, frame_times: torch.Tensor, context: torch.Tensor,
                context_times: torch.Tensor | None = None, frame_context: torch.Tensor | None = None) -> torch.Tensor:
        """``context_times`` ``(B, F)``: the times of the EEG tokens (default ``frame_times``, one token per
        frame); ``frame_context`` ``(B, K, D)``: each frame's own token, added to its embedding (default
        ``context`` when it has one token per frame)."""
        context_times = frame_times if context_times is None else context_times
        if (z.ndim != 3 or frame_times.shape != z.shape[:2] or context.ndim != 3 or context.shape[0] != z.shape[0]
                or context_times.shape != context.shape[:2]):
            raise ValueError(f"expected z (B, K, L), frame_times (B, K), context (B, F, D) and context_times (B, F); "
                             f"got {tuple(z.shape)}, {tuple(frame_times.shape)}, {tuple(context.shape)}, "
                             f"{tuple(context_times.shape)}")
        origin = frame_times[:, :1]  # seconds from the window's first frame

        def when(times):
            return sinusoidal_embedding((times - origin) * 10.0, self.width).to(z.dtype)

        if frame_context is None and context_times is frame_times:
            frame_context = context
        x = self.embed(z) + when(frame_times)
        if frame_context is not None:
            if frame_context.shape[:2] != z.shape[:2]:
                raise ValueError(f"frame_context must be (B, K, D) with K = {z.shape[1]} frames, got "
                                 f"{tuple(frame_context.shape)}")
            x = x + self.frame_context(frame_context)
        c = self.step_mlp(sinusoidal_embedding(t, self.width).to(z.dtype))
        ctx = self.context(context) + when(context_times)
        for block in self.blocks:
            x = block(x, c, ctx)
        shift, scale = self.modulation_out(c).chunk(2, dim=-1)
        return self.out(_modulate(self.norm_out(x), shift, scale))
