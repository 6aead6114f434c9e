"""From file bytes to Stage 2 figures: read, import, map stages, classify, analyze.

The one path both the app and ``salesopt analyze`` take, so they give the same figures."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from salesopt import stages as stage_mapping
from salesopt.benchmarks import BenchmarkSet
from salesopt.crm import ImportResult, import_opportunities, read_table
from salesopt.frameworks import ScoringModel
from salesopt.funnel import Analysis, WinRateBasis, analyze, cohorts, loss_counts, pipeline_by_stage
from salesopt.opportunity_scoring import calibration, score_open_deals, size_band
from salesopt.stages import StageMap


@dataclass
class Result:
    """One evaluation. Treat as immutable: the app shares it between reruns, so the summaries
    below are computed once and remembered (a rerun on a million rows must not redo them)."""

    imported: ImportResult
    stage_map: StageMap
    deals: pd.DataFrame  # classified: status, stage_index, furthest
    analysis: Analysis
    _memo: dict[tuple, Any] = field(default_factory=dict, repr=False, compare=False)

    def _remember(self, key: tuple, make: Callable[[], Any]) -> Any:
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]

    def cohort(self, key: str) -> pd.DataFrame:
        return self._remember(("cohort", key), lambda: cohorts(self.deals, key))

    def stages_seen(self) -> list[str]:
        """Every stage value in the import, in stage-map order first."""
        return self._remember(
            ("stages",),
            lambda: list(
                dict.fromkeys(
                    [
                        *self.stage_map.order,
                        *sorted(self.stage_map.lost),
                        *(str(s) for s in pd.unique(self.imported.deals["stage"].dropna())),
                    ]
                )
            ),
        )

    def pipeline_by_stage(self) -> pd.DataFrame:
        return self._remember(("pipeline",), lambda: pipeline_by_stage(self.deals, self.stage_map.funnel))

    def losses(self, column: str, blanks: str | None = "(not given)") -> pd.DataFrame:
        return self._remember(("losses", column, blanks), lambda: loss_counts(self.deals, column, blanks))

    def scored(self, model: ScoringModel) -> pd.DataFrame:
        return self._remember(("scored", model.id, hash(model)), lambda: score_open_deals(self.deals, model))

    def calibration(self, min_closed: int) -> pd.DataFrame:
        return self._remember(("calibration", min_closed), lambda: calibration(self.deals, self.stage_map, min_closed))

    def has_values(self, column: str) -> bool:
        return self._remember(("has", column), lambda: column in self.deals and bool(self.deals[column].notna().any()))


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
    if "amount" in deals:
        deals["size_band"] = size_band(deals["amount"])
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
