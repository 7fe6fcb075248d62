"""Named data regimes: simulator settings that differ in what limits a reconstruction.

The default data answer one question; a method that wins there may win for a reason the default
happens to favour. Each regime here changes one family of knobs of :class:`SimulationConfig`:

- ``"default"``: today's ``SimulationConfig()``, untouched (fast TR 0.8 s, 64-channel EEG).
- ``"weak-eeg"``: the EEG says less about the BOLD: band-power coupling at half its gain, sensor
  noise and 1/f background from unrelated sources 2.5 times stronger.
- ``"slow-hrf"``: the haemodynamics decide: TR 2.0 s, the nonlinear Balloon–Windkessel model, and
  regional HRF latency differences of ±1–2 s across the cortex (SD 1.25 s; Handwerker et al. 2004).
- ``"sparse-eeg"``: the montage decides: 32 electrodes (``biosemi32``) instead of 64.

:func:`regime_config` gives a regime's configuration (with any overrides), :data:`REGIMES` describes
each in one line; :func:`neuroframes_edu.data.load_dataset` takes ``regime=`` and caches each regime
apart. The data card (``data/README.md``) says which real datasets each regime resembles.

No notebook uses them yet (the course runs on ``"default"``); ``benchmarks/ceilings.py`` compares them.
"""

from __future__ import annotations

from dataclasses import replace

from neuroframes_edu.simulate.session import SimulationConfig

#: Regime name → (one-line description, the SimulationConfig fields it changes from the default).
_SETTINGS: dict[str, tuple[str, dict]] = {
    "default": ("the course's data: TR 0.8 s, 64-channel EEG, Glover HRF, literature-based coupling", {}),
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
        One of :data:`REGIMES` (``"default"``, ``"weak-eeg"``, ``"slow-hrf"``, ``"sparse-eeg"``).
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
