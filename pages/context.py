"""Stage 1 · Sales context: business model, organization, performance and challenges, one aspect at a time."""

from salesopt.report.figures import context_figures
from ui import funnel_ui, widgets

widgets.frame()

stage = widgets.require_stage("context")
assessment = widgets.require_assessment()
widgets.page_header(stage)
widgets.dialogue(stage, assessment, context_figures(assessment, funnel_ui.benchmark(assessment)))
