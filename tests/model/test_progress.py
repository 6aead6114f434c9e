"""One progress definition: a stage's questions plus its closing question."""

from __future__ import annotations

from salesopt.content.frameworks import load_catalog
from salesopt.demo import demo_assessment
from salesopt.model import progress
from salesopt.model.assessment import Assessment

CATALOG = load_catalog()


def test_stage_progress_counts_the_closing_question_and_the_walk_uses_the_same_total():
    stage = CATALOG.stage("context")
    n = len(stage.questions())  # 23 questions + the closing question = 24
    assert progress.of_stage(Assessment(), stage) == progress.Progress(0, n + 1)
    assert progress.of_stage(demo_assessment(), stage).text == f"{n + 1} of {n + 1} answered"
    assert progress.position(stage, 0) == f"Question 1 of {n + 1}"
    assert progress.position(stage, n) == f"Question {n + 1} of {n + 1} (closing question)"
    assert progress.position(stage, n + 5) == progress.position(stage, n)


def test_engagement_sums_the_stages():
    stages = CATALOG.stages()
    total = sum(len(s.questions()) + 1 for s in stages)
    assert progress.of_engagement(Assessment(), stages) == progress.Progress(0, total)
    assert progress.Progress(0, 0).share == 0.0
