"""Reading: an export's bytes -> its header and its text cells, every physical line accounted for.

The content decides the format, not the name: a workbook named .csv opens as a workbook. Text
is UTF-8 (with or without BOM), UTF-16 with a BOM (Excel's "Unicode text") or cp1252. Title rows
above the header are skipped: the header is the first row that maps a stage column (or, when
none does, the first row as wide as the table). Footers below the data (totals, copyright
lines, blank lines) are not rows. A line that cannot be split into the header's fields is a
rejected line with its physical line number, and reading resumes at the next line: an unclosed
quote never swallows the rest of the file.

Nothing here parses values; :mod:`salesopt.crm.importer` types the cells in DuckDB.

Here: the entry points (:func:`read_table`, :func:`read_path`) and the text reader. The read
table and the error are in :mod:`~salesopt.crm.table`, the line splitters in
:mod:`~salesopt.crm.lines`, finding the header in :mod:`~salesopt.crm.header`, the workbook
reader in :mod:`~salesopt.crm.workbook`; the names callers import are re-exported here.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Mapping
from pathlib import Path

from salesopt.crm.header import HEAD_LINES, sniff, unique_names
from salesopt.crm.limits import Limits, limits, size
from salesopt.crm.lines import Rejected, Rows, footer_start, split
from salesopt.crm.mapping import auto_map
from salesopt.crm.table import SAMPLE_ROWS, CrmError, RawTable
from salesopt.crm.workbook import read_workbook

__all__ = ["CrmError", "RawTable", "Rejected", "Rows", "read_path", "read_table"]

HEAD_BYTES = 1 << 20
TAIL_BYTES = 1 << 16


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


def _too_many(name: str, lines: int, lim: Limits) -> CrmError:
    return CrmError(
        f"{name}: {lines:,} lines below the header, more than the {lim.rows:,} rows an export may; "
        "export a shorter period or fewer stages"
    )


def _read_text(raw: bytes | _FileView, name: str, overrides: Mapping[str, str], path: str | None) -> RawTable:
    notes = []
    lim = limits()
    if len(raw) > lim.file_bytes:
        raise CrmError(f"{name}: {size(len(raw))}, more than the {size(lim.file_bytes)} an export may be")
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
    if not head_text.strip() and len(data) > HEAD_BYTES:
        raise CrmError(
            f"{name}: no line break in the first {size(HEAD_BYTES)} of {size(len(data))}: not a table with one deal "
            "per line; export the opportunities again as CSV or XLSX"
        )
    head_lines = _lines(head_text, HEAD_LINES + SAMPLE_ROWS * 2)
    delimiter, found = sniff(head_lines[:HEAD_LINES], overrides)
    if found is None:
        raise CrmError(f"{name}: the file is empty; export the opportunities again with a header row")
    header_idx, cells, _ = found
    csv_columns = unique_names(cells)
    if len(csv_columns) > lim.columns:
        raise CrmError(
            f"{name}, line {header_idx + 1}: the header has {len(csv_columns):,} columns, more than the "
            f"{lim.columns:,} an export may; remove the columns the analysis does not need"
        )
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
    if total - header_idx - 1 > lim.rows:
        raise _too_many(name, total - header_idx - 1, lim)
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
    kept = footer_start(tail_lines, first_no, header_idx + 1, delimiter, len(header), stage_pos) - first_no
    footer = sum(1 for ln in tail_lines[kept:] if ln.strip())
    data_end = min(starts[kept], len(data)) if kept < len(starts) else len(data)
    if footer:
        notes.append(f"{footer} footer line(s) after the data (totals, notes) ignored: they are not deals")
    footer_at: int | Callable[[], int]
    if counter is None:
        footer_at = first_no + kept
        sample_end = min(footer_at - 1, len(head_lines))
    else:

        def counted_footer() -> int:
            lines = counter.get()
            if lines - header_idx - 1 > lim.rows:
                raise _too_many(name, lines - header_idx - 1, lim)
            return lines - len(tail_lines) + 1 + kept

        footer_at = counted_footer
        sample_end = len(head_lines)  # the data goes on past the head
    sample_text = "\n".join(head_lines[header_idx + 1 : max(header_idx + 1, sample_end)])
    probe = split(sample_text, delimiter, 0, SAMPLE_ROWS * 2 + 1, len(header), len(csv_columns))
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
    lim = limits()
    if len(view) > lim.file_bytes:
        raise CrmError(f"{name}: {size(len(view))}, more than the {size(lim.file_bytes)} an export may be")
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
        table = read_workbook(raw, name, overrides)
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
