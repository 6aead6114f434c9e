"""Assessment files (issue 22): deep nesting, oversize files and text longer than the form accepts
are refused with one clear message, in the app's import and on the command line."""

from __future__ import annotations

import json
import time

import pytest

from salesopt.cli import main
from salesopt.demo import demo_assessment
from salesopt.model.files import AssessmentFileError, from_file_bytes, from_json, to_json

DEEP = {
    "deep.json": "[" * 100_000 + "]" * 100_000,
    "deep.yaml": "a: " + "[" * 100_000 + "]" * 100_000,
    "deep-block.yaml": "- " * 100_000 + "x",
    "deep-map.json": '{"a": ' * 30 + "1" + "}" * 30,
}


@pytest.mark.parametrize("name", list(DEEP))
def test_a_deeply_nested_file_is_refused_with_where_it_nests_too_deep(name):
    start = time.perf_counter()
    with pytest.raises(AssessmentFileError) as err:
        from_file_bytes(DEEP[name].encode(), name)
    assert time.perf_counter() - start < 1.0
    message = str(err.value)
    assert message.startswith(f"{name}: nested more than 20 levels deep (")
    assert "\n" not in message


def test_the_deep_json_message_names_line_and_column():
    with pytest.raises(AssessmentFileError) as err:
        from_file_bytes(DEEP["deep.json"].encode(), "deep.json")
    assert str(err.value).startswith("deep.json: nested more than 20 levels deep (line 1, column 21);")


@pytest.mark.parametrize("name", ["deep.json", "deep.yaml", "deep-block.yaml"])
def test_the_command_line_refuses_a_deep_file_in_one_line_with_exit_2(tmp_path, capsys, name):
    path = tmp_path / name
    path.write_text(DEEP[name], encoding="utf-8")
    assert main(["plan", str(path), "-o", str(tmp_path / "x.md")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {path}: nested more than 20 levels deep")
    assert err.count("\n") == 1
    assert not (tmp_path / "x.md").exists()


def test_an_imported_answer_longer_than_the_form_accepts_is_refused_naming_the_field():
    data = json.loads(to_json(demo_assessment()))
    data["context"]["answers"]["products"] = "x" * 100_000  # one unbroken 100 KB answer
    data["context"]["closing_answer"] = "y" * 5_001
    with pytest.raises(AssessmentFileError) as err:
        from_file_bytes(json.dumps(data).encode(), "long.json")
    assert str(err.value) == (
        "long.json: text longer than the 5,000 characters the form accepts: context.answers.products "
        "(100,000 characters); context.closing_answer (5,001 characters); shorten it and import again"
    )
    data["context"]["answers"]["products"] = "x" * 5_000
    data["context"]["closing_answer"] = "y"
    assert from_file_bytes(json.dumps(data).encode(), "ok.json").context.answers["products"] == "x" * 5_000


def test_a_stored_assessment_is_not_held_to_the_import_limits():
    # storage reads its own JSON through from_json: an answer saved before the limit still opens
    data = json.loads(to_json(demo_assessment()))
    data["context"]["answers"]["products"] = "x" * 6_000
    assert len(from_json(json.dumps(data)).context.answers["products"]) == 6_000


def test_an_assessment_file_past_5_mb_is_refused_before_parsing():
    with pytest.raises(AssessmentFileError) as err:
        from_file_bytes(b"{" + b" " * (6 << 20) + b"}", "big.json")
    assert str(err.value).startswith("big.json: 6.0 MB, more than the 5 MB an assessment file may be")
