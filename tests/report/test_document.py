"""The plan as a document: a PDF with a cover, contents with page numbers, a running header and page
numbers from page 2, real italics, tags; one palette in HTML and PDF; a draft banner that counts
complete sections; document charts that fit the text width with body-sized type."""

from __future__ import annotations

import datetime
import io
import re
import zlib

import pytest

from salesopt.content.frameworks import load_catalog
from salesopt.demo import demo_assessment, demo_crm_csv
from salesopt.funnel.analysis import StageRow
from salesopt.funnel.stage2 import evaluate, load, stage_map_for
from salesopt.report import charts
from salesopt.report.document import DocumentMeta
from salesopt.report.export import plan_charts, render
from salesopt.report.plan import render_markdown

META = DocumentMeta(client="Demo SaaS Inc.", title="Sales Process Optimization Plan", date=datetime.date(2026, 3, 9))
DRAFT = DocumentMeta(
    client="Demo SaaS Inc.",
    title="Sales Process Optimization Plan",
    date=datetime.date(2026, 3, 9),
    sections_complete=12,
    sections_total=30,
)
# the app's colour-blind-safe palette (Okabe-Ito, salesopt.report.charts); anything else must be a grey
PALETTE = {c.lower() for c in (charts.BLUE, charts.ORANGE, charts.VERMILLION, charts.SKY, charts.GREEN)}


@pytest.fixture(scope="module")
def plan():
    demo = demo_assessment()
    imported = load(demo_crm_csv(), "demo.csv")
    catalog = load_catalog()
    result = evaluate(imported, stage_map_for(imported), target=5_000_000, benchmark=catalog.benchmarks()["b2b"])
    return render_markdown(demo, catalog, result.analysis), plan_charts(result.analysis)


@pytest.fixture(scope="module")
def pdf(plan):
    from pypdf import PdfReader

    md, chart_set = plan
    data = render(md, "pdf", chart_set, "ignored", meta=DRAFT)
    return data, PdfReader(io.BytesIO(data))


def _texts(reader) -> list[str]:
    return [p.extract_text() for p in reader.pages]


def test_cover_names_client_title_date_and_who_prepared_it(pdf):
    _, reader = pdf
    first = _texts(reader)[0]
    for text in ("Demo SaaS Inc.", "Sales Process Optimization Plan", "9 March 2026", "Prepared by"):
        assert text in first
    assert "Page 1" not in first  # the cover has no page number or running header


def test_contents_lists_sections_with_their_page_numbers(pdf):
    _, reader = pdf
    texts = _texts(reader)
    toc = texts[1]
    assert "Contents" in toc
    page_of = {h: next(i + 1 for i, t in enumerate(texts[2:], 2) if h in t) for h in ("Implementation Roadmap",)}
    line = next(ln for ln in toc.splitlines() if ln.startswith("Implementation Roadmap"))
    assert line.rstrip(". ").endswith(str(page_of["Implementation Roadmap"])), line
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert titles[:2] == ["Contents", "Executive Summary"]
    assert "Expected Impact" in titles


def test_page_numbers_and_running_header_from_page_two(pdf):
    _, reader = pdf
    texts = _texts(reader)
    n = len(texts)
    assert n >= 8
    for i, text in enumerate(texts[1:], 2):
        assert f"Page {i} of {n}" in text
        assert "Demo SaaS Inc. · Sales Process Optimization Plan" in text, text[:80]


def test_emphasis_uses_a_real_italic_font(pdf):
    _, reader = pdf
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert any("Oblique" in f or "Italic" in f for f in fonts), fonts
    assert any(f.endswith("DejaVu-Sans") for f in fonts), fonts


def test_pdf_is_tagged(pdf):
    _, reader = pdf
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "en"


def _pdf_colours(data: bytes) -> set[str]:
    """Every fill/stroke colour set in the PDF's content streams, as #rrggbb."""
    found: set[str] = set()
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            text = zlib.decompress(stream)
        except zlib.error:
            continue
        for r, g, b in re.findall(rb"([\d.]+) ([\d.]+) ([\d.]+) (?:rg|RG)\b", text):
            found.add("#" + "".join(f"{round(float(v) * 255):02x}" for v in (r, g, b)))
    return found


def _is_grey(colour: str) -> bool:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return max(r, g, b) - min(r, g, b) <= 8


def test_html_and_pdf_use_one_palette(plan, pdf):
    md, chart_set = plan
    html = render(md, "html", chart_set, "ignored", meta=DRAFT).decode()
    html_colours = {c.lower() for c in re.findall(r"#[0-9a-fA-F]{6}\b", html)}
    pdf_colours = _pdf_colours(pdf[0])
    for colours in (html_colours, pdf_colours):
        assert charts.BLUE.lower() in colours and charts.VERMILLION.lower() in colours
        assert {c for c in colours if not _is_grey(c)} <= PALETTE, colours - PALETTE


def test_draft_banner_counts_complete_sections_only_while_some_are_missing(plan, pdf):
    md, chart_set = plan
    assert "Draft: 12 of 30 sections complete" in " ".join(_texts(pdf[1])[0].split()).replace("DRAFT", "Draft")
    draft = render(md, "html", chart_set, "x", meta=DRAFT).decode()
    assert "12 of 30 sections complete" in draft
    done = DocumentMeta("Demo SaaS Inc.", "Sales Process Optimization Plan", datetime.date(2026, 3, 9), "X", 30, 30)
    for meta in (done, META, None):
        assert "sections complete" not in render(md, "html", chart_set, "Demo", meta=meta).decode()


def test_old_callers_without_meta_get_a_cover_with_the_title_as_client(plan):
    md, chart_set = plan
    html = render(md, "html", chart_set, "Acme & Co").decode()
    assert '<p class="client">Acme &amp; Co</p>' in html and "<h1>Sales Process Optimization Plan</h1>" in html
    assert 'class="toc"' in html and 'href="#executive-summary"' in html and 'id="executive-summary"' in html


def test_nine_stage_funnel_fits_the_text_width_with_body_sized_type():
    from salesopt.report.export import _document_svg

    names = ["Lead", "MQL", "SQL", "Discovery", "Demo", "Proposal", "Negotiation", "Contract sent", "Closed Won"]
    rows = [StageRow(name, 1000 - 110 * i, 0.8 if i < 8 else None) for i, name in enumerate(names)]
    svg = _document_svg(charts.funnel(rows))
    width, height = (float(v) for v in re.search(r'<svg[^>]* width="([\d.]+)" height="([\d.]+)"', svg).groups())
    assert width <= charts.DOC_WIDTH
    assert height <= 320  # a third of a page, not a page
    sizes = {float(s) for s in re.findall(r'font-size="([\d.]+)px"', svg)} | {
        float(s) for s in re.findall(r"font-size:\s*([\d.]+)px", svg)
    }
    assert sizes and max(sizes) <= charts.DOC_FONT + 1, sizes
