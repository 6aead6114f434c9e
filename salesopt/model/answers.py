"""Typed answers: parse what a person typed into the value stored in the assessment.

Stored values: text and single choice -> str; multiple choice -> list[str]; number and money ->
float (int for integer questions); percent -> fraction (20% -> 0.2); duration -> days.
Parsing never raises: it returns the value or a message saying what is wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from salesopt.content.frameworks import Question
from salesopt.crm.values import money_value
from salesopt.report import fmt

AnswerValue = str | int | float | list[str] | None
MAX_TEXT = 5000

_UNITS = {
    "d": 1,
    "day": 1,
    "days": 1,
    "w": fmt.DAYS_PER_WEEK,
    "wk": fmt.DAYS_PER_WEEK,
    "wks": fmt.DAYS_PER_WEEK,
    "week": fmt.DAYS_PER_WEEK,
    "weeks": fmt.DAYS_PER_WEEK,
    "mo": fmt.DAYS_PER_MONTH,
    "mos": fmt.DAYS_PER_MONTH,
    "month": fmt.DAYS_PER_MONTH,
    "months": fmt.DAYS_PER_MONTH,
    "y": fmt.DAYS_PER_YEAR,
    "yr": fmt.DAYS_PER_YEAR,
    "yrs": fmt.DAYS_PER_YEAR,
    "year": fmt.DAYS_PER_YEAR,
    "years": fmt.DAYS_PER_YEAR,
}
_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?$")


@dataclass(frozen=True)
class Parsed:
    value: AnswerValue
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def _number(text: str) -> float | None:
    """A plain number with optional thousands commas: '1,250.5' -> 1250.5."""
    t = text.strip().replace(" ", "").replace("\u00a0", "")
    if not t or not _NUMBER.match(t) or t in ("+", "-", "."):
        return None
    try:
        return float(t.replace(",", ""))
    except ValueError:
        return None


def _bounds(q: Question, value: float, shown: str) -> str | None:
    if q.min is not None and value < q.min:
        return "must not be negative" if q.min == 0 else f"must be at least {q.min:g}{shown}"
    if q.max is not None and value > q.max:
        return f"must be at most {q.max:g}{shown}"
    return None


def parse_money(text: str) -> float | None:
    """'$50,000' / '50k' / '1.2M' / 'CHF 50k' / '€ 50 000' / '(500)' -> float; None when not money.

    The importer's rules for a money cell (salesopt/crm/values.py), so an answer and a CSV cell
    written the same way read the same value."""
    return money_value(text)


def parse_duration(text: str) -> float | None:
    """'9 months' -> 270, '6 weeks' -> 42, '45' -> 45 (days); None when not a duration."""
    m = re.match(r"^\s*([+-]?[0-9.,]+)\s*([a-z]*)\s*$", text.strip().lower())
    if not m:
        return None
    n = _number(m.group(1))
    unit = _UNITS.get(m.group(2) or "days")
    return None if n is None or unit is None else n * unit


def parse(q: Question, raw: AnswerValue) -> Parsed:
    """Turn raw widget input into the stored value for question ``q``."""
    if raw is None or raw == "" or raw == []:
        return Parsed(None)
    if q.type == "choice":
        picked = list(raw) if isinstance(raw, (list, tuple)) else [str(raw)]
        unknown = [p for p in picked if p not in q.options]
        if unknown:
            return Parsed(None, f"'{unknown[0]}' is not one of the options")
        if q.multiple:
            return Parsed(picked)
        if len(picked) != 1:
            return Parsed(None, "pick one option")
        return Parsed(picked[0])
    text = str(raw).strip()
    if q.type == "text":
        if len(text) > MAX_TEXT:
            return Parsed(None, f"is {len(text):,} characters long; keep it under {MAX_TEXT:,}")
        return Parsed(text)
    if q.type == "money":
        value = parse_money(text)
        if value is None:
            return Parsed(None, f"'{text}' is not an amount of money; type e.g. 50000, 50,000 or 50k")
        return Parsed(None, err) if (err := _bounds(q, value, "")) else Parsed(value)
    if q.type == "percent":
        value = _number(text.removesuffix("%").strip())
        if value is None:
            return Parsed(None, f"'{text}' is not a percent; type e.g. 20 or 20%")
        if err := _bounds(q, value, "%"):
            return Parsed(None, err)
        return Parsed(round(value / 100, 10))
    if q.type == "duration":
        value = parse_duration(text)
        if value is None:
            return Parsed(None, f"'{text}' is not a duration; type e.g. 45 days, 6 weeks or 9 months")
        return Parsed(None, err) if (err := _bounds(q, value, " days")) else Parsed(value)
    value = _number(text)
    if value is None:
        return Parsed(None, f"'{text}' is not a number")
    if q.integer:
        if value != int(value):
            return Parsed(None, "must be a whole number")
        value = int(value)
    return Parsed(None, err) if (err := _bounds(q, value, "")) else Parsed(value)


def display(q: Question, value: AnswerValue, currency: str = "USD") -> str:
    """The stored value as a person reads it (also the text a widget starts from)."""
    if value is None or value == "" or value == []:
        return ""
    if isinstance(value, list):
        return ", ".join(value)
    if q.type == "money":
        return fmt.money(float(value), currency)
    if q.type == "percent":
        return fmt.percent(float(value))
    if q.type == "duration":
        return fmt.days(float(value))
    if q.type == "number":
        return fmt.number(float(value), 0 if float(value) == int(float(value)) else 2)
    return str(value)


def editable(q: Question, value: AnswerValue) -> str:
    """The stored value as text that :func:`parse` reads back to the same value."""
    if value is None:
        return ""
    if isinstance(value, list):  # a choice's options, not a number (as display() writes them)
        return ", ".join(value)
    if q.type == "percent":
        return fmt.percent(float(value), digits=6)
    if q.type == "duration":
        return f"{float(value):g} days"
    if q.type in ("money", "number"):
        return f"{float(value):,.4f}".rstrip("0").rstrip(".")
    return str(value)
