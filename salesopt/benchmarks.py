"""Benchmark sets (frameworks/benchmarks/*.yaml): look up the benchmark of a stage transition."""

from __future__ import annotations

from salesopt.frameworks import BenchmarkSet

__all__ = ["BenchmarkSet", "conversion_benchmark"]


def _key(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


def conversion_benchmark(bench: BenchmarkSet, from_stage: str, to_stage: str) -> tuple[float, str] | None:
    """(value, source) of the benchmark for from_stage -> to_stage, matched by stage names."""
    a, b = _key(from_stage), _key(to_stage)
    for conv in bench.conversions:
        if a in {_key(s) for s in conv.from_stages} and b in {_key(s) for s in conv.to_stages}:
            return conv.value, conv.source
    return None
