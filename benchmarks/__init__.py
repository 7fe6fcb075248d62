"""Benchmarks of neuroframes-edu: each module is runnable with ``python -m benchmarks.<name>``."""
