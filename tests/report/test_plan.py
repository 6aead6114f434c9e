"""The plan follows the seed's Output Format and says what is missing instead of inventing it."""

from __future__ import annotations

import re

from salesopt.content.frameworks import load_catalog
from salesopt.demo import demo_assessment
from salesopt.model.assessment import Assessment
from salesopt.report.plan import OUTLINE, build_plan, render_markdown

SEED_HEADINGS = [
    "Executive Summary",
    "Current State Analysis",
    "Sales Model and Organization",
    "Performance Metrics",
    "Funnel Analysis",
    "Key Challenges",
    "Sales Funnel Optimization",
    "Funnel Definition",
    "Conversion Analysis",
    "Opportunity Prioritization",
    "Sales Methodology",
    "Qualification Framework",
    "SPIN Selling Guide",
    "Value Selling Approach",
    "Objection Handling",
    "Sales Enablement",
    "Content and Collateral",
    "Sales Playbooks",
    "Technology Stack",
    "Training Program",
    "Performance Management",
    "Metrics Framework",
    "Dashboards",
    "Forecasting Process",
    "Compensation Plan",
    "Implementation Roadmap",
    "Quick Wins (Month 1)",
    "Foundation (Months 2-3)",
    "Optimization (Months 4-6)",
    "Scale (Months 7-12)",
    "Expected Impact",
    "Performance Improvements",
    "ROI Calculation",
    "Success Metrics",
]


def test_plan_has_every_seed_section_in_order():
    md = render_markdown(demo_assessment(), load_catalog())
    headings = [h for h in re.findall(r"^#{2,3} (.+)$", md, flags=re.M)]
    seed_only = [h for h in headings if h in SEED_HEADINGS]
    assert seed_only == SEED_HEADINGS
    assert md.startswith("# Sales Process Optimization Plan: Demo SaaS Inc.")


def test_demo_plan_carries_the_demo_figures():
    md = render_markdown(demo_assessment(), load_catalog())
    assert "- **Average deal size (reported):** $50K" in md
    assert "- **Win rate (reported):** 20%" in md
    assert "- **Quota attainment (reported):** 60%" in md
    assert "What's the #1 sales problem" in md


def test_empty_assessment_plan_names_the_stage_that_fills_each_section():
    md = render_markdown(Assessment(), load_catalog())
    assert "_Missing: the current performance figures. Stage 1 (Sales context) collects them._" in md
    assert "Stage 2 (Funnel analysis) collects them" in md
    assert "Stage 3 (Qualification and methodology) collects them" in md
    assert "$" not in md.split("## Current State Analysis")[1]  # no invented money


def test_outline_has_no_duplicate_titles():
    titles = [s.title for s in OUTLINE]
    assert len(titles) == len(set(titles))


def test_plan_with_the_demo_crm_export_has_the_funnel_figures():
    import io

    from salesopt.demo import demo_crm_csv
    from salesopt.funnel.stage2 import evaluate, load, stage_map_for

    demo = demo_assessment()
    imported = load(demo_crm_csv(), "demo.csv")
    analysis = evaluate(
        imported, stage_map_for(imported), target=5_000_000, benchmark=load_catalog().benchmarks()["b2b"]
    ).analysis
    md = render_markdown(demo, load_catalog(), analysis)
    assert "| Demo | 401 | 44.9% | 70% |" in md
    assert "- **Win rate:** 21%" in md
    assert "- **Coverage:** 2.1x" in md
    assert "**Demo → Proposal:** 44.9% against a benchmark of 70%" in md
    assert io.StringIO(md).read().count("## ") >= 8


def test_plan_carries_stage_three():
    from salesopt.model.assessment import BusinessCase, ScoredDeal

    demo = demo_assessment()
    q = demo.qualification.model_copy(
        update={
            "deals": [
                ScoredDeal(
                    name="Acme", framework_id="bant", scores={"budget": 2, "authority": 2, "need": 2, "timeline": 1}
                )
            ],
            "business_case": BusinessCase(
                revenue_increase=100_000,
                cost_savings=50_000,
                efficiency_gains=50_000,
                one_time=100_000,
                recurring=40_000,
                years=3,
                discount_rate=0.1,
            ),
            "objections": [],  # the demo's own responses replaced by the framework defaults
        }
    )
    md = render_markdown(demo.model_copy(update={"qualification": q}), load_catalog())
    assert "- **Recommended: MEDDPICC**" in md
    assert "- Scored deal **Acme** (BANT): 7 / 8, High" in md
    assert "**ROI** over 3 years: 172.7%; **payback:** 7.5 months" in md
    assert "- **Price / cost:** Reframe around value and ROI" in md
    assert md.index("### SPIN Selling Guide") < md.index("- **Situation:**") < md.index("### Value Selling Approach")


def test_expected_impact_comes_from_the_chosen_scenario():
    from salesopt.demo import demo_crm_csv
    from salesopt.forecast.whatif import chosen_impact
    from salesopt.funnel.stage2 import evaluate, load, stage_map_for
    from salesopt.model.assessment import Scenario

    demo = demo_assessment()
    imported = load(demo_crm_csv(), "demo.csv")
    result = evaluate(imported, stage_map_for(imported), target=5_000_000)
    demo = demo.model_copy(
        update={
            "scenarios": [
                Scenario(name="More reps", levers={"hires": 4.0}),
                Scenario(name="Tighter", levers={"conversion_1": 0.1}),
            ]
        }
    )
    demo = demo.model_copy(update={"whatif": demo.whatif.model_copy(update={"chosen_scenario": demo.scenarios[0].id})})
    md = build_plan(demo, load_catalog(), result).markdown
    section = md.split("### Performance Improvements")[1].split("###")[0]
    assert "Scenario **More reps** against today's baseline, over 12 months" in section
    assert "| Revenue a year |" in section and "New reps: 4 hired in month 1" in section
    assert "The funnel binds" in section  # more reps add nothing while the funnel is the limit
    no_scenario = demo_assessment().model_copy(update={"scenarios": []})
    assert chosen_impact(no_scenario, result.analysis, result.deals) is None


def test_plan_carries_stages_four_and_five():
    from salesopt.model.assessment import ContentStatus, ForecastRow, OnboardingRow, QuotaRow

    demo = demo_assessment()
    demo = demo.model_copy(
        update={
            "enablement": demo.enablement.model_copy(
                update={
                    "content": {"proposal_templates": ContentStatus(status="missing")},
                    "onboarding": [
                        OnboardingRow(name="Product", start_week=1, weeks=2),
                        OnboardingRow(name="Selling", start_week=3, weeks=6),
                    ],
                }
            ),
            "performance": demo.performance.model_copy(
                update={
                    "forecasts": [ForecastRow(period="Q1", forecast=90, actual=100)],
                    "quotas": [QuotaRow(rep="Ana", quota=100, actual=120)],
                }
            ),
        }
    )
    md = render_markdown(demo, load_catalog())
    assert "- **Proposal phase:** gap 100% (0 have, 0 outdated, 1 missing, 3 not rated)" in md
    assert "- **Onboarding (8 weeks):** weeks 1-2: Product; weeks 3-8: Selling" in md
    assert "MAPE 10%, bias -10% (sandbagging)" in md
    assert "- **High performers:** 1;" in md
