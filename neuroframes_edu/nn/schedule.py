"""Diffusion noise schedule and DDIM sampling with a projection inside every step.

* :class:`NoiseSchedule` — DDPM's linear β schedule (Ho et al. 2020): ``ᾱ_t = Π (1 − β_s)``,
  forward noising ``z_t = √ᾱ_t z_0 + √(1 − ᾱ_t) ε`` and its inverse for the clean sample.
* :func:`ddim_sample` — DDIM (Song et al. 2021) over a subsequence of the steps. At every step the
  predicted clean sample ``ẑ_0`` may be corrected before the next step — with the range–null
  projection ``ẑ_0 ← A†y + (I − A†A) ẑ_0`` this is DDNM (Wang et al. 2023), the sampler of the
  paper's "InterRecon": measured frames are kept while the model fills the rest.
* :func:`ddnm_plus_weight` — DDNM+'s weight of the measurements at a step when they are noisy
  (Eq. 19 of Wang et al.): the projection is only partial while the sample is less noisy than
  the measurements.

Shapes: ``z`` is ``(B, K, L)`` (batch, frames, latent size); ``t`` integer steps ``(B,)``.

Introduced in notebook 09.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import torch


class NoiseSchedule:
    """DDPM's linear β schedule.

    Parameters
    ----------
    n_steps : int
        Diffusion steps ``T`` (the paper: 1000).
    beta_start, beta_end : float
        β of the first and last step (DDPM: 1e-4 and 0.02).

    Attributes
    ----------
    betas, alphas_cumprod : tensor, shape (T,), float64
    """

    def __init__(self, n_steps: int = 1000, beta_start: float = 1e-4, beta_end: float = 0.02):
        from neuroframes_edu._utils.validation import check_int, check_number

        n_steps = check_int(n_steps, "n_steps", minimum=2)
        beta_start, beta_end = check_number(beta_start, "beta_start"), check_number(beta_end, "beta_end")
        if not 0 < beta_start < beta_end < 1:
            raise ValueError(f"need 0 < beta_start < beta_end < 1, got beta_start={beta_start}, beta_end={beta_end}")
        self.n_steps = int(n_steps)
        self.betas = torch.linspace(beta_start, beta_end, self.n_steps, dtype=torch.float64)
        self.alphas_cumprod = torch.cumprod(1.0 - self.betas, dim=0)

    def alpha_bar(self, t: torch.Tensor, like: torch.Tensor) -> torch.Tensor:
        """``ᾱ_t`` broadcast against ``like`` ``(B, …)``; ``t = -1`` means ``ᾱ = 1`` (no noise)."""
        t = torch.as_tensor(t, device=self.alphas_cumprod.device).long().reshape(-1)
        if (t >= self.n_steps).any() or (t < -1).any():
            raise ValueError(f"steps must lie in 0..{self.n_steps - 1}, got {t.tolist()}")
        abar = torch.where(t >= 0, self.alphas_cumprod[t.clamp_min(0)], torch.ones((), dtype=torch.float64))
        return abar.to(like.device, like.dtype).reshape(-1, *([1] * (like.ndim - 1)))

    def add_noise(self, z0: torch.Tensor, t: torch.Tensor, noise: torch.Tensor) -> torch.Tensor:
        """Forward noising ``z_t = √ᾱ_t z_0 + √(1 − ᾱ_t) ε``; ``z0``, ``noise`` ``(B, …)``, ``t`` ``(B,)``."""
        abar = self.alpha_bar(t, z0)
        return abar.sqrt() * z0 + (1 - abar).sqrt() * noise

    def predict_z0(self, zt: torch.Tensor, t: torch.Tensor, eps: torch.Tensor) -> torch.Tensor:
        """The clean sample implied by a noise prediction: ``(z_t − √(1 − ᾱ_t) ε) / √ᾱ_t``."""
        abar = self.alpha_bar(t, zt)
        return (zt - (1 - abar).sqrt() * eps) / abar.sqrt()

    def ddim_steps(self, n: int) -> list[int]:
        """``n`` steps evenly spaced over ``0 … T−1``, from the noisiest (``T − 1``) down to 0."""
        from neuroframes_edu._utils.validation import check_int

        n = check_int(n, f"steps (DDIM steps, in 1..{self.n_steps})", minimum=1, maximum=self.n_steps)
        return sorted({int(round(x)) for x in torch.linspace(0, self.n_steps - 1, n).tolist()}, reverse=True)


def ddnm_plus_weight(abar_next: float, sigma_y: float) -> float:
    """DDNM+'s weight ``λ_t`` of noisy measurements at a step (Wang et al. 2023, Eq. 19).

    The step's sample ``z_{t−1} = √ᾱ_{t−1} ẑ_0 + …`` carries noise of standard deviation
    ``σ_t = √(1 − ᾱ_{t−1})``; measurements with noise ``σ_y`` add ``√ᾱ_{t−1} λ_t σ_y`` through the
    projection. While ``σ_t ≥ √ᾱ_{t−1} σ_y`` the step's own noise hides theirs and the projection is
    exact (``λ_t = 1``); after that ``λ_t = σ_t / (√ᾱ_{t−1} σ_y)`` keeps the two equal. ``σ_y = 0``
    is plain DDNM (always 1). ``σ_y`` is in the units of the latents the projection acts on.
    """
    from neuroframes_edu._utils.validation import check_number

    sigma_y = check_number(sigma_y, "sigma_y", minimum=0)
    abar_next = check_number(abar_next, "abar_next", minimum=0, maximum=1)
    if sigma_y == 0:
        return 1.0
    sigma_t, a = math.sqrt(max(1.0 - abar_next, 0.0)), math.sqrt(abar_next)
    return 1.0 if sigma_t >= a * sigma_y else sigma_t / (a * sigma_y)


@torch.no_grad()
def ddim_sample(denoise: Callable[[torch.Tensor, torch.Tensor], torch.Tensor], schedule: NoiseSchedule,
                noise: torch.Tensor, steps: int = 50, eta: float = 0.0,
                correct: Callable[[torch.Tensor, int, int], torch.Tensor] | None = None,
                generator: torch.Generator | None = None, progress: bool = False) -> torch.Tensor:
    """DDIM sampling from ``noise`` ``(B, …)``, with an optional correction of ``ẑ_0`` at every step.

    Parameters
    ----------
    denoise : callable
        ``denoise(z_t, t) → ε̂`` with ``z_t`` ``(B, …)`` and ``t`` ``(B,)`` integer steps.
    schedule : NoiseSchedule
    noise : tensor, shape (B, …)
        The starting sample ``z_T`` (standard normal; seed it for reproducible samples).
    steps : int
        DDIM steps (the paper samples with 50).
    eta : float
        0 is deterministic DDIM; 1 is DDPM-like ancestral noise (drawn from ``generator``).
    correct : callable, optional
        ``correct(ẑ_0, t, t_next) → ẑ_0`` applied to the predicted clean sample before the next step
        (``t_next = -1`` at the last step), e.g. the range–null projection onto measured frames.
    generator : torch.Generator, optional
        For the ancestral noise when ``eta > 0``.
    progress : bool
        Show a tqdm bar over the steps.

    Returns
    -------
    tensor, shape (B, …)
        The last (corrected) ``ẑ_0``.
    """
    from tqdm.auto import tqdm

    from neuroframes_edu._utils.validation import check_number

    eta = check_number(eta, "eta", minimum=0)
    z = noise
    ts = schedule.ddim_steps(steps)
    z0 = z
    for i, t in enumerate(tqdm(ts, desc="DDIM", disable=not progress, leave=False)):
        t_next = ts[i + 1] if i + 1 < len(ts) else -1
        t_batch = torch.full((z.shape[0],), t, dtype=torch.long, device=z.device)
        eps = denoise(z, t_batch)
        z0 = schedule.predict_z0(z, t_batch, eps)
        if correct is not None:
            z0 = correct(z0, t, t_next)
        if t_next < 0:
            break
        abar = float(schedule.alphas_cumprod[t])
        abar_next = float(schedule.alphas_cumprod[t_next])
        sigma = eta * math.sqrt((1 - abar_next) / (1 - abar) * (1 - abar / abar_next))
        direction = math.sqrt(max(1 - abar_next - sigma ** 2, 0.0)) * eps
        z = math.sqrt(abar_next) * z0 + direction
        if sigma > 0:
            z = z + sigma * torch.randn(z.shape, generator=generator, device=z.device, dtype=z.dtype)
    return z0
