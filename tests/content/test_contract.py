"""The content contract (salesopt/content/contract.py): every id and option the code relies on exists in
the loaded catalog with the right type, and the rules compare answers only with real options."""

from __future__ import annotations

import ast

import pytest

from salesopt.content import contract
from salesopt.content.frameworks import load_catalog

CATALOG = load_catalog()


def test_the_catalog_loads_without_problems():
    assert CATALOG.problems == ()


@pytest.mark.parametrize(("qid", "where"), list(contract.QUESTIONS.items()))
def test_every_declared_question_exists_with_its_type(qid, where):
    stage_id, kind = where
    stage = CATALOG.stage(stage_id)
    assert stage is not None
    assert stage.question(qid).type == kind


@pytest.mark.parametrize(("qid", "option"), contract.OPTIONS)
def test_every_declared_option_is_an_option_of_its_question(qid, option):
    stage_id, kind = contract.QUESTIONS[qid]
    assert kind == "choice"
    assert option in CATALOG.stage(stage_id).question(qid).options


@pytest.mark.parametrize(("stage_id", "aspect_id"), contract.ASPECTS)
def test_every_declared_aspect_exists_in_its_stage(stage_id, aspect_id):
    assert aspect_id in {a.id for a in CATALOG.stage(stage_id).aspects}


@pytest.mark.parametrize(("kind", "content_id"), contract.CONTENT)
def test_every_declared_content_file_exists(kind, content_id):
    assert content_id in CATALOG.items[kind]


def test_the_tech_stack_categories_exist():
    assert set(contract.TECH_STACK) <= {t.id for t in CATALOG.enablement().tech_stack}


def test_the_plan_reads_only_declared_aspects():
    from salesopt.report.plan import OUTLINE

    used = {(src.stage, aspect) for section in OUTLINE for src in section.sources for aspect in src.aspects}
    assert used <= set(contract.ASPECTS)


def _compared_strings(text: str) -> list[tuple[str, str]]:
    """(fact, string) for every comparison of a fact with a string constant in a rule expression."""
    out = []
    for node in ast.walk(ast.parse(text, mode="eval")):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            names = [s.id for s in sides if isinstance(s, ast.Name)]
            consts = [s.value for s in sides if isinstance(s, ast.Constant) and isinstance(s.value, str)]
            out += [(n, c) for n in names for c in consts]
    return out


def test_rules_compare_answers_only_with_their_options():
    rules = [r for rs in CATALOG.rules() for r in rs.rules]
    pairs = [(f, v) for r in rules for f, v in _compared_strings(r.when) if f in contract.ANSWER_FACTS]
    assert pairs  # the rules do compare answers (bant_in_use == 'No'...)
    for fact, value in pairs:
        qid = contract.ANSWER_FACTS[fact]
        assert value in CATALOG.stage(contract.QUESTIONS[qid][0]).question(qid).options, (fact, value)
