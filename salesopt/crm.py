"""CRM import: read a CSV or XLSX export, map its columns onto the opportunity table
(METRICS.md §1), parse its values, and say what happened in an :class:`ImportReport`.

Reading is decided by content, not by extension: a workbook named .csv still opens. Text is
UTF-8 (with or without BOM) or cp1252; the delimiter is sniffed. Trailing empty columns and
footer lines are dropped and reported. A file that cannot be used raises :class:`CrmError`
with one message that says what is wrong and what to do.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

FIELDS: tuple[str, ...] = (
    "opportunity_id",
    "name",
    "owner",
    "stage",
    "amount",
    "created_date",
    "close_date",
    "lost_at_stage",
    "loss_reason",
    "competitor",
    "segment",
    "region",
    "product",
    "lead_source",
    "team",
    "probability",
    "forecast_category",
    "status",
    "is_won",
    "is_closed",
    "entered_at",
    "next_step",
)
DATE_FIELDS = ("created_date", "close_date", "entered_at")
TEXT_FIELDS = tuple(f for f in FIELDS if f not in (*DATE_FIELDS, "amount", "probability", "is_won", "is_closed"))
COHORT_FIELDS = ("owner", "segment", "region", "product", "lead_source", "team")

# Normalised header (lower case, letters and digits only, Pipedrive's "Deal - " prefix removed)
# -> field. Earlier synonyms win when several columns match one field.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "opportunity_id": ("opportunityid", "opportunity_id", "id", "dealid", "recordid", "hsobjectid", "oppid"),
    "name": ("opportunityname", "name", "dealname", "title", "dealtitle"),
    "owner": (
        "opportunityowner",
        "owner",
        "dealowner",
        "hubspotownerid",
        "ownername",
        "ownerid",
        "salesagent",
        "salesperson",
        "salesrep",
        "rep",
        "accountexecutive",
        "assignedto",
        "user",
    ),
    "stage": ("stage", "stagename", "dealstage", "opportunitystage", "pipelinestage", "salesstage"),
    "amount": (
        "amount",
        "value",
        "dealvalue",
        "dealamount",
        "closevalue",
        "revenue",
        "opportunityamount",
        "forecastedmonthlyrevenue",
        "acv",
        "totalcontractvalue",
    ),
    "created_date": (
        "createddate",
        "createdate",
        "dealcreated",
        "created",
        "createdon",
        "opportunitycreateddate",
        "dealcreatedate",
    ),
    "close_date": (
        "closedate",
        "expectedclosedate",
        "closedon",
        "closeddate",
        "targetclose",
        "wontime",
        "actualclosedate",
    ),
    "lost_at_stage": ("lostatstage", "loststage", "stagelostat", "closedloststage", "stagebeforeloss"),
    "loss_reason": ("lossreason", "lostreason", "closedlostreason", "reasonlost", "closelostreason"),
    "competitor": ("competitor", "competitors", "maincompetitors", "maincompetitorsc", "lostto"),
    "segment": ("segment", "customersegment", "marketsegment", "companysize"),
    "region": ("region", "territory", "regionaloffice", "geo", "country"),
    "product": ("product", "productname", "productfamily", "products"),
    "lead_source": ("leadsource", "source", "originalsource", "originalsourcetype", "dealsource", "channel"),
    "team": ("team", "salesteam", "pod", "manager"),
    "probability": ("probability", "probabilitypercent", "dealprobability", "hsdealstageprobability", "winprobability"),
    "forecast_category": ("forecastcategoryname", "forecastcategory", "hsforecastcategory", "forecast"),
    "status": ("status", "dealstatus"),
    "is_won": ("iswon", "won"),
    "is_closed": ("isclosed", "closed", "closedopportunity"),
    "entered_at": ("enteredat", "stageentered", "stagedate", "date", "changedate"),
    "next_step": ("nextstep", "nextsteps", "nextactivity"),
}
HISTORY_SYNONYMS: dict[str, tuple[str, ...]] = {
    "opportunity_id": ("opportunityid", "opportunity_id", "dealid", "id"),
    "stage": ("stagename", "stage", "dealstage", "opportunitystage", "tostage", "newvalue"),
    "entered_at": ("createddate", "enteredat", "date", "changedate", "stagedate", "createddateforinsert"),
    "amount": ("amount",),
}

WON_NAMES = ("closed won", "closedwon", "won", "closed-won", "deal won", "closed - won")
LOST_NAMES = ("closed lost", "closedlost", "lost", "closed-lost", "deal lost", "closed - lost")
# Stage lists of common CRMs and of the seed, in funnel order (closed stages last)
KNOWN_ORDERS: tuple[tuple[str, ...], ...] = (
    (
        "Prospecting",
        "Qualification",
        "Needs Analysis",
        "Value Proposition",
        "Id. Decision Makers",
        "Perception Analysis",
        "Proposal/Price Quote",
        "Negotiation/Review",
        "Closed Won",
    ),
    ("Lead", "MQL", "SAL", "SQL", "Opportunity", "Proposal/Quote", "Negotiation", "Closed-Won"),
    ("Lead", "Prospect", "Qualified", "Contracting", "Closed Won"),
    ("Prospecting", "Engaging", "Won"),
    ("Qualification", "Demo", "Proposal", "Negotiation", "Closed Won"),
    (
        "appointmentscheduled",
        "qualifiedtobuy",
        "presentationscheduled",
        "decisionmakerboughtin",
        "contractsent",
        "closedwon",
    ),
    ("Qualified", "Contact Made", "Demo Scheduled", "Proposal Made", "Negotiations Started", "Won"),
)
EXCEL_EPOCH = pd.Timestamp("1899-12-30")
DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M:%S.%f%z",
    "%Y-%m-%dT%H:%M:%SZ",
    "%Y/%m/%d",
)
MONTH_FIRST = (
    "%m/%d/%Y",
    "%m/%d/%y",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%y %I:%M %p",
    "%m/%d/%Y %H:%M",
    "%m/%d/%y %H:%M",
    "%m/%d/%Y %H:%M:%S",
    "%m-%d-%Y",
)
DAY_FIRST = (
    "%d/%m/%Y",
    "%d/%m/%y",
    "%d/%m/%Y %H:%M",
    "%d/%m/%y %H:%M",
    "%d/%m/%Y %I:%M %p",
    "%d.%m.%Y",
    "%d.%m.%y",
    "%d-%m-%Y",
    "%d.%m.%Y %H:%M",
)
MAX_REJECTED_LISTED = 100
MAX_AMOUNT = 1e15  # larger is a data error (or infinity), not a deal
TRUE_WORDS = {"true", "1", "yes", "y", "t", "x", "won"}
FALSE_WORDS = {"false", "0", "no", "n", "f", ""}


class CrmError(ValueError):
    """A file that cannot be imported; the message says what is wrong and what to do."""


@dataclass(frozen=True)
class Rejected:
    line: int
    reason: str


@dataclass
class ImportReport:
    rows_read: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    rows_rejected: int = 0
    columns_ignored: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)
    footer_lines: int = 0
    long_format: bool = False


@dataclass(frozen=True)
class RawTable:
    """The file as text cells, before mapping: columns as found, one row per data line."""

    frame: pd.DataFrame
    first_line: int  # file line number of the first data row
    kind: str  # "csv" or "xlsx"
    notes: tuple[str, ...] = ()
    columns_dropped: tuple[str, ...] = ()
    footer_lines: int = 0


# ---- reading ---------------------------------------------------------------------------------------


def _decode(raw: bytes, name: str) -> tuple[str, str]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1"), "latin-1"


def _sniff_delimiter(sample: str) -> str:
    lines = [ln for ln in sample.splitlines()[:50] if ln.strip()]
    if not lines:
        return ","
    try:
        return csv.Sniffer().sniff("\n".join(lines[:20]), delimiters=",;\t|").delimiter
    except csv.Error:
        best, best_score = ",", -1.0
        for d in (",", ";", "\t", "|"):
            counts = [ln.count(d) for ln in lines]
            mode = max(set(counts), key=counts.count)
            score = mode * counts.count(mode) if mode else 0
            if score > best_score:
                best, best_score = d, score
        return best


def _drop_trailing_empty(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    dropped = []
    for col in list(frame.columns)[::-1]:
        header_blank = str(col).startswith("Unnamed:") or not str(col).strip()
        if header_blank and (frame[col].fillna("").astype(str).str.strip() == "").all():  # only blank-header ones
            dropped.append(str(col))
            frame = frame.drop(columns=[col])
        else:
            break
    return frame, dropped[::-1]


def _drop_footer(frame: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Trailing lines with at most one filled cell (report footers, totals, blank lines)."""
    if frame.empty or frame.shape[1] < 3:
        return frame, 0
    tail = frame.tail(200)
    filled = tail.fillna("").astype(str).apply(lambda s: s.str.strip() != "").sum(axis=1).to_numpy()
    n, cut = len(frame), len(frame)
    i = len(filled)
    while i > 0 and filled[i - 1] <= 1:
        i -= 1
        cut -= 1
    return frame.iloc[:cut], n - cut


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


def _read_csv_arrow(data: bytes, delimiter: str, notes: list[str]) -> pd.DataFrame | None:
    """Fast path: pyarrow's multi-threaded CSV reader, every column as text. None if it cannot."""
    try:
        import pyarrow as pa
        import pyarrow.csv as pacsv
    except ImportError:  # pragma: no cover - pyarrow comes with streamlit
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    head = data[:65536].decode("utf-8", "replace").splitlines()
    try:
        header = _unique(next(csv.reader(head[:1], delimiter=delimiter), []))
    except csv.Error:
        return None
    if not header:
        return None
    skipped: list[int] = []

    def on_bad_row(row: Any) -> str:
        skipped.append(row.number or 0)
        return "skip"

    try:
        table = pacsv.read_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(column_names=header, skip_rows=1, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter, newlines_in_values=b'"' in data[: 1 << 20], invalid_row_handler=on_bad_row
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(header, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, ValueError):
        return None
    if skipped:
        notes.append(
            f"{len(skipped):,} line(s) with the wrong number of fields skipped"
            + (f" (first: line {min(n for n in skipped if n)})" if any(skipped) else "")
        )
    text_type = pd.StringDtype("pyarrow", na_value=np.nan)
    return table.to_pandas(types_mapper=lambda t: text_type if t == pa.string() else None)


def _read_csv_pandas(text: str, delimiter: str, name: str) -> pd.DataFrame:
    try:
        return pd.read_csv(  # fallback when Arrow cannot read the file
            io.StringIO(text),
            sep=delimiter,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=True,
            engine="c",
            on_bad_lines="skip",
        )
    except pd.errors.EmptyDataError:
        raise CrmError(f"{name}: the file is empty; export the opportunities again with a header row") from None
    except (pd.errors.ParserError, ValueError, csv.Error) as exc:
        raise CrmError(f"{name}: not a readable CSV ({exc}); check the delimiter and quoting") from None


def read_table(raw: bytes, name: str = "upload") -> RawTable:
    """Bytes of a CSV or XLSX file -> text cells. Raises CrmError for unusable files."""
    if not raw or not raw.strip():
        raise CrmError(f"{name}: the file is empty; export the opportunities again with a header row")
    notes: list[str] = []
    if raw[:4] == b"PK\x03\x04":
        try:
            frame = pd.read_excel(io.BytesIO(raw), dtype=str, engine="openpyxl", keep_default_na=False)
        except Exception as exc:  # noqa: BLE001 - any reader failure is the same message to the user
            raise CrmError(
                f"{name}: looks like an Excel workbook but cannot be read ({exc}); save it again as .xlsx or CSV"
            ) from None
        kind, first_line = "xlsx", 2
        if not name.lower().endswith((".xlsx", ".xlsm")):
            notes.append(f"{name} is an Excel workbook despite its name; read its first sheet")
    elif raw[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise CrmError(f"{name}: an old Excel 97-2003 (.xls) file; save it as .xlsx or CSV and upload that")
    elif b"\x00" in raw[:4096]:
        raise CrmError(f"{name}: binary content, not a CSV or XLSX export; export the report as CSV or XLSX")
    else:
        text, encoding = _decode(raw, name)
        if encoding != "utf-8-sig":
            notes.append(f"read as {encoding} text (not UTF-8)")
        delimiter = _sniff_delimiter(text[:20000])
        if delimiter != ",":
            notes.append(f"columns separated by {'tab' if delimiter == chr(9) else repr(delimiter)}")
        data = raw if encoding == "utf-8-sig" else text.encode("utf-8")
        frame = _read_csv_arrow(data, delimiter, notes)
        if frame is None:
            frame = _read_csv_pandas(text, delimiter, name)
        kind, first_line = "csv", 2
    frame.columns = [str(c).strip() for c in frame.columns]
    frame = frame.apply(text_of)
    frame, dropped = _drop_trailing_empty(frame)
    frame, footer = _drop_footer(frame)
    if frame.empty and kind == "csv" and sum(1 for ln in text.splitlines()[:50] if ln.strip()) > 1:
        raise CrmError(
            f'{name}: the header was read but no data row; an unclosed quote (") or a wrong delimiter '
            "swallowed the rest: check the line after the header"
        )
    if frame.shape[1] == 0:
        raise CrmError(f"{name}: no columns found; the first line must be the header")
    return RawTable(frame.reset_index(drop=True), first_line, kind, tuple(notes), tuple(dropped), footer)


# ---- mapping ---------------------------------------------------------------------------------------


def normalise_header(header: str) -> str:
    h = header.strip().lower()
    h = re.sub(r"^deal\s*-\s*", "", h)  # Pipedrive: "Deal - Value"
    return re.sub(r"[^a-z0-9]", "", h)


def auto_map(columns: Iterable[str], synonyms: Mapping[str, tuple[str, ...]] = SYNONYMS) -> dict[str, str]:
    """field -> column, by known CRM labels and API names; each column used once."""
    by_norm: dict[str, str] = {}
    for col in columns:
        by_norm.setdefault(normalise_header(col), col)
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for fld, names in synonyms.items():
        for syn in names:
            col = by_norm.get(syn)
            if col is not None and col not in used:
                mapping[fld] = col
                used.add(col)
                break
    return mapping


# ---- values ----------------------------------------------------------------------------------------

TEXT = pd.StringDtype("pyarrow", na_value=np.nan)


def text_of(values: pd.Series) -> pd.Series:
    """Cells as Arrow-backed text without missing values (no copy when they already are)."""
    if values.dtype == TEXT and not values.hasnans:
        return values
    return values.astype(object).where(values.notna(), "").astype(str).astype(TEXT)


_CURRENCY_RE = r"(?i)(usd|eur|gbp|chf|cad|aud|us\$|[$€£¥₹]|\s)"  # a string: Arrow runs it, not Python


def parse_money(values: pd.Series) -> pd.Series:
    """Money strings -> float (NaN where blank or unreadable).

    '$50,000.00', '50.000,00 €', '50k', '1.2M', '(500)' (negative), '-500' all parse."""
    import pyarrow as pa
    import pyarrow.compute as pc

    text = text_of(values).str.strip()
    bare_arr = pc.replace_substring_regex(pa.array(text.array), _CURRENCY_RE, "")  # RE2 in Arrow: fast
    plain = pc.match_substring_regex(bare_arr, r"^-?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?$")
    plain = pc.and_(plain, pc.not_equal(bare_arr, ""))
    nums = pc.cast(pc.if_else(plain, pc.replace_substring(bare_arr, ",", ""), None), pa.float64())
    out = pd.Series(nums.to_numpy(zero_copy_only=False), index=text.index, dtype=float)
    todo = out.isna() & (text != "")
    if not todo.any():
        return out
    t = pd.Series(np.asarray(bare_arr, dtype=object)[todo.to_numpy()], index=text.index[todo.to_numpy()], dtype=TEXT)
    negative = t.str.match(r"^\(.*\)$") | t.str.startswith("-")
    t = t.str.replace(r"^[(\-+]|\)$", "", regex=True)
    mult = pd.Series(1.0, index=t.index)
    for suffix, factor in (("k", 1e3), ("m", 1e6), ("mm", 1e6), ("b", 1e9), ("bn", 1e9)):
        hit = t.str.lower().str.endswith(suffix) & t.str[: -len(suffix)].str.match(r"^[\d.,]+$")
        mult[hit] = factor
        t = t.where(~hit, t.str[: -len(suffix)])
    european = t.str.match(r"^\d{1,3}(\.\d{3})+(,\d+)?$") | t.str.match(r"^\d+,\d{1,2}$")
    t = t.where(~european, t.str.replace(".", "", regex=False).str.replace(",", ".", regex=False))
    t = t.where(european, t.str.replace(",", "", regex=False))
    parsed = pd.to_numeric(t, errors="coerce") * mult
    parsed[negative] = -parsed[negative]
    out[todo] = parsed
    return out.astype(float)


def _excel_serial(text: pd.Series) -> pd.Series:
    num = pd.to_numeric(text, errors="coerce")
    ok = num.between(20000, 80000)
    return (EXCEL_EPOCH + pd.to_timedelta(num.where(ok), unit="D")).where(ok)


def parse_dates(values: pd.Series, dayfirst: bool = False) -> tuple[pd.Series, str | None]:
    """Date strings -> Timestamp (NaT where blank or unreadable) and the format chosen.

    The format that reads most of a sample wins; values it misses are tried with the others.
    Ambiguous slash dates are month first unless ``dayfirst``."""
    text = text_of(values).str.strip()
    present = (text != "").to_numpy()
    n = len(text)
    # seconds resolution: any year fits, so out-of-range dates are reported as such, not wrapped
    out = np.full(n, np.datetime64("NaT"), dtype="datetime64[s]")
    if not present.any():
        return pd.Series(out, index=text.index), None
    candidates = DATE_FORMATS + (DAY_FIRST + MONTH_FIRST if dayfirst else MONTH_FIRST + DAY_FIRST)
    sample = text[present].drop_duplicates().head(500)
    scores = []
    for fmt in candidates:
        parsed = pd.to_datetime(sample, format=fmt, errors="coerce")
        scores.append((int(parsed.notna().sum()), fmt))
    best_count = max(sc[0] for sc in scores)
    chosen = next(fmt for count, fmt in scores if count == best_count) if best_count else None
    todo = present.copy()
    for fmt in ([chosen] if chosen else []) + [f for f in candidates if f != chosen]:
        if not todo.any():
            break
        parsed = pd.to_datetime(text[todo], format=fmt, errors="coerce")
        if getattr(parsed.dt, "tz", None) is not None:
            parsed = parsed.dt.tz_convert(None)
        ok = parsed.notna().to_numpy()
        where = np.flatnonzero(todo)[ok]
        out[where] = parsed.to_numpy(dtype="datetime64[s]")[ok]
        todo[where] = False
    if todo.any():
        serial = _excel_serial(text[todo])
        ok = serial.notna().to_numpy()
        out[np.flatnonzero(todo)[ok]] = serial.to_numpy(dtype="datetime64[s]")[ok]
        if best_count == 0 and ok.any():
            chosen = "Excel serial number"
    result = pd.Series(out, index=text.index)
    return result, chosen


def _to_float(text: pd.Series) -> pd.Series:
    """Plain decimal text -> float through Arrow (NaN where blank or not a number)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.array(text_of(text).array)
    ok = pc.match_substring_regex(arr, r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
    nums = pc.cast(pc.if_else(ok, arr, None), pa.float64())
    return pd.Series(nums.to_numpy(zero_copy_only=False), index=text.index, dtype=float)


def parse_probability(values: pd.Series) -> tuple[pd.Series, bool]:
    """Probabilities -> fraction in [0, 1]; a column with any value over 1 is read as 0-100."""
    text = text_of(values)
    has_percent = bool(text.str.contains("%", regex=False).any())
    num = _to_float(text.str.replace("%", "", regex=False).str.strip())
    percent_scale = bool((num > 1).any()) or has_percent
    return (num / 100 if percent_scale else num), percent_scale


def parse_bool(values: pd.Series) -> pd.Series:
    """TRUE/FALSE, 1/0, yes/no -> bool (NA where unreadable)."""
    text = text_of(values).str.strip().str.lower()
    out = pd.Series(pd.NA, index=text.index, dtype="boolean")
    out[text.isin(TRUE_WORDS)] = True
    out[text.isin(FALSE_WORDS)] = False
    return out


# ---- import ----------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    """The opportunity table (one row per deal, METRICS.md §1 columns plus ``line``), the stage
    history when there is one (opportunity_id, stage, entered_at), and the report."""

    deals: pd.DataFrame
    history: pd.DataFrame | None
    report: ImportReport
    columns: tuple[str, ...] = ()


def _reject(report: ImportReport, lines: pd.Series, reason: str | pd.Series) -> None:
    if lines.empty:
        return
    report.rows_rejected += len(lines)
    room = MAX_REJECTED_LISTED - len(report.rejected)
    if room <= 0:
        return
    reasons = reason if isinstance(reason, pd.Series) else pd.Series(reason, index=lines.index)
    for line, why in zip(lines.head(room), reasons.head(room), strict=False):
        report.rejected.append(Rejected(int(line), str(why)))


def _check_overrides(overrides: Mapping[str, str], columns: list[str], name: str) -> None:
    for fld, col in overrides.items():
        if fld not in FIELDS:
            raise CrmError(f"{name}: unknown field '{fld}' in a column override; fields are {', '.join(FIELDS)}")
        if col and col not in columns:
            raise CrmError(f"{name}: no column '{col}' for {fld}; the columns are: {', '.join(columns)}")


def _mapped_frame(table: RawTable, mapping: Mapping[str, str]) -> pd.DataFrame:
    src = table.frame
    out = pd.DataFrame({"line": np.arange(table.first_line, table.first_line + len(src))}, index=src.index)
    for fld, col in mapping.items():
        out[fld] = text_of(src[col]).str.strip()
    return out


def _parse_values(frame: pd.DataFrame, report: ImportReport, dayfirst: bool, name: str) -> pd.DataFrame:
    keep = pd.Series(True, index=frame.index)
    stage_blank = frame["stage"] == ""
    _reject(report, frame.loc[stage_blank, "line"], "no stage")
    keep &= ~stage_blank
    if "amount" in frame:
        raw = frame["amount"]
        amount = parse_money(raw)
        present = raw != ""
        bad = present & amount.isna()
        if present.any() and bad.all() and present.sum() >= 1:
            col = report.mapping.get("amount", "amount")
            raise CrmError(
                f"{name}: no value in column '{col}' (amount) is a number (e.g. '{raw[present].iloc[0]}'); "
                "map another column with --map amount=COLUMN or fix the export"
            )
        _reject(
            report, frame.loc[bad & keep, "line"], "amount '" + raw[bad & keep].str.slice(0, 40) + "' is not a number"
        )
        keep &= ~bad
        infinite = (np.abs(amount.to_numpy(dtype=float)) > MAX_AMOUNT) & keep.to_numpy()
        infinite = pd.Series(infinite, index=amount.index)
        _reject(
            report,
            frame.loc[infinite, "line"],
            "amount '" + raw[infinite].str.slice(0, 40) + "' is not a finite number",
        )
        keep &= ~infinite
        negative = amount < 0
        _reject(report, frame.loc[negative & keep, "line"], "amount " + raw[negative & keep] + " is negative")
        keep &= ~negative
        frame["amount"] = amount
    for fld in DATE_FIELDS:
        if fld not in frame:
            continue
        raw = frame[fld]
        parsed, fmt = parse_dates(raw, dayfirst)
        bad = (raw != "") & parsed.isna()
        _reject(
            report, frame.loc[bad & keep, "line"], f"{fld} '" + raw[bad & keep].str.slice(0, 40) + "' is not a date"
        )
        keep &= ~bad
        out_of_range = parsed.notna() & ((parsed.dt.year < 1970) | (parsed.dt.year > 2100))
        _reject(
            report,
            frame.loc[out_of_range & keep, "line"],
            f"{fld} " + parsed[out_of_range & keep].dt.strftime("%Y-%m-%d") + " is out of range (1970-2100)",
        )
        keep &= ~out_of_range
        frame[fld] = parsed
        if fmt and fmt not in DATE_FORMATS and fld != "entered_at":
            report.warnings.append(
                f"{fld}: dates read as {fmt.replace('%', '')} "
                f"({'day first' if fmt.startswith('%d') else 'month first'})"
            )
    if "probability" in frame:
        prob, _ = parse_probability(frame["probability"])
        bad = (frame["probability"] != "") & (prob.isna() | (prob < 0) | (prob > 1))
        _reject(
            report,
            frame.loc[bad & keep, "line"],
            "probability '" + frame["probability"][bad & keep] + "' is not 0-100%",
        )
        keep &= ~bad
        frame["probability"] = prob
    for fld in ("is_won", "is_closed"):
        if fld in frame:
            frame[fld] = parse_bool(frame[fld])
    return frame[keep]


def _collapse_history(frame: pd.DataFrame, report: ImportReport) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Long format (one row per stage entry) -> one row per deal plus the history table."""
    frame = frame.sort_values(["opportunity_id", "entered_at"], kind="stable")
    history = frame[["opportunity_id", "stage", "entered_at"]].reset_index(drop=True)
    grouped = frame.groupby("opportunity_id", sort=False)
    deals = grouped.tail(1).set_index("opportunity_id")
    deals["created_date_h"] = grouped["entered_at"].min()
    if "amount" in frame:
        positive = frame[frame["amount"] > 0]
        deals["amount"] = positive.groupby("opportunity_id")["amount"].last().reindex(deals.index)
        deals["amount"] = deals["amount"].fillna(grouped["amount"].last())
    deals = deals.reset_index()
    if "created_date" not in deals:
        deals["created_date"] = deals["created_date_h"]
    else:
        deals["created_date"] = deals["created_date"].fillna(deals["created_date_h"])
    deals = deals.drop(columns=["created_date_h", "entered_at"])
    report.long_format = True
    report.warnings.append(
        f"stage history in the file itself: {len(history):,} stage entries for {len(deals):,} opportunities; "
        "each deal's current stage is its latest entry, its created date its first, its amount its last positive one"
    )
    return deals, history


def _history_table(table: RawTable, dayfirst: bool, report: ImportReport, name: str) -> pd.DataFrame:
    mapping = auto_map(table.frame.columns, HISTORY_SYNONYMS)
    missing = [f for f in ("opportunity_id", "stage", "entered_at") if f not in mapping]
    if missing:
        raise CrmError(
            f"{name}: a stage history needs opportunity id, stage and date columns; "
            f"not found: {', '.join(missing)} (columns: {', '.join(table.frame.columns)})"
        )
    frame = _mapped_frame(table, {k: mapping[k] for k in ("opportunity_id", "stage", "entered_at")})
    frame["entered_at"], _ = parse_dates(frame["entered_at"], dayfirst)
    unusable = frame["entered_at"].isna() | (frame["stage"] == "") | (frame["opportunity_id"] == "")
    if unusable.any():
        report.warnings.append(f"{name}: {int(unusable.sum()):,} history rows without id, stage or date ignored")
    frame = frame[~unusable].sort_values(["opportunity_id", "entered_at"], kind="stable")
    return frame[["opportunity_id", "stage", "entered_at"]].reset_index(drop=True)


def import_opportunities(
    table: RawTable,
    overrides: Mapping[str, str] | None = None,
    *,
    dayfirst: bool = False,
    history: RawTable | None = None,
    keep_later_duplicates: bool = False,
    name: str = "upload",
) -> ImportResult:
    """Map, parse and check a read table; see the module docstring."""
    columns = list(table.frame.columns)
    overrides = dict(overrides or {})
    _check_overrides(overrides, columns, name)
    mapping = auto_map([c for c in columns if c not in overrides.values()])
    mapping.update({k: v for k, v in overrides.items() if v})
    for k, v in overrides.items():
        if not v:
            mapping.pop(k, None)
    report = ImportReport(
        rows_read=len(table.frame), mapping=dict(sorted(mapping.items())), footer_lines=table.footer_lines
    )
    report.warnings.extend(table.notes)
    if table.footer_lines:
        report.warnings.append(f"{table.footer_lines} footer line(s) after the data ignored")
    report.columns_ignored = [c for c in columns if c not in mapping.values()] + list(table.columns_dropped)
    if table.frame.empty:
        raise CrmError(f"{name}: only a header, no data rows; export the report with its rows")
    if "stage" not in mapping:
        raise CrmError(
            f"{name}: no stage column found among: {', '.join(columns[:30])}; "
            "name the stage column with --map stage=COLUMN (or on the mapping screen)"
        )
    frame = _parse_values(_mapped_frame(table, mapping), report, dayfirst, name)
    if frame.empty:
        raise CrmError(
            f"{name}: no row could be read ({report.rows_rejected:,} rejected, first: "
            f"line {report.rejected[0].line}: {report.rejected[0].reason}); fix the export or the mapping"
        )

    hist: pd.DataFrame | None = None
    if "opportunity_id" not in frame:
        frame["opportunity_id"] = "row-" + frame["line"].astype(str)
    else:
        blank = frame["opportunity_id"] == ""
        frame.loc[blank, "opportunity_id"] = "row-" + frame.loc[blank, "line"].astype(str)
    unique_ids = frame["opportunity_id"].is_unique
    if "entered_at" in frame and not unique_ids:
        frame, hist = _collapse_history(frame, report)
    else:
        frame = frame.drop(columns=["entered_at"], errors="ignore")
        dup = (
            pd.Series(False, index=frame.index)
            if unique_ids
            else frame["opportunity_id"].duplicated(keep="last" if keep_later_duplicates else "first")
        )
        if dup.any():
            first_seen = frame.drop_duplicates("opportunity_id", keep="first").set_index("opportunity_id")["line"]
            reasons = (
                "duplicate opportunity_id '"
                + frame.loc[dup, "opportunity_id"]
                + "' (also at line "
                + frame.loc[dup, "opportunity_id"].map(first_seen).astype(str)
                + ")"
            )
            _reject(report, frame.loc[dup, "line"], reasons)
            frame = frame[~dup]
    if history is not None:
        hist = _history_table(history, dayfirst, report, "history")
        known = set(frame["opportunity_id"])
        unmatched = ~hist["opportunity_id"].isin(known)
        if unmatched.all():
            report.warnings.append("history: no opportunity id matches the export; history not used")
            hist = None
        else:
            if unmatched.any():
                report.warnings.append(f"history: {int(unmatched.sum()):,} rows for unknown opportunities ignored")
            hist = hist[~unmatched].reset_index(drop=True)
            first = hist.groupby("opportunity_id")["entered_at"].min()
            if "created_date" not in frame:
                frame["created_date"] = frame["opportunity_id"].map(first)
    deals = frame.reset_index(drop=True)
    for fld in TEXT_FIELDS:
        if fld in deals:
            deals[fld] = deals[fld].where(deals[fld] != "")  # blank -> missing, still Arrow text
    return ImportResult(deals, hist, report, tuple(columns))
