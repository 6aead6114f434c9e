"""Exports: the plan as self-contained HTML (charts inline as SVG) and PDF (charts as images), and
CSV tables safe to open in a spreadsheet.

- Markdown -> HTML with markdown-it-py, raw HTML disabled, so text a user typed can never become
  markup or script. Charts are rendered by vl-convert (Vega-Lite without a browser).
- PDF with fpdf2. It uses DejaVu Sans when the system has it (Debian: fonts-dejavu-core) so any
  Unicode prints; otherwise the core PDF font, with typographic characters turned into ASCII and
  anything outside Latin-1 replaced by '?', said in the PDF's first line.
- CSV: a text cell starting with = + - @, a tab or a carriage return gets a leading apostrophe, so
  a spreadsheet shows it as text instead of running it as a formula.
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Iterable
from pathlib import Path

import altair as alt
import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FONT_PATHS = ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",)
FONT_BOLD_PATHS = ("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",)
ASCII = {
    "→": "->",
    "—": "-",
    "–": "-",
    "·": "-",
    "≥": ">=",
    "≤": "<=",
    "×": "x",
    "…": "...",
    "’": "'",
    "‘": "'",
    "“": '"',
    "”": '"',
    "\u00a0": " ",
}
CSS = """
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; max-width: 60rem; margin: 2rem auto;
       padding: 0 1.5rem; color: #1b1b1b; line-height: 1.5; }
h1 { font-size: 2rem; border-bottom: 3px solid #0072B2; padding-bottom: .4rem; }
h2 { font-size: 1.5rem; margin-top: 2.2rem; color: #0072B2; }
h3 { font-size: 1.15rem; margin-top: 1.4rem; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid #ccc; padding: .3rem .6rem; text-align: left; }
figure { margin: 1rem 0; } figcaption { color: #555; font-size: .9rem; }
em { color: #555; }
@media print { body { max-width: none; margin: 0; } h2 { break-before: page; } figure { break-inside: avoid; } }
"""
CHART_MARK = "[[chart:{}]]"


def file_slug(text: str, fallback: str = "assessment") -> str:
    """A file-name-safe version of a title: 'ACME · FY27 plan' -> 'acme---fy27-plan'."""
    return "".join(ch if ch.isalnum() else "-" for ch in text.lower()).strip("-")[:60] or fallback


def csv_safe(value: object) -> object:
    """A cell as a spreadsheet should read it: text that looks like a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def to_csv(frame: pd.DataFrame) -> str:
    """A table as CSV with formula-looking text neutralized (headers too)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([csv_safe(str(c)) for c in frame.columns])
    for row in frame.itertuples(index=False):
        writer.writerow(["" if v is None or (isinstance(v, float) and pd.isna(v)) else csv_safe(v) for v in row])
    return buf.getvalue()


def _svg(chart: alt.Chart) -> str:
    import vl_convert as vlc

    return vlc.vegalite_to_svg(chart.to_dict())


def _png(chart: alt.Chart) -> bytes:
    import vl_convert as vlc

    return vlc.vegalite_to_png(chart.to_dict(), scale=2)


def place_charts(markdown: str, charts: dict[str, tuple[str, alt.Chart]], after: dict[str, str]) -> str:
    """Put a chart marker line after the heading named in ``after`` (chart id -> heading text)."""
    lines = markdown.split("\n")
    out: list[str] = []
    pending: list[str] = []
    for line in lines:
        if line.startswith("#") and pending:
            out += [*(f"{CHART_MARK.format(c)}\n" for c in pending)]
            pending = []
        out.append(line)
        heading = line.lstrip("#").strip()
        pending += [cid for cid, h in after.items() if h == heading and cid in charts]
    out += [CHART_MARK.format(c) for c in pending]
    return "\n".join(out)


def to_html(markdown: str, charts: dict[str, tuple[str, alt.Chart]] | None = None, title: str = "Plan") -> str:
    """A self-contained HTML page: no external files, charts inline as SVG, no raw HTML from text."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    body = md.render(markdown)
    for cid, (caption, chart) in (charts or {}).items():
        figure = f"<figure>{_svg(chart)}<figcaption>{html.escape(caption)}</figcaption></figure>"
        body = body.replace(f"<p>{CHART_MARK.format(cid)}</p>", figure)
    return (
        f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f"<style>{CSS}</style></head><body>\n{body}</body></html>\n"
    )


def _font(pdf) -> tuple[str, bool]:  # type: ignore[no-untyped-def]
    regular = next((p for p in FONT_PATHS if Path(p).exists()), None)
    bold = next((p for p in FONT_BOLD_PATHS if Path(p).exists()), None)
    if regular:
        pdf.add_font("DejaVu", "", regular)
        pdf.add_font("DejaVu", "B", bold or regular)
        pdf.add_font("DejaVu", "I", regular)
        pdf.add_font("DejaVu", "BI", bold or regular)
        return "DejaVu", True
    return "helvetica", False


def _latin1(text: str) -> str:
    for k, v in ASCII.items():
        text = text.replace(k, v)
    return text.encode("latin-1", "replace").decode("latin-1")


def to_pdf(markdown: str, charts: dict[str, tuple[str, alt.Chart]] | None = None, title: str = "Plan") -> bytes:
    """The plan as PDF: headings, lists, tables and the charts as images."""
    from fpdf import FPDF
    from markdown_it import MarkdownIt

    pdf = FPDF(format="A4")
    pdf.set_title(title)
    pdf.set_auto_page_break(auto=True, margin=15)
    family, unicode_ok = _font(pdf)
    pdf.add_page()
    pdf.set_font(family, size=10)
    text = markdown if unicode_ok else _latin1(markdown)
    if not unicode_ok:
        pdf.multi_cell(0, 5, "(No Unicode font found (install fonts-dejavu-core): some characters are simplified.)")
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    parts = re.split(r"^\[\[chart:([a-z_]+)\]\]$", text, flags=re.M)
    for i, part in enumerate(parts):
        if i % 2 == 1:
            cid = part
            if charts and cid in charts:
                caption, chart = charts[cid]
                pdf.image(io.BytesIO(_png(chart)), w=pdf.epw)
                pdf.set_font(family, "I", 9)
                pdf.multi_cell(0, 5, caption if unicode_ok else _latin1(caption))
                pdf.set_font(family, size=10)
            continue
        if part.strip():
            pdf.write_html(md.render(part), font_family=family)
    return bytes(pdf.output())


def tables_zip(tables: Iterable[tuple[str, pd.DataFrame]]) -> bytes:
    """Several CSV tables in one zip, each neutralized."""
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, frame in tables:
            zf.writestr(f"{name}.csv", to_csv(frame))
    return buf.getvalue()


CHART_PLACES = {
    "funnel": "Funnel Analysis",
    "conversion": "Conversion Analysis",
    "cash_flow": "ROI Calculation",
    "scenarios": "Performance Improvements",
}


def plan_charts(
    analysis=None,
    business_case=None,
    impact: pd.DataFrame | None = None,  # type: ignore[no-untyped-def]
    target: float | None = None,
) -> dict[str, tuple[str, alt.Chart]]:
    """The charts that matter for the plan, from what the assessment has."""
    from salesopt import business_case as bc_mod
    from salesopt import charts

    out: dict[str, tuple[str, alt.Chart]] = {}
    if analysis is not None and analysis.stages:
        out["funnel"] = (
            "Deals that reached each stage; the percent is the conversion to the next stage.",
            charts.funnel(analysis.stages),
        )
        if any(s.conversion_to_next is not None for s in analysis.stages):
            out["conversion"] = (
                "Stage conversion against benchmark; below-benchmark transitions in vermillion.",
                charts.conversion_vs_benchmark(analysis.stages),
            )
    if business_case is not None and (
        business_case.revenue_increase or business_case.cost_savings or business_case.efficiency_gains
    ):
        r = bc_mod.evaluate(
            business_case.revenue_increase,
            business_case.cost_savings,
            business_case.efficiency_gains,
            business_case.one_time,
            business_case.recurring,
            business_case.years,
            business_case.discount_rate,
        )
        flow = pd.DataFrame(
            bc_mod.cumulative_cash_flow(
                business_case.one_time, r.annual_benefit, business_case.recurring, business_case.years
            ),
            columns=["month", "cumulative"],
        )
        out["cash_flow"] = (
            "Cumulative net cash of the business case; the dot marks payback.",
            charts.cash_flow(flow, r.payback_months),
        )
    if impact is not None and len(impact) > 1 and target:
        out["scenarios"] = (
            "Projected revenue per year: baseline and the chosen scenario against the target.",
            charts.scenarios(impact, target),
        )
    return out


def render(markdown: str, fmt_: str, charts: dict[str, tuple[str, alt.Chart]], title: str) -> bytes:
    """The plan in one format: 'md', 'html' or 'pdf'."""
    if fmt_ == "md":
        return markdown.encode("utf-8")
    placed = place_charts(markdown, charts, CHART_PLACES)
    if fmt_ == "html":
        return to_html(placed, charts, title).encode("utf-8")
    if fmt_ == "pdf":
        return to_pdf(placed, charts, title)
    raise ValueError(f"unknown format '{fmt_}'")
