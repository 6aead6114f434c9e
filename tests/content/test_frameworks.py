"""Framework YAML: every shipped file is valid, schemas are current, broken files say what is wrong."""

from __future__ import annotations

import shutil

import pytest

from salesopt.cli import main
from salesopt.content.frameworks import FRAMEWORKS_DIR, KINDS, SCHEMA_FILE, Question, load_catalog, schema_json
from tests.helpers import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "frameworks"


def test_every_shipped_framework_file_is_valid():
    catalog = load_catalog(FRAMEWORKS_DIR)
    assert catalog.problems == ()
    assert [s.id for s in catalog.stages()] == ["context", "funnel", "qualification", "enablement", "performance"]


@pytest.mark.parametrize("kind", list(KINDS))
def test_json_schema_beside_the_yaml_is_current(kind):
    written = (FRAMEWORKS_DIR / kind / SCHEMA_FILE).read_text(encoding="utf-8")
    assert written == schema_json(kind), "run: python -m salesopt frameworks schema"


def test_stage_one_follows_the_seed():
    stage = load_catalog().stage("context")
    assert [a.title for a in stage.aspects] == [
        "Business and sales model",
        "Sales organization",
        "Current performance",
        "Sales challenges",
    ]
    types = {q.id: q.type for q in stage.questions()}
    assert types["avg_deal_size"] == "money"
    assert types["sales_cycle"] == "duration"
    assert types["rep_count"] == "number"
    assert types["quota_attainment"] == "percent"
    assert types["sales_model"] == "choice"
    assert stage.closing_question == (
        "What's the #1 sales problem you need to solve? Where is the biggest opportunity?"
    )


def test_every_stage_has_its_seed_closing_question():
    closing = {s.id: s.closing_question for s in load_catalog().stages()}
    assert closing["funnel"] == "Which funnel stage needs the most attention? What's causing the biggest leak?"
    assert (
        closing["qualification"] == "Which methodology fits your sales cycle best? What will be hardest to implement?"
    )
    assert closing["enablement"] == "What enablement will have biggest impact? What can you build quickly?"
    assert closing["performance"] == "Which metric matters most to you? How will you ensure adoption?"


BROKEN = {
    "unknown_key.yaml": (6, "colour", "unknown field"),
    "wrong_type.yaml": (12, "aspects.0.questions.0.type", "Input should be 'text', 'choice'"),
    "choice_without_options.yaml": (10, "aspects.0.questions.0", "a 'choice' question needs options"),
    "duplicate_question.yaml": (None, "(file)", "question id 'q1' is used twice"),
    "missing_closing.yaml": (None, "closing_question", "required field is missing"),
    "bad_yaml.yaml": (4, "(file)", "not valid YAML"),
    "min_over_max.yaml": (10, "aspects.0.questions.0", "min (10.0) is greater than max (5.0)"),
    "not_a_mapping.yaml": (None, "(file)", "expected a mapping of fields at the top level"),
    "unquoted_yes_option.yaml": (13, "aspects.0.questions.0.options.0", "put it in quotes"),
    "not_utf8.yaml": (None, "(file)", "not UTF-8 text"),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_file_is_reported_with_file_line_field_and_problem(tmp_path, name):
    line, field, message = BROKEN[name]
    (tmp_path / "dialogue").mkdir()
    shutil.copy(FIXTURES / "dialogue" / name, tmp_path / "dialogue" / name)
    catalog = load_catalog(tmp_path)
    assert catalog.stages() == []
    texts = [str(p) for p in catalog.problems]
    assert len(texts) == 1, texts
    assert any(name in t and field in t and message in t for t in texts), texts
    if line is not None:
        assert any(p.line == line for p in catalog.problems), [(p.line, str(p)) for p in catalog.problems]


def test_fixture_list_covers_every_broken_file():
    assert sorted(p.name for p in (FIXTURES / "dialogue").glob("*.yaml")) == sorted(BROKEN)


def test_a_broken_file_leaves_the_valid_ones_loaded(tmp_path):
    shutil.copytree(FRAMEWORKS_DIR, tmp_path / "frameworks")
    (tmp_path / "frameworks" / "dialogue" / "2_funnel.yaml").write_text("id: funnel\nnumber: [\n", encoding="utf-8")
    catalog = load_catalog(tmp_path / "frameworks")
    assert [s.id for s in catalog.stages()] == ["context", "qualification", "enablement", "performance"]
    assert len(catalog.problems) == 1
    assert "2_funnel.yaml" in str(catalog.problems[0])


def test_question_rules():
    with pytest.raises(ValueError, match="only for 'choice'"):
        Question(id="x", prompt="?", type="text", options=("a",))
    with pytest.raises(ValueError, match="integer is only for 'number'"):
        Question(id="x", prompt="?", type="money", integer=True)
    with pytest.raises(ValueError, match="do not apply"):
        Question(id="x", prompt="?", type="text", min=0)


def test_cli_check_passes_on_shipped_files(capsys):
    assert main(["frameworks", "check"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("ok: ") and "5 dialogue" in out and "5 scorecards" in out


def test_cli_check_lists_each_problem_and_exits_1(tmp_path, capsys):
    shutil.copytree(FIXTURES, tmp_path / "fw")
    assert main(["frameworks", "check", str(tmp_path / "fw")]) == 1
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) >= len(BROKEN)
    assert all(": " in line for line in out)
    assert any("unknown_key.yaml:6: colour: unknown field" in line for line in out)


def test_cli_check_on_missing_folder_exits_2(tmp_path, capsys):
    assert main(["frameworks", "check", str(tmp_path / "nope")]) == 2
    assert capsys.readouterr().err.startswith("error: ")
