"""Opportunity scoring and stage calibration against hand-worked cases."""

from __future__ import annotations

import pandas as pd
import pytest

from salesopt.frameworks import Criterion, ScoringModel, load_catalog
from salesopt.funnel import classify
from salesopt.opportunity_scoring import calibration, score_open_deals, size_band
from salesopt.stages import from_names

MODEL = ScoringModel(
    id="t",
    title="t",
    high_at=70,
    medium_at=40,
    criteria=(
        Criterion(
            id="seg", label="Enterprise", group="fit", field="segment", rule="in", values=("enterprise",), points=50
        ),
        Criterion(id="big", label="Big", group="fit", field="amount", rule="at_least", threshold=10_000, points=30),
        Criterion(id="step", label="Next step", group="behavioral", field="next_step", rule="not_blank", points=20),
        Criterion(
            id="act", label="Activity", group="behavioral", field="activities", rule="at_least", threshold=3, points=40
        ),  # no such column: left out of the total
    ),
)
STAGES = from_names(["Qualify", "Propose", "Won"], lost=["Lost"])


def frame():
    return classify(
        pd.DataFrame(
            {
                "opportunity_id": ["a", "b", "c", "d"],
                "stage": ["Propose", "Qualify", "Qualify", "Won"],
                "segment": ["Enterprise", "SMB", None, "Enterprise"],
                "amount": [20_000.0, 50_000.0, 5_000.0, 1.0],
                "next_step": ["Call CFO", None, " ", None],
            }
        ),
        STAGES,
    )


def test_scores_priorities_and_order_hand_worked():
    scored = score_open_deals(frame(), MODEL)
    # a: 50 + 30 + 20 = 100; b: 30 of 100; c: 0 (a blank next step is not a next step); d is won: not listed
    assert scored["opportunity_id"].tolist() == ["a", "b", "c"]
    assert scored["score"].tolist() == [100.0, 30.0, 0.0]
    assert scored["priority"].tolist() == ["High", "Low", "Low"]
    assert scored.loc[0, "met"] == "Enterprise; Big; Next step"


def test_tier_boundaries_are_inclusive():
    model = MODEL.model_copy(update={"high_at": 100, "medium_at": 30})
    assert score_open_deals(frame(), model)["priority"].tolist() == ["High", "Medium", "Low"]


def test_without_any_usable_criterion_scores_are_undefined():
    scored = score_open_deals(frame()[["opportunity_id", "stage", "status", "furthest"]], MODEL)
    assert scored["score"].isna().all()


def test_calibration_with_the_insufficient_history_guard():
    deals = classify(
        pd.DataFrame(
            {
                "opportunity_id": list("abcdef"),
                "stage": ["Won", "Won", "Lost", "Lost", "Lost", "Propose"],
                "lost_at_stage": [None, None, "Propose", "Qualify", "Qualify", None],
                "probability": [1.0, 1.0, 0.0, 0.0, 0.0, 0.4],
            }
        ),
        STAGES,
    )
    table = calibration(deals, STAGES, min_closed=3).set_index("stage")
    assert table.loc["Qualify", ["closed_reached", "won"]].tolist() == [5, 2]
    assert table.loc["Qualify", "observed"] == pytest.approx(0.4)
    assert table.loc["Propose", "closed_reached"] == 3 and table.loc["Propose", "observed"] == pytest.approx(2 / 3)
    assert table.loc["Propose", "configured"] == 0.4
    guarded = calibration(deals, STAGES, min_closed=4).set_index("stage")
    assert guarded.loc["Propose", "observed"] is None
    assert guarded.loc["Propose", "note"] == "insufficient history: 3 closed deal(s), needs 4"


def test_size_bands():
    assert size_band(pd.Series([0, 9_999, 10_000, 75_000, 2e6, None])).tolist() == [
        "under $10K",
        "under $10K",
        "$10K-50K",
        "$50K-100K",
        "$500K and more",
        None,
    ]


def test_shipped_scoring_model_loads():
    model = load_catalog().scoring()["default"]
    assert {c.group for c in model.criteria} == {"fit", "behavioral", "buying"}


def test_criterion_rules_are_checked():
    with pytest.raises(ValueError, match="needs values"):
        Criterion(id="x", label="x", group="fit", field="segment", rule="in", points=1)
    with pytest.raises(ValueError, match="needs a threshold"):
        Criterion(id="x", label="x", group="fit", field="amount", rule="at_least", points=1)
