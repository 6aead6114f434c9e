"""Stage 4 · Enablement and tools: content, playbooks, tech stack, training, process documentation."""

from ui import widgets

widgets.frame()

stage = widgets.require_stage("enablement")
assessment = widgets.require_assessment()
widgets.page_header(stage)
widgets.dialogue(stage, assessment)
