"""Device selection and the environment report."""

from __future__ import annotations

import pytest
import torch

from neuroframes_edu.device import select_device
from neuroframes_edu.environment import CORE_PACKAGES, environment_report


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


def test_report_lists_versions_and_device():
    report = environment_report()
    assert set(report.packages) == set(CORE_PACKAGES)
    assert report.packages["torch"] == torch.__version__
    assert report.device == select_device("auto").type
    text = report.to_markdown()
    assert "| torch |" in text and "| Device |" in text
    assert "torch" in str(report)


def test_report_marks_missing_packages():
    report = environment_report(packages=("numpy", "a_package_that_is_not_installed"))
    assert report.packages["a_package_that_is_not_installed"] == "not installed"
