"""The one data object every stage takes: a simultaneous EEG–fMRI :class:`Recording`.

A recording is EEG as an :class:`mne.io.Raw` (channel names and montage kept), surface BOLD as
``(n_volumes, n_vertices)`` on a named cortical mesh, the time of every volume in seconds from the
start of the EEG, which volumes are valid, and who and what it is (subject, session, task, run).
Simulated and real data are the same kind of object; a simulated one also carries its
:class:`GroundTruth` (noise-free BOLD, neural frames on a fine grid, the noise ceiling, the scenes),
which metrics use where it exists and real data simply lacks.

A recording is checked once, when it is made, and every error names the argument and the fix.
:meth:`Recording.split` cuts one recording in time into parts that can train, validate and test
without leaking into each other.

Introduced in notebook 02 (simulated) and notebook 08 (your own files).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from neuroframes_edu.data.alignment import EEG_WINDOW, has_eeg_window
from neuroframes_edu.metrics import temporal_r

#: Vertices of the standard meshes, by name (both hemispheres).
MESH_VERTICES = {"ico3": 1284, "ico4": 5124, "ico5": 20484, "fslr32k": 59_412}


def canonical_mesh_name(mesh) -> str:
    """The short name (``"ico3"``, ``"ico4"``, ``"ico5"``, ``"fslr32k"``) of a mesh or of any name
    :func:`neuroframes_edu.surface.load_mesh` accepts.

    Raises
    ------
    ValueError
        For an unknown name.
    """
    name = mesh if isinstance(mesh, str) else getattr(mesh, "name", None)
    if not isinstance(name, str):
        raise ValueError(f"mesh must be a mesh name such as 'ico4' or a CorticalMesh, got {type(mesh).__name__}")
    aliases = {"fsaverage5": "ico5", "fs_LR-32k": "fslr32k"}
    name = aliases.get(name, name).removeprefix("fsaverage5-")
    if name not in MESH_VERTICES:
        raise ValueError(f"mesh must be one of {', '.join(MESH_VERTICES)} (or a CorticalMesh of one), got {mesh!r}")
    return name


def mesh_for_vertices(n_vertices: int) -> str:
    """The standard mesh with ``n_vertices`` vertices (both hemispheres).

    Raises
    ------
    ValueError
        If no standard mesh has that many vertices, listing those that exist.
    """
    for name, n in MESH_VERTICES.items():
        if n == n_vertices:
            return name
    known = ", ".join(f"{k} ({v:,})" for k, v in MESH_VERTICES.items())
    raise ValueError(f"no standard mesh has {n_vertices:,} vertices (known: {known}); resample the BOLD to one "
                     "of them, or pass mesh= explicitly")


@dataclass
class GroundTruth:
    """What only a simulation knows: the noise-free signals behind a :class:`Recording`.

    Attributes
    ----------
    bold_clean : ndarray, shape (n_volumes, n_vertices)
        Noise-free BOLD at the volume times.
    frames : ndarray, shape (n_frames, n_vertices)
        Noise-free BOLD on the fine grid ``frame_times``: the truth for frames between volumes.
    frame_times : ndarray, shape (n_frames,)
        Seconds from the start of the EEG.
    noise_ceiling : ndarray, shape (n_vertices,)
        Per vertex, the correlation of the noise-free with the measured BOLD over valid volumes: what a
        perfect reconstruction scores against the measurements.
    scenes : list of dict
        ``{"onset", "duration", "category"}`` of each scene on screen, in order.
    network_activity : ndarray, shape (n_neural, n_networks), optional
    neural_times : ndarray, shape (n_neural,), optional
    network_maps : ndarray, shape (n_networks, n_vertices), optional
    network_names : tuple of str
    categories : tuple of str
        Scene categories; a scene label is an index into it.
    config : SimulationConfig, optional
        The simulation's settings.
    seed : int, optional
    extras : dict
        Anything else the simulator records (HRF latency map, head geometry).
    spontaneous_activity : ndarray, shape (n_neural, n_modes), optional
        Activity of the spontaneous spatial modes on ``neural_times`` (the components besides the networks).
    spontaneous_maps : ndarray, shape (n_modes, n_vertices), optional
    source_log_power : ndarray, shape (n_bins, n_bands, n_components), optional
        The true log band power of every EEG source component (networks first, then the spontaneous
        modes), binned on ``source_power_times`` as the channel features are: what a perfect inverse
        solution of the EEG would see (see :func:`neuroframes_edu.ceilings.eeg_information_features`).
    source_power_times : ndarray, shape (n_bins,), optional
        Bin centres in seconds from the start of the EEG.
    band_names : tuple of str
        The bands of ``source_log_power``, in order.
    """

    bold_clean: np.ndarray
    frames: np.ndarray
    frame_times: np.ndarray
    noise_ceiling: np.ndarray
    scenes: list = field(default_factory=list)
    network_activity: np.ndarray | None = None
    neural_times: np.ndarray | None = None
    network_maps: np.ndarray | None = None
    network_names: tuple = ()
    categories: tuple = ()
    config: object = None
    seed: int | None = None
    extras: dict = field(default_factory=dict)
    spontaneous_activity: np.ndarray | None = None
    spontaneous_maps: np.ndarray | None = None
    source_log_power: np.ndarray | None = None
    source_power_times: np.ndarray | None = None
    band_names: tuple = ()

    @property
    def component_activity(self) -> np.ndarray | None:
        """Activity of every component that drives BOLD and EEG, networks first then spontaneous modes,
        shape ``(n_neural, n_components)``; None where the ground truth lacks either part."""
        if self.network_activity is None or self.spontaneous_activity is None:
            return None
        return np.hstack([self.network_activity, self.spontaneous_activity])

    @property
    def component_maps(self) -> np.ndarray | None:
        """Maps of every component, in the order of :attr:`component_activity`, ``(n_components, n_vertices)``."""
        if self.network_maps is None or self.spontaneous_maps is None:
            return None
        return np.vstack([self.network_maps, self.spontaneous_maps])

    @property
    def frames_per_volume(self) -> int:
        """Ground-truth frames per volume (``config.frames_per_tr`` of a simulation)."""
        return int(getattr(self.config, "frames_per_tr", 1))

    def frame_index(self, times) -> np.ndarray:
        """Index into :attr:`frames` of the fine frame nearest each of ``times`` (e.g. the volume times)."""
        from neuroframes_edu._utils.validation import check_array

        times = check_array(times, "times", axes="(n_times,) in seconds")
        idx = np.clip(np.searchsorted(self.frame_times, times), 1, len(self.frame_times) - 1)
        left = self.frame_times[idx - 1]
        return np.where(times - left <= self.frame_times[idx] - times, idx - 1, idx)

    def scene_labels(self, times, lag: float = 0.0) -> np.ndarray:
        """Category index (into :attr:`categories`) of the scene on screen at ``times − lag``; with
        ``lag`` ≈ 5 s a label names the scene that drives the BOLD seen at ``times``. Times before the
        first scene get the ``"rest"`` label."""
        if not self.scenes:
            raise ValueError("this ground truth has no scenes to label")
        from neuroframes_edu._utils.validation import check_array, check_number

        times = check_array(times, "times", axes="(n_times,) in seconds") - check_number(lag, "lag")
        onsets = np.array([s["onset"] for s in self.scenes])
        cats = np.array([self.categories.index(s["category"]) for s in self.scenes])
        idx = np.searchsorted(onsets, times, side="right") - 1
        return np.where(idx >= 0, cats[np.clip(idx, 0, None)], self.categories.index("rest"))

    def roi_noise_ceiling(self, rois: dict[str, np.ndarray]) -> dict[str, float]:
        """Mean noise ceiling within each region of interest (masks from ``mesh.rois``)."""
        out = {}
        for name, mask in rois.items():
            mask = np.asarray(mask, dtype=bool)
            if mask.shape != self.noise_ceiling.shape:
                raise ValueError(f"ROI {name!r} mask has shape {mask.shape}, expected {self.noise_ceiling.shape}")
            out[name] = float(self.noise_ceiling[mask].mean()) if mask.any() else float("nan")
        return out


#: Why a volume is (in)valid (``Recording.volume_status``): only "ok" volumes are valid.
VOLUME_STATUSES = ("ok", "missing", "corrupted", "invalid", "non-finite")


def _fail(argument: str, problem: str, fix: str):
    raise ValueError(f"{argument}: {problem}; {fix}")


class Recording:
    """Simultaneous EEG and surface fMRI of one run, checked once at construction.

    Parameters
    ----------
    raw : mne.io.Raw
        The EEG (any MNE reader; channel names and montage are kept).
    bold : array-like, shape (n_volumes, n_vertices)
        Surface BOLD, one row per volume; rows of invalid volumes may hold anything finite or not.
    volume_times : array-like, shape (n_volumes,)
        Time of each volume in seconds from the start of the EEG, strictly increasing.
    mesh : str or CorticalMesh, optional
        The surface the BOLD lives on (``"ico3"``, ``"ico4"``, ``"ico5"``, ``"fslr32k"``); by default
        the standard mesh with as many vertices as ``bold`` has.
    valid : array-like of bool, shape (n_volumes,), optional
        False for volumes that were lost or corrupted; default all True.
    subject, session, task, run : str, optional
        Identifiers (BIDS entities without their prefixes, e.g. ``subject="01"``). Without ``subject``,
        the EEG file's name stands in for it (or, for EEG made in memory, a short hash of the data), so
        that two different recordings never share a name: ``fit`` uses names to refuse leaks.
    truth : GroundTruth, optional
        Noise-free signals, for simulated recordings.
    volume_status : array-like of str, optional
        Why each volume is (in)valid: ``"ok"``, ``"missing"`` (lost in acquisition), ``"corrupted"``
        (simulated artefacts), ``"invalid"`` (flagged by ``valid``), ``"non-finite"`` (NaN in the file).
    window : float
        Seconds of EEG each frame needs before it (:data:`~neuroframes_edu.data.alignment.EEG_WINDOW`).
    offset : float
        Seconds from the start of the original recording to the start of this one (non-zero for the
        parts :meth:`split` returns).

    Raises
    ------
    ValueError
        Naming the argument, what is wrong and how to fix it: volume times not finite, not strictly
        increasing or not one per volume; BOLD not 2-D, not finite at valid volumes, or with a vertex
        count other than the mesh's; no valid volume; EEG without EEG channels, or not covering the
        volumes with ``window`` seconds of EEG before at least one of them.

    Examples
    --------
    >>> from neuroframes_edu.simulate import SimulationConfig, simulate_session
    >>> rec = simulate_session(SimulationConfig(mesh="ico3", duration=60), seed=0)
    >>> rec.name, rec.bold.shape, rec.truth is not None
    ('sub-01_ses-01', (75, 1284), True)
    """

    def __init__(self, raw, bold, volume_times, mesh=None, valid=None, subject: str | None = None,
                 session: str | None = None, task: str | None = None, run: str | None = None,
                 truth: GroundTruth | None = None, volume_status=None, window: float = EEG_WINDOW,
                 offset: float = 0.0):
        import mne

        if not isinstance(raw, mne.io.BaseRaw):
            _fail("raw", f"expected an mne.io.Raw, got {type(raw).__name__}",
                  "read the EEG with neuroframes_edu.io.read_eeg(path) or mne.io.read_raw(path)")
        picks = mne.pick_types(raw.info, eeg=True, exclude=())
        if len(picks) == 0:
            _fail("raw", f"has no EEG channels (channel types: {sorted(set(raw.get_channel_types()))})",
                  "set the types with raw.set_channel_types({...: 'eeg'})")
        if len(mne.pick_types(raw.info, eeg=True, exclude="bads")) == 0:
            _fail("raw", f"marks every EEG channel as bad ({len(raw.info['bads'])} in raw.info['bads'])",
                  "interpolate them (raw.interpolate_bads()) or clear the list")
        from neuroframes_edu._utils.validation import check_number, check_type

        window = check_number(window, "window", minimum=0, include_minimum=False)
        offset = check_number(offset, "offset", minimum=0)
        for name, value in (("subject", subject), ("session", session), ("task", task), ("run", run)):
            check_type(value, (str, int, np.integer, None), name, hint="a BIDS label such as '01'")
        bold = np.asarray(bold)
        if bold.dtype.kind not in "biuf":
            _fail("bold", f"must hold numbers, got an array of {bold.dtype}", "convert it, e.g. bold.astype(float)")
        if bold.ndim != 2:
            _fail("bold", f"must be 2-D (n_volumes, n_vertices), got shape {bold.shape}",
                  "stack one row per volume")
        if not np.issubdtype(bold.dtype, np.floating):
            bold = bold.astype(np.float32)
        try:
            times = np.asarray(volume_times, dtype=float)
        except (TypeError, ValueError):
            _fail("volume_times", f"must be numbers (seconds), got {np.asarray(volume_times).dtype} values",
                  "give one time in seconds per volume")
        if times.shape != (bold.shape[0],):
            _fail("volume_times", f"has shape {times.shape} but bold has {bold.shape[0]} volumes",
                  "give one time per volume (lost volumes too, marked valid=False)")
        if not np.isfinite(times).all():
            _fail("volume_times", f"contains {int((~np.isfinite(times)).sum())} NaN or infinite values",
                  "give every volume a time; Recording.from_files infers lost volumes' times from the TR")
        if times.size > 1 and np.any(np.diff(times) <= 0):
            k = int(np.flatnonzero(np.diff(times) <= 0)[0])
            _fail("volume_times", f"must be strictly increasing, but volume {k + 1} ({times[k + 1]:.3f} s) does not "
                  f"come after volume {k} ({times[k]:.3f} s)", "sort the volumes or remove duplicate triggers")
        valid = np.ones(len(times), dtype=bool) if valid is None else np.asarray(valid)
        if valid.shape != times.shape:
            _fail("valid", f"has shape {valid.shape}, expected ({len(times)},)", "give one flag per volume")
        if valid.dtype != bool:
            if not np.isin(valid, (0, 1)).all():
                _fail("valid", "must be boolean", "pass True for usable volumes and False for lost ones")
            valid = valid.astype(bool)
        if not valid.any():
            _fail("valid", "marks no volume as valid", "check the mask is not inverted (True = usable)")
        bad = ~np.isfinite(bold[valid]).all(axis=1)
        if bad.any():
            k = int(np.flatnonzero(valid)[np.flatnonzero(bad)[0]])
            _fail("bold", f"has NaN or infinite values at {int(bad.sum())} valid volumes (first: volume {k})",
                  "mark those volumes valid=False or clean them")
        self.mesh = mesh if mesh is not None and not isinstance(mesh, str) else None
        if self.mesh is not None and not isinstance(getattr(self.mesh, "n_vertices", None), int):
            _fail("mesh", f"must be a mesh name or a CorticalMesh, got {type(mesh).__name__}",
                  "e.g. mesh='ico4' or mesh=neuroframes_edu.surface.load_mesh('ico4')")
        if mesh is None:
            self.mesh_name = mesh_for_vertices(bold.shape[1])
        elif self.mesh is not None and self.mesh.name not in ("fsaverage5", "fs_LR-32k") and \
                not self.mesh.name.startswith("fsaverage5-"):
            self.mesh_name = self.mesh.name  # a mesh of the user's own
        else:
            self.mesh_name = canonical_mesh_name(mesh)
        if self.mesh is not None:
            n_mesh = self.mesh.n_vertices
        else:
            n_mesh = MESH_VERTICES[self.mesh_name]
        if bold.shape[1] != n_mesh:
            _fail("bold", f"has {bold.shape[1]:,} vertices per volume but mesh {self.mesh_name!r} has {n_mesh:,}",
                  "pass the mesh the data were sampled on, or resample the data")
        duration = raw.n_times / raw.info["sfreq"]
        if times[-1] > duration + 1e-9:
            _fail("volume_times", f"the last volume is at {times[-1]:.2f} s but the EEG ends at {duration:.2f} s",
                  "load the full EEG recording, or drop the volumes after it ends")
        if times[0] < -1e-9:
            _fail("volume_times", f"the first volume is at {times[0]:.2f} s, before the EEG starts",
                  "give times in seconds from the start of the EEG")
        if not (valid & has_eeg_window(times, window)).any():
            _fail("volume_times", f"no valid volume has {window:g} s of EEG before it (the last is at "
                  f"{times[-1]:.2f} s)",
                  "record longer, or start the EEG earlier than the fMRI")
        if truth is not None:
            if truth.bold_clean.shape != bold.shape or truth.frames.shape[1:] != bold.shape[1:] or \
                    truth.noise_ceiling.shape != (bold.shape[1],) or truth.frame_times.shape != truth.frames.shape[:1]:
                _fail("truth", f"has shapes bold_clean {truth.bold_clean.shape}, frames {truth.frames.shape}, "
                      f"noise_ceiling {truth.noise_ceiling.shape} that do not fit bold {bold.shape}",
                      "build the ground truth for this recording")
        self.raw, self.bold, self.volume_times, self.valid = raw, bold, times, valid
        self.subject = str(subject) if subject is not None else _stand_in_subject(raw, bold)
        self.session = None if session is None else str(session)
        self.task = None if task is None else str(task)
        self.run = None if run is None else str(run)
        self.truth = truth
        self.volume_status = (np.where(valid, "ok", "invalid") if volume_status is None
                              else np.asarray(volume_status, dtype=str))
        if self.volume_status.shape != times.shape:
            _fail("volume_status", f"has shape {self.volume_status.shape}, expected ({len(times)},)",
                  "give one status per volume")
        unknown = sorted(set(self.volume_status.tolist()) - set(VOLUME_STATUSES))
        if unknown:
            _fail("volume_status", f"has unknown values {unknown}", f"use {VOLUME_STATUSES}")
        if ((self.volume_status == "ok") != valid).any():
            k = int(np.flatnonzero((self.volume_status == "ok") != valid)[0])
            _fail("volume_status", f"says {str(self.volume_status[k])!r} for volume {k} but valid says "
                  f"{bool(valid[k])}", "a volume is 'ok' exactly when it is valid")
        self.window = float(window)
        self.offset = float(offset)
        self.part: str | None = None
        self.acquisition = None  # the VolumeGrid when volume times came from triggers with gaps

    # ------------------------------------------------------------------ descriptors
    @property
    def name(self) -> str:
        """BIDS-style identifier, e.g. ``"sub-01_ses-02_task-film_run-1"`` (with ``_part-…`` for a split part)."""
        parts = [f"sub-{self.subject}"]
        parts += [f"{k}-{v}" for k, v in (("ses", self.session), ("task", self.task), ("run", self.run)) if v]
        if self.part:
            parts.append(f"part-{self.part}")
        return "_".join(parts)

    @property
    def source(self) -> str:
        """The name of the whole recording this one is (or was split from)."""
        return self.name.split("_part-")[0]

    @property
    def span(self) -> tuple[float, float]:
        """``(first, last)`` volume time in seconds of the original recording (for leak checks)."""
        return self.offset + float(self.volume_times[0]), self.offset + float(self.volume_times[-1])

    @property
    def n_volumes(self) -> int:
        return int(self.bold.shape[0])

    @property
    def n_vertices(self) -> int:
        return int(self.bold.shape[1])

    @property
    def sfreq(self) -> float:
        return float(self.raw.info["sfreq"])

    @property
    def ch_names(self) -> list[str]:
        """Names of the EEG channels the library reads, in order: those not marked bad in
        ``raw.info["bads"]`` (as MNE's ``pick_types`` does). A model trained with a channel that is bad
        here refuses the recording and names it; ``raw.interpolate_bads()`` brings it back."""
        import mne

        return [self.raw.ch_names[i] for i in mne.pick_types(self.raw.info, eeg=True, exclude="bads")]

    @property
    def tr(self) -> float:
        """Median seconds between consecutive volumes."""
        return float(np.median(np.diff(self.volume_times))) if self.n_volumes > 1 else float("nan")

    @property
    def usable(self) -> np.ndarray:
        """Valid volumes with ``window`` seconds of EEG before them: those a model can reconstruct and be scored on."""
        return self.valid & has_eeg_window(self.volume_times, self.window)

    def load_mesh(self):
        """The :class:`~neuroframes_edu.surface.CorticalMesh` the BOLD lives on."""
        if self.mesh is None:
            from neuroframes_edu.surface import load_mesh

            self.mesh = load_mesh(self.mesh_name)
        return self.mesh

    def to_surface_image(self, surface: str = "inflated", volumes=None):
        """The BOLD as a nilearn ``SurfaceImage`` (volumes as samples), on the given surface of the mesh."""
        data = self.bold if volumes is None else self.bold[volumes]
        return self.load_mesh().to_surface_image(np.asarray(data).T, surface=surface)

    def __repr__(self) -> str:
        truth = ", with ground truth" if self.truth is not None else ""
        return (f"<Recording {self.name}: {len(self.ch_names)} EEG channels at {self.sfreq:g} Hz, "
                f"{self.n_volumes} volumes ({int(self.valid.sum())} valid, TR {self.tr:.3g} s) × "
                f"{self.n_vertices:,} vertices on {self.mesh_name}{truth}>")

    # ------------------------------------------------------------------ splitting
    def split(self, fractions=(0.6, 0.2, 0.2), names=("train", "val", "test"), gap: float | None = None):
        """Cut the recording in time into consecutive parts that do not leak into each other.

        Each part keeps the ``window`` seconds of EEG that its first frame needs before it, and
        ``gap`` seconds of volumes are dropped between consecutive parts, so that no frame of one part
        has EEG or haemodynamic response in common with a frame of the next.

        Parameters
        ----------
        fractions : sequence of float
            Share of the recording's time in each part (normalised to sum to 1).
        names : sequence of str
            One name per part; it becomes ``part`` of the part's :attr:`name`.
        gap : float, optional
            Seconds between the last volume of one part and the first volume of the next; by default,
            and at least, the EEG window (16 s): the first frame of a part then needs no EEG from the
            time of the previous part's frames, and the haemodynamic response of one part's events has
            faded before the next part's first volume.

        Returns
        -------
        list of Recording
            Parts in time order; each has ``offset``, ``source`` and ``span`` for leak checks, and
            ground truth cropped alongside where it exists.

        Raises
        ------
        ValueError
            Fractions that are not positive or do not match ``names``; a part too short to hold a
            usable volume.
        """
        from neuroframes_edu._utils.validation import check_array, check_number, check_sequence, check_type

        names = check_sequence(names, "names", lambda n, name: check_type(n, str, name))
        if len(set(names)) != len(names):
            _fail("names", f"repeats a name: {names}", "give each part its own name")
        fractions = check_array(fractions, "fractions", finite=False)
        positive = fractions.ndim == 1 and (np.isfinite(fractions) & (fractions > 0)).all()
        if not positive or len(fractions) != len(names) or len(fractions) < 2:
            _fail("fractions", f"must be ≥ 2 positive shares, one per name in {tuple(names)}, got {fractions.tolist()}",
                  "e.g. fractions=(0.6, 0.2, 0.2), names=('train', 'val', 'test')")
        gap = self.window if gap is None else check_number(gap, "gap")
        if not gap >= self.window:  # NaN too
            _fail("gap", f"must be at least the EEG window ({self.window:g} s), got {gap:g}: a shorter gap lets a "
                  "part's first frames see EEG recorded during the previous part's frames", "use the default")
        times = self.volume_times
        start_time = times[self.usable][0]
        total = times[-1] - start_time - gap * (len(fractions) - 1)
        if total <= 0:
            _fail("gap", f"{gap:g} s between {len(fractions)} parts leaves no time for the parts in this "
                  f"{times[-1] - start_time:.0f} s recording", "use fewer parts or a smaller gap")
        bounds = start_time + np.concatenate([[0.0], np.cumsum(fractions / fractions.sum())]) * total
        parts = []
        for k, name in enumerate(names):
            lo = bounds[k] + k * gap
            hi = bounds[k + 1] + k * gap
            inside = (times >= lo - 1e-9) & ((times < hi) if k < len(names) - 1 else (times <= hi + 1e-9))
            idx = np.flatnonzero(inside)
            if idx.size == 0 or not self.valid[idx].any():
                _fail("fractions", f"part {name!r} ({lo:.0f}–{hi:.0f} s) holds no valid volume",
                      "give it a larger share or split a longer recording")
            parts.append(self._crop_volumes(idx[0], idx[-1] + 1, name))
        return parts

    def _crop_volumes(self, first: int, stop: int, part: str) -> Recording:
        """The volumes ``first:stop`` with the EEG from ``window`` s before the first to the last volume."""
        t0 = max(float(self.volume_times[first]) - self.window, 0.0)
        t1 = float(self.volume_times[stop - 1])
        sfreq = self.sfreq
        t0 = np.floor(t0 * sfreq) / sfreq  # on a sample, so that volume times stay exact
        tmax = min(t1 + 1.0 / sfreq, (self.raw.n_times - 1) / sfreq)
        raw = self.raw.copy().crop(tmin=t0, tmax=tmax, include_tmax=True)
        sl = slice(first, stop)
        truth = None
        if self.truth is not None:
            t = self.truth
            keep = (t.frame_times >= t0 - 1e-9) & (t.frame_times <= tmax + 1e-9)
            # every time of the part is measured from its own start, the truth's too
            valid = self.valid[sl]
            # the ceiling of this part: the noise-free BOLD's correlation with its own measured volumes
            ceiling = temporal_r(self.bold[sl][valid], t.bold_clean[sl][valid]) if valid.sum() > 2 else t.noise_ceiling
            truth = replace(t, bold_clean=t.bold_clean[sl], frames=t.frames[keep], frame_times=t.frame_times[keep] - t0,
                            noise_ceiling=ceiling,
                            scenes=[{**scene, "onset": scene["onset"] - t0} for scene in t.scenes],
                            neural_times=None if t.neural_times is None else t.neural_times - t0,
                            source_power_times=None if t.source_power_times is None else t.source_power_times - t0)
        out = Recording(raw, self.bold[sl], self.volume_times[sl] - t0, mesh=self.mesh or self.mesh_name,
                        valid=self.valid[sl], subject=self.subject, session=self.session, task=self.task,
                        run=self.run, truth=truth, volume_status=self.volume_status[sl], window=self.window,
                        offset=self.offset + t0)
        out.part, out.acquisition = part, self.acquisition
        return out

    # ------------------------------------------------------------------ from files
    @classmethod
    def from_files(cls, eeg, bold, mesh=None, volume_times=None, valid=None, trigger: str | None = None,
                   tr: float | None = None, subject: str | None = None, session: str | None = None,
                   task: str | None = None, run: str | None = None, window: float = EEG_WINDOW) -> Recording:
        """Read EEG and surface BOLD files into one checked :class:`Recording`.

        Parameters
        ----------
        eeg : path or mne.io.Raw
            Any format :func:`neuroframes_edu.io.read_eeg` reads, with one annotation per acquired
            volume (``trigger``) unless ``volume_times`` is given.
        bold : (left, right) GIFTI paths, a CIFTI ``.dtseries.nii`` path, or an array (n_volumes, n_vertices)
        mesh : str or CorticalMesh, optional
            Default: the standard mesh with as many vertices as the BOLD (fs_LR 32k for CIFTI).
        volume_times : array-like, optional
            One time per BOLD volume (s from the EEG start); default: from the triggers.
        valid : array-like of bool, optional
            One flag per BOLD volume (e.g. from motion scrubbing); combined with lost volumes.
        trigger : str
            Annotation description of the volume triggers (default ``"volume"``).
        tr : float, optional
            Nominal repetition time, to place triggers with gaps (default: estimated from them).
        subject, session, task, run : str, optional
            Default: the BIDS entities in the file names (``sub-01_ses-02_…``), else the EEG file's stem.
        window : float
            Seconds of EEG each frame needs.

        Notes
        -----
        When triggers have gaps (lost volumes), :func:`~neuroframes_edu.data.alignment.volume_grid` puts
        them on the regular grid of volumes. If the BOLD holds only the acquired volumes (one per
        trigger), lost volumes are inserted as invalid rows; if it holds every slot of the grid, the
        slots without a trigger are marked invalid (status ``"missing"``). Volumes that hold NaN or
        infinite values (scrubbed volumes) are marked invalid too (``"non-finite"``). Volumes lost before
        the first or after the last trigger cannot be detected by any method: the BOLD must then say
        which volumes it holds (pass ``volume_times``). The grid is kept in :attr:`acquisition`.

        Raises
        ------
        FileNotFoundError, ValueError
            Missing files, files of different recordings, BOLD whose volume count fits neither the
            triggers nor their grid, and every check of :class:`Recording`.
        """
        from pathlib import Path

        from neuroframes_edu.data.alignment import VOLUME_TRIGGER, volume_grid, volume_times_from_annotations
        from neuroframes_edu.io import check_same_recording, read_cifti_dtseries, read_eeg, read_gifti_timeseries

        paths = []
        if isinstance(eeg, (str, Path)):
            paths.append(Path(eeg))
            raw = read_eeg(eeg)
        else:
            raw = eeg
        file_tr = None
        if isinstance(bold, (tuple, list)) and len(bold) == 2 and all(isinstance(p, (str, Path)) for p in bold):
            paths += [Path(p) for p in bold]
            data = read_gifti_timeseries(*bold, allow_nonfinite=True)
        elif isinstance(bold, (str, Path)):
            paths.append(Path(bold))
            if not str(bold).endswith(".dtseries.nii"):
                _fail("bold", f"{Path(bold).name} is a single file but not a CIFTI .dtseries.nii",
                      "pass GIFTI files as a (left, right) pair")
            data, file_tr = read_cifti_dtseries(bold, allow_nonfinite=True)
            mesh = mesh or "fslr32k"
        else:
            data = np.asarray(bold)
            if data.ndim != 2:
                _fail("bold", f"must be (left, right) GIFTI paths, a CIFTI path or a 2-D array; got shape {data.shape}",
                      "see Recording.from_files")
        if paths:
            check_same_recording(*paths)
        ids = _entities(paths)
        n = data.shape[0]
        if valid is not None:
            from neuroframes_edu._utils.validation import check_mask

            valid = check_mask(valid, "valid", length=n)
        status = np.full(n, "ok", dtype=object)
        if valid is not None:
            status[~valid] = "invalid"
        status[(status == "ok") & ~np.isfinite(data).all(axis=1)] = "non-finite"  # scrubbed volumes saved as NaN
        grid = None
        if volume_times is not None:
            times = np.asarray(volume_times, dtype=float)
            if times.shape != (n,):
                _fail("volume_times", f"has {times.size} entries but the BOLD has {n} volumes", "give one per volume")
        else:
            triggers = volume_times_from_annotations(raw, trigger or VOLUME_TRIGGER)
            grid = volume_grid(triggers, tr=tr or file_tr)
            if n == len(triggers):  # the file holds the acquired volumes only: insert the missing ones
                full = np.zeros((len(grid.times), data.shape[1]), dtype=data.dtype)
                full[grid.slot] = data
                data = full
                full_status = np.full(len(grid.times), "missing", dtype=object)
                full_status[grid.slot] = status
                status = full_status
            elif n == len(grid.times):  # the file holds every slot: those without a trigger are missing
                status[~grid.acquired] = "missing"
            else:
                _fail("bold", f"has {n} volumes but the EEG has {len(triggers)} volume triggers on a grid of "
                      f"{len(grid.times)} slots (TR {grid.tr:.4f} s, {grid.n_lost} missing between triggers); volumes "
                      "lost before the first or after the last trigger cannot be placed from the triggers",
                      "pass volume_times (one per BOLD volume), or trim the BOLD to the triggered volumes")
            times = grid.times
        ok = status == "ok"
        rec = cls(raw, data, times, mesh=mesh, valid=ok, subject=subject or ids.get("sub"),
                  session=session or ids.get("ses"), task=task or ids.get("task"), run=run or ids.get("run"),
                  volume_status=status.astype(str), window=window)
        rec.acquisition = grid
        return rec


    @classmethod
    def from_bids(cls, bids_root, subject: str, session: str | None = None, task: str | None = None,
                  run: str | None = None, space: str | None = None, trigger: str | None = None,
                  window: float = EEG_WINDOW) -> Recording:
        """Read one run of a BIDS dataset: the raw EEG through mne-bids and the surface BOLD from its
        derivatives, as fMRIPrep (``*_hemi-L_space-fsaverage5_bold.func.gii``,
        ``*_space-fsLR_den-91k_bold.dtseries.nii``) or :func:`~neuroframes_edu.io.write_bids_dataset`
        name them.

        Volume times come from the EEG's volume events, placed on the grid of the sidecar's
        ``RepetitionTime`` (see :meth:`from_files`): BIDS's ``VolumeTiming`` counts from the start of the
        fMRI acquisition, not of the EEG, so only the triggers in the EEG align the two.
        ``ValidVolumes`` (a list of 0/1 this library writes; not a BIDS field) marks unusable volumes
        when present.

        Raises
        ------
        FileNotFoundError, ValueError
            Not a BIDS dataset, a subject or session that is not there (listing those that are), no or
            several matching BOLD runs, and every check of :meth:`from_files`.
        """
        from pathlib import Path

        from mne_bids import BIDSPath, get_entity_vals, read_raw_bids

        from neuroframes_edu.io import find_bids_bold

        bids_root = Path(bids_root)
        if not (bids_root / "dataset_description.json").is_file():
            raise FileNotFoundError(f"{bids_root} is not a BIDS dataset (no dataset_description.json)")
        subjects = get_entity_vals(bids_root, "subject")
        if subject not in subjects:
            _fail("subject", f"{subject!r} is not in {bids_root}; it has subjects {subjects}", "pick one of those")
        bp = BIDSPath(subject=subject, session=session, task=task, run=run, datatype="eeg", suffix="eeg",
                      root=bids_root)
        matches = [m for m in bp.match() if m.extension in (".vhdr", ".edf", ".bdf", ".set", ".fif")]
        if len(matches) != 1:
            sessions = get_entity_vals(bids_root / f"sub-{subject}", "session")
            _fail("session/task/run", f"{len(matches)} EEG recordings match subject {subject!r}, session {session!r}, "
                  "task "
                  f"{task!r}, run {run!r} ({[m.basename for m in matches]}); sessions present: {sessions}",
                  "pass session=, task= or run= to pick exactly one")
        raw = read_raw_bids(matches[0], verbose="error")
        found = find_bids_bold(bids_root, subject, matches[0].session, matches[0].task, matches[0].run, space)
        sidecar = found["sidecar"]
        valid = sidecar.get("ValidVolumes")
        rec = cls.from_files(raw, found["bold"], valid=valid, trigger=trigger,
                             tr=sidecar.get("RepetitionTime"), subject=subject, session=matches[0].session,
                             task=matches[0].task, run=matches[0].run, window=window)
        return rec

    @classmethod
    def from_cinebrain(cls, folder, sfreq: float, tr: float, ch_names=None, montage: str | None = None,
                       mesh=None, subject: str | None = None, window: float = EEG_WINDOW, **read_options) -> Recording:
        """Read a CineBrain-style folder of per-TR files (``eeg/NNNNNN.npy``, ``fmri/NNNNNN.npy``; see
        :func:`~neuroframes_edu.io.read_cinebrain_folder`) as one continuous recording.

        The EEG segments are joined in TR order into one ``mne.io.RawArray``; volume ``i`` is placed at
        the start of its TR, ``i · tr`` seconds.

        Parameters
        ----------
        folder : path
        sfreq : float
            EEG sampling rate (Hz); each segment must hold ``tr · sfreq`` samples.
        tr : float
            Seconds per TR.
        ch_names : list of str, optional
            EEG channel names (default: those of ``montage``, else ``EEG001``, ``EEG002``, …).
        montage : str, optional
            An MNE built-in montage to set (e.g. ``"standard_1020"``).
        mesh : str, optional
            Default: the standard mesh with as many vertices as a frame (fs_LR 32k for 59,412).
        **read_options
            ``n_channels=``, ``n_vertices=`` for :func:`~neuroframes_edu.io.read_cinebrain_folder`.

        Raises
        ------
        ValueError
            Segments whose length is not ``tr · sfreq``, channel names that do not fit, and every check
            of :class:`Recording`.
        """
        import mne

        from neuroframes_edu._utils.validation import check_number
        from neuroframes_edu.io import read_cinebrain_folder

        sfreq = check_number(sfreq, "sfreq", minimum=0, include_minimum=False)
        tr = check_number(tr, "tr", minimum=0, include_minimum=False)
        per_tr = round(tr * sfreq)
        if abs(per_tr - tr * sfreq) > 1e-6:
            _fail("tr", f"{tr} s at {sfreq} Hz is not a whole number of samples", "check tr and sfreq")
        eeg, frames = read_cinebrain_folder(folder, samples_per_tr=per_tr, **read_options)
        n_channels = eeg.shape[1]
        if ch_names is None and montage is not None:
            ch_names = mne.channels.make_standard_montage(montage).ch_names[:n_channels]
        ch_names = list(ch_names) if ch_names is not None else [f"EEG{i + 1:03d}" for i in range(n_channels)]
        if len(ch_names) != n_channels:
            _fail("ch_names", f"names {len(ch_names)} channels but the segments have {n_channels}",
                  "give one name per row of the EEG files")
        info = mne.create_info(ch_names, float(sfreq), "eeg")
        raw = mne.io.RawArray(np.concatenate(list(eeg), axis=1), info, verbose="error")
        if montage is not None:
            raw.set_montage(montage, on_missing="warn", verbose="error")
        from pathlib import Path

        rec = cls(raw, frames, np.arange(len(frames)) * float(tr), mesh=mesh,
                  subject=subject or "".join(c for c in Path(folder).name if c.isalnum()) or None, window=window)
        return rec

def _stand_in_subject(raw, bold) -> str:
    """A subject label for a recording made without one: the EEG file's stem, else a hash of the data."""
    import hashlib
    from pathlib import Path

    filenames = [f for f in (getattr(raw, "filenames", None) or ()) if f]
    if filenames:
        stem = "".join(c for c in Path(filenames[0]).name.split(".")[0] if c.isalnum())
        if stem:
            return stem
    digest = hashlib.sha1(np.ascontiguousarray(bold[: min(len(bold), 50)]).tobytes())
    digest.update(np.ascontiguousarray(raw.get_data(start=0, stop=min(raw.n_times, 5000))).tobytes())
    return "mem" + digest.hexdigest()[:8]


def _entities(paths) -> dict[str, str]:
    """BIDS entities (sub, ses, task, run) found in file names."""
    import re

    out = {}
    for path in paths:
        for key in ("sub", "ses", "task", "run"):
            m = re.search(rf"(?:^|_){key}-([A-Za-z0-9]+)", path.name)
            if m and key not in out:
                out[key] = m.group(1)
    return out
