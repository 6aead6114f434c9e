"""CRM import: read a CSV or XLSX export, map its columns onto the opportunity table
(METRICS.md §1), type its values in DuckDB and say what happened in an import report.

- :mod:`~salesopt.crm.fields`: the vocabulary (fields, column synonyms, won and lost names)
- :mod:`~salesopt.crm.read`: bytes -> header and text cells, every physical line accounted for
  (the read table in :mod:`~salesopt.crm.table`, the line splitters in :mod:`~salesopt.crm.lines`,
  finding the header in :mod:`~salesopt.crm.header`, workbooks in :mod:`~salesopt.crm.workbook`)
- :mod:`~salesopt.crm.mapping`: which column holds which field
- :mod:`~salesopt.crm.values`: how a cell becomes a date, an amount, a probability (SQL)
- :mod:`~salesopt.crm.importer`: the import: the mapping checked against the values, its steps in order
- :mod:`~salesopt.crm.scan`: typing every mapped cell in one scan; the cells it had to empty
- :mod:`~salesopt.crm.checks`: the checks after the scan (stage spellings, ids, duplicates, history)
- :mod:`~salesopt.crm.result`: the typed opportunity table and the import report
"""

from salesopt.crm.fields import COHORT_FIELDS, DATE_FIELDS, FIELDS, LOST_NAMES, TEXT_FIELDS, WON_NAMES
from salesopt.crm.importer import CellIssue, ImportReport, ImportResult, NoStageColumn, import_opportunities
from salesopt.crm.mapping import auto_map, normalise_header
from salesopt.crm.read import CrmError, RawTable, Rejected, read_table

__all__ = [
    "COHORT_FIELDS",
    "DATE_FIELDS",
    "FIELDS",
    "LOST_NAMES",
    "TEXT_FIELDS",
    "WON_NAMES",
    "CellIssue",
    "CrmError",
    "ImportReport",
    "ImportResult",
    "NoStageColumn",
    "RawTable",
    "Rejected",
    "auto_map",
    "import_opportunities",
    "normalise_header",
    "read_table",
]
