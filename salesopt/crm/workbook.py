"""The workbook reader: an XLSX file's sheet with the deals (the first whose header maps a stage
column) -> a read table, each cell as the text Excel shows (dates in ISO form, whole numbers
without a decimal point)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time

from salesopt.crm.header import HEAD_LINES, header_at, unique_names
from salesopt.crm.lines import Rows, footer_start
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


def read_workbook(raw: bytes, name: str, overrides: Mapping[str, str]) -> RawTable:
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
            found = header_at(lines, "\t", overrides)
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
