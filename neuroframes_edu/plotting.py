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


def plot_architecture(rows, inputs: dict | None = None, title: str | None = None, ax=None):
    """A block diagram of a network from :func:`neuroframes_edu.nn.layer_table`: one column per
    top-level module in the order they run, listing its sub-modules with their output shapes.

    Parameters
    ----------
    rows : list of dict
        :func:`~neuroframes_edu.nn.layer_table` of the model.
    inputs : dict, optional
        Input name → shape, drawn as the first column (e.g. ``{"eeg": batch.eeg.shape}``).
    title : str, optional
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    rows = list(rows)
    if not rows or not all({"name", "kind", "depth", "output", "parameters"} <= set(r) for r in rows):
        raise ValueError("rows must be the non-empty list that neuroframes_edu.nn.layer_table(model, batch) returns")

    def fmt(shape):
        return "(" + ", ".join(str(s) for s in shape) + ")" if shape is not None else "—"

    columns = []
    if inputs:
        columns.append(("inputs", "", [f"{k} {fmt(tuple(v))}" for k, v in inputs.items()]))
    names = {r["name"] for r in rows}

    def owner(name):
        """The nearest ancestor that ran (a ModuleList never runs itself), or None."""
        parts = name.split(".")
        return next((".".join(parts[:k]) for k in range(len(parts) - 1, 0, -1) if ".".join(parts[:k]) in names),
                    None)

    def label(name):
        first = next(r for r in rows if r["name"] == name)
        calls = sum(r["name"] == name for r in rows)
        return first, f"{first['kind']}{f' ×{calls}' if calls > 1 else ''}"

    heads = list(dict.fromkeys(r["name"] for r in rows if owner(r["name"]) is None))
    for head in heads:
        first, kind = label(head)
        lines = []
        for name in dict.fromkeys(r["name"] for r in rows if owner(r["name"]) == head):
            sub, sub_kind = label(name)
            lines.append(f"{name[len(head) + 1:]}: {sub_kind} → {fmt(sub['output'])}")
        columns.append((f"{head}: {kind}\n{first['parameters']:,} parameters → {fmt(first['output'])}", first["kind"],
                        lines or ["(no sub-modules)"]))
    width = 1.0
    gap = 0.35
    height = max(len(lines) for _, _, lines in columns) * 0.2 + 0.9
    if ax is None:
        fig, ax = plt.subplots(figsize=(3.6 * len(columns), 0.45 * height + 1.2))
    else:
        fig = ax.figure
    for i, (head, kind, lines) in enumerate(columns):
        x = i * (width + gap)
        color = "0.92" if not kind else f"C{i % 10}"
        ax.add_patch(FancyBboxPatch((x, 0), width, height, boxstyle="round,pad=0.02", facecolor=color,
                                    alpha=0.18 if kind else 1.0, edgecolor="0.3"))
        ax.text(x + width / 2, height - 0.08, head, ha="center", va="top", fontsize=8, fontweight="bold")
        ax.text(x + 0.04, height - 0.62, "\n".join(lines), ha="left", va="top", fontsize=7, family="monospace",
                linespacing=1.5)
        if i:
            ax.add_patch(FancyArrowPatch((x - gap + 0.02, height / 2), (x - 0.02, height / 2),
                                         arrowstyle="-|>", mutation_scale=14, color="0.2"))
    ax.set(xlim=(-0.05, len(columns) * (width + gap) - gap + 0.05), ylim=(-0.05, height + 0.05))
    ax.axis("off")
    if title:
        ax.set_title(title, fontsize=10)
    return fig


def plot_filter_responses(freqs, gains, initial=None, bands: dict | None = None, fmax: float | None = None,
                          labels=None, title: str | None = None, ax=None):
    """Each learned temporal filter's power gain against frequency, from
    :func:`neuroframes_edu.nn.filter_responses`, with the EEG bands shaded.

    Parameters
    ----------
    freqs : array-like, shape (n_freqs,)
        Frequencies (Hz).
    gains : array-like, shape (..., n_freqs)
        One gain curve per filter (any leading shape, e.g. ``(n_scales, n_filters)``).
    initial : array-like, same shape as ``gains``, optional
        The same filters before training, drawn thin and grey.
    bands : dict, optional
        ``{name: (low, high)}`` in Hz to shade and label; default :data:`~neuroframes_edu.features.BANDS`.
    fmax : float, optional
        Highest frequency shown (default the last of ``freqs``).
    labels : sequence of str, optional
        One legend entry per curve of ``gains`` (in its flattened order), e.g. each filter's peak.
    title : str, optional
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    from neuroframes_edu._utils.validation import check_array, check_number
    from neuroframes_edu.features import BANDS, check_bands

    freqs = check_array(freqs, "freqs", ndim=1, axes="(n_freqs,) in Hz")
    gains = check_array(gains, "gains", axes="(…, n_freqs)")
    if gains.ndim < 1 or gains.shape[-1] != freqs.size:
        raise ValueError(f"gains must have one value per frequency on its last axis (…, {freqs.size}), got shape "
                         f"{gains.shape}; pass the two arrays that neuroframes_edu.nn.filter_responses returns")
    if initial is not None:
        initial = check_array(initial, "initial", axes="the shape of gains")
        if initial.shape != gains.shape:
            raise ValueError(f"initial must have the shape of gains {gains.shape}, got {initial.shape}")
    n_curves = int(np.prod(gains.shape[:-1]))
    if labels is not None:
        labels = [str(label) for label in labels]
        if len(labels) != n_curves:
            raise ValueError(f"labels must name each of the {n_curves} curves of gains, got {len(labels)} labels")
    fmax = float(freqs[-1]) if fmax is None else check_number(fmax, "fmax", minimum=float(freqs[0]),
                                                               include_minimum=False)
    bands = check_bands(BANDS if bands is None else bands)
    if ax is None:
        fig, ax = plt.subplots(figsize=(7, 3))
    else:
        fig = ax.figure
    for i, (name, (lo, hi)) in enumerate(bands.items()):
        if lo >= fmax:
            continue
        ax.axvspan(lo, min(hi, fmax), color="0.93" if i % 2 else "0.86", lw=0, zorder=0)
        ax.text((lo + min(hi, fmax)) / 2, 1.02, name, ha="center", va="bottom", fontsize=7,
                transform=ax.get_xaxis_transform())
    if initial is not None:
        for k, curve in enumerate(initial.reshape(-1, freqs.size)):
            ax.plot(freqs, curve, color="0.75", lw=0.6, ls="--", label="before training" if k == 0 else None)
    for k, curve in enumerate(gains.reshape(-1, freqs.size)):
        label = labels[k] if labels is not None else ("after training" if k == 0 and initial is not None else None)
        ax.plot(freqs, curve, color=f"C{k % 10}", lw=1.4, label=label)
    ax.set(xlim=(float(freqs[0]), fmax), ylim=(0, 1.05), xlabel="frequency (Hz)",
           ylabel="power gain (relative to peak)")
    if initial is not None or labels is not None:  # beside the axes, clear of the curves
        ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    if title:
        ax.set_title(title, fontsize=10, pad=14)
    return fig
