"""Every CSV the app or the command line writes goes through one helper that neutralizes text
starting with = + - @, a tab or a carriage return (issue 22); numbers stay numbers."""

from __future__ import annotations

import csv
import io
import re

import pandas as pd

from salesopt.cli import main
from salesopt.crm import import_opportunities, read_table
from salesopt.report.export import to_csv
from tests.helpers import ROOT

FORMULAS = ["=1+2", "+cmd|' /C calc'!A0", "-2+3", "@SUM(1)", "\t=1", "\r=1"]


def test_the_import_reports_download_neutralizes_formula_cells_and_keeps_numbers():
    raw = (
        b"Opportunity ID,Stage,Amount,Close Date\n"
        b"1,Won,=1+2,2024-01-01\n"
        b"2,Won,+cmd|' /C calc'!A0,2024-01-01\n"
        b"3,Lost,@SUM(1),2024-01-01\n"
        b"4,Won,-5,2024-01-01\n"
    )
    imported = import_opportunities(read_table(raw, "f.csv"), name="f.csv")
    # what ui/funnel_data_ui.import_report hands out as "Download all lines"
    text = to_csv(pd.DataFrame(imported.issue_rows(), columns=["line", "column", "value", "what_happened"]))
    rows = list(csv.reader(io.StringIO(text, newline="")))
    values = {int(r[0]): r[2] for r in rows[1:]}
    assert values[2] == "'=1+2"
    assert values[3] == "'+cmd|' /C calc'!A0"
    assert values[4] == "'@SUM(1)"
    assert all(not r[2].startswith(("=", "+", "-", "@")) for r in rows[1:])


def test_text_cells_are_neutralized_and_numeric_columns_keep_their_sign():
    frame = pd.DataFrame({"text": [*FORMULAS, "fine"], "amount": [-5.5, -1, 0, 2, 3, 4, -7]})
    frame["=header"] = 1
    rows = list(csv.reader(io.StringIO(to_csv(frame), newline="")))
    assert rows[0] == ["text", "amount", "'=header"]
    assert [r[0] for r in rows[1:]] == [*("'" + f for f in FORMULAS), "fine"]
    assert [r[1] for r in rows[1:]] == ["-5.5", "-1.0", "0.0", "2.0", "3.0", "4.0", "-7.0"]


def test_the_command_lines_demo_export_is_written_by_the_one_helper(tmp_path):
    out = tmp_path / "crm.csv"
    assert main(["demo", "-o", str(tmp_path / "a.json"), "--crm", str(out), "--rows", "50"]) == 0
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    assert len(rows) == 51
    cells = [c for r in rows for c in r]
    assert not [c for c in cells if c.startswith(("=", "+", "@", "\t", "\r"))]


def test_no_csv_is_written_but_through_the_one_helper():
    writers = re.compile(r"\.to_csv\(|csv\.writer\(|csv\.DictWriter\(")
    found = [
        str(p.relative_to(ROOT))
        for folder in ("salesopt", "ui", "app_pages")
        for p in sorted((ROOT / folder).rglob("*.py"))
        for line in p.read_text(encoding="utf-8").splitlines()
        if writers.search(line) and not line.lstrip().startswith("#")
    ]
    assert found == ["salesopt/report/export.py"]  # in to_csv, after csv_frame neutralized the cells
