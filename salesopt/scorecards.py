"""The generic scorecard engine (METRICS.md §4): any framework file in frameworks/scorecards/,
including one a user adds, scores a deal the same way.

Total = sum of weight x level score over the scored elements; the tier is the highest one whose
``min_total`` the total reaches. Unscored elements count as missing: the result says which, and
the tier is provisional until they are scored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from salesopt.frameworks import Element, Scorecard, Tier


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
