"""Value parsing: text cells -> typed values, as DuckDB SQL expressions.

Each column's conventions are decided once from a sample of its values (which date formats it
uses, whether an ambiguous slash date is day first, whether a dot groups thousands), then one
SQL expression types the whole column inside DuckDB's multi-threaded scan. A cell that cannot
be read becomes NULL; the importer lists it (line, column, value, why) and keeps the deal.

- Dates: ISO with or without seconds, milliseconds, ``T``, ``Z``, offsets and "UTC" (the time
  as written: an offset does not move the calendar day); English month names; US and
  day-first slashes with two- or four-digit years and AM/PM; dd.mm.yyyy; yyyymmdd; Excel
  serial numbers.
- Money: a date in a money cell is no amount (emptied and reported, never 20,230,512); symbols and
  ISO codes before or after; spaces, NBSP, narrow NBSP and apostrophes
  grouping thousands; decimal comma; a dot grouping thousands when the column says so
  ("€1.000" next to "€500"); parentheses and minus negatives; "-" and "$ -" as empty; k/M/bn.
- Probabilities: 0-1, or 0-100 (with or without "%") when any value of the column is above 1.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from salesopt.crm.fields import FALSE_WORDS, TRUE_WORDS

if TYPE_CHECKING:
    import duckdb

MAX_AMOUNT = 1e15  # larger is a data error (or infinity), not a deal
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100

ISO_FORMATS = ("%Y/%m/%d", "%Y/%m/%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y%m%d", "%Y-%m-%d %I:%M %p")
NAMED_FORMATS = (
    "%b %d, %Y",
    "%B %d, %Y",
    "%b %d %Y",
    "%B %d %Y",
    "%d-%b-%Y",
    "%d-%b-%y",
    "%d %b %Y",
    "%d %B %Y",
    "%d-%B-%Y",
    "%d %b %y",
    "%b %d, %Y %I:%M %p",
    "%B %d, %Y %I:%M %p",
    "%b %d, %Y %H:%M",
    "%d %b %Y %H:%M",
    "%d %b %Y %H:%M:%S",
    "%d-%b-%Y %H:%M",
    "%d-%b-%Y %I:%M %p",
    "%a, %d %b %Y %H:%M:%S",
    "%A, %B %d, %Y",
)
MONTH_FIRST = (
    "%m/%d/%Y",
    "%m/%d/%y",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%y %I:%M %p",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%y %I:%M:%S %p",
    "%m/%d/%Y %H:%M",
    "%m/%d/%y %H:%M",
    "%m/%d/%Y %H:%M:%S",
    "%m-%d-%Y",
    "%m-%d-%y",
)
DAY_FIRST = (
    "%d/%m/%Y",
    "%d/%m/%y",
    "%d/%m/%Y %H:%M",
    "%d/%m/%y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %I:%M %p",
    "%d/%m/%y %I:%M %p",
    "%d-%m-%Y",
    "%d-%m-%y",
)
DOTTED = ("%d.%m.%Y", "%d.%m.%y", "%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M:%S", "%d.%m.%y %H:%M")
EMPTY_MONEY = ("-", "--", "–", "—")
_CURRENCY_WORDS = r"(?i)\b(usd|eur|gbp|chf|cad|aud|nzd|jpy|inr|sek|nok|dkk|pln|brl|mxn|zar|sgd|hkd|cny|rmb)\b"
_CURRENCY_MARKS = _CURRENCY_WORDS + r"|US\$|R\$|[$€£¥₹]"
_SYMBOLS = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "CHF": "CHF", "R$": "BRL"}


def q(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def lit(text: str) -> str:
    """A quoted SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def _list(items: Sequence[str]) -> str:
    return "[" + ", ".join(lit(i) for i in items) + "]"


# ---- dates -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DatePlan:
    formats: tuple[str, ...]
    dayfirst: bool | None  # None: no slash dates seen
    note: str | None  # how ambiguous dates were read, for the report
    leading: str | None = None  # the format that reads the most sample values, when one does


def plan_dates(con: duckdb.DuckDBPyConnection, sample: Sequence[str], dayfirst: bool) -> DatePlan:
    """Decide a date column's formats from a sample of its values."""
    values = sorted({v.strip() for v in sample if v and v.strip()})[:400]
    if not values:
        return DatePlan(ISO_FORMATS + NAMED_FORMATS + DOTTED + (DAY_FIRST if dayfirst else MONTH_FIRST), None, None)
    candidates = tuple(f for f in ISO_FORMATS + NAMED_FORMATS + DOTTED + MONTH_FIRST + DAY_FIRST if _may_fit(f, values))
    if not candidates:
        return DatePlan(ISO_FORMATS + NAMED_FORMATS + DOTTED + (DAY_FIRST if dayfirst else MONTH_FIRST), None, None)
    selects = ", ".join(
        f"count(*) filter (where year(try_strptime(v, {lit(f)})) between {EARLIEST_YEAR} and {LATEST_YEAR})"
        for f in candidates
    )
    counts = con.execute(f"select {selects} from (select unnest(?) as v)", [values]).fetchall()[0]
    hits = dict(zip(candidates, counts, strict=True))
    mf = max((hits[f] for f in MONTH_FIRST if f in hits), default=0)
    df = max((hits[f] for f in DAY_FIRST if f in hits), default=0)
    note = None
    if not mf and not df:
        first = None
    elif dayfirst:
        first, note = True, "read day first, as asked"
    elif df > mf:
        first, note = True, "read day first (a first part over 12 settles it)"
    elif mf > df:
        first = False
        note = "read month first (a second part over 12 settles it)" if df else None
    else:
        first, note = False, "read month first (every slash date is ambiguous; switch to day first if wrong)"
    slash = (DAY_FIRST if first else MONTH_FIRST) if first is not None else (DAY_FIRST if dayfirst else MONTH_FIRST)
    seen = sorted(
        (f for f in candidates if hits[f] and f in (*ISO_FORMATS, *NAMED_FORMATS, *DOTTED, *slash)),
        key=lambda f: (-hits[f], "%Y" in f),
    )
    rest = sorted(
        (f for f in (*ISO_FORMATS, *NAMED_FORMATS, *DOTTED, *slash) if f not in seen), key=lambda f: "%Y" in f
    )
    return DatePlan(tuple(seen + rest), first, note, seen[0] if seen else None)


def _may_fit(fmt: str, values: Sequence[str]) -> bool:
    """Whether any sample value has the separators a format needs (skips formats that cannot fit)."""
    letters = "%b" in fmt or "%B" in fmt or "%a" in fmt or "%A" in fmt or "%p" in fmt
    marks = [c for c in "/.-:," if c in fmt.replace("%", "")]
    return any(all(c in x for c in marks) and (not letters or any(ch.isalpha() for ch in x)) for x in values[:50])


def padded(sample: Sequence[str]) -> bool:
    """Whether a column's cells carry spaces around them (then every cell is trimmed first; a
    trim on a million clean cells is wasted work)."""
    return any(x != x.strip() for x in sample if x)


def date_sql(col: str, plan: DatePlan, *, in_range: bool = True, trim: bool = True) -> str:
    """Text -> TIMESTAMP (the time as written; NULL where unreadable or out of range)."""
    v = f"trim({col})" if trim else col
    t = f"trim({col})"  # the later arms run only on cells the first ones could not read
    serial = (
        f"case when regexp_full_match({t}, '[1-9][0-9]{{4}}(\\.[0-9]+)?') "
        f"then timestamp '1899-12-30' + to_microseconds(cast(round(cast({t} as double) * 86400000000) as bigint)) end"
    )
    iso = f"case when substr({v}, 5, 1) = '-' then try_cast({v} as timestamp) end"  # a cast reads 01/08/24 as year 1
    retry = "" if trim else f"try_strptime({t}, {_list(plan.formats)}), "
    if plan.leading:
        # the sample's own format first, alone: one format is parsed much faster than a list, and
        # no ISO text fits a format that is not ISO, so the order changes no value
        others = [f for f in plan.formats if f != plan.leading]
        arms = f"try_strptime({v}, {lit(plan.leading)}), {iso}, try_strptime({v}, {_list(others)})"
    else:
        arms = f"{iso}, try_strptime({v}, {_list(plan.formats)})"
    parsed = f"coalesce({arms}, {retry}{serial})"
    if not in_range:
        return parsed
    return f"case when year({parsed}) between {EARLIEST_YEAR} and {LATEST_YEAR} then {parsed} end"


# ---- money ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MoneyPlan:
    comma_decimal: bool  # "1.250,50"
    dot_thousands: bool  # "1.250" is one thousand two hundred and fifty
    simple: bool  # every sample value is plain ("$1,250.00", "1250"): the fast expression reads it


# a date written in a money column ("2023-05-12", "12/05/2023", "12.05.2023 10:00") is not an amount:
# stripped of its separators it would read as 20,230,512
DATE_IN_MONEY = (
    r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([ T].*)?|[0-9]{4}/[0-9]{1,2}/[0-9]{1,2}( .*)?"
    r"|[0-9]{1,2}[/.-][0-9]{1,2}[/.-][0-9]{2,4}( .*)?"
)
_DATE_IN_MONEY_RE = re.compile(DATE_IN_MONEY)


def money_date_sql(col: str) -> str:
    """True where a money cell holds a date."""
    return f"regexp_full_match(trim({col}), {lit(DATE_IN_MONEY)})"


_PLAIN = re.compile(r"^\$?-?\d{1,3}(,\d{3})*(\.\d+)?$|^\$?-?\d+(\.\d+)?$")


_WORDS_RE = re.compile(_CURRENCY_WORDS)
_NOT_DIGITS_RE = re.compile(r"[^\d.,]")
_COMMA_DECIMAL_RE = re.compile(r"\d{1,3}(\.\d{3})+,\d+|\d+,\d{1,2}")
_DOT_THOUSANDS_RE = re.compile(r"\d{1,3}(\.\d{3})+")
_COMMA_THOUSANDS_RE = re.compile(r"\d{1,3}(,\d{3})+(\.\d+)?")


def _bare(value: str) -> str:
    return _NOT_DIGITS_RE.sub("", _WORDS_RE.sub("", value))


def plan_money(sample: Sequence[str]) -> MoneyPlan:
    values = [v.strip() for v in sample if v and v.strip()]
    bare = [_bare(v) for v in values]
    comma_decimal = any(_COMMA_DECIMAL_RE.fullmatch(b) for b in bare)
    dotted = [b for b in bare if "." in b and "," not in b]
    dot_thousands = comma_decimal or (
        bool(dotted)
        and all(_DOT_THOUSANDS_RE.fullmatch(b) for b in dotted)
        and not any(_COMMA_THOUSANDS_RE.fullmatch(b) for b in bare)
    )
    simple = not comma_decimal and not dot_thousands and all(_PLAIN.match(v) for v in values)
    return MoneyPlan(comma_decimal, dot_thousands, simple)


def money_sql(col: str, plan: MoneyPlan) -> str:
    """Text -> DOUBLE (negative where written so; NULL where blank, '-' or unreadable)."""
    v = f"trim({col})"
    fast = f"try_cast(replace(replace({col}, '$', ''), ',', '') as double)"  # the cast allows spaces
    no_codes = f"regexp_replace({v}, {lit(_CURRENCY_MARKS)}, '', 'g')"
    no_marks = f"regexp_replace({no_codes}, '[\\s\u00a0\u202f''’()+-]', '', 'g')"
    bare = f"regexp_replace({no_marks}, '(?i)(k|m|mm|mn|bn|b)$', '')"
    if plan.comma_decimal:
        digits = f"replace(replace({bare}, '.', ''), ',', '.')"
    elif plan.dot_thousands:
        digits = f"replace(replace({bare}, '.', ''), ',', '')"
    else:
        digits = f"replace({bare}, ',', '')"
    mult = (
        f"case when regexp_matches({v}, '(?i)[0-9.,]\\s*k\\b') then 1e3 "
        f"when regexp_matches({v}, '(?i)[0-9.,]\\s*(m|mm|mn)\\b') then 1e6 "
        f"when regexp_matches({v}, '(?i)[0-9.,]\\s*(bn|b)\\b') then 1e9 else 1 end"
    )
    negative = f"(regexp_matches({v}, '^\\(.*\\)$') or regexp_matches({v}, '^[^0-9]*-') or ends_with({v}, '-'))"
    careful = (
        f"case when {money_empty_sql(col)} then null when {money_date_sql(col)} then null "
        f"when regexp_full_match({bare}, '[0-9][0-9.,]*') then try_cast({digits} as double) * ({mult}) "
        f"* (case when {negative} then -1 else 1 end) end"
    )
    if plan.simple:
        return f"coalesce({fast}, {careful})"
    return careful


# Python mirror of money_sql for one typed value (an answer): the same steps, regexes written the
# way DuckDB's RE2 reads them (ASCII \b, \s as [\t\n\f\r ]); a test runs both on a corpus.
_EMPTY_RE = re.compile(f"[^0-9a-z]*({'|'.join(re.escape(e) for e in EMPTY_MONEY)})?[^0-9a-z]*")
_MARKS_RE = re.compile(_CURRENCY_MARKS, re.ASCII)
_GROUPING_RE = re.compile("[\t\n\f\r \u00a0\u202f'\u2019()+-]")
_SUFFIX_RE = re.compile(r"(?i)(k|m|mm|mn|bn|b)$")
_MULTIPLIER_RES = (
    (re.compile(r"(?i)[0-9.,]\s*k\b", re.ASCII), 1e3),
    (re.compile(r"(?i)[0-9.,]\s*(m|mm|mn)\b", re.ASCII), 1e6),
    (re.compile(r"(?i)[0-9.,]\s*(bn|b)\b", re.ASCII), 1e9),
)


def money_value(text: str, plan: MoneyPlan | None = None) -> float | None:
    """One money cell -> float, exactly as :func:`money_sql` reads it (None where blank, '-' or
    unreadable); ``plan`` defaults to the plan of this one value (an answer typed on its own)."""
    plan = plan or plan_money([text])
    v = text.strip(" ")
    if _EMPTY_RE.fullmatch(v.lower()) or _DATE_IN_MONEY_RE.fullmatch(v):
        return None
    bare = _SUFFIX_RE.sub("", _GROUPING_RE.sub("", _MARKS_RE.sub("", v)), count=1)
    if not re.fullmatch(r"[0-9][0-9.,]*", bare):
        return None
    if plan.comma_decimal:
        digits = bare.replace(".", "").replace(",", ".")
    elif plan.dot_thousands:
        digits = bare.replace(".", "").replace(",", "")
    else:
        digits = bare.replace(",", "")
    try:
        number = float(digits)
    except ValueError:
        return None
    mult = next((m for pattern, m in _MULTIPLIER_RES if pattern.search(v)), 1.0)
    negative = bool(re.search(r"^\(.*\)$", v) or re.search(r"^[^0-9]*-", v) or v.endswith("-"))
    return number * mult * (-1 if negative else 1)


def money_empty_sql(col: str) -> str:
    """True where the cell means "no amount" ('', '-', '$ -', 'n/a')."""
    v = f"trim({col})"
    return f"regexp_full_match(lower({v}), '[^0-9a-z]*({'|'.join(re.escape(e) for e in EMPTY_MONEY)})?[^0-9a-z]*')"


def currency_sql(col: str) -> str:
    """The currency a money cell names (a symbol or an ISO code), NULL when none."""
    v = col
    return (
        f"case when contains({v}, 'R$') then 'BRL' when contains({v}, '$') then 'USD' "
        f"when contains({v}, '€') then 'EUR' when contains({v}, '£') then 'GBP' "
        f"when contains({v}, '¥') then 'JPY' when contains({v}, '₹') then 'INR' "
        f"when regexp_matches({v}, '[A-Za-z]{{3}}') then "
        f"nullif(upper(regexp_extract({v}, {lit(_CURRENCY_WORDS)}, 1)), '') end"
    )


MARKERS = {"R$": "BRL", "$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR"}


def dominant_marker(sample: Sequence[str]) -> str | None:
    """The currency symbol most of a money column's sample carries (None when none does)."""
    counts = {m: sum(1 for x in sample if m in x) for m in MARKERS}
    counts["$"] -= counts["R$"]
    best = max(counts, key=lambda m: counts[m])
    return best if counts[best] * 2 > len([x for x in sample if x.strip()]) else None


def currency_code(text: str) -> str | None:
    """A currency column's value -> ISO code ('$' -> 'USD')."""
    t = text.strip()
    if not t:
        return None
    return _SYMBOLS.get(t, t.upper())


# ---- probabilities and flags ---------------------------------------------------------------------


def probability_sql(col: str) -> str:
    """Text -> DOUBLE as written (the 0-100 scale is decided over the whole column afterwards)."""
    return f"try_cast(trim(replace(replace({col}, '%', ''), ',', '.')) as double)"


def bool_sql(col: str) -> str:
    v = f"lower(trim({col}))"
    yes, no = tuple(sorted(TRUE_WORDS)), tuple(sorted(FALSE_WORDS))
    return f"case when {v} in {yes} then true when {v} in {no} then false end"
