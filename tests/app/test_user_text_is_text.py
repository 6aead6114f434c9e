"""User text renders as text on the pages (issue 22): a Markdown image in the title, the company
or an answer reaches no element as image syntax a browser would fetch."""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

IMAGE = "![x](http://127.0.0.1:9/pixel.png)"
# Markdown image syntax whose bracket is not escaped
LIVE_IMAGE = re.compile(r"(?<!\\)!\[[^\]]*(?<!\\)\]\(")


def _markdown(at: AppTest) -> list[str]:
    elements = [*at.markdown, *at.caption, *at.subheader, *at.title, *at.error, *at.info, *at.warning]
    return [str(e.value) for e in elements]


def test_an_image_in_the_title_company_and_an_answer_is_shown_as_text(app):
    app.text_input(key="home.new.title").input(f"Review {IMAGE}")
    app.text_input(key="home.new.company").input(f"ACME {IMAGE}")
    app.button[0].click().run()
    assert not app.exception, app.exception
    app.text_area(key="q.context.products").input(f"Payroll {IMAGE}").run()
    seen: list[str] = []
    for page in ("app_pages/home.py", "app_pages/context.py", "app_pages/plan.py"):
        app.switch_page(page).run()
        assert not app.exception, app.exception
        seen += _markdown(app)
    shown = [t for t in seen if "127.0.0.1:9" in t]
    assert any("Review !\\[x\\](http://127.0.0.1:9/pixel.png)" in t for t in shown)  # the sidebar and Home
    assert any("Payroll !\\[x\\]" in t for t in shown)  # the answer, on the stage output and the plan
    assert [t for t in shown if LIVE_IMAGE.search(t)] == []


def test_an_image_typed_into_a_number_field_is_quoted_as_text_in_its_error(app):
    app.text_input(key="home.new.title").input("Numbers")
    app.button[0].click().run()
    app.text_input(key="q.context.avg_deal_size").input(IMAGE).run()
    assert not app.exception, app.exception
    errors = [str(e.value) for e in app.error]
    assert any("!\\[x\\](http://127.0.0.1:9/pixel.png)" in e and "is not an amount of money" in e for e in errors)
    assert [e for e in errors if LIVE_IMAGE.search(e)] == []
