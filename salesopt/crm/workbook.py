"""The workbook reader: an XLSX file's sheet with the deals (the first whose header maps a stage
column) -> a read table, each cell as the text Excel shows (dates in ISO form, whole numbers
without a decimal point)."""

from __future__ import annotations

import io
import threading
import zipfile
from collections.abc import Mapping
from datetime import date, datetime, time
from typing import IO, Any

from salesopt.crm.header import HEAD_LINES, header_at, unique_names
from salesopt.crm.limits import RATIO_FLOOR, Limits, limits, size
from salesopt.crm.lines import Rejected, Rows, footer_start
from salesopt.crm.mapping import auto_map
from salesopt.crm.table import SAMPLE_ROWS, CrmError, RawTable


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


class _TooBig(Exception):
    """Raised from inside the XML parser's reads when a sheet unpacks past a limit."""


class _Counted:
    """A sheet's XML as it is unzipped, counted while it streams (a zip's declared sizes may lie):
    past the budget, or one row's XML longer than :data:`ROW_BYTES`, reading stops."""

    def __init__(self, src: IO[bytes], budget: list[int]) -> None:
        self._src = src
        self._budget = budget  # shared by every sheet of the workbook: [bytes left]
        self._since_row = 0  # bytes since the last row tag: what one row would hold in memory

    def read(self, n: int = -1) -> bytes:
        data = self._src.read(ROW_BYTES if n is None or n < 0 else n)
        self._budget[0] -= len(data)
        if self._budget[0] < 0:
            raise _TooBig("the workbook unpacks to more than")
        last = data.rfind(b"row>")
        self._since_row = len(data) - last if last >= 0 else self._since_row + len(data)
        if self._since_row > ROW_BYTES:
            raise _TooBig("one row of a sheet holds more than")
        return data

    def close(self) -> None:
        self._src.close()


ROW_BYTES = 4 << 20  # one row's XML: a row of 1,000 long cells is far below it
_NO_CELLS: list[str] = []  # never changed: every row the sheet skips


def _check_zip(raw: bytes, name: str, lim: Limits) -> None:
    """Refuse a workbook whose parts, as the zip declares them, are too many or unpack too large."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            parts = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise CrmError(
            f"{name}: looks like an Excel workbook but cannot be read ({exc}); save it again as .xlsx or CSV"
        ) from None
    if len(parts) > lim.zip_parts:
        raise CrmError(
            f"{name}: the workbook holds {len(parts):,} files, more than the {lim.zip_parts:,} a workbook may; "
            "save it again as .xlsx or CSV"
        )
    declared = sum(p.file_size for p in parts)
    if declared > lim.unzipped_bytes:
        raise CrmError(
            f"{name}: the workbook ({size(len(raw))}) unpacks to {size(declared)}, more than the "
            f"{size(lim.unzipped_bytes)} allowed (a zip bomb, or a sheet far larger than a CRM export); "
            "export fewer rows or save it as CSV"
        )
    if declared > RATIO_FLOOR and declared > lim.zip_ratio * len(raw):
        raise CrmError(
            f"{name}: the workbook ({size(len(raw))}) unpacks to {size(declared)}, {declared // max(len(raw), 1):,} "
            f"times its size (a real workbook packs 5 to 20 times; over {lim.zip_ratio:,} is a zip bomb); "
            "save it again from Excel or as CSV"
        )


_OPEN_LOCK = threading.Lock()


def _open(raw: bytes, name: str) -> Any:
    """The workbook, read only. openpyxl would parse every sheet that has no <dimension> to the
    end while opening it (uncounted: a bomb inside the declared size); the sheets are opened
    without that scan here, as the rows are read by :func:`_sheet_rows`, counted."""
    from openpyxl.reader import excel
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    class Unsized(ReadOnlyWorksheet):  # reads no size: the rows are counted later
        def _get_size(self) -> None:
            pass

    with _OPEN_LOCK:  # the class openpyxl builds sheets with is a module global: one opening at a time
        excel.ReadOnlyWorksheet = Unsized  # type: ignore[attr-defined]
        try:
            return excel.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001  openpyxl raises whatever a malformed part makes it raise
            raise CrmError(
                f"{name}: looks like an Excel workbook but cannot be read ({type(exc).__name__}: {exc}); "
                "save it again as .xlsx or CSV"
            ) from None
        finally:
            excel.ReadOnlyWorksheet = ReadOnlyWorksheet  # type: ignore[attr-defined]


def _sheet_rows(
    book: Any, sheet: Any, name: str, lim: Limits, budget: list[int]
) -> tuple[list[list[str]], dict[int, str]]:
    """A sheet's rows as text cells (row n at index n - 1, missing rows empty), and the rows
    refused for a cell longer than the limit (index -> why). Raises CrmError for a sheet past a
    limit or one that cannot be read, naming the sheet and the row."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet._reader import WorkSheetParser

    rows: list[list[str]] = []
    refused: dict[int, str] = {}
    where = f"{name}: sheet '{sheet.title}'"
    src = _Counted(book._archive.open(sheet._worksheet_path), budget)
    parser = WorkSheetParser(
        src,
        sheet._shared_strings,
        data_only=True,
        epoch=book.epoch,
        date_formats=book._date_formats,
        timedelta_formats=book._timedelta_formats,
    )
    try:
        for number, cells in parser.parse():
            if number > lim.sheet_rows:
                raise CrmError(
                    f"{where}, row {number:,}: past the {lim.sheet_rows:,} rows a sheet may have; "
                    "export fewer rows or save it as CSV"
                )
            if number <= len(rows):
                raise CrmError(f"{where}, row {number:,}: the row comes twice or out of order; save the workbook again")
            row: list[str] = []
            for cell in cells:
                value = cell["value"]
                if value is None:
                    continue
                column = cell["column"]
                if column > lim.columns:
                    raise CrmError(
                        f"{where}, cell {get_column_letter(column)}{number}: past the {lim.columns:,} columns a "
                        "sheet may have; remove the columns the export does not need"
                    )
                text = _cell_text(value)
                if len(text) > lim.cell_chars and number - 1 not in refused:
                    refused[number - 1] = (
                        f"cell {get_column_letter(column)}{number} holds {len(text):,} characters, more than the "
                        f"{lim.cell_chars:,} a cell may; the row was skipped"
                    )
                    text = ""
                if text:
                    row += [""] * (column - 1 - len(row))
                    row.append(text)
            rows += [_NO_CELLS] * (number - 1 - len(rows))  # rows the sheet skips (one shared empty row)
            rows.append(row)
    except _TooBig as exc:
        cap = size(lim.unzipped_bytes if "unpacks" in str(exc) else ROW_BYTES)
        raise CrmError(
            f"{where}, near row {parser.row_counter:,}: {exc} {cap} "
            "(a zip bomb, or a sheet far larger than a CRM export); export fewer rows or save it as CSV"
        ) from None
    except CrmError:
        raise
    except zipfile.BadZipFile as exc:  # the part unpacks to other bytes than the zip says (its size lied)
        raise CrmError(
            f"{where}: the workbook is damaged ({exc}: the sheet is not what the zip declares); "
            "save it again as .xlsx or CSV"
        ) from None
    except Exception as exc:  # noqa: BLE001  a malformed cell reference, value or XML: openpyxl raises anything
        raise CrmError(
            f"{where}, row {max(parser.row_counter, 1):,}: a cell cannot be read ({type(exc).__name__}: {exc}); "
            "open the workbook in Excel and save it again as .xlsx or CSV"
        ) from None
    finally:
        src.close()
    return rows, refused


def read_workbook(raw: bytes, name: str, overrides: Mapping[str, str], lim: Limits | None = None) -> RawTable:
    lim = lim or limits()
    _check_zip(raw, name, lim)
    book = _open(raw, name)
    notes: list[str] = []
    if not name.lower().endswith((".xlsx", ".xlsm")):
        notes.append(f"{name} is an Excel workbook despite its name")
    candidates = []
    budget = [lim.unzipped_bytes]
    try:
        for sheet in book.worksheets:
            if not hasattr(sheet, "_worksheet_path"):
                continue  # a chartsheet: no cells
            rows, refused = _sheet_rows(book, sheet, name, lim, budget)
            while rows and not any(rows[-1]):
                rows.pop()
            if not rows:
                continue
            lines = ["\t".join(r) for r in rows[:HEAD_LINES]]
            found = header_at(lines, "\t", overrides)
            if found is None:
                continue
            candidates.append((found[2], sheet.title, rows, found, refused))
    finally:
        book.close()
    if not candidates:
        raise CrmError(f"{name}: the workbook has no sheet with data; export the opportunities again")
    with_stage = [c for c in candidates if c[0]]
    _, title, rows, (header_idx, cells, _), refused = with_stage[0] if with_stage else candidates[0]
    if len(book.sheetnames) > 1:
        notes.append(f"read the sheet '{title}' (of {len(book.sheetnames)} sheets)")
    header = unique_names(cells)
    while len(header) > 1 and header[-1].startswith("Unnamed: "):
        header.pop()
    width = len(header)
    if header_idx:
        notes.append(f"{header_idx} row(s) above the header skipped (the table starts at row {header_idx + 1})")
    stage_name = overrides.get("stage") or auto_map(header).get("stage")
    stage_pos = header.index(stage_name) if stage_name in header else None
    lines = ["\t".join(r) for r in rows]
    footer_from = footer_start(lines, 1, header_idx + 1, "\t", width, stage_pos)
    cols: list[list[str]] = [[] for _ in range(width)]
    numbers: list[int] = []
    blank = 0
    bad = []
    for i in range(header_idx + 1, footer_from - 1):
        if i in refused:
            bad.append(Rejected(i + 1, refused[i]))
            continue
        row = (rows[i] + [""] * width)[:width]
        if not any(row):
            blank += 1
            continue
        for c, v in zip(cols, row, strict=True):
            c.append(v)
        numbers.append(i + 1)
    data_rows = Rows(numbers, cols, bad, blank)
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
