"""The content contract: every id and option of frameworks/ that the code relies on, named once.

Code reads an answer as ``answers.get(contract.SALES_MODEL)``, never as a string of its own, and
tests/test_contract.py checks every name declared here against the loaded catalog (the question
exists in that stage with that answer type, the option among its options, the aspect in its stage,
the content file by its id). A question renamed in the YAML then fails a test instead of silently
emptying a plan section. This module is a leaf: it imports nothing from salesopt.
"""

from __future__ import annotations

from typing import Final, Literal

StageName = Literal["context", "funnel", "qualification", "enablement", "performance"]
Kind = Literal["text", "choice", "number", "money", "percent", "duration"]

# ---- questions (frameworks/dialogue) ---------------------------------------------------------------
# Stage 1
SALES_MODEL: Final = "sales_model"
AVG_DEAL_SIZE: Final = "avg_deal_size"
SALES_CYCLE: Final = "sales_cycle"
REP_COUNT: Final = "rep_count"
SDR_COUNT: Final = "sdr_count"
ANNUAL_REVENUE: Final = "annual_revenue"
QUOTA_ATTAINMENT: Final = "quota_attainment"
WIN_RATE: Final = "win_rate"
# Stage 3
BANT_IN_USE: Final = "bant_in_use"
MEDDPICC_USE: Final = "meddpicc_use"
BUYING_COMMITTEE: Final = "buying_committee"
SPIN_SITUATION: Final = "spin_situation"
SPIN_PROBLEM: Final = "spin_problem"
SPIN_IMPLICATION: Final = "spin_implication"
SPIN_NEED_PAYOFF: Final = "spin_need_payoff"
BUYER_OBJECTIVES: Final = "buyer_objectives"
COST_OF_STATUS_QUO: Final = "cost_of_status_quo"
TOP_OBJECTIONS: Final = "top_objections"
# Stage 4
ONBOARDING_WEEKS: Final = "onboarding_weeks"
LEAD_RESPONSE_TIME: Final = "lead_response_time"
# Stage 5
WIN_LOSS: Final = "win_loss"
CADENCE_MONTHLY: Final = "cadence_monthly"
CADENCE_QUARTERLY: Final = "cadence_quarterly"
CADENCE_ANNUAL: Final = "cadence_annual"

SPIN_ANSWERS: Final = (SPIN_SITUATION, SPIN_PROBLEM, SPIN_IMPLICATION, SPIN_NEED_PAYOFF)
CADENCES: Final = (CADENCE_MONTHLY, CADENCE_QUARTERLY, CADENCE_ANNUAL)

QUESTIONS: Final[dict[str, tuple[StageName, Kind]]] = {
    SALES_MODEL: ("context", "choice"),
    AVG_DEAL_SIZE: ("context", "money"),
    SALES_CYCLE: ("context", "duration"),
    REP_COUNT: ("context", "number"),
    SDR_COUNT: ("context", "number"),
    ANNUAL_REVENUE: ("context", "money"),
    QUOTA_ATTAINMENT: ("context", "percent"),
    WIN_RATE: ("context", "percent"),
    BANT_IN_USE: ("qualification", "choice"),
    MEDDPICC_USE: ("qualification", "choice"),
    BUYING_COMMITTEE: ("qualification", "number"),
    SPIN_SITUATION: ("qualification", "text"),
    SPIN_PROBLEM: ("qualification", "text"),
    SPIN_IMPLICATION: ("qualification", "text"),
    SPIN_NEED_PAYOFF: ("qualification", "text"),
    BUYER_OBJECTIVES: ("qualification", "text"),
    COST_OF_STATUS_QUO: ("qualification", "text"),
    TOP_OBJECTIONS: ("qualification", "choice"),
    ONBOARDING_WEEKS: ("enablement", "duration"),
    LEAD_RESPONSE_TIME: ("enablement", "duration"),
    WIN_LOSS: ("performance", "choice"),
    CADENCE_MONTHLY: ("performance", "text"),
    CADENCE_QUARTERLY: ("performance", "text"),
    CADENCE_ANNUAL: ("performance", "text"),
}
"""Question id -> (stage, answer type) for every question the code reads."""

# ---- options of choice questions --------------------------------------------------------------------
B2B: Final = "B2B"
B2C: Final = "B2C"
BANT_NO: Final = "No"
MEDDPICC_NOT_NEEDED: Final = "Not needed"
PRICE_OBJECTION: Final = "Price / cost"
WIN_LOSS_NO: Final = "No"

OPTIONS: Final[tuple[tuple[str, str], ...]] = (
    (SALES_MODEL, B2B),
    (SALES_MODEL, B2C),
    (BANT_IN_USE, BANT_NO),
    (MEDDPICC_USE, MEDDPICC_NOT_NEEDED),
    (TOP_OBJECTIONS, PRICE_OBJECTION),
    (WIN_LOSS, WIN_LOSS_NO),
)
"""(question id, option) for every option the code or a rule compares an answer with."""

ANSWER_FACTS: Final[dict[str, str]] = {BANT_IN_USE: BANT_IN_USE, MEDDPICC_USE: MEDDPICC_USE, WIN_LOSS: WIN_LOSS}
"""Rule fact -> the choice question whose answer it is: a rule comparing it with a string must
name one of that question's options (checked by the contract test)."""

# ---- aspects (steps of the dialogue) the plan reads -------------------------------------------------
ASPECTS: Final[tuple[tuple[StageName, str], ...]] = (
    ("context", "business_model"),
    ("context", "organization"),
    ("context", "performance"),
    ("context", "challenges"),
    ("funnel", "stages"),
    ("funnel", "metrics"),
    ("funnel", "health"),
    ("funnel", "conversion"),
    ("funnel", "losses"),
    ("funnel", "scoring"),
    ("qualification", "bant"),
    ("qualification", "meddpicc"),
    ("qualification", "spin"),
    ("qualification", "value_selling"),
    ("qualification", "objections"),
    ("enablement", "content"),
    ("enablement", "playbooks"),
    ("enablement", "tech_stack"),
    ("enablement", "training"),
    ("enablement", "process_docs"),
    ("performance", "metrics"),
    ("performance", "dashboards"),
    ("performance", "forecasting"),
    ("performance", "people"),
    ("performance", "optimization"),
)
"""(stage, aspect id) of every aspect the plan's sections are built from."""

# ---- content files and items by id -----------------------------------------------------------------
SPIN: Final = "spin"
DEFAULT_SCORING: Final = "default"
BANT: Final = "bant"
CHAMP: Final = "champ"
MEDDIC: Final = "meddic"
MEDDPICC: Final = "meddpicc"
B2B_BENCHMARK: Final = "b2b"
CONVERSATION_TOOLS: Final = "conversation"

CONTENT: Final[tuple[tuple[str, str], ...]] = (
    ("methodologies", SPIN),
    ("scoring", DEFAULT_SCORING),
    ("scorecards", BANT),
    ("scorecards", CHAMP),
    ("scorecards", MEDDIC),
    ("scorecards", MEDDPICC),
    ("benchmarks", B2B_BENCHMARK),
)
"""(kind folder, id) of every content file the code asks for by id."""

TECH_STACK: Final[tuple[str, ...]] = (CONVERSATION_TOOLS,)
"""Tool category ids of the enablement kit's tech stack the code reads."""
