"""Reading: an export's bytes -> its header and its text cells, every physical line accounted for.

The content decides the format, not the name: a workbook named .csv opens as a workbook. Text
is UTF-8 (with or without BOM), UTF-16 with a BOM (Excel's "Unicode text") or cp1252. Title rows
above the header are skipped: the header is the first row that maps a stage column (or, when
none does, the first row as wide as the table). Footers below the data (totals, copyright
lines, blank lines) are not rows. A line that cannot be split into the header's fields is a
rejected line with its physical line number, and reading resumes at the next line: an unclosed
quote never swallows the rest of the file.

Nothing here parses values; :mod:`salesopt.crm.importer` types the cells in DuckDB.
"""

from __future__ import annotations

import csv
import os
import re
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from salesopt.crm.mapping import auto_map

if TYPE_CHECKING:  # pandas is loaded only when a frame is asked for
    import pandas as pd

HEAD_LINES = 40  # lines searched for the header
SAMPLE_ROWS = 2000  # rows kept for previews and for deciding value formats
MAX_RECORD_LINES = 50  # a quoted value may span at most this many lines
TOTAL_RE = re.compile(
    r"^\s*((grand\s+)?(sub)?totals?\b|count\b|copyright|confidential|generated\b|report\b|\(c\)|©)", re.I
)


class CrmError(ValueError):
    """A file that cannot be imported; the message says what is wrong and what to do."""


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


@dataclass(frozen=True, eq=False)
class RawTable:
    """The file as text cells, before mapping.

    ``data`` is the UTF-8 text of a CSV (so DuckDB can read it in one pass); workbooks keep
    their rows in ``_rows``. ``footer_from`` is the first line after the data (totals,
    copyright notes and blank lines from there on are not rows); for a large file on disk it is
    known once its lines are counted, which happens in a thread while DuckDB reads the file."""

    name: str
    kind: str  # "csv" or "xlsx"
    columns: tuple[str, ...]
    header_line: int
    footer_at: int | Callable[[], int]  # ``footer_from``, or what gives it
    sample: tuple[tuple[str, ...], ...]
    delimiter: str = ","
    data: bytes = b""
    notes: tuple[str, ...] = ()
    sheet: str | None = None
    path: str | None = None  # the file itself, when DuckDB can read it as it is
    csv_columns: tuple[str, ...] = ()  # every field of the header line (trailing unnamed ones too)
    footer_lines: int = 0  # non-blank lines after the data (totals, notes)
    _rows: Rows | None = field(default=None, repr=False)
    data_end: int | None = None  # byte offset where the footer starts (None: no footer)

    @cached_property
    def footer_from(self) -> int:
        return self.footer_at if isinstance(self.footer_at, int) else self.footer_at()

    @property
    def first_line(self) -> int:
        return self.header_line + 1

    @cached_property
    def rows(self) -> Rows:
        """Every data row, split by Python's csv module line by line (the careful path)."""
        if self._rows is not None:
            return self._rows
        data = self.data or (Path(self.path).read_bytes() if self.path else b"")
        text = data.decode("utf-8", "replace").removeprefix("\ufeff")
        return _split(
            text, self.delimiter, self.header_line, self.footer_from, len(self.columns), len(self.csv_columns)
        )

    def preview(self, n: int = 8) -> pd.DataFrame:
        """The first ``n`` rows as a DataFrame (for the mapping screen)."""
        import pandas as pd

        return pd.DataFrame([list(r) for r in self.sample[:n]], columns=list(self.columns))

    @property
    def frame(self) -> pd.DataFrame:
        """Every row as a DataFrame of text (small files and tests)."""
        import pandas as pd

        rows = self.rows
        return pd.DataFrame(dict(zip(self.columns, rows.columns, strict=True)), columns=list(self.columns))


# ---- text --------------------------------------------------------------------------------------


def _decode(raw: bytes) -> tuple[str, str]:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "UTF-16"
    head = raw[:4000]
    if len(head) > 8 and head.count(b"\x00") > len(head) // 3:  # UTF-16 without a BOM
        le = head[1::2].count(0) > head[0::2].count(0)
        try:
            return raw.decode("utf-16-le" if le else "utf-16-be"), "UTF-16"
        except UnicodeDecodeError:
            pass
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "cp1252 (Windows)"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "latin-1"


def _lines(text: str, limit: int) -> list[str]:
    out = []
    for line in text.split("\n", limit)[:limit]:
        out.append(line[:-1] if line.endswith("\r") else line)
    return out


def _split_one(line: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return line.split(delimiter)


def _header_at(lines: list[str], delimiter: str, overrides: Mapping[str, str]) -> tuple[int, list[str], bool] | None:
    """(index, cells, has stage) of the header among the first lines."""
    stage_col = (overrides.get("stage") or "").strip()
    rows = [(i, [c.strip() for c in _split_one(ln, delimiter)]) for i, ln in enumerate(lines) if ln.strip()]
    for i, cells in rows:
        if (stage_col and stage_col in cells) or (not stage_col and "stage" in auto_map(cells)):
            return i, cells, True
    if not rows:
        return None
    widest = max(sum(1 for c in cells if c) for _, cells in rows)
    i, cells = next((i, c) for i, c in rows if sum(1 for x in c if x) == widest)
    return i, cells, False


def _sniff(lines: list[str], overrides: Mapping[str, str]) -> tuple[str, tuple[int, list[str], bool] | None]:
    """The delimiter whose header maps a stage column (else the most columns), and that header."""
    best: tuple[str, tuple[int, list[str], bool] | None] = (",", None)
    best_score = (-1, -1)
    for delimiter in (",", ";", "\t", "|"):
        found = _header_at(lines, delimiter, overrides)
        if found is None:
            continue
        score = (int(found[2]), len(found[1]))
        if score > best_score:
            best, best_score = (delimiter, found), score
    return best


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for i, n in enumerate(names):
        n = n.strip() or f"Unnamed: {i}"
        if n in seen:
            seen[n] += 1
            n = f"{n}.{seen[n]}"
        else:
            seen[n] = 0
        out.append(n)
    return out


def _records(lines: list[str], start: int) -> Iterator[str]:
    yield from lines[start : start + MAX_RECORD_LINES]


def _split_clean(lines: list[str], start: int, end: int, delimiter: str, width: int, raw_width: int) -> Rows | None:
    """:func:`_split` for the usual file, in one pass of one reader: every line one record of
    the header's width (or a blank line). None as soon as a line is anything else: the careful
    splitter then reads them all again, one record at a time."""
    cols: list[list[str]] = [[] for _ in range(width)]
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


def _split(text: str, delimiter: str, header_line: int, footer_from: int, width: int, raw_width: int = 0) -> Rows:
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
            why = (
                'an unclosed quote (") on this line; the line was skipped and reading resumed at the next'
                if quotes % 2
                else "the line cannot be split into fields (a stray quote?)"
            )
            bad.append(Rejected(i + 1, why))
            i += 1
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


def _footer_from(
    lines: list[str], first_no: int, floor_no: int, delimiter: str, width: int, stage_pos: int | None
) -> int:
    """The 1-based line after the last data line: trailing totals, notes and blank lines are
    not data. ``lines`` are the file's last lines, the first of them being line ``first_no``."""
    i = len(lines)
    while i > 0 and first_no + i - 1 > floor_no:
        line = lines[i - 1]
        cells = _split_one(line, delimiter) if line.strip() else []
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


HEAD_BYTES = 1 << 20
TAIL_BYTES = 1 << 16


class _FileView:
    """The few things :func:`_read_text` asks of the bytes, answered from a file on disk without
    holding it in memory (the command line on a large export)."""

    CHUNK = 1 << 23

    def __init__(self, path: str) -> None:
        self.path = path
        self.size = os.path.getsize(path)

    def __len__(self) -> int:
        return self.size

    def _read(self, start: int, length: int) -> bytes:
        with open(self.path, "rb") as f:
            f.seek(max(start, 0))
            return f.read(length)

    def __getitem__(self, part: slice) -> bytes:
        start, stop, _ = part.indices(self.size)
        return self._read(start, max(stop - start, 0))

    def startswith(self, prefix: bytes | tuple[bytes, ...]) -> bool:
        return self._read(0, 8).startswith(prefix)

    def endswith(self, suffix: bytes) -> bool:
        return self._read(self.size - len(suffix), len(suffix)) == suffix

    def count(self, what: bytes) -> int:
        n = 0
        with open(self.path, "rb") as f:
            while chunk := f.read(self.CHUNK):
                n += chunk.count(what)
        return n


class _LineCount:
    """A file's line count, counted in a thread: the import needs it only after DuckDB's scan (to
    check that every line was one row), so the two run side by side."""

    def __init__(self, view: _FileView) -> None:
        self._view = view
        self._lines: int | None = None
        self._error: OSError | None = None
        self._thread = threading.Thread(target=self._count, name="salesopt-line-count", daemon=True)
        self._thread.start()

    def _count(self) -> None:
        try:
            self._lines = self._view.count(b"\n") + (0 if self._view.endswith(b"\n") else 1)
        except OSError as exc:
            self._error = exc

    def get(self) -> int:
        self._thread.join()
        if self._lines is None:
            raise CrmError(f"{self._view.path}: cannot be read ({self._error})")
        return self._lines


def _read_text(raw: bytes | _FileView, name: str, overrides: Mapping[str, str], path: str | None) -> RawTable:
    notes = []
    head_bytes = raw[:HEAD_BYTES]
    utf8 = not raw.startswith((b"\xff\xfe", b"\xfe\xff")) and not _utf16_like(raw)
    if utf8:
        try:
            cut = head_bytes if len(raw) <= HEAD_BYTES else head_bytes[: head_bytes.rfind(b"\n") + 1]
            cut.decode("utf-8")
        except UnicodeDecodeError:
            utf8 = False
    if utf8 and b"\r" in head_bytes and b"\n" not in head_bytes:
        # old Mac line ends (CR only): one line per CR
        raw = (raw if isinstance(raw, bytes) else Path(raw.path).read_bytes()).replace(b"\r", b"\n")
        notes.append("lines end in CR only (an old Mac format): read one line per CR")
        path = None
        head_bytes = raw[:HEAD_BYTES]
    if utf8:
        data = raw
    else:
        if isinstance(raw, _FileView):
            raw = Path(raw.path).read_bytes()
        text, encoding = _decode(raw)
        notes.append(f"read as {encoding} text")
        data = text.encode("utf-8")
        path = None
    bom = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    head_text = data[bom:HEAD_BYTES].decode("utf-8", "ignore")
    if len(data) > HEAD_BYTES:
        head_text = head_text[: head_text.rfind("\n") + 1]
    head_lines = _lines(head_text, HEAD_LINES + SAMPLE_ROWS * 2)
    delimiter, found = _sniff(head_lines[:HEAD_LINES], overrides)
    if found is None:
        raise CrmError(f"{name}: the file is empty; export the opportunities again with a header row")
    header_idx, cells, _ = found
    csv_columns = _unique(cells)
    header = list(csv_columns)
    while len(header) > 1 and header[-1].startswith("Unnamed: "):
        header.pop()  # a trailing delimiter on every line, or trailing empty columns
    if delimiter != ",":
        notes.append(f"columns separated by {'tabs' if delimiter == chr(9) else repr(delimiter)}")
    if header_idx:
        notes.append(f"{header_idx} line(s) above the header skipped (the table starts at line {header_idx + 1})")
    # a large file on disk is counted beside the scan; its tail lies wholly below the header
    counter = _LineCount(data) if isinstance(data, _FileView) and len(data) > HEAD_BYTES + TAIL_BYTES else None
    total = 0 if counter else data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    tail_start = max(len(data) - TAIL_BYTES, 0)
    raw_lines = data[tail_start:].split(b"\n")
    if tail_start:
        tail_start += len(raw_lines[0]) + 1
        raw_lines = raw_lines[1:]  # the first one is cut
    if data.endswith(b"\n"):
        raw_lines = raw_lines[:-1]
    starts = [tail_start]
    for ln in raw_lines:
        starts.append(starts[-1] + len(ln) + 1)
    tail_lines = [ln.decode("utf-8", "replace").removesuffix("\r") for ln in raw_lines]
    stage_name = overrides.get("stage") or auto_map(header).get("stage")
    stage_pos = header.index(stage_name) if stage_name in header else None
    # numbered from the tail's first line while the count is running (the floor is then far below)
    first_no = total - len(tail_lines) + 1 if counter is None else 1 << 40
    kept = _footer_from(tail_lines, first_no, header_idx + 1, delimiter, len(header), stage_pos) - first_no
    footer = sum(1 for ln in tail_lines[kept:] if ln.strip())
    data_end = min(starts[kept], len(data)) if kept < len(starts) else len(data)
    if footer:
        notes.append(f"{footer} footer line(s) after the data (totals, notes) ignored: they are not deals")
    footer_at: int | Callable[[], int]
    if counter is None:
        footer_at = first_no + kept
        sample_end = min(footer_at - 1, len(head_lines))
    else:
        footer_at = lambda: counter.get() - len(tail_lines) + 1 + kept  # noqa: E731
        sample_end = len(head_lines)  # the data goes on past the head
    sample_text = "\n".join(head_lines[header_idx + 1 : max(header_idx + 1, sample_end)])
    probe = _split(sample_text, delimiter, 0, SAMPLE_ROWS * 2 + 1, len(header), len(csv_columns))
    sample = tuple(zip(*probe.columns, strict=True))[:SAMPLE_ROWS] if probe.columns and probe.lines else ()
    return RawTable(
        name,
        "csv",
        tuple(header),
        header_idx + 1,
        footer_at,
        sample,
        delimiter,
        data if isinstance(data, bytes) else b"",
        tuple(notes),
        None,
        path if data is raw else None,
        tuple(csv_columns),
        footer,
        None,
        data_end,
    )


# ---- workbooks ----------------------------------------------------------------------------------


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds").removesuffix(" 00:00:00")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_workbook(raw: bytes, name: str, overrides: Mapping[str, str]) -> RawTable:
    import io
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise CrmError(
            f"{name}: looks like an Excel workbook but cannot be read ({exc}); save it again as .xlsx or CSV"
        ) from None
    notes: list[str] = []
    if not name.lower().endswith((".xlsx", ".xlsm")):
        notes.append(f"{name} is an Excel workbook despite its name")
    candidates = []
    try:
        for sheet in book.worksheets:
            rows = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
            while rows and not any(rows[-1]):
                rows.pop()
            if not rows:
                continue
            lines = ["\t".join(r) for r in rows[:HEAD_LINES]]
            found = _header_at(lines, "\t", overrides)
            if found is None:
                continue
            candidates.append((found[2], sheet.title, rows, found))
    finally:
        book.close()
    if not candidates:
        raise CrmError(f"{name}: the workbook has no sheet with data; export the opportunities again")
    with_stage = [c for c in candidates if c[0]]
    _, title, rows, (header_idx, cells, _) = with_stage[0] if with_stage else candidates[0]
    if len(book.sheetnames) > 1:
        notes.append(f"read the sheet '{title}' (of {len(book.sheetnames)} sheets)")
    header = _unique(cells)
    while len(header) > 1 and header[-1].startswith("Unnamed: "):
        header.pop()
    width = len(header)
    if header_idx:
        notes.append(f"{header_idx} row(s) above the header skipped (the table starts at row {header_idx + 1})")
    stage_name = overrides.get("stage") or auto_map(header).get("stage")
    stage_pos = header.index(stage_name) if stage_name in header else None
    lines = ["\t".join(r) for r in rows]
    footer_from = _footer_from(lines, 1, header_idx + 1, "\t", width, stage_pos)
    cols: list[list[str]] = [[] for _ in range(width)]
    numbers: list[int] = []
    blank = 0
    for i in range(header_idx + 1, footer_from - 1):
        row = (rows[i] + [""] * width)[:width]
        if not any(row):
            blank += 1
            continue
        for c, v in zip(cols, row, strict=True):
            c.append(v)
        numbers.append(i + 1)
    data_rows = Rows(numbers, cols, [], blank)
    sample = tuple(zip(*cols, strict=True))[:SAMPLE_ROWS] if numbers else ()
    footer = sum(1 for ln in lines[footer_from - 1 :] if ln.strip())
    if footer:
        notes.append(f"{footer} footer row(s) after the data (totals, notes) ignored: they are not deals")
    return RawTable(
        name,
        "xlsx",
        tuple(header),
        header_idx + 1,
        footer_from,
        sample,
        "\t",
        b"",
        tuple(notes),
        title,
        None,
        tuple(header),
        footer,
        data_rows,
    )


def _utf16_like(raw: bytes | _FileView) -> bool:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    head = raw[:4000]
    if len(head) < 16:
        return False
    even, odd = head[0::2].count(0), head[1::2].count(0)
    half = max(len(head) // 2, 1)
    return max(even, odd) > 0.4 * half and min(even, odd) < 0.05 * half


def read_path(path: str, name: str | None = None, overrides: Mapping[str, str] | None = None) -> RawTable:
    """A file on disk: a UTF-8 CSV is read from its head and tail only (DuckDB reads the rest in
    place); anything else as :func:`read_table` reads its bytes."""
    name = name or path
    view = _FileView(path)
    head = view[:4096]
    if (
        not head.strip()
        or head[:4] == b"PK\x03\x04"
        or head[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        or b"\x00" in head
    ):
        return read_table(Path(path).read_bytes(), name, overrides, path=path)
    return _read_text(view, name, overrides or {}, path)


def read_table(
    raw: bytes, name: str = "upload", overrides: Mapping[str, str] | None = None, *, path: str | None = None
) -> RawTable:
    """Bytes of a CSV or XLSX file -> header and cells. Raises CrmError for unusable files."""
    overrides = overrides or {}
    if not raw or raw.isspace():  # isspace stops at the first other byte; strip() would copy the file
        raise CrmError(f"{name}: the file is empty; export the opportunities again with a header row")
    if raw[:4] == b"PK\x03\x04":
        table = _read_workbook(raw, name, overrides)
    elif raw[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        if "EncryptionInfo".encode("utf-16-le") in raw or b"EncryptedPackage" in raw:
            raise CrmError(
                f"{name}: the workbook is protected by a password; open it in Excel, remove the password "
                "(File > Info > Protect Workbook) or save a copy as CSV, and upload that"
            )
        raise CrmError(f"{name}: an old Excel 97-2003 (.xls) file; save it as .xlsx or CSV and upload that")
    elif b"\x00" in raw[:4096] and not _utf16_like(raw):
        raise CrmError(f"{name}: binary content, not a CSV or XLSX export; export the report as CSV or XLSX")
    else:
        table = _read_text(raw, name, overrides, path)
    if not table.columns:
        raise CrmError(f"{name}: no columns found; the first line must be the header")
    return table
