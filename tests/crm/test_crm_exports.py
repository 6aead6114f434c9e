"""A corpus of realistic CRM exports (tests/fixtures/exports/) with hand-worked figures, checked
through `salesopt analyze --json` (../shared/spec/CLI.md, ../shared/spec/METRICS.md).

Every fixture is synthetic and small; each test says which product's export it imitates. The
expected numbers are worked by hand from the importer's rules (one deal per row unless the file
is a stage history; unreadable cells emptied, not rejected; rows rejected only when they cannot
be a deal) and the arithmetic sits next to each assertion. Lines are physical file lines.

Invariants checked on every successful run: rows_read == rows_kept + rows_rejected.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from salesopt.cli import main
from tests.helpers import ROOT

EXPORTS = ROOT / "tests" / "fixtures" / "exports"
CELL_KEYS = {"line", "column", "field", "value", "reason"}


def approx(x: float) -> object:
    return pytest.approx(x, rel=1e-9, abs=1e-9)


def run(*args: str) -> tuple[int, str, str]:
    """`salesopt analyze ARGS` in-process: (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(["analyze", *args])
        except SystemExit as exc:  # argparse usage errors
            code = exc.code if isinstance(exc.code, int) else 2
    return code, out.getvalue(), err.getvalue()


def analyze(name: str, *flags: str) -> dict:
    code, out, err = run(str(EXPORTS / name), "--json", *flags)
    assert code == 0, err
    data = json.loads(out)
    assert data["rows_read"] == data["rows_kept"] + data["rows_rejected"]
    assert len(data["rejected"]) == min(data["rows_rejected"], 100)
    for cell in data["cells_emptied"]:
        assert CELL_KEYS <= set(cell), cell
    return data


def assert_one_error_line(code: int, err: str, *words: str) -> None:
    assert code == 2, err
    assert err.startswith("error: "), err
    assert len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err
    for word in words:
        assert word.lower() in err.lower(), (word, err)


def key(stage: str) -> str:
    """Stage names compared ignoring case, spacing and punctuation."""
    return re.sub(r"[^a-z0-9]", "", stage.lower())


def reached(data: dict) -> dict[str, int]:
    return {key(s["stage"]): s["reached"] for s in data["stages"]}


def owners(data: dict) -> dict[str, dict]:
    return {o["owner"]: o for o in data["by_owner"]}


def emptied(data: dict) -> list[tuple[int, str]]:
    return sorted((c["line"], c["field"]) for c in data["cells_emptied"])


def numbers_in(text: str) -> set[int]:
    return {int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*\d|\d", text)}


def no_currency_warning(data: dict) -> bool:
    return not any("currenc" in w.lower() for w in data["warnings"])


def owner_row(o: dict, opportunities: int, won: int, lost: int, open_: int) -> None:
    assert (o["opportunities"], o["won"], o["lost"], o["open"]) == (opportunities, won, lost, open_)


# ---- real products -----------------------------------------------------------------------------


def test_hubspot_deals_export():
    """HubSpot CRM > Deals > Export (CSV): internal stage ids, "YYYY-MM-DD HH:MM" dates, plain
    amounts, no probability column (HubSpot's default stage probabilities apply)."""
    d = analyze("hubspot_deals.csv", "--target", "100000")
    assert (d["rows_read"], d["rows_kept"], d["rows_rejected"]) == (11, 11, 0)
    assert d["rejected"] == [] and d["cells_emptied"] == [] and d["cells_emptied_by_field"] == {}
    assert d["long_format"] is False
    assert d["mapping"]["stage"] == "Deal Stage"
    assert d["mapping"]["amount"] == "Amount"
    assert d["mapping"]["close_date"] == "Close Date"
    assert d["mapping"]["created_date"] == "Create Date"
    assert d["mapping"]["owner"] == "Deal owner"
    assert (d["opportunities"], d["won"], d["lost"], d["open"]) == (11, 3, 2, 6)
    assert d["win_rate"] == approx(3 / 5)  # 3 closedwon / (3 + 2 closedlost)
    assert d["win_rate_value"] == approx(25000 / 49000)  # won 12000+8000+5000 / (25000 + lost 20000+4000)
    assert d["avg_deal_size"] == approx(25000 / 3)  # 8333.33
    # cycles (calendar days): 9401 Jan 10 -> Feb 15 = 36; 9402 Feb 20 -> Mar 1 (2024 leap) = 10;
    # 9403 created 09:00, won 17:45 the same day = 0
    assert d["cycle_days_mean"] == approx(46 / 3)  # (36 + 10 + 0) / 3 = 15.33
    assert d["cycle_days_median"] == approx(10)
    assert d["pipeline_value"] == approx(50000)  # 10000+6000+15000+9000+7000+3000
    # HubSpot defaults: 10000x0.2 + 6000x0.4 + 15000x0.6 + 9000x0.8 + 7000x0.9 + 3000x0.2
    #                 = 2000 + 2400 + 9000 + 7200 + 6300 + 600 = 27500
    assert d["weighted_pipeline"] == approx(27500)
    assert d["coverage_ratio"] == approx(0.5)  # 50000 / 100000
    assert d["required_coverage"] == approx(49000 / 25000)  # 1 / value win rate = 1.96
    assert d["sales_velocity_per_day"] == approx(
        6 * 0.6 * (25000 / 3) / (46 / 3)
    )  # 6 open x 0.6 x 8333.33 / 15.33 = 1956.52
    # furthest stage: open 9406+9411 appointmentscheduled, 9407 qualifiedtobuy, 9408 presentation,
    # 9409 decisionmaker, 9410 contractsent, 3 won; the 2 lost have no lost_at_stage (left out)
    r = reached(d)
    assert r["appointmentscheduled"] == 9  # 6 open + 3 won
    assert r["qualifiedtobuy"] == 7  # 9 - 2
    assert r["presentationscheduled"] == 6
    assert r["decisionmakerboughtin"] == 5
    assert r["contractsent"] == 4
    assert r["closedwon"] == 3
    o = owners(d)
    owner_row(o["Ana Lopez"], 6, 2, 1, 3)  # 9401, 9403 won; 9405 lost; 9406, 9408, 9410 open
    assert o["Ana Lopez"]["win_rate"] == approx(2 / 3)
    assert o["Ana Lopez"]["avg_deal_size"] == approx(8500)  # (12000 + 5000) / 2
    owner_row(o["Ben Ward"], 5, 1, 1, 3)
    assert o["Ben Ward"]["win_rate"] == approx(0.5)
    assert o["Ben Ward"]["avg_deal_size"] == approx(8000)
    assert no_currency_warning(d)


def test_salesforce_report_csv_with_title_rows_and_footer():
    """Salesforce Reports > Export > Details only (CSV): every field quoted, title rows above the
    header (header on line 4), "$1,250.00" amounts, M/D/YYYY dates, a Next Step spanning two
    lines, and "Grand Totals" + copyright/confidential footer below."""
    d = analyze("salesforce_report.csv")
    assert (d["rows_read"], d["rows_kept"], d["rows_rejected"]) == (12, 12, 0)  # footer not counted
    assert d["cells_emptied"] == []
    assert d["mapping"]["stage"] == "Stage"
    assert d["mapping"]["amount"] == "Amount"
    assert d["mapping"]["probability"] == "Probability (%)"
    assert d["mapping"]["close_date"] == "Close Date"
    assert d["mapping"]["created_date"] == "Created Date"
    assert d["mapping"]["owner"] == "Opportunity Owner"
    assert (d["opportunities"], d["won"], d["lost"], d["open"]) == (12, 3, 2, 7)
    assert d["win_rate"] == approx(0.6)  # 3 / (3 + 2)
    assert d["win_rate_value"] == approx(410000 / 695000)  # won 75k+235k+100k / (410k + lost 15k+270k)
    assert d["avg_deal_size"] == approx(410000 / 3)  # 136666.67
    # Jan 3 -> Feb 14 = 42; Jan 16 -> Mar 22 = 66; Mar 1 -> Mar 29 = 28
    assert d["cycle_days_mean"] == approx(136 / 3)  # 45.33
    assert d["cycle_days_median"] == approx(42)
    assert d["pipeline_value"] == approx(630000)  # 85k+80k+15k+100k+50k+50k+250k
    # deal probabilities: 8500 + 8000 + 7500 + 60000 + 35000 + 37500 + 225000
    assert d["weighted_pipeline"] == approx(381500)
    r = reached(d)  # 7 open, one in each stage; 3 won; lost deals have no lost_at_stage
    assert r["prospecting"] == 10
    assert r["qualification"] == 9
    assert r["valueproposition"] == 8
    assert r["iddecisionmakers"] == 7
    assert r["perceptionanalysis"] == 6
    assert r["proposalpricequote"] == 5
    assert r["negotiationreview"] == 4
    assert r["closedwon"] == 3
    o = owners(d)
    owner_row(o["Jane Doe"], 6, 2, 1, 3)
    assert o["Jane Doe"]["avg_deal_size"] == approx(155000)  # (75000 + 235000) / 2
    owner_row(o["Tom Price"], 6, 1, 1, 4)
    assert o["Tom Price"]["avg_deal_size"] == approx(100000)
    assert "Grand Totals (12 records)" not in o  # the totals row is not an owner
    assert no_currency_warning(d)


def test_salesforce_formatted_report_workbook_reads_the_data_sheet():
    """Salesforce "Formatted Report" (.xlsx) kept with a note sheet first: the table is on sheet
    2 "Data" under 3 title rows; date and currency cells; one close date typed as "n/a"."""
    d = analyze("salesforce_formatted_report.xlsx")
    assert (d["rows_read"], d["rows_kept"], d["rows_rejected"]) == (10, 10, 0)  # rows 5-14
    assert any(re.search(r"\bData\b", w) for w in d["warnings"]), d["warnings"]  # names the sheet
    assert d["cells_emptied_by_field"] == {"close_date": 1}
    (cell,) = d["cells_emptied"]
    assert (cell["line"], cell["column"], cell["field"], cell["value"]) == (9, "Close Date", "close_date", "n/a")
    assert (d["opportunities"], d["won"], d["lost"], d["open"]) == (10, 3, 2, 5)
    assert d["win_rate"] == approx(0.6)  # 3 / 5
    assert d["win_rate_value"] == approx(0.75)  # 120000 / (120000 + 30000 + 10000)
    assert d["avg_deal_size"] == approx(40000)  # (40000 + 60000 + 20000) / 3
    # Jan 8 -> Feb 7 = 30; Feb 1 -> Feb 21 = 20; Jan 15 -> Mar 15 = 60
    assert d["cycle_days_mean"] == approx(110 / 3)
    assert d["cycle_days_median"] == approx(30)
    assert d["pipeline_value"] == approx(145000)  # 12k + 25k + 18k + 40k + 50k
    assert d["weighted_pipeline"] == approx(90200)  # 1200 + 5000 + 9000 + 30000 + 45000
    r = reached(d)
    assert (r["prospecting"], r["needsanalysis"], r["valueproposition"]) == (8, 7, 6)  # 5 open + 3 won, ...
    assert (r["proposalpricequote"], r["negotiationreview"], r["closedwon"]) == (5, 4, 3)


def test_salesforce_data_loader_export_status_from_iswon_and_isclosed():
    """Salesforce Data Loader / Data Export of Opportunity: API names, all fields quoted,
    CreatedDate "2023-10-28T20:45:25.000Z", booleans true/false, ForecastCategoryName. One won
    deal sits in a custom closed stage: IsWon/IsClosed decide, not the stage label."""
    d = analyze("salesforce_dataloader.csv")
    assert (d["rows_read"], d["rows_kept"], d["rows_rejected"]) == (10, 10, 0)
    assert d["cells_emptied"] == []  # blank Probability is empty, not unreadable; "Closed" is a category
    assert d["mapping"]["stage"] == "StageName"
    assert d["mapping"]["created_date"] == "CreatedDate"
    assert d["mapping"]["close_date"] == "CloseDate"
    assert d["mapping"]["probability"] == "Probability"
    assert (d["opportunities"], d["won"], d["lost"], d["open"]) == (10, 3, 2, 5)
    assert d["win_rate"] == approx(0.6)
    assert d["win_rate_value"] == approx(0.75)  # (60k + 270k + 210k) / (540k + 120k + 60k)
    assert d["avg_deal_size"] == approx(180000)  # 540000 / 3
    # Oct 28 -> Nov 15 = 18; Nov 2 -> Dec 20 = 48; created 2023-11-30T21:10Z, closed 2023-11-30 = 0
    assert d["cycle_days_mean"] == approx(22)  # 66 / 3
    assert d["cycle_days_median"] == approx(18)
    assert d["pipeline_value"] == approx(400000)  # 100k + 40k + 80k + 150k + 30k
    # Prospecting, blank p -> stage default 0.10: 10000; Value Proposition p 50%: 20000;
    # Id. Decision Makers, blank p, Best Case -> the stage default 0.60 comes first: 48000;
    # Negotiation/Review 90%: 135000; Needs Analysis 20%: 6000
    assert d["weighted_pipeline"] == approx(219000)
    r = reached(d)
    assert (r["prospecting"], r["needsanalysis"], r["valueproposition"]) == (8, 7, 6)
    assert (r["iddecisionmakers"], r["negotiationreview"]) == (5, 4)
    o = owners(d)
    owner_row(o["0055g00000AbCdEAAV"], 5, 2, 1, 2)
    assert o["0055g00000AbCdEAAV"]["avg_deal_size"] == approx(135000)  # (60000 + 210000) / 2
    owner_row(o["0055g00000AbCdFAAV"], 5, 1, 1, 3)


def test_pipedrive_status_decides_and_lost_deals_count_up_to_their_stage():
    """Pipedrive Deals > Export (CSV): "Deal - " headers, a Currency column (one currency),
    Status won/lost/open; won and lost deals keep the stage they were in."""
    d = analyze("pipedrive_deals.csv")
    assert (d["rows_read"], d["rows_kept"], d["rows_rejected"]) == (12, 12, 0)
    assert d["cells_emptied"] == []
    assert d["mapping"]["stage"] == "Deal - Stage"
    assert d["mapping"]["amount"] == "Deal - Value"
    assert (d["opportunities"], d["won"], d["lost"], d["open"]) == (12, 3, 4, 5)
    assert d["win_rate"] == approx(3 / 7)
    assert d["win_rate_value"] == approx(17300 / 37800)  # won 4500+12000+800; lost 3000+7000+1500+9000
    assert d["avg_deal_size"] == approx(17300 / 3)  # 5766.67
    # won deals close at "Deal - Won time" (expected close date is blank on them):
    # Jan 11 -> Feb 20 = 40; Jan 15 -> Mar 1 = 46; Feb 1 08:00 -> Feb 1 17:30 = 0
    assert d["cycle_days_mean"] == approx(86 / 3)  # 28.67
    assert d["cycle_days_median"] == approx(40)
    assert d["pipeline_value"] == approx(35500)  # 2000 + 2500 + 6000 + 10000 + 15000
    # furthest: won -> last stage; lost at their stage (106 Qualified, 104 Contact Made,
    # 105 Demo Scheduled, 107 Proposal Made); open one in each of the 5 stages
    r = reached(d)
    assert r["qualified"] == 12
    assert r["contactmade"] == 10  # 12 - (106 lost, 108 open)
    assert r["demoscheduled"] == 8  # 10 - (104 lost, 109 open)
    assert r["proposalmade"] == 6  # 8 - (105 lost, 110 open)
    assert r["negotiationsstarted"] == 4  # 6 - (107 lost, 111 open) = 112 open + 3 won
    o = owners(d)
    owner_row(o["Maria Keller"], 7, 2, 2, 3)
    assert o["Maria Keller"]["win_rate"] == approx(0.5)
    assert o["Maria Keller"]["avg_deal_size"] == approx(8250)  # (4500 + 12000) / 2
    owner_row(o["Jonas Berg"], 5, 1, 2, 2)
    assert o["Jonas Berg"]["win_rate"] == approx(1 / 3)
    assert no_currency_warning(d)


def test_quicksight_long_export_is_read_as_stage_history():
    """Amazon QuickSight "Sales Pipeline" sample shape: one row per stage entry, deals named in
    "Lead Name", M/D/YYYY, rows of a deal out of order, Closed Lost rows with revenue 0, an
    unreliable "Latest Status Entry" flag, a lead that is only a Closed Lost row."""
    d = analyze("quicksight_pipeline_long.csv")
    assert d["long_format"] is True
    assert (d["rows_read"], d["rows_kept"], d["rows_rejected"]) == (16, 16, 0)  # history rows
    assert d["mapping"]["stage"] == "Opportunity Stage"
    assert "Lead Name" in d["mapping"].values()
    # 7 leads; current stage = chronologically last row: US_SMB_1 Closed Won (its won row is listed
    # first), US_Enterprise_2 Closed Lost, EMEA_SMB_3 Closed Lost, EMEA_Startup_4 Closed Won,
    # APAC_SMB_5 Prospect, APAC_Enterprise_6 Qualified, US_SMB_7 Closed Lost
    assert (d["opportunities"], d["won"], d["lost"], d["open"]) == (7, 2, 3, 2)
    assert d["win_rate"] == approx(0.4)  # 2 / 5
    assert d["avg_deal_size"] == approx(10000)  # (11000 + 9000) / 2
    # amount = last positive in the history: lost US_Enterprise_2 60000, US_SMB_7 3000, EMEA_SMB_3 none
    assert d["win_rate_value"] == approx(20000 / 83000)
    # created = first entry: US_SMB_1 Jan 4 -> Apr 20 2016 = 107; EMEA_Startup_4 Jan 20 -> May 5 = 106
    assert d["cycle_days_mean"] == approx(106.5)
    assert d["cycle_days_median"] == approx(106.5)
    assert d["pipeline_value"] == approx(30000)  # APAC_SMB_5 5000 + APAC_Enterprise_6 25000
    # furthest: won 4 (x2), lost at Contracting 3, lost at Lead 0, Prospect 1, Qualified 2;
    # EMEA_SMB_3 has no stage before its loss and is left out
    r = reached(d)
    assert [r["lead"], r["prospect"], r["qualified"], r["contracting"], r["closedwon"]] == [6, 5, 4, 3, 2]
    o = owners(d)
    owner_row(o["Anne Smith"], 3, 1, 2, 0)
    assert o["Anne Smith"]["avg_deal_size"] == approx(11000)
    owner_row(o["David King"], 2, 1, 1, 0)
    owner_row(o["Walter Landfair"], 2, 0, 0, 2)
    assert o["Walter Landfair"]["win_rate"] is None  # no closed deals


@pytest.mark.parametrize(
    "name",
    [
        "excel_unicode_text_utf16le.txt",  # Excel "Unicode text": UTF-16 LE with BOM, tab-delimited
        "excel_unicode_text_utf16be.txt",  # the same table as UTF-16 BE with BOM
        "excel_csv_utf8_bom.csv",  # Excel "CSV UTF-8 (comma delimited)": UTF-8 with BOM
    ],
)
def test_excel_resaved_encodings(name):
    """A Maven-style opportunity table re-saved through Excel: US short dates, "$4,820.00",
    $0.00 on lost deals, blank amount/dates on open ones, accented names."""
    d = analyze(name)
    assert (d["rows_read"], d["rows_kept"], d["rows_rejected"]) == (10, 10, 0)
    assert d["cells_emptied"] == []
    assert (d["opportunities"], d["won"], d["lost"], d["open"]) == (10, 4, 2, 4)
    assert d["win_rate"] == approx(4 / 6)
    assert d["win_rate_value"] is None  # both lost deals carry $0.00 (METRICS.md §2)
    assert d["avg_deal_size"] == approx(9566 / 4)  # (4820 + 1096 + 550 + 3100) / 4 = 2391.5
    # Oct 20 -> Nov 28 = 39; Oct 25 -> Dec 14 = 50; Nov 2 -> Nov 2 = 0; Nov 14 -> Dec 23 = 39
    assert d["cycle_days_mean"] == approx(32)  # 128 / 4
    assert d["cycle_days_median"] == approx(39)
    assert d["pipeline_value"] is None  # open deals carry no amount: undefined, not $0
    assert "open deals" in d["undefined"]["pipeline_value"]
    r = reached(d)
    assert (r["prospecting"], r["engaging"], r["won"]) == (8, 7, 4)  # 4 won + 3 Engaging + 1 Prospecting
    o = owners(d)
    assert set(o) == {"Zoë Ångström", "José Núñez"}
    owner_row(o["Zoë Ångström"], 5, 2, 1, 2)
    assert o["Zoë Ångström"]["avg_deal_size"] == approx(2958)  # (4820 + 1096) / 2
    owner_row(o["José Núñez"], 5, 2, 1, 2)
    assert o["José Núñez"]["avg_deal_size"] == approx(1825)  # (550 + 3100) / 2


def test_cp1252_semicolons_decimal_commas_and_dotted_dates():
    """German/French Excel "CSV (Trennzeichen-getrennt)": cp1252 (€ is byte 0x80, é, ü, ß),
    semicolons, "1.250,50 €", dd.mm.yyyy."""
    assert b"\x80" in (EXPORTS / "excel_cp1252_semicolon.csv").read_bytes()
    d = analyze("excel_cp1252_semicolon.csv")
    assert (d["rows_read"], d["rows_kept"], d["rows_rejected"]) == (8, 8, 0)
    assert d["cells_emptied"] == []
    assert (d["opportunities"], d["won"], d["lost"], d["open"]) == (8, 3, 2, 3)
    assert d["avg_deal_size"] == approx(14230.5 / 3)  # (1250.50 + 12000 + 980) / 3 = 4743.50
    assert d["win_rate_value"] == approx(14230.5 / 25431.25)  # lost 3400.75 + 7800 = 11200.75
    # 03.01 -> 15.02 = 43; 10.01 -> 10.01 = 0; 22.01 -> 05.03 (2024) = 43
    assert d["cycle_days_mean"] == approx(86 / 3)
    assert d["cycle_days_median"] == approx(43)
    assert d["pipeline_value"] == approx(22750.25)  # 5000 + 2250.25 + 15500
    # Salesforce defaults: Needs Analysis 5000x0.2 + Negotiation 2250.25x0.9 + Prospecting 15500x0.1
    assert d["weighted_pipeline"] == approx(1000 + 2025.225 + 1550)
    o = owners(d)
    assert set(o) == {"Renée Favre", "Jürgen Weiß"}
    owner_row(o["Renée Favre"], 4, 2, 1, 1)
    assert o["Renée Favre"]["avg_deal_size"] == approx(1115.25)  # (1250.50 + 980) / 2
    owner_row(o["Jürgen Weiß"], 4, 1, 1, 2)
    assert no_currency_warning(d)


# ---- rule 1: rows rejected only when they cannot be a deal -------------------------------------


def test_unreadable_close_date_keeps_the_lost_deal():
    d = analyze("na_close_date.csv")
    assert (d["rows_read"], d["rows_kept"], d["rows_rejected"]) == (2, 2, 0)
    assert (d["opportunities"], d["won"], d["lost"]) == (2, 1, 1)
    assert d["win_rate"] == approx(0.5)  # 1 / (1 + 1): the n/a deal still counts as lost
    assert d["cells_emptied_by_field"] == {"close_date": 1}
    (cell,) = d["cells_emptied"]
    assert (cell["line"], cell["column"], cell["field"], cell["value"]) == (3, "Close Date", "close_date", "n/a")
    assert d["cycle_days_mean"] == approx(30)  # Jan 10 -> Feb 9


def test_broken_lines_are_rejected_with_their_physical_line_numbers():
    """Line 2-3 is one record (quoted newline); line 4 an unquoted extra comma; line 6 a short
    row; line 7 an unclosed quote (must not swallow lines 8-11); line 9 has no stage."""
    d = analyze("broken_lines.csv")
    assert d["rows_read"] == 9  # records on lines 2-3, 4, 5, 6, 7, 8, 9, 10, 11
    assert (d["rows_kept"], d["rows_rejected"]) == (5, 4)
    assert [r["line"] for r in d["rejected"]] == [4, 6, 7, 9]
    assert "stage" in d["rejected"][3]["reason"].lower()
    # kept: OPP-001 won, OPP-003 won, OPP-006 lost, OPP-008 open, OPP-009 won
    assert (d["opportunities"], d["won"], d["lost"], d["open"]) == (5, 3, 1, 1)
    assert d["win_rate"] == approx(0.75)
    assert d["avg_deal_size"] == approx(6000)  # (5000 + 7000 + 6000) / 3
    assert d["win_rate_value"] == approx(18000 / 22000)  # lost OPP-006 4000
    assert d["cycle_days_mean"] == approx(15)  # (30 + 15 + 0) / 3
    assert d["cycle_days_median"] == approx(15)
    assert d["pipeline_value"] == approx(12000)  # OPP-008


def test_unreadable_cells_are_emptied_and_listed():
    """Amount "TBD", close date 2024-02-30, probability "high": the deals are kept."""
    d = analyze("bad_cells.csv")
    assert (d["rows_read"], d["rows_kept"], d["rows_rejected"]) == (6, 6, 0)
    assert d["cells_emptied_by_field"] == {"amount": 1, "close_date": 1, "probability": 1}
    assert emptied(d) == [(3, "amount"), (4, "close_date"), (6, "probability")]
    assert (d["won"], d["lost"], d["open"]) == (3, 1, 2)
    assert d["avg_deal_size"] == approx(15000)  # (10000 + 20000) / 2 won deals with an amount
    assert d["win_rate_value"] == approx(30000 / 35000)
    assert d["cycle_days_mean"] == approx(15)  # Alpha 20, Bravo 10; Charlie has no close date
    assert numbers_in(d["rests_on"]["cycle_days"]) >= {2, 3}  # 2 of 3 won deals
    assert d["pipeline_value"] == approx(30000)
    # Echo's "high" emptied -> Proposal/Price Quote default 0.75: 7500; Foxtrot 20000 x 0.9 = 18000
    assert d["weighted_pipeline"] == approx(25500)


# ---- rule 2: dates -----------------------------------------------------------------------------


def test_month_name_dates():
    d = analyze("month_name_dates.csv")
    assert d["cells_emptied"] == []
    assert (d["won"], d["lost"], d["open"]) == (4, 1, 1)
    # "Oct 20, 2016"->"Nov 3, 2016" 14; 20-Oct-2016->05-Dec-2016 46; 11 Jan 2024->2 Feb 2024 22;
    # "January 11, 2024"->"March 1, 2024" 50
    assert d["cycle_days_mean"] == approx(33)  # 132 / 4
    assert d["cycle_days_median"] == approx(34)  # (22 + 46) / 2


def test_iso_dates_with_t_z_offsets_milliseconds_and_utc():
    d = analyze("iso_dates.csv")
    assert d["cells_emptied"] == []
    assert (d["won"], d["lost"]) == (8, 1)
    # Z 10; +02:00 20; " UTC" 30; .123Z same day 0; no seconds 4; "09:30"->next day 08:00 1;
    # dates only 7; -05:00 3 (local calendar dates as written)
    assert d["cycle_days_mean"] == approx(75 / 8)  # 9.375
    assert d["cycle_days_median"] == approx(5.5)  # sorted 0 1 3 4 7 10 20 30


def test_compact_and_excel_serial_dates():
    """Created as yyyymmdd, closed as Excel serial numbers (a General-formatted date column)."""
    d = analyze("numeric_dates.csv")
    assert d["cells_emptied"] == []
    # 20240105 -> 45301 (2024-01-10) 5; 20240110 -> 45317 (01-26) 16; 20240201 -> 45341 (02-19) 18
    assert d["cycle_days_mean"] == approx(13)  # 39 / 3
    assert d["cycle_days_median"] == approx(16)


@pytest.mark.parametrize("flags", [(), ("--dayfirst",)])
def test_day_first_slash_dates_are_detected_from_the_data(flags):
    """UK export: 13/02/2024 can only be day first, so the whole column is."""
    d = analyze("slash_dayfirst.csv", *flags)
    assert d["cells_emptied"] == []
    # 13 Feb -> 4 Mar 2024 = 20; 5 Mar -> 28 Mar = 23; 1 Apr -> 2 Apr = 1 (month first would be 31)
    assert d["cycle_days_mean"] == approx(44 / 3)
    assert d["cycle_days_median"] == approx(20)


@pytest.mark.parametrize(
    ("flags", "mean", "median"),
    [
        ((), 182.5, 182.5),  # month first: Feb 3 -> Apr 3 = 60; Jan 2 -> Nov 2 = 305
        (("--dayfirst",), 6, 6),  # day first: 2 Mar -> 4 Mar = 2; 1 Feb -> 11 Feb = 10
    ],
)
def test_ambiguous_slash_dates_month_first_unless_dayfirst(flags, mean, median):
    d = analyze("slash_ambiguous.csv", *flags)
    assert d["won"] == 2
    assert d["cycle_days_mean"] == approx(mean)
    assert d["cycle_days_median"] == approx(median)


def test_us_short_dates_with_two_digit_years_and_am_pm():
    """Salesforce data re-saved through Excel: "02/03/24 08:55 PM", "03/07/24", TRUE/FALSE."""
    d = analyze("us_short_dates.csv")
    assert d["cells_emptied"] == []
    assert (d["won"], d["lost"], d["open"]) == (3, 1, 1)
    # Jan 8 -> Feb 19 = 42; Feb 3 8:55 PM -> Mar 7 = 33; Mar 1 11:59 PM -> Mar 1 = 0
    assert d["cycle_days_mean"] == approx(25)  # 75 / 3
    assert d["cycle_days_median"] == approx(33)


def test_cycle_is_calendar_days_never_negative():
    d = analyze("same_day_cycles.csv")
    assert (d["rows_read"], d["rows_kept"], d["rows_rejected"]) == (7, 7, 0)
    assert (d["won"], d["lost"]) == (6, 1)
    assert d["cells_emptied_by_field"] == {"close_date": 1}  # Echo "n/a", line 6
    assert emptied(d) == [(6, "close_date")]
    # Alpha 23:00 -> 01:00 next day = 1; Bravo same day = 0; Charlie closed 09:00 created 18:00
    # the same day = 0 (not -1); Delta Feb 1 -> Feb 29 = 28; Golf closes before it was created:
    # excluded; Echo has no close date
    assert d["cycle_days_mean"] == approx(29 / 4)  # 7.25
    assert d["cycle_days_median"] == approx(0.5)  # sorted 0 0 1 28
    assert numbers_in(d["rests_on"]["cycle_days"]) >= {4, 6}  # 4 of 6 won deals


# ---- rule 3: money -----------------------------------------------------------------------------


def test_dash_amounts_k_m_suffixes_and_parenthesised_negatives():
    d = analyze("money_dash_k_m.csv")
    assert (d["rows_read"], d["rows_kept"], d["rows_rejected"]) == (9, 9, 0)
    # "-" and "$ -" are empty, not unreadable; "($1,200.00)" is negative: emptied and listed
    assert d["cells_emptied_by_field"] == {"amount": 1}
    (cell,) = d["cells_emptied"]
    assert (cell["line"], cell["column"], cell["field"], cell["value"]) == (8, "Amount", "amount", "($1,200.00)")
    assert (d["won"], d["lost"], d["open"]) == (3, 3, 3)
    assert d["avg_deal_size"] == approx(1_300_000 / 3)  # 50000 + 50k + 1.2M
    assert d["win_rate_value"] == approx(1_300_000 / 1_312_500)  # lost: -, $ -, 12500
    assert d["pipeline_value"] == approx(3000)  # Golf emptied, India blank, Hotel 3000
    assert d["weighted_pipeline"] == approx(2700)  # Hotel 3000 x Negotiation/Review 0.9
    assert no_currency_warning(d)


@pytest.mark.parametrize(
    ("name", "won", "lost", "open_", "avg", "value_rate", "pipeline"),
    [
        # €1.000 next to €500: dot = thousands. Won 1000+500+2500, lost 12750, open 750+3200
        ("euro_dot_thousands.csv", 3, 1, 2, 4000 / 3, 4000 / 16750, 3950),
        # EUR 1.200, EUR 950, 2.500,00 EUR won; EUR 3.000 lost; EUR 12.000 open
        ("money_eur_codes.csv", 3, 1, 1, 1550, 4650 / 7650, 12000),
        # USD 300, USD 1,250.00 won; 2,000.00 USD lost; USD 45,000 open
        ("money_usd_codes.csv", 2, 1, 1, 775, 1550 / 3550, 45000),
        # 1'250'000 + 250'000 + 84<NBSP>500 won; 12<U+202F>500,00 + "3 750" lost; 1<NBSP>000<NBSP>000 open
        ("nbsp_apostrophe_thousands.csv", 3, 2, 1, 1_584_500 / 3, 1_584_500 / 1_600_750, 1_000_000),
    ],
)
def test_amount_formats(name, won, lost, open_, avg, value_rate, pipeline):
    d = analyze(name)
    assert d["rows_rejected"] == 0
    assert d["cells_emptied"] == []
    assert (d["won"], d["lost"], d["open"]) == (won, lost, open_)
    assert d["avg_deal_size"] == approx(avg)
    assert d["win_rate_value"] == approx(value_rate)
    assert d["pipeline_value"] == approx(pipeline)
    assert no_currency_warning(d)


@pytest.mark.parametrize(
    "name",
    [
        "mixed_currencies.csv",  # "$12,000.00" and "€8,500.00" in one Amount column
        "pipedrive_mixed_currency.csv",  # Pipedrive "Deal - Currency" EUR and USD
    ],
)
def test_mixed_currencies_are_never_summed(name):
    d = analyze(name)
    assert (d["won"], d["lost"], d["open"]) == (2, 2, 2)
    assert d["win_rate"] == approx(0.5)  # counts are still fine
    assert d["avg_deal_size"] is None
    assert d["pipeline_value"] is None
    assert d["win_rate_value"] is None
    assert not no_currency_warning(d), d["warnings"]


# ---- rule 5: layout ----------------------------------------------------------------------------


def test_trailing_open_deals_with_only_a_stage_are_kept():
    """Maven-style export whose last three Prospecting deals carry nothing but the stage,
    followed by two blank lines (dropped, not counted)."""
    d = analyze("trailing_open_stage_only.csv", "--map", "created_date=engage_date")
    assert (d["rows_read"], d["rows_kept"], d["rows_rejected"]) == (10, 10, 0)
    assert (d["opportunities"], d["won"], d["lost"], d["open"]) == (10, 3, 2, 5)
    assert d["win_rate"] == approx(0.6)
    assert d["avg_deal_size"] == approx(8750 / 3)  # (550 + 4800 + 3400) / 3
    assert d["win_rate_value"] is None  # lost deals carry 0
    # Jan 3 -> Feb 14 = 42; Jan 9 -> Mar 10 (2017) = 60; Feb 6 -> Feb 20 = 14
    assert d["cycle_days_mean"] == approx(116 / 3)
    assert d["cycle_days_median"] == approx(42)
    r = reached(d)
    assert (r["prospecting"], r["engaging"], r["won"]) == (8, 5, 3)  # 3 won + 2 Engaging + 3 Prospecting


def test_password_protected_workbook_exits_2():
    code, out, err = run(str(EXPORTS / "encrypted_workbook.xlsx"), "--json")
    assert_one_error_line(code, err, "password")
    assert out == ""


def test_password_protected_workbook_no_traceback_from_the_command():
    proc = subprocess.run(
        [sys.executable, "-m", "salesopt", "analyze", str(EXPORTS / "encrypted_workbook.xlsx"), "--json"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert_one_error_line(proc.returncode, proc.stderr, "password")


# ---- rule 6: stages ----------------------------------------------------------------------------


def test_stage_names_match_ignoring_case_and_spacing():
    d = analyze("stage_case.csv")
    assert (d["won"], d["lost"], d["open"]) == (3, 2, 3)  # "closed won", "Closed Won ", "CLOSED WON"
    assert d["win_rate"] == approx(0.6)
    assert d["avg_deal_size"] == approx(2000)
    assert d["win_rate_value"] == approx(6000 / 7200)  # lost 500 + 700
    assert d["pipeline_value"] == approx(15000)
    assert d["weighted_pipeline"] == approx(12000)  # (4000 + 6000) x 0.75 + 5000 x 0.9
    keys = [key(s["stage"]) for s in d["stages"]]
    assert len(keys) == len(set(keys))  # each stage once, whatever its spelling
    r = reached(d)
    assert (r["proposalpricequote"], r["negotiationreview"], r["closedwon"]) == (6, 4, 3)


def test_stages_flag_keeps_won_and_lost_detection():
    d = analyze("stage_case.csv", "--stages", "Proposal/Price Quote,Negotiation/Review,Closed Won")
    assert (d["won"], d["lost"], d["open"]) == (3, 2, 3)  # "Closed  Lost" still lost
    assert [key(s["stage"]) for s in d["stages"]] == ["proposalpricequote", "negotiationreview", "closedwon"]
    assert [s["reached"] for s in d["stages"]] == [6, 4, 3]
    assert d["stages"][0]["conversion_to_next"] == approx(4 / 6)
    assert d["stages"][1]["conversion_to_next"] == approx(3 / 4)
    assert d["stages"][2]["conversion_to_next"] is None


# ---- rule 7: leads with a 0/1 outcome ----------------------------------------------------------


def test_converted_leads_as_a_one_step_funnel():
    """Lead-scoring export (X Education shape): no stage, a 0/1 "Converted" outcome."""
    d = analyze("converted_leads.csv", "--map", "stage=Converted")
    assert (d["rows_read"], d["rows_kept"], d["rows_rejected"]) == (20, 20, 0)
    assert (d["opportunities"], d["won"], d["lost"], d["open"]) == (20, 8, 12, 0)
    assert d["win_rate"] == approx(0.4)  # 8 / 20


def test_converted_leads_without_a_map_exit_2_naming_the_columns():
    code, out, err = run(str(EXPORTS / "converted_leads.csv"), "--json")
    assert_one_error_line(code, err, "Converted")
    assert out == ""


# ---- property: never a traceback ---------------------------------------------------------------

GOOD = {
    "Opportunity Name": st.sampled_from(["Acme", "Globex, Inc.", "Zoë Ltd", ""]),
    "Stage": st.sampled_from(["Closed Won", "closed lost", "Prospecting", "Negotiation/Review", "", "Won"]),
    "Amount": st.sampled_from(["1000", "$1,250.00", "1.250,50 €", "50k", "-", "(300)", "", "1'000"]),
    "Probability (%)": st.sampled_from(["10", "75%", "0.5", "", "100"]),
    "Created Date": st.sampled_from(["2024-01-05", "1/5/2024", "05.01.2024", "Oct 20, 2016", "45301", ""]),
    "Close Date": st.sampled_from(["2024-02-05 10:00", "13/02/2024", "2024-01-05T09:30:00Z", "n/a", ""]),
}
GARBAGE = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12),
    st.sampled_from(['"', '""', ",", ";", "\t", "\x00", "NaN", "inf", "-1e309", "9" * 30, "  ", "€", "\ufeff"]),
)


@st.composite
def csv_files(draw) -> bytes:
    columns = draw(st.permutations(list(GOOD)))[: draw(st.integers(2, len(GOOD)))]
    if draw(st.booleans()) and "Stage" not in columns:
        columns = [*columns, "Stage"]
    lines = [",".join(columns)]
    for _ in range(draw(st.integers(0, 12))):
        kind = draw(st.sampled_from(["good", "good", "mixed", "short", "long", "quote", "blank"]))
        cells = [draw(GOOD[c]) if kind == "good" else draw(st.one_of(GOOD[c], GARBAGE)) for c in columns]
        cells = [f'"{c}"' if "," in c and kind == "good" else c for c in cells]
        if kind == "short":
            cells = cells[: max(0, len(cells) - 1 - draw(st.integers(0, 2)))]
        elif kind == "long":
            cells += ["extra"]
        elif kind == "quote":
            cells[0] = '"' + cells[0]
        lines.append("" if kind == "blank" else ",".join(cells))
    text = "\n".join(lines) + draw(st.sampled_from(["\n", "", "\r\n"]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
    return text.encode(encoding, errors="replace")


# no shrink phase: a failing importer must not push the module past its time budget; examples are
# at most 12 lines, readable as they are
@settings(
    max_examples=60,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow],
)
@given(content=csv_files())
def test_any_small_csv_gives_figures_or_one_error_line(content):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.csv"
        path.write_bytes(content)
        code, out, err = run(str(path), "--json")
    assert code in (0, 2), (code, err)
    if code == 0:
        data = json.loads(out)
        assert data["rows_read"] == data["rows_kept"] + data["rows_rejected"]
    else:
        assert_one_error_line(code, err)
