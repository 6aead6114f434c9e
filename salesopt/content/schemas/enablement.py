"""Stage 4's content schema (frameworks/enablement/): content by sales phase, playbook kinds, the tech
stack's tool categories, the onboarding plan and the SOPs."""

from __future__ import annotations

from pydantic import Field

from salesopt.content.schemas.base import ContentModel


class ContentItem(ContentModel):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Stable id.")
    name: str = Field(min_length=1, description="The asset, e.g. 'Proposal templates'.")
    helps: tuple[str, ...] = Field((), description="Funnel stage names whose exit this asset supports (leak links).")


class ContentPhase(ContentModel):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Stable id.")
    name: str = Field(min_length=1, description="Sales phase, e.g. 'Discovery'.")
    items: tuple[ContentItem, ...] = Field(min_length=1, description="Content the phase needs.")


class PlaybookKind(ContentModel):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Stable id.")
    name: str = Field(min_length=1, description="Playbook kind, e.g. 'Persona-based'.")
    columns: tuple[str, ...] = Field(min_length=1, description="What each entry records.")


class ToolCategory(ContentModel):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Stable id.")
    name: str = Field(min_length=1, description="Category, e.g. 'CRM system'.")
    examples: str = Field(min_length=1, description="Example products.")
    purpose: str = Field(min_length=1, description="What the category is for.")


class OnboardingPhase(ContentModel):
    name: str = Field(min_length=1, description="What the new hire does.")
    start_week: int = Field(ge=1, description="First week (1-based).")
    weeks: int = Field(ge=1, description="Length in weeks.")


class Sop(ContentModel):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Stable id.")
    name: str = Field(min_length=1, description="The procedure.")
    target: str = Field("", description="The default target, e.g. 'first touch within 1 business day'.")


class EnablementKit(ContentModel):
    """Stage 4 content: content by phase, playbook kinds, tech stack, onboarding plan and SOPs."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Stable id.")
    source: str = Field(min_length=1, description="Where the content comes from.")
    content: tuple[ContentPhase, ...] = Field(min_length=1)
    playbooks: tuple[PlaybookKind, ...] = Field(min_length=1)
    tech_stack: tuple[ToolCategory, ...] = Field(min_length=1)
    onboarding: tuple[OnboardingPhase, ...] = Field(min_length=1)
    sops: tuple[Sop, ...] = Field(min_length=1)
