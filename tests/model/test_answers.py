"""Typed answers: what people type becomes the stored value, or a message that says what is wrong."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from salesopt.content.frameworks import Question
from salesopt.model.answers import editable, parse, parse_duration, parse_money

MONEY = Question(id="m", prompt="Deal size?", type="money", min=0)
PERCENT = Question(id="p", prompt="Win rate?", type="percent", min=0, max=100)
ATTAINMENT = Question(id="a", prompt="Attainment?", type="percent", min=0, max=500)
DURATION = Question(id="d", prompt="Cycle?", type="duration", min=0, max=3650)
REPS = Question(id="r", prompt="Reps?", type="number", integer=True, min=0)
CHOICE = Question(id="c", prompt="Model?", type="choice", multiple=True, options=("B2B", "B2C"))
SINGLE = Question(id="s", prompt="One?", type="choice", options=("Yes", "No"))
TEXT = Question(id="t", prompt="Products?", type="text")


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("50000", 50000),
        ("$50,000", 50000),
        ("50k", 50000),
        ("50K", 50000),
        ("$1.2M", 1_200_000),
        ("USD 75,500.50", 75500.5),
        ("€ 20 000", 20000),
        ("0", 0),
        ("2bn", 2e9),
    ],
)
def test_money_is_read_from_the_usual_ways_of_writing_it(raw, value):
    assert parse(MONEY, raw).value == pytest.approx(value)


@pytest.mark.parametrize(
    ("q", "raw", "message"),
    [
        (MONEY, "-5000", "must not be negative"),
        (MONEY, "fifty", "'fifty' is not an amount of money"),
        (PERCENT, "120", "must be at most 100%"),
        (PERCENT, "-3%", "must not be negative"),
        (PERCENT, "abc", "'abc' is not a percent"),
        (DURATION, "9 fortnights", "is not a duration"),
        (DURATION, "20 years", "must be at most 3650 days"),
        (DURATION, "-3 days", "must not be negative"),
        (REPS, "ten", "'ten' is not a number"),
        (REPS, "10.5", "must be a whole number"),
        (REPS, "-1", "must not be negative"),
        (CHOICE, ["B2B", "Retail"], "'Retail' is not one of the options"),
        (TEXT, "x" * 5001, "keep it under 5,000"),
    ],
)
def test_bad_values_get_a_message_and_no_value(q, raw, message):
    parsed = parse(q, raw)
    assert parsed.value is None
    assert message in parsed.error


def test_percent_is_stored_as_a_fraction_and_may_exceed_100_where_allowed():
    assert parse(PERCENT, "20%").value == 0.2
    assert parse(PERCENT, "20").value == 0.2
    assert parse(ATTAINMENT, "120%").value == 1.2


@pytest.mark.parametrize(
    ("raw", "days"), [("9 months", 270), ("6 weeks", 42), ("45", 45), ("1 year", 365), ("2.5 mo", 75), ("10d", 10)]
)
def test_duration_is_stored_in_days(raw, days):
    assert parse(DURATION, raw).value == days


def test_empty_input_clears_the_answer():
    for q in (MONEY, PERCENT, DURATION, REPS, CHOICE, TEXT):
        assert parse(q, "").value is None
        assert parse(q, "").ok


def test_integer_questions_store_int_and_choices_store_lists():
    assert parse(REPS, "1,000").value == 1000
    assert isinstance(parse(REPS, "10").value, int)
    assert parse(CHOICE, ["B2C", "B2B"]).value == ["B2C", "B2B"]
    assert parse(SINGLE, "No").value == "No"


def test_helpers_reject_garbage():
    assert parse_money("1.2.3") is None
    assert parse_money("abc") is None
    assert parse_money("") is None
    assert parse_duration("months") is None


@given(st.floats(min_value=0, max_value=1e12, allow_nan=False).map(lambda x: round(x, 2)))
def test_money_editable_text_reads_back_to_the_same_value(value):
    assert parse(MONEY, editable(MONEY, value)).value == pytest.approx(value, rel=1e-12, abs=1e-9)


@given(st.integers(min_value=0, max_value=10000).map(lambda x: x / 10000))
def test_percent_editable_text_reads_back_to_the_same_value(fraction):
    assert parse(PERCENT, editable(PERCENT, fraction)).value == pytest.approx(fraction)


@given(st.integers(min_value=0, max_value=3650))
def test_duration_editable_text_reads_back_to_the_same_value(days):
    assert parse(DURATION, editable(DURATION, float(days))).value == days


@given(st.text(max_size=40))
def test_parsing_never_raises(text):
    for q in (MONEY, PERCENT, DURATION, REPS, TEXT):
        parse(q, text)


def test_formatting_shows_undefined_as_a_dash():
    from salesopt.report import fmt

    for f in (fmt.money, fmt.percent, fmt.days, fmt.number, fmt.times):
        assert f(None) == "—"
        assert f(float("nan")) == "—"
    assert fmt.money(50_000) == "$50,000" and fmt.money(1_250_000, compact=True) == "$1.2M"
    assert fmt.percent(0.125) == "12.5%" and fmt.times(2.5) == "2.5x" and fmt.days(270) == "270 days (9 months)"
