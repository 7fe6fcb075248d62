"""The exercise checks accept correct answers and explain wrong ones."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from neuroframes_edu.course.exercises import check_adjacency, check_band_power, check_laplacian


def _edges(faces):
    return np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]])


def good_adjacency(faces, n):
    e = _edges(faces)
    a = sp.coo_matrix((np.ones(2 * len(e)), (np.r_[e[:, 0], e[:, 1]], np.r_[e[:, 1], e[:, 0]])), shape=(n, n))
    a = a.tocsr()
    a.data[:] = 1.0
    return a


def test_correct_answers_pass():
    assert check_adjacency(good_adjacency)
    assert check_laplacian(lambda a: sp.diags(np.asarray(a.sum(axis=1)).ravel()) - a)


@pytest.mark.parametrize(
    ("wrong", "hint"),
    [
        (lambda f, n: good_adjacency(f, n)[:-1], "one row and one column per vertex"),
        (lambda f, n: sp.triu(good_adjacency(f, n)), "not symmetric"),
        (lambda f, n: good_adjacency(f, n) + sp.identity(n), "non-zero diagonal"),
        (lambda f, n: good_adjacency(f, n) * 2, "count it once"),
        (lambda f, n: good_adjacency(f[: len(f) // 2], n), "you found"),
    ],
)
def test_wrong_adjacencies_get_specific_hints(wrong, hint):
    with pytest.raises(AssertionError, match=hint):
        check_adjacency(wrong)


def test_wrong_laplacians_get_specific_hints():
    with pytest.raises(AssertionError, match="constant map to zero"):
        check_laplacian(lambda a: a)
    with pytest.raises(AssertionError, match="shape"):
        check_laplacian(lambda a: a[:10, :10])


def test_hrf_convolution_check():
    from scipy.signal import fftconvolve

    from neuroframes_edu.course.exercises import check_hrf_convolution

    assert check_hrf_convolution(lambda x, h, dt: dt * np.convolve(x, h)[: len(x)])
    with pytest.raises(AssertionError, match="factor 1/dt"):
        check_hrf_convolution(lambda x, h, dt: np.convolve(x, h)[: len(x)])
    with pytest.raises(AssertionError, match="samples but the input has"):
        check_hrf_convolution(lambda x, h, dt: dt * np.convolve(x, h))
    with pytest.raises(AssertionError, match="centred rather than causal"):
        check_hrf_convolution(lambda x, h, dt: dt * fftconvolve(x, h, mode="same"))


def _band_power_solution(data, sfreq, band, rate):
    import mne
    from scipy.signal import hilbert

    filtered = mne.filter.filter_data(data, sfreq, band[0], band[1], verbose=False)
    power = np.abs(hilbert(filtered, axis=1)) ** 2
    per_bin = int(round(sfreq / rate))
    n = data.shape[1] // per_bin
    return np.log(power[:, : n * per_bin].reshape(len(data), n, per_bin).mean(axis=2))


def test_band_power_check_passes_a_correct_answer():
    assert check_band_power(_band_power_solution)


@pytest.mark.parametrize(("wrong", "hint"), [
    (lambda d, s, b, r: _band_power_solution(d, 250.0, b, r * s / 250.0), "never a fixed number"),
    (lambda d, s, b, r: np.exp(_band_power_solution(d, s, b, r)), "natural logarithm"),
    (lambda d, s, b, r: 0.5 * _band_power_solution(d, s, b, r) + 0.1, "square the envelope"),
    (lambda d, s, b, r: _band_power_solution(d, s, (b[0] + 4, b[1] + 4), r), "differ from the reference"),
])
def test_band_power_check_gives_specific_hints(wrong, hint):
    with pytest.raises(AssertionError, match=hint):
        check_band_power(wrong)


def _gcn_step(x, edge_index):
    import torch

    src, dst = edge_index
    n = x.shape[0]
    deg = torch.ones(n).index_add_(0, dst, torch.ones(dst.numel()))
    norm = (deg[src] * deg[dst]).rsqrt()
    out = x / deg[:, None]
    return out.index_add_(0, dst, x[src] * norm[:, None])


def test_message_passing_check_passes_a_correct_answer():
    from neuroframes_edu.course.exercises import check_message_passing

    assert check_message_passing(_gcn_step)


def _no_self_loops(x, edge_index):
    import torch

    src, dst = edge_index
    deg = torch.zeros(x.shape[0]).index_add_(0, dst, torch.ones(dst.numel()))
    return torch.zeros_like(x).index_add_(0, dst, x[src] * (deg[src] * deg[dst]).rsqrt()[:, None])


def _sum(x, edge_index):
    return x.clone().index_add_(0, edge_index[1], x[edge_index[0]])


def _mean(x, edge_index):
    import torch

    deg = torch.ones(x.shape[0]).index_add_(0, edge_index[1], torch.ones(edge_index.shape[1]))
    return _sum(x, edge_index) / deg[:, None]


@pytest.mark.parametrize(("wrong", "hint"), [
    (_no_self_loops, "forgot itself"), (_sum, "without normalising"), (_mean, "mean over the neighbourhood"),
    (lambda x, e: _gcn_step(x, e)[:-1], "one row per vertex"),
    (lambda x, e: 2 * _gcn_step(x, e), "differ from GCNConv"),
])
def test_message_passing_check_gives_specific_hints(wrong, hint):
    from neuroframes_edu.course.exercises import check_message_passing

    with pytest.raises(AssertionError, match=hint):
        check_message_passing(wrong)


def test_null_space_projection_check():
    from neuroframes_edu.course.exercises import check_null_space_projection

    def right(x, y, a):
        p = np.linalg.pinv(a)
        return p @ y + (np.eye(a.shape[1]) - p @ a) @ x

    assert check_null_space_projection(right)
    wrong = {
        "only the null-space part": lambda x, y, a: x - np.linalg.pinv(a) @ a @ x,
        "only A†y": lambda x, y, a: np.linalg.pinv(a) @ y,
        "right for a mask but not for a blur": lambda x, y, a: a.T @ y + (np.eye(a.shape[1]) - a.T @ a) @ x,
        "as many frames": lambda x, y, a: right(x, y, a)[:-1],
        "must reproduce every measurement": lambda x, y, a: right(x, y, a) + 0.1,
        "null-space part differs": lambda x, y, a: right(2 * x, y, a),
    }
    for hint, fn in wrong.items():
        with pytest.raises(AssertionError, match=hint):
            check_null_space_projection(fn)


def test_noise_weight_check():
    from neuroframes_edu.course.exercises import check_noise_weight

    def right(r, res):
        noise = 1 - r**2
        prior = np.clip(res - noise, 0, None)
        return prior / (prior + noise)

    assert check_noise_weight(right)
    wrong = {
        "you used r as the noise variance": lambda r, res: right(np.sqrt(1 - r), res),
        "you used r² as the noise variance": lambda r, res: right(np.sqrt(1 - r**2), res),
        "the residual holds the noise too": lambda r, res: res.clip(0) / (res.clip(0) + 1 - r**2),
        "the weight is inverted": lambda r, res: 1 - right(r, res),
        "one weight per vertex": lambda r, res: right(r, res).mean(),
        "NaN or infinite": lambda r, res: np.clip(res - 1 + r**2, 0, None) / np.clip(res - 1 + r**2, 0, None),
        "must lie in": lambda r, res: (res - (1 - r**2)) / res,
        "expected": lambda r, res: right(r, res) * 0.9,
    }
    for hint, fn in wrong.items():
        with pytest.raises(AssertionError, match=hint):
            check_noise_weight(fn)


def test_smoothness_penalty_check():
    from neuroframes_edu.course.exercises import check_smoothness_penalty

    def second(x):
        return x[:, 2:] - 2 * x[:, 1:-1] + x[:, :-2]

    assert check_smoothness_penalty(lambda x: (second(x) ** 2).mean())
    wrong = {
        "first difference": lambda x: ((x[:, 1:] - x[:, :-1]) ** 2).mean(),
        "vertex axis": lambda x: ((x[..., 2:] - 2 * x[..., 1:-1] + x[..., :-2]) ** 2).mean(),
        "summed the squares": lambda x: (second(x) ** 2).sum(),
        "average them": lambda x: second(x).abs().mean(),
    }
    for hint, fn in wrong.items():
        with pytest.raises(AssertionError, match=hint):
            check_smoothness_penalty(fn)


def test_ddim_projection_step_check():
    from neuroframes_edu.course.exercises import check_ddim_projection_step

    def right(z_t, eps, a_t, a_next, known, y):
        z0 = (z_t - (1 - a_t) ** 0.5 * eps) / a_t ** 0.5
        z0[known] = y
        return z0, a_next ** 0.5 * z0 + (1 - a_next) ** 0.5 * eps

    assert check_ddim_projection_step(right)

    def no_projection(z_t, eps, a_t, a_next, known, y):
        z0 = (z_t - (1 - a_t) ** 0.5 * eps) / a_t ** 0.5
        return z0, a_next ** 0.5 * z0 + (1 - a_next) ** 0.5 * eps

    def same_abar(z_t, eps, a_t, a_next, known, y):
        return right(z_t, eps, a_t, a_t, known, y)

    def no_division(z_t, eps, a_t, a_next, known, y):
        z0 = z_t - (1 - a_t) ** 0.5 * eps
        z0[known] = y
        return z0, a_next ** 0.5 * z0 + (1 - a_next) ** 0.5 * eps

    wrong = {
        "before the projection": no_projection,
        "of the \\*next\\* step": same_abar,
        "divide by √ᾱ_t": no_division,
        "return two things": lambda *a: right(*a)[0],
    }
    for hint, fn in wrong.items():
        with pytest.raises(AssertionError, match=hint):
            check_ddim_projection_step(fn)
