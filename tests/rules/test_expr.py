"""The rule expression language (salesopt/rules/expr.py): a leaf module, its whitelist, the declared facts,
and the load-time check that makes a misspelt fact in a rule file fail with its file and line."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest

from salesopt.content import frameworks
from salesopt.content.frameworks import FRAMEWORKS_DIR, load_catalog
from salesopt.demo import demo_assessment, demo_crm_csv
from salesopt.rules import expr
from salesopt.rules.facts import gather

CATALOG = load_catalog()


def test_expr_is_a_leaf_module():
    tree = ast.parse(Path(expr.__file__).read_text(encoding="utf-8"))
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)} | {
        a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names
    }
    assert not {m for m in imported if m and m.startswith("salesopt")}


def test_the_loader_no_longer_imports_the_recommendations_engine():
    text = Path(frameworks.__file__).read_text(encoding="utf-8")
    assert "salesopt.rules.engine" not in text


def test_names_and_the_unknown_fact_check():
    assert expr.names("a * (b - 1) > 2 and not c") == {"a", "b", "c"}
    expr.check_expression("win_rate < 0.2 and coverage < required_coverage")
    with pytest.raises(expr.ExpressionError, match="unknown fact 'win_rat'"):
        expr.check_expression("win_rat < 0.2")
    with pytest.raises(expr.ExpressionError, match="unknown fact 'x'"):
        expr.check_expression("x > 1", known={"y": "number"})


def test_every_rule_names_only_declared_facts():
    rules = [r for rs in CATALOG.rules() for r in rs.rules]
    used = set().union(*(expr.names(r.when) | (expr.names(r.impact) if r.impact else set()) for r in rules))
    assert used <= set(expr.FACTS)
    assert not [p for p in CATALOG.problems if "recommendations" in p.file]


def test_gather_fills_only_declared_facts_and_most_of_them_on_the_demo():
    from salesopt.funnel.stage2 import evaluate, load, stage_map_for

    imported = load(demo_crm_csv(), "demo.csv")
    result = evaluate(imported, stage_map_for(imported), target=5_000_000, benchmark=CATALOG.benchmarks()["b2b"])
    facts = gather(demo_assessment(), CATALOG, result)
    assert set(facts) <= set(expr.FACTS)
    filled = {k for k, v in facts.items() if v is not None}
    assert len(filled) >= 25


def _copy_frameworks(tmp_path: Path) -> Path:
    target = tmp_path / "frameworks"
    shutil.copytree(FRAMEWORKS_DIR, target)
    return target


def test_a_misspelt_fact_in_a_rule_file_fails_with_file_and_line(tmp_path):
    base = _copy_frameworks(tmp_path)
    path = base / "recommendations" / "default.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    line_no = next(i for i, line in enumerate(lines) if line.strip() == 'when: "coverage < coverage_low"')
    lines[line_no] = lines[line_no].replace("coverage < coverage_low", "coverag < coverage_low")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    catalog = load_catalog(base)

    [problem] = [p for p in catalog.problems if "recommendations" in p.file]
    assert problem.file.endswith("recommendations/default.yaml")
    assert problem.line == line_no + 1
    assert problem.field.endswith(".when")
    assert "unknown fact 'coverag'" in problem.message
    assert "recommendations/default.yaml:" in str(problem)


def test_a_misspelt_fact_in_a_rule_example_fails_too(tmp_path):
    base = _copy_frameworks(tmp_path)
    path = base / "recommendations" / "default.yaml"
    text = path.read_text(encoding="utf-8")
    assert "win_rate: 0.12" in text
    path.write_text(text.replace("win_rate: 0.12", "win_rte: 0.1", 1), encoding="utf-8")

    problems = [p for p in load_catalog(base).problems if "recommendations" in p.file]
    assert problems and "unknown fact 'win_rte'" in problems[0].message and problems[0].line
