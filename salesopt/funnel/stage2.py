"""From file bytes to Stage 2 figures: read, import, map stages, classify, analyze.

The one path both the app and ``salesopt analyze`` take, so they give the same figures. The
figures are computed by DuckDB over the imported table (:mod:`salesopt.funnel.sql`); the app's
charts and small tables read the classified deals as a DataFrame, built only when asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Mapping, Sequence
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar, cast

from salesopt.crm import ImportResult, import_opportunities, read_table
from salesopt.crm.importer import frame as to_frame
from salesopt.crm.read import read_path
from salesopt.funnel.sql import (
    Analysis,
    Options,
    WinRateBasis,
    analyze_sql,
    classified_sql,
    cohort_rows,
    loss_rows,
)
from salesopt.funnel.stages import StageMap, detect, from_names

if TYPE_CHECKING:  # pandas and the content schemas are loaded only when asked for
    import pandas as pd

    from salesopt.content.frameworks import BenchmarkSet, ScoringModel

T = TypeVar("T")


class Result:
    """One evaluation. Immutable: the app shares it between reruns, so the summaries below are
    computed once and remembered (a rerun on a million rows must not redo them)."""

    def __init__(self, imported: ImportResult, stage_map: StageMap, analysis: Analysis, classified: str) -> None:
        self.imported = imported
        self.stage_map = stage_map
        self.analysis = analysis
        self.classified = classified  # SQL over the import's tables
        self._memo: dict[tuple[Hashable, ...], object] = {}

    def _remember(self, key: tuple[Hashable, ...], make: Callable[[], T]) -> T:
        """``make()`` once per key; a key's first part names the method, so one key always holds
        one type of value."""
        if key not in self._memo:
            self._memo[key] = make()
        return cast(T, self._memo[key])

    @cached_property
    def fields(self) -> tuple[str, ...]:
        return tuple(r[0] for r in self.imported.sql(f"describe {self.classified}").fetchall())

    @cached_property
    def deals(self) -> pd.DataFrame:
        """The classified deals as a DataFrame (status, stage_index, lost_at_stage, furthest,
        furthest_closed and size_band beside the imported columns)."""
        import pandas as pd

        from salesopt.funnel.scoring import size_band

        frame = to_frame(self.imported.relation(f"select * from ({self.classified}) order by line"))
        frame["status"] = pd.Categorical(frame["status"], categories=["open", "won", "lost"])
        if "amount" in frame:
            frame["size_band"] = size_band(frame["amount"])
        return frame

    def columns(self, *names: str, where: str = "true") -> pd.DataFrame:
        """Some columns of the classified deals as a DataFrame (cheaper than :attr:`deals` on a
        million rows: a page that needs five columns does not build twenty)."""
        present = tuple(n for n in names if n in self.fields)

        def make() -> pd.DataFrame:
            import pandas as pd

            frame = to_frame(
                self.imported.relation(
                    f"select {', '.join(present)} from {self.classified} where {where} order by line"
                )
            )
            if "status" in frame:
                frame["status"] = pd.Categorical(frame["status"], categories=["open", "won", "lost"])
            return frame

        return self._remember(("columns", present, where), make)

    def _sized(self) -> str:
        """The classified deals with their deal size band (size_band) as a column."""
        from salesopt.funnel.scoring import SIZE_BANDS

        if "amount" not in self.fields:
            return self.classified
        whens = " ".join(
            f"when amount >= {low} and amount < {high if high != float('inf') else 1e300} then '{label}'"
            for low, high, label in SIZE_BANDS
        )
        return f"(select *, case {whens} end as size_band from {self.classified})"

    def cohort_rows(self, key: str) -> list[dict[str, Any]]:
        money = not self.imported.report.mixed_currency
        if key == "size_band":
            fields = (*self.fields, "size_band") if "amount" in self.fields else self.fields
            return self._remember(
                ("cohort_rows", key), lambda: cohort_rows(self.imported.con, self._sized(), key, fields, money)
            )
        return self._remember(
            ("cohort_rows", key), lambda: cohort_rows(self.imported.con, self.classified, key, self.fields, money)
        )

    def cohort(self, key: str) -> pd.DataFrame:
        from salesopt.funnel.analysis import cohort_frame

        return self._remember(("cohort", key), lambda: cohort_frame(self.cohort_rows(key), key))

    def stages_seen(self) -> list[str]:
        """Every stage value in the import, in stage-map order first."""
        return self._remember(
            ("stages",),
            lambda: list(
                dict.fromkeys([*self.stage_map.order, *sorted(self.stage_map.lost), *stage_values(self.imported)])
            ),
        )

    def pipeline_by_stage(self) -> pd.DataFrame:
        """Open deals per funnel stage: stage, count, value (0 without amounts), in funnel order."""
        order = {s: i for i, s in enumerate(self.stage_map.funnel)}
        amount = "amount" if "amount" in self.fields and not self.imported.report.mixed_currency else "0.0"

        def make() -> pd.DataFrame:
            import pandas as pd

            rows = self.imported.sql(
                f"select stage, count(*), coalesce(sum({amount}), 0) from {self.classified} "
                "where status = 'open' group by 1"
            ).fetchall()
            rows.sort(key=lambda r: (order.get(r[0], len(order)), r[0]))
            return pd.DataFrame(rows, columns=["stage", "count", "value"])

        return self._remember(("pipeline",), make)

    def losses(self, column: str, blanks: str | None = "(not given)") -> pd.DataFrame:
        from salesopt.funnel.analysis import loss_frame

        return self._remember(
            ("losses", column, blanks),
            lambda: loss_frame(loss_rows(self.imported.con, self.classified, column, blanks)),
        )

    def scoring_frame(self, model: ScoringModel) -> pd.DataFrame:
        """The columns opportunity scoring reads: identity, stage, amount and each criterion's field."""
        base = ("status", "opportunity_id", "name", "owner", "stage", "amount", "line")
        # open deals are scored; won deals' amounts set relative thresholds; lost deals play no part
        return self.columns(*dict.fromkeys([*base, *(c.field for c in model.criteria)]), where="status <> 'lost'")

    def scored(self, model: ScoringModel) -> pd.DataFrame:
        from salesopt.funnel.scoring import score_open_deals

        currency = self.imported.report.currency
        return self._remember(
            ("scored", model.id, hash(model)), lambda: score_open_deals(self.scoring_frame(model), model, currency)
        )

    def calibration(self, min_closed: int) -> pd.DataFrame:
        from salesopt.funnel.scoring import calibration

        frame = self.columns("status", "furthest", "furthest_closed", "stage", "probability")
        return self._remember(("calibration", min_closed), lambda: calibration(frame, self.stage_map, min_closed))

    def count(self, column: str) -> int:
        """Deals with a value in ``column``."""
        return int(self.imported.sql(f"select count({column}) from {self.classified}").fetchall()[0][0])

    def has_values(self, column: str) -> bool:
        if column == "size_band":
            return self._remember(("has", column), lambda: self.has_values("amount"))
        return self._remember(
            ("has", column),
            lambda: column in self.fields and bool(self.count(column)),
        )


def load(
    raw: bytes,
    name: str,
    *,
    overrides: Mapping[str, str] | None = None,
    dayfirst: bool = False,
    history: tuple[bytes, str] | None = None,
    path: str | None = None,
    fields: Collection[str] | None = None,
    progress: Callable[[float, str], None] | None = None,
    profile: str | None = None,
) -> ImportResult:
    """``profile``: the CRM profile to read the file with, by id or title (default: recognised
    from the headers)."""
    from salesopt.crm.profiles import by_name

    chosen = by_name(profile) if profile else None
    if progress:
        progress(0.02, f"Reading {name} ({len(raw) / 1e6:,.1f} MB)")
    hist_table = read_table(history[0], history[1]) if history else None
    return import_opportunities(
        read_path(path, name, overrides) if path and not raw else read_table(raw, name, overrides, path=path),
        overrides,
        dayfirst=dayfirst,
        history=hist_table,
        name=name,
        fields=fields,
        progress=progress,
        profile=chosen,
    )


def stage_values(imported: ImportResult) -> list[str]:
    """Distinct stage and lost_at_stage values (and the history's stages), most common first."""
    return list(imported.stage_stats()["all"])


def stage_map_for(
    imported: ImportResult,
    order: Sequence[str] | None = None,
    won: Sequence[str] = (),
    lost: Sequence[str] = (),
    probabilities: Mapping[str, float] | None = None,
) -> StageMap:
    stats = imported.stage_stats()
    stages = list(stats["stage"])
    if imported.has_history:
        stages += [s for s in stats["history"] if s not in stats["stage"]]
    seen = stage_values(imported)
    if imported.report.outcome_column:  # a 0/1 column read as Converted / Not converted
        from salesopt.crm.fields import TRUE_WORDS
        from salesopt.crm.importer import OUTCOME_WORDS

        def outcome(name: str) -> str:
            low = name.strip().lower()
            return name if low not in OUTCOME_WORDS else ("Converted" if low in TRUE_WORDS else "Not converted")

        won, lost = [outcome(w) for w in won], [outcome(x) for x in lost]
    if order:
        return from_names(order, won, lost, seen, probabilities)
    probs = {s: p for s, p in stats["median_probability"].items() if p is not None} or None
    ranks = None
    if imported.has_history:
        ranks = dict(
            imported.sql(
                "select stage, avg(pos) from (select stage, row_number() over (partition by opportunity_id "
                "order by entered_at) as pos from history) group by 1"
            ).fetchall()
        )
    lost_at = list(stats["lost_at_stage"])
    won_by_data, lost_by_data = _stages_marked_by_data(imported)
    report = imported.report  # the CRM profile's outcome words name these stages won or lost
    won_by_data = [*won_by_data, *(s for s in report.won_stages if s not in won_by_data)]
    lost_by_data = [*lost_by_data, *(s for s in report.lost_stages if s not in lost_by_data)]
    detected = detect(stages, probs, ranks, lost_at, won_by_data, lost_by_data, prefer=report.stage_set)
    if not detected.won and report.status_outcomes and not won:
        # an outcome column says which deals were won (Pipedrive, Copper, Dynamics): the funnel ends in Won
        notes = tuple(n for n in detected.notes if "won stage" not in n)
        detected = StageMap(
            (*detected.order, "Won"), frozenset({"Won"}), detected.lost, notes, detected.probabilities, detected.source
        )
    if won or lost:
        order_ = [s for s in detected.order if s not in detected.won and s not in set(won)]
        notes = tuple(n for n in detected.notes if "won stage" not in n and (not won or "order" not in n))
        return StageMap(
            (*order_, *won),
            frozenset(won) or detected.won,
            frozenset(lost) or detected.lost,
            notes,
            detected.probabilities,
            detected.source,
        )
    if probabilities:
        return StageMap(
            detected.order, detected.won, detected.lost, detected.notes, tuple(probabilities.items()), detected.source
        )
    return detected


def _stages_marked_by_data(imported: ImportResult) -> tuple[list[str], list[str]]:
    """Stages whose every deal the export marks won (or lost) by IsWon/IsClosed or a status column."""
    fields = imported.fields
    if "is_closed" in fields:
        won_expr = "is_closed and coalesce(is_won, false)" if "is_won" in fields else "false"
        lost_expr = "is_closed and not coalesce(is_won, false)" if "is_won" in fields else "false"
    elif "status" in fields:
        won_expr = "lower(trim(status)) in ('won', 'closed won')"
        lost_expr = "lower(trim(status)) in ('lost', 'closed lost')"
    else:
        return [], []
    rows = imported.sql(f"select stage, bool_and({won_expr}), bool_and({lost_expr}) from deals group by 1").fetchall()
    won = [s for s, w, _ in rows if w]
    lost = [s for s, w, lo in rows if lo and not w and "status" not in fields]
    return won, lost


def _outside_funnel(imported: ImportResult, stage_map: StageMap, classified: str) -> list[tuple[str, int]]:
    """Open deals whose stage is not in the funnel, by stage, most first. Where the stage alone
    decides won, lost or open (no IsClosed, IsWon or Status column) the stage counts say it."""
    if not {"is_closed", "is_won", "status"} & set(imported.fields):
        counts = imported.stage_stats()["stage"]
        return [
            (s, n)
            for s, n in counts.items()
            if stage_map.position(s) is None and not stage_map.is_won(s) and not stage_map.is_lost(s)
        ]
    rows = imported.sql(
        f"select stage, count(*) from ({classified}) where status = 'open' and stage_index is null group by 1 "
        "order by 2 desc"
    ).fetchall()
    return [(str(s), int(n)) for s, n in rows]


def evaluate(
    imported: ImportResult,
    stage_map: StageMap,
    *,
    target: float | None = None,
    closed_only: bool = False,
    basis: WinRateBasis = "closed",
    benchmark: BenchmarkSet | None = None,
    category_weights: Mapping[str, float] | None = None,
    as_of: date | None = None,
) -> Result:
    """Every Stage 2 figure of an import, at ``as_of`` (default: the export's latest event), with
    the forecast category weights of frameworks/performance unless given: the one path from an
    import to figures, for the app, ``salesopt analyze`` and ``salesopt plan`` alike."""
    fields = imported.fields
    values = stage_values(imported)
    history = "history" if imported.has_history else None
    classified = classified_sql("deals", stage_map, fields, values, history)
    outside = _outside_funnel(imported, stage_map, classified)
    if outside:
        classified = f"(select * from ({classified}) where not (status = 'open' and stage_index is null))"
    else:
        classified = f"({classified})"
    report = imported.report
    money_unusable = (
        f"amounts in several currencies ({', '.join(report.currencies)}): not summed" if report.mixed_currency else None
    )
    categories = tuple(imported.stage_stats()["forecast_category"]) if "forecast_category" in fields else None
    options = Options(target, closed_only, basis, category_weights, money_unusable, categories, as_of)
    analysis = analyze_sql(imported.con, classified, stage_map, fields, values, options, benchmark, history)
    if outside:
        names = ", ".join(str(s) for s, _ in outside[:5])
        count = sum(n for _, n in outside)
        analysis.warnings.insert(
            0,
            f"{count:,} open deal(s) in stages outside the funnel ({names}): left out; add those stages on the "
            "stage mapping screen (or --stages)",
        )
    analysis.warnings[:0] = list(stage_map.notes)
    analysis.currency = report.currency
    return Result(imported, stage_map, analysis, classified)
