"""The What-if page: the calibrated baseline, its reconciliation with actual revenue, the binding
limit, the chosen scenario's expected impact, and a baseline filled from a Stage 2 export alone."""

from __future__ import annotations

import hashlib

from streamlit.testing.v1 import AppTest

from salesopt.demo import demo_crm_csv
from salesopt.model.assessment import Assessment, CrmSource, FunnelSection
from salesopt.storage import Store
from tests.helpers import open_demo, opened


def _texts(at: AppTest) -> str:
    parts = [e.value for e in at.markdown] + [e.value for e in at.caption] + [e.value for e in at.info]
    parts += [e.value for e in at.warning] + [e.value for e in at.subheader]
    return "\n".join(str(p) for p in parts)


def test_demo_baseline_is_reconciled_and_names_the_binding_limit(app):
    open_demo(app)
    app.switch_page("app_pages/whatif.py").run()
    assert not app.exception
    body = _texts(app)
    assert "The baseline projects $3,512,500 a year against $3,512,500 won in the export's last 12 months" in body
    assert "The funnel binds" in body
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Projected revenue / year"] == "$3.5M" and metrics["Quota attainment (projected)"] == "70.2%"
    app.slider(key="whatif.win").set_value(8).run()
    app.slider(key="whatif.attainment").set_value(22).run()  # 60% -> 82%: capacity 10 x $500,000 x 82%
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Projected revenue / year"] == "$4.1M" and metrics["Quota attainment (projected)"] == "82%"
    assert "Capacity binds" in _texts(app)


def test_saved_scenario_shows_its_expected_impact_and_programme_case(app):
    open_demo(app)
    app.switch_page("app_pages/whatif.py").run()
    app.slider(key="whatif.win").set_value(8).run()
    app.slider(key="whatif.attainment").set_value(22).run()
    app.text_input(key="whatif.name").input("Seed results").run()
    app.button(key="whatif.save").click().run()
    assert not app.exception
    saved = next(s["id"] for s in opened(app)["scenarios"] if s["name"] == "Seed results")
    app.selectbox(key="whatif.chosen").select(saved).run()  # the demo's own scenario was the plan's
    assert opened(app)["whatif"]["chosen_scenario"] == saved
    body = _texts(app)
    assert "Expected impact: Seed results" in body
    assert "+$587.5K a year (P10" in body  # $4.1M capacity - $3,512,500, the books' year
    assert "do not add up" in body
    assert {"Investment", "Return", "ROI (programme)", "Payback (programme)"} <= {m.label for m in app.metric}


def _stored_with_its_export(at, db_path, only: Assessment, data: bytes) -> None:
    """Store ``only`` with its export as its own upload and open it by its resume link."""
    store = Store(f"sqlite:///{db_path}")
    _, token = store.create(only)
    store.put_file(data, "deals.csv", only.id)
    at.query_params["a"] = token
    at.run()
    assert not at.exception


def test_stage_two_only_assessment_fills_the_baseline_from_the_export(app, db_path):
    data = demo_crm_csv()
    digest = hashlib.sha256(data).hexdigest()
    crm = CrmSource(sha256=digest, name="deals.csv", size=len(data))
    only = Assessment(title="Export only", funnel=FunnelSection(target=5_000_000, crm=crm))
    _stored_with_its_export(app, db_path, only, data)
    app.switch_page("app_pages/whatif.py").run()
    assert not app.exception
    body = _texts(app)
    assert "The baseline needs" not in body
    assert "the 10 deal owners in the export" in body and "split evenly over the reps" in body
    values = {n.label: n.value for n in app.number_input}
    assert values["Quota-carrying reps"] == 10 and values["Quota per rep per year"] == 500_000
    assert values["Today's quota attainment (0-1)"] == 3_512_500 / 5_000_000
    assert all(v is not None for k, v in values.items() if k in ("Average deal size", "Sales cycle (days)"))


def test_export_without_target_or_team_figures_says_capacity_is_not_counted(app, db_path):
    data = demo_crm_csv()
    digest = hashlib.sha256(data).hexdigest()
    only = Assessment(
        title="No target", funnel=FunnelSection(crm=CrmSource(sha256=digest, name="deals.csv", size=len(data)))
    )
    _stored_with_its_export(app, db_path, only, data)
    app.switch_page("app_pages/whatif.py").run()
    assert not app.exception
    assert "Capacity is not counted" in _texts(app)
    assert {m.label: m.value for m in app.metric}["Capacity / year"] == "—"
