"""Small text helpers of the plan: days with months, counted nouns, user text on one line, a
numeric answer."""

from __future__ import annotations

from collections.abc import Mapping

from salesopt.report import fmt
from salesopt.report.mdtext import md_text


def days_months(value: float | None) -> str:
    """Days with months in brackets: ``276 days (9.2 months)``."""
    if value is None or fmt.missing(value):
        return fmt.DASH
    months = value / fmt.DAYS_PER_MONTH
    shown = f"{months:.1f}".removesuffix(".0")
    return f"{value:,.0f} days ({shown} month{'' if shown == '1' else 's'})"


def plural(n: int, word: str, plural: str | None = None) -> str:
    """``1 deal``, ``3 deals`` (``plural`` when adding an s is wrong)."""
    return f"{n:,} {word if n == 1 else (plural or word + 's')}"


def quote(text: str) -> str:
    """User text on one line, so it stays inside its list item, and as text: no link, image or
    HTML of its own (:func:`~salesopt.report.mdtext.md_text`)."""
    return md_text(" ".join(text.split()))


def answer_number(answers: Mapping[str, object], qid: str) -> float | None:
    """A question's answer as a number, or None when it is not one (a yes/no is not a number)."""
    v = answers.get(qid)
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None
