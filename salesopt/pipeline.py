"""From file bytes to Stage 2 figures: read, import, map stages, classify, analyze.

The one path both the app and ``salesopt analyze`` take, so they give the same figures."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from salesopt import stages as stage_mapping
from salesopt.benchmarks import BenchmarkSet
from salesopt.crm import ImportResult, import_opportunities, read_table
from salesopt.funnel import Analysis, WinRateBasis, analyze, cohorts
from salesopt.stages import StageMap


@dataclass
class Result:
    imported: ImportResult
    stage_map: StageMap
    deals: pd.DataFrame  # classified: status, stage_index, furthest
    analysis: Analysis

    def cohort(self, key: str) -> pd.DataFrame:
        return cohorts(self.deals, key)


def load(
    raw: bytes,
    name: str,
    *,
    overrides: Mapping[str, str] | None = None,
    dayfirst: bool = False,
    history: tuple[bytes, str] | None = None,
) -> ImportResult:
    hist_table = read_table(history[0], history[1]) if history else None
    return import_opportunities(read_table(raw, name), overrides, dayfirst=dayfirst, history=hist_table, name=name)


def stage_map_for(
    imported: ImportResult, order: Sequence[str] | None = None, won: Sequence[str] = (), lost: Sequence[str] = ()
) -> StageMap:
    deals = imported.deals
    if order:
        return stage_mapping.from_names(order, won, lost)
    probs = deals[["stage", "probability"]].dropna() if "probability" in deals else None
    detected = stage_mapping.detect(deals["stage"], probs, imported.history)
    if won or lost:
        order_ = [s for s in detected.order if s not in detected.won and s not in set(won)]
        notes = tuple(n for n in detected.notes if "won stage" not in n and (not won or "order" not in n))
        return StageMap((*order_, *won), frozenset(won) or detected.won, frozenset(lost) or detected.lost, notes)
    return detected


def evaluate(
    imported: ImportResult,
    stage_map: StageMap,
    *,
    target: float | None = None,
    closed_only: bool = False,
    basis: WinRateBasis = "closed",
    benchmark: BenchmarkSet | None = None,
) -> Result:
    deals = stage_mapping.classify(imported.deals, stage_map, imported.history)
    unknown = deals["stage_index"].isna() & (deals["status"] == "open")
    analysis = analyze(
        deals[~unknown],
        stage_map,
        target=target,
        closed_only=closed_only,
        win_rate_basis=basis,
        benchmark=benchmark,
        history=imported.history,
    )
    if unknown.any():
        names = ", ".join(sorted(deals.loc[unknown, "stage"].astype(str).unique())[:5])
        analysis.warnings.insert(
            0,
            f"{int(unknown.sum()):,} open deal(s) in stages outside the funnel ({names}): "
            "left out; add those stages on the stage mapping screen (or --stages)",
        )
    analysis.warnings[:0] = list(stage_map.notes)
    return Result(imported, stage_map, deals[~unknown].reset_index(drop=True), analysis)
