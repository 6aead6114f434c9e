"""The generic scorecard engine (METRICS.md §4): any framework file in frameworks/scorecards/,
including one a user adds, scores a deal the same way.

Total = sum of weight x level score over the scored elements; the tier is the highest one whose
``min_total`` the total reaches. Unscored elements count as missing: the result says which, and
the tier is provisional until they are scored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from salesopt.content.frameworks import Element, Scorecard, Tier


@dataclass(frozen=True)
class ScoreResult:
    total: float
    max_total: float
    tier: Tier
    missing: tuple[Element, ...]
    weakest: Element | None
    next_questions: tuple[str, ...]

    @property
    def provisional(self) -> bool:
        return bool(self.missing)

    @property
    def share(self) -> float:
        return self.total / self.max_total if self.max_total else 0.0


class ScoreError(ValueError):
    """A score that is not on the element's scale."""


def tier_for(card: Scorecard, total: float) -> Tier:
    return [t for t in card.tiers if total >= t.min_total][-1]


def score(card: Scorecard, answers: Mapping[str, int | None], max_questions: int = 3) -> ScoreResult:
    """Score one deal: ``answers`` maps element id -> level score (None or absent = not scored)."""
    total = 0.0
    missing: list[Element] = []
    ratios: list[tuple[float, int, Element]] = []
    for i, element in enumerate(card.elements):
        value = answers.get(element.id)
        if value is None:
            missing.append(element)
            continue
        levels = [lv.score for lv in element.scale]
        if value not in levels:
            raise ScoreError(
                f"{card.name}: {element.name}: {value} is not on its scale ({', '.join(map(str, levels))})"
            )
        total += element.weight * value
        ratios.append((value / element.scale[-1].score if element.scale[-1].score else 1.0, i, element))
    weakest = min(ratios, key=lambda r: (r[0], r[1]))[2] if ratios else None
    if missing:
        ask = [q for e in missing for q in e.questions[:1]]
    elif weakest is not None and weakest.scale[-1].score and ratios and min(r[0] for r in ratios) < 1:
        ask = list(weakest.questions)
    else:
        ask = []
    return ScoreResult(
        total, card.max_total, tier_for(card, total), tuple(missing), weakest, tuple(ask[:max_questions])
    )


def score_pipeline(card: Scorecard, open_deals: pd.DataFrame, scores: Mapping[str, Mapping[str, int]]) -> pd.DataFrame:
    """Open deals with their framework scores: total, tier, suggested forecast category and the CRM
    probability adjusted by the tier (kept within 0-1), highest tier first, then total, then amount.
    Deals without any score are listed last with tier None."""
    rows = []
    for deal in open_deals.to_dict("records"):
        answers = scores.get(str(deal["opportunity_id"]), {})
        scored = {k: v for k, v in answers.items() if v is not None}
        result = score(card, scored) if scored else None
        p = deal.get("probability")
        p = None if p is None or pd.isna(p) else float(p)
        adjusted = None
        if result is not None and p is not None:
            adjusted = min(max(p + result.tier.probability_adjustment, 0.0), 1.0)
        rows.append(
            {
                "opportunity_id": deal["opportunity_id"],
                "name": deal.get("name"),
                "owner": deal.get("owner"),
                "stage": deal.get("stage"),
                "amount": deal.get("amount"),
                "total": None if result is None else result.total,
                "tier": None if result is None else result.tier.label,
                "suggested_category": None if result is None else result.tier.forecast_category,
                "crm_category": deal.get("forecast_category"),
                "crm_probability": p,
                "adjusted_probability": adjusted,
                "missing": "" if result is None else ", ".join(e.name for e in result.missing),
            }
        )
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    rank = {t.label: i for i, t in enumerate(card.tiers)}
    out["_rank"] = out["tier"].map(rank).fillna(-1)
    out = out.sort_values(["_rank", "total", "amount"], ascending=False, na_position="last", kind="stable")
    return out.drop(columns="_rank").reset_index(drop=True)


def with_custom(shipped: Mapping[str, Scorecard], texts: list[str]) -> dict[str, Scorecard]:
    """The shipped scorecards plus the valid user-added ones (by id; a shipped id is never replaced)."""
    from salesopt.content.frameworks import validate_text

    cards = dict(shipped)
    for i, text in enumerate(texts):
        card, problems = validate_text(text, Scorecard, f"custom framework {i + 1}")
        if card is not None and not problems and card.id not in cards:
            cards[card.id] = card
    return cards


def check_custom(shipped: Mapping[str, Scorecard], texts: list[str], text: str, name: str) -> list[str]:
    """Every problem with a scorecard YAML a user adds (file, line, field, what is wrong); [] if it is fine."""
    from salesopt.content.frameworks import validate_text

    card, problems = validate_text(text, Scorecard, name)
    if problems:
        return [str(p) for p in problems]
    assert card is not None
    if card.id in with_custom(shipped, texts):
        return [f"{name}: id: '{card.id}' is already used by another framework; give it another id"]
    return []
