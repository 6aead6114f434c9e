"""The three-way merge of two tabs' saves: answers that do not collide are all kept; a field both
changed differently is a collision, named with base, mine and theirs."""

from __future__ import annotations

from salesopt.model.assessment import Assessment
from salesopt.model.files import to_dict
from salesopt.model.merge import Difference, differences, merge


def _base() -> Assessment:
    return Assessment(title="T").with_answer("context", "rep_count", 10).with_answer("context", "products", "CRM")


def test_answers_of_two_tabs_that_do_not_collide_are_all_kept():
    base = _base()
    mine = base.with_answer("context", "sdr_count", 5).with_answer("context", "products", None)
    theirs = base.with_answer("funnel", "target_note", "x").with_answer("context", "icp", "Mid-market")
    result = merge(to_dict(base), to_dict(mine), to_dict(theirs))
    assert result.collisions == []
    merged = Assessment.model_validate(result.data)
    assert merged.context.answers == {"rep_count": 10, "sdr_count": 5, "icp": "Mid-market"}
    assert merged.funnel.answers == {"target_note": "x"}
    assert result.theirs_changed == [("context", "answers", "icp"), ("funnel", "answers", "target_note")]


def test_my_own_quick_answers_never_collide_with_themselves():
    """The false conflict: my first answer reached the database, the session kept the older base."""
    base = _base()
    first = base.with_answer("context", "sdr_count", 5)  # saved, but the session still holds `base`
    second = first.with_answer("context", "icp", "SMB")  # my next answer, 0-3 ms later
    result = merge(to_dict(base), to_dict(second), to_dict(first))
    assert result.collisions == []
    assert Assessment.model_validate(result.data).context.answers == to_dict(second)["context"]["answers"]


def test_the_same_field_changed_differently_is_a_collision_with_all_three_values():
    base = _base()
    mine = base.with_answer("context", "rep_count", 12).with_section("context", step=3)
    theirs = base.with_answer("context", "rep_count", 14).with_section("context", step=1)
    result = merge(to_dict(base), to_dict(mine), to_dict(theirs))
    assert result.collisions == [Difference(("context", "answers", "rep_count"), 10, 12, 14)]  # step is no dispute
    merged = Assessment.model_validate(result.data)
    assert (merged.context.answers["rep_count"], merged.context.step) == (12, 3)


def test_a_removed_answer_against_a_changed_one_collides_and_the_same_change_does_not():
    base = _base()
    mine = base.with_answer("context", "products", None).with_answer("context", "rep_count", 11)
    theirs = base.with_answer("context", "products", "ERP").with_answer("context", "rep_count", 11)
    result = merge(to_dict(base), to_dict(mine), to_dict(theirs))
    assert result.collisions == [Difference(("context", "answers", "products"), "CRM", None, "ERP")]


def test_differences_lists_every_field_where_the_two_versions_differ():
    base = _base()
    mine = base.with_answer("context", "rep_count", 12)
    theirs = base.with_answer("context", "icp", "SMB")
    found = differences(to_dict(mine), to_dict(theirs), to_dict(base))
    assert [(d.path, d.base, d.mine, d.theirs) for d in found] == [
        (("context", "answers", "icp"), None, None, "SMB"),
        (("context", "answers", "rep_count"), 10, 12, 10),
    ]
