"""No raw Python values on screen: with the demo open, every page (and Stage 5's dashboards with a
quota table, and workshop mode) shows no "None", "nan", "NaT", "<NA>" or Python reprs in its
markdown, captions, messages, metrics, tables and selectable values."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from salesopt.model.assessment import QuotaRow
from salesopt.storage import Store
from tests.helpers import PAGES, ROOT, open_demo

RAW = re.compile(r"\b(None|nan|NaN|NaT)\b|<NA>|\bTimestamp\(|np\.float|\{'|\['|dtype")


def screen_text(at: AppTest) -> list[tuple[str, str]]:
    """(where, text) for everything a person reads on the page."""
    out: list[tuple[str, str]] = []
    for kind in ("markdown", "caption", "info", "warning", "error", "success", "title", "header", "subheader"):
        out += [(kind, str(e.value)) for e in getattr(at, kind)]
    for m in at.metric:
        out += [("metric", f"{m.label} | {m.value} | {m.delta or ''}")]
    # read-only tables (an editor's empty cell is a blank to type into, checked by the browser walk)
    for frame in [*(d for d in at.dataframe if d.editing_mode == "read_only"), *at.table]:
        value = frame.value
        data = getattr(value, "data", value)  # st.table of a Styler
        out += [("table", " ".join(str(c) for c in data.columns) + " " + data.astype(str).to_string())]
    for box in at.selectbox:
        out += [("selectbox", f"{box.label} | {' | '.join(box.options)}")]
    for box in at.multiselect:
        out += [("multiselect", box.label)]
    for p in at.get("progress"):
        out += [("progress", p.text)]
    return out


def raw_values(at: AppTest) -> list[tuple[str, str]]:
    return [(kind, text[:300]) for kind, text in screen_text(at) if RAW.search(text)]


def _with_quotas(app: AppTest, db_path) -> AppTest:
    open_demo(app)
    store = Store(f"sqlite:///{db_path}")
    [summary] = store.list()
    stored = store.load(summary.id)
    a = stored.assessment
    owners = ["Ana Ruiz", "Ben Okafor", "Isla Byrne"]
    a = a.model_copy(
        update={
            "performance": a.performance.model_copy(
                update={
                    "quotas": [QuotaRow(rep=o, quota=900_000) for o in owners] + [QuotaRow(rep="New Hire", quota=1)]
                }
            )
        }
    )
    store.save(a, stored.version)
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.query_params["a"] = app.session_state["so.token"]
    at.run()
    return at


@pytest.mark.parametrize("page", PAGES[:-1])
def test_no_raw_values_on_any_page_with_the_demo(app, page):
    open_demo(app)
    app.switch_page(page).run()
    assert not app.exception
    assert raw_values(app) == []


def test_no_raw_values_on_the_dashboards_with_quotas_and_filters(app, db_path):
    at = _with_quotas(app, db_path)
    at.switch_page("app_pages/performance.py").run()
    assert not at.exception
    assert raw_values(at) == []
    for rep in at.selectbox(key="perf.rep").options:
        at.selectbox(key="perf.rep").set_value(rep).run()
        assert raw_values(at) == [], rep
    flags = at.selectbox(key="perf.flags.rep")
    flags.set_value(flags.options[1].rsplit(" (", 1)[0]).run()  # the rep with the most flagged deals
    at.multiselect(key="perf.f.segment").set_value(["Enterprise"]).run()
    assert not at.exception
    assert raw_values(at) == []


def test_no_raw_values_in_workshop_mode(app):
    open_demo(app)
    app.toggle(key="so.workshop").set_value(True).run()
    for page in PAGES[1:-1]:
        app.switch_page(page).run()
        assert not app.exception
        assert raw_values(app) == [], page
