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
