"""CRM profiles (frameworks/crm/): each CRM's export, built by hand from the vendor's documented
headers and formats (tests/fixtures/exports/crm/<vendor>.csv, the source cited in each profile),
read with no options through `salesopt analyze --json`, against figures worked by hand.

Definitions (METRICS.md §2): win rate = won / (won + lost); pipeline = sum of open amounts;
weighted = sum of open amount x the deal's probability; cycle = close - created in calendar days
over won deals. A deal closed without a win (Abandoned, Canceled, Out-Sold, "Closed Lost to
Competition") is lost, with that as its reason.
"""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from salesopt.cli import main
from salesopt.content.frameworks import load_kind, validate_text
from salesopt.content.schemas.crm import ROLE_FIELDS, CrmProfile
from salesopt.crm.fields import FIELDS
from salesopt.crm.profiles import by_name, profiles, recognise
from salesopt.crm.read import read_path
from salesopt.crm.table import CrmError
from salesopt.crm.values import money_value
from salesopt.funnel.stage2 import evaluate, load, stage_map_for
from tests.helpers import ROOT

CORPUS = ROOT / "tests" / "fixtures" / "exports" / "crm"


def approx(x: float) -> object:
    return pytest.approx(x, rel=1e-9, abs=1e-9)


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(["analyze", *args])
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 2
    return code, out.getvalue(), err.getvalue()


def analyze(name: str, *flags: str) -> dict:
    code, out, err = run(str(CORPUS / name), "--json", *flags)
    assert code == 0, err
    data = json.loads(out)
    assert data["rows_read"] == data["rows_kept"] + data["rows_rejected"]
    return data


# file, profile, won, lost, open, win rate, pipeline, weighted pipeline, cycle mean, cycle median
CASES = [
    # Zoho: 3 won (cycles 30, 30: Jan 31 -> Mar 1 in a leap year, 10); lost = 1 Closed Lost + 2 "Closed Lost
    # to Competition"; open 4000+6000+9000+15000+11000+3000 = 48000; weighted 400+1200+3600+11250+9900+300
    ("zoho.csv", "Zoho CRM deals", 3, 3, 6, 3 / 6, 48000, 26650, 70 / 3, 30),
    # Pipedrive: won on Jan 21 (20 days) and Feb 9 (30), not the expected close dates; 3 lost by Status;
    # open 6000+7000+8000+1000+9000; weighted with the stage set: .1x6000+.2x7000+.4x8000+.6x1000+.8x9000
    ("pipedrive.csv", "Pipedrive deals", 2, 3, 5, 2 / 5, 31000, 13000, 25, 25),
    # Dynamics: actual close over Est. Close: 30 (Jan 21 -> Feb 20), 40 (Jan 1 -> Feb 10), 30 (Feb 1 -> Mar 2);
    # Out-Sold and 2 Canceled lost; On Hold open; open 4000+6000+10000+12000; weighted .2x4000+.4x6000+...
    ("dynamics365.csv", "Dynamics 365 Sales opportunities", 3, 3, 4, 3 / 6, 32000, 18800, 100 / 3, 30),
    # Close: value in cents: open 100000+250000+400000+50000+150000 cents = $9,500; confidence 20/50/70/20/50
    # -> 200+1250+2800+100+750; won cycles 30, 20, 10
    ("close.csv", "Close opportunities", 3, 2, 5, 3 / 5, 9500, 5100, 20, 20),
    # Freshsales: Closed date over Expected close date: 30 (Feb 4 -> Mar 5), 20, 40 (Mar 1 -> Apr 10);
    # open 5000+2000+7000+10000+1000; weighted 500+200+2800+7000+700
    ("freshsales.csv", "Freshsales deals", 3, 2, 5, 3 / 5, 25000, 11200, 30, 30),
    # Copper: 2 Lost + 2 Abandoned are lost: 2 / (2 + 4); open 1000+2000+3000+4000+5000+1500;
    # weighted 100+500+1500+3000+4500+150; cycles 20 (Feb 10 -> Mar 1), 30
    ("copper.csv", "Copper opportunities", 2, 4, 6, 2 / 6, 16500, 9750, 25, 25),
    # Insightly: Lost + 2 Abandoned lost, Suspended open: open 5000+1000+2000+3000+6000;
    # weighted 3000+200+400+1200+4200; cycles by Actual Close Date 30 (Feb 10 -> Mar 11) and 10
    ("insightly.csv", "Insightly opportunities", 2, 3, 5, 2 / 5, 17000, 9000, 20, 20),
    # monday.com: 9 deals among group titles, repeated headers and subitems; Gamma's "2023-05-12" in Deal
    # Value is emptied, so the pipeline is 12000+8000+5000 and weighted .5x12000+.2x8000+.2x5000; cycles by
    # Actual Close Date 30, 30, 20
    ("monday.csv", "monday.com board", 3, 2, 4, 3 / 5, 25000, 8600, 80 / 3, 30),
    # Odoo: archived (Active = False) opportunities are lost; Won stage won; open 1000+4000+6000+8000;
    # weighted 100+1200+3600+5600; cycles by Closed Date 30, 20, 10
    ("odoo.csv", "Odoo CRM pipeline", 3, 3, 4, 3 / 6, 19000, 10500, 20, 20),
    # HubSpot: "Amount in company currency" over Amount + Currency (EUR, GBP, USD): open 1000+2200+3000+5000+
    # 5000; weighted .2x1000+.4x2200+.6x3000+.8x5000+.9x5000; cycles 30, 10 (Feb 20 -> Mar 1), 19
    ("hubspot.csv", "HubSpot deals", 3, 2, 5, 3 / 5, 16200, 11380, 59 / 3, 19),
    # Salesforce report: "Amount (converted)" in USD over the per-deal currencies; open 1000+2200+3000+
    # 4000+5000; weighted .1x1000+.1x2200+.2x3000+.5x4000+.9x5000; cycles 30, 10, 30
    ("salesforce_report.csv", "Salesforce opportunity report", 3, 2, 5, 3 / 5, 15200, 7420, 70 / 3, 30),
    # OpportunityHistory: 18 change rows of 6 opportunities; CreatedDate is the change date; open D (5000 at
    # 10%) and E (8000 at 50%); won A (Jan 1 -> Jan 31) and C (Feb 1 -> Mar 2): 30 days each
    ("salesforce_opportunity_history.csv", "Salesforce OpportunityHistory", 2, 2, 2, 2 / 4, 13000, 4500, 30, 30),
]


@pytest.mark.parametrize(
    ("name", "profile", "won", "lost", "open_", "win_rate", "pipeline", "weighted", "mean", "median"),
    CASES,
    ids=[c[0] for c in CASES],
)
def test_each_crm_export_reads_right_with_no_options(
    name, profile, won, lost, open_, win_rate, pipeline, weighted, mean, median
):
    d = analyze(name)
    assert d["profile"] == profile
    assert (d["won"], d["lost"], d["open"]) == (won, lost, open_)
    assert d["win_rate"] == approx(win_rate)
    assert d["pipeline_value"] == approx(pipeline)
    assert d["weighted_pipeline"] == approx(weighted)
    assert d["cycle_days_mean"] == approx(mean)
    assert d["cycle_days_median"] == approx(median)
    assert d["rows_rejected"] == 0


def test_every_profile_in_the_corpus_is_recognised_by_its_own_headers():
    seen = {analyze(c[0])["profile"] for c in CASES}
    assert len(seen) == len(CASES)


def test_zoho_closed_lost_to_competition_is_lost_with_its_reason_and_not_a_funnel_step():
    d = analyze("zoho.csv")
    stages = [s["stage"] for s in d["stages"]]
    # the order of Zoho's stage set, never the closed deals' 0% probabilities
    assert stages == ["Qualification", "Needs Analysis", "Value Proposition", "Proposal/Price Quote",
                      "Negotiation/Review", "Closed Won"]  # fmt: skip
    imported = load(b"", "zoho.csv", path=str(CORPUS / "zoho.csv"))
    reasons = dict(
        imported.sql("select opportunity_id, loss_reason from deals where loss_reason is not null").fetchall()
    )
    assert reasons == {"zcrm_5005": "Closed Lost to Competition", "zcrm_5006": "Closed Lost to Competition"}


def test_dynamics_canceled_and_out_sold_are_lost_with_their_reason():
    imported = load(b"", "dynamics365.csv", path=str(CORPUS / "dynamics365.csv"))
    result = evaluate(imported, stage_map_for(imported))
    lost = result.columns("opportunity_id", "loss_reason", where="status = 'lost'")
    assert sorted(lost["loss_reason"]) == ["Canceled", "Canceled", "Out-Sold"]
    assert imported.report.profile_id == "dynamics365"
    # the funnel ends in Won: the Status Reason column says which deals were won
    assert result.stage_map.funnel[-1] == "Won"
    assert not any("no won stage" in n for n in result.stage_map.notes)


def test_copper_funnel_order_comes_from_open_deals_not_from_lost_ones():
    # lost and abandoned deals keep their stage at 0%: Presentation's median over every deal would be 0%
    d = analyze("copper.csv")
    assert [s["stage"] for s in d["stages"]] == [
        "Qualified", "Follow-up", "Presentation", "Contract Sent", "Negotiation", "Won"
    ]  # fmt: skip


def test_monday_board_layout_rows_are_skipped_and_a_date_amount_is_emptied():
    d = analyze("monday.csv")
    # 2 group titles, 2 repeated headers, 2 "Subitems" rows and their 3 subitems
    assert d["rows_read"] == 9 and d["rows_rejected"] == 0
    assert any("9 row(s) of the monday.com board layout skipped" in w for w in d["warnings"])
    assert d["cells_emptied"] == [
        {"line": 9, "column": "Deal Value", "field": "amount", "value": "2023-05-12", "reason": "a date, not an amount"}
    ]


def test_opportunity_history_alone_reads_created_date_as_the_change_date():
    d = analyze("salesforce_opportunity_history.csv")
    assert d["mapping"]["entered_at"] == "CreatedDate"
    assert d["mapping"]["opportunity_id"] == "OpportunityId"
    assert d["rows_read"] == 18 and d["opportunities"] == 6 and d["rejected"] == []


@pytest.mark.parametrize(
    ("name", "column"),
    [("hubspot.csv", "Amount in company currency"), ("salesforce_report.csv", "Amount (converted)")],
)
def test_a_converted_amount_wins_over_per_deal_currencies(name, column):
    d = analyze(name)
    assert d["mapping"]["amount"] == column
    assert "currency" not in d["mapping"]
    assert not any("several currencies" in w for w in d["warnings"])


def test_actual_close_wins_over_expected_close():
    d = analyze("pipedrive.csv")
    assert d["mapping"]["actual_close_date"] == "Deal - Deal closed on"
    assert d["mapping"]["close_date"] == "Deal - Expected close date"
    assert d["currency"] == "EUR"  # from "Deal - Currency of value"


def test_profile_named_on_the_command_line_reads_the_file():
    d = analyze("zoho.csv", "--profile", "generic")
    assert d["profile"] == "generic spreadsheet"
    # the generic outcome words still know "Closed Lost to Competition"
    assert (d["won"], d["lost"], d["open"]) == (3, 3, 6)


def test_unknown_profile_is_one_error_line_naming_the_choices():
    code, out, err = run(str(CORPUS / "zoho.csv"), "--profile", "sugarcrm")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "unknown CRM profile" in err and "zoho" in err


def test_text_report_says_which_profile_read_the_file():
    code, out, _ = run(str(CORPUS / "close.csv"))
    assert code == 0
    assert "(read as Close opportunities)" in out.splitlines()[0]


@pytest.mark.parametrize("text", ["2023-05-12", "2023-05-12 10:00:00", "12/05/2023", "12.05.2023", "2023/05/12"])
def test_a_date_in_a_money_cell_is_no_amount(text):
    assert money_value(text) is None


@pytest.mark.parametrize(("text", "value"), [("1.250.000", 1250000.0), ("12,05", 12.05), ("$1,250.00", 1250.0)])
def test_money_that_looks_a_little_like_a_date_is_still_money(text, value):
    assert money_value(text) == value


def test_recognise_falls_back_to_the_generic_profile():
    profile = recognise(["Opportunity", "Phase", "Value"])
    assert profile is not None and profile.id == "generic"
    assert recognise(read_path(str(CORPUS / "odoo.csv"), "odoo.csv", {}).columns).id == "odoo"  # type: ignore[union-attr]


def test_by_name_takes_an_id_or_a_title():
    assert by_name("Zoho CRM deals").id == "zoho"
    with pytest.raises(CrmError):
        by_name("nope")


def test_profiles_name_only_fields_of_the_opportunity_table():
    assert set(ROLE_FIELDS) == set(FIELDS)


def test_every_profile_cites_its_source_and_names_a_known_stage_set():
    stage_sets, _ = load_kind("stage_sets")
    for p in profiles():
        assert p.source.startswith("https://") or p.recognise is None, p.id
        assert p.stage_set is None or p.stage_set in stage_sets, p.id


def test_a_bad_profile_is_reported_with_its_file_line_and_field():
    text = "id: acme\ntitle: Acme CRM deals\nsource: https://example.com\ncolumns:\n  amonut: [Amount]\n"
    item, problems = validate_text(text, CrmProfile, "frameworks/crm/acme.yaml")
    assert item is None
    (problem,) = problems
    assert problem.file == "frameworks/crm/acme.yaml" and problem.field == "columns"
    assert problem.line == 5 and "unknown field 'amonut'" in problem.message


def test_an_outcome_word_cannot_mean_two_things():
    text = "id: acme\ntitle: Acme\nsource: https://example.com\noutcomes:\n  won: [Won]\n  closed_without_win: [won]\n"
    _, problems = validate_text(text, CrmProfile, "acme.yaml")
    assert problems and "'won' is both won and closed_without_win" in problems[0].message


def test_the_corpus_fixtures_are_small_and_hand_made():
    for path in sorted(Path(CORPUS).glob("*.csv")):
        lines = path.read_text(encoding="utf-8").splitlines()
        assert 10 <= len(lines) <= 30, path.name


def test_the_import_cache_keeps_which_profile_read_the_file(tmp_path):
    from salesopt.crm import cache

    imported = load(b"", "zoho.csv", path=str(CORPUS / "zoho.csv"))
    cache.save(imported, tmp_path / "entry")
    again = cache.load(tmp_path / "entry")
    assert again is not None
    assert again.report.profile == "Zoho CRM deals"
    assert sorted(again.report.lost_stages) == ["Closed Lost", "Closed Lost to Competition"]
    assert isinstance(again.report.lost_stages, tuple)


def test_hubspot_date_entered_columns_give_the_stage_history():
    d = analyze("hubspot_date_entered.csv")
    assert d["profile"] == "HubSpot deals"
    assert (d["won"], d["lost"], d["open"]) == (2, 3, 5)
    # furthest stage: W1, W2 won (4); lost at their last open stage entered: L1 Qualified To Buy (1),
    # L2 Appointment Scheduled (0), L3 Presentation Scheduled (2); open O1 0, O2 1, O3 2, O4 3, O5 0
    reached = [(s["stage"], s["reached"]) for s in d["stages"]]
    assert reached == [("Appointment Scheduled", 10), ("Qualified To Buy", 7), ("Presentation Scheduled", 5),
                       ("Contract Sent", 3), ("Closed Won", 2)]  # fmt: skip
    time_in = {s["stage"]: s["time_in_stage_days_median"] for s in d["stages"]}
    # Presentation Scheduled left after 10 (W1), 17 (L3) and 15 days (O4): median 15; Contract Sent after
    # 11 days 3 hours (W1: Jan 20 09:00 -> Jan 31 12:00) and 8 days 3 hours (W2): median 9.625
    assert time_in["Presentation Scheduled"] == approx(15)
    assert time_in["Contract Sent"] == approx(9.625)
    assert not any("no known stage" in w for w in d["warnings"])
    assert any("29 stage entries" in w for w in d["warnings"])
