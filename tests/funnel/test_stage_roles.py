"""The Stage 2 stage-mapping table (salesopt.funnel.stages.role_rows / roles_from_rows), hand-worked."""

from __future__ import annotations

import math

import pytest

from salesopt.funnel.stages import NoWonStage, StageMap, role_rows, roles_from_rows

MAP = StageMap(
    order=("Lead", "Demo", "Proposal", "Closed Won"),
    won=frozenset({"Closed Won"}),
    lost=frozenset({"Closed Lost"}),
    probabilities=(("Lead", 0.1), ("Demo", 0.3)),
)


def test_role_rows_by_hand():
    rows = role_rows(MAP, ["Lead", "Demo", "Proposal", "Closed Won", "Closed Lost", "Parked"])
    assert rows == [
        {"Stage": "Lead", "Role": "Funnel", "Position": 1, "Default probability": 10.0},
        {"Stage": "Demo", "Role": "Funnel", "Position": 2, "Default probability": 30.0},
        {"Stage": "Proposal", "Role": "Funnel", "Position": 3, "Default probability": None},
        {"Stage": "Closed Won", "Role": "Won", "Position": 4, "Default probability": None},
        {"Stage": "Closed Lost", "Role": "Lost", "Position": None, "Default probability": None},
        {"Stage": "Parked", "Role": "Not in funnel", "Position": None, "Default probability": None},
    ]


def test_edited_rows_give_the_mapping():
    rows = role_rows(MAP, ["Lead", "Demo", "Proposal", "Closed Won", "Closed Lost", "Parked"])
    rows[0]["Position"], rows[1]["Position"] = 2, 1  # Demo before Lead now
    rows[2]["Default probability"] = 55  # percent typed in the table
    rows[5]["Role"], rows[5]["Position"] = "Funnel", math.nan  # a new funnel stage without a position goes last
    rows[1]["Default probability"] = math.nan  # cleared
    roles = roles_from_rows(rows)
    assert roles.stage_order == ("Demo", "Lead", "Proposal", "Parked", "Closed Won")
    assert roles.won == ("Closed Won",)
    assert roles.lost == ("Closed Lost",)
    assert roles.probabilities == {"Lead": 0.1, "Proposal": 0.55}


def test_a_table_without_a_won_stage_is_refused():
    rows = [{"Stage": "Lead", "Role": "Funnel", "Position": 1, "Default probability": None}]
    with pytest.raises(NoWonStage, match="Mark at least one stage as Won"):
        roles_from_rows(rows)


def test_one_row_won_only():
    roles = roles_from_rows([{"Stage": "Won", "Role": "Won", "Position": None, "Default probability": None}])
    assert roles.stage_order == ("Won",) and roles.lost == () and roles.probabilities == {}
