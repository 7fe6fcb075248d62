"""Cortical figures render headless and reject bad arguments clearly."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from neuroframes_edu.plotting import plot_cortex, plot_filter_responses
from neuroframes_edu.surface import load_fsaverage


@pytest.fixture(scope="module")
def mesh():
    return load_fsaverage("ico3")


def test_four_views_of_the_anatomy(mesh):
    fig = plot_cortex(mesh, title="sulcal depth")
    try:
        assert len(fig.axes) == 4
        assert [ax.get_title() for ax in fig.axes] == ["left lateral", "left medial", "right lateral", "right medial"]
    finally:
        plt.close(fig)


def test_signed_map_gets_a_colorbar(mesh):
    values = np.linspace(-1, 1, mesh.n_vertices)
    fig = plot_cortex(mesh, values, views=[("left", "lateral")], colorbar_label="z")
    try:
        assert len(fig.axes) == 2  # the panel and the colour bar
        assert fig.axes[1].get_ylabel() == "z"
    finally:
        plt.close(fig)


def test_draws_into_given_axes(mesh):
    fig, axes = plt.subplots(1, 2, subplot_kw={"projection": "3d"})
    try:
        out = plot_cortex(mesh, views=[("left", "lateral"), ("right", "medial")], axes=axes)
        assert out is fig
    finally:
        plt.close(fig)


def test_bad_arguments(mesh):
    with pytest.raises(ValueError, match="has 1284 vertices"):
        plot_cortex(mesh, np.zeros(5))
    with pytest.raises(ValueError, match="vmin"):
        plot_cortex(mesh, np.zeros(mesh.n_vertices) + 1.0, vmin=2, vmax=1)
    with pytest.raises(ValueError, match="at least one"):
        plot_cortex(mesh, views=[])
    _, ax = plt.subplots()
    try:
        with pytest.raises(ValueError, match="3-D axes"):
            plot_cortex(mesh, views=[("left", "lateral")], axes=[ax])
        with pytest.raises(ValueError, match="axes has 1 entries but views asks for 4"):
            plot_cortex(mesh, axes=[ax])
    finally:
        plt.close("all")


def test_filter_responses_figure():
    freqs = np.linspace(0, 50, 101)
    gains = np.exp(-((freqs - 10.0) ** 2) / 8.0)[None].repeat(3, axis=0)
    fig = plot_filter_responses(freqs, gains, initial=np.full_like(gains, 0.5), bands={"alpha": (8, 13)}, fmax=40)
    try:
        ax = fig.axes[0]
        assert len(ax.lines) == 6 and ax.get_xlim() == (0.0, 40.0)
        assert [t.get_text() for t in ax.texts] == ["alpha"]
        assert [t.get_text() for t in ax.get_legend().get_texts()] == ["before training", "after training"]
    finally:
        plt.close(fig)
    with pytest.raises(ValueError, match="one value per frequency"):
        plot_filter_responses(freqs, gains[:, :50])
    with pytest.raises(ValueError, match="initial must have the shape of gains"):
        plot_filter_responses(freqs, gains, initial=gains[:2])
    with pytest.raises(ValueError, match="fmax"):
        plot_filter_responses(freqs, gains, fmax=-1.0)
    fig = plot_filter_responses(freqs, gains, initial=gains, labels=["a", "b", "c"])
    try:
        assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["before training", "a", "b", "c"]
    finally:
        plt.close(fig)
    with pytest.raises(ValueError, match="labels must name each of the 3 curves"):
        plot_filter_responses(freqs, gains, labels=["a"])
