"""The prioritized pipeline tables (salesopt.funnel.priorities) and the objection defaults
(salesopt.qualification.objections), hand-worked."""

from __future__ import annotations

import pandas as pd

from salesopt.content.frameworks import load_catalog
from salesopt.funnel.priorities import largest_open, prioritized_table, priority_mix, tier_mix
from salesopt.model.assessment import ObjectionResponse
from salesopt.qualification.objections import default_responses, playbook

SCORED = pd.DataFrame(
    {
        "opportunity_id": ["a", "b", "c"],
        "amount": [50_000.0, 1_250.5, None],
        "score": [90, 60, 10],
        "priority": ["High", "High", "Low"],
    }
)


def test_priority_mix_counts_every_priority():
    assert priority_mix(SCORED).to_dict() == {"High": 2, "Medium": 0, "Low": 1}
    assert priority_mix(SCORED.iloc[0:0]).to_dict() == {"High": 0, "Medium": 0, "Low": 0}


def test_prioritized_table_formats_money_in_the_currency_and_names_columns():
    table = prioritized_table(SCORED, "EUR", limit=2)
    assert list(table.columns) == ["Opportunity", "Amount", "Score", "Priority"]
    assert table["Amount"].tolist() == ["€50,000", "€1,250"]
    assert len(prioritized_table(SCORED, "EUR")) == 3
    no_amount = prioritized_table(SCORED.drop(columns="amount"), "EUR")
    assert "Amount" not in no_amount


def test_largest_open_and_tier_mix():
    deals = pd.DataFrame({"status": ["open", "won", "open", "open"], "amount": [10.0, 99.0, 30.0, 20.0]})
    assert largest_open(deals, 2)["amount"].tolist() == [30.0, 20.0]
    assert largest_open(deals.drop(columns="amount"), 5).index.tolist() == [0, 2, 3]
    scored = pd.DataFrame({"tier": ["Strong", "Weak", "Strong", None]})
    assert tier_mix(scored, ["Weak", "Medium", "Strong"]).to_dict() == {"Weak": 1, "Medium": 0, "Strong": 2}


def test_objection_defaults_by_hand():
    books = load_catalog().objections()
    first = next(iter(books.values())).objections[0]
    defaults = default_responses(books)
    assert defaults[0].name == first.name
    expected = "; ".join(first.approach) + (f'. E.g. "{first.example}"' if first.example else "")
    assert defaults[0].response == expected
    assert len(defaults) == sum(len(b.objections) for b in books.values())
    saved = [ObjectionResponse(name="Price", response="Show the ROI")]
    assert playbook(saved, books) == saved
    assert playbook([], books) == defaults
    assert default_responses({}) == []
