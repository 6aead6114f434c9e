"""The base of every content schema: frozen (content is shared, never changed in place) and strict
(an unknown field is an error, so a misspelt key in a YAML file is reported, not ignored)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class ContentModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
