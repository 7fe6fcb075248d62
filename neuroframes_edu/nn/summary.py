"""What a network does to its input, layer by layer: module, output shape and parameters, recorded
from one forward pass (the table behind :func:`neuroframes_edu.plotting.plot_architecture`).

Introduced in notebook 04.
"""

from __future__ import annotations

import torch
from torch import nn


def _shape(out) -> tuple | None:
    if isinstance(out, torch.Tensor):
        return tuple(out.shape)
    if isinstance(out, (tuple, list)) and out and isinstance(out[0], torch.Tensor):
        return tuple(out[0].shape)
    return None


def layer_table(model: nn.Module, *inputs, depth: int = 3) -> list[dict]:
    """Run ``model(*inputs)`` once and record every module down to ``depth`` levels, in the order
    they ran.

    Parameters
    ----------
    model : torch.nn.Module
    *inputs
        What ``model`` is called with (for the course's model, one ``FrameBatch``).
    depth : int
        1: the model's direct children (encoder, recurrence, decoder); 2: their children as well; and so on.

    Returns
    -------
    list of dict
        One row per call: ``name`` (dotted path), ``kind`` (class name), ``depth``, ``output``
        (the output's shape, or ``None``) and ``parameters`` (the module's own and its children's,
        counted once per module). A module called several times has one row per call.

    Notes
    -----
    The pass runs under ``torch.no_grad()`` in evaluation mode (no dropout); the model's training mode
    is restored and every hook removed afterwards, also when the forward pass fails.
    """
    from neuroframes_edu._utils.validation import check_int, check_type

    check_type(model, nn.Module, "model")
    depth = check_int(depth, "depth (1: the model's children; 2: theirs too)", minimum=1)
    rows, hooks = [], []
    for name, module in model.named_modules():
        level = name.count(".") + 1 if name else 0
        if 1 <= level <= depth:
            open_rows = []  # this module's calls that have started and not finished (recursion-safe)

            def before(mod, _inputs, name=name, level=level, open_rows=open_rows):
                rows.append({"name": name, "kind": type(mod).__name__, "depth": level, "output": None,
                             "parameters": sum(p.numel() for p in mod.parameters())})
                open_rows.append(rows[-1])  # rows in call order: a module before the modules it calls

            def after(_mod, _inputs, out, open_rows=open_rows):
                open_rows.pop()["output"] = _shape(out)

            hooks += [module.register_forward_pre_hook(before), module.register_forward_hook(after)]
    was_training = model.training
    try:
        model.eval()
        with torch.no_grad():
            model(*inputs)
    finally:
        for h in hooks:
            h.remove()
        model.train(was_training)
    return rows
