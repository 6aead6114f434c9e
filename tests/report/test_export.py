"""Exports: self-contained HTML with SVG charts and no markup from user text, a PDF that parses
back with its sections, and CSV that neutralizes spreadsheet formulas."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from salesopt.content.frameworks import load_catalog
from salesopt.demo import demo_assessment, demo_crm_csv
from salesopt.funnel.stage2 import evaluate, load, stage_map_for
from salesopt.report.export import csv_safe, plan_charts, render, tables_zip, to_csv
from salesopt.report.plan import render_markdown

CATALOG = load_catalog()


@pytest.fixture(scope="module")
def plan():
    demo = demo_assessment().with_answer("context", "products", "<script>alert('x')</script> & <b>bold</b>")
    imported = load(demo_crm_csv(), "demo.csv")
    result = evaluate(imported, stage_map_for(imported), target=5_000_000, benchmark=CATALOG.benchmarks()["b2b"])
    md = render_markdown(demo, CATALOG, result.analysis)
    return md, plan_charts(result.analysis, demo.qualification.business_case)


def test_html_is_self_contained_with_svg_charts_and_escaped_text(plan):
    md, charts = plan
    html = render(md, "html", charts, "Demo").decode("utf-8")
    assert (
        html.startswith("<!doctype html>") and html.count("<svg") == 3
    )  # funnel, conversion, the demo's business case
    assert "<script" not in html and "&lt;script&gt;" in html
    assert 'src="http' not in html and 'href="http' not in html  # nothing fetched from elsewhere
    for heading in ("Executive Summary", "Current State Analysis", "Implementation Roadmap", "Expected Impact"):
        assert f">{heading}</h2>" in html


def test_pdf_opens_with_pages_sections_and_figures(plan):
    from pypdf import PdfReader

    md, charts = plan
    pdf = render(md, "pdf", charts, "Demo")
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 4
    text = " ".join(page.extract_text() for page in reader.pages)
    for heading in (
        "Executive Summary",
        "Sales Funnel Optimization",
        "Sales Methodology",
        "Performance Management",
        "Implementation Roadmap",
        "Expected Impact",
    ):
        assert heading in text
    assert "Sales Process Optimization Plan" in reader.pages[0].extract_text() and "Demo" in text
    assert "Qualification" in text


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+1", "'+1"),
        ("-cmd", "'-cmd"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain", "plain"),
        (-5, -5),
        (3.5, 3.5),
    ],
)
def test_csv_neutralizes_formulas(cell, safe):
    assert csv_safe(cell) == safe


def test_csv_table_and_zip():
    frame = pd.DataFrame({"=name": ['=HYPERLINK("x")', "ok"], "amount": [-5.0, None]})
    text = to_csv(frame)
    assert text.splitlines() == ["'=name,amount", '"\'=HYPERLINK(""x"")",-5.0', "ok,"]
    import zipfile

    with zipfile.ZipFile(io.BytesIO(tables_zip([("t", frame)]))) as zf:
        assert zf.read("t.csv").decode() == text


def test_every_conversion_bar_has_a_fill_whatever_its_status():
    """The colour scale's domain and the status labels are one list: no bar is drawn unfilled."""
    import re

    from salesopt.funnel.sql import StageRow
    from salesopt.report import charts
    from salesopt.report.export import _svg

    rows = [
        StageRow("Lead", 100, 0.5, 0.6, 0.1),  # below its benchmark
        StageRow("Demo", 50, 0.4, 0.3, -0.1),  # above
        StageRow("Proposal", 20, 0.5),  # no benchmark
        StageRow("Closed Won", 10, None),
    ]
    svg = _svg(charts.conversion_vs_benchmark(rows))
    bars = re.findall(r'<path[^>]*aria-roledescription="bar"[^>]*>', svg)
    assert len(bars) == 3
    fills = [re.search(r'fill="([^"]+)"', b) for b in bars]
    assert all(f and f.group(1) not in ("none", "transparent") for f in fills), bars
    assert {f.group(1).lower() for f in fills} == {charts.VERMILLION.lower(), charts.BLUE.lower()}


def test_csv_tables_carry_numbers_not_display_text():
    from salesopt.funnel.sql import Analysis, StageRow
    from salesopt.report.export import to_csv
    from salesopt.report.figures import stage_csv

    a = Analysis(1, 1, 0, 0, 1.0, "closed", None, None, 1.0, None, None, None, None, None, None, None, None,
                 [StageRow("Demo", 10, 0.4833, 0.7, 0.2167), StageRow("Won", 4, None)], None, [], False, 0)  # fmt: skip
    text = to_csv(stage_csv(a))
    text = text.decode("utf-8") if isinstance(text, bytes) else text
    assert "0.4833" in text and "48.3%" not in text and "Demo,10," in text


def test_count_axes_show_whole_numbers_only():
    import re

    import pandas as pd

    from salesopt.report import charts
    from salesopt.report.export import _svg

    mix = pd.Series([1, 0, 2], index=["High", "Medium", "Low"])
    svg = _svg(charts.priority_mix(mix))
    ticks = re.findall(r">(\d+(?:\.\d+)?)</text>", svg)
    assert ticks and all("." not in t for t in ticks), ticks  # no 0.5 deals
