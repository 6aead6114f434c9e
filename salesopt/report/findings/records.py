"""What the findings are made of: :class:`Finding`, one fact from the data, and
:class:`Reconciliation`, a reported figure beside the measured one; and their text helpers."""

from __future__ import annotations

from dataclasses import dataclass

from salesopt.report import fmt


@dataclass(frozen=True)
class Finding:
    """One fact from the data: ``text`` is the client sentence, ``value`` its number, ``weight``
    how much it matters (a share of deals or revenue, 0-1) so the summary can pick the top ones."""

    key: str
    title: str
    text: str
    value: float | None
    rests_on: str
    formula: str
    weight: float


@dataclass(frozen=True)
class Reconciliation:
    """A figure the client reported beside the one the export measures, and whether they agree."""

    figure: str
    said: str
    measured: str
    agrees: bool
    note: str
    said_short: str = ""  # the same figures compact, for a summary (money as $3M)
    measured_short: str = ""


def plural(n: int, word: str, plural: str | None = None) -> str:
    """``1 deal``, ``3 deals``."""
    return f"{n:,} {word if n == 1 else (plural or word + 's')}"


def in_days(value: float) -> str:
    """Days with months in brackets: ``276 days (9.2 months)``."""
    return f"{value:,.0f} days ({value / fmt.DAYS_PER_MONTH:.1f} months)"
