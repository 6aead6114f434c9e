"""Stage 2 · Funnel analysis: funnel stages, metrics, health, conversions, losses and scoring."""

from ui import widgets

widgets.frame()

stage = widgets.require_stage("funnel")
assessment = widgets.require_assessment()
widgets.page_header(stage)
widgets.dialogue(stage, assessment)
