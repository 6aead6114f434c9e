"""Stage 3 · Qualification and methodology: BANT, MEDDIC/MEDDPICC, SPIN, value selling, objections."""

from ui import widgets

widgets.frame()

stage = widgets.require_stage("qualification")
assessment = widgets.require_assessment()
widgets.page_header(stage)
widgets.dialogue(stage, assessment)
