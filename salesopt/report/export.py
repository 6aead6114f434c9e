"""Exports: the plan as one self-contained HTML document and the same document as a PDF, and CSV
tables safe to open in a spreadsheet.

- Markdown -> HTML with markdown-it-py, raw HTML disabled, so text a user typed can never become
  markup or script. Charts are rendered by vl-convert (Vega-Lite without a browser) as SVG, sized
  to the text width with type matching the body (salesopt.report.charts.for_document).
- The page (cover, contents, draft banner, body) and its print CSS live in salesopt.report.document; the
  PDF is that same page rendered by WeasyPrint, tagged (PDF/UA-1), so the two formats share one
  layout and one palette. WeasyPrint needs Pango and HarfBuzz (Debian: PDF_LIBRARIES).
- CSV: a text cell starting with = + - @, a tab or a carriage return gets a leading apostrophe, so
  a spreadsheet shows it as text instead of running it as a formula.
"""

from __future__ import annotations

import html
import io
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from salesopt.report.document import PDF_LIBRARIES, DocumentMeta, meta_for, page

if TYPE_CHECKING:
    from salesopt.funnel.analysis import Analysis
    from salesopt.model.assessment import BusinessCase
    from salesopt.report.chart_style import ChartLike

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CHART_MARK = "[[chart:{}]]"


def file_slug(text: str, fallback: str = "assessment") -> str:
    """A file-name-safe version of a title: 'ACME · FY27 plan' -> 'acme---fy27-plan'."""
    return "".join(ch if ch.isalnum() else "-" for ch in text.lower()).strip("-")[:60] or fallback


def csv_safe(value: object) -> object:
    """A cell as a spreadsheet should read it: text that looks like a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every text cell and header neutralized (:func:`csv_safe`); numbers, dates
    and empty cells are left as they are, so a negative amount stays a number."""
    out = frame.copy()
    out.columns = [csv_safe(str(c)) for c in frame.columns]
    for i, dtype in enumerate(frame.dtypes):
        if pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype):
            out.isetitem(i, frame.iloc[:, i].map(csv_safe, na_action="ignore").to_list())
    return out


def to_csv(frame: pd.DataFrame, path: str | None = None) -> str:
    """A table as CSV with formula-looking text neutralized (headers too): the one writer of every
    CSV the app and the command line hand out. With ``path`` the file is written there too."""
    # CRLF ends (RFC 4180): a carriage return inside a cell is then quoted, never a row break
    text: str = csv_frame(frame).to_csv(index=False, lineterminator="\r\n")
    if path is not None:
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(text)
    return text


def _svg(chart: ChartLike) -> str:
    import vl_convert as vlc

    return vlc.vegalite_to_svg(chart.to_dict())


def place_charts(markdown: str, charts: dict[str, tuple[str, ChartLike]], after: dict[str, str]) -> str:
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


def _document_svg(chart: ChartLike) -> str:
    """The chart as SVG at document size (text width, body-sized type)."""
    import vl_convert as vlc

    from salesopt.report.charts import for_document

    return vlc.vegalite_to_svg(for_document(chart))


def body_html(markdown: str, charts: dict[str, tuple[str, ChartLike]] | None = None) -> str:
    """The Markdown as HTML with each chart marker replaced by its figure (SVG and caption)."""
    from markdown_it import MarkdownIt

    # no raw HTML and no images: the plan's own figures are inline SVG, and an image in user text
    # (escaped by the plan already) would be a request to wherever it points
    md = MarkdownIt("commonmark", {"html": False}).enable("table").disable("image")
    body: str = md.render(markdown)  # markdown-it types a renderer's output as Any
    for cid, (caption, chart) in (charts or {}).items():
        svg = _document_svg(chart).replace("<svg ", f'<svg role="img" aria-label="{html.escape(caption)}" ', 1)
        figure = f"<figure>{svg}<figcaption>{html.escape(caption)}</figcaption></figure>"
        body = body.replace(f"<p>{CHART_MARK.format(cid)}</p>", figure)
    return body


def to_html(
    markdown: str,
    charts: dict[str, tuple[str, ChartLike]] | None = None,
    title: str = "Plan",
    meta: DocumentMeta | None = None,
) -> str:
    """A self-contained HTML document: no external files, charts inline as SVG, no raw HTML from text."""
    return page(body_html(markdown, charts), meta_for(title, meta))


class PdfUnavailable(RuntimeError):
    """The PDF renderer's system libraries are missing; the message says what to install."""


def html_to_pdf(document: str) -> bytes:
    """The HTML document as a tagged PDF (PDF/UA-1: structure tree, language, title) by WeasyPrint."""
    try:
        from weasyprint import HTML  # type: ignore[import-untyped]  # WeasyPrint ships no type hints
    except OSError as exc:  # Pango / HarfBuzz not installed
        raise PdfUnavailable(
            "The PDF needs the Pango and HarfBuzz libraries. Install them with: "
            f"apt-get install {' '.join(PDF_LIBRARIES)} ({exc})"
        ) from None
    pdf: bytes = HTML(string=document, url_fetcher=local_fetcher()).write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)
    return pdf


class FetchRefused(ValueError):
    """The PDF renderer asked for a URL that is not one of the app's own assets."""


def check_url(url: str) -> None:
    """Raise FetchRefused unless ``url`` is a data: URI (the app's own inline charts) or a file
    bundled with salesopt.report: no text in an assessment makes the server send a request."""
    from importlib import resources
    from urllib.parse import unquote, urlparse

    if url.startswith("data:"):
        return
    parsed = urlparse(url)
    bundled = Path(str(resources.files("salesopt.report"))).resolve()
    if parsed.scheme == "file" and not parsed.netloc:
        path = Path(unquote(parsed.path)).resolve()
        if path.is_relative_to(bundled) and path.is_file():
            return
    raise FetchRefused(f"the plan fetches nothing from outside the app: {url[:100]} refused")


def local_fetcher() -> Any:
    """WeasyPrint's URL fetcher for the plan: :func:`check_url` first, then WeasyPrint's own
    fetcher, limited to data: and file: (no HTTP, no FTP, no redirects)."""
    from weasyprint import urls

    base = getattr(urls, "URLFetcher", None)
    if base is None:  # WeasyPrint before 70: a function returning a dict

        def fetch(url: str, timeout: int = 10, ssl_context: object = None) -> Any:
            check_url(url)
            return urls.default_url_fetcher(url, timeout=timeout, ssl_context=ssl_context)

        return fetch

    class LocalOnly(base):  # type: ignore[misc, valid-type]  # WeasyPrint ships no type hints
        def fetch(self, url: str, headers: object = None) -> Any:
            check_url(url)
            return super().fetch(url, headers)

    return LocalOnly(allowed_protocols=("data", "file"), allow_redirects=False)


def to_pdf(
    markdown: str,
    charts: dict[str, tuple[str, ChartLike]] | None = None,
    title: str = "Plan",
    meta: DocumentMeta | None = None,
) -> bytes:
    """The plan as PDF: the HTML document printed with its print CSS (cover, contents, page numbers)."""
    return html_to_pdf(to_html(markdown, charts, title, meta))


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
    analysis: Analysis | None = None,
    business_case: BusinessCase | None = None,
    impact: pd.DataFrame | None = None,
    target: float | None = None,
) -> dict[str, tuple[str, ChartLike]]:
    """The charts that matter for the plan, from what the assessment has."""
    from salesopt.qualification import business_case as bc_mod
    from salesopt.report import charts

    out: dict[str, tuple[str, ChartLike]] = {}
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


def render(
    markdown: str,
    fmt_: str,
    charts: dict[str, tuple[str, ChartLike]],
    title: str,
    *,
    meta: DocumentMeta | None = None,
) -> bytes:
    """The plan in one format: 'md', 'html' or 'pdf'. ``meta`` fills the cover, running header and
    draft banner; without it the cover names ``title`` as the client and today's date."""
    if fmt_ == "md":
        return markdown.encode("utf-8")
    placed = place_charts(markdown, charts, CHART_PLACES)
    if fmt_ == "html":
        return to_html(placed, charts, title, meta).encode("utf-8")
    if fmt_ == "pdf":
        return to_pdf(placed, charts, title, meta)
    raise ValueError(f"unknown format '{fmt_}'")
