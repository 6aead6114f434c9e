"""The rule expression language: the facts it may name and a safe evaluator for it.

A recommendation rule's ``when`` and ``impact`` (frameworks/recommendations/*.yaml) are small
expressions over the *facts*: numbers, strings, names of facts, arithmetic, comparisons,
and/or/not, ``in``; nothing else (no calls, no attributes, no subscripts). Python's ast reads them
against a whitelist. A fact that is missing (None) makes the condition false, so a rule stays quiet
when the data to judge it is not there.

This module is a leaf (it imports nothing from salesopt): the framework loader checks each
expression with :func:`check_expression` when the YAML loads, and the recommendations engine
evaluates it with :func:`evaluate`; :data:`FACTS` is the one list of names both rely on, and
salesopt/rules/facts.py fills exactly those names.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from typing import Any, Literal

FactKind = Literal["flag", "number", "share", "money", "days", "text"]

FACTS: dict[str, FactKind] = {
    # the assessment itself
    "currency": "text",
    # Stage 1: context answers
    "b2b": "flag",
    "deal_size": "money",
    "reps": "number",
    "sdrs": "number",
    "attainment": "share",
    "revenue": "money",
    # Stage 2: the CRM analysis when there is one, else the Stage 1 answers
    "win_rate": "share",
    "cycle": "days",
    "coverage": "number",
    "required_coverage": "number",
    "won_revenue": "money",
    "target": "money",
    "first_conversion": "share",
    "leak_from": "text",
    "leak_to": "text",
    "leak_conversion": "share",
    "leak_benchmark": "share",
    "leak_shortfall": "share",
    "leak_revenue": "money",
    "competitor_loss_share": "share",
    "no_decision_share": "share",
    "lost_without_stage_share": "share",
    "rep_win_rate_spread": "share",
    # the chosen benchmark set (frameworks/benchmarks), so no range is written in a rule
    "win_rate_low": "share",
    "win_rate_high": "share",
    "win_rate_range": "text",
    "coverage_low": "number",
    "coverage_high": "number",
    "coverage_range": "text",
    # Stage 3: qualification
    "bant_in_use": "text",
    "meddpicc_use": "text",
    "recommended": "text",
    "business_case": "flag",
    "spin_answers": "number",
    "price_objection": "flag",
    # Stage 4: enablement
    "content_gap_max": "share",
    "weakest_phase": "text",
    "leak_content_missing": "number",
    "conversation_intel": "text",
    "onboarding_weeks": "number",
    "sops_documented": "share",
    "lead_response_days": "days",
    # Stage 5: performance
    "metrics_tracked": "number",
    "activity_metrics_tracked": "number",
    "forecast_bias": "share",
    "negative_bias": "share",
    "win_loss": "text",
    "cadence_defined": "flag",
    "struggling_share": "share",
}
"""Every fact a rule may name, with what kind of value it holds."""

_BIN: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}
_CMP: dict[type[ast.cmpop], Callable[[Any, Any], bool]] = {
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
}
_ALLOWED: tuple[type[ast.AST], ...] = (
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
)


class ExpressionError(ValueError):
    """An expression that uses something the evaluator does not allow, or names an unknown fact."""


class _Missing(Exception):
    pass


def names(text: str) -> set[str]:
    """The fact names an expression reads (the expression must parse)."""
    return {n.id for n in ast.walk(ast.parse(text, mode="eval")) if isinstance(n, ast.Name)}


def check_expression(text: str, known: Mapping[str, object] | None = None) -> None:
    """Raise ExpressionError if ``text`` is not an allowed expression or names a fact not in
    ``known`` (default :data:`FACTS`); used when the rule files load."""
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"not a valid expression: {exc.msg}") from None
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED):
            raise ExpressionError(f"'{type(node).__name__}' is not allowed in a rule expression")
    facts = FACTS if known is None else known
    unknown = sorted(names(text) - set(facts))
    if unknown:
        raise ExpressionError(
            f"unknown fact {', '.join(repr(u) for u in unknown)} (check the spelling; "
            f"known facts: {', '.join(sorted(facts))})"
        )


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
