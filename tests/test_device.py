"""Device selection (neuroframes_edu.device)."""

from __future__ import annotations

import pytest
import torch

from neuroframes_edu.device import select_device


def test_auto_and_cpu():
    assert select_device("cpu") == torch.device("cpu")
    expected = "cuda" if torch.cuda.is_available() else None
    assert select_device("auto").type in ({expected} if expected else {"mps", "cpu"})
    assert select_device(None) == select_device("auto")


@pytest.mark.parametrize("bad", ["gpu", "tpu", "", "CPU"])
def test_unknown_device_names_the_choices(bad):
    with pytest.raises(ValueError, match="device must be one of auto, cuda, mps, cpu"):
        select_device(bad)


def test_non_string_device():
    with pytest.raises(ValueError, match="device must be a string"):
        select_device(0)


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has CUDA")
def test_cuda_requested_without_gpu_says_how_to_fix():
    with pytest.raises(RuntimeError, match="no CUDA GPU.*device='auto' or 'cpu'"):
        select_device("cuda")


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_cuda_selected_when_available():
    assert select_device("auto").type == "cuda"
