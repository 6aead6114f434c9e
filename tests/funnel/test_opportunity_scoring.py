"""Opportunity scoring and stage calibration against hand-worked cases."""

from __future__ import annotations

import pandas as pd
import pytest

from salesopt.content.frameworks import Criterion, ScoringModel, load_catalog
from salesopt.funnel.analysis import classify
from salesopt.funnel.scoring import calibration, score_open_deals, size_band, usable_criteria
from salesopt.funnel.stages import from_names

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


def test_calibration_counts_losses_of_unknown_stage_at_every_open_stage():
    deals = classify(
        pd.DataFrame(
            {
                "opportunity_id": list("abcdefg"),
                "stage": ["Won", "Won", "Won", "Lost", "Lost", "Lost", "Propose"],
                "lost_at_stage": [None, None, None, None, None, "Qualify", None],
            }
        ),
        STAGES,
    )
    assert deals["furthest_closed"].tolist() == [2, 2, 2, 1, 1, 0, 1]  # unknown losses: lost at Propose
    table = calibration(deals, STAGES, min_closed=1).set_index("stage")
    # Qualify: 3 won + 2 unknown + 1 lost at Qualify = 6 closed, 3 won -> 0.5
    # Propose: 3 won + 2 unknown = 5 closed, 3 won -> 0.6
    assert table.loc["Qualify", ["closed_reached", "won"]].tolist() == [6, 3]
    assert table.loc["Qualify", "observed"] == pytest.approx(0.5)
    assert table.loc["Propose", ["closed_reached", "won"]].tolist() == [5, 3]
    assert table.loc["Propose", "observed"] == pytest.approx(0.6)
    # without furthest_closed the unknown losses are left out: 3 / 4 and 3 / 3
    old = calibration(deals.drop(columns="furthest_closed"), STAGES, min_closed=1).set_index("stage")
    assert old["observed"].tolist() == [pytest.approx(0.75), pytest.approx(1.0)]


def test_calibration_on_a_maven_like_export():
    # Maven: 4,238 won, 2,473 lost with no stage, 2 open stages: 4238 / 6711 = 0.6315 at each
    stages = from_names(["Prospecting", "Engaging", "Won"], lost=["Lost"])
    deals = classify(pd.DataFrame({"stage": ["Won"] * 4238 + ["Lost"] * 2473 + ["Engaging"] * 5}), stages)
    table = calibration(deals, stages, min_closed=30)
    assert table["closed_reached"].tolist() == [6711, 6711] and table["won"].tolist() == [4238, 4238]
    assert [round(v, 4) for v in table["observed"]] == [0.6315, 0.6315]


SIZE = Criterion(
    id="size",
    label="Deal size at least the median won deal",
    group="fit",
    field="amount",
    rule="at_least",
    percentile=0.5,
    points=10,
)


def sized():
    return pd.DataFrame(
        {
            "opportunity_id": ["w1", "w2", "w3", "w4", "l1", "o1", "o2"],
            "status": ["won"] * 4 + ["lost", "open", "open"],
            "amount": [1000.0, 2000.0, 3000.0, 4000.0, 90_000.0, 2500.0, 1500.0],
        }
    )


def test_percentile_threshold_is_the_exports_median_won_deal():
    # won 1,000, 2,000, 3,000, 4,000: median 2,500 (the lost 90,000 does not count);
    # open 2,500 meets it (at least), open 1,500 does not
    model = ScoringModel(id="t", title="t", criteria=(SIZE,), high_at=70, medium_at=40)
    scored = score_open_deals(sized(), model)
    assert scored["opportunity_id"].tolist() == ["o1", "o2"]
    assert scored["score"].tolist() == [100.0, 0.0] and scored["priority"].tolist() == ["High", "Low"]
    assert scored.loc[0, "met"] == "Deal size at least the median won deal (2,500)"
    assert "$" not in scored.loc[0, "met"]
    usd = score_open_deals(sized(), model, currency="USD")
    assert usd.loc[0, "met"] == "Deal size at least the median won deal ($2,500)"
    # the 75th percentile: 3,250 -> neither open deal meets it
    upper = ScoringModel(id="t", title="t", criteria=(SIZE.model_copy(update={"percentile": 0.75}),))
    assert score_open_deals(sized(), upper)["score"].tolist() == [0.0, 0.0]


def test_percentile_criterion_without_won_deals_is_left_out():
    deals = sized().assign(status=["lost"] * 5 + ["open", "open"])
    model = ScoringModel(id="t", title="t", criteria=(SIZE,))
    assert usable_criteria(deals, model) == []
    assert score_open_deals(deals, model)["score"].isna().all()
    assert usable_criteria(sized(), model) == [SIZE]  # the model's own criterion, unresolved


def test_shipped_size_criterion_is_relative_to_the_export():
    model = load_catalog().scoring()["default"]
    size = next(c for c in model.criteria if c.field == "amount")
    assert size.percentile == 0.5 and size.threshold is None and "$" not in size.label
    scored = score_open_deals(sized(), model)
    assert scored.loc[scored["opportunity_id"] == "o1", "met"].item() == (
        "Deal size at least the median won deal (2,500)"
    )


def test_percentile_rules_are_checked():
    with pytest.raises(ValueError, match="not both"):
        Criterion(
            id="x", label="x", group="fit", field="amount", rule="at_least", threshold=1, percentile=0.5, points=1
        )
    with pytest.raises(ValueError, match="a percentile is for"):
        Criterion(id="x", label="x", group="fit", field="segment", rule="in", values=("a",), percentile=0.5, points=1)
    with pytest.raises(ValueError):
        Criterion(id="x", label="x", group="fit", field="amount", rule="at_least", percentile=1.5, points=1)
