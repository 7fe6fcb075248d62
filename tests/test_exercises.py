"""The exercise checks accept correct answers and explain wrong ones."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from neuroframes_edu.exercises import check_adjacency, check_laplacian


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

    from neuroframes_edu.exercises import check_hrf_convolution

    assert check_hrf_convolution(lambda x, h, dt: dt * np.convolve(x, h)[: len(x)])
    with pytest.raises(AssertionError, match="factor 1/dt"):
        check_hrf_convolution(lambda x, h, dt: np.convolve(x, h)[: len(x)])
    with pytest.raises(AssertionError, match="samples but the input has"):
        check_hrf_convolution(lambda x, h, dt: dt * np.convolve(x, h))
    with pytest.raises(AssertionError, match="centred rather than causal"):
        check_hrf_convolution(lambda x, h, dt: dt * fftconvolve(x, h, mode="same"))
