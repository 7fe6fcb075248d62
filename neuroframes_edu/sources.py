"""EEG source imaging: from the electrodes to the vertices of the cortical mesh, with MNE's inverses.

Each electrode sums currents from the whole cortex (the lead field mixes sources); a linear inverse
(minimum norm, eLORETA) undoes part of that mixing and puts the EEG back on the cortex, where BOLD
lives. Band power of each *source* then tracks BOLD at its own vertex far better than band power of a
channel does (``benchmarks/results/run-fast.md``: the "source ridge" baseline).

The steps, each MNE's own:

1. a **forward model** (:func:`template_forward`): dipoles at the mesh's vertices, normal to the
   cortex, in a *template* head — a three-shell sphere fitted to the montage, with textbook
   conductivities (brain 0.33, skull 0.0132, scalp 0.33 S/m: a skull-to-brain ratio of 1/25) and the
   cortex placed 15 mm inside the inner skull. It is deliberately **not** the simulator's head model
   (four shells, MNE's default conductivities, cortex 10 mm inside): inverting with the model that
   generated the data is the "inverse crime", which flatters every result. With a subject's own MRI,
   pass its ``mne.Forward`` instead (``forward=``);
2. a **noise covariance** estimated from the recordings themselves (:func:`estimate_noise_cov`):
   the EEG above the highest band of interest carries sensor noise but (almost) no brain rhythm (on
   real EEG-fMRI it also carries residues of the gradient artefact and muscle: pass your own
   ``mne.Covariance``, e.g. from a rest period, when you have one);
3. an **inverse operator** (``mne.minimum_norm.make_inverse_operator``, fixed orientation; depth
   weighting 0.8 for MNE/dSPM/sLORETA — eLORETA, the default, standardises depth by itself and MNE
   ignores the weighting) and its linear kernel for a method and regularisation ``lambda2 = 1 / snr²``
   (:func:`make_source_imaging`);
4. **band power per source** (:func:`source_band_power_series`): each band is filtered and made
   analytic in sensor space (64 channels, cheap), projected through the kernel and squared — the
   same log band power as :func:`neuroframes_edu.features.band_power_series`, per vertex.

dSPM and sLORETA only rescale each source of the minimum-norm solution, which a per-feature z-score
removes from log band power; they are accepted for completeness.

Introduced in the benchmarks and :mod:`neuroframes_edu.evaluation` (the "source ridge" baseline).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from neuroframes_edu._utils.validation import check_number, check_option
from neuroframes_edu.features import BANDS, BandPowerSeries, _bins, check_bands

#: Inverse methods (MNE's names).
METHODS = ("MNE", "dSPM", "sLORETA", "eLORETA")
#: The template head: relative radii of the inner skull, outer skull and scalp, and their conductivities (S/m).
TEMPLATE_RADII = (0.88, 0.93, 1.0)
TEMPLATE_SIGMAS = (0.33, 0.0132, 0.33)
#: Depth of the template cortex below the inner skull (m).
TEMPLATE_INSET = 0.015


@dataclass(frozen=True)
class SourceImaging:
    """A linear inverse from EEG channels to the vertices of a cortical mesh.

    Attributes
    ----------
    kernel : ndarray, shape (n_vertices, n_channels)
        Source amplitude per volt at each channel (the average reference included).
    ch_names : tuple of str
        The channels, in the order of the kernel's columns.
    mesh_name : str
    method : str
    lambda2 : float
    head_model : str
        What the forward model was.
    """

    kernel: np.ndarray
    ch_names: tuple
    mesh_name: str
    method: str
    lambda2: float
    head_model: str

    @property
    def n_vertices(self) -> int:
        return self.kernel.shape[0]

    def apply(self, eeg) -> np.ndarray:
        """Source time courses, ``(n_vertices, n_samples)``, of EEG data ``(n_channels, n_samples)`` in the
        kernel's channel order."""
        eeg = np.asarray(eeg)
        if eeg.ndim != 2 or eeg.shape[0] != len(self.ch_names):
            raise ValueError(f"eeg must be (n_channels={len(self.ch_names)}, n_samples) in the order of "
                             f"ch_names, got shape {eeg.shape}")
        return self.kernel @ eeg


def _mesh(mesh):
    from neuroframes_edu.surface import CorticalMesh, load_mesh

    if isinstance(mesh, str):
        return load_mesh(mesh)
    if not isinstance(mesh, CorticalMesh):
        raise TypeError(f"mesh must be a mesh name such as 'ico3' or a CorticalMesh, got {type(mesh).__name__}")
    return mesh


def _eeg_info(info):
    """An ``mne.Info`` with EEG channels only, every one with a position, and the average reference
    as a projector (MNE's inverse requires it for EEG)."""
    import mne

    picks = mne.pick_types(info, eeg=True, exclude="bads")
    if len(picks) == 0:
        raise ValueError("info has no good EEG channel; source imaging needs EEG channels with positions")
    info = mne.pick_info(info, picks)
    missing = [ch["ch_name"] for ch in info["chs"] if not np.isfinite(ch["loc"][:3]).all()
               or not np.any(ch["loc"][:3])]
    if missing:
        raise ValueError(f"EEG channels {missing[:6]} have no position; set a montage first, e.g. "
                         "raw.set_montage('standard_1020') (evaluate_recordings without source imaging: "
                         "EvaluationConfig(source_method=None))")
    return info


def template_forward(info, mesh, radii=TEMPLATE_RADII, sigmas=TEMPLATE_SIGMAS, inset: float = TEMPLATE_INSET):
    """EEG forward model of the mesh's vertices in a template spherical head.

    A sphere with ``len(radii)`` shells is fitted to the electrode positions; the white-matter surface
    of the mesh is centred in it and scaled so that its farthest vertex lies ``inset`` metres inside
    the innermost shell; dipoles point along the outward surface normals.

    Parameters
    ----------
    info : mne.Info
        EEG channels with positions (a montage).
    mesh : str or CorticalMesh
        Source mesh (fsaverage ico3/ico4/ico5 or fs_LR).
    radii, sigmas : sequence of float
        Relative shell radii (outermost 1.0) and conductivities (S/m), innermost first.
    inset : float
        Metres between the outermost source and the inner skull.

    Returns
    -------
    mne.Forward
        One source per mesh vertex, in the mesh's vertex order, in surface orientation (the
        inverse fixes each source along its normal).

    Raises
    ------
    ValueError
        Channels without positions, shells that do not match their conductivities, or a head model in
        which MNE drops sources.
    """
    import mne

    mesh = _mesh(mesh)
    info = _eeg_info(info)
    if len(radii) != len(sigmas) or abs(float(radii[-1]) - 1.0) > 1e-9 or np.any(np.diff(radii) <= 0):
        raise ValueError(f"radii {tuple(radii)} must increase to 1.0 and pair with sigmas {tuple(sigmas)}")
    with mne.utils.use_log_level("error"):
        sphere = mne.make_sphere_model(r0="auto", head_radius="auto", info=info, relative_radii=tuple(radii),
                                       sigmas=tuple(sigmas))
        inner = sphere["layers"][0]["rad"]
        rr = mesh.coordinates["white"] / 1000.0
        normals = mesh.vertex_normals("white")
        centre = 0.5 * (rr.min(axis=0) + rr.max(axis=0))
        scale = (inner - inset) / np.linalg.norm(rr - centre, axis=1).max()
        positions = (rr - centre) * scale + np.asarray(sphere["r0"])
        src = mne.setup_volume_source_space(pos={"rr": positions, "nn": normals}, mindist=0.0, exclude=0.0,
                                            sphere=sphere)
        fwd = mne.make_forward_solution(info, trans=None, src=src, bem=sphere, eeg=True, meg=False, n_jobs=1)
        fwd = mne.convert_forward_solution(fwd, surf_ori=True, force_fixed=False, use_cps=False)
    if fwd["nsource"] != mesh.n_vertices:
        raise ValueError(f"MNE kept {fwd['nsource']} of {mesh.n_vertices} sources in the template head; call "
                         "template_forward(info, mesh, inset=...) with a larger inset, or build your own forward "
                         "model, and pass it to make_source_imaging(..., forward=)")
    return fwd


def _raws(raws) -> list:
    """One ``mne.io.Raw`` or a non-empty list of them, as a list."""
    import mne

    raws = list(raws) if isinstance(raws, (list, tuple)) else [raws]
    if not raws:
        raise ValueError("raws is empty; give the EEG recording (an mne.io.Raw) or a list of them")
    for i, raw in enumerate(raws):
        if not isinstance(raw, mne.io.BaseRaw):
            raise TypeError(f"raws[{i}] must be an mne.io.Raw, got {type(raw).__name__}; e.g. rec.raw")
    return raws


def estimate_noise_cov(raws, low: float = 55.0):
    """Sensor-noise covariance from the recordings themselves: their EEG above the brain's rhythms.

    Without an empty-room or baseline recording, the part of the EEG above ``low`` Hz (above the gamma
    band and mains) is taken as noise: it holds the sensors' white noise and the broadband background.
    Its covariance, shrunk 10% towards its diagonal (a few minutes of data, an average reference), is
    divided by the high-pass filter's noise gain (``Σ h²``), i.e. scaled to the whole band assuming a
    flat noise spectrum. EEG sampled too slowly to have a band above ``low`` (below ``low / 0.45`` Hz)
    gets MNE's ad-hoc diagonal covariance instead, with a warning.

    Parameters
    ----------
    raws : mne.io.Raw or list of mne.io.Raw
        Recordings with the same channels and sampling rate (EEG channels are used).
    low : float
        High-pass edge in Hz.

    Returns
    -------
    mne.Covariance

    Raises
    ------
    ValueError
        A non-positive ``low``, or recordings with different sampling rates.
    """
    import warnings

    import mne

    raws = _raws(raws)
    sfreq = float(raws[0].info["sfreq"])
    low = check_number(low, "low (Hz)", minimum=0, include_minimum=False)
    info = _eeg_info(raws[0].info)
    if low >= 0.45 * sfreq:
        warnings.warn(f"EEG sampled at {sfreq:g} Hz has no band above low={low:g} Hz to estimate its noise from; "
                      "using MNE's ad-hoc diagonal noise covariance (pass noise_cov= to use your own)",
                      RuntimeWarning, stacklevel=2)
        with mne.utils.use_log_level("error"):
            return mne.make_ad_hoc_cov(info)
    names = info.ch_names
    data, n = 0.0, 0
    with mne.utils.use_log_level("error"):
        h = mne.filter.create_filter(None, sfreq, low, None, method="fir", phase="zero", fir_design="firwin")
        for raw in raws:
            if float(raw.info["sfreq"]) != sfreq:
                raise ValueError("raws must share one sampling rate; resample them first (raw.resample)")
            x = raw.get_data(picks=names)
            x = mne.filter.filter_data(x, sfreq, low, None, method="fir", phase="zero", fir_design="firwin",
                                       verbose=False)
            x = x - x.mean(axis=1, keepdims=True)
            data = data + x @ x.T
            n += x.shape[1]
    cov = data / n / float((h**2).sum())  # white noise of variance σ² leaves σ² Σh² after the filter
    cov = 0.9 * cov + 0.1 * np.diag(np.diag(cov))
    return mne.Covariance(cov, names, bads=[], projs=[], nfree=n)


def make_source_imaging(raws, mesh, method: str = "eLORETA", snr: float = 3.0, forward=None,
                        noise_cov=None) -> SourceImaging:
    """An MNE linear inverse for recordings with these channels, onto the mesh's vertices.

    Parameters
    ----------
    raws : mne.io.Raw or list of mne.io.Raw
        Recordings that give the channels (and their positions) and, unless ``noise_cov`` is given,
        the noise covariance — training recordings, so that test data stay unseen.
    mesh : str or CorticalMesh
    method : {"MNE", "dSPM", "sLORETA", "eLORETA"}
    snr : float
        Assumed amplitude SNR; the regularisation is ``lambda2 = 1 / snr²`` (MNE's convention). MNE's
        examples use 3 for averaged responses and 1 for continuous data; on the default simulated
        data the source ridge scored higher with 3 (temporal r +0.010 and +0.018 for the two subjects,
        eLORETA and minimum norm alike), hence the default.
    forward : mne.Forward, optional
        Your own forward model with one source per mesh vertex, in vertex order, in surface
        orientation (free, as MNE's depth weighting needs, or fixed), e.g. from a subject's BEM or
        from :func:`template_forward` with other parameters; default :func:`template_forward`.
    noise_cov : mne.Covariance, optional
        Default :func:`estimate_noise_cov` of ``raws``.

    Returns
    -------
    SourceImaging

    Raises
    ------
    ValueError
        Unknown method, non-positive snr, or a forward model with another number of sources than
        the mesh has vertices.

    Examples
    --------
    >>> from neuroframes_edu.simulate import SimulationConfig, simulate_session
    >>> rec = simulate_session(SimulationConfig(mesh="ico3", duration=60), seed=0)
    >>> imaging = make_source_imaging(rec.raw, "ico3", method="MNE")
    >>> imaging.kernel.shape
    (1284, 64)
    """
    import mne

    check_option(method, METHODS, "method")
    snr = check_number(snr, "snr", minimum=0, include_minimum=False)
    raws = _raws(raws)
    mesh = _mesh(mesh)
    info = _eeg_info(raws[0].info)
    head = "your forward model"
    if forward is None:
        forward = template_forward(info, mesh)
        head = (f"template {len(TEMPLATE_RADII)}-shell sphere (conductivities {TEMPLATE_SIGMAS} S/m, cortex "
                f"{TEMPLATE_INSET * 1000:g} mm inside the inner skull)")
    elif forward["nsource"] != mesh.n_vertices:
        raise ValueError(f"forward has {forward['nsource']} sources but mesh {mesh.name!r} has {mesh.n_vertices} "
                         "vertices; build it on the mesh's vertices, in their order")
    noise_cov = noise_cov if noise_cov is not None else estimate_noise_cov(raws)
    with mne.utils.use_log_level("error"):
        info = info.copy()
        with info._unlock():  # the average reference is added below; other projectors (SSP) are kept
            info["projs"] = [p for p in info["projs"] if "Average EEG reference" not in p["desc"]]
        info = mne.io.RawArray(np.zeros((len(info.ch_names), 1)), info).set_eeg_reference(
            "average", projection=True).info
        inverse = mne.minimum_norm.make_inverse_operator(info, forward, noise_cov, loose=0.0, depth=0.8,
                                                         fixed=True)
        identity = mne.EvokedArray(np.eye(len(info.ch_names)), info)
        lambda2 = 1.0 / snr**2
        stc = mne.minimum_norm.apply_inverse(identity, inverse, lambda2=lambda2, method=method)
    return SourceImaging(kernel=np.ascontiguousarray(stc.data, dtype=np.float32), ch_names=tuple(info.ch_names),
                         mesh_name=mesh.name, method=method, lambda2=lambda2, head_model=head)


def _stride(sfreq: float, lo: float, hi: float) -> int:
    """Samples between evaluations of a band's power: the squared envelope of a band from ``lo`` to
    ``hi`` Hz varies no faster than the band is wide (plus MNE's default transition bands), so
    sampling it at twice that rate keeps its bin means."""
    l_trans = min(max(0.25 * lo, 2.0), lo)
    h_trans = min(max(0.25 * hi, 2.0), sfreq / 2 - hi)
    width = hi - lo + l_trans + h_trans
    return max(int(sfreq // (2.0 * width)), 1)


def source_band_power_series(eeg, imaging: SourceImaging, sfreq: float | None = None, bands: dict | None = None,
                             rate: float = 10.0, chunk: int = 20000) -> BandPowerSeries:
    """Log band power of every source of ``imaging``, averaged in bins of ``1 / rate`` seconds.

    Each band is filtered (MNE's FIR band-pass, as :func:`~neuroframes_edu.features.band_power_series`)
    and made analytic (Hilbert) in sensor space, then projected through the inverse kernel; the
    squared magnitude is the source's instantaneous power. It is evaluated every few samples (as
    often as the band's width needs, see ``_stride``), which keeps the bin means and saves most of
    the ``n_vertices × n_channels`` products.

    Parameters
    ----------
    eeg : mne.io.Raw or ndarray, shape (n_channels, n_samples)
        With the kernel's channels (a Raw is picked by name; an array must be in ``imaging.ch_names``
        order).
    imaging : SourceImaging
    sfreq : float, optional
        Required for arrays.
    bands : dict, optional
        Default :data:`~neuroframes_edu.features.BANDS`.
    rate : float
        Bins per second.
    chunk : int
        Samples projected at a time (bounds memory at ``n_vertices × chunk`` complex numbers).

    Returns
    -------
    BandPowerSeries
        ``power`` of shape ``(n_bands, n_vertices, n_bins)``; ``ch_names`` are ``"v<index>"``.
    """
    import mne
    from scipy.fft import next_fast_len

    from neuroframes_edu.features import _hilbert_imag

    if hasattr(eeg, "get_data"):
        missing = [c for c in imaging.ch_names if c not in eeg.ch_names]
        if missing:
            raise ValueError(f"the EEG is missing channels {missing[:6]} of the inverse; build the inverse from "
                             "recordings with the same channels")
        if sfreq is not None and float(sfreq) != float(eeg.info["sfreq"]):
            raise ValueError(f"sfreq={sfreq} disagrees with the recording's rate {eeg.info['sfreq']} Hz")
        sfreq = float(eeg.info["sfreq"])
        data = eeg.get_data(picks=list(imaging.ch_names))
    else:
        if sfreq is None:
            raise ValueError("sfreq is required when eeg is an array")
        data = np.asarray(eeg, dtype=float)
        if data.ndim != 2 or data.shape[0] != len(imaging.ch_names):
            raise ValueError(f"eeg must be (n_channels={len(imaging.ch_names)}, n_samples), got {data.shape}")
    if not np.isfinite(data).all():
        raise ValueError("eeg contains NaN or infinite samples; interpolate or drop bad segments first")
    bands = check_bands(BANDS if bands is None else bands, sfreq)
    per_bin, n_bins = _bins(data.shape[1], sfreq, rate)
    n = n_bins * per_bin
    data = data - data.mean(axis=0, keepdims=True)  # the average reference the inverse assumes
    kernel_t = np.ascontiguousarray(imaging.kernel.T, dtype=np.float32)  # (n_channels, n_vertices)
    power = np.empty((len(bands), imaging.n_vertices, n_bins))
    for b, (lo, hi) in enumerate(bands.values()):
        filtered = mne.filter.filter_data(data, sfreq, lo, hi, method="fir", phase="zero", fir_design="firwin",
                                          verbose=False)
        # the analytic signal, filtered + 1j * imag, as scipy.signal.hilbert(filtered, N=next_fast_len(...))
        imag = _hilbert_imag(filtered, next_fast_len(filtered.shape[1]))
        # at least five evaluations per bin: the log of a bin mean from one or two samples is heavy-tailed
        samples = np.arange(0, n, min(_stride(sfreq, lo, hi), max(per_bin // 5, 1)))
        which_bin = samples // per_bin
        counts = np.bincount(which_bin, minlength=n_bins)
        sums = np.zeros((n_bins, imaging.n_vertices))  # time along rows: each bin's sum adds whole rows
        for start in range(0, len(samples), chunk):
            at = samples[start: start + chunk]
            m = len(at)
            # the real kernel applied to the real and the imaginary parts in one real product (a
            # complex product would also multiply the kernel's zero imaginary part)
            parts = np.empty((2 * m, len(filtered)), dtype=np.float32)  # (2m, n_channels)
            parts[:m], parts[m:] = filtered[:, at].T, imag[:, at].T
            src = parts @ kernel_t  # (2m, n_vertices)
            inst = src[:m] ** 2 + src[m:] ** 2  # instantaneous power, (m, n_vertices)
            _bin_add(sums, inst, which_bin[start: start + chunk])
        power[b] = np.log(sums.T / counts + 1e-40)
    times = (np.arange(n_bins) + 0.5) * per_bin / sfreq
    return BandPowerSeries(power=power, times=times, rate=sfreq / per_bin, bands=bands,
                           ch_names=[f"v{i}" for i in range(imaging.n_vertices)])


def _bin_add(sums, values, bins):
    """``sums[k] += values[bins == k].sum(axis=0)`` for every bin ``k`` in ``bins``: one sparse
    product with the 0/1 matrix that assigns each row to its bin (ten times faster than
    ``np.add.reduceat``); each bin's few values are summed in their own precision, then added to ``sums``."""
    from scipy import sparse

    first, which = np.unique(bins, return_inverse=True)
    assign = sparse.csr_matrix((np.ones(len(bins), dtype=values.dtype), (which, np.arange(len(bins)))),
                               shape=(len(first), len(bins)))
    sums[first] += assign @ values


def source_hrf_series(eeg, imaging: SourceImaging, bands: dict | None = None, rate: float = 10.0):
    """HRF-convolved log band power of every source at ``rate``, z-scored per (band, source).

    Parameters
    ----------
    eeg : mne.io.Raw
        The recording's EEG (a :class:`~neuroframes_edu.data.Recording`'s ``raw``).
    imaging : SourceImaging
    bands : dict, optional
    rate : float

    Returns
    -------
    values : ndarray, shape (n_bands · n_vertices, n_bins), float32, band-major
    times : ndarray, shape (n_bins,)
        Bin centres in seconds from the start of the EEG (the grid of a prepared session's bands).
    """
    from neuroframes_edu._utils.feature_cache import cached
    from neuroframes_edu.features import hrf_convolve
    from neuroframes_edu.metrics import zscore

    def compute(data=eeg, sfreq=None):
        series = hrf_convolve(source_band_power_series(data, imaging, sfreq=sfreq, bands=bands, rate=rate))
        return {"values": zscore(series.power.reshape(-1, series.power.shape[2]), axis=1).astype(np.float32),
                "times": series.times}

    if not hasattr(eeg, "get_data") or any(c not in eeg.ch_names for c in imaging.ch_names):
        out = compute()  # refuses what it cannot read, with the reason
    else:  # the same recording's sources are read by several notebooks: computed once, then from the cache
        import mne

        # the samples in the kernel's channel order: the cache key, and what source_band_power_series reads
        data, sfreq = eeg.get_data(picks=list(imaging.ch_names)), float(eeg.info["sfreq"])
        out = cached("source_hrf", [data, imaging.kernel],
                     {"sfreq": sfreq, "bands": bands, "rate": rate, "mne": mne.__version__},
                     ("neuroframes_edu.sources", "neuroframes_edu.features"), lambda: compute(data, sfreq))
    return out["values"], out["times"]


def interpolate_series(values, grid, times) -> np.ndarray:
    """Rows of a series sampled on ``grid``, linearly interpolated at ``times`` (clamped at the ends).

    ``values (n_features, n_bins)``, ``grid (n_bins,)``, ``times (n_times,)`` → ``(n_times, n_features)``
    float32.
    """
    from neuroframes_edu._utils.validation import check_array, check_times

    t = check_array(times, "times", ndim=1, axes="(n_times,) in seconds")
    if t.size == 0:
        raise ValueError("times is empty; give at least one time in seconds")
    grid = check_times(grid, "grid")  # interpolation reads it in order: a reversed grid gave wrong values
    # values is large (sources × bands by bins) and read for every window: check its shape, never copy it
    values = values if isinstance(values, np.ndarray) else check_array(values, "values", finite=False)
    if values.ndim != 2:
        raise ValueError(f"values must be 2-D (n_features, n_bins), got shape {values.shape}")
    if len(grid) < 2 or values.shape[1] != len(grid):
        raise ValueError(f"values has {values.shape[1]} bins but grid {len(grid)} times; give one time per bin "
                         "(at least 2)")
    lo = np.clip(np.searchsorted(grid, t, side="right") - 1, 0, len(grid) - 2)
    w = np.clip((t - grid[lo]) / (grid[lo + 1] - grid[lo]), 0.0, 1.0)
    return ((1 - w) * values[:, lo] + w * values[:, lo + 1]).T.astype(np.float32)


def source_hrf_features(eeg, imaging: SourceImaging, times, bands: dict | None = None, rate: float = 10.0):
    """HRF-convolved log band power of every source, z-scored per (band, source), at given times.

    The source-space counterpart of a prepared session's ``hrf_at``: the input of the "source ridge"
    baseline (:class:`~neuroframes_edu.baselines.RidgeFingerprint` on these features). A prepared
    session keeps the whole series with :meth:`~neuroframes_edu.training.PreparedSession.with_sources`
    (then ``session.sources_at(times)`` gives the same features).

    Parameters
    ----------
    eeg : mne.io.Raw
        The recording's EEG (a :class:`~neuroframes_edu.data.Recording`'s ``raw``).
    imaging : SourceImaging
    times : array-like or list of arrays
        Seconds from the start of the EEG; a list of 1-D arrays gives one array of features per entry
        (the EEG is filtered once).
    bands : dict, optional
    rate : float

    Returns
    -------
    ndarray, shape (n_times, n_bands · n_vertices), float32, band-major — or a list of them.
    """
    flat, grid = source_hrf_series(eeg, imaging, bands=bands, rate=rate)
    many = isinstance(times, list) and len(times) > 0 and all(np.ndim(t) == 1 for t in times)
    out = [interpolate_series(flat, grid, t) for t in (times if many else [times])]
    return out if many else out[0]
