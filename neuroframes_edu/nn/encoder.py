"""The EEG encoder: multi-scale temporal convolutions and a causal haemodynamic readout,
``eeg (B, C, S) → latents (B, F, D)``; :func:`filter_responses`, what its learned filters pass; and
:func:`hrf_regressors`, HRF-convolved regressors of learned power that gradients pass through.

Introduced in notebook 03.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from neuroframes_edu.nn.config import ModelConfig


class EEGEncoder(nn.Module):
    """Multi-scale temporal convolutional EEG encoder with a causal haemodynamic readout.

    ``eeg (B, C, S)``, ``bands (B, n_bands·C, R)``, ``hrf_bands (B, F, n_bands·C)``,
    ``frame_times (B, F)`` and, for ``config.n_sources > 0``, ``hrf_sources (B, F, n_bands·n_sources)``
    → ``latents (B, F, D)``.

    Each temporal scale is a convolution of ``kernel_seconds[i] · sfreq`` samples whose squared output
    is averaged to ``feature_rate`` and log-scaled (a learned band power). Those features and the
    library's band power are mixed, then a causal depthwise convolution spanning ``window`` seconds
    (a learned haemodynamic response per feature) produces the latent at each frame from the EEG that
    precedes it. HRF-convolved band power at the frame (of the channels, and of the cortical sources
    of an EEG inverse where the model reads them) enters through a linear skip.
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
        self.source_skip = nn.Linear(c.n_source_features, c.latent_dim) if c.n_sources else None

    def learned_band_power(self, eeg: torch.Tensor, n_steps: int) -> torch.Tensor:
        """The encoder's learned band power: ``eeg (B, C, S)`` → ``(B, n_scales·n_filters, n_steps)``.

        The EEG is mixed into ``n_spatial`` components (1 × 1 convolution), each temporal filter of each
        scale is applied, and its squared output is averaged over bins of ``sfreq / feature_rate``
        samples and log-scaled: log band power as :func:`~neuroframes_edu.features.band_power_series`
        computes it, with a band-pass filter that training chooses (:func:`filter_responses` shows which)
        and the squared output in place of the squared Hilbert envelope (whose bin mean is about twice as
        large for a narrow band: a constant ``log 2`` apart).

        ``log(power + 1e-6)`` floors silent bins: negligible for EEG in µV or standardised, not in volts.
        EEG shorter than ``n_steps`` bins is padded with zeros, so its missing bins read ``log 1e-6``.
        """
        if isinstance(n_steps, bool) or not isinstance(n_steps, int) or n_steps < 1:
            raise ValueError(f"n_steps must be a positive int (bins of 1 / feature_rate seconds), got {n_steps!r}")
        x = self.spatial(eeg)
        learned = []
        for conv in self.scales:
            power = conv(x)[..., : eeg.shape[-1]] ** 2
            power = power[..., : n_steps * self.pool]
            if power.shape[-1] < n_steps * self.pool:
                power = nn.functional.pad(power, (0, n_steps * self.pool - power.shape[-1]))
            learned.append(torch.log(nn.functional.avg_pool1d(power, self.pool) + 1e-6))
        if not learned:  # n_filters = 0: the library band power only
            return eeg.new_zeros((eeg.shape[0], 0, n_steps))
        return torch.cat(learned, dim=1)

    def forward(self, eeg: torch.Tensor, bands: torch.Tensor, hrf_bands: torch.Tensor,
                frame_times: torch.Tensor, hrf_sources: torch.Tensor | None = None) -> torch.Tensor:
        n_steps = bands.shape[-1]
        learned = self.learned_band_power(eeg, n_steps)
        feats = self.mix(torch.cat([learned, bands], dim=1))  # (B, D, R)
        causal = nn.functional.pad(feats, (self.readout_len - 1, 0))
        series = self.pointwise(self.readout(causal))  # (B, D, R): step r summarises [r − window, r]
        # the feature step that ends at each frame time
        index = (frame_times * self.rate).floor().long().clamp(0, n_steps - 1) - 1
        index = index.clamp(min=0)
        latents = torch.gather(series, 2, index[:, None, :].expand(-1, series.shape[1], -1)).transpose(1, 2)
        latents = latents + self.skip(hrf_bands)
        if self.source_skip is not None:
            latents = latents + self.source_skip(hrf_sources)
        return latents


def filter_responses(encoder: EEGEncoder, n_fft: int = 1024) -> tuple[np.ndarray, np.ndarray]:
    """What each learned temporal filter of ``encoder`` passes, frequency by frequency.

    The power gain of filter ``f`` of a scale at frequency ``ν`` is ``Σ_c |W_fc(ν)|²``, summed over
    its ``n_spatial`` input components: the output power it gives to white, uncorrelated inputs of unit
    power. Each filter's gain is then divided by its largest value, so that filters of different sizes
    compare on one axis.

    Parameters
    ----------
    encoder : EEGEncoder
        With ``n_filters > 0``.
    n_fft : int
        Length of the discrete Fourier transform (at least the longest kernel); the frequency step is
        ``sfreq / n_fft``.

    Returns
    -------
    freqs : ndarray, shape (n_fft // 2 + 1,)
        Frequencies (Hz), from 0 to ``sfreq / 2``.
    gains : ndarray, shape (n_scales, n_filters, n_fft // 2 + 1)
        Each filter's power gain relative to its peak, in [0, 1].

    Examples
    --------
    >>> from neuroframes_edu.nn import EEGEncoder, ModelConfig
    >>> config = ModelConfig(n_channels=4, sfreq=100.0, n_vertices=1284, mesh="ico3", n_filters=2,
    ...                      kernel_seconds=(0.1, 0.25))
    >>> freqs, gains = filter_responses(EEGEncoder(config), n_fft=200)
    >>> float(freqs[-1]), gains.shape
    (50.0, (2, 2, 101))
    """
    from neuroframes_edu._utils.validation import check_int, check_type

    check_type(encoder, EEGEncoder, "encoder", hint="the encoder of a model is model.encoder")
    if len(encoder.scales) == 0:
        raise ValueError("encoder has no learned filters (ModelConfig.n_filters = 0); build it with n_filters > 0")
    longest = max(conv.kernel_size[0] for conv in encoder.scales)
    check_int(n_fft, "n_fft", minimum=longest)
    gains = []
    for conv in encoder.scales:
        weight = conv.weight.detach().cpu().double().numpy()  # (n_filters, n_spatial, k)
        gain = (np.abs(np.fft.rfft(weight, n=n_fft, axis=-1)) ** 2).sum(axis=1)
        gains.append(gain / np.maximum(gain.max(axis=-1, keepdims=True), np.finfo(float).tiny))
    return np.fft.rfftfreq(n_fft, 1.0 / encoder.sfreq), np.stack(gains)


def hrf_regressors(power: torch.Tensor, rate: float, frame_times) -> torch.Tensor:
    """HRF-convolved regressors of a power series at frame times, differentiably: the twin of
    :func:`neuroframes_edu.features.band_power` with ``hrf=True, standardize=False``, for power that a
    network computes (e.g. :meth:`EEGEncoder.learned_band_power`), so that gradients reach its filters.

    Each series is centred over time, convolved causally with
    :func:`~neuroframes_edu.features.glover_kernel` and read at each frame time by linear interpolation
    between bin centres (bin ``r`` covers ``[r, r + 1) / rate`` seconds), exactly as ``band_power`` does.

    Parameters
    ----------
    power : torch.Tensor, shape (..., C, R)
        ``C`` series of ``R`` bins at ``rate`` Hz, from time 0.
    rate : float
        Bins per second.
    frame_times : array-like, shape (F,)
        Seconds, within the ``R / rate`` seconds the series covers.

    Returns
    -------
    torch.Tensor, shape (..., F, C)
    """
    from neuroframes_edu._utils.validation import check_array, check_number, check_type
    from neuroframes_edu.features import glover_kernel

    check_type(power, torch.Tensor, "power", hint="a (…, n_series, n_bins) tensor, e.g. encoder.learned_band_power(…)")
    if power.ndim < 2 or power.shape[-1] < 1:
        raise ValueError(f"power must have shape (…, n_series, n_bins), got {tuple(power.shape)}")
    rate = check_number(rate, "rate", minimum=0, include_minimum=False)
    times = check_array(frame_times, "frame_times", ndim=1, axes="(n_frames,) of seconds")
    if times.size == 0:
        raise ValueError("frame_times is empty; give at least one frame time in seconds")
    n_bins = power.shape[-1]
    if times.min() < 0 or times.max() > n_bins / rate + 1e-9:
        raise ValueError(f"frame_times span {times.min():.2f}–{times.max():.2f} s but the power covers "
                         f"0–{n_bins / rate:.2f} s ({n_bins} bins at {rate:g} Hz)")
    h = torch.as_tensor(glover_kernel(rate), dtype=power.dtype, device=power.device)
    centred = power - power.mean(dim=-1, keepdim=True)
    flat = nn.functional.pad(centred.reshape(-1, 1, n_bins), (len(h) - 1, 0))  # causal: lags 0 … len(h) − 1
    convolved = (nn.functional.conv1d(flat, h.flip(0)[None, None]) / rate).reshape(power.shape)
    position = np.clip(times * rate - 0.5, 0, n_bins - 1)  # in float64: half precision would round bins away
    first = np.floor(position).astype(np.int64)
    second = np.minimum(first + 1, n_bins - 1)
    weight = torch.as_tensor(position - first, dtype=power.dtype, device=power.device)
    first, second = (torch.as_tensor(i, device=power.device) for i in (first, second))
    return (convolved[..., first] * (1 - weight) + convolved[..., second] * weight).transpose(-1, -2)
