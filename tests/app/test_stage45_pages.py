"""Stages 4 and 5 on the demo: content linked to the leak, dashboards, forecasting, tiers."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from salesopt.model.assessment import ContentStatus, ForecastRow, QuotaRow
from salesopt.storage import Store
from tests.helpers import ROOT, open_demo


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_enablement_links_the_demo_leak_to_proposal_content(app):
    open_demo(app)
    app.switch_page("app_pages/enablement.py").run()
    assert not app.exception
    body = " ".join(str(m.value) for m in app.markdown)
    assert "The biggest leak, Demo → Proposal (Stage 2), points to:" in body
    # the demo rates its content: the proposal template is outdated, the ROI calculator missing
    assert "Proposal templates (outdated)" in body and "ROI calculators (missing)" in body
    assert metrics(app)["Discovery phase gap"] == "62.5%"
    assert "16 weeks to independent selling" in " ".join(c.value for c in app.caption)


def _seeded(app: AppTest, db_path) -> AppTest:
    open_demo(app)
    store = Store(f"sqlite:///{db_path}")
    [summary] = store.list()
    stored = store.load(summary.id)
    a = stored.assessment
    a = a.model_copy(
        update={
            "performance": a.performance.model_copy(
                update={
                    "quotas": [
                        QuotaRow(rep="Ana Ruiz", quota=100_000),
                        QuotaRow(rep="Ben Okafor", quota=1_000_000, actual=800_000),
                    ],
                    "forecasts": [
                        ForecastRow(period="Q1", forecast=110, actual=100),
                        ForecastRow(period="Q2", forecast=130, actual=100),
                    ],
                }
            ),
            "enablement": a.enablement.model_copy(
                update={"content": {"proposal_templates": ContentStatus(status="missing")}}
            ),
        }
    )
    store.save(a, stored.version)
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=30)
    at.query_params["a"] = app.session_state["so.token"]
    at.run()
    return at


def test_performance_dashboards_forecast_and_tiers(app, db_path):
    at = _seeded(app, db_path)
    at.switch_page("app_pages/performance.py").run()
    assert not at.exception
    m = metrics(at)
    assert m["MAPE"] == "20%" and m["Bias"] == "20%" and m["Pattern"] == "over-optimism"
    assert m["Core"] == "1"  # Ben at exactly 80%
    assert {"Actual", "Attainment", "Rep's open pipeline", "Rep's coverage of quota left", "Weighted forecast"} <= set(
        m
    )
    assert any("Risk flags" in md.value for md in at.markdown)
    # the executive tiles are one quarter's figures, and say which
    tiles = {mm.label.split(", ")[0]: mm for mm in at.metric if ", 20" in mm.label}
    assert {"Won revenue", "Win rate", "Median sales cycle"} <= set(tiles)
    assert tiles["Win rate"].delta.endswith(" pts") and tiles["Median sales cycle"].delta.endswith(" days")


def test_enablement_gap_score_after_rating(app, db_path):
    at = _seeded(app, db_path)
    at.switch_page("app_pages/enablement.py").run()
    assert metrics(at)["Proposal phase gap"] == "100%"
    assert "Proposal templates (missing)" in " ".join(str(m.value) for m in at.markdown)


def test_stage5_tables_show_labels_and_formats_not_internals(app):
    from tests.helpers import open_demo

    open_demo(app)
    app.switch_page("app_pages/performance.py").run()
    assert not app.exception
    for frame in app.dataframe:
        columns = [str(c) for c in frame.value.columns]
        assert not any("_" in c for c in columns), columns  # no raw column names such as opportunity_id
        text = frame.value.astype(str).to_string()
        assert "None" not in text and "NaT" not in text and "nan" not in text.replace("Financ", "")


def test_risk_flags_click_through_to_a_reps_deals_and_the_rep_view_lists_age_and_risk(app, db_path):
    at = _seeded(app, db_path)
    at.switch_page("app_pages/performance.py").run()
    box = at.selectbox(key="perf.flags.rep")
    first = box.options[1].rsplit(" (", 1)
    rep, count = first[0], int(first[1].rstrip(")").replace(",", ""))
    box.set_value(rep).run()
    assert not at.exception
    listed = [f.value for f in at.dataframe if "Risk" in f.value.columns and "Owner" in f.value.columns]
    assert listed and set(listed[-1]["Owner"]) == {rep} and len(listed[-1]) == count
    m = metrics(at)
    assert {"Team actual", "Pipeline coverage", "Attainment of quota", "Tier"} <= set(m)
    assert any(label.startswith("Revenue per rep, ") for label in m)
    rep_deals = [f.value for f in at.dataframe if "Age" in f.value.columns]
    assert rep_deals and rep_deals[0]["Age"].str.endswith(" days").all()
