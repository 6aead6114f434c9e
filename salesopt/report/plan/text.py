"""Small text helpers of the plan: days with months, counted nouns, user text on one line, a
numeric answer."""

from __future__ import annotations

from typing import Any

from salesopt.report import fmt


def days_months(value: float | None) -> str:
    """Days with months in brackets: ``276 days (9.2 months)``."""
    if fmt.missing(value):
        return fmt.DASH
    months = value / fmt.DAYS_PER_MONTH
    shown = f"{months:.1f}".removesuffix(".0")
    return f"{value:,.0f} days ({shown} month{'' if shown == '1' else 's'})"


def plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (plural or word + 's')}"


def quote(text: str) -> str:
    """User text on one line, so it stays inside its list item."""
    return " ".join(text.split())


def answer_number(answers: dict[str, Any], qid: str) -> float | None:
    v = answers.get(qid)
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None
