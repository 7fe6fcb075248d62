"""The benchmark entry point: cost measurements and the Markdown it writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.run import PRESETS, _scaling_exponent, markdown, mesh_cost, nullspace_cost


def test_mesh_cost_measures_training_inference_and_both_gcn_paths():
    cost = mesh_cost("ico3")
    assert cost["n_vertices"] == 1284
    for key in ("train_step_s", "inference_frames_per_s", "gcn_layer_edge_index_ms", "gcn_layer_sparse_ms",
                "peak_memory_mib"):
        assert cost[key] > 0, key


def test_nullspace_cost_covers_every_size_and_operator():
    import math

    rows = nullspace_cost(vertices=(2_000, 8_000), frames=(8, 16))
    assert len(rows) == 8 and all(r["seconds"] > 0 for r in rows)
    assert {(r["operator"], r["n_frames"], r["n_vertices"]) for r in rows} == {
        (op, t, v) for op in ("frame mask", "blurred decimation") for t in (8, 16) for v in (2_000, 8_000)}
    for operator in ("frame mask", "blurred decimation"):  # the slope itself is a benchmark result, not a test
        assert math.isfinite(_scaling_exponent(rows, operator))


def test_markdown_has_every_section():
    rows = [{"subject": 1, "seed": s, "mesh": "ico3", "task": "eeg_only", "setting": "all volumes", "method": m,
             "temporal_r": 0.1 * s, "mse": 1.0} for s in (0, 1) for m in ("ridge", "model")]
    rows += [{"subject": 1, "seed": s, "mesh": "ico3", "task": "missing", "setting": "50% missing, window 3",
              "method": "linear interpolation", "mse": 0.5, "measurement_noise": 0.4} for s in (0, 1)]
    record = {"preset_name": "fast", "preset": PRESETS["fast"],
              "runs": [{"subject": 1, "seeds": [0, 1], "seconds": 60.0}], "rows": rows,
              "mesh_cost": [mesh_cost("ico3")], "nullspace_cost": nullspace_cost((2_000, 8_000), (8,)),
              "date": "2026-11-24", "machine": "test", "versions": {"torch": "x", "neuroframes_edu": "y"},
              "seconds": 60.0}
    text = markdown(record)
    for part in ("### EEG-only reconstruction", "### Missing volumes", "### Cost per mesh",
                 "### Null-space projection cost", "log–log slope", "python -m benchmarks.run --preset fast"):
        assert part in text, part
    assert "0.050 ± 0.050" in text
    assert "subject 1 seeds 0, 1: 60 s" in text
    assert "trained on 1 session of 10 minutes per subject (validation on session 2, test on session 3)" in text
    full = markdown({**record, "preset_name": "full", "preset": PRESETS["full"]})
    assert "trained on 6 sessions of 10 minutes per subject (validation on session 7, test on session 8)" in full


def test_parts_of_a_run_merge_into_one_record_and_never_twice():
    from benchmarks.run import merge_records

    def part(subject, seed):
        return {"preset_name": "full", "preset": dict(PRESETS["full"], subjects=[subject], seeds=[seed]),
                "config": {"mesh": "ico4"}, "machine": "gpu", "date": "2026-11-26",
                "runs": [{"subject": subject, "seed": seed, "seconds": 200.0}],
                "rows": [{"subject": subject, "seed": seed, "task": "eeg_only"}], "mesh_cost": [], "nullspace_cost": [],
                "seconds": 200.0}

    merged = merge_records([part(1, 0), part(2, 0)])
    assert merged["preset"]["subjects"] == [1, 2] and merged["preset"]["seeds"] == [0]
    assert merged["seconds"] == 400.0 and len(merged["rows"]) == 2 and merged["parts"] == 2
    with pytest.raises(ValueError, match="twice"):
        merge_records([part(1, 0), part(1, 0)])
    other = part(2, 0)
    other["config"] = {"mesh": "ico3"}
    with pytest.raises(ValueError, match="different presets"):
        merge_records([part(1, 0), other])


def test_presets_name_every_setting():
    from benchmarks.run import split_sessions

    for preset in PRESETS.values():
        assert len(preset["seeds"]) >= 3 and preset["mesh"] in ("ico3", "ico4", "ico5")
        assert preset["train_sessions"] >= 1
    assert PRESETS["full"]["train_sessions"] == 6  # an hour of training data: where the learning curve passes 0.55
    train, val, test = split_sessions(list("abcdefgh"), 6)
    assert (train, val, test) == (list("abcdef"), "g", "h")
    assert split_sessions(list("abc"), 1) == (["a"], "b", "c")  # the fast preset: the default dataset as it is
    with pytest.raises(ValueError, match="6 training sessions need 8 sessions"):
        split_sessions(list("abc"), 6)
    with pytest.raises(SystemExit):
        from benchmarks.run import main

        main(["--preset", "nonexistent"])


def test_temporal_coherence_targets_read_both_namings_and_average_a_task():
    from benchmarks.run import targets

    def rows(coherent, plain, r_with, mse_with):
        out = [{"task": "eeg_only", "setting": "all volumes", "method": m, "temporal_r": r}
               for m, r in ((coherent, r_with), (plain, 0.5))]
        for i, setting in enumerate(("50% missing, window 3", "50% missing, window 10")):
            out += [{"task": "missing", "setting": setting, "method": f"{m} + completion", "mse_clean": v}
                    for m, v in ((coherent, mse_with[i]), (plain, 1.0))]
            out.append({"task": "missing", "setting": setting, "method": "linear interpolation", "mse_clean": 1.2})
        return out

    for coherent, plain in (("model + temporal coherence", "model"), ("model", "model (no coherence)")):
        goals = [g for g in targets(rows(coherent, plain, 0.51, (0.9, 1.06)))
                 if g["target"].startswith("temporal coherence")]
        eeg, task = goals
        assert "EEG-only r gain" in eeg["target"] and eeg["measured"] == 0.02 and eeg["met"]
        # one setting gains 10%, the other loses 6%: the task's mean (2%) decides, not its best setting
        assert "over the 2 settings of the best task (missing; largest single setting 0.100)" in task["target"]
        assert task["measured"] == 0.02
    # no gain: met only where coherence has already left the default model (the newer naming), and said so
    for coherent, plain, left in (("model + temporal coherence", "model", True),
                                  ("model", "model (no coherence)", False)):
        goals = [g for g in targets(rows(coherent, plain, 0.5, (1.0, 1.0))) if g["target"].startswith("temporal")]
        assert all(g["met"] == left for g in goals)
        assert all(("left the default" in g.get("how", "")) == left for g in goals)


def test_a_target_met_another_way_says_how():
    from benchmarks.run import _met

    assert _met({"met": False}) == "**no**" and _met({"met": True}) == "yes"
    assert _met({"met": True, "how": "left the default"}) == "yes: left the default"


def test_exactness_target_counts_exact_completions_only():
    from benchmarks.run import targets

    def row(method, error):
        return {"task": "missing", "setting": "50% missing, window 3", "method": method, "max_error_measured": error}

    rows = [row("model + completion", 0.0), row("diffusion + DDNM in the sampler", 4.8e-7),
            row("diffusion + DDNM+ in the sampler", 4.6), row("source ridge + completion, noise-aware λ", 3.5)]
    goal = next(g for g in targets(rows) if g["target"].startswith("λ = 1"))
    assert goal["met"] and goal["measured"] == 0.0  # DDNM+ and noise-aware rows weigh measurements by design
    goal = next(g for g in targets([*rows, row("model + DDNM (mask)", 0.01)]) if g["target"].startswith("λ = 1"))
    assert not goal["met"]


def test_the_diffusion_model_runs_in_both_presets_and_the_markdown_says_how():
    from benchmarks.run import _diffusion_sentence

    assert PRESETS["fast"]["diffusion"] == {} and PRESETS["full"]["diffusion"]["steps"] == 50
    text = _diffusion_sentence({"diffusion": {"width": 64}})
    assert "`DiffusionConfig` with width=64" in text and "at most 100 epochs at learning rate 0.001" in text
    assert "8 samples per window with 20 DDIM steps" in text
    assert _diffusion_sentence({"diffusion": None}) == "" and _diffusion_sentence({}) == ""


def test_the_results_page_summary_matches_its_record(tmp_path):
    """The committed caption is the one the committed record gives (a rerun of the benchmark that did
    not redraw it would leave the page's first numbers stale), and its verdicts agree with the targets."""
    import shutil

    from benchmarks import summary
    from benchmarks.run import targets

    results = Path(summary.RESULTS)
    shutil.copy(results / "run-fast.json", tmp_path / "run-fast.json")
    png, md = summary.write(tmp_path / "run-fast.json")
    assert md.read_text(encoding="utf-8") == (results / "summary-fast.md").read_text(encoding="utf-8")
    assert png.stat().st_size > 20_000
    record = json.loads((results / "run-fast.json").read_text(encoding="utf-8"))
    goals = {g["target"]: g for g in targets(record["rows"])}
    best = goals["EEG-only temporal r (best EEG method)"]
    caption = md.read_text(encoding="utf-8")
    assert f"the target (≥ {summary.EEG_TARGET}) is {'met' if best['met'] else 'not met'}" in caption
    k10 = next(g for name, g in goals.items() if name.startswith("anchors at window ends, K = 10"))
    import re

    shown = float(re.search(r"is (\d+\.\d+) × linear interpolation", caption).group(1))
    assert abs(shown - k10["measured"]) <= 0.0051  # the table rounds to 3 decimals, the caption to 2
    assert f"the target (≤ {summary.COMPLETION_TARGET}) is {'met' if k10['met'] else 'not met'}" in caption


@pytest.mark.parametrize("preset", ["fast", "full"])
def test_the_committed_tables_are_those_of_the_committed_record(preset):
    from benchmarks import summary

    results = Path(summary.RESULTS)
    record = json.loads((results / f"run-{preset}.json").read_text(encoding="utf-8"))
    assert (results / f"run-{preset}.md").read_text(encoding="utf-8") == markdown(record), (
        f"run-{preset}.md is stale: regenerate it from run-{preset}.json (benchmarks.run._write)")


def test_the_data_cards_calibration_table_is_the_committed_record():
    """The data card's table is what benchmarks/calibration.py wrote from the committed record, never edited by
    hand, and it covers every regime and every statistic the library checks."""
    from benchmarks.calibration import DATA_CARD, LABELS, data_card_block
    from benchmarks.calibration import markdown as calibration_markdown
    from neuroframes_edu.simulate import LITERATURE, REGIMES

    record = json.loads((Path(__file__).resolve().parents[1] / "benchmarks" / "results" / "calibration.json")
                        .read_text(encoding="utf-8"))
    assert data_card_block(DATA_CARD.read_text(encoding="utf-8")) == calibration_markdown(record)
    assert [s["regime"] for s in record["summary"]] == list(REGIMES)
    assert set(LABELS) == set(LITERATURE)
    default = record["summary"][0]
    for key, lit in LITERATURE.items():  # the committed default lies inside every target, as the unit test checks
        assert lit["range"][0] <= default[key] <= lit["range"][1], key


def test_the_course_copies_of_benchmark_records_are_current():
    from benchmarks.course_records import course_copy
    from neuroframes_edu.course.records import RECORDS, load_record

    for name in RECORDS:
        assert load_record(name) == course_copy(name), (
            f"neuroframes_edu/course/records/{name}.json differs from benchmarks/results/{name}.json: run "
            "python -m benchmarks.course_records")
    with pytest.raises(ValueError, match="name"):
        load_record("run-fast")


def test_the_course_time_table_says_whether_the_target_is_met():
    from benchmarks.course_time import RESULTS, TARGET_SECONDS
    from benchmarks.course_time import markdown as course_markdown

    def notebooks(seconds):
        return [{"notebook": f"0{i}_x", "seconds": s, "status": "ok" if s else "failed"} for i, s in enumerate(seconds)]

    record = {"date": "2026-11-27", "versions": {"neuroframes_edu": "0.x"}, "cpus": 2, "target_seconds": TARGET_SECONDS,
              "passes": [{"caches": "empty caches", "notebooks": notebooks([300.0, 100.0]), "total_seconds": 400.0},
                         {"caches": "filled caches", "notebooks": notebooks([250.0, 0.0]), "total_seconds": 250.0}]}
    text = course_markdown(record)
    assert "| notebook | empty caches | filled caches |" in text
    assert "| 00_x | 300 s | 250 s |" in text and "| 01_x | 100 s | 0 s (failed) |" in text
    assert "| **total** | **400 s** | **250 s** |" in text and "| target met (≤ 360 s) | **no** | yes |" in text
    assert "median" not in text  # one run from empty caches: nothing to summarise
    runs = [{"caches": f"empty caches, run {i + 1}", "notebooks": notebooks([t]), "total_seconds": t}
            for i, t in enumerate((300.0, 400.0, 350.0))]
    record["passes"] = [*runs, record["passes"][1]]
    text = course_markdown(record)
    assert "| notebook | empty caches, run 1 | empty caches, run 2 | empty caches, run 3 | filled caches |" in text
    assert "From empty caches: 3 runs, 300–400 s, median 350 s; 2 of 3 within the target." in text
    record["passes"][0]["notebooks"] = notebooks([0.0])  # a run that failed early is short, yet not a success
    text = course_markdown(record)
    assert ("From empty caches: 3 runs, 350–400 s, median 375 s of the 2 that ran every notebook; 1 of 3 within "
            "the target (1 with a failed notebook).") in text
    committed = RESULTS / "course_time.json"
    if committed.is_file():  # the committed table is that of the committed record
        record = json.loads(committed.read_text(encoding="utf-8"))
        assert (RESULTS / "course_time.md").read_text(encoding="utf-8") == course_markdown(record)
