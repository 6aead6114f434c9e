"""How every chart looks, on a projector and on the printed page: the colour-blind-safe palette
(Okabe-Ito), large type, axes and tooltips in the assessment's currency, whole-number count axes,
and the Vega-Lite spec resized for a document (salesopt.report.export)."""

from __future__ import annotations

import json
from typing import Any, TypeAlias

import altair as alt

from salesopt.report import fmt

BLUE, ORANGE, VERMILLION, SKY, GREEN, GREY = "#0072B2", "#E69F00", "#D55E00", "#56B4E9", "#009E73", "#999999"
FONT = 15

ChartLike: TypeAlias = alt.Chart | alt.LayerChart | alt.FacetChart
"""What a builder returns: one chart, or charts layered (``a + b``, ``alt.layer``)."""


def style(chart: ChartLike, height: int = 320) -> ChartLike:
    """The chart at ``height`` px with the projector's type sizes and no frame around the view."""
    # altair's configure_* methods are not annotated (Any); each returns a copy of the same chart
    styled: ChartLike = (
        chart.properties(height=height)
        .configure_axis(labelFontSize=FONT, titleFontSize=FONT + 1, labelLimit=260)
        .configure_legend(labelFontSize=FONT, titleFontSize=FONT, labelLimit=400)
        .configure_title(fontSize=FONT + 3)
        .configure_view(strokeWidth=0)
    )
    return styled


def _prefix(currency: str) -> str:
    return fmt.SYMBOLS.get(currency, currency + " ")


def money_expr(value: str, currency: str, spec: str) -> str:
    """A Vega expression writing ``value`` as money in the currency (d3 ``spec``), with the plan's
    suffixes (fmt.money: K, M, B rather than d3's k, M, G)."""
    text = f"replace(replace(format(abs({value}), '{spec}'), 'G', 'B'), 'k', 'K')"
    return f"({value} < 0 ? '-' : '') + {json.dumps(_prefix(currency), ensure_ascii=False)} + {text}"


def money_axis(currency: str) -> alt.Axis:
    """An axis labelled in the assessment's currency: €1.2M, CHF 50k."""
    return alt.Axis(labelExpr=money_expr("datum.value", currency, "~s"))


def money_text(chart: alt.Chart, currency: str, *fields: str) -> alt.Chart:
    """The chart with a ``<field>_money`` text column per money field, for tooltips in the currency."""
    return chart.transform_calculate(**{f"{f}_money": money_expr(f"datum['{f}']", currency, ",.0f") for f in fields})


def money_tooltip(field: str, title: str | None = None) -> alt.Tooltip:
    """The tooltip of a money field added by :func:`money_text`."""
    return alt.Tooltip(f"{field}_money:N", title=title or field)


COUNT_AXIS = alt.Axis(format=",d", tickMinStep=1)  # counts are whole: no 0.05 deals on an axis


DOC_WIDTH = 640  # px at 96 dpi: the PDF's text width (A4 less 2 x 18 mm), the HTML's column
DOC_FONT = 12  # px: 9 pt, a step below the 9.5 pt body text (the projector's FONT is 15)
DOC_ROW = 30  # px per bar row in a document (the screen uses 40-60)


def for_document(chart: ChartLike) -> dict[str, Any]:
    """The chart's Vega-Lite spec sized for a printed page: the whole chart (axis labels and legend
    included) fits the text width, type matches the body, bar rows are compact. On-screen charts
    are unchanged: this only rewrites a copy of the spec."""
    spec = chart.to_dict()
    rows = spec.get("height", 320)
    spec["height"] = max(140, min(int(rows * DOC_ROW / 60), 300)) if isinstance(rows, int | float) else 200
    spec["width"] = DOC_WIDTH
    spec["autosize"] = {"type": "fit", "contains": "padding"}
    config = spec.setdefault("config", {})
    config["font"] = "DejaVu Sans"
    config["axis"] = {**config.get("axis", {}), "labelFontSize": DOC_FONT, "titleFontSize": DOC_FONT, "labelLimit": 220}
    config["legend"] = {**config.get("legend", {}), "labelFontSize": DOC_FONT, "titleFontSize": DOC_FONT}
    config["title"] = {**config.get("title", {}), "fontSize": DOC_FONT + 1}
    config["text"] = {**config.get("text", {}), "fontSize": DOC_FONT}
    _shrink_marks(spec)
    return spec


def _shrink_marks(spec: dict[str, Any]) -> None:
    """Text marks and ticks carry their own size (FONT, 34 px ticks): bring them to document scale."""
    for layer in spec.get("layer", []):
        _shrink_marks(layer)
    mark = spec.get("mark")
    if isinstance(mark, dict):
        if mark.get("type") == "text" and "fontSize" in mark:
            mark["fontSize"] = DOC_FONT
        if mark.get("type") == "tick" and "size" in mark:
            mark["size"] = int(DOC_ROW * 0.7)
        if mark.get("type") == "point" and "size" in mark:
            mark["size"] = min(mark["size"], 80)
