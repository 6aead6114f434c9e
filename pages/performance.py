"""Stage 5 · Performance management: metrics, dashboards, forecasting, people, improvement cadence."""

from ui import widgets

widgets.frame()

stage = widgets.require_stage("performance")
assessment = widgets.require_assessment()
widgets.page_header(stage)
widgets.dialogue(stage, assessment)
