"""The Assessment model: exact round-trips, migrations, and clear refusals of foreign files."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salesopt.content.frameworks import load_catalog
from salesopt.demo import demo_assessment
from salesopt.model import files as model
from salesopt.model.assessment import Assessment, Scenario, stage_progress
from salesopt.model.files import AssessmentFileError, from_file_bytes, from_json, from_yaml, to_json, to_yaml

answer_values = st.one_of(
    st.text(max_size=30),
    st.integers(min_value=-(10**9), max_value=10**9),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.lists(st.text(max_size=10), max_size=4),
)


def test_demo_round_trips_exactly_through_json_and_yaml():
    demo = demo_assessment().model_copy(
        update={"scenarios": [Scenario(name="+5 pts", levers={"win_rate_points": 0.05})]}
    )
    assert from_json(to_json(demo)) == demo
    assert from_yaml(to_yaml(demo)) == demo
    assert to_json(from_yaml(to_yaml(demo))) == to_json(demo)


@settings(max_examples=200, deadline=None)  # a busy CI core must not fail a correct round trip
@given(
    st.dictionaries(st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True), answer_values, max_size=6),
    st.text(max_size=50),
)
def test_any_answers_round_trip_exactly(answers, closing):
    a = Assessment().with_section("context", answers=answers, closing_answer=closing)
    assert from_json(to_json(a)) == a
    assert from_yaml(to_yaml(a)) == a


def test_content_decides_json_or_yaml():
    demo = demo_assessment()
    assert from_file_bytes(to_yaml(demo).encode(), "named.json") == demo
    assert from_file_bytes(("\ufeff" + to_json(demo)).encode(), "named.yaml") == demo


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00binary", "not a text file"),
        (b"name,stage\nA,Won\n", "not an assessment file"),
        (b'{"title": "x"}', "not a salesopt assessment file"),
        (b"{ not json", "not valid JSON (line 1, column 3)"),
        (b"a: [unclosed", "not valid YAML"),
        (b'{"schema_version": 99, "context": {}}', "newer salesopt (schema 99)"),
        (b'{"schema_version": 0, "context": {}}', "schema 0 is too old"),
        (b'{"schema_version": "one", "context": {}}', "expected a whole number"),
        (b'{"schema_version": 1, "context": {"answers": {}, "colour": 1}}', "context.colour: unknown field"),
        (b'{"schema_version": 1, "context": {}, "currency": "dollars"}', "currency"),
    ],
)
def test_foreign_or_corrupt_files_are_refused_with_a_reason(raw, message):
    with pytest.raises(AssessmentFileError, match=None) as err:
        from_file_bytes(raw, "upload.json")
    assert message in str(err.value)
    assert str(err.value).startswith("upload.json")


def test_an_older_schema_is_migrated_by_the_hook(monkeypatch):
    def v0_to_v1(data):
        data["title"] = data.pop("name")
        return data

    monkeypatch.setitem(model.MIGRATIONS, 0, v0_to_v1)
    old = {"schema_version": 0, "name": "From 2025", "context": {"answers": {"rep_count": 4}}}
    loaded = from_json(json.dumps(old))
    assert loaded.title == "From 2025"
    assert loaded.schema_version == model.SCHEMA_VERSION
    assert loaded.context.answers == {"rep_count": 4}


def test_with_answer_sets_and_clears_without_touching_the_original():
    a = Assessment()
    b = a.with_answer("context", "rep_count", 10)
    assert a.context.answers == {}
    assert b.context.answers == {"rep_count": 10}
    assert b.with_answer("context", "rep_count", None).context.answers == {}


def test_stage_progress_counts_answers_and_the_closing_question():
    stage = load_catalog().stage("context")
    total = len(stage.questions()) + 1
    assert stage_progress(Assessment(), stage) == (0, total)
    assert stage_progress(demo_assessment(), stage) == (total, total)
    half = Assessment().with_answer("context", "products", "SaaS").with_answer("context", "roles", [])
    assert stage_progress(half, stage) == (1, total)


def test_an_update_is_validated_like_a_loaded_file():
    import pytest
    from pydantic import ValidationError

    from salesopt.model.assessment import Assessment, CrmSource

    a = Assessment()
    with pytest.raises(ValidationError):
        a.updated("funnel", target=-5)  # a negative target is refused, not saved
    unchecked = CrmSource(sha256="a" * 64, name="x.csv", size=1).model_copy(update={"size": -1})
    with pytest.raises(ValidationError):
        a.updated("funnel", crm=unchecked)  # a model built with model_copy(update=...) is checked again
    assert a.updated("funnel", target=9_000_000).funnel.target == 9_000_000


def test_assessment_models_are_frozen_so_every_change_goes_through_validation():
    import pydantic

    a = Assessment()
    with pytest.raises(pydantic.ValidationError, match="frozen"):
        a.currency = "EUR"
    with pytest.raises(pydantic.ValidationError, match="frozen"):
        a.funnel.target = -1.0
    changed = a.updated("funnel", target=9_000_000.0)
    assert changed.funnel.target == 9_000_000.0 and a.funnel.target is None
