"""The recommendations engine: rules in frameworks/recommendations/*.yaml turn the assessment's
figures and answers (the *facts*) into recommendations for the plan.

A rule's ``when`` and ``impact`` are small expressions over the facts, written in the language of
salesopt/expr.py (checked when the rule files load); a fact that is missing (None) makes the
condition false, so a rule stays quiet when the data to judge it is not there.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from salesopt import fmt
from salesopt.expr import ExpressionError, check_expression, evaluate
from salesopt.frameworks import RecommendationRule, RuleSet

__all__ = ["PHASES", "PRIORITY_ORDER", "ExpressionError", "Recommendation", "check_expression", "evaluate", "run"]

PRIORITY_ORDER = {"high": 0, "medium": 1, "low": 2}
PHASES = (
    ("quick_wins", "Quick Wins (Month 1)"),
    ("foundation", "Foundation (Months 2-3)"),
    ("optimization", "Optimization (Months 4-6)"),
    ("scale", "Scale (Months 7-12)"),
)


@dataclass(frozen=True)
class Recommendation:
    rule: RecommendationRule
    title: str
    why: str
    impact: float | None


def _fill(template: str, facts: Mapping[str, Any]) -> str:
    """'{win_rate:%}' style placeholders from the facts; a missing one stays as it is."""
    import re

    def repl(m: re.Match[str]) -> str:
        name, _, spec = m.group(1).partition(":")
        value = facts.get(name)
        if value is None:
            return m.group(0)
        if spec == "%":
            return f"{value * 100:.1f}%".replace(".0%", "%")
        if spec == "$":  # money, in the assessment's currency (the 'currency' fact)
            return fmt.money(float(value), str(facts.get("currency") or "USD"))
        if isinstance(value, float):
            return f"{value:,.1f}".removesuffix(".0")
        return str(value)

    return re.sub(r"\{([a-z_]+(?::[%$])?)\}", repl, template)


def run(rule_sets: RuleSet | list[RuleSet], facts: Mapping[str, Any]) -> list[Recommendation]:
    """The rules that fire, highest priority first, then the largest money impact."""
    out = []
    sets = rule_sets if isinstance(rule_sets, list) else [rule_sets]
    for rule in (r for rs in sets for r in rs.rules):
        if evaluate(rule.when, facts) is True:
            impact = evaluate(rule.impact, facts) if rule.impact else None
            impact = float(impact) if isinstance(impact, (int, float)) and impact > 0 else None
            out.append(Recommendation(rule, _fill(rule.title, facts), _fill(rule.why, facts), impact))
    return sorted(out, key=lambda r: (PRIORITY_ORDER[r.rule.priority], -(r.impact or 0)))
