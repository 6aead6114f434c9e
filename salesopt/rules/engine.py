"""The recommendations engine: rules in frameworks/recommendations/*.yaml turn the assessment's
figures and answers (the *facts*) into recommendations for the plan.

A rule's ``when`` and ``impact`` are small expressions over the facts, written in the language of
salesopt/rules/expr.py (checked when the rule files load); a fact that is missing (None) makes the
condition false, so a rule stays quiet when the data to judge it is not there.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from salesopt.content.frameworks import RecommendationRule, RuleSet
from salesopt.report import fmt
from salesopt.rules.expr import ExpressionError, check_expression, evaluate

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
    kpi: str = ""
    done_when: str = ""


def _fill(template: str, facts: Mapping[str, Any]) -> str:
    """'{win_rate:%}' style placeholders from the facts ('{deal_size:$}' as money in the facts'
    ``currency``, '{cycle:d}' as days); a missing one stays as it is (the plan leaves such a reason out)."""
    import re

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
