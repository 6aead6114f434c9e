"""No request leaves the server because of user text (issue 22): a Markdown image or link in an
answer, the title or the company renders as text in the plan's Markdown, HTML and PDF, and a
local listener hears nothing while they are rendered."""

from __future__ import annotations

import http.server
import re
import threading
from collections.abc import Iterator
from typing import ClassVar

import pytest

from salesopt.content.frameworks import load_catalog
from salesopt.demo import demo_assessment
from salesopt.report.export import FetchRefused, check_url, local_fetcher, render
from salesopt.report.plan import build_plan


class _Listener(http.server.BaseHTTPRequestHandler):
    heard: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.heard.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def listener() -> Iterator[tuple[str, list[str]]]:
    heard: list[str] = []
    handler = type("Handler", (_Listener,), {"heard": heard})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", heard
    finally:
        server.shutdown()
        server.server_close()


def _hostile(base: str):
    a = demo_assessment()
    pixel = f"![pixel]({base}/answer.png)"
    answers = {**a.context.answers, "products": f"{pixel} and [a link]({base}/link) <{base}/auto> <img src={base}/x>"}
    context = a.context.model_copy(update={"answers": answers, "closing_answer": f"![c]({base}/closing.png)"})
    return a.model_copy(
        update={"title": f"![t]({base}/title.png)", "company": f"![c]({base}/company.png)", "context": context}
    )


@pytest.mark.parametrize("kind", ["md", "html", "pdf"])
def test_an_image_in_user_text_fetches_nothing(listener, kind):
    base, heard = listener
    plan = build_plan(_hostile(base), load_catalog(), None)
    try:
        out = render(plan.markdown, kind, plan.charts, plan.client, meta=plan.meta)
    except OSError as exc:  # pragma: no cover - a machine without Pango
        pytest.skip(f"no PDF libraries: {exc}")
    assert heard == []
    if kind == "md":
        text = out.decode()
        assert f"!\\[pixel\\]({base}/answer.png)" in text
        assert not re.search(r"!\[[^\]\\]*\]\(", text)  # no image syntax left unescaped
    if kind == "html":
        text = out.decode()
        assert "<img" not in text
        assert f"![pixel]({base}/answer.png)" in text  # shown as the text typed
        assert "img-src data:" in text  # and the page itself loads nothing remote


def test_the_pdf_renderer_fetches_nothing_even_when_the_html_asks(listener):
    from salesopt.report.export import html_to_pdf

    base, heard = listener
    try:
        pdf = html_to_pdf(f'<html><body><img src="{base}/direct.png"><link rel="stylesheet" href="{base}/s.css">')
    except OSError as exc:  # pragma: no cover
        pytest.skip(f"no PDF libraries: {exc}")
    assert pdf.startswith(b"%PDF")
    assert heard == []


def test_the_url_fetcher_takes_data_uris_and_bundled_files_only(tmp_path):
    from importlib import resources

    fetcher = local_fetcher()
    check_url("data:text/plain;base64,aGk=")
    css = resources.files("salesopt.report").joinpath("document.css")
    check_url(f"file://{css}")
    for url in ("data:text/plain;base64,aGk=", f"file://{css}"):
        fetcher(url).close()
    secret = tmp_path / "secret.txt"
    secret.write_text("x")
    for url in (
        "http://127.0.0.1:9/x.png",
        "https://example.com/",
        f"file://{secret}",
        "ftp://a/b",
        f"file://{css}/../../../etc/passwd",
    ):
        with pytest.raises(FetchRefused):
            check_url(url)
        with pytest.raises(FetchRefused):
            fetcher(url)
