"""Splitting text lines into records: what a split gives (:class:`Rows`, and a :class:`Rejected`
line for each line that cannot be split, with its number and why), the one-pass splitter for the
usual file and the careful one (one record at a time, with recovery) it falls back to, and where
the footer below the data starts (:func:`footer_start`)."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass

from salesopt.crm.limits import limits

MAX_RECORD_LINES = 50  # a quoted value may span at most this many lines
TOTAL_RE = re.compile(
    r"^\s*((grand\s+)?(sub)?totals?\b|count\b|copyright|confidential|generated\b|report\b|\(c\)|©)", re.I
)


@dataclass(frozen=True)
class Rejected:
    line: int
    reason: str


@dataclass(frozen=True)
class Rows:
    """Cells of every data row (column-wise) with the physical line each row starts on."""

    lines: list[int]
    columns: list[list[str]]
    bad: list[Rejected]
    blank_lines: int = 0


def split_one(line: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return line.split(delimiter)


def _records(lines: list[str], start: int) -> Iterator[str]:
    yield from lines[start : start + MAX_RECORD_LINES]


def _split_clean(lines: list[str], start: int, end: int, delimiter: str, width: int, raw_width: int) -> Rows | None:
    """:func:`split` for the usual file, in one pass of one reader: every line one record of
    the header's width (or a blank line). None as soon as a line is anything else: the careful
    splitter then reads them all again, one record at a time."""
    reader = csv.reader(lines[start:end], delimiter=delimiter, strict=True)
    try:
        records = list(reader)
    except csv.Error:
        return None
    if reader.line_num != len(records):
        return None  # a quoted value spans lines
    cap = limits().cell_chars
    if any(len(lines[start + k]) > cap and any(len(c) > cap for c in r) for k, r in enumerate(records)):
        return None  # a cell past the limit: the careful splitter says which line
    one_each = all(len(r) == width for r in records)  # a blank line has no field ([]), or one blank one
    if one_each and (width > 1 or all(ln.strip() for ln in lines[start : start + len(records)])):
        # the usual case, with no blank line and no extra field: the columns in one transpose
        cols = [list(c) for c in zip(*records, strict=True)] if records else [[] for _ in range(width)]
        return Rows(list(range(start + 1, start + len(records) + 1)), cols, [], 0)
    cols = [[] for _ in range(width)]
    numbers: list[int] = []
    blank = 0
    reader = csv.reader(lines[start:end], delimiter=delimiter, strict=True)
    try:
        for k, cells in enumerate(reader):
            if reader.line_num != k + 1:
                return None  # a quoted value spanning lines
            if not lines[start + k].strip():
                blank += 1
                continue
            if len(cells) != width:
                if not (width < len(cells) <= raw_width and not any(c.strip() for c in cells[width:])):
                    return None
                cells = cells[:width]
            for c, v in zip(cols, cells, strict=True):
                c.append(v)
            numbers.append(start + k + 1)
    except csv.Error:
        return None
    return Rows(numbers, cols, [], blank)


def split(text: str, delimiter: str, header_line: int, footer_from: int, width: int, raw_width: int = 0) -> Rows:
    """Split data lines header_line+1 .. footer_from-1, one record at a time, with recovery.
    A row may carry the header's trailing empty fields (``raw_width``: a delimiter at the end
    of every line) but no other extra field."""
    lines = text.split("\n")
    lines = [ln[:-1] if ln.endswith("\r") else ln for ln in lines]
    end = min(footer_from - 1, len(lines))
    fast = _split_clean(lines, header_line, end, delimiter, width, raw_width)
    return fast if fast is not None else _split_careful(lines, header_line, end, delimiter, width, raw_width)


def _split_careful(lines: list[str], start: int, end: int, delimiter: str, width: int, raw_width: int) -> Rows:
    """One record at a time, each line given its own chance: a line that cannot be split is
    rejected with its number and reading resumes at the next."""
    cols: list[list[str]] = [[] for _ in range(width)]
    line_numbers: list[int] = []
    bad: list[Rejected] = []
    blank = 0
    cap = limits().cell_chars
    i = start  # 0-based index of the first data line
    while i < end:
        line = lines[i]
        if not line.strip():
            blank += 1
            i += 1
            continue
        reader = csv.reader(_records(lines, i), delimiter=delimiter, strict=True)
        try:
            cells = next(reader)
            used = reader.line_num
        except (csv.Error, StopIteration):
            cells, used = None, 0
        if cells is not None and used > 1 and len(cells) != width:
            cells = None  # a quote opened on this line did not close where a record would end
        if cells is None:
            quotes = line.count('"')
            if quotes % 2:
                why = 'an unclosed quote (") on this line; the line was skipped and reading resumed at the next'
            elif len(line) > cap:
                why = _too_long(line.split(delimiter), cap)
            else:
                why = "the line cannot be split into fields (a stray quote?)"
            bad.append(Rejected(i + 1, why))
            i += 1
            continue
        if any(len(c) > cap for c in cells):
            bad.append(Rejected(i + 1, _too_long(cells, cap)))
            i += max(used, 1)
            continue
        if width < len(cells) <= raw_width and not any(c.strip() for c in cells[width:]):
            cells = cells[:width]  # the header's trailing delimiters
        if len(cells) != width:
            what = "more" if len(cells) > width else "fewer"
            bad.append(
                Rejected(
                    i + 1,
                    f"{len(cells)} fields where the header has {width} ({what} than the header: "
                    + ("an unquoted delimiter in a value?)" if what == "more" else "a cut-off line?)"),
                )
            )
            i += 1
            continue
        for c, v in zip(cols, cells, strict=True):
            c.append(v)
        line_numbers.append(i + 1)
        i += max(used, 1)
    return Rows(line_numbers, cols, bad, blank)


def _too_long(cells: list[str], cap: int) -> str:
    n, longest = max((len(c), k) for k, c in enumerate(cells))
    return (
        f"field {longest + 1} holds {n:,} characters, more than the {cap:,} a cell may "
        "(no CRM field is that long); the line was skipped"
    )


def footer_start(
    lines: list[str], first_no: int, floor_no: int, delimiter: str, width: int, stage_pos: int | None
) -> int:
    """The 1-based line after the last data line: trailing totals, notes and blank lines are
    not data. ``lines`` are the file's last lines, the first of them being line ``first_no``."""
    i = len(lines)
    while i > 0 and first_no + i - 1 > floor_no:
        line = lines[i - 1]
        cells = split_one(line, delimiter) if line.strip() else []
        filled = [c for c in cells if c.strip()]
        if not filled:
            i -= 1
            continue
        first = filled[0]
        stage_blank = stage_pos is not None and (stage_pos >= len(cells) or not cells[stage_pos].strip())
        short = len(cells) < width and len(filled) <= 2
        if (short and (len(filled) <= 1 or TOTAL_RE.match(first))) or (stage_blank and TOTAL_RE.match(first)):
            i -= 1
            continue
        break
    return first_no + i
