"""Named data regimes: simulator settings that differ in what limits a reconstruction.

The default data answer one question; a method that wins there may win for a reason the default
happens to favour. Each regime here changes one family of knobs of :class:`SimulationConfig`:

- ``"default"``: ``SimulationConfig()``, calibrated to published simultaneous EEG–fMRI
  (:mod:`.calibration`): alpha–BOLD correlation of a few tenths, 60% of the BOLD variance EEG-silent,
  BOLD signal-to-noise ratio 0.7, residual gradient and ballistocardiogram artefacts in the EEG.
- ``"generous"``: the strong coupling and clean data of the course's first version (no EEG-silent
  BOLD, SNR 2, no artefacts): alpha–BOLD correlations far above any published study, which make the
  mechanics of every method visible in 10 minutes of data. Not what a real recording gives.
- ``"hard"``: everything against the method: TR 2.0 s, the nonlinear Balloon model with regional HRF
  latencies of ±1–2 s, BOLD SNR 0.5, 75% of the BOLD EEG-silent, strong artefacts.
- ``"weak-eeg"``: the EEG says less about the BOLD: band-power coupling at half its gain, sensor
  noise and 1/f background stronger.
- ``"slow-hrf"``: the haemodynamics decide: TR 2.0 s, the nonlinear Balloon–Windkessel model, and
  regional HRF latency differences of ±1–2 s across the cortex (SD 1.25 s; Handwerker et al. 2004).
- ``"sparse-eeg"``: the montage decides: 32 electrodes (``biosemi32``) instead of 64.

The last three change the default in one respect each. :func:`regime_config` gives a regime's
configuration (with any overrides), :data:`REGIMES` describes each in one line;
:func:`neuroframes_edu.data.load_dataset` takes ``regime=`` and caches each regime apart. The data card
(``data/README.md``) says which real datasets each regime resembles; ``benchmarks/calibration.py``
measures each against the literature.
"""

from __future__ import annotations

from dataclasses import replace

from neuroframes_edu.simulate.session import SimulationConfig

#: Regime name → (one-line description, the SimulationConfig fields it changes from the default).
_SETTINGS: dict[str, tuple[str, dict]] = {
    "default": ("calibrated to published EEG–fMRI: alpha–BOLD r of a few tenths, 60% of the BOLD EEG-silent, "
                "BOLD SNR 0.7, residual scanner artefacts", {}),
    "generous": ("the mechanics made visible: no EEG-silent BOLD, BOLD SNR 2, no artefacts (stronger coupling "
                 "than any published study)",
                 {"eeg_silent_fraction": 0.0, "bold_snr": 2.0, "background_1f": 10e-6, "gradient_residual": 0.0,
                  "bcg_residual": 0.0}),
    "hard": ("everything against the method: TR 2.0 s, Balloon, regional HRF latency SD 1.25 s, BOLD SNR 0.5, "
             "75% EEG-silent, strong artefacts",
             {"tr": 2.0, "frames_per_tr": 10, "tr_jitter": 0.02, "hemodynamics": "balloon", "hrf_latency_sd": 1.25,
              "hrf_dispersion_sd": 0.2, "bold_snr": 0.5, "eeg_silent_fraction": 0.75, "gradient_residual": 5e-6,
              "bcg_residual": 10e-6}),
    "weak-eeg": ("EEG that says less: coupling gains ×0.5, sensor noise 5 µV, 1/f background 25 µV",
                 {"coupling_scale": 0.5, "eeg_noise": 5e-6, "background_1f": 25e-6}),
    "slow-hrf": ("haemodynamics decide: TR 2.0 s, Balloon–Windkessel, regional HRF latency SD 1.25 s",
                 {"tr": 2.0, "frames_per_tr": 10, "tr_jitter": 0.02, "hemodynamics": "balloon",
                  "hrf_latency_sd": 1.25}),
    "sparse-eeg": ("the montage decides: 32 electrodes (biosemi32) instead of 64", {"montage": "biosemi32"}),
}
#: Regime name → one-line description of what decides the answer there.
REGIMES: dict[str, str] = {name: text for name, (text, _) in _SETTINGS.items()}


def regime_config(name: str = "default", **overrides) -> SimulationConfig:
    """The :class:`SimulationConfig` of a named regime, with optional overrides.

    Parameters
    ----------
    name : str
        One of :data:`REGIMES` (``"default"``, ``"generous"``, ``"hard"``, ``"weak-eeg"``, ``"slow-hrf"``,
        ``"sparse-eeg"``).
    **overrides
        Any :class:`SimulationConfig` field, applied on top of the regime (e.g. ``mesh="ico3"``,
        ``duration=60``).

    Returns
    -------
    SimulationConfig

    Raises
    ------
    ValueError
        For an unknown regime name (listing the known ones) or an unknown field, or values the
        configuration refuses.

    Examples
    --------
    >>> regime_config("slow-hrf", mesh="ico3").tr
    2.0
    >>> regime_config() == SimulationConfig()
    True
    """
    if name not in _SETTINGS:
        raise ValueError(f"unknown regime {name!r}; choose one of {', '.join(map(repr, _SETTINGS))} "
                         "(neuroframes_edu.simulate.REGIMES describes each)")
    known = set(SimulationConfig.__dataclass_fields__)
    unknown = sorted(set(overrides) - known)
    if unknown:
        raise ValueError(f"regime_config got unknown SimulationConfig fields {unknown}; known: {sorted(known)}")
    return replace(SimulationConfig(), **{**_SETTINGS[name][1], **overrides})
