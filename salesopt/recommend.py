"""The recommendations engine: rules in frameworks/recommendations/*.yaml turn the assessment's
figures and answers (the *facts*) into recommendations for the plan.

A rule's ``when`` and ``impact`` are small expressions over the facts, read by a safe evaluator
(Python's ast with a whitelist: numbers, strings, names of facts, arithmetic, comparisons, and/or/
not, ``in``; nothing else, no calls, no attributes). A fact that is missing (None) makes the
condition false, so a rule stays quiet when the data to judge it is not there.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from salesopt.frameworks import RecommendationRule, RuleSet

PRIORITY_ORDER = {"high": 0, "medium": 1, "low": 2}
PHASES = (
    ("quick_wins", "Quick Wins (Month 1)"),
    ("foundation", "Foundation (Months 2-3)"),
    ("optimization", "Optimization (Months 4-6)"),
    ("scale", "Scale (Months 7-12)"),
)

_BIN = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}
_CMP = {
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
}


class ExpressionError(ValueError):
    """An expression that uses something the evaluator does not allow."""


class _Missing(Exception):
    pass


def check_expression(text: str) -> None:
    """Raise ExpressionError if ``text`` is not an allowed expression (used by the YAML schema)."""
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"not a valid expression: {exc.msg}") from None
    for node in ast.walk(tree):
        if not isinstance(
            node,
            (
                ast.Expression,
                ast.BoolOp,
                ast.And,
                ast.Or,
                ast.UnaryOp,
                ast.Not,
                ast.USub,
                ast.BinOp,
                ast.Compare,
                ast.Name,
                ast.Load,
                ast.Constant,
                ast.Tuple,
                ast.List,
                *_BIN,
                *_CMP,
            ),
        ):
            raise ExpressionError(f"'{type(node).__name__}' is not allowed in a rule expression")


def evaluate(text: str, facts: Mapping[str, Any]) -> Any:
    """The value of an expression over the facts; None when a fact it needs is missing."""
    try:
        return _eval(ast.parse(text, mode="eval").body, facts)
    except (_Missing, ZeroDivisionError, TypeError):
        return None


def _eval(node: ast.AST, facts: Mapping[str, Any]) -> Any:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        value = facts.get(node.id)
        if value is None:
            raise _Missing(node.id)
        return value
    if isinstance(node, (ast.Tuple, ast.List)):
        return tuple(_eval(e, facts) for e in node.elts)
    if isinstance(node, ast.UnaryOp):
        value = _eval(node.operand, facts)
        return (not value) if isinstance(node.op, ast.Not) else -value
    if isinstance(node, ast.BinOp):
        return _BIN[type(node.op)](_eval(node.left, facts), _eval(node.right, facts))
    if isinstance(node, ast.BoolOp):
        if isinstance(node.op, ast.And):
            return all(_eval(v, facts) for v in node.values)
        results = []
        for v in node.values:
            try:
                results.append(_eval(v, facts))
            except _Missing:
                results.append(False)
        return any(results)
    if isinstance(node, ast.Compare):
        left = _eval(node.left, facts)
        for op, comp in zip(node.ops, node.comparators, strict=True):
            right = _eval(comp, facts)
            if not _CMP[type(op)](left, right):
                return False
            left = right
        return True
    raise ExpressionError(f"'{type(node).__name__}' is not allowed")


@dataclass(frozen=True)
class Recommendation:
    rule: RecommendationRule
    title: str
    why: str
    impact: float | None
    kpi: str = ""
    done_when: str = ""


def _fill(template: str, facts: Mapping[str, Any]) -> str:
    """'{win_rate:%}' style placeholders from the facts ('{deal_size:$}' as money in the facts'
    ``currency``, '{cycle:d}' as days); a missing one stays as it is (the plan leaves such a reason out)."""
    import re

    from salesopt import fmt

    def repl(m: re.Match[str]) -> str:
        name, _, spec = m.group(1).partition(":")
        value = facts.get(name)
        if value is None:
            return m.group(0)
        if spec == "%":
            return f"{value * 100:.1f}%".replace(".0%", "%")
        if spec == "$":
            return fmt.money(float(value), str(facts.get("currency") or "USD"))
        if spec == "d":
            return _days(float(value))
        if isinstance(value, float):
            return f"{value:,.1f}".removesuffix(".0")
        return str(value)

    return re.sub(r"\{([a-z_]+(?::[%$d])?)\}", repl, template)


def _days(value: float) -> str:
    """Days, with months in brackets from two months on: '276 days (9.2 months)', '1 day'."""
    n = f"{value:,.1f}".removesuffix(".0")
    text = f"{n} {'day' if n == '1' else 'days'}"
    if value >= 60:
        text += f" ({value / 30:.1f} months)".replace(".0 months", " months")
    return text


def run(rule_sets: RuleSet | list[RuleSet], facts: Mapping[str, Any]) -> list[Recommendation]:
    """The rules that fire, highest priority first, then the largest money impact."""
    out = []
    sets = rule_sets if isinstance(rule_sets, list) else [rule_sets]
    for rule in (r for rs in sets for r in rs.rules):
        if evaluate(rule.when, facts) is True:
            impact = evaluate(rule.impact, facts) if rule.impact else None
            impact = float(impact) if isinstance(impact, (int, float)) and impact > 0 else None
            out.append(
                Recommendation(
                    rule,
                    _fill(rule.title, facts),
                    _fill(rule.why, facts),
                    impact,
                    _fill(rule.kpi, facts),
                    _fill(rule.done_when, facts),
                )
            )
    return sorted(out, key=lambda r: (PRIORITY_ORDER[r.rule.priority], -(r.impact or 0)))
