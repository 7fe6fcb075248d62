"""Checks for the notebooks' exercises: run the learner's function on fresh inputs, compare it with the
library's own implementation, and answer with a specific hint rather than a bare pass/fail.

Each ``check_*`` function returns True when the learner's answer agrees, and otherwise raises an
``AssertionError`` whose message says what differs and what to look at.

Introduced in notebook 01.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from neuroframes_edu.surface import load_fsaverage


def check_adjacency(student_fn, resolution: str = "ico3") -> bool:
    """Check a function ``student_fn(faces, n_vertices) -> (n, n) adjacency`` (scipy sparse or dense).

    The reference is :meth:`CorticalMesh.adjacency`: a symmetric 0/1 matrix with a 1 wherever two
    vertices share a triangle edge, and zeros on the diagonal.
    """
    mesh = load_fsaverage(resolution)
    expected = mesh.adjacency()
    got = student_fn(mesh.faces.copy(), mesh.n_vertices)
    got = sp.csr_matrix(got, dtype=float)
    n = mesh.n_vertices
    if got.shape != (n, n):
        raise AssertionError(f"your adjacency has shape {got.shape}; it needs one row and one column per vertex: "
                             f"({n}, {n})")
    if abs(got - got.T).max() > 0:
        raise AssertionError("your adjacency is not symmetric: an edge i–j must appear as both A[i, j] and A[j, i]")
    if got.diagonal().any():
        raise AssertionError("your adjacency has non-zero diagonal entries: a vertex is not its own neighbour "
                             "(GCNs add self-loops separately)")
    if got.max() > 1:
        raise AssertionError(f"some entries are {got.max():g}, not 1: every edge lies in two triangles, so count "
                             "it once (e.g. set the values to 1 after building, or use np.unique on the edges)")
    n_edges, expected_edges = got.nnz // 2, expected.nnz // 2
    if n_edges != expected_edges:
        raise AssertionError(f"you found {n_edges} edges but the mesh has {expected_edges} (3V − 6 per closed "
                             "hemisphere); each triangle (a, b, c) contributes the edges a–b, b–c and c–a")
    if abs(got - expected).max() > 0:
        raise AssertionError("the right number of edges, but not the right ones: check the vertex indices you pair")
    return True


def check_laplacian(student_fn, resolution: str = "ico3") -> bool:
    """Check ``student_fn(adjacency) -> L`` for the combinatorial Laplacian ``L = D − A``."""
    mesh = load_fsaverage(resolution)
    a = mesh.adjacency()
    got = sp.csr_matrix(student_fn(a.copy()), dtype=float)
    expected = mesh.laplacian(normalized=False)
    if got.shape != expected.shape:
        raise AssertionError(f"your Laplacian has shape {got.shape}, expected {expected.shape}")
    ones = got @ np.ones(a.shape[0])
    if np.abs(ones).max() > 1e-9:
        raise AssertionError("your Laplacian does not send a constant map to zero: each row of L = D − A must sum "
                             "to 0 (the diagonal holds the degree, the neighbours hold −1)")
    if abs(got - expected).max() > 1e-9:
        raise AssertionError("rows sum to zero but entries differ: use the degree (number of neighbours) on the "
                             "diagonal and −1 for each neighbour, i.e. L = D − A")
    return True


def check_hrf_convolution(student_fn, seed: int = 0) -> bool:
    """Check ``student_fn(activity, hrf, dt) -> bold``: the causal convolution integral of an activity time
    course ``(n_times,)`` with an HRF sampled every ``dt`` seconds, output as long as the input.

    The reference is the simulator's own convolution (``dt · Σ_k hrf[k] · activity[t − k]``).
    """
    from neuroframes_edu.simulate import _convolve_causal, hrf_basis

    rng = np.random.default_rng(seed)
    dt = 0.05
    activity = rng.standard_normal(2000)  # 100 s at 20 Hz, longer than the 32-s HRF
    hrf = hrf_basis(dt)[0]
    expected = _convolve_causal(activity[:, None], hrf, dt)[:, 0]
    got = np.asarray(student_fn(activity.copy(), hrf.copy(), dt), dtype=float).ravel()
    if got.shape != expected.shape:
        raise AssertionError(f"your output has {got.size} samples but the input has {expected.size}: keep the "
                             "first len(activity) samples of the full convolution (the response to the past)")
    if np.allclose(got, expected / dt):
        raise AssertionError("off by a factor 1/dt: the convolution integral is dt × the discrete sum")
    shift = (len(hrf) - 1) // 2  # where mode="same" centres the kernel
    if np.allclose(got[: got.size - shift], expected[shift:], atol=1e-8):
        raise AssertionError("your response is centred rather than causal: BOLD at time t may only depend on "
                             "activity before t (use mode='full' and keep the first samples)")
    if not np.allclose(got, expected, atol=1e-8):
        raise AssertionError("the values differ from dt · Σ_k hrf[k] · activity[t − k]; check the direction of the "
                             "kernel and that you keep the first len(activity) samples")
    return True


def check_band_power(student_fn, seed: int = 0) -> bool:
    """Check ``student_fn(data, sfreq, band, rate) -> log_power``: the log band power of each channel of
    ``data`` ``(n_channels, n_samples)``, averaged in bins of ``1 / rate`` s; shape ``(n_channels, n_bins)``.

    The reference is :func:`neuroframes_edu.features.band_power_series` (MNE FIR band-pass, squared
    Hilbert envelope, bin means, natural log). It is run at two sampling rates, so a hard-coded rate fails.
    """
    from neuroframes_edu.features import band_power_series

    rng = np.random.default_rng(seed)
    band, rate = (8.0, 13.0), 10.0
    for sfreq in (250.0, 500.0):
        data = rng.standard_normal((3, int(20 * sfreq)))
        expected = band_power_series(data, sfreq=sfreq, bands={"band": band}, rate=rate).power[0]
        got = np.asarray(student_fn(data.copy(), sfreq, band, rate), dtype=float)
        if got.shape != expected.shape:
            raise AssertionError(f"at {sfreq:g} Hz your output has shape {got.shape}, expected {expected.shape} "
                                 f"(channels, bins): a bin holds round(sfreq / rate) samples — compute it from "
                                 "the sfreq argument, never a fixed number")
        if not np.isfinite(got).all():
            raise AssertionError("your output has NaN or infinite values: take the log of a positive power")
        if np.allclose(np.log(np.abs(got) + 1e-30), expected, atol=1e-6):
            raise AssertionError("the values are the power itself: return its natural logarithm (np.log)")
        if np.corrcoef(got.ravel(), expected.ravel())[0, 1] > 0.98 and not np.allclose(got, expected, atol=1e-6):
            raise AssertionError("close but not equal: square the envelope (power = |hilbert(x)|²) before "
                                 "averaging within each bin, then take the log of the bin mean")
        if not np.allclose(got, expected, atol=1e-6):
            raise AssertionError("the values differ from the reference: band-pass with mne.filter.filter_data("
                                 "data, sfreq, low, high), take |scipy.signal.hilbert(x)|², average each bin, log")
    return True


def check_message_passing(student_fn, resolution: str = "ico3", seed: int = 0) -> bool:
    """Check ``student_fn(x, edge_index) -> x_new``: one parameter-free GCN propagation
    ``D̂^{-1/2} (A + I) D̂^{-1/2} x`` written with index operations.

    ``x`` is a float tensor ``(n_vertices, n_features)``, ``edge_index`` a long tensor ``(2, n_edges)``
    listing every edge in both directions, without self-loops. The reference is torch-geometric's
    ``GCNConv`` with an identity weight and no bias.
    """
    import torch
    from torch_geometric.nn import GCNConv

    mesh = load_fsaverage(resolution)
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(mesh.n_vertices, 4, generator=g)
    edge_index = mesh.edge_index
    conv = GCNConv(4, 4, bias=False)
    with torch.no_grad():
        conv.lin.weight.copy_(torch.eye(4))
        expected = conv(x, edge_index)
    got = torch.as_tensor(student_fn(x.clone(), edge_index.clone())).detach().to(torch.float32)
    if got.shape != expected.shape:
        raise AssertionError(f"your output has shape {tuple(got.shape)}, expected {tuple(expected.shape)}: one row "
                             "per vertex, one column per feature")

    a = mesh.adjacency()
    deg = np.asarray(a.sum(axis=1)).ravel()
    xn = x.numpy().astype(float)

    def close(candidate):
        return np.allclose(got.numpy(), candidate, atol=1e-4)

    d_half = sp.diags(1 / np.sqrt(deg))
    if close(d_half @ a @ d_half @ xn):
        raise AssertionError("close, but each vertex forgot itself: add self-loops (A + I) so a vertex keeps its "
                             "own value in the average, and count them in the degree (d̂ = d + 1)")
    if close((a + sp.identity(mesh.n_vertices)) @ xn):
        raise AssertionError("you summed the neighbours without normalising: scale each message j → i by "
                             "1 / sqrt(d̂_i · d̂_j), with d̂ the degree including the self-loop")
    if close(sp.diags(1 / (deg + 1)) @ (a + sp.identity(mesh.n_vertices)) @ xn):
        raise AssertionError("you took the mean over the neighbourhood (D̂⁻¹(A + I)); GCN normalises "
                             "symmetrically: message j → i is scaled by 1 / sqrt(d̂_i · d̂_j)")
    if not torch.allclose(got, expected, atol=1e-4):
        raise AssertionError("the values differ from GCNConv: for each edge j → i add x_j / sqrt(d̂_i d̂_j) to row "
                             "i (index_add_ on edge_index[1]), plus the self-loop term x_i / d̂_i")
    return True


def check_null_space_projection(student_fn, seed: int = 0) -> bool:
    """Check ``student_fn(x_pred, y, A) -> x_hat``: the range–null-space completion
    ``x̂ = A†y + (I − A†A) x_pred`` for a small dense operator ``A`` (M × T) acting on the frame axis of
    ``x_pred`` (T × V), with ``y`` (M × V).

    It is run on a frame mask (where ``A† = Aᵀ``) and on a blurring operator (where it is not); the
    reference is :class:`neuroframes_edu.nullspace.TemporalOperator`.
    """
    from neuroframes_edu.nullspace import TemporalOperator

    rng = np.random.default_rng(seed)
    t, v = 6, 4
    mask = np.eye(t)[[0, 2, 5]]
    blur = np.zeros((3, t))
    for row, start in enumerate((0, 2, 3)):
        blur[row, start: start + 3] = (0.2, 0.5, 0.3)
    for name, a in (("a frame mask", mask), ("a blurring operator", blur)):
        x_pred, y = rng.standard_normal((t, v)), rng.standard_normal((3, v))
        expected = TemporalOperator(a).project(x_pred, y)
        got = np.asarray(student_fn(x_pred.copy(), y.copy(), a.copy()), dtype=float)
        if got.shape != expected.shape:
            raise AssertionError(f"for {name} your output has shape {got.shape}, expected {expected.shape} "
                                 "(frames, vertices): the completion has as many frames as the prediction")
        pinv = np.linalg.pinv(a)
        if np.allclose(got, x_pred - pinv @ a @ x_pred, atol=1e-8):
            raise AssertionError("you returned only the null-space part (I − A†A) x_pred: add the range part A†y, "
                                 "which carries the measurements")
        if np.allclose(got, pinv @ y, atol=1e-8):
            raise AssertionError("you returned only A†y: add the null-space part of the prediction, "
                                 "(I − A†A) x_pred, which fills in what A cannot see")
        if name == "a blurring operator" and np.allclose(got, a.T @ y + (np.eye(t) - a.T @ a) @ x_pred, atol=1e-8):
            raise AssertionError("right for a mask but not for a blur: Aᵀ is the pseudo-inverse only when A selects "
                                 "frames; use A† = np.linalg.pinv(A)")
        if not np.allclose(a @ got, y, atol=1e-8):
            raise AssertionError(f"for {name}, A x̂ ≠ y (largest error {np.abs(a @ got - y).max():.2e}): the "
                                 "completion must reproduce every measurement; check x̂ = A†y + (I − A†A) x_pred")
        if not np.allclose(got, expected, atol=1e-8):
            raise AssertionError(f"for {name}, A x̂ = y holds but the null-space part differs: it must be "
                                 "(I − A†A) x_pred, the prediction with its visible part removed")
    return True


def check_noise_weight(student_fn, seed: int = 0) -> bool:
    """Check ``student_fn(noise_ceiling, residual_var) -> lam``: the per-vertex Wiener weight of noisy
    measurements against a prediction (DDNM+), ``λ = σ_p² / (σ_p² + σ_n²)``.

    ``noise_ceiling`` is the correlation ``r`` of each vertex's measured (z-scored) series with its
    noise-free signal, so the noise variance is ``σ_n² = 1 − r²``; ``residual_var`` is the variance of
    measurements minus held-out predictions, which holds the noise too, so the prediction's own error
    is ``σ_p² = max(residual_var − σ_n², 0)``. The reference is
    :func:`neuroframes_edu.smoothing.noise_aware_weights` with ``noise_ceiling``.
    """
    from neuroframes_edu.nullspace import noise_aware_lambda
    from neuroframes_edu.smoothing import noise_aware_weights

    rng = np.random.default_rng(seed)
    r = np.array([0.95, 0.8, 0.55, 0.3, 0.0, 0.7])
    noise = 1 - r**2
    residual_var = noise + np.array([0.2, 0.5, 0.1, 0.4, 0.3, -0.1])  # the last: a prediction better than noise
    expected = noise_aware_lambda(np.clip(residual_var - noise, 0, None), noise)
    # the library's route, from series whose residual variance is residual_var
    z = rng.standard_normal((4000, r.size))
    z = (z - z.mean(0)) / z.std(0)
    res = rng.standard_normal((4000, r.size))
    res = (res - res.mean(0)) / res.std(0) * np.sqrt(residual_var.clip(0))
    assert np.allclose(noise_aware_weights([z], [res], noise_ceiling=r), expected)
    got = np.asarray(student_fn(r.copy(), residual_var.copy()), dtype=float)
    if got.shape != expected.shape:
        raise AssertionError(f"return one weight per vertex: shape {expected.shape}, got {got.shape}")
    if not np.isfinite(got).all():
        raise AssertionError("some weights are NaN or infinite: where σ_p² + σ_n² could be 0, or where "
                             "residual_var − σ_n² is negative, clip the prediction's error at 0 first")
    candidates = {
        "you used r as the noise variance; the noise variance of a z-scored series with ceiling r is 1 − r²":
            noise_aware_lambda(np.clip(residual_var - r, 0, None), r),
        "you used r² as the noise variance; r² is the signal's share, the noise's is 1 − r²":
            noise_aware_lambda(np.clip(residual_var - r**2, 0, None), r**2),
        "the residual holds the noise too: the prediction's own error is residual_var − σ_n², not residual_var":
            noise_aware_lambda(residual_var.clip(0), noise),
        "the weight is inverted: λ = σ_p² / (σ_p² + σ_n²) is the weight of the measurement, which grows as the "
        "prediction gets worse": 1 - expected,
    }
    for message, wrong in candidates.items():
        if np.allclose(got, wrong, atol=1e-6) and not np.allclose(wrong, expected, atol=1e-6):
            raise AssertionError(message)
    if (got < -1e-9).any() or (got > 1 + 1e-9).any():
        raise AssertionError(f"weights must lie in [0, 1], got {got.min():.3f} … {got.max():.3f}: clip "
                             "residual_var − σ_n² at 0 (a prediction cannot be better than no error)")
    if not np.allclose(got, expected, atol=1e-6):
        raise AssertionError(f"got {np.round(got, 3)}, expected {np.round(expected, 3)}: σ_n² = 1 − r², "
                             "σ_p² = max(residual_var − σ_n², 0), λ = σ_p² / (σ_p² + σ_n²)")
    return True


def check_smoothness_penalty(student_fn, seed: int = 0) -> bool:
    """Check ``student_fn(frames) -> penalty``: the mean squared second difference over the frame axis of a
    tensor ``(batch, n_frames, n_vertices)``, ``mean((x[t+1] − 2 x[t] + x[t−1])²)``.

    The reference is :func:`neuroframes_edu.nn.smoothness_penalty` with weight 1.
    """
    import torch

    from neuroframes_edu.nn import smoothness_penalty

    g = torch.Generator().manual_seed(seed)
    frames = torch.randn(2, 7, 5, generator=g)
    expected = float(smoothness_penalty(frames))
    got = student_fn(frames.clone())
    got = float(got.detach()) if isinstance(got, torch.Tensor) else float(got)
    first = float(((frames[:, 1:] - frames[:, :-1]) ** 2).mean())
    if np.isclose(got, first, rtol=1e-5):
        raise AssertionError("that is the first difference x[t+1] − x[t]; the penalty uses the second difference "
                             "x[t+1] − 2 x[t] + x[t−1], which is zero for any straight line in time")
    along_vertices = frames[..., 2:] - 2 * frames[..., 1:-1] + frames[..., :-2]
    if np.isclose(got, float((along_vertices**2).mean()), rtol=1e-5):
        raise AssertionError("you differenced along the vertex axis (−1); time is axis −2 of (batch, frames, "
                             "vertices)")
    second = frames[:, 2:] - 2 * frames[:, 1:-1] + frames[:, :-2]
    if np.isclose(got, float((second**2).sum()), rtol=1e-5):
        raise AssertionError("you summed the squares; take the mean, so the weight does not depend on the window "
                             "length or the mesh size")
    if not np.isclose(got, expected, rtol=1e-5):
        raise AssertionError(f"got {got:.5f}, expected {expected:.5f}: square the second differences "
                             "x[t+1] − 2 x[t] + x[t−1] along the frame axis and average them")
    line = torch.arange(6.0)[None, :, None].repeat(1, 1, 3)
    if abs(float(student_fn(line))) > 1e-6:
        raise AssertionError("a straight line in time must cost nothing; check the signs of the second difference")
    return True


def check_ddim_projection_step(student_fn, seed: int = 0) -> bool:
    """Check ``student_fn(z_t, eps, abar_t, abar_next, known, y) -> (z0_hat, z_next)``: one deterministic
    DDIM step (η = 0) with the null-space projection of a frame mask inside it (DDNM).

    ``z_t`` and ``eps`` are ``(n_frames, n_latent)``; ``known`` a boolean mask over frames; ``y`` the
    measured frames ``(n_known, n_latent)``; ``abar_t`` and ``abar_next`` the cumulative products
    ``ᾱ`` of the current and the next step. The step: ``ẑ_0 = (z_t − √(1 − ᾱ_t) ε) / √ᾱ_t``; then the
    measured frames of ``ẑ_0`` are replaced by ``y``; then ``z_next = √ᾱ_next ẑ_0 + √(1 − ᾱ_next) ε``.
    The reference is :func:`neuroframes_edu.nn.ddim_sample` with :class:`~neuroframes_edu.nullspace.FrameMask`.
    """
    import torch

    from neuroframes_edu.nn import NoiseSchedule, ddim_sample
    from neuroframes_edu.nullspace import FrameMask

    g = torch.Generator().manual_seed(seed)
    schedule = NoiseSchedule(1000)
    t, t_next = 999, 979  # the first two steps of 50-step DDIM
    z_t, eps = torch.randn(6, 4, generator=g, dtype=torch.float64), torch.randn(6, 4, generator=g, dtype=torch.float64)
    known = np.array([True, False, False, True, False, True])
    y = torch.randn(int(known.sum()), 4, generator=g, dtype=torch.float64)
    abar_t, abar_next = float(schedule.alphas_cumprod[t]), float(schedule.alphas_cumprod[t_next])
    mask = FrameMask(known)
    z0_ref = mask.project((z_t - np.sqrt(1 - abar_t) * eps) / np.sqrt(abar_t), y)
    next_ref = np.sqrt(abar_next) * z0_ref + np.sqrt(1 - abar_next) * eps
    # the reference is the library's sampler: the sample its second denoiser call sees is z_next
    seen = []

    def denoise(z, _t):
        seen.append(z[0].clone())
        return eps[None]

    ddim_sample(denoise, schedule, z_t[None], steps=50, correct=lambda z0, *_: mask.project(z0, y[None]))
    assert schedule.ddim_steps(50)[:2] == [t, t_next] and torch.allclose(seen[1], next_ref)
    got = student_fn(z_t.clone(), eps.clone(), abar_t, abar_next, known.copy(), y.clone())
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        raise AssertionError("return two things: the projected clean estimate ẑ_0 and the next sample z_next")
    z0, z_next = (torch.as_tensor(np.asarray(x, dtype=float)) for x in got)
    if z0.shape != z0_ref.shape or z_next.shape != next_ref.shape:
        raise AssertionError(f"shapes {tuple(z0.shape)} and {tuple(z_next.shape)}; both must be (frames, latent) = "
                             f"{tuple(z0_ref.shape)}")
    raw = (z_t - np.sqrt(1 - abar_t) * eps) / np.sqrt(abar_t)
    if torch.allclose(z0, raw):
        raise AssertionError("ẑ_0 is the denoiser's estimate before the projection: paste the measured frames y into "
                             "it (z0[known] = y) — that is what keeps them exact")
    unknown = torch.as_tensor(~known)
    if torch.allclose(z0[unknown], (z_t - np.sqrt(1 - abar_t) * eps)[unknown]):
        raise AssertionError("ẑ_0 = (z_t − √(1 − ᾱ_t) ε) / √ᾱ_t: remove the scaled noise, then divide by √ᾱ_t")
    if not torch.allclose(z0[known], y):
        raise AssertionError("the measured frames of ẑ_0 must equal y exactly after the projection")
    if not torch.allclose(z0, z0_ref):
        raise AssertionError("the measured frames are right but the others are not: they keep the denoiser's estimate")
    if torch.allclose(z_next, np.sqrt(abar_next) * z0_ref + np.sqrt(1 - abar_next) * torch.randn(
            6, 4, generator=torch.Generator().manual_seed(seed + 1), dtype=torch.float64)):
        raise AssertionError("deterministic DDIM (η = 0) reuses the predicted noise ε, not fresh noise")
    if torch.allclose(z_next, np.sqrt(abar_t) * z0_ref + np.sqrt(1 - abar_t) * eps):
        raise AssertionError("z_next uses ᾱ of the *next* step: √ᾱ_next ẑ_0 + √(1 − ᾱ_next) ε")
    if not torch.allclose(z_next, next_ref):
        raise AssertionError("z_next = √ᾱ_next ẑ_0 + √(1 − ᾱ_next) ε, with the projected ẑ_0")
    return True
