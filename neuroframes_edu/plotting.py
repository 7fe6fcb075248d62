"""Figures on the cortex, drawn with nilearn's surface plotting (matplotlib engine, so they render
headless, in the book and in Colab alike).

Introduced in notebook 00.
"""

from __future__ import annotations

import numpy as np

from neuroframes_edu.surface import CorticalMesh

#: (hemisphere, view) panels of a standard four-view figure.
#: nilearn's named viewpoints (a view may also be an ``(elevation, azimuth)`` pair in degrees).
VIEW_NAMES = ("lateral", "medial", "dorsal", "ventral", "anterior", "posterior")
FOUR_VIEWS = (("left", "lateral"), ("left", "medial"), ("right", "lateral"), ("right", "medial"))


def plot_cortex(
    mesh: CorticalMesh,
    values=None,
    surface: str = "inflated",
    views=FOUR_VIEWS,
    cmap: str | None = None,
    vmin: float | None = None,
    vmax: float | None = None,
    symmetric: bool | None = None,
    background: bool = True,
    title: str | None = None,
    colorbar_label: str | None = None,
    figsize: tuple[float, float] | None = None,
    axes=None,
    avg_method: str = "mean",
):
    """Draw a per-vertex map on the cortex from several viewpoints.

    Parameters
    ----------
    mesh : CorticalMesh
        The surface to draw on.
    values : array-like, shape (n_vertices,), optional
        The map; ``None`` draws the sulcal depth in grey (the usual anatomical backdrop).
    surface : str
        Geometry to draw: ``"inflated"`` (default; sulci visible), ``"pial"``, ``"white"``, ``"sphere"``.
    views : sequence of (hemisphere, view)
        Panels, e.g. ``(("left", "lateral"),)``; views are nilearn's (lateral, medial, dorsal, ...).
    cmap : str, optional
        Matplotlib colormap; default ``"Greys"`` for sulcal depth, ``"RdBu_r"`` for a symmetric map,
        ``"viridis"`` otherwise.
    vmin, vmax : float, optional
        Colour limits; by default the 2nd and 98th percentiles (symmetric around 0 if ``symmetric``).
    symmetric : bool, optional
        Centre the colour scale on 0; by default when the map takes both signs.
    background : bool
        Shade the sulcal depth underneath the map.
    title : str, optional
        Figure title.
    colorbar_label : str, optional
        Label of the shared colour bar; none is drawn for the plain sulcal backdrop.
    figsize : (float, float), optional
        Figure size in inches; by default 3 inches per panel.
    avg_method : {"mean", "median", "min", "max"}
        How a triangle's colour is taken from its three vertices; ``"max"`` keeps label maps crisp.
    axes : sequence of matplotlib 3-D axes, optional
        Draw into these (one per view, created with ``projection="3d"``) instead of a new figure;
        the figure layout is then left to the caller.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize
    from nilearn import plotting

    from neuroframes_edu._utils.validation import check_option, check_type

    check_type(mesh, CorticalMesh, "mesh", hint='load one with load_mesh("ico4"); the map goes in values=')
    anatomy = values is None
    values = mesh.sulc if anatomy else mesh.check_values(values)
    if isinstance(views, (str, bytes)) or not views:
        raise ValueError(f"views must name at least one (hemisphere, view) panel, e.g. (('left', 'lateral'),); "
                         f"got {views!r}")
    for i, panel in enumerate(views):
        if not (isinstance(panel, (tuple, list)) and len(panel) == 2):
            raise ValueError(f"views[{i}] must be a (hemisphere, view) pair such as ('left', 'lateral'), got {panel!r}")
        check_option(panel[0], ("left", "right"), f"views[{i}] hemisphere")
        if isinstance(panel[1], str):
            check_option(panel[1], VIEW_NAMES, f"views[{i}] view")
    if symmetric is None:
        symmetric = (not anatomy) and values.min() < 0 < values.max()
    lo, hi = np.percentile(values, [2, 98])
    if symmetric:
        bound = max(abs(lo), abs(hi)) or 1.0
        lo, hi = -bound, bound
    if lo == hi:  # a constant map: centre it in a unit range rather than refuse it
        lo, hi = lo - 0.5, hi + 0.5
    from neuroframes_edu._utils.validation import check_number

    vmin = lo if vmin is None else check_number(vmin, "vmin")
    vmax = hi if vmax is None else check_number(vmax, "vmax")
    if vmin >= vmax:
        raise ValueError(f"vmin ({vmin}) must be below vmax ({vmax})")
    if cmap is not None and not hasattr(cmap, "N"):  # a name: check it here, not deep inside matplotlib
        import matplotlib

        check_type(cmap, str, "cmap", hint="a matplotlib colormap name such as 'viridis', or a Colormap")
        if cmap not in matplotlib.colormaps:
            close = [c for c in matplotlib.colormaps if c.lower() == cmap.lower()]
            raise ValueError(f"cmap {cmap!r} is not a matplotlib colormap" + (f" (did you mean {close[0]!r}?)" if close
                             else "; e.g. 'viridis', 'RdBu_r', 'Greys'"))
    cmap = cmap or ("Greys" if anatomy else "RdBu_r" if symmetric else "viridis")

    polymesh = mesh.to_polymesh(surface)
    n = len(views)
    own_figure = axes is None
    if own_figure:
        fig, axes = plt.subplots(1, n, subplot_kw={"projection": "3d"}, figsize=figsize or (3.0 * n, 3.0))
    axes = list(np.atleast_1d(axes))
    if len(axes) != n:
        raise ValueError(f"axes has {len(axes)} entries but views asks for {n} panels; pass one axes per view")
    if any(getattr(ax, "name", "") != "3d" for ax in axes):
        raise ValueError("axes must be 3-D axes, created with subplot_kw={'projection': '3d'}")
    fig = axes[0].figure
    for ax, (hemi, view) in zip(axes, views, strict=True):
        part = values[mesh.hemisphere_slice(hemi)]
        bg = mesh.sulc[mesh.hemisphere_slice(hemi)] if background and not anatomy else None
        plotting.plot_surf(polymesh.parts[hemi], surf_map=part, bg_map=bg, hemi=hemi, view=view, cmap=cmap,
                           vmin=vmin, vmax=vmax, colorbar=False, bg_on_data=bg is not None,
                           avg_method=avg_method, axes=ax, figure=fig)
        ax.set_box_aspect(None, zoom=1.45)
        ax.set_title(f"{hemi} {view}", fontsize=9)
    if not own_figure:
        return fig
    fig.subplots_adjust(left=0, right=0.9 if colorbar_label else 1, top=0.8 if title else 0.92, bottom=0,
                        wspace=0)
    if colorbar_label:
        cax = fig.add_axes((0.92, 0.2, 0.015, 0.6))
        fig.colorbar(ScalarMappable(norm=Normalize(vmin, vmax), cmap=cmap), cax=cax, label=colorbar_label)
    if title:
        fig.suptitle(title)
    return fig
