"""How much an upload may hold: bytes (a workbook's unzipped parts counted too), rows, columns and
characters per cell. The defaults fit any real CRM export (Excel's own sheet is at most 1,048,576
rows and 32,767 characters per cell) and refuse a zip bomb before it is unpacked; each can be
changed by an environment variable (:data:`ENV`), read when a file is read."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields

MB = 1 << 20


@dataclass(frozen=True)
class Limits:
    """What a reader accepts; a file past one of them is refused with a message naming it."""

    file_bytes: int = 2048 * MB  # a text export as stored (the app's uploads stop at 200 MB before this)
    unzipped_bytes: int = 256 * MB  # a workbook's parts once unzipped, all together
    zip_parts: int = 10_000  # files inside a workbook
    zip_ratio: int = 100  # unzipped / zipped above 16 MB unzipped: real workbooks pack 5-20x, bombs 100-1,000x
    rows: int = 5_000_000  # data lines of a text export
    sheet_rows: int = 1_048_576  # rows of a workbook's sheet (Excel's own limit)
    columns: int = 1_000
    cell_chars: int = 32_767  # Excel's own limit for one cell
    header_bytes: int = 1 * MB  # the header line (and the lines above it) must start within this


ENV = {
    "file_bytes": "SALESOPT_MAX_FILE_MB",
    "unzipped_bytes": "SALESOPT_MAX_UNZIPPED_MB",
    "zip_parts": "SALESOPT_MAX_ZIP_PARTS",
    "zip_ratio": "SALESOPT_MAX_ZIP_RATIO",
    "rows": "SALESOPT_MAX_ROWS",
    "sheet_rows": "SALESOPT_MAX_SHEET_ROWS",
    "columns": "SALESOPT_MAX_COLUMNS",
    "cell_chars": "SALESOPT_MAX_CELL_CHARS",
}


def limits() -> Limits:
    """The limits in force: the defaults, each replaced by its environment variable when set
    (sizes in MB, the rest as counts)."""
    from salesopt.crm.table import CrmError  # the table module reads lines, which read the limits

    changes: dict[str, int] = {}
    for f in fields(Limits):
        var = ENV.get(f.name)
        text = os.environ.get(var, "").strip() if var else ""
        if not var or not text:
            continue
        try:
            value = int(text)
        except ValueError:
            value = 0
        if value <= 0:
            raise CrmError(f"{var}={text!r}: not a whole number above 0; fix the setting or remove it")
        changes[f.name] = value * MB if f.name.endswith("_bytes") else value
    return Limits(**changes)


RATIO_FLOOR = 16 * MB  # below this a workbook may pack as tightly as it likes


def size(n: int) -> str:
    """``268435456`` -> ``256 MB``; small sizes in KB."""
    return f"{n / MB:,.0f} MB" if n >= MB else f"{max(n // 1024, 1):,} KB"
