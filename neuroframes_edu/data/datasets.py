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

from neuroframes_edu._utils.atomic import atomic_folder
from neuroframes_edu.data.folder import load_recording, save_recording
from neuroframes_edu.data.recording import Recording
from neuroframes_edu.simulate import (
    SIMULATOR_VERSION,
    SimulationConfig,
    config_hash,
    regime_config,
    simulate_dataset,
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
                 regime: str | None = None) -> list[Recording]:
    """Simulated sessions for ``n_subjects × n_sessions``, from the cache when they were made before.

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

    Returns
    -------
    list of Recording
        Simulated recordings, each with its ground truth (``rec.truth``).

    Raises
    ------
    ValueError
        For an unknown regime, or both ``regime`` and ``config``.

    Examples
    --------
    >>> sessions = load_dataset(1, 1, regime="slow-hrf")  # doctest: +SKIP
    >>> sessions[0].tr  # doctest: +SKIP
    2.0
    """
    from neuroframes_edu._utils.validation import check_int, check_type

    n_subjects = check_int(n_subjects, "n_subjects", minimum=1)
    n_sessions = check_int(n_sessions, "n_sessions", minimum=1)
    seed = check_int(seed, "seed", minimum=0)
    check_type(config, (SimulationConfig, None), "config", hint="e.g. SimulationConfig(mesh='ico3', duration=60)")
    if regime is not None:
        if config is not None:
            raise ValueError(f"pass regime={regime!r} or config=, not both; to change a regime's settings pass "
                             f"config=regime_config({regime!r}, **overrides)")
        config = regime_config(regime)  # refuses unknown names, listing the known ones
    config = config or SimulationConfig()
    if not cache:
        return simulate_dataset(n_subjects, n_sessions, config, seed=seed, progress=progress)
    key = config_hash(config, n_subjects=n_subjects, n_sessions=n_sessions, seed=seed, version=SIMULATOR_VERSION)
    from neuroframes_edu._utils.validation import check_folder

    root = check_folder(cache_dir or data_dir() / "cache", "cache_dir",
                        "give a folder for the cache (it is created if missing), or cache=False")
    folder = root / f"sim-{key}"
    names = [f"sub-{s:02d}_ses-{r:02d}" for s in range(1, n_subjects + 1) for r in range(1, n_sessions + 1)]
    if folder.is_dir() and all((folder / n / "recording.json").is_file() for n in names):
        try:
            return [load_recording(folder / n) for n in names]
        except Exception as exc:
            import warnings

            warnings.warn(f"the cached data in {folder} could not be read ({type(exc).__name__}: {exc}); simulating "
                          "them again and replacing that cache entry (the cache holds only generated data: deleting "
                          "it is always safe)", RuntimeWarning, stacklevel=2)
    # Replace only an entry found unusable just now. One that appears while we simulate was written
    # by a concurrent run (two DDP ranks, two notebooks): it is identical, so keep it. Replacing it
    # would move it away under a process that is reading it.
    unusable = folder.is_dir()
    sessions = simulate_dataset(n_subjects, n_sessions, config, seed=seed, progress=progress)
    try:
        with atomic_folder(folder, overwrite=unusable) as tmp:
            for name, sim in zip(names, sessions, strict=True):
                save_recording(sim, tmp / name)
    except FileExistsError:
        if not folder.is_dir():  # not a concurrent run's entry: something else blocks the path
            raise
        # the concurrent run's entry, complete (folders are moved into place whole)
    except OSError:
        return sessions  # a read-only or full disk: the data are still returned, only not cached
    # read back what was cached, so a first run and every later run see exactly the same objects
    return [load_recording(folder / n) for n in names]
