"""Temporal coherence: a bidirectional recurrence over the sequence of frame latents, and the
second-difference smoothness penalty on the output frames.

Introduced in notebook 06.
"""

from __future__ import annotations

import torch
from torch import nn

#: Temporal-coherence modules; ``"none"`` ablates it.
TEMPORAL_KINDS = ("gru", "lstm", "none")


class TemporalCoherence(nn.Module):
    """Bidirectional recurrence over the sequence of frame latents, added residually.

    ``latents (B, F, D) → (B, F, D)``. Each frame's latent is refined by those before and after it,
    which makes consecutive reconstructed frames consistent. ``kind="none"`` is the identity (the
    ablation).
    """

    def __init__(self, dim: int, hidden: int = 32, kind: str = "gru", dropout: float = 0.0):
        super().__init__()
        if kind not in TEMPORAL_KINDS:
            raise ValueError(f"kind must be one of {TEMPORAL_KINDS}, got {kind!r}")
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
    from neuroframes_edu._utils.validation import check_number

    weight = check_number(weight, "smoothness (the penalty's weight)", minimum=0)
    if frames.shape[-2] < 3:
        return frames.new_zeros(())
    second = frames[..., 2:, :] - 2 * frames[..., 1:-1, :] + frames[..., :-2, :]
    return weight * (second**2).mean()
