"""The demo: the seed's usage example as a ready assessment, and a CRM export consistent with it.

Seed 000, "Usage Example": B2B SaaS, $50K ACV, 10 AEs and 5 SDRs, 60% quota attainment, 20% win
rate, a 9-month sales cycle, and a leak from demo to proposal (50% conversion where the benchmark
is 70%). Stages 3-5 carry what the example implements (BANT before the demo, SPIN discovery, an
ROI calculator, battle cards, persona playbooks, demo certification, conversation intelligence,
monthly win/loss reviews, weekly pipeline reviews, forecast accuracy tracking) and a saved what-if
scenario with the example's results (win rate 20% -> 28%, cycle 9 -> 7 months, attainment 60% ->
82%) is the plan's choice. :func:`generate_crm` draws opportunities with those properties from a
seeded generator, so tests and benchmarks can make any number of rows, the same every time.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from salesopt.model.assessment import (
    Assessment,
    BusinessCase,
    ContentStatus,
    ContextSection,
    EnablementSection,
    ForecastRow,
    FunnelSection,
    MetricChoice,
    ObjectionResponse,
    OnboardingRow,
    PerformanceSection,
    QualificationSection,
    QuotaRow,
    Scenario,
    SopRow,
    ToolStatus,
    WhatIfSection,
)

AS_OF = date(2026, 9, 30)
DEMO_STAGES = ("Qualification", "Demo", "Proposal", "Negotiation", "Closed Won")
LOST_STAGE = "Closed Lost"
# chance of moving on from each stage; the product is the 20% win rate of the seed
DEMO_CONVERSIONS = (0.75, 0.50, 0.75, 0.711)
STAGE_PROBABILITY = {
    "Qualification": 10,
    "Demo": 20,
    "Proposal": 40,
    "Negotiation": 60,
    "Closed Won": 100,
    "Closed Lost": 0,
}
FORECAST_CATEGORY = {
    "Qualification": "Pipeline",
    "Demo": "Pipeline",
    "Proposal": "Best Case",
    "Negotiation": "Commit",
    "Closed Won": "Closed",
    "Closed Lost": "Omitted",
}
OWNERS = (
    "Ana Ruiz",
    "Ben Okafor",
    "Chloe Martin",
    "Dev Patel",
    "Emma Schulz",
    "Farid Haddad",
    "Grace Liu",
    "Hugo Costa",
    "Isla Byrne",
    "Jonas Berg",
)
LOSS_REASONS = (
    ("Went with competitor", 0.40),
    ("No decision", 0.30),
    ("Budget", 0.15),
    ("Timing", 0.10),
    ("Other", 0.05),
)
COMPETITORS = ("Acme Suite", "Globex CRM", "Initech Cloud")
SEGMENTS = (("SMB", 0.3), ("Mid-Market", 0.5), ("Enterprise", 0.2))
REGIONS = ("East", "Central", "West")
PRODUCTS = (("Core", 0.7), ("Core + Analytics", 0.3))
LEAD_SOURCES = (("Inbound", 0.45), ("Outbound SDR", 0.35), ("Partner", 0.1), ("Event", 0.1))
CRM_COLUMNS = (
    "Opportunity ID",
    "Opportunity Name",
    "Opportunity Owner",
    "Stage",
    "Amount",
    "Created Date",
    "Close Date",
    "Probability (%)",
    "Forecast Category",
    "Lead Source",
    "Segment",
    "Region",
    "Product",
    "Lost At Stage",
    "Loss Reason",
    "Competitor",
)


def demo_assessment() -> Assessment:
    """The seed's SaaS example with every Stage 1 question answered."""
    context = ContextSection(
        answers={
            "products": "B2B SaaS platform for field-service scheduling, sold on annual contracts",
            "sales_model": ["B2B", "Inside sales"],
            "avg_deal_size": 50000.0,
            "sales_cycle": 270.0,
            "go_to_market": "Inbound marketing plus SDR outbound into mid-market service companies",
            "team_structure": "Two pods of 5 AEs, each with a manager; 5 SDRs book demos for both pods",
            "rep_count": 10,
            "sdr_count": 5,
            "roles": ["SDRs", "AEs", "Sales managers"],
            "territories": "North America, split East / Central / West; SMB, mid-market and enterprise",
            "compensation": "50/50 base and variable; commission on first-year ACV, paid on signature",
            "annual_revenue": 3000000.0,
            "growth_rate": 0.15,
            "quota_attainment": 0.6,
            "win_rate": 0.2,
            "other_metrics": "Pipeline coverage about 2.5x; no activity metrics tracked consistently",
            "stage_conversions": "Demo to proposal about 50% (benchmark 70%); proposal to close unclear",
            "performance_variation": "Three reps carry half the bookings; enterprise deals close slower",
            "challenges": "Long sales cycle (9 months) and low conversion from demo to proposal",
            "losing_deals": (
                "After the demo: half of demoed deals never see a proposal; "
                "losses go to a competitor (40%) or no decision (30%)"
            ),
            "bottlenecks": "Demos booked before qualification; proposals wait on pricing approval",
            "missed_targets": "Pipeline coverage of 2.5x where a 20% win rate needs 4-5x",
            "missed_opportunities": "Upsell of the analytics add-on to existing customers",
        },
        closing_answer=(
            "#1 problem: the demo-to-proposal leak. Biggest opportunity: qualify before the demo "
            "so that demos turn into proposals, and shorten the cycle toward 6 months."
        ),
        step=4,  # opens on the stage output: the sales context summary
    )
    funnel = FunnelSection(
        target=5_000_000.0,
        answers={
            "tofu_stages": ["Lead", "MQL"],
            "mofu_stages": ["SQL", "Opportunity", "Proposal/Quote"],
            "bofu_stages": ["Negotiation", "Closed-Won", "Closed-Lost"],
            "own_stages": "Qualification, Demo, Proposal, Negotiation, Closed Won / Closed Lost",
            "revenue_target": 5000000.0,
            "coverage_view": "Below 3x (risk of missing target)",
            "biggest_dropoff": "Demo to proposal: 50% drop where the benchmark is 30%",
            "loss_reasons": "Went with competitor (40%), no decision (30%)",
            "losing_to": ["Competitors", "Status quo / no decision"],
        },
    )
    scenario = demo_scenario()
    return Assessment(
        title="Demo: SaaS sales process optimization",
        company="Demo SaaS Inc.",
        context=context,
        funnel=funnel,
        qualification=_qualification(),
        enablement=_enablement(),
        performance=_performance(),
        scenarios=[scenario],
        whatif=WhatIfSection(chosen_scenario=scenario.id),
    )


# the example's results: win rate 20% -> 28% (+8 points), cycle 9 -> 7 months (-2/9), attainment 60% -> 82%
# points added to the measured baseline: the export's 20.96% win rate + 7.04 points is the example's 28%;
# the cycle 9 -> 7 months; attainment 60% -> 82% (+22 points)
DEMO_SCENARIO_LEVERS = {"win_rate": 0.0704, "cycle": round(-2 / 9, 4), "attainment": 0.22}


def demo_scenario() -> Scenario:
    """The what-if scenario the demo plan is built on: the example's results as levers."""
    return Scenario(
        id="demo-results",
        name="Qualified demos and a shorter cycle",
        levers=dict(DEMO_SCENARIO_LEVERS),
        notes="Win rate 20% to 28%, sales cycle 9 to 7 months, quota attainment 60% to 82%.",
    )


def _qualification() -> QualificationSection:
    """Stage 3 of the example: BANT before the demo, SPIN discovery, an ROI calculator, battle cards."""
    return QualificationSection(
        answers={
            "bant_in_use": "No",
            "bant_stage": "Before the demo: an SDR scores every SQL and only Medium or High deals get a demo",
            "bant_scoring": "Each element 0-2; 7-8 High (book the demo), 5-6 Medium (discovery call first), 0-4 Low",
            "meddpicc_use": "Not needed",
            "buying_committee": 4,
            "paper_process": "Security questionnaire, then procurement review for deals over 75,000 a year",
            "spin_situation": "Discovery call before any demo: how jobs are scheduled today and with which tools",
            "spin_problem": "Where scheduling breaks: missed appointments, overtime, idle technicians",
            "spin_implication": "What a missed appointment costs in refunds, overtime and churned customers",
            "spin_need_payoff": "Let the buyer state the hours and revenue won back with better scheduling",
            "buyer_objectives": "technician utilisation, first-time fix rate and customer retention",
            "cost_of_status_quo": "about 6 idle technician hours a week per dispatcher and refunds on missed visits",
            "roi_proof": "An ROI calculator filled in with the buyer during discovery, reused in the proposal",
            "top_objections": ["Price / cost", "Competition", "Status quo"],
            "objection_approach": "Ad hoc; discounts are offered early; no battle cards against competitors",
        },
        closing_answer=(
            "BANT before the demo fits our 9-month cycle; the hardest part is getting SDRs to decline "
            "demos for deals that score Low."
        ),
        business_case=BusinessCase(
            revenue_increase=40000.0,
            cost_savings=60000.0,
            efficiency_gains=20000.0,
            one_time=30000.0,
            recurring=50000.0,
        ),
        objections=[
            ObjectionResponse(name="Price / cost", response="Walk through the ROI calculator before any discount"),
            ObjectionResponse(name="Competition", response="Use the battle card for the named competitor"),
            ObjectionResponse(name="Status quo", response="Quantify the monthly cost of missed appointments"),
        ],
    )


def _enablement() -> EnablementSection:
    """Stage 4 of the example: persona playbooks, demo certification, conversation intelligence, win/loss."""
    have = ContentStatus(status="have", owner="Sales enablement")
    content = {
        "conversation_guides": ContentStatus(status="outdated", owner="Sales enablement"),
        "persona_research": ContentStatus(status="missing"),
        "competitive_intel": ContentStatus(status="missing"),
        "discovery_templates": have,
        "pitch_decks": have,
        "demo_scripts": ContentStatus(status="outdated", owner="Solutions engineering"),
        "case_studies": ContentStatus(status="missing"),
        "solution_sheets": have,
        "roi_calculators": ContentStatus(status="missing"),
        "proposal_templates": ContentStatus(status="outdated", owner="Sales operations"),
        "pricing_guides": have,
        "contract_templates": have,
        "business_case_templates": ContentStatus(status="missing"),
    }
    return EnablementSection(
        answers={
            "discovery_content": ["Conversation guides and question banks", "Discovery call templates"],
            "solution_content": ["Pitch decks and presentations", "Demo scripts and environments"],
            "proposal_content": ["Proposal templates", "Pricing guides", "Contract templates"],
            "content_organization": "Shared drive by product; not updated since last year; usage not tracked",
            "playbooks_planned": ["Persona-based", "Competitive", "Stage-based"],
            "personas": "Operations director, then the dispatcher team lead",
            "crm_system": "Salesforce",
            "tools_in_use": ["CRM", "Sales engagement"],
            "onboarding_weeks": 112.0,
            "ongoing_training": "Demo certification for every AE; monthly win/loss reviews; product updates",
            "coaching": "Weekly 1:1s and deal reviews; call feedback from recorded calls once Gong is in",
            "lead_response_time": 1.0,
            "sops": ["Lead handling and response times", "Approval processes"],
        },
        closing_answer=(
            "Persona playbooks and the demo certification have the biggest impact; battle cards can be built "
            "in two weeks."
        ),
        content=content,
        playbooks={
            "persona": [
                {
                    "Persona": "Operations director",
                    "Pains and needs": "Idle technicians and missed appointments",
                    "Value propositions": "More jobs per technician per day",
                },
                {
                    "Persona": "Dispatcher team lead",
                    "Pains and needs": "Manual rescheduling",
                    "Value propositions": "Schedules that fix themselves",
                },
            ],
            "competitive": [
                {"Competitor": "Acme Suite", "Differentiation": "Field-service depth, faster rollout"},
                {"Competitor": "Globex CRM", "Differentiation": "Built for scheduling, not a CRM add-on"},
            ],
        },
        stack={
            "crm": ToolStatus(status="in use", tool="Salesforce"),
            "engagement": ToolStatus(status="in use", tool="Outreach"),
            "intelligence": ToolStatus(status="none"),
            "cpq": ToolStatus(status="none"),
            "conversation": ToolStatus(status="planned", tool="Gong"),
        },
        onboarding=[
            OnboardingRow(name="Product/company knowledge", start_week=1, weeks=2),
            OnboardingRow(name="Sales process and methodology", start_week=3, weeks=3),
            OnboardingRow(name="Demo certification", start_week=6, weeks=3),
            OnboardingRow(name="Shadowing and role-play", start_week=9, weeks=3),
            OnboardingRow(name="First deals with support", start_week=12, weeks=5),
        ],
        sops=[
            SopRow(name="Lead handling and response times", target="First touch within 1 business day",
                   owner="SDR manager", documented=True),
            SopRow(name="Qualification criteria", target="BANT 5+ before a demo", owner="Sales managers"),
            SopRow(name="Stage advancement criteria", target="Written exit criteria for every stage",
                   owner="Sales operations"),
            SopRow(name="Approval processes", target="Discounts over 15% approved within 1 day",
                   owner="VP Sales", documented=True),
            SopRow(name="SDR-to-AE handoff", target="AE meeting booked within 2 days of SQL", owner="SDR manager"),
        ],
    )  # fmt: skip


# yearly quota per AE ($5M team quota / 10) and bookings that give the 60% team attainment
_QUOTA = 500_000.0
_ACTUALS = (620_000, 520_000, 360_000, 260_000, 250_000, 240_000, 230_000, 200_000, 170_000, 150_000)


def _performance() -> PerformanceSection:
    """Stage 5 of the example: metrics with targets, weekly pipeline reviews, monthly forecast accuracy."""
    return PerformanceSection(
        answers={
            "activity_metrics": ["Meetings scheduled", "Demos delivered", "Proposals sent"],
            "pipeline_metrics": ["Pipeline created", "Pipeline coverage ratio", "Sales cycle length"],
            "outcome_metrics": ["Revenue vs target", "Quota attainment", "Average deal size"],
            "dashboards_planned": ["Individual rep", "Manager", "Executive"],
            "forecast_categories": "Yes, as defined",
            "forecast_accuracy": 0.85,
            "pipeline_reviews": "Weekly pipeline review per pod with BANT scoring of every deal past the demo",
            "one_on_ones": "Weekly 30 minutes: pipeline, one recorded call, one skill to practise",
            "reps_above_quota": 2,
            "reps_below_80": 8,
            "incentives": (
                "Keep 50/50 base and variable; add a quarterly SPIF for proposals sent after a qualified demo; "
                "accelerator at 1.5x commission above 100% of quota; President's Club for the top two"
            ),
            "win_loss": "Yes, every closed deal",
            "ab_tests": "Discovery call before the demo against demo first, by pod",
            "cadence_monthly": "Win/loss review and forecast accuracy",
            "cadence_quarterly": "Best-practice workshop led by the top performers",
            "cadence_annual": "Territories, quotas and the compensation plan",
        },
        closing_answer="Demo-to-proposal conversion matters most; adoption through the weekly pipeline review.",
        metrics=[
            MetricChoice(metric_id="win_rate", target="28%", owner="VP Sales"),
            MetricChoice(metric_id="cycle", target="210 days (7 months)", owner="Sales managers"),
            MetricChoice(metric_id="attainment", target="82%", owner="VP Sales"),
            MetricChoice(metric_id="coverage", target="4x", owner="Marketing and SDR team"),
            MetricChoice(metric_id="demos", target="60 a month", owner="SDR manager"),
            MetricChoice(metric_id="proposals", target="42 a month", owner="Sales managers"),
        ],
        quotas=[QuotaRow(rep=rep, quota=_QUOTA, actual=float(a)) for rep, a in zip(OWNERS, _ACTUALS, strict=True)],
        forecasts=[
            ForecastRow(period="2026-04", forecast=300_000, actual=255_000),
            ForecastRow(period="2026-05", forecast=280_000, actual=250_000),
            ForecastRow(period="2026-06", forecast=320_000, actual=270_000),
            ForecastRow(period="2026-07", forecast=260_000, actual=240_000),
            ForecastRow(period="2026-08", forecast=300_000, actual=265_000),
            ForecastRow(period="2026-09", forecast=310_000, actual=280_000),
        ],
    )


def demo_crm_csv(n: int = 620, seed: int = 7) -> bytes:
    """The demo's CRM export as CSV bytes, amounts written as money strings like a CRM report."""
    frame = generate_crm(n, seed)
    frame["Amount"] = frame["Amount"].map(lambda v: f"${v:,.2f}")
    from salesopt.report.export import to_csv

    return to_csv(frame).encode("utf-8")


def _pick(rng: np.random.Generator, options: tuple[tuple[str, float], ...], n: int) -> np.ndarray:
    names = np.array([o[0] for o in options], dtype=object)
    weights = np.array([o[1] for o in options])
    return names[rng.choice(len(names), size=n, p=weights / weights.sum())]


def generate_crm(n: int = 620, seed: int = 7, as_of: date = AS_OF) -> pd.DataFrame:
    """Opportunities consistent with the demo, as a Salesforce-style export would list them.

    Deals are created evenly over the two years before ``as_of``. Each moves on from stage k
    with probability ``DEMO_CONVERSIONS[k]``. A won deal's cycle is Gamma(9, 33) days (mean 297;
    those closed by ``as_of`` average about 270), a lost deal's 60-100% of one. A deal whose
    close date is after ``as_of`` is still open, at the stage its elapsed time puts it in.
    Amounts are log-normal with mean $50,000.
    """
    if n < 0:
        raise ValueError("n must not be negative")
    rng = np.random.default_rng(seed)
    last = len(DEMO_STAGES) - 1
    furthest = np.zeros(n, dtype=int)
    moving = np.ones(n, dtype=bool)
    for k, p in enumerate(DEMO_CONVERSIONS):
        moving &= rng.random(n) < p
        furthest[moving] = k + 1
    won = furthest == last
    created_offset = rng.integers(0, 730, size=n)
    created = np.array([as_of - timedelta(days=int(d)) for d in created_offset])
    cycle = rng.gamma(9.0, 33.0, size=n)
    cycle = np.where(won, cycle, cycle * rng.uniform(0.6, 1.0, size=n))
    cycle = np.maximum(np.round(cycle), 7).astype(int)
    close = np.array([c + timedelta(days=int(d)) for c, d in zip(created, cycle, strict=True)])
    is_open = np.array([c > as_of for c in close], dtype=bool)
    elapsed = np.array([(as_of - c).days for c in created])
    span = np.where(won, last, furthest + 1)
    open_stage = np.minimum(np.floor(elapsed / cycle * span).astype(int), np.minimum(furthest, last - 1))

    sigma = 0.5
    amount = np.round(rng.lognormal(np.log(50000) - sigma**2 / 2, sigma, size=n), -2)
    stage = np.where(
        is_open, np.array(DEMO_STAGES, dtype=object)[open_stage], np.where(won, DEMO_STAGES[-1], LOST_STAGE)
    )
    lost = (~is_open) & (~won)
    reason = np.where(lost, _pick(rng, LOSS_REASONS, n), "")
    competitor = np.where(
        reason == "Went with competitor", np.array(COMPETITORS, dtype=object)[rng.integers(0, 3, n)], ""
    )
    owners = np.array(OWNERS, dtype=object)[rng.integers(0, len(OWNERS), n)]
    frame = pd.DataFrame(
        {
            "Opportunity ID": [f"OPP-{i:06d}" for i in range(1, n + 1)],
            "Opportunity Name": [f"Deal {i:06d}" for i in range(1, n + 1)],
            "Opportunity Owner": owners,
            "Stage": stage,
            "Amount": amount,
            "Created Date": pd.to_datetime(created).date if n else [],
            "Close Date": pd.to_datetime(close).date if n else [],
            "Probability (%)": [STAGE_PROBABILITY[s] for s in stage],
            "Forecast Category": [FORECAST_CATEGORY[s] for s in stage],
            "Lead Source": _pick(rng, LEAD_SOURCES, n),
            "Segment": _pick(rng, SEGMENTS, n),
            "Region": np.array(REGIONS, dtype=object)[rng.integers(0, 3, n)],
            "Product": _pick(rng, PRODUCTS, n),
            "Lost At Stage": np.where(lost, np.array(DEMO_STAGES, dtype=object)[np.minimum(furthest, last - 1)], ""),
            "Loss Reason": reason,
            "Competitor": competitor,
        },
        columns=list(CRM_COLUMNS),
    )
    return frame
