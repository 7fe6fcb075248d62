"""The learning-curve benchmark: its summary over subjects and the table it writes."""

from __future__ import annotations

import json

import pytest

from benchmarks.learning_curve import METHODS, main, summarise, write_results


def _rows(subject, offset):
    return [{"subject": subject, "sessions": k, "minutes": 10.0 * k, "method": m, "n_features": 10, "alpha": 1.0,
             "r_measured": 0.1 * k + i / 100 + offset, "r_clean": 0.2 * k + offset, "seconds": 1.0,
             "inverse_seconds": 1.0, **({"best_epoch": k - 1, "epochs": 5} if m == "model" else {})}
            for k in (1, 2) for i, m in enumerate(METHODS)]


def test_summary_and_table(tmp_path):
    summary = summarise(_rows("01", 0.0) + _rows("02", 0.02))
    first = summary[0]
    assert (first["sessions"], first["method"], first["n_subjects"]) == (1, "channel ridge", 2)
    assert first["r_measured"] == pytest.approx(0.11) and first["r_measured sd"] == pytest.approx(0.01)
    json_path, md_path = write_results(_rows("01", 0.0) + _rows("02", 0.02), 12.0, tmp_path)
    assert json.loads(json_path.read_text())["summary"] == summary
    text = md_path.read_text()
    assert "| training sessions | channel ridge | source ridge | model | EEG-information ceiling |" in text
    assert "| 2 | 0.210 ± 0.010 (0.410) | 0.220 ± 0.010 (0.410) |" in text
    assert ("5 epochs; the epoch it kept: 0–1; in 4 fits no epoch beat its source-ridge start (epoch 0) 2 times, "
            "and the first epoch was the best 2 times") in text


def test_sessions_beyond_the_dataset_are_refused():
    with pytest.raises(SystemExit):
        main(["--sessions", "7"])


def test_the_model_is_averaged_over_subjects_and_seeds(tmp_path):
    rows = _rows("01", 0.0) + _rows("02", 0.02)
    extra = [{**r, "seed": 1, "r_measured": r["r_measured"] + 0.04} for r in rows if r["method"] == "model"]
    summary = summarise(rows + extra)
    model = next(s for s in summary if s["sessions"] == 1 and s["method"] == "model")
    ridge = next(s for s in summary if s["sessions"] == 1 and s["method"] == "channel ridge")
    assert (model["n_subjects"], model["n_runs"], ridge["n_runs"]) == (2, 4, 2)
    assert model["r_measured"] == pytest.approx((0.12 + 0.14 + 0.16 + 0.18) / 4)
    text = write_results(rows + extra, 12.0, tmp_path)[1].read_text()
    assert "mean ± sd over 2 subject(s) (the model: 4 runs, 2 seeds per subject)" in text
