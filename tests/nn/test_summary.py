"""layer_table: one forward pass, every module in call order with its output shape; hooks removed."""

from __future__ import annotations

import matplotlib
import pytest
import torch
from torch import nn

matplotlib.use("Agg")


class _Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.first = nn.Sequential(nn.Linear(4, 8), nn.ReLU())
        self.blocks = nn.ModuleList([nn.Linear(8, 8), nn.Linear(8, 8)])
        self.drop = nn.Dropout(0.5)
        self.last = nn.Linear(8, 2)

    def forward(self, x):
        x = self.first(x)
        for block in self.blocks:
            x = self.drop(block(x))
        return self.last(x)


def test_layer_table_records_calls_in_order_with_shapes_and_restores_the_model():
    from neuroframes_edu.nn import layer_table

    net = _Net().train()
    rows = layer_table(net, torch.randn(3, 4))
    names = [r["name"] for r in rows]
    assert names == ["first", "first.0", "first.1", "blocks.0", "drop", "blocks.1", "drop", "last"]
    assert rows[0]["output"] == (3, 8) and rows[-1]["output"] == (3, 2)
    assert rows[0]["parameters"] == 4 * 8 + 8 and rows[0]["depth"] == 1 and rows[3]["depth"] == 2
    assert net.training  # mode restored
    assert not any(m._forward_hooks or m._forward_pre_hooks for m in net.modules())  # hooks removed
    assert [r["name"] for r in layer_table(net, torch.randn(3, 4), depth=1)] == ["first", "drop", "drop", "last"]


def test_layer_table_removes_its_hooks_when_the_forward_pass_fails():
    from neuroframes_edu.nn import layer_table

    net = _Net()
    with pytest.raises(RuntimeError):
        layer_table(net, torch.randn(3, 5))  # wrong input size
    assert not any(m._forward_hooks or m._forward_pre_hooks for m in net.modules())
    with pytest.raises(TypeError, match="model"):
        layer_table("not a model", torch.randn(3, 4))


def test_plot_architecture_draws_one_column_per_top_level_module():
    from neuroframes_edu.nn import layer_table
    from neuroframes_edu.plotting import plot_architecture

    rows = layer_table(_Net(), torch.randn(3, 4))
    fig = plot_architecture(rows, inputs={"x": (3, 4)}, title="net")
    text = " ".join(t.get_text() for t in fig.axes[0].texts)
    for expected in ("inputs", "first: Sequential", "blocks.0: Linear", "drop: Dropout ×2", "last: Linear", "(3, 2)"):
        assert expected in text
    with pytest.raises(ValueError, match="layer_table"):
        plot_architecture([{"name": "x"}])
