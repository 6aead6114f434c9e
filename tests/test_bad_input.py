"""The malformed-input corpus (tests/fixtures/bad, made by make_corpus.py): every file gets a clear
message that names it and says what is wrong, never another exception; and property tests that
the importer and the calculators never raise on anything."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salesopt.content.frameworks import Scorecard, validate_text
from salesopt.crm import CrmError, import_opportunities, read_table
from salesopt.funnel.analysis import analyze, classify
from salesopt.funnel.stages import detect
from salesopt.model.files import AssessmentFileError, from_file_bytes
from tests.helpers import ROOT

CORPUS = ROOT / "tests" / "fixtures" / "bad"

# file -> (outcome, text the message must contain). outcome: "error" = refused with one message;
# "rejected" = imported, with that reason on a rejected row; "emptied" = imported, every deal kept,
# with that reason on an emptied cell; "warning" = imported, with a warning.
EXPECTED = {
    "csv_empty.csv": ("error", "the file is empty"),
    "csv_blank_lines.csv": ("error", "the file is empty"),
    "csv_header_only.csv": ("error", "only a header, no data rows"),
    "csv_no_stage.csv": ("error", "no column is recognised as the deal stage"),
    "csv_all_amounts_text.csv": ("emptied", "not an amount"),
    "csv_binary_junk.csv": ("error", "binary content"),
    "csv_png_renamed.csv": ("error", "binary content"),
    "csv_zip_not_xlsx.csv": ("error", "looks like an Excel workbook but cannot be read"),
    "csv_old_xls.csv": ("error", "old Excel 97-2003"),
    "csv_utf16.csv": ("ok", None),  # UTF-16 with a BOM is Excel's "Unicode text"
    "csv_every_row_no_stage.csv": ("error", "no row could be read"),
    "csv_dates_out_of_range.csv": ("emptied", "outside 1900-2100"),
    "csv_negative_amounts.csv": ("emptied", "a negative amount"),
    "csv_absurd_amount.csv": ("emptied", "not an amount"),  # 1e400
    "csv_duplicate_ids.csv": ("rejected", "duplicate opportunity id '1'"),
    "csv_formula_cells.csv": ("ok", None),
    # a cell past the 32,767 characters a cell may hold: its line is rejected, saying so (issue 22)
    "csv_huge_field.csv": ("rejected", "field 3 holds 200,000 characters, more than the 32,767 a cell may"),
    "csv_huge_text_cell.csv": ("error", "line 2: field 3 holds 1,000,000 characters"),
    "csv_bad_probability.csv": ("emptied", "not a probability"),
    "csv_unclosed_quote.csv": ("rejected", "an unclosed quote"),
    "csv_ragged_rows.csv": ("warning", ""),
    "csv_only_commas.csv": ("error", ""),
    "csv_nul_at_end.csv": ("error", "binary content"),
    "xlsx_no_stage.xlsx": ("error", "no column is recognised as the deal stage"),
    "xlsx_empty.xlsx": ("error", ""),
    "yaml_unknown_key.yaml": ("error", "colour: unknown field"),
    "yaml_wrong_type.yaml": ("error", "elements: Input should be a valid tuple"),
    "yaml_not_mapping.yaml": ("error", "expected a mapping of fields"),
    "yaml_syntax_error.yaml": ("error", "not valid YAML"),
    "yaml_python_tag.yaml": ("error", "not valid YAML"),
    "yaml_binary.yaml": ("error", "not valid YAML"),
    "yaml_duplicate_element.yaml": ("error", "element ids must be unique"),
    "yaml_billion_laughs.yaml": ("error", "name: required field is missing"),
    "assessment_foreign.json": ("error", "not a salesopt assessment file"),
    "assessment_newer.json": ("error", "newer salesopt (schema 99)"),
    "assessment_bad_json.json": ("error", "not valid JSON"),
    "assessment_wrong_types.json": ("error", "context.answers"),
    "assessment_unknown_field.yaml": ("error", "hacker: unknown field"),
    "assessment_binary.json": ("error", "binary content"),
    "assessment_list.json": ("error", "not an assessment file"),
    "assessment_bad_currency.json": ("error", "currency"),
    "assessment_negative_quota.json": ("error", "performance.quotas.0.quota"),
    "assessment_huge_title.json": ("error", "title"),
}


def test_the_corpus_has_at_least_40_inputs_and_each_has_an_expectation():
    files = sorted(p.name for p in CORPUS.iterdir() if p.suffix in (".csv", ".xlsx", ".yaml", ".json"))
    assert len(files) >= 40
    assert files == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_bad_input_gets_a_clear_message(name):
    outcome, text = EXPECTED[name]
    raw = (CORPUS / name).read_bytes()
    if name.startswith(("csv", "xlsx")):
        try:
            result = import_opportunities(read_table(raw, name), name=name)
        except CrmError as exc:
            assert outcome == "error", f"refused but expected {outcome}: {exc}"
            assert str(exc).startswith(f"{name}: ") and text in str(exc)
            assert "\n" not in str(exc)
            return
        assert outcome != "error", f"expected a refusal containing {text!r}"
        if outcome == "rejected":
            assert any(text in r.reason for r in result.report.rejected), result.report.rejected
        if outcome == "emptied":
            assert any(text in c.reason for c in result.report.cells_emptied), result.report.cells_emptied
            assert result.report.rows_rejected == 0
        if outcome == "warning":
            assert result.report.warnings or result.report.rows_rejected
    elif name.startswith("yaml"):
        card, problems = validate_text(raw.decode("utf-8", "replace"), Scorecard, name)
        assert card is None and problems
        assert any(text in str(p) for p in problems), [str(p) for p in problems]
        assert all(str(p).startswith(name) for p in problems)
    else:
        with pytest.raises(AssessmentFileError) as err:
            from_file_bytes(raw, name)
        assert str(err.value).startswith(name) and text in str(err.value)


csv_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(csv_text)
def test_the_importer_never_raises_anything_but_a_clear_error(text):
    """Any text: a clear CrmError, or an import where rows read = rows kept + rows rejected."""
    for raw in (text.encode("utf-8"), ("Stage,Amount,Created Date\n" + text).encode("utf-8")):
        try:
            result = import_opportunities(read_table(raw, "fuzz.csv"), name="fuzz.csv")
        except CrmError as exc:
            assert str(exc).startswith("fuzz.csv: ")
            continue
        report = result.report
        assert report.rows_read == report.rows_kept + report.rows_rejected  # every row accounted for
        assert len(result.deals) <= report.rows_kept


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["A", "B", "Won", "Lost", "", "weird"]),
            st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False, min_value=0, max_value=1e15)),
            st.sampled_from(["A", "B", None]),
        ),
        max_size=30,
    )
)
def test_the_calculators_never_raise_and_keep_rates_in_range(rows):
    deals = pd.DataFrame(
        {
            "opportunity_id": [str(i) for i in range(len(rows))],
            "stage": [r[0] for r in rows],
            "amount": [r[1] for r in rows],
            "lost_at_stage": [r[2] for r in rows],
        }
    )
    stage_map = detect(deals["stage"])
    a = analyze(classify(deals, stage_map), stage_map)
    for value in (a.win_rate, a.win_rate_value, *[s.conversion_to_next for s in a.stages]):
        assert value is None or 0 <= value <= 1
    reached = [s.reached for s in a.stages]
    assert reached == sorted(reached, reverse=True)
