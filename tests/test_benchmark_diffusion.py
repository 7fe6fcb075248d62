"""The diffusion benchmark: the table of its variants and the baselines beside them."""

from __future__ import annotations

import json

import pytest

from benchmarks.diffusion import VARIANTS, main, write_results


def _rows(subject, offset):
    base = {"subject": subject, "seed": 0}
    rows = [{**base, "method": "baselines", "source ridge r": 0.47 + offset, "source ridge r clean": 0.6,
             "50% missing, window 10: linear interpolation": 0.4, "50% missing, window 10: GP low-rank (16)": 0.17,
             "anchors at window ends, K = 10: linear interpolation": 0.45,
             "anchors at window ends, K = 10: GP low-rank (16)": 0.27}]
    for i, name in enumerate(list(VARIANTS)[:2]):
        rows.append({**base, "method": name, "train_seconds": 100.0, "best_epoch": 30, "epochs_trained": 45,
                     "autoencoder_error": 0.3, "r mean": 0.4 + i / 10 + offset, "r mean clean": 0.5, "r one": 0.3,
                     "coverage 50 clean": 0.4, "coverage 90 clean": 0.8,
                     "50% missing, window 10: DDNM in the sampler": 0.3,
                     "anchors at window ends, K = 10: DDNM in the sampler": 0.35,
                     "ms per window, 10 steps": 10.0, "ms per window, 50 steps": 50.0})
    return rows


def test_table_averages_subjects_and_names_the_baselines(tmp_path):
    settings = {"subjects": [1, 2], "variants": list(VARIANTS)[:2], "epochs": 150, "samples": 16, "steps": 20,
                "seed": 0}
    json_path, md_path = write_results(_rows("01", 0.0) + _rows("02", 0.02), 60.0, settings, tmp_path)
    assert len(json.loads(json_path.read_text())["results"]) == 6
    text = md_path.read_text()
    first = next(iter(VARIANTS))
    assert f"| {first} | 0.300 | 0.410 (0.500) | 0.300 | 0.40 / 0.80 | 0.300 | 0.350 | 100 | 30 | 10 / 50 |" in text
    assert "the source ridge's EEG-only r 0.480 (0.600)" in text
    assert "linear interpolation 0.400, low-rank temporal GP 0.170" in text
    assert "Mean of 2 subject(s)" in text and "python -m benchmarks.diffusion" in text


def test_unknown_variants_are_refused():
    with pytest.raises(SystemExit):
        main(["--variants", "x0-prediction"])


def test_a_regime_gets_its_own_files_and_says_which(tmp_path):
    settings = {"subjects": [1], "variants": list(VARIANTS)[:2], "epochs": 150, "samples": 16, "steps": 20,
                "seed": 0, "regime": "slow-hrf"}
    json_path, md_path = write_results(_rows("01", 0.0), 60.0, settings, tmp_path)
    assert json_path.name == "diffusion-slow-hrf.json" and md_path.name == "diffusion-slow-hrf.md"
    text = md_path.read_text()
    assert "the **slow-hrf** regime (haemodynamics decide" in text
    assert "`python -m benchmarks.diffusion --regime slow-hrf`" in text
    with pytest.raises(SystemExit):
        main(["--regime", "underwater"])


def test_add_refuses_a_record_measured_otherwise(tmp_path):
    settings = {"subjects": [1, 2], "variants": list(VARIANTS)[:2], "epochs": 150, "samples": 16, "steps": 20,
                "seed": 0, "regime": "default"}
    write_results(_rows("01", 0.0) + _rows("02", 0.02), 60.0, settings, tmp_path)
    with pytest.raises(SystemExit):  # fewer samples than the record: not comparable
        main(["--add", "--samples", "8", "--variants", list(VARIANTS)[2], "--output", str(tmp_path)])
    with pytest.raises(SystemExit):  # nothing to add to
        main(["--add", "--variants", list(VARIANTS)[2], "--output", str(tmp_path / "empty")])
