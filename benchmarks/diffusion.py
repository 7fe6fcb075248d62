"""The paper's diffusion model: its variants measured, beside the baselines it has to beat.

Per subject of the default data (session 1 trains, session 2 stops training early, session 3 tests;
scored on ico3, reading the band power of an eLORETA inverse built from session 1), for each variant of
:func:`neuroframes_edu.training.train_diffusion` — the paper's ε-prediction or v-prediction, the frame
autoencoder by PCA or by gradient descent, classifier-free guidance or none, 64 or 32 frame latents,
EEG tokens from band-power features or from the course's EEG encoder (the rest as
:class:`~neuroframes_edu.nn.DiffusionConfig`'s defaults):

- **autoencoder**: the share of the test session's frames it loses (relative squared error);
- **EEG only**: temporal r of the mean of ``--samples`` samples and of one sample, against the
  measurements and (in brackets) the noise-free BOLD; the source ridge beside it;
- **completion inside the sampler** (DDNM, measured volumes kept exactly): MSE against the noise-free
  BOLD on the hidden volumes, 50% missing in windows of 10 and the paper's anchors at the ends of
  windows of 10; linear interpolation and the low-rank temporal GP beside it;
- **calibration**: coverage of the noise-free BOLD by the samples' central 50% and 90% intervals;
- **cost**: training seconds, best epoch, milliseconds per window of 10 frames at 10 and 50 DDIM steps.

Run from the repository root: ``python -m benchmarks.diffusion`` (``--epochs 20 --subjects 1`` for a
quick check; ``--variants NAME --add`` measures one more variant into the record already written).
Writes ``benchmarks/results/diffusion.json`` and ``.md``. ``--regime slow-hrf`` (any regime of
:data:`neuroframes_edu.simulate.REGIMES`) simulates the subjects' three sessions in that regime instead
(10 minutes each, on its own mesh) and writes ``diffusion-<regime>.json`` and ``.md``: do the defaults
hold where the data differ?
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

from benchmarks.common import peak_mib, write_record

RESULTS = Path(__file__).resolve().parent / "results"
#: Variant name → (train_diffusion options, sampling guidance).
VARIANTS = {
    "v, PCA autoencoder (default)": ({}, 1.0),
    "ε (the paper's), PCA autoencoder": ({"prediction": "epsilon"}, 1.0),
    "v, trained autoencoder": ({"autoencoder": "gradient"}, 1.0),
    "v, PCA autoencoder, guidance 2": ({}, 2.0),
    "v, PCA autoencoder, 32 latents": ({"frame_latent_dim": 32}, 1.0),
    "v, PCA autoencoder, EEG encoder tokens (the paper's)": ({"tokens": "encoder"}, 1.0),
}


def measure_subject(recordings, variants, epochs: int, n_samples: int, steps: int, seed: int = 0) -> list[dict]:
    """One subject's sessions 1–3: a row per variant, and one for the baselines."""
    from neuroframes_edu.baselines import RidgeFingerprint
    from neuroframes_edu.evaluation import _interpolate_window
    from neuroframes_edu.metrics import interval_coverage, mse, temporal_r
    from neuroframes_edu.nullspace import in_windows, window_end_anchors
    from neuroframes_edu.smoothing import TemporalGP
    from neuroframes_edu.sources import make_source_imaging
    from neuroframes_edu.surface import load_mesh, resample_operator
    from neuroframes_edu.training import TrainConfig, prepare_session, sample_session, train_diffusion

    mesh = load_mesh("ico3")
    train_rec, val_rec, test_rec = recordings[:3]
    imaging = make_source_imaging([train_rec.raw], mesh, method="eLORETA")
    train, val, test = (prepare_session(r, mesh=mesh).with_sources(r, imaging) for r in (train_rec, val_rec, test_rec))
    to_mesh = resample_operator(test_rec.load_mesh(), mesh)
    u = test.usable
    times, y = test.times[u], test.bold[u].astype(np.float64)
    clean = test.standardized((to_mesh @ test_rec.truth.bold_clean.T).T)[u]
    rng = np.random.default_rng(seed)
    masks = {"50% missing, window 10": ("missing", rng.random(len(times)) >= 0.5),  # known: half, at random
             "anchors at window ends, K = 10": ("anchors", window_end_anchors(len(times), 10))}
    ridge = RidgeFingerprint().fit(train.sources_at(train.times[train.valid]), train.bold[train.valid])
    source_pred = ridge.predict(test.sources_at(times))
    gp = TemporalGP(rank=16, seed=seed).fit([train.bold.astype(np.float64)], [train.times], [train.valid])
    base = {"subject": test_rec.subject, "seed": seed}
    rows = [{**base, "method": "baselines", "source ridge r": float(temporal_r(source_pred, y).mean()),
             "source ridge r clean": float(temporal_r(source_pred, clean).mean()),
             **{f"{name}: {label}": mse(in_windows(fill, 10, times, y, known)[~known], clean[~known])
                for name, (_, known) in masks.items()
                for label, fill in (("linear interpolation", lambda t, m, k: _interpolate_window(t, m, k, "linear")),
                                    ("GP low-rank (16)", lambda t, m, k: gp.predict(t, m, k)))}}]
    for name in variants:
        options, guidance = VARIANTS[name]
        start = time.perf_counter()
        config = TrainConfig(epochs=epochs, lr=1e-3, batch_size=16, patience=15, seed=seed, progress=False)
        model, result = train_diffusion([train], [val], mesh=mesh, config=config, seed=seed, ridge=ridge, **options)
        train_seconds = time.perf_counter() - start
        row = {**base, "method": name, "train_seconds": train_seconds, "best_epoch": result.best_epoch,
               "epochs_trained": len(result.history),
               "autoencoder_error": model.autoencoder.reconstruction_error(test.bold[test.valid])}
        drawn = sample_session(model, test, frame_times=times, n_samples=n_samples, steps=steps, guidance=guidance,
                               seed=seed, last="short").astype(np.float64)
        row.update({"r mean": float(temporal_r(drawn.mean(0), y).mean()),
                    "r mean clean": float(temporal_r(drawn.mean(0), clean).mean()),
                    "r one": float(temporal_r(drawn[0], y).mean()),
                    **{f"coverage {round(100 * q)} clean": c for q, c in interval_coverage(drawn, clean).items()}})
        for setting, (_, known) in masks.items():
            filled = sample_session(model, test, frame_times=times, known=known, measured=y, n_samples=n_samples,
                                    steps=steps, guidance=guidance, exact=True, seed=seed, last="short").mean(0)
            row[f"{setting}: DDNM in the sampler"] = mse(filled[~known], clean[~known])
        for n_steps in (10, 50):
            start = time.perf_counter()
            sample_session(model, test, frame_times=times[:80], steps=n_steps, seed=seed)
            row[f"ms per window, {n_steps} steps"] = 1000 * (time.perf_counter() - start) / 8
        rows.append(row)
        print(json.dumps({k: round(v, 4) if isinstance(v, float) else v for k, v in row.items()}), flush=True)
    return rows


def write_results(rows: list[dict], seconds: float, args: dict, folder: Path = RESULTS) -> tuple[Path, Path]:
    """Write the JSON record and the Markdown tables (means over subjects)."""
    from neuroframes_edu._utils.atomic import atomic_write_text

    regime = args.get("regime", "default")
    name = "diffusion" if regime == "default" else f"diffusion-{regime}"
    record, json_path, md_path = write_record(folder, name, seconds, settings=args, results=rows)

    def mean(method, key):
        values = [r[key] for r in rows if r["method"] == method and key in r]
        return float(np.mean(values)) if values else float("nan")

    variants = [m for m in dict.fromkeys(r["method"] for r in rows) if m != "baselines"]
    n = len({r["subject"] for r in rows})
    lines = ["| variant | autoencoder loses | EEG-only r, mean of samples | one sample | coverage 50 / 90 "
             "| 50% missing, window 10 | anchors, K = 10 | training (s) | best epoch | ms per window (10 / 50 "
             "steps) |", "|---|---|---|---|---|---|---|---|---|---|"]
    for v in variants:
        missing, anchors = (mean(v, f"{s}: DDNM in the sampler") for s in (
            "50% missing, window 10", "anchors at window ends, K = 10"))
        lines.append(f"| {v} | {mean(v, 'autoencoder_error'):.3f} | {mean(v, 'r mean'):.3f} "
                     f"({mean(v, 'r mean clean'):.3f}) | {mean(v, 'r one'):.3f} | {mean(v, 'coverage 50 clean'):.2f} / "
                     f"{mean(v, 'coverage 90 clean'):.2f} | {missing:.3f} | {anchors:.3f} | "
                     f"{mean(v, 'train_seconds'):.0f} | {mean(v, 'best_epoch'):.0f} | "
                     f"{mean(v, 'ms per window, 10 steps'):.0f} / {mean(v, 'ms per window, 50 steps'):.0f} |")
    b = "baselines"
    lines += ["", f"Beside it: the source ridge's EEG-only r {mean(b, 'source ridge r'):.3f} "
              f"({mean(b, 'source ridge r clean'):.3f}); MSE against the noise-free BOLD on the hidden volumes, 50% "
              f"missing in windows of 10: linear interpolation "
              f"{mean(b, '50% missing, window 10: linear interpolation'):.3f}, low-rank temporal GP "
              f"{mean(b, '50% missing, window 10: GP low-rank (16)'):.3f}; anchors at the ends of windows of 10: "
              f"linear interpolation {mean(b, 'anchors at window ends, K = 10: linear interpolation'):.3f}, GP "
              f"{mean(b, 'anchors at window ends, K = 10: GP low-rank (16)'):.3f}.", "",
              *([] if regime == "default" else [f"Data: the **{regime}** regime ({_regime_text(regime)}), "
                                                  "three sessions of 10 minutes simulated per subject.", ""]),
              f"Mean of {n} subject(s), seed {args['seed']}: trained on session 1 (early stopping on session 2, at "
              f"most {args['epochs']} epochs, learning rate 1e-3), tested on session 3, on ico3; {args['samples']} "
              f"samples per window, {args['steps']} DDIM steps. EEG-only r is against the measurements (in "
              "brackets: the noise-free BOLD); completion MSE and coverage are against the noise-free BOLD. The "
              "autoencoder column is the share of the test frames' sum of squares it loses.", "",
              f"Measured {record['date']} on {record['machine']['platform']} ({record['machine']['processor']}) in "
              f"{record['seconds'] / 60:.1f} min. Command: `python -m benchmarks.diffusion"
              f"{'' if regime == 'default' else ' --regime ' + regime}`."]
    atomic_write_text(md_path, "\n".join(lines) + "\n")
    return json_path, md_path


def _regime_text(regime: str) -> str:
    from neuroframes_edu.simulate import REGIMES

    return REGIMES[regime]


def regime_sessions(regime: str, subject: int, seed: int = 0, duration: float = 600.0) -> list:
    """Sessions 1–3 of one subject simulated in ``regime`` (as ``benchmarks.ceilings`` does)."""
    from neuroframes_edu.simulate import regime_config, simulate_session
    from neuroframes_edu.surface import load_mesh

    config = regime_config(regime, duration=duration)
    mesh = load_mesh(config.mesh)
    return [simulate_session(config, seed=seed, subject=subject, session=s, mesh=mesh) for s in (1, 2, 3)]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subjects", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=list(VARIANTS))
    parser.add_argument("--epochs", type=int, default=150, help="at most this many epochs (early stopping)")
    parser.add_argument("--samples", type=int, default=16)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--output", type=Path, default=RESULTS)
    from neuroframes_edu.simulate import REGIMES

    parser.add_argument("--regime", default="default", choices=list(REGIMES),
                        help="simulate the sessions in this data regime (default: the course's embedded data)")
    parser.add_argument("--add", action="store_true",
                        help="add these variants to the record already written (same subjects, epochs, samples, "
                             "steps, seed and regime), replacing earlier rows of the same variants")
    args = parser.parse_args(argv)
    previous = None
    if args.add:
        name = "diffusion" if args.regime == "default" else f"diffusion-{args.regime}"
        path = args.output / f"{name}.json"
        if not path.is_file():
            parser.error(f"--add needs the record {path}; run without --add first")
        previous = json.loads(path.read_text())
        same = {k: previous["settings"].get(k, "default" if k == "regime" else None)
                for k in ("subjects", "epochs", "samples", "steps", "seed", "regime")}
        asked = {k: getattr(args, k) for k in same}
        if same != asked:
            parser.error(f"--add must measure as the record did: it has {same}, this run would use {asked}")
    from neuroframes_edu.data import load_dataset

    start = time.perf_counter()
    dataset = load_dataset(progress=True) if args.regime == "default" else None
    rows = []
    for subject in args.subjects:
        recordings = ([r for r in dataset if r.subject == f"{subject:02d}"] if dataset is not None
                      else regime_sessions(args.regime, subject, args.seed))
        rows += measure_subject(recordings, args.variants, args.epochs, args.samples, args.steps, args.seed)
        print(f"peak {peak_mib():.0f} MiB", flush=True)
    settings = {k: getattr(args, k) for k in ("subjects", "variants", "epochs", "samples", "steps", "seed",
                                              "regime")}
    seconds = time.perf_counter() - start
    if previous is not None:  # keep the earlier variants; the baselines, deterministic, come from this run
        kept = [r for r in previous["results"] if r["method"] not in args.variants and r["method"] != "baselines"]
        new = [r for r in rows if r["method"] != "baselines"]
        rows = [r for r in rows if r["method"] == "baselines"] + kept + new
        settings["variants"] = list(dict.fromkeys([*previous["settings"]["variants"], *args.variants]))
        seconds += previous["seconds"]
    json_path, md_path = write_results(rows, seconds, settings, args.output)
    print(f"wrote {json_path} and {md_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
