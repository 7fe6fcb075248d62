"""Ceilings: how well could any method do on a simulated recording, and what stands in the way?

Three numbers bracket a reconstruction of BOLD from EEG, from the top down:

- the **noise ceiling** (:func:`noise_ceiling`): the correlation of the noise-free BOLD with the
  measured BOLD. A perfect reconstruction scores this against the measurements; nothing scores more
  on average.
- the **EEG-information ceiling** (:func:`eeg_information_features`, ``kind="band_power"``): what a
  ridge regression scores when it reads the *true* log band power of every EEG source, as a perfect
  inverse solution of the EEG would hand it. The band power of a source follows its activity only in
  part: oscillations are noisy, and where the coupling is weak their random power swamps the
  modulation. A method that reads the electrodes can only lose information on the way (volume
  conduction, sensor noise, unrelated background); this ceiling measures what is left to win.
- the **activity oracle** (``kind="activity"``): the same regression on the activity itself, the
  neural cause of both signals: what is lost to the HRF alone (its regional variability, a nonlinear
  Balloon model) when the EEG is ignored altogether.

The features come from the ground truth (:class:`~neuroframes_edu.data.GroundTruth`), so these exist
for simulated recordings only. ``benchmarks/ceilings.py`` measures all of them in each data regime
(:data:`neuroframes_edu.simulate.REGIMES`).

:mod:`neuroframes_edu.evaluation` reports the EEG-information ceiling beside every method (notebook
07); ``benchmarks/results/ceilings.md`` holds its measurements in every regime.
"""

from __future__ import annotations

import numpy as np

from neuroframes_edu.metrics import temporal_r, zscore

#: The kinds of oracle features :func:`eeg_information_features` computes.
FEATURE_KINDS = ("band_power", "activity")


def _truth(recording, needs: str):
    truth = getattr(recording, "truth", None)
    if truth is None:
        raise ValueError(f"recording {getattr(recording, 'name', recording)!r} has no ground truth; ceilings need a "
                         "simulated recording (neuroframes_edu.simulate.simulate_session or data.load_dataset)")
    if getattr(truth, needs, None) is None:
        raise ValueError(f"the ground truth of {recording.name!r} has no {needs} (it was simulated by an older "
                         "version of the simulator); simulate it again, or let load_dataset regenerate its cache")
    return truth


def eeg_information_features(recording, times, kind: str = "band_power") -> np.ndarray:
    """Oracle regressors from the ground truth, HRF-convolved and z-scored, at ``times``.

    Parameters
    ----------
    recording : Recording
        A simulated recording (or a part of one from ``Recording.split``).
    times : array-like, shape (n_times,)
        Seconds from the start of the recording's EEG, e.g. ``recording.volume_times``.
    kind : {"band_power", "activity"}
        ``"band_power"``: the true log band power of every source component in every band
        (``truth.source_log_power``), the input of the EEG-information ceiling; ``"activity"``: the
        activity of every component (``truth.component_activity``), the neural cause itself.

    Returns
    -------
    ndarray, shape (n_times, n_features), float32
        ``"band_power"``: ``n_bands · n_components`` features, band-major (all components of the first
        band, then the next, as the channel features of ``prepare_session`` are); ``"activity"``:
        ``n_components`` features. Each series is centred, convolved with the Glover HRF (as
        :func:`neuroframes_edu.features.hrf_convolve` does), z-scored over the whole recording and
        interpolated at ``times``.

    Raises
    ------
    ValueError
        An unknown ``kind``, a recording without ground truth or with one from an older simulator, or
        ``times`` that are not finite and 1-D.

    Examples
    --------
    >>> from neuroframes_edu.simulate import SimulationConfig, simulate_session
    >>> rec = simulate_session(SimulationConfig(mesh="ico3", duration=60))
    >>> eeg_information_features(rec, rec.volume_times).shape
    (75, 125)
    """
    from neuroframes_edu.features import BandPowerSeries, hrf_convolve

    if kind not in FEATURE_KINDS:
        raise ValueError(f"kind must be one of {FEATURE_KINDS}, got {kind!r}")
    from neuroframes_edu._utils.validation import check_array

    times = check_array(times, "times", ndim=1, axes="(n_times,) in seconds, e.g. recording.volume_times")
    duration = recording.raw.n_times / recording.raw.info["sfreq"]
    if times.size and (times.min() < 0 or times.max() > duration + 1e-9):
        raise ValueError(f"times span {times.min():.2f}–{times.max():.2f} s but the recording covers 0–{duration:.2f} "
                         "s; give times inside it (the ground truth is not extrapolated)")
    if kind == "band_power":
        truth = _truth(recording, "source_log_power")
        grid = np.asarray(truth.source_power_times, dtype=float)
        power = np.asarray(truth.source_log_power, dtype=float).transpose(1, 2, 0)  # (bands, components, bins)
    else:
        truth = _truth(recording, "spontaneous_activity")
        grid = np.asarray(truth.neural_times, dtype=float)
        power = np.asarray(truth.component_activity, dtype=float).T[None]  # (1, components, steps)
    rate = 1.0 / float(np.median(np.diff(grid)))
    series = BandPowerSeries(power=power, times=grid, rate=rate, bands={}, ch_names=[])
    convolved = hrf_convolve(series).power.reshape(-1, len(grid))
    z = zscore(convolved, axis=1)
    return np.stack([np.interp(times, grid, row) for row in z], axis=1).astype(np.float32)


def noise_ceiling(recording, mesh=None) -> np.ndarray:
    """Per vertex, the correlation of the noise-free with the measured BOLD over the valid volumes.

    The score of a perfect reconstruction against the measurements. On the recording's own mesh it is
    ``recording.truth.noise_ceiling``; on another mesh (``mesh="ico3"`` for quick scoring of ico4 data)
    both signals are resampled first, as ``prepare_session(recording, mesh=...)`` resamples the BOLD,
    so the ceiling is that of the data actually scored.

    Parameters
    ----------
    recording : Recording
        A simulated recording (or a part of one).
    mesh : str or CorticalMesh, optional
        The mesh to score on; default the recording's own.

    Returns
    -------
    ndarray, shape (n_vertices,)

    Raises
    ------
    ValueError
        A recording without ground truth, or a mesh that cannot be resampled to.
    """
    truth = _truth(recording, "bold_clean")
    if mesh is None:
        return np.asarray(truth.noise_ceiling, dtype=float)
    from neuroframes_edu.surface import load_mesh, resample_operator

    source = recording.load_mesh()
    target = load_mesh(mesh) if isinstance(mesh, str) else mesh
    if target.name == source.name:
        return np.asarray(truth.noise_ceiling, dtype=float)
    operator = resample_operator(source, target)
    valid = recording.valid
    measured = np.asarray(operator @ np.asarray(recording.bold[valid], dtype=float).T).T
    clean = np.asarray(operator @ np.asarray(truth.bold_clean[valid], dtype=float).T).T
    return temporal_r(clean, measured)


def eeg_information_ceiling(train, test, mesh=None, kind: str = "band_power") -> dict[str, np.ndarray]:
    """The EEG-information ceiling of a test recording: a ridge on the oracle features, scored per vertex.

    A :class:`~neuroframes_edu.baselines.RidgeFingerprint` learns the BOLD of the ``train`` recordings'
    valid volumes from :func:`eeg_information_features` and predicts ``test``; its temporal r is what a
    band-power regression would score with a perfect inverse of the EEG.

    Parameters
    ----------
    train : Recording or list of Recording
        Simulated recordings to fit on (same mesh and subject as ``test``).
    test : Recording
        The simulated recording to score.
    mesh : str or CorticalMesh, optional
        Score on this mesh (e.g. ``"ico3"`` for ico4 data), as ``prepare_session(rec, mesh=...)`` does.
    kind : {"band_power", "activity"}
        The oracle's features (see :func:`eeg_information_features`).

    Returns
    -------
    dict of str to ndarray, shape (n_vertices,)
        ``"measured"``: temporal r against the test session's measured z-scored BOLD over its usable
        volumes; ``"clean"``: against its noise-free BOLD in the same z units; ``"noise_ceiling"``:
        :func:`noise_ceiling` on the scoring mesh, for comparison.

    Raises
    ------
    ValueError
        Recordings without ground truth, or an unknown ``kind``.

    Examples
    --------
    >>> from neuroframes_edu.simulate import SimulationConfig, simulate_session
    >>> a, b = (simulate_session(SimulationConfig(mesh="ico3", duration=120), session=s) for s in (1, 2))
    >>> scores = eeg_information_ceiling(a, b)  # doctest: +SKIP
    >>> scores["measured"].mean() < scores["noise_ceiling"].mean()  # doctest: +SKIP
    True
    """
    from neuroframes_edu.baselines import RidgeFingerprint
    from neuroframes_edu.surface import load_mesh, resample_operator
    from neuroframes_edu.training import prepare_session

    if kind not in FEATURE_KINDS:
        raise ValueError(f"kind must be one of {FEATURE_KINDS}, got {kind!r}")
    train = list(train) if isinstance(train, (list, tuple)) else [train]
    if not train:
        raise ValueError("train must hold at least one recording")
    for rec in [*train, test]:
        _truth(rec, "bold_clean")
    preps = [prepare_session(r, mesh=mesh) for r in [*train, test]]
    x = np.concatenate([eeg_information_features(r, r.volume_times, kind)[p.valid] for r, p in
                        zip(train, preps[:-1], strict=True)])
    y = np.concatenate([p.bold[p.valid] for p in preps[:-1]])
    ridge = RidgeFingerprint().fit(x, y)
    p = preps[-1]
    usable = p.usable
    pred = ridge.predict(eeg_information_features(test, test.volume_times, kind))[usable]
    clean = np.asarray(test.truth.bold_clean, dtype=float)
    if mesh is not None:
        source, target = test.load_mesh(), load_mesh(mesh) if isinstance(mesh, str) else mesh
        if target.name != source.name:
            clean = np.asarray(resample_operator(source, target) @ clean.T).T
    return {"measured": temporal_r(pred, p.bold[usable]), "clean": temporal_r(pred, p.standardized(clean)[usable]),
            "noise_ceiling": noise_ceiling(test, mesh)}
