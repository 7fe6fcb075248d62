"""The completion-by-regime benchmark: its verdict and the table it writes."""

from __future__ import annotations

import json

from benchmarks.completion_regimes import METHODS, verdict, write_results


def _rows():
    rows = []
    for regime, plain in (("default", 0.3), ("weak-eeg", 0.6)):
        for method in METHODS:
            value = {"plain DDNM": plain, "interpolated residuals": 0.5}.get(method, 0.4)
            rows.append({"regime": regime, "subject": 1, "seed": 0, "setting": "50% missing, window 10",
                         "method": method, "mse_clean": value, "mse": 1.0 - value})
    return rows


def test_verdict_counts_each_regime_and_setting_once(tmp_path):
    assert verdict(_rows()) == {"mse_clean": {"plain wins": 1, "GP beats both": 1, "of": 2},
                                "mse": {"plain wins": 1, "GP beats both": 0, "of": 2}}
    json_path, md_path = write_results(_rows(), 30.0, tmp_path)
    assert json.loads(json_path.read_text())["verdict"]["mse_clean"]["plain wins"] == 1
    text = md_path.read_text()
    assert "| weak-eeg | 50% missing, window 10 | 0.500 (0.500) | 0.600 (0.400) | 0.400 (0.600) |" in text
    assert "closer to the truth in 1 of 2" in text and "than both in 1 of 2" in text
