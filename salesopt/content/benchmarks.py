"""Benchmark sets (frameworks/benchmarks/*.yaml): look up the benchmark of a stage transition and
write a benchmark range as text, so no range is written in code."""

from __future__ import annotations

from typing import Literal

from salesopt.content.frameworks import BenchmarkSet, Range
from salesopt.report import fmt

__all__ = ["BenchmarkSet", "benchmark_note", "conversion_benchmark", "range_text"]


def _key(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


def conversion_benchmark(bench: BenchmarkSet, from_stage: str, to_stage: str) -> tuple[float, str] | None:
    """(value, source) of the benchmark for from_stage -> to_stage, matched by stage names."""
    a, b = _key(from_stage), _key(to_stage)
    for conv in bench.conversions:
        if a in {_key(s) for s in conv.from_stages} and b in {_key(s) for s in conv.to_stages}:
            return conv.value, conv.source
    return None


def range_text(r: Range | None, unit: Literal["percent", "times"]) -> str | None:
    """A benchmark range as text: '20-30%' (fractions 0.2-0.3), '3-5x'; None without a range."""
    if r is None:
        return None
    if unit == "percent":
        return f"{fmt.percent(r.low).removesuffix('%')}-{fmt.percent(r.high)}"
    return f"{fmt.number(r.low, 1).removesuffix('.0')}-{fmt.number(r.high, 1).removesuffix('.0')}x"


def benchmark_note(bench: BenchmarkSet | None, figure: Literal["win_rate", "coverage"]) -> str:
    """' Benchmark 20-30% (B2B software, illustrative).' for a figure, read from the chosen
    benchmark file; empty when no benchmark is chosen or the file has no range for it."""
    if bench is None:
        return ""
    text = range_text(getattr(bench, figure), "percent" if figure == "win_rate" else "times")
    return f" Benchmark {text} ({bench.title})." if text else ""
