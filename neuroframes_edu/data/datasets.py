"""The course's default data: simulated sessions, generated on first use and cached on disk.

``load_dataset()`` with no arguments gives the default dataset — 2 subjects × 3 sessions × 10 minutes
on fsaverage ico4 — generated in seconds and cached, so later notebooks load it instantly. The cache
lives in ``data/cache/`` of a source checkout, else in ``~/.cache/neuroframes-edu``; set the
``NEUROFRAMES_EDU_DATA`` environment variable to put it elsewhere. Deleting the cache is always safe.
``load_dataset(regime="weak-eeg")`` gives the same sessions in another named data regime
(:data:`neuroframes_edu.simulate.REGIMES`), cached apart.

Introduced in notebook 02.
"""

from __future__ import annotations

import os
from pathlib import Path

from neuroframes_edu.data.folder import load_recording, save_recording
from neuroframes_edu.data.recording import Recording
from neuroframes_edu.simulate import (
    SIMULATOR_VERSION,
    SimulationConfig,
    config_hash,
    regime_config,
    simulate_sessions,
)

#: The default dataset: what every notebook, test and benchmark runs on unless told otherwise.
DEFAULT_SUBJECTS = 2
DEFAULT_SESSIONS = 3
DEFAULT_SEED = 0


def data_dir() -> Path:
    """Folder under which generated data are cached (created on demand).

    ``$NEUROFRAMES_EDU_DATA`` if set; else ``data/`` of the source checkout this package runs from;
    else ``~/.cache/neuroframes-edu``.
    """
    env = os.environ.get("NEUROFRAMES_EDU_DATA")
    if env:
        return Path(env).expanduser()
    checkout = Path(__file__).resolve().parents[2] / "data"
    if (checkout / "README.md").is_file() and os.access(checkout, os.W_OK):
        return checkout
    return Path.home() / ".cache" / "neuroframes-edu"


def load_dataset(n_subjects: int = DEFAULT_SUBJECTS, n_sessions: int = DEFAULT_SESSIONS,
                 config: SimulationConfig | None = None, seed: int = DEFAULT_SEED, cache: bool = True,
                 cache_dir: str | Path | None = None, progress: bool = False,
                 regime: str | None = None, subjects=None) -> list[Recording]:
    """Simulated sessions for ``n_subjects × n_sessions`` (or the chosen ``subjects``), from the cache when
    they were made before.

    Parameters
    ----------
    n_subjects, n_sessions : int
        Dataset size; sessions are ordered by subject, then session.
    config : SimulationConfig, optional
        Defaults to ``SimulationConfig()``: 10 minutes at ico4, EEG at 250 Hz, TR 0.8 s. To change a
        regime's settings, pass ``config=regime_config(name, **overrides)`` instead of ``regime``.
    seed : int
        Master seed.
    cache : bool
        Read and write the on-disk cache; ``False`` always simulates afresh.
    cache_dir : path, optional
        Defaults to ``data_dir() / "cache"``.
    progress : bool
        Show a progress bar while simulating.
    regime : str, optional
        A named data regime (:data:`neuroframes_edu.simulate.REGIMES`: ``"default"``, ``"weak-eeg"``,
        ``"slow-hrf"``, ``"sparse-eeg"``); the same as ``config=regime_config(regime)``.
    subjects : sequence of int, optional
        Only these subjects (numbered from 1, as in ``sub-01``; at most ``n_subjects``), e.g. ``[1]``:
        the others are neither read nor simulated. Default all.

    Returns
    -------
    list of Recording
        Simulated recordings, each with its ground truth (``rec.truth``).

    Raises
    ------
    ValueError
        For an unknown regime, both ``regime`` and ``config``, or a subject outside ``1…n_subjects``.

    Notes
    -----
    Each session is cached on its own, under a folder named by the configuration, the seed and the
    simulator's version: a session depends on nothing else (not on how many others were asked for), so
    ``load_dataset(subjects=[1])`` and ``load_dataset()`` share subject 1's sessions.

    Examples
    --------
    >>> sessions = load_dataset(1, 1, regime="slow-hrf")  # doctest: +SKIP
    >>> sessions[0].tr  # doctest: +SKIP
    2.0
    """
    from neuroframes_edu._utils.validation import check_int, check_sequence, check_type

    n_subjects = check_int(n_subjects, "n_subjects", minimum=1)
    n_sessions = check_int(n_sessions, "n_sessions", minimum=1)
    seed = check_int(seed, "seed", minimum=0)
    check_type(config, (SimulationConfig, None), "config", hint="e.g. SimulationConfig(mesh='ico3', duration=60)")
    if subjects is None:
        subjects = tuple(range(1, n_subjects + 1))
    else:
        subjects = check_sequence(subjects, "subjects", lambda s, name: check_int(s, name, minimum=1))
        beyond = sorted(s for s in subjects if s > n_subjects)
        if beyond:
            raise ValueError(f"subjects {beyond} lie beyond n_subjects={n_subjects}; pass n_subjects={max(beyond)} "
                             "or more, or choose among the first n_subjects")
        if len(set(subjects)) != len(subjects):
            raise ValueError(f"subjects names a subject twice: {subjects!r}; name each once")
        subjects = tuple(sorted(subjects))
    if regime is not None:
        if config is not None:
            raise ValueError(f"pass regime={regime!r} or config=, not both; to change a regime's settings pass "
                             f"config=regime_config({regime!r}, **overrides)")
        config = regime_config(regime)  # refuses unknown names, listing the known ones
    config = config or SimulationConfig()
    pairs = [(s, r) for s in subjects for r in range(1, n_sessions + 1)]
    if not cache:
        return list(simulate_sessions(pairs, config, seed=seed, progress=progress))
    key = config_hash(config, seed=seed, version=SIMULATOR_VERSION)
    from neuroframes_edu._utils.validation import check_folder

    root = check_folder(cache_dir or data_dir() / "cache", "cache_dir",
                        "give a folder for the cache (it is created if missing), or cache=False")
    folder = root / f"sim-{key}"
    paths = {pair: folder / f"sub-{pair[0]:02d}_ses-{pair[1]:02d}" for pair in pairs}
    loaded, unusable = {}, set()
    for pair, path in paths.items():
        if (path / "recording.json").is_file():
            try:
                loaded[pair] = load_recording(path)
            except Exception as exc:
                import warnings

                warnings.warn(f"the cached data in {path} could not be read ({type(exc).__name__}: {exc}); "
                              "simulating them again and replacing that cache entry (the cache holds only generated "
                              "data: deleting it is always safe)", RuntimeWarning, stacklevel=2)
                unusable.add(pair)
    missing = [pair for pair in pairs if pair not in loaded]
    # each session is saved as soon as it is simulated: an interrupted run keeps what it finished
    simulated = simulate_sessions(missing, config, seed=seed, progress=progress) if missing else []
    for pair, sim in zip(missing, simulated, strict=True):
        # Replace only an entry found unusable just now. One that appears while we simulate was written
        # by a concurrent run (two DDP ranks, two notebooks): it is identical, so keep it. Replacing it
        # would move it away under a process that is reading it.
        try:
            save_recording(sim, paths[pair], overwrite=pair in unusable)
        except FileExistsError:
            if not paths[pair].is_dir():  # not a concurrent run's entry: something else blocks the path
                raise
            # the concurrent run's entry, complete (folders are moved into place whole)
        except OSError:
            loaded[pair] = sim  # a read-only or full disk: the data are still returned, only not cached
            continue
        # read back what was cached, so a first run and every later run see exactly the same objects
        loaded[pair] = load_recording(paths[pair])
    return [loaded[pair] for pair in pairs]

