"""The ceilings benchmark: its per-regime summary and the Markdown table it writes."""

from __future__ import annotations

import json

import pytest

from benchmarks.ceilings import METHODS, main, summarise, write_results


def _row(regime, subject, r):
    return {"regime": regime, "subject": subject, "seed": 0, "duration_s": 600.0, "sim_mesh": "ico4",
            "score_mesh": "ico3", "tr": 0.8, "eeg_channels": 64, "simulate_seconds": 5.0, "seconds": 30.0,
            **{f"{m}/{k}": r + i / 10 for i, m in enumerate(METHODS) for k in ("r_measured", "r_clean")},
            "noise_ceiling": 0.7, "noise_ceiling_usable": 0.71, "model/best_epoch": subject - 1, "model/epochs": 5,
            "model/lr": 3e-4}


def test_summary_averages_subjects_and_the_table_has_a_row_per_regime(tmp_path):
    rows = [_row("default", 1, 0.3), _row("default", 2, 0.1), _row("weak-eeg", 1, 0.0), _row("weak-eeg", 2, 0.0)]
    summary = summarise(rows)
    assert [s["regime"] for s in summary] == ["default", "weak-eeg"]
    assert summary[0]["channel ridge/r_measured"] == pytest.approx(0.2)
    assert summary[0]["source ridge/r_measured"] == pytest.approx(0.3)
    assert summary[0]["model/r_measured"] == pytest.approx(0.4)
    assert summary[0]["EEG-information ceiling/r_clean"] == pytest.approx(0.5)
    assert summary[0]["simulate_seconds"] == 10.0 and summary[0]["n_subjects"] == 2
    json_path, md_path = write_results(rows, 60.0, tmp_path)
    assert json.loads(json_path.read_text())["summary"] == summary
    text = md_path.read_text()
    assert ("| default | 0.8 | 64 | 10.0 | 0.200 (0.200) | 0.300 (0.300) | 0.400 (0.400) | 1.333 (1.333) | "
            "0.500 (0.500) | 0.600 (0.600) | 0.700 |") in text
    assert "in 4 fits it kept its start (epoch 0) 2 times, and its best epoch was 0–1" in text
    assert "**weak-eeg**:" in text and "python -m benchmarks.ceilings" in text


def test_unknown_regimes_are_refused():
    with pytest.raises(SystemExit):
        main(["--regimes", "noisy"])
