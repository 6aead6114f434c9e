"""CRM profiles (frameworks/crm/): how one CRM writes one kind of export, so the importer reads it
right with no options: the headers that recognise it, which column plays each role of the
opportunity table (METRICS.md §1) and which wins when several could, the words its outcome and
stage columns use for won, lost, closed without a win, open and on hold, the unit of its amounts,
its stage set, and the rows of its layout that are not deals. A user adds a CRM by adding a file."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from salesopt.content.schemas.base import ContentModel

# the opportunity table's fields (METRICS.md §1), the one list: salesopt.crm.fields reads it from here
ROLE_FIELDS: tuple[str, ...] = (
    "opportunity_id",
    "name",
    "owner",
    "stage",
    "amount",
    "currency",
    "created_date",
    "close_date",
    "actual_close_date",
    "won_time",
    "lost_time",
    "lost_at_stage",
    "loss_reason",
    "competitor",
    "segment",
    "region",
    "product",
    "lead_source",
    "team",
    "probability",
    "forecast_category",
    "status",
    "is_won",
    "is_closed",
    "entered_at",
    "next_step",
    "active",
)


class Recognise(ContentModel):
    """Headers that say a file is this CRM's export (compared ignoring case, spaces and punctuation)."""

    all: tuple[str, ...] = Field(min_length=1, description="Every one of these headers is in the file.")
    any: tuple[str, ...] = Field((), description="And at least one of these, when any are given.")


class Outcomes(ContentModel):
    """The words the CRM's outcome column (and its stage column) uses, compared ignoring case and
    spacing. A closed-without-a-win word (abandoned, canceled, out-sold) makes the deal lost,
    with that word as its loss reason when it has none; on hold counts as open."""

    won: tuple[str, ...] = Field((), description="Words meaning won.")
    lost: tuple[str, ...] = Field((), description="Words meaning lost.")
    closed_without_win: tuple[str, ...] = Field(
        (), description="Words meaning closed without a win: lost, with the word as the loss reason."
    )
    open: tuple[str, ...] = Field((), description="Words meaning still open.")
    on_hold: tuple[str, ...] = Field((), description="Words meaning paused: counted as open.")

    @model_validator(mode="after")
    def _disjoint(self) -> Outcomes:
        seen: dict[str, str] = {}
        for kind in ("won", "lost", "closed_without_win", "open", "on_hold"):
            for word in getattr(self, kind):
                key = " ".join(word.lower().split())
                if key in seen and seen[key] != kind:
                    raise ValueError(f"'{word}' is both {seen[key]} and {kind}")
                seen[key] = kind
        return self


class SkipRows(ContentModel):
    """Rows of a board-style export that are not deals (monday.com): skipped and counted, not rejected."""

    repeated_headers: bool = Field(False, description="A row repeating the header (one per group) is skipped.")
    group_titles: bool = Field(False, description="A row with only its first cell filled (a group's title) is skipped.")
    subitems: str | None = Field(
        None,
        description="The first-cell text that starts a block of subitem rows (monday.com: 'Subitems'); that row "
        "and the rows after it with an empty first cell are skipped.",
    )


class CrmProfile(ContentModel):
    """One CRM's export of deals (or of their stage history)."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Stable id, also the --profile name.")
    title: str = Field(min_length=1, description="What the file is, as 'Read as a <title> export' says it.")
    source: str = Field(
        min_length=1, description="The vendor's public documentation of the export or its field names (a URL)."
    )
    notes: str | None = Field(None, description="What the documentation says that the profile relies on.")
    recognise: Recognise | None = Field(
        None, description="Headers that recognise the file; none: the fallback profile, used when no other fits."
    )
    columns: dict[str, tuple[str, ...]] = Field(
        default_factory=dict,
        description="Field of the opportunity table -> the headers that can hold it, the one to prefer first "
        "(actual close before expected close; a converted amount before the per-deal amount). Fields not "
        "named here are found by the importer's generic column names.",
    )
    converted_amounts: tuple[str, ...] = Field(
        (),
        description="Amount headers already in one (the company's) currency: read, they make the currency column moot.",
    )
    amount_unit: float = Field(
        1.0, gt=0, description="What one unit of the amount column is worth (0.01: the amounts are in cents)."
    )
    outcomes: Outcomes = Field(default_factory=Outcomes, description="The outcome words of this CRM.")
    stage_set: str | None = Field(
        None, description="The stage set (frameworks/stage_sets/) with this CRM's stage order and probabilities."
    )
    history: Literal["none", "rows", "date_entered_columns"] = Field(
        "none",
        description="rows: the file has one row per stage change (a stage history) and is read as one; "
        "date_entered_columns: one 'Date entered <stage>' column per stage (HubSpot) gives the history.",
    )
    ignore: tuple[str, ...] = Field((), description="Headers never read as any field (a history row's own id).")
    skip_rows: SkipRows = Field(default_factory=SkipRows, description="Rows of the layout that are not deals.")

    @field_validator("columns")
    @classmethod
    def _known_fields(cls, value: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        for fld, headers in value.items():
            if fld not in ROLE_FIELDS:
                raise ValueError(f"unknown field '{fld}'; fields are {', '.join(ROLE_FIELDS)}")
            if not headers:
                raise ValueError(f"'{fld}' names no header")
        return value

    @model_validator(mode="after")
    def _history_has_its_columns(self) -> CrmProfile:
        if self.history == "rows" and not {"opportunity_id", "stage", "entered_at"} <= set(self.columns):
            raise ValueError("history 'rows' needs opportunity_id, stage and entered_at columns")
        return self
