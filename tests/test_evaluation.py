"""The evaluation harness: every task and method, exact measured volumes, tables over seeds."""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest

from neuroframes_edu.evaluation import ORACLE, EvaluationConfig, evaluate_recordings, results_markdown, summary_table
from neuroframes_edu.simulate import SimulationConfig, simulate_session


@cache
def sessions():
    cfg = SimulationConfig(mesh="ico3", duration=60.0, sfreq=100.0)
    return tuple(simulate_session(cfg, seed=0, subject=1, session=s) for s in (1, 2, 3))


@cache
def run(seed=0, full=True):
    """Every method (``full``), or the quick ones only: no source ridge, one window."""
    config = EvaluationConfig(epochs=1, missing_fractions=(0.5,), windows=(3, 10) if full else (3,),
                              anchor_windows=(3,), source_method="eLORETA" if full else None)
    return evaluate_recordings(*sessions(), config, seed=seed)


def test_every_task_and_method_is_scored():
    rows, models = run()
    assert set(models) == {"model", "model + temporal coherence"}
    tasks = {(r["task"], r["method"]) for r in rows}
    for method in ("mean frame", "ridge", "source ridge", "model", "model + temporal coherence", ORACLE):
        assert ("eeg_only", method) in tasks
    for method in ("linear interpolation", "cubic interpolation", "ridge + completion", "source ridge + completion",
                   "model + completion", "model + DDNM (mask)", "model + temporal coherence + DDNM (mask)", "GP",
                   "GP low-rank (16)", "GP + source ridge mean", "GP + source ridge mean, measured kept (λ = 1)",
                   "source ridge + completion, noise-aware λ"):
        assert ("missing", method) in tasks
        if "DDNM" not in method and "λ" not in method:
            assert ("superres", method) in tasks
    assert {r["setting"] for r in rows if r["task"] == "missing"} == {
        "50% missing, window 3", "50% missing, window 10", "anchors at window ends, K = 3"}
    missing = {(r["setting"], r["method"]): r for r in rows if r["task"] == "missing"}
    plain, weighed = (missing["50% missing, window 3", m] for m in ("source ridge + completion",
                                                                    "source ridge + completion, noise-aware λ"))
    assert weighed["mse"] == plain["mse"]  # hidden volumes as completed …
    assert weighed["mse_clean_measured"] != plain["mse_clean_measured"]  # … measured ones weighed by their noise
    # the paper's metrics (MSE, r, cosine), whole cortex and per region, in every missing-volume setting
    for r in missing.values():
        assert -1 <= r["cosine"] <= 1 and -1 <= r["cosine_clean"] <= 1
        assert r["mse_clean/early_visual"] > 0 and -1 <= r["temporal_r/auditory"] <= 1
    eeg_only = {r["method"]: r for r in rows if r["task"] == "eeg_only"}
    assert eeg_only[ORACLE]["eeg_ceiling_fraction"] == pytest.approx(1.0)
    assert eeg_only["ridge"]["eeg_ceiling_fraction"] < 1.0
    assert ("decoding", "real fMRI") in tasks and ("decoding", "chance") in tasks
    for r in rows:
        values = [v for k, v in r.items() if k not in ("subject", "recording", "seed", "mesh", "task", "setting",
                                                      "method")]
        assert all(np.isfinite(values)), r


def test_completion_keeps_measured_volumes_exactly():
    rows, _ = run()
    for r in rows:
        # GPs and noise-aware completion weigh the measured volumes by their noise
        smoothed = (r["method"].startswith("GP") and "λ = 1" not in r["method"]) or "noise-aware" in r["method"]
        if r["task"] in ("missing", "superres") and "interpolation" not in r["method"] and not smoothed:
            assert r["max_error_measured"] == 0.0, r
        if r["task"] == "missing":
            assert r["measurement_noise"] > 0


def test_tables_average_over_seeds():
    rows = run(0)[0] + run(1, full=False)[0]
    table = summary_table(rows)
    assert ("eeg_only", "all volumes", "ridge") in table.index
    assert "temporal_r sd" in table.columns
    text = results_markdown(rows)
    assert "### EEG-only reconstruction" in text and "±" in text and "| 50% missing, window 3 |" in text
    region = text.split("### The paper's protocol by region")[1]
    assert "| mse_clean | cosine_clean | cosine | mse_clean/early_visual |" in region
    assert "| anchors at window ends, K = 3 |" in region and "| 50% missing" not in region
    # an older record, without the paper's metrics in its missing-volume rows: no empty columns, no region table
    older = [{k: v for k, v in r.items() if r["task"] != "missing" or not k.startswith(("cosine", "mse_clean/",
                                                                                       "temporal_r/"))}
             for r in rows]
    text = results_markdown(older)
    assert "nan" not in text and "### The paper's protocol by region" not in text
    assert "| mse | mse_clean | temporal_r | max_error_measured |" in text


def test_bad_arguments():
    with pytest.raises(ValueError, match="missing_fractions"):
        EvaluationConfig(missing_fractions=(1.5,))
    with pytest.raises(ValueError, match="windows"):
        EvaluationConfig(windows=(1,))
    with pytest.raises(ValueError, match="anchor_windows"):
        EvaluationConfig(anchor_windows=(2,))
    with pytest.raises(ValueError, match="source_method"):
        EvaluationConfig(source_method="beamformer")
    with pytest.raises(ValueError, match=r"models\[0\] must be one of \('model', 'model \+ temporal coherence'\)"):
        EvaluationConfig(models=("transformer",))
    with pytest.raises(TypeError, match=r"models must be a tuple or list.*\('model',\)"):
        EvaluationConfig(models="model")
    with pytest.raises(ValueError, match="names a model twice"):
        EvaluationConfig(models=("model", "model"))
    train, val, test = sessions()
    with pytest.raises(ValueError, match="overlap in time"):
        evaluate_recordings(train, train, test, EvaluationConfig(epochs=1))
    with pytest.raises(ValueError, match="overlap in time"):
        evaluate_recordings(train, val, train, EvaluationConfig(epochs=1))


def test_several_test_recordings_are_pooled_but_never_windowed_across():
    """Interpolation and completion look along time within one recording; two test sessions (whose clocks
    both start at 0) are pooled only when scored."""
    cfg = SimulationConfig(mesh="ico3", duration=60.0, sfreq=100.0)
    fourth = simulate_session(cfg, seed=0, subject=1, session=4)
    train, val, test = sessions()
    rows, models = evaluate_recordings(train, val, [test, fourth], EvaluationConfig(
        epochs=1, missing_fractions=(0.5,), windows=(3,), anchor_windows=(3,), source_method=None,
        models=("model",)), seed=0)
    assert {r["recording"] for r in rows} == {f"{test.name}, {fourth.name}"}
    assert set(models) == {"model"} and not any("coherence" in r["method"] for r in rows)  # only the model asked for
    missing = {r["method"]: r for r in rows if r["task"] == "missing"}
    assert np.isfinite([r["mse"] for r in missing.values()]).all()
    assert missing["linear interpolation"]["max_error_measured"] < 1e-12
    assert missing["model + completion"]["max_error_measured"] == 0.0


def test_the_diffusion_model_is_scored_in_the_same_harness():
    from neuroframes_edu.evaluation import DIFFUSION, DIFFUSION_ONE

    config = EvaluationConfig(epochs=1, missing_fractions=(0.5,), windows=(3,), anchor_windows=(4,),
                              source_method=None, diffusion={"epochs": 1, "n_samples": 3, "steps": 2, "width": 16,
                                                             "depth": 1, "heads": 2, "frame_latent_dim": 8})
    rows, _ = evaluate_recordings(*sessions(), config, seed=0)
    by = {(r["task"], r["setting"], r["method"]): r for r in rows}
    assert ("eeg_only", "all volumes", DIFFUSION) in by and ("eeg_only", "all volumes", DIFFUSION_ONE) in by
    for setting in ("50% missing, window 3", "anchors at window ends, K = 4"):
        exact = by["missing", setting, "diffusion + DDNM in the sampler"]
        assert exact["max_error_measured"] < 1e-5  # measured volumes kept (the final projection in vertex space)
        assert by["missing", setting, "diffusion + DDNM+ in the sampler"]["max_error_measured"] > 1e-3
    superres = [r for (task, _, method), r in by.items() if task == "superres" and method.startswith("diffusion")]
    assert len(superres) == 1 and superres[0]["method"] == "diffusion + DDNM in the sampler"
    assert superres[0]["max_error_measured"] < 1e-5 and np.isfinite(superres[0]["mse_clean"])
    cover = by["uncertainty", "EEG only", DIFFUSION]
    assert 0 <= cover["coverage_50"] <= cover["coverage_90"] <= 1 and cover["spread"] > 0
    assert 0 <= cover["coverage_90_clean"] <= 1
    cost = by["cost", "per (subject, seed)", "diffusion"]
    assert cost["train_seconds"] > 0 and cost["ms_per_window_50_steps"] > cost["ms_per_window_10_steps"] > 0
    text = results_markdown(rows)
    assert "### Uncertainty of the diffusion model" in text and "### Cost of the diffusion model" in text
    with pytest.raises(ValueError, match="diffusion must be a dict of options or None.*known options"):
        EvaluationConfig(diffusion={"widht": 3})
