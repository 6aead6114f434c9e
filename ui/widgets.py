"""Shared display widgets: headline figures, charts (their specs remembered, projector-sized in
workshop mode), tables (HTML in workshop mode), download rows and tables as people read them."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any

import altair as alt
import streamlit as st

from salesopt.report import fmt
from salesopt.report.figures import Figure
from ui import state, uploads

if TYPE_CHECKING:
    import pandas as pd

    from salesopt.funnel.stage2 import Result


def figures(items: list[Figure], per_row: int = 4) -> None:
    for start in range(0, len(items), per_row):
        cols = st.columns(per_row)
        for col, fig in zip(cols, items[start : start + per_row], strict=False):
            col.metric(fig.label, fig.value, help=fig.help)


VegaLite = dict[str, Any]  # a chart's Vega-Lite spec, as Altair's to_dict gives it (JSON)


def chart(
    build: Callable[[], alt.TopLevelMixin] | alt.TopLevelMixin,
    key: tuple[Hashable, ...] | None = None,
    memo: Result | None = None,
) -> None:
    """Draw an Altair chart (or what builds it) from its Vega-Lite spec. With a key, the spec is
    built once and reused on reruns (on ``memo``, a pipeline Result, or in a small LRU): building and
    validating an Altair chart costs 20-30 ms, which a rerun on a lever or a toggle should not pay again."""
    if isinstance(build, alt.TopLevelMixin):
        built = build
        build = lambda: built  # noqa: E731 - the one chart, already built
    spec: VegaLite
    if key is None:
        spec = build().to_dict(validate=False)
    elif memo is not None:
        spec = uploads.remember(memo, ("spec", *key), lambda: build().to_dict(validate=False))
    else:
        found = uploads.chart_specs().get(key)
        if found is None:
            spec = build().to_dict(validate=False)
            uploads.chart_specs().put(key, spec)
        else:
            spec = found
    if state.workshop_mode():
        spec = _projector(spec)
    st.vega_lite_chart(spec=spec, width="stretch")


PROJECTOR_FONTS = {
    "axis": {"labelFontSize": 24, "titleFontSize": 26},
    "legend": {"labelFontSize": 24, "titleFontSize": 24},
    "header": {"labelFontSize": 24, "titleFontSize": 26},
    "title": {"fontSize": 30},
    "text": {"fontSize": 24},
}


def _projector(spec: VegaLite) -> VegaLite:
    """A chart's text at projector size (workshop mode): axes, legends, titles and labels 24 px+."""
    config = dict(spec.get("config") or {})
    for part, fonts in PROJECTOR_FONTS.items():
        config[part] = {**(config.get(part) or {}), **fonts}
    return {**_bigger_text_marks(spec), "config": config}


def _bigger_text_marks(spec: object) -> Any:
    """Text marks (bar-end labels) at 24 px or more, in every layer. ``spec`` is a part of a
    Vega-Lite spec (any JSON value); the answer has the same shape."""
    if isinstance(spec, list):
        return [_bigger_text_marks(s) for s in spec]
    if not isinstance(spec, dict):
        return spec
    out = {
        k: _bigger_text_marks(v) if k in ("layer", "hconcat", "vconcat", "concat", "spec") else v
        for k, v in spec.items()
    }
    mark = out.get("mark")
    if isinstance(mark, dict) and mark.get("type") == "text":
        out["mark"] = {**mark, "fontSize": max(int(mark.get("fontSize") or 0), 24)}
    elif mark == "text":
        out["mark"] = {"type": "text", "fontSize": 24}
    return out


def table(frame: pd.DataFrame, **kwargs: Any) -> None:
    """A table: an interactive grid normally; in workshop mode an HTML table (its cells take the
    projector type size, which the grid's canvas cannot), first 40 rows."""
    if state.workshop_mode():
        shown = frame.head(40)
        st.table(shown.style.hide(axis="index"))
        if len(frame) > 40:
            st.caption(f"First 40 of {len(frame):,} rows.")
        return
    st.dataframe(frame, **kwargs)


DownloadData = str | bytes | Callable[[], str | bytes]


def download_row(items: list[tuple[str, DownloadData, str, str, str]], key: str) -> None:
    """One row of download buttons: (label, data or a callable making it, file name, mime type, icon).
    A callable runs only when its button is clicked (the PDF, the zip)."""
    for i, (col, (label, data, name, mime, icon)) in enumerate(zip(st.columns(len(items)), items, strict=True)):
        col.download_button(label, data, name, mime, icon=icon, on_click="ignore", width="stretch", key=f"{key}.{i}")


# ---- tables for people ------------------------------------------------------------------------

COLUMN_LABELS = {
    "opportunity_id": "Opportunity",
    "name": "Name",
    "owner": "Owner",
    "stage": "Stage",
    "amount": "Amount",
    "close_date": "Close date",
    "created_date": "Created",
    "next_step": "Next step",
    "closed_reached": "Closed deals that reached it",
    "won": "Won",
    "lost": "Lost",
    "open": "Open",
    "observed": "Observed win rate",
    "configured": "Configured probability",
    "note": "Note",
    "crm_probability": "CRM probability",
    "adjusted_probability": "Adjusted probability",
    "suggested_category": "Suggested category",
    "crm_category": "CRM category",
    "tier": "Tier",
    "total": "Score",
    "score": "Score",
    "category": "Forecast category",
    "deals": "Deals",
    "pipeline": "Open pipeline",
    "attainment": "Attainment",
    "coverage": "Coverage",
    "quota": "Quota",
    "accuracy": "Accuracy",
    "forecast": "Forecast",
    "actual": "Actual",
    "period": "Period",
    "flags": "Risk",
    "win_rate": "Win rate",
    "avg_deal_size": "Average deal size",
    "opportunities": "Opportunities",
}


def readable(frame: pd.DataFrame) -> pd.DataFrame:
    """A table as people read it: labelled headers, dates as dates, no None/NaN/NaT (shown as —).
    Values the page formatted (money, percent) stay as they are."""
    import pandas as pd

    out = frame.copy()
    for col in out.columns:
        series = out[col]
        if pd.api.types.is_datetime64_any_dtype(series):
            out[col] = series.dt.strftime("%Y-%m-%d").fillna("—")
        elif series.dtype == object or pd.api.types.is_string_dtype(series):
            out[col] = series.astype(object).where(series.notna(), "—")
    return out.rename(columns=lambda c: COLUMN_LABELS.get(str(c), str(c).replace("_", " ").capitalize()))


def calibration_table(calibration: pd.DataFrame) -> None:
    """The observed-against-configured stage win probabilities (Stage 2 scoring, What-if), as percents."""
    shown = calibration.assign(
        observed=calibration["observed"].map(fmt.percent), configured=calibration["configured"].map(fmt.percent)
    )
    table(readable(shown), hide_index=True)
