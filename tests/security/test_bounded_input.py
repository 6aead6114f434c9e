"""Bounded input (issue 22): every reader refuses what is past its limits with one clear message,
fast and without unpacking a zip bomb; the command line says it in one line with exit 2."""

from __future__ import annotations

import re
import resource
import struct
import time
import zipfile
from pathlib import Path

import pytest

from salesopt.cli import main
from salesopt.crm import CrmError, import_opportunities, read_table
from salesopt.crm.limits import Limits
from salesopt.crm.workbook import read_workbook

CT = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WB = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
    'main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="Deals" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WB_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
HEAD = b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
TAIL = b"</sheetData></worksheet>"
HEADER_ROW = b'<row r="1"><c r="A1" t="inlineStr"><is><t>Stage</t></is></c><c r="B1" t="inlineStr"><is><t>Amount</t></is></c></row>'
ROW = b'<row><c t="inlineStr"><is><t>Won</t></is></c><c><v>1</v></c></row>'


def workbook(path: Path, rows: list[bytes] | None = None, repeat: int = 0) -> Path:
    """A minimal XLSX: the header row, ``rows`` as given, then ROW ``repeat`` times (streamed)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", CT)
        z.writestr("_rels/.rels", RELS)
        z.writestr("xl/workbook.xml", WB)
        z.writestr("xl/_rels/workbook.xml.rels", WB_RELS)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=repeat > 1_000_000) as f:
            f.write(HEAD + HEADER_ROW + b"".join(rows or []))
            block = ROW * 10_000
            for _ in range(repeat // 10_000):
                f.write(block)
            f.write(TAIL)
    return path


def test_a_zip_bomb_is_refused_in_under_2_s_and_500_mb(tmp_path):
    # 40 million rows: 2.6 GB of sheet XML in a 9 MB file
    bomb = workbook(tmp_path / "bomb.xlsx", repeat=40_000_000)
    raw = bomb.read_bytes()
    assert len(raw) < 10 << 20
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    with pytest.raises(CrmError) as err:
        read_table(raw, "bomb.xlsx")
    took = time.perf_counter() - start
    grew_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert took < 2.0
    assert grew_mb < 500
    assert str(err.value).startswith("bomb.xlsx: the workbook (9 MB) unpacks to 2,518 MB, more than the 256 MB allowed")


def _lie_about_sizes(raw: bytes, member: str, size: int) -> bytes:
    """The zip with ``member``'s uncompressed size rewritten to ``size`` in both its headers."""
    data = bytearray(raw)
    name = member.encode()
    local = data.find(b"PK\x03\x04")
    while local != -1:
        n = struct.unpack_from("<H", data, local + 26)[0]
        if data[local + 30 : local + 30 + n] == name:
            struct.pack_into("<I", data, local + 22, size)
        local = data.find(b"PK\x03\x04", local + 4)
    central = data.find(b"PK\x01\x02")
    while central != -1:
        n = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46 : central + 46 + n] == name:
            struct.pack_into("<I", data, central + 24, size)
        central = data.find(b"PK\x01\x02", central + 4)
    return bytes(data)


def test_a_workbook_whose_zip_lies_about_its_size_is_refused_without_unpacking_it(tmp_path):
    raw = workbook(tmp_path / "big.xlsx", repeat=600_000).read_bytes()  # 39 MB of sheet XML
    liar = _lie_about_sizes(raw, "xl/worksheets/sheet1.xml", 100_000)
    start = time.perf_counter()
    with pytest.raises(CrmError) as err:
        read_table(liar, "liar.xlsx")
    assert time.perf_counter() - start < 2.0
    assert str(err.value) == (
        "liar.xlsx: sheet 'Deals': the workbook is damaged (Bad CRC-32 for file 'xl/worksheets/sheet1.xml': "
        "the sheet is not what the zip declares); save it again as .xlsx or CSV"
    )


def test_the_unzipped_bytes_are_counted_while_the_sheet_streams(tmp_path):
    raw = workbook(tmp_path / "big.xlsx", repeat=200_000).read_bytes()  # 13 MB of sheet XML
    # declared sizes pass a 20 MB limit, the stream is stopped at 10 MB of sheets
    lim = Limits(unzipped_bytes=20 << 20)
    assert read_workbook(raw, "big.xlsx", {}, lim).rows.lines[-1] == 200_001
    with pytest.raises(CrmError) as err:
        read_workbook(raw, "big.xlsx", {}, Limits(unzipped_bytes=10 << 20))
    assert "unpacks to" in str(err.value)


def test_a_malformed_cell_reference_names_the_sheet_and_row(tmp_path):
    bad = b'<row r="2"><c r="ZZZ!!" t="inlineStr"><is><t>Won</t></is></c></row>'
    raw = workbook(tmp_path / "bad.xlsx", [bad]).read_bytes()
    with pytest.raises(CrmError) as err:
        read_table(raw, "bad.xlsx")
    assert str(err.value).startswith("bad.xlsx: sheet 'Deals', row 2: a cell cannot be read (ValueError:")


def test_rows_columns_and_cells_past_the_limits_are_refused_by_the_workbook_reader(tmp_path):
    raw = workbook(tmp_path / "rows.xlsx", repeat=20_000).read_bytes()
    with pytest.raises(CrmError) as err:
        read_workbook(raw, "rows.xlsx", {}, Limits(sheet_rows=10_000))
    assert "row 10,001: past the 10,000 rows a sheet may have" in str(err.value)
    far = b'<row r="2"><c r="ZZ2"><v>1</v></c></row>'
    raw = workbook(tmp_path / "wide.xlsx", [far]).read_bytes()
    with pytest.raises(CrmError) as err:
        read_workbook(raw, "wide.xlsx", {}, Limits(columns=100))
    assert "cell ZZ2: past the 100 columns a sheet may have" in str(err.value)
    long = b'<row r="2"><c r="A2" t="inlineStr"><is><t>' + b"x" * 40_000 + b'</t></is></c><c r="B2"><v>5</v></c></row>'
    raw = workbook(
        tmp_path / "long.xlsx",
        [long, b'<row r="3"><c r="A3" t="inlineStr"><is><t>Won</t></is></c><c r="B3"><v>7</v></c></row>'],
    )
    table = read_table(raw.read_bytes(), "long.xlsx")
    assert table.rows.lines == [3]
    assert table.rows.bad[0].line == 2
    assert table.rows.bad[0].reason.startswith("cell A2 holds 40,000 characters, more than the 32,767 a cell may")


def test_a_44_mb_file_without_a_line_break_is_not_called_empty():
    with pytest.raises(CrmError) as err:
        read_table(b"x" * 44_000_000, "one-line.csv")
    assert str(err.value).startswith("one-line.csv: no line break in the first 1 MB of 42 MB")


@pytest.mark.parametrize("length", [100_000, 5_000_000])
def test_an_over_long_field_without_a_quote_is_rejected_as_too_long_not_as_a_stray_quote(length):
    raw = b"Stage,Amount,Name\nWon,100,a\nWon,200," + b"y" * length + b"\nLost,50,b\n"
    result = import_opportunities(read_table(raw, "long.csv"), name="long.csv")
    assert result.report.rows_kept == 2
    (bad,) = result.report.rejected
    assert bad.line == 3
    assert bad.reason.startswith(f"field 3 holds {length:,} characters, more than the 32,767 a cell may")


def test_too_many_columns_or_rows_in_a_csv_are_refused(monkeypatch):
    wide = (",".join(f"c{i}" for i in range(1_001)) + ",Stage\n" + "1," * 1_001 + "Won\n").encode()
    with pytest.raises(CrmError) as err:
        read_table(wide, "wide.csv")
    assert str(err.value).startswith("wide.csv, line 1: the header has 1,002 columns, more than the 1,000")
    monkeypatch.setenv("SALESOPT_MAX_ROWS", "3")
    with pytest.raises(CrmError) as err:
        read_table(b"Stage\nWon\nWon\nWon\nLost\n", "rows.csv")
    assert str(err.value).startswith("rows.csv: 4 lines below the header, more than the 3 rows an export may")
    monkeypatch.setenv("SALESOPT_MAX_ROWS", "many")
    with pytest.raises(CrmError) as err:
        read_table(b"Stage\nWon\n", "rows.csv")
    assert str(err.value) == "SALESOPT_MAX_ROWS='many': not a whole number above 0; fix the setting or remove it"


def test_the_command_line_refuses_a_bomb_and_a_malformed_workbook_in_one_line(tmp_path, capsys):
    bomb = workbook(tmp_path / "bomb.xlsx", repeat=5_000_000)
    bad = workbook(tmp_path / "bad.xlsx", [b'<row r="2"><c r="ZZZ!!"><v>1</v></c></row>'])
    for path, start in ((bomb, "unpacks to"), (bad, "sheet 'Deals', row 2: a cell cannot be read")):
        assert main(["analyze", str(path)]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1
        assert err.startswith(f"error: {path}: ")
        assert start in err


def test_one_giant_row_within_the_size_limit_is_stopped_while_it_streams(tmp_path, monkeypatch):
    monkeypatch.setenv("SALESOPT_MAX_ZIP_RATIO", "100000")  # past the packing check, to the stream's
    # 200 MB of cells in one row: under the 256 MB the zip may declare, but one row would hold them all in memory
    cells = b"<c><v>1</v></c>" * 100_000
    path = tmp_path / "row.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for part, text in (
            ("[Content_Types].xml", CT),
            ("_rels/.rels", RELS),
            ("xl/workbook.xml", WB),
            ("xl/_rels/workbook.xml.rels", WB_RELS),
        ):
            z.writestr(part, text)
        with z.open("xl/worksheets/sheet1.xml", "w") as f:
            f.write(HEAD + HEADER_ROW + b'<row r="2">')
            for _ in range(130):
                f.write(cells)
            f.write(b"</row>" + TAIL)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    with pytest.raises(CrmError) as err:
        read_table(path.read_bytes(), "row.xlsx")
    assert time.perf_counter() - start < 2.0
    assert (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024 < 500
    assert str(err.value).startswith("row.xlsx: sheet 'Deals', near row 1: one row of a sheet holds more than 4 MB")


def test_a_small_file_that_unpacks_hundreds_of_times_its_size_is_refused_at_once(tmp_path):
    # 26 MB of rows packed into 90 KB: under the 256 MB limit, but read row by row it would take a
    # core for seconds; real workbooks pack 5 to 20 times
    raw = workbook(tmp_path / "packed.xlsx", repeat=400_000).read_bytes()
    start = time.perf_counter()
    with pytest.raises(CrmError) as err:
        read_table(raw, "packed.xlsx")
    assert time.perf_counter() - start < 0.5
    assert re.match(r"packed\.xlsx: the workbook \(\d+ KB\) unpacks to 25 MB, \d{3} times its size", str(err.value))
    assert "over 100 is a zip bomb" in str(err.value)


def test_the_command_line_counts_a_large_files_rows_against_the_limit(tmp_path, capsys, monkeypatch):
    # past 1 MB a file on disk is counted beside DuckDB's scan: the limit is checked there too
    path = tmp_path / "many.csv"
    path.write_text("Stage,Amount\n" + "Won,100\n" * 200_000, encoding="utf-8")
    monkeypatch.setenv("SALESOPT_MAX_ROWS", "150000")
    assert main(["analyze", str(path)]) == 2
    err = capsys.readouterr().err
    assert err == f"error: {path}: 200,000 lines below the header, more than the 150,000 rows an export may; " + (
        "export a shorter period or fewer stages\n"
    )
    monkeypatch.setenv("SALESOPT_MAX_ROWS", "200000")
    assert main(["analyze", str(path)]) == 0
