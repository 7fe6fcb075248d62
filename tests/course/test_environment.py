"""The environment report (neuroframes_edu.course.environment)."""

from __future__ import annotations

import torch

from neuroframes_edu.course.environment import CORE_PACKAGES, environment_report
from neuroframes_edu.device import select_device


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
