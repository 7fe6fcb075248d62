"""``python -m neuroframes_edu.training`` — train on simulated data; works under ``torchrun`` (DDP).

Example (two processes on one machine, CPU)::

    torchrun --standalone --nproc_per_node 2 -m neuroframes_edu.training --mesh ico3 --epochs 2 --output model.pt
"""

from __future__ import annotations

import os
import sys

import torch

from neuroframes_edu._utils.validation import USER_ERRORS
from neuroframes_edu.device import DeviceUnavailableError


def main(argv=None) -> int:
    """``python -m neuroframes_edu.training`` — train on simulated data; works under ``torchrun``.

    Example (two processes on one machine, CPU)::

        torchrun --standalone --nproc_per_node 2 -m neuroframes_edu.training --mesh ico3 --epochs 2 --output model.pt
    """
    import argparse

    def positive(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if value < 1:
            raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
        return value

    parser = argparse.ArgumentParser(description="Train the neural-frames model on simulated sessions.")
    parser.add_argument("--model", choices=("gcn", "diffusion"), default="gcn",
                        help="the course's graph-convolutional model, or the paper's latent diffusion model")
    parser.add_argument("--mesh", default="ico4")
    parser.add_argument("--regime", default="default",
                        help="simulated data regime (neuroframes_edu.simulate.REGIMES; default: calibrated)")
    parser.add_argument("--duration", type=float, default=600.0, help="session length (s) of the simulated data")
    parser.add_argument("--subject", type=positive, default=1, help="train on session 1, validate on session 2")
    parser.add_argument("--epochs", type=positive, default=10)
    parser.add_argument("--n-frames", type=positive, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--device", default="auto")
    parser.add_argument("--output", default=None, help="checkpoint path (written by rank 0)")
    parser.add_argument("--overwrite", action="store_true", help="replace --output if it exists")
    parser.add_argument("--debug", action="store_true", help="show the Python traceback of an error")
    args = parser.parse_args(argv)
    try:
        return _train(args, parser)
    except (*USER_ERRORS, DeviceUnavailableError) as exc:  # one line that says what went wrong, not a traceback
        if args.debug:
            raise
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _train(args, parser) -> int:
    import torch.distributed as dist

    from neuroframes_edu.data.datasets import load_dataset
    from neuroframes_edu.simulate import regime_config
    from neuroframes_edu.training import TrainConfig, prepare_session, train_diffusion, train_model

    if args.output and not args.overwrite and os.path.exists(args.output):  # before any training
        parser.error(f"--output {args.output} already exists; pass --overwrite to replace it, or choose another name")

    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world > 1 and not dist.is_initialized():
        backend = "nccl" if torch.cuda.is_available() and args.device in ("auto", "cuda") else "gloo"
        dist.init_process_group(backend=backend)
    try:
        sessions = load_dataset(n_subjects=args.subject, n_sessions=2,
                                config=regime_config(args.regime, mesh=args.mesh, duration=args.duration),
                                seed=args.seed)
        mine = [s for s in sessions if s.subject == f"{args.subject:02d}"]
        prepared = [prepare_session(s) for s in mine]
        # the initial weights are seeded (DDP then copies rank 0's to every rank)
        config = TrainConfig(epochs=args.epochs, n_frames=args.n_frames, seed=args.seed, device=args.device,
                             checkpoint=args.output, overwrite=args.overwrite, progress=False)
        recipe = train_diffusion if args.model == "diffusion" else train_model
        model, result = recipe(prepared[:1], prepared[1:2], ridge_start=False, config=config)
        rank = dist.get_rank() if dist.is_initialized() else 0
        checksum = sum(float(p.detach().double().sum()) for p in model.parameters())
        # One write per line: the ranks share stdout, and print() writes the text and its newline
        # separately when Python runs unbuffered, so two ranks' lines could run into each other.
        sys.stdout.write(f"rank {rank}/{world}: best epoch {result.best_epoch}, val loss "
                         f"{result.best_val_loss:.4f}, {result.seconds_per_epoch:.1f} s/epoch, "
                         f"parameter checksum {checksum:.6f}\n")
        sys.stdout.flush()
    finally:
        if dist.is_initialized():
            dist.destroy_process_group()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
