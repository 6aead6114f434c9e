"""What reading gives: the read table (:class:`RawTable`: the header and the text cells, before
mapping) and the error for a file that cannot be imported (:class:`CrmError`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from salesopt.crm.lines import Rows, split

if TYPE_CHECKING:  # pandas is loaded only when a frame is asked for
    import pandas as pd

SAMPLE_ROWS = 2000  # rows kept for previews and for deciding value formats


class CrmError(ValueError):
    """A file that cannot be imported; the message says what is wrong and what to do."""


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
        return split(text, self.delimiter, self.header_line, self.footer_from, len(self.columns), len(self.csv_columns))

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
