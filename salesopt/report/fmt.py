"""Display formatting shared by pages, charts and the plan: money, percents, days.

Undefined figures (``None``) show as an em dash; callers add the one-line reason.
"""

from __future__ import annotations

import math
from datetime import date

DASH = "—"
DAYS_PER_WEEK = 7
DAYS_PER_MONTH = 30  # the sales convention: a "9-month cycle" is 270 days
DAYS_PER_YEAR = 365


def missing(value: object) -> bool:
    """None or NaN: an undefined figure."""
    return value is None or (isinstance(value, float) and math.isnan(value))


SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹", "AUD": "A$", "CAD": "C$"}


def money(value: float | None, currency: str = "USD", compact: bool = False) -> str:
    """``50000`` -> ``$50,000``; compact: ``$1.2M``, ``$50K``."""
    if value is None or missing(value):
        return DASH
    symbol = SYMBOLS.get(currency, currency + " ")
    sign = "-" if value < 0 else ""
    v = abs(value)
    if compact and v >= 1000:
        for div, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
            if v >= div:
                text = f"{v / div:.1f}".removesuffix(".0")
                return f"{sign}{symbol}{text}{suffix}"
    if v != int(v) and v < 100:
        return f"{sign}{symbol}{v:,.2f}"
    return f"{sign}{symbol}{v:,.0f}"


def percent(fraction: float | None, digits: int = 1) -> str:
    """A fraction as a percent: ``0.2`` -> ``20%``, ``0.125`` -> ``12.5%``."""
    if fraction is None or missing(fraction):
        return DASH
    text = f"{fraction * 100:.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}%"


def days(value: float | None, months: bool = True) -> str:
    """Days, with the months beside them when that reads better: ``270 days (9 months)``."""
    if value is None or missing(value):
        return DASH
    n = f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"
    unit = "day" if value == 1 else "days"
    text = f"{n} {unit}"
    if not months:
        return text
    if value >= 60 and value % DAYS_PER_MONTH == 0:
        text += f" ({int(value // DAYS_PER_MONTH)} months)"
    elif value >= 14 and value % DAYS_PER_WEEK == 0:
        text += f" ({int(value // DAYS_PER_WEEK)} weeks)"
    return text


def number(value: float | None, digits: int = 0) -> str:
    if value is None or missing(value):
        return DASH
    if value == int(value) and digits == 0:
        return f"{int(value):,}"
    return f"{value:,.{digits or 1}f}"


def times(value: float | None) -> str:
    """A ratio as a multiple: ``2.5`` -> ``2.5x``."""
    if value is None or missing(value):
        return DASH
    return f"{value:,.1f}x"


def day(value: date | None) -> str:
    """A calendar date as 2026-09-30 (the dash when undefined)."""
    return DASH if value is None else f"{value:%Y-%m-%d}"
