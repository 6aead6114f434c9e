"""Stage 3 page: score a deal end to end, business case, methodology fit, custom frameworks."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.helpers import open_demo, opened

GOOD = b"""id: quick
name: Quick check
description: Two questions.
when_to_use: First call.
source: our team
elements:
  - {id: pain, name: Pain, description: "Real pain?", questions: ["What hurts?"], scale: [{score: 0, label: none}, {score: 2, label: clear}]}
  - {id: money, name: Money, description: "Funded?", questions: ["Who pays?"], weight: 2, scale: [{score: 0, label: none}, {score: 2, label: funded}]}
tiers:
  - {label: Cold, min_total: 0, action: Nurture.}
  - {label: Hot, min_total: 4, action: Work it.}
"""


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_score_a_deal_with_bant_end_to_end(app):
    open_demo(app)
    app.switch_page("app_pages/qualification.py").run()
    assert not app.exception
    # nothing scored: no "0 / 8, Low" as if the deal had been judged
    assert "Score" not in metrics(app) and any("Not scored yet" in i.value for i in app.info)
    app.text_input(key="qual.deal.name").input("Acme renewal").run()
    for element, value in (("budget", 2), ("authority", 1), ("need", 2)):
        app.radio(key=f"qual.deal.bant.{element}").set_value(value).run()
    m = metrics(app)
    assert m["Score"] == "5 / 8" and m["Tier (provisional)"] == "Medium"
    assert any("When do you need this in place?" in md.value for md in app.markdown)
    app.radio(key="qual.deal.bant.timeline").set_value(2).run()
    m = metrics(app)
    assert (m["Score"], m["Tier"], m["Suggests forecast"]) == ("7 / 8", "High", "Best Case")
    app.button(key="qual.deal.keep").click().run()
    deals = opened(app)["qualification"]["deals"]
    assert [(d["name"], d["framework_id"], d["scores"]) for d in deals] == [
        ("Acme renewal", "bant", {"budget": 2, "authority": 1, "need": 2, "timeline": 2})
    ]


def test_business_case_and_methodology(app):
    open_demo(app)
    app.switch_page("app_pages/qualification.py").run()
    values = {
        "revenue_increase": 100_000,
        "cost_savings": 50_000,
        "efficiency_gains": 50_000,
        "one_time": 100_000,
        "recurring": 40_000,
        "years": 3,
        "discount_rate": 10.0,
    }
    for key, value in values.items():
        app.number_input(key=f"qual.bc.{key}").set_value(value)
    app.button[[b.label for b in app.button].index("Calculate and save")].click().run()
    assert not app.exception
    m = metrics(app)
    assert m["ROI (buyer's case)"] == "172.7%" and m["Payback (buyer's case)"] == "7.5 months" and m["NPV"] == "$297.9K"
    body = " ".join(md.value for md in app.markdown)
    assert "Recommended: MEDDPICC" in body and "Also: BANT" in body


def test_custom_framework_valid_appears_invalid_changes_nothing(app):
    open_demo(app)
    app.switch_page("app_pages/qualification.py").run()
    app.file_uploader(key="qual.custom").upload("broken.yaml", b"id: x\nname: X\ncolour: red\n").run()
    app.button(key="qual.custom.add").click().run()
    assert any("broken.yaml was not added" in e.value for e in app.error)
    assert "colour: unknown field" in app.code[-1].value
    assert opened(app)["qualification"]["custom_frameworks"] == []
    app.file_uploader(key="qual.custom").upload("quick.yaml", GOOD).run()
    app.button(key="qual.custom.add").click().run()
    assert not app.exception
    assert (
        "quick" in app.selectbox(key="qual.framework").options
        or "Quick check" in app.selectbox(key="qual.framework").options
    )
    app.selectbox(key="qual.framework").set_value("quick").run()
    app.radio(key="qual.deal.quick.pain").set_value(2).run()
    app.radio(key="qual.deal.quick.money").set_value(2).run()
    assert metrics(app)["Score"] == "6 / 6" and metrics(app)["Tier"] == "Hot"
