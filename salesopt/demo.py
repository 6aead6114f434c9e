"""The demo: the seed's usage example as a ready assessment, and a CRM export consistent with it.

Seed 000, "Usage Example": B2B SaaS, $50K ACV, 10 AEs and 5 SDRs, 60% quota attainment, 20% win
rate, a 9-month sales cycle, and a leak from demo to proposal (50% conversion where the benchmark
is 70%). :func:`generate_crm` draws opportunities with those properties from a seeded generator,
so tests and benchmarks can make any number of rows, the same every time.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from salesopt.assessment import Assessment, ContextSection, FunnelSection, QualificationSection

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
    qualification = QualificationSection(answers={"bant_in_use": "No", "meddpicc_use": "Not needed"})
    return Assessment(
        title="Demo: SaaS sales process optimization",
        company="Demo SaaS Inc.",
        context=context,
        funnel=funnel,
        qualification=qualification,
    )


def demo_crm_csv(n: int = 620, seed: int = 7) -> bytes:
    """The demo's CRM export as CSV bytes, amounts written as money strings like a CRM report."""
    frame = generate_crm(n, seed)
    frame["Amount"] = frame["Amount"].map(lambda v: f"${v:,.2f}")
    return frame.to_csv(index=False).encode("utf-8")


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
