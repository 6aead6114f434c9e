"""Progress in one definition, used by every counter on screen (the sidebar, the workshop banner,
the question counter, Home): a stage's questions plus its closing question, answered or not.

A stage with 23 questions and a closing question counts 24; "answered" is a non-empty answer (the
closing question once its text is not blank). The workshop counter walks the same 24 positions: the
questions one by one, then the stage summary with its closing question as the last.
"""

from __future__ import annotations

from dataclasses import dataclass

from salesopt.content.frameworks import Stage
from salesopt.model.assessment import Assessment, stage_progress


@dataclass(frozen=True)
class Progress:
    """Answered of total (closing questions included)."""

    answered: int
    total: int

    @property
    def share(self) -> float:
        return self.answered / self.total if self.total else 0.0

    @property
    def text(self) -> str:
        return f"{self.answered} of {self.total} answered"


def of_stage(assessment: Assessment, stage: Stage) -> Progress:
    """The stage's progress: its questions and its closing question."""
    return Progress(*stage_progress(assessment, stage))


def of_engagement(assessment: Assessment, stages: list[Stage]) -> Progress:
    """All stages together, the same definition summed."""
    parts = [of_stage(assessment, s) for s in stages]
    return Progress(sum(p.answered for p in parts), sum(p.total for p in parts))


def position(stage: Stage, step: int) -> str:
    """Where the workshop walk stands, on the same total: 'Question 3 of 24'; the last position is
    the closing question on the stage summary."""
    total = len(stage.questions()) + 1
    step = max(0, min(step, total - 1))
    return f"Question {step + 1} of {total}" + (" (closing question)" if step == total - 1 else "")
