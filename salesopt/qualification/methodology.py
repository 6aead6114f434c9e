"""Which methodology fits (from the Stage 1 context) and the SPIN discovery guide.

Rules, from seed 000: MEDDIC/MEDDPICC for complex B2B sales; BANT early in the process at the SQL
stage. "Complex" here: B2B with a deal size of $25,000 or more, a cycle of 90 days or more, or a
buying committee of 4 or more; MEDDPICC rather than MEDDIC from $50,000, 180 days or 6 people
(paper process and competition matter more as deals grow). A transactional sale (B2C, or under
$5,000 with a cycle under 30 days) gets BANT or CHAMP only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from salesopt.content import contract as c
from salesopt.content.frameworks import Methodology
from salesopt.model.assessment import Assessment
from salesopt.report import fmt


@dataclass(frozen=True)
class Recommendation:
    framework_id: str
    role: str  # "primary" or "also"
    reasons: tuple[str, ...]


def _num(assessment: Assessment, stage: str, qid: str) -> float | None:
    v = assessment.section(stage).answers.get(qid)
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def recommend(assessment: Assessment) -> tuple[list[Recommendation], list[str]]:
    """Recommendations with their reasons, and the answers that are missing for a firmer one."""
    picked = assessment.context.answers.get(c.SALES_MODEL) or []
    model = picked if isinstance(picked, list) else [str(picked)]
    deal = _num(assessment, "context", c.AVG_DEAL_SIZE)
    cycle = _num(assessment, "context", c.SALES_CYCLE)
    committee = _num(assessment, "qualification", c.BUYING_COMMITTEE)
    missing = [
        label
        for label, v in (
            ("sales model (Stage 1)", model or None),
            ("average deal size (Stage 1)", deal),
            ("sales cycle (Stage 1)", cycle),
            ("buying committee size (Stage 3)", committee),
        )
        if v is None
    ]
    b2b = c.B2B in model
    why: list[str] = []
    if deal is not None and deal >= 25_000:
        cur = assessment.currency
        why.append(f"deals average {fmt.money(deal, cur)} (complex from {fmt.money(25_000, cur)})")
    if cycle is not None and cycle >= 90:
        why.append(f"the cycle is {fmt.days(cycle)} (complex from 90 days)")
    if committee is not None and committee >= 4:
        why.append(f"{committee:.0f} people decide (complex from 4)")
    out: list[Recommendation] = []
    if b2b and why:
        big = (deal or 0) >= 50_000 or (cycle or 0) >= 180 or (committee or 0) >= 6
        out.append(
            Recommendation(
                c.MEDDPICC if big else c.MEDDIC,
                "primary",
                ("complex B2B sale: " + "; ".join(why), "MEDDIC/MEDDPICC suit complex B2B sales")
                + (("large deals bring procurement (paper process) and competitors into play",) if big else ()),
            )
        )
        out.append(
            Recommendation(
                c.BANT,
                "also",
                ("BANT early in the process, at the SQL stage, to decide which deals get the full MEDDIC treatment",),
            )
        )
        return out, missing
    transactional = c.B2C in model or ((deal is not None and deal < 5_000) and (cycle is not None and cycle < 30))
    reasons: tuple[str, ...] = ("BANT early in the process, at the SQL stage",)
    if transactional:
        reasons += ("a transactional sale (B2C, or small deals with a short cycle) needs a light framework",)
    elif b2b:
        reasons += ("B2B but not complex by deal size, cycle or committee",)
    out.append(Recommendation(c.BANT, "primary", reasons))
    out.append(
        Recommendation(
            c.CHAMP,
            "also",
            (
                "starts from the buyer's challenges rather than the budget, "
                "which suits inbound and mid-market conversations",
            ),
        )
    )
    return out, missing


def spin_guide(spin: Methodology, assessment: Assessment, total: int = 14) -> list[tuple[str, str, list[str]]]:
    """(step name, purpose, questions) per SPIN type, in order, with question counts in the
    recommended ratio (the steps' ``share``); [pain] and [goal] are filled from the Stage 3 value
    selling answers (cost of the status quo, buyer objectives), else with plain words: no bracket
    reaches the client."""
    answers = assessment.qualification.answers
    fills = {  # the buyer's side, from the value selling answers; plain words until they are given
        "pain": _first_sentence(answers.get(c.COST_OF_STATUS_QUO)) or "the problem",
        "goal": _first_sentence(answers.get(c.BUYER_OBJECTIVES)) or "the outcome you want",
    }
    shares = sum(step.share for step in spin.steps)
    guide = []
    for step in spin.steps:
        n = max(1, round(total * step.share / shares))
        questions = [_fill(q, fills) for q in step.questions][:n]
        guide.append((step.name, step.purpose, questions))
    return guide


def _first_sentence(value: object) -> str | None:
    text = str(value or "").strip()
    return re.split(r"[.;\n]", text)[0].strip().rstrip(",") or None if text else None


def _fill(question: str, fills: Mapping[str, str | None]) -> str:
    def repl(match: re.Match[str]) -> str:
        key = match.group(1).lower()
        value = fills.get(key)
        return value if value else match.group(0)

    return re.sub(r"\[([^\]]+)\]", repl, question)


def spin_markdown(guide: list[tuple[str, str, list[str]]], title: str) -> str:
    lines = [
        f"# SPIN discovery guide: {title}",
        "",
        "Ask in this order: Situation, Problem, Implication, Need-payoff. Fewer situation questions, "
        "more problem, even more implication, most need-payoff.",
        "",
    ]
    for name, purpose, questions in guide:
        lines += [f"## {name}", "", f"_{purpose}_", ""] + [f"{i}. {q}" for i, q in enumerate(questions, 1)] + [""]
    return "\n".join(lines)
