"""From a :class:`~neuroframes_edu.data.Recording` to what the model reads: standardised EEG, band
power at the model's feature rate (plain and HRF-convolved), and BOLD z-scored per vertex.

Introduced in notebook 07.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from neuroframes_edu.data.alignment import EEG_WINDOW, has_eeg_window
from neuroframes_edu.features import BANDS, band_power_series, check_bands, hrf_convolve
from neuroframes_edu.metrics import zscore, zscore_stats


@dataclass
class PreparedSession:
    """One recording (or a part of one), ready for the model.

    Attributes
    ----------
    eeg : ndarray, shape (C, S), float32
        EEG z-scored per channel, channels in the order of ``ch_names``.
    sfreq : float
    bands : ndarray, shape (n_bands · C, R), float32
        Log band power at ``rate`` (band-major: all channels of the first band, then the next …),
        z-scored per feature.
    hrf_bands : ndarray, shape (n_bands · C, R), float32
        HRF-convolved band power at ``rate``, z-scored per feature.
    rate : float
    times : ndarray, shape (n_volumes,)
        Volume times (s from the EEG start).
    bold : ndarray, shape (n_volumes, V), float32
        BOLD z-scored per vertex over valid volumes (0 at invalid ones).
    valid : ndarray of bool, shape (n_volumes,)
    name : str
        The recording's name (``fit`` refuses to validate on what it trains on).
    ch_names : tuple of str
    band_edges : dict
        Band name → (low, high) Hz of the rows of ``bands``.
    source : str
        Name of the whole recording this one is a part of.
    span : (float, float)
        First and last volume time in seconds of that whole recording.
    window : float
        Seconds of EEG each frame needs.
    hrf_sources : ndarray, shape (n_bands · n_sources, R), float32, optional
        HRF-convolved log band power of the cortical sources of an EEG inverse, on the same grid as
        ``hrf_bands``, z-scored per feature (band-major); set by :meth:`with_sources`.
    """

    eeg: np.ndarray
    sfreq: float
    bands: np.ndarray
    hrf_bands: np.ndarray
    rate: float
    times: np.ndarray
    bold: np.ndarray
    valid: np.ndarray
    name: str = ""
    ch_names: tuple = ()
    band_edges: dict = field(default_factory=lambda: dict(BANDS))
    source: str = ""
    span: tuple = (0.0, 0.0)
    window: float = EEG_WINDOW
    extras: dict = field(default_factory=dict)
    hrf_sources: np.ndarray | None = None

    def __post_init__(self):
        from neuroframes_edu._utils.validation import check_times

        # the arrays pair by index: times with BOLD rows and validity, so they must agree
        bold = np.asarray(self.bold)
        self.times = check_times(self.times, "PreparedSession.times", length=len(bold))
        valid = np.asarray(self.valid)
        if valid.dtype != bool or valid.shape != self.times.shape:
            raise ValueError(f"PreparedSession.valid must be a boolean array with one entry per volume "
                             f"({len(self.times)}), got {valid.dtype} {valid.shape}")

    def _check_times(self, times, name: str = "times") -> np.ndarray:
        """Finite times (s) inside the EEG: features there are measured, not extrapolated."""
        from neuroframes_edu._utils.validation import check_array

        times = check_array(times, name, ndim=1, axes="(n_times,) of seconds")
        end = self.eeg_end
        if times.size and (times.min() < 0 or times.max() > end + 1e-6):
            raise ValueError(f"{name} span {times.min():.2f}–{times.max():.2f} s but the EEG of "
                             f"{self.name or 'this session'} covers 0–{end:.2f} s; features outside it would be the "
                             "edge values repeated, not measurements")
        return times

    @property
    def eeg_end(self) -> float:
        """Seconds from the EEG start to the end of the EEG."""
        return self.eeg.shape[1] / self.sfreq

    @property
    def usable(self) -> np.ndarray:
        """Valid volumes with ``window`` seconds of EEG before them."""
        return self.valid & has_eeg_window(self.times, self.window)

    @property
    def feature_times(self) -> np.ndarray:
        """Seconds from the EEG start of the bins of ``bands``, ``hrf_bands`` and ``hrf_sources`` (their centres)."""
        return (np.arange(self.hrf_bands.shape[1]) + 0.5) / self.rate

    def hrf_at(self, times) -> np.ndarray:
        """HRF-convolved band power at arbitrary times (s), linearly interpolated between its bins:
        ``(len(times), n_bands · C)``, float32 (no times give no rows)."""
        from neuroframes_edu.sources import interpolate_series

        times = self._check_times(times)
        if times.size == 0:
            return np.empty((0, self.hrf_bands.shape[0]), dtype=np.float32)
        return interpolate_series(self.hrf_bands, self.feature_times, times)

    def sources_at(self, times) -> np.ndarray:
        """HRF-convolved source band power at ``times`` (s): ``(n_times, n_bands · n_sources)``, float32."""
        from neuroframes_edu.sources import interpolate_series

        if self.hrf_sources is None:
            raise ValueError(f"session {self.name!r} has no source features; add them with "
                             "session.with_sources(recording, imaging)")
        return interpolate_series(self.hrf_sources, self.feature_times, self._check_times(times))

    def with_sources(self, recording, imaging) -> PreparedSession:
        """This session with the band power of the cortical sources of ``imaging`` (an MNE inverse
        from :func:`~neuroframes_edu.sources.make_source_imaging`), HRF-convolved, as ``hrf_sources``.

        Parameters
        ----------
        recording : Recording
            The recording this session was prepared from (its EEG is projected to the sources).
        imaging : SourceImaging
            Built from training recordings only, on the mesh the model reconstructs.
        """
        from neuroframes_edu.sources import source_hrf_series

        if getattr(recording, "name", None) != self.name:
            raise ValueError(f"recording {getattr(recording, 'name', recording)!r} is not the recording this session "
                             f"was prepared from ({self.name!r})")
        values, grid = source_hrf_series(recording.raw, imaging, bands=self.band_edges, rate=self.rate)
        if len(grid) != self.hrf_bands.shape[1]:
            raise ValueError(f"the source band power has {len(grid)} bins but the session's band power "
                             f"{self.hrf_bands.shape[1]}; prepare the session from the same recording")
        return replace(self, hrf_sources=values)

    def standardized(self, values) -> np.ndarray:
        """``values`` in BOLD units on this session's mesh, ``(…, V)``, put in its z units (the valid
        volumes' mean and standard deviation of each vertex), e.g. the ground truth's noise-free BOLD."""
        if "bold_mean" not in self.extras:
            raise ValueError(f"session {self.name!r} no longer knows its BOLD units (it was resampled after "
                             "preparation); prepare it with prepare_session(recording, mesh=...) instead")
        from neuroframes_edu._utils.validation import check_array

        values = check_array(values, "values", finite=False, dtype=np.float64, axes="(..., n_vertices)")
        if values.ndim == 0 or values.shape[-1] != self.bold.shape[1]:
            raise ValueError(f"values has shape {values.shape} but the session has {self.bold.shape[1]} vertices; "
                             "give (..., n_vertices) in BOLD units on this session's mesh")
        return (values - self.extras["bold_mean"]) / self.extras["bold_sd"]

    def resampled(self, operator) -> PreparedSession:
        """A copy with the BOLD mapped to another mesh, ``bold_new = bold @ operatorᵀ``, re-z-scored.

        Parameters
        ----------
        operator : scipy sparse matrix, shape (n_new_vertices, n_vertices)
            From :func:`neuroframes_edu.surface.resample_operator` (e.g. ico4 → ico3 for quick training).
        """
        if not (hasattr(operator, "shape") and len(operator.shape) == 2 and hasattr(operator, "__matmul__")):
            raise TypeError(f"operator must be a 2-D (sparse) matrix from resample_operator(session_mesh, "
                            f"target_mesh), got {type(operator).__name__}")
        if operator.shape[1] != self.bold.shape[1]:
            raise ValueError(f"operator has {operator.shape[1]} columns but the session has {self.bold.shape[1]} "
                             "vertices; build it with resample_operator(session_mesh, target_mesh)")
        bold = np.asarray((operator @ self.bold.T).T, dtype=np.float64)
        z = np.zeros(bold.shape, dtype=np.float32)
        z[self.valid] = zscore(bold[self.valid])
        extras = {k: v for k, v in self.extras.items() if k not in ("bold_mean", "bold_sd")}  # of the old mesh
        return replace(self, bold=z, extras={**extras, "resampled_from": self.bold.shape[1]})

    def matched_to(self, config) -> PreparedSession:
        """This session as a model with ``config`` reads it: channels reordered by name, bands checked.

        Raises
        ------
        ValueError
            Other channels than the model's, other bands, another sampling or feature rate — each
            naming what differs and how to fix it.
        """
        if sorted(config.band_edges.items()) != sorted(self.band_edges.items()):
            raise ValueError(f"the model was built for bands {config.band_edges} but recording {self.name!r} was "
                             f"prepared with {self.band_edges}; prepare it with "
                             "prepare_session(recording, bands=model.config.band_edges)")
        if abs(config.feature_rate - self.rate) > 1e-6:
            raise ValueError(f"the model reads band power at {config.feature_rate:g} Hz but recording {self.name!r} "
                             f"was prepared at {self.rate:g} Hz ({self.sfreq:g} Hz EEG in bins of "
                             f"{round(self.sfreq / self.rate)} samples); build the model with "
                             "ModelConfig.for_recording(prepared), which takes the prepared rate")
        session = self.with_bands(config.band_edges)
        if config.sfreq != self.sfreq:
            raise ValueError(f"recording {self.name!r} is sampled at {self.sfreq} Hz but the model was built for "
                             f"{config.sfreq} Hz (model.config.sfreq); resample with raw.resample({config.sfreq}) "
                             "before making the Recording")
        n_sources = getattr(config, "n_sources", 0)
        if not n_sources:
            session = replace(session, hrf_sources=None)  # a model without source input ignores them
        elif session.hrf_sources is None or session.hrf_sources.shape[0] != len(config.bands) * n_sources:
            have = 0 if session.hrf_sources is None else session.hrf_sources.shape[0] // len(session.band_edges)
            raise ValueError(f"the model reads the band power of {n_sources} cortical sources but recording "
                             f"{self.name!r} has {have}; prepare it with prepare_session(recording, "
                             "imaging=model.source_imaging) (an inverse onto the model's mesh)")
        return session if config.ch_names is None else session.with_channels(config.ch_names)

    def with_bands(self, band_edges) -> PreparedSession:
        """The same session with its band features in the order of ``band_edges`` (same bands, by name)."""
        names = list(band_edges)
        if names == list(self.band_edges):
            return self
        if sorted(names) != sorted(self.band_edges):
            raise ValueError(f"band_edges names the bands {names} but the session has {list(self.band_edges)}; "
                             "with_bands reorders the same bands (prepare the session again for other bands)")
        order = np.array([list(self.band_edges).index(b) for b in names])
        c = len(self.ch_names)

        def rows(x):
            return x.reshape(len(order), c, -1)[order].reshape(len(order) * c, -1)

        sources = None
        if self.hrf_sources is not None:
            n_src = self.hrf_sources.shape[0] // len(self.band_edges)
            sources = self.hrf_sources.reshape(-1, n_src, self.hrf_sources.shape[1])[order].reshape(
                len(order) * n_src, -1)
        return replace(self, bands=rows(self.bands), hrf_bands=rows(self.hrf_bands),
                       band_edges={b: self.band_edges[b] for b in names}, hrf_sources=sources)

    def with_channels(self, ch_names) -> PreparedSession:
        """The same session with its EEG channels (and their band features) in the order of ``ch_names``.

        Raises
        ------
        ValueError
            If a channel of ``ch_names`` is missing here (naming it); never mixes channels silently.
        """
        ch_names = tuple(ch_names)
        if ch_names == self.ch_names:
            return self
        missing = [c for c in ch_names if c not in self.ch_names]
        if missing or len(ch_names) != len(self.ch_names):
            extra = [c for c in self.ch_names if c not in ch_names]
            raise ValueError(f"the model was built for EEG channels {_short(ch_names)} but recording {self.name!r} "
                             f"has {_short(self.ch_names)} (missing: {_short(missing)}, extra: {_short(extra)}); pick "
                             "the model's channels with raw.pick(model.config.ch_names) or interpolate missing ones "
                             "(raw.interpolate_bads) before making the Recording")
        order = np.array([self.ch_names.index(c) for c in ch_names])
        n_bands, c = len(self.band_edges), len(self.ch_names)

        def rows(x):
            return x.reshape(n_bands, c, -1)[:, order].reshape(n_bands * c, -1)

        return replace(self, eeg=self.eeg[order], bands=rows(self.bands), hrf_bands=rows(self.hrf_bands),
                       ch_names=ch_names)


def _short(names, k: int = 6) -> str:
    names = list(names)
    return str(names[:k])[:-1] + (f", … {len(names) - k} more]" if len(names) > k else "]")


def prepare_session(recording, bands: dict | None = None, rate: float = 10.0, mesh=None,
                    imaging=None) -> PreparedSession:
    """Standardise a :class:`~neuroframes_edu.data.Recording` for the model.

    Parameters
    ----------
    recording : Recording
        Simulated (``simulate_session``, ``load_dataset``) or read from files (``Recording.from_files``,
        ``Recording.from_bids``), or a part from ``Recording.split``.
    bands : dict, optional
        Band name → (low, high) Hz, e.g. ``{"alpha": (8, 13), "high_gamma": (45, 70)}``; default
        :data:`~neuroframes_edu.features.BANDS`. The model's ``config.bands`` must be the same.
    rate : float
        Feature rate (Hz): the model's ``config.feature_rate``.
    mesh : str or CorticalMesh, optional
        Resample the BOLD to this mesh (e.g. ``"ico3"`` to train quickly on ico4 data; fsaverage
        meshes only); default the recording's own.
    imaging : SourceImaging, optional
        An EEG inverse (:func:`~neuroframes_edu.sources.make_source_imaging`, or a trained model's
        ``source_imaging``): the session then also carries the band power of its sources
        (:meth:`PreparedSession.with_sources`), which models with ``config.n_sources`` read.

    Raises
    ------
    TypeError
        If ``recording`` is not a Recording (saying how to make one).
    ValueError
        NaN or infinite EEG samples, or bands the EEG cannot carry.
    """
    from neuroframes_edu.data.recording import Recording

    if not isinstance(recording, Recording):
        raise TypeError(f"prepare_session takes a neuroframes_edu.data.Recording, got {type(recording).__name__}; "
                        "make one with Recording(raw, bold, volume_times, mesh=..., valid=...) or "
                        "Recording.from_files(eeg=..., bold=(left, right))")
    raw = recording.raw
    sfreq = recording.sfreq
    data = raw.get_data(picks=recording.ch_names).astype(np.float64)
    if not np.isfinite(data).all():
        raise ValueError(f"the EEG of {recording.name} contains NaN or infinite samples; interpolate or drop bad "
                         "segments first")
    edges = check_bands(BANDS if bands is None else bands, sfreq)
    series = band_power_series(data, sfreq=sfreq, bands=edges, rate=rate)
    hrf = hrf_convolve(series)
    valid = recording.valid
    bold = np.asarray(recording.bold, dtype=np.float64)
    if mesh is not None:  # resample the measurements themselves, then z-score once on the new mesh
        from neuroframes_edu.surface import load_mesh, resample_operator

        target = load_mesh(mesh) if isinstance(mesh, str) else mesh
        source = recording.load_mesh()
        if target.name != source.name:
            operator = resample_operator(source, target)
            bold = np.where(valid[:, None], bold, 0.0)
            bold = np.asarray((operator @ bold.T).T)
    mean, sd = zscore_stats(bold[valid])
    bold_z = np.where(valid[:, None], (np.where(valid[:, None], bold, 0.0) - mean) / sd, 0.0).astype(np.float32)
    session = PreparedSession(
        eeg=zscore(data, axis=1).astype(np.float32), sfreq=sfreq,
        bands=zscore(series.power.reshape(-1, series.power.shape[2]), axis=1).astype(np.float32),
        hrf_bands=zscore(hrf.power.reshape(-1, hrf.power.shape[2]), axis=1).astype(np.float32),
        rate=series.rate, times=recording.volume_times.copy(), bold=bold_z, valid=valid.copy(),
        name=recording.name, ch_names=tuple(recording.ch_names), band_edges=edges, source=recording.source,
        span=recording.span, window=recording.window,
        extras={"bold_mean": mean[0], "bold_sd": sd[0]},
    )
    return session if imaging is None else session.with_sources(recording, imaging)
