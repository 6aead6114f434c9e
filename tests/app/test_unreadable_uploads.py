"""Unreadable uploads in the app (issue 22): a zip bomb, a malformed workbook and a deeply nested
assessment file each get one clear message where they were uploaded, never the error page."""

from __future__ import annotations

import time

from tests.security.test_assessment_files import DEEP
from tests.security.test_bounded_input import workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _errors(app) -> list[str]:
    return [str(e.value) for e in app.error]


def test_a_deep_assessment_file_is_refused_on_home(app):
    for name in ("deep.json", "deep-block.yaml"):
        app.file_uploader(key="home.upload").upload(name, DEEP[name].encode(), "application/json").run()
        app.button(key="home.import").click().run()
        assert not app.exception, app.exception
        assert any(e.startswith(f"Nothing was imported. {name}: nested more than 20 levels deep") for e in _errors(app))


def test_a_zip_bomb_and_a_malformed_workbook_are_refused_on_the_data_tab(app, tmp_path):
    app.text_input(key="home.new.title").input("Uploads")
    app.button[0].click().run()
    app.switch_page("app_pages/funnel.py").run()
    assert not app.exception, app.exception
    bomb = workbook(tmp_path / "bomb.xlsx", repeat=5_000_000).read_bytes()  # 315 MB of XML in 1 MB
    start = time.perf_counter()
    app.file_uploader(key="funnel.export").upload("bomb.xlsx", bomb, XLSX).run()
    assert time.perf_counter() - start < 10  # the whole rerun, with the page drawn
    assert not app.exception, app.exception
    assert any(
        e.startswith("bomb.xlsx: the workbook (1 MB) unpacks to 315 MB, more than the 256 MB") for e in _errors(app)
    )
    bad = workbook(tmp_path / "bad.xlsx", [b'<row r="2"><c r="ZZZ!!"><v>1</v></c></row>']).read_bytes()
    app.file_uploader(key="funnel.export").upload("bad.xlsx", bad, XLSX).run()
    assert not app.exception, app.exception
    assert any(e.startswith("bad.xlsx: sheet 'Deals', row 2: a cell cannot be read") for e in _errors(app))
