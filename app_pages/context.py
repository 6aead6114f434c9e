"""Stage 1 · Sales context: business model, organization, performance and challenges, one aspect at a time."""

from salesopt.report.figures import context_figures
from ui import dialogue_ui, funnel_ui, page

page.frame()

stage = page.require_stage("context")
assessment = page.require_assessment()
page.header(stage)
dialogue_ui.dialogue(stage, assessment, context_figures(assessment, funnel_ui.benchmark(assessment)))
