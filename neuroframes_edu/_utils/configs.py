"""JSON round trips of the frozen configuration dataclasses (simulation, model): tuples become lists
on the way out and lists become tuples on the way back, and unknown keys are refused."""

from __future__ import annotations

from dataclasses import asdict, fields


def config_to_dict(config) -> dict:
    """A JSON-ready dictionary of a configuration dataclass."""
    return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(config).items()}


def config_from_dict(cls, data: dict):
    """Rebuild ``cls`` from :func:`config_to_dict` output.

    Raises
    ------
    ValueError
        If ``data`` has keys that are not fields of ``cls``.
    """
    if not isinstance(data, dict):
        raise TypeError(f"{cls.__name__}.from_dict needs a dict of its fields (as to_dict() gives), got "
                        f"{type(data).__name__} {data!r:.60}")
    known = {f.name: f for f in fields(cls)}
    unknown = set(data) - set(known)
    if unknown:
        raise ValueError(f"unknown {cls.__name__} fields {sorted(unknown)}; known: {sorted(known)}")
    values = {k: tuple(v) if isinstance(v, list) and str(known[k].type).startswith("tuple") else v
              for k, v in data.items()}
    return cls(**values)
