"""Stage 3: scorecards (BANT at every tier boundary, MEDDPICC, a weighted custom framework), the
business case against hand-worked figures, methodology fit and the SPIN guide."""

from __future__ import annotations

import pytest

from salesopt.content.frameworks import Scorecard, load_catalog, validate_text
from salesopt.demo import demo_assessment
from salesopt.model.assessment import Assessment
from salesopt.qualification.business_case import cumulative_cash_flow, evaluate
from salesopt.qualification.methodology import recommend, spin_guide, spin_markdown
from salesopt.qualification.scorecards import ScoreError, score

CATALOG = load_catalog()
BANT = CATALOG.scorecards()["bant"]
MEDDPICC = CATALOG.scorecards()["meddpicc"]


def bant(b, a, n, t):
    return score(BANT, {"budget": b, "authority": a, "need": n, "timeline": t})


@pytest.mark.parametrize(
    ("scores", "total", "tier"),
    [
        ((0, 0, 0, 0), 0, "Low"),
        ((2, 2, 0, 0), 4, "Low"),
        ((2, 2, 1, 0), 5, "Medium"),
        ((2, 2, 2, 0), 6, "Medium"),
        ((2, 2, 2, 1), 7, "High"),
        ((2, 2, 2, 2), 8, "High"),
    ],
)
def test_bant_tiers_at_every_boundary(scores, total, tier):
    result = bant(*scores)
    assert (result.total, result.max_total, result.tier.label) == (total, 8, tier)


def test_bant_tier_meanings_follow_the_seed():
    assert bant(2, 2, 2, 2).tier.action == "High quality, prioritize."
    assert bant(1, 1, 1, 2).tier.action.startswith("Medium quality: develop")
    assert bant(0, 0, 0, 0).tier.action == "Low quality: nurture or disqualify."


def test_weakest_element_and_next_questions():
    result = bant(2, 0, 2, 1)
    assert result.weakest.id == "authority"
    assert result.next_questions[0] == "Who else needs to be involved in this decision?"
    partial = score(BANT, {"budget": 2, "need": 1})
    assert [e.id for e in partial.missing] == ["authority", "timeline"] and partial.provisional
    assert partial.next_questions == (
        "Who else needs to be involved in this decision?",
        "When do you need this in place?",
    )
    assert bant(2, 2, 2, 2).next_questions == ()


def test_meddpicc_has_eight_elements_and_totals():
    assert [e.name for e in MEDDPICC.elements] == [
        "Metrics",
        "Economic buyer",
        "Decision criteria",
        "Decision process",
        "Paper process",
        "Identify pain",
        "Champion",
        "Competition",
    ]
    answers = dict(zip([e.id for e in MEDDPICC.elements], [2, 2, 1, 1, 0, 2, 2, 1], strict=True))
    result = score(MEDDPICC, answers)
    assert (result.total, result.max_total, result.tier.label) == (11, 16, "Medium")
    assert result.weakest.id == "paper_process"


def test_a_weighted_custom_framework():
    text = """
id: custom
name: Weighted
description: d
when_to_use: w
source: s
elements:
  - {id: pain, name: Pain, description: d, questions: ["Why?"], weight: 3, scale: [{score: 0, label: none}, {score: 5, label: full}]}
  - {id: money, name: Money, description: d, questions: ["How much?"], weight: 1, scale: [{score: 0, label: none}, {score: 1, label: some}, {score: 5, label: full}]}
tiers:
  - {label: Cold, min_total: 0, action: wait}
  - {label: Warm, min_total: 10, action: work}
  - {label: Hot, min_total: 18, action: close}
"""
    card, problems = validate_text(text, Scorecard, "custom.yaml")
    assert problems == []
    assert card.max_total == 20  # 3 x 5 + 1 x 5
    assert (
        score(card, {"pain": 5, "money": 1}).total == 16 and score(card, {"pain": 5, "money": 1}).tier.label == "Warm"
    )
    assert score(card, {"pain": 5, "money": 5}).tier.label == "Hot"
    with pytest.raises(ScoreError, match="3 is not on its scale"):
        score(card, {"pain": 3})


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        (
            "id: x\nname: X\ndescription: d\nwhen_to_use: w\nsource: s\nelements: []\ntiers: [{label: A, min_total: 0, action: a}]\n",
            "elements: Tuple should have at least 1 item",
        ),
        (
            "id: x\nname: X\ndescription: d\nwhen_to_use: w\nsource: s\nelements:\n  - {id: a, name: A, description: d, questions: [q], "
            "scale: [{score: 0, label: n}, {score: 1, label: y}]}\ntiers: [{label: A, min_total: 1, action: a}]\n",
            "the lowest tier must start at min_total 0",
        ),
        (
            "id: x\nname: X\ndescription: d\nwhen_to_use: w\nsource: s\nelements:\n  - {id: a, name: A, description: d, questions: [q], "
            "scale: [{score: 1, label: n}, {score: 0, label: y}]}\ntiers: [{label: A, min_total: 0, action: a}]\n",
            "scale scores must be unique and in ascending order",
        ),
        (
            "id: x\nname: X\ndescription: d\nwhen_to_use: w\nsource: s\nelements:\n  - {id: a, name: A, description: d, questions: [q], "
            "scale: [{score: 0, label: n}, {score: 1, label: y}]}\ntiers: [{label: A, min_total: 0, action: a}, "
            "{label: B, min_total: 5, action: b}]\n",
            "above the highest possible total 1",
        ),
        ("id: x\nname: X\ncolour: red\n", "colour: unknown field"),
    ],
)
def test_broken_scorecards_say_what_is_wrong(yaml_text, message):
    card, problems = validate_text(yaml_text, Scorecard, "mine.yaml")
    assert card is None
    assert any(message in str(p) for p in problems), [str(p) for p in problems]


def test_business_case_hand_worked():
    # benefits 100k + 50k + 50k a year; 100k once, 40k a year; 3 years at 10%
    r = evaluate(100_000, 50_000, 50_000, one_time=100_000, recurring=40_000, years=3, discount_rate=0.10)
    assert r.annual_benefit == 200_000 and r.total_benefit == 600_000 and r.total_cost == 220_000
    assert r.roi == pytest.approx(380_000 / 220_000)  # 1.727
    assert r.payback_months == pytest.approx(7.5)  # 100,000 / ((200,000 - 40,000) / 12)
    assert r.npv == pytest.approx(-100_000 + 160_000 * (1 / 1.1 + 1 / 1.21 + 1 / 1.331))  # 297,896.32
    flow = cumulative_cash_flow(100_000, 200_000, 40_000, 3)
    assert flow[0] == (0, -100_000) and flow[-1] == (36, pytest.approx(380_000))


def test_payback_never_when_net_benefit_is_not_positive():
    r = evaluate(10_000, 0, 0, one_time=50_000, recurring=10_000, years=2, discount_rate=0.05)
    assert r.payback_never and r.payback_months is None
    assert r.reasons["payback_months"].startswith("never")
    assert evaluate(0, 0, 0, 0, 0, 1, 0.1).roi is None


def test_methodology_for_the_demo_is_meddpicc_with_bant_at_sql():
    recs, missing = recommend(demo_assessment())
    assert [(r.framework_id, r.role) for r in recs] == [("meddpicc", "primary"), ("bant", "also")]
    assert "deals average $50,000" in recs[0].reasons[0] and "270 days" in recs[0].reasons[0]
    assert missing == []  # the demo answers the buying committee (4 people) in Stage 3


def test_methodology_for_a_transactional_sale():
    a = (
        Assessment()
        .with_answer("context", "sales_model", ["B2C"])
        .with_answer("context", "avg_deal_size", 800.0)
        .with_answer("context", "sales_cycle", 7.0)
    )
    recs, _ = recommend(a)
    assert recs[0].framework_id == "bant" and "transactional" in recs[0].reasons[1]


def test_spin_guide_follows_the_ratio_and_fills_the_context():
    spin = CATALOG.methodologies()["spin"]
    demo = (
        demo_assessment()
        .with_answer("qualification", "cost_of_status_quo", "Missed appointments. Overtime.")
        .with_answer("qualification", "buyer_objectives", "Grow field capacity 20%; cut travel")
    )
    guide = spin_guide(spin, demo)
    assert [g[0] for g in guide] == ["Situation", "Problem", "Implication", "Need-payoff"]
    counts = [len(g[2]) for g in guide]
    assert counts == sorted(counts) and counts[0] < counts[-1]
    assert guide[0][2][0] == "How do you handle this work today, step by step?"
    assert not any("[" in q for _, _, qs in guide for q in qs)  # no unfilled placeholder reaches the client
    assert any("Missed appointments cost you" in q for q in guide[2][2])
    assert any("How would Grow field capacity 20% change things" in q for q in guide[3][2])
    md = spin_markdown(guide, "Demo")
    assert md.index("## Situation") < md.index("## Problem") < md.index("## Implication") < md.index("## Need-payoff")


def test_objection_playbook_covers_the_seed():
    book = CATALOG.objections()["default"]
    assert [o.name for o in book.objections] == ["Price / cost", 'Timing ("Not now")', "Competition", "Status quo"]
    assert book.objections[0].approach[0] == "Reframe around value and ROI"


def test_pipeline_scoring_orders_by_tier_and_adjusts_probability():
    import pandas as pd

    from salesopt.qualification.scorecards import score_pipeline

    deals = pd.DataFrame(
        {
            "opportunity_id": ["a", "b", "c"],
            "name": ["A", "B", "C"],
            "amount": [10.0, 20.0, 30.0],
            "probability": [0.5, 0.5, None],
            "stage": ["x"] * 3,
        }
    )
    scores = {
        "a": {"budget": 2, "authority": 2, "need": 2, "timeline": 2},  # 8 High
        "b": {"budget": 0, "authority": 1, "need": 1, "timeline": 1},
    }  # 3 Low
    table = score_pipeline(BANT, deals, scores)
    assert table["opportunity_id"].tolist() == ["a", "b", "c"]
    assert table["tier"].tolist()[:2] == ["High", "Low"] and pd.isna(table["tier"].iloc[2])
    assert table["suggested_category"].tolist()[:2] == ["Best Case", "Omitted"]
    assert table["adjusted_probability"].tolist()[:2] == [pytest.approx(0.6), pytest.approx(0.4)]


def test_the_spin_guide_has_no_bracket_even_before_value_selling_is_answered():
    from salesopt.content.frameworks import load_catalog
    from salesopt.model.assessment import Assessment
    from salesopt.qualification.methodology import spin_guide

    guide = spin_guide(load_catalog().methodologies()["spin"], Assessment())
    questions = [q for _, _, qs in guide for q in qs]
    assert questions and not any("[" in q or "]" in q for q in questions)
    assert "What does the problem cost you each month?" in questions
