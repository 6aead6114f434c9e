"""The opportunity table's vocabulary (METRICS.md §1): its fields, the column names CRMs give
them, and the stage names CRMs use for won and lost. Plain data, no behaviour."""

from __future__ import annotations

# the opportunity table's fields: the one list lives with the CRM profiles' schema (the content
# layer, below this one), which names the fields a profile may map
from salesopt.content.schemas.crm import ROLE_FIELDS

FIELDS: tuple[str, ...] = ROLE_FIELDS

DATE_FIELDS = ("created_date", "close_date", "actual_close_date", "won_time", "lost_time", "entered_at")
BOOL_FIELDS = ("is_won", "is_closed", "active")
NUMBER_FIELDS = ("amount", "probability")
TEXT_FIELDS = tuple(f for f in FIELDS if f not in (*DATE_FIELDS, *BOOL_FIELDS, *NUMBER_FIELDS))
COHORT_FIELDS = ("owner", "segment", "region", "product", "lead_source", "team")
# fields a deal can do without: an unreadable cell in one of these is emptied, never the deal dropped
PARSED_FIELDS = (*NUMBER_FIELDS, *DATE_FIELDS, *BOOL_FIELDS)

# When an export has no column for a field, a column that stands in for it (with a note in the
# report saying so): Maven-style pipelines date a deal from when it was first engaged.
STAND_INS: dict[str, tuple[str, ...]] = {
    "created_date": ("engagedate", "engagementdate", "firstengaged", "firstengageddate", "opendate", "openeddate"),
}

# Normalised header (lower case, letters and digits only, Pipedrive's "Deal - " prefix removed)
# -> field. Earlier synonyms win when several columns match one field.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "opportunity_id": (
        "opportunityid",
        "id",
        "dealid",
        "recordid",
        "hsobjectid",
        "oppid",
        "opportunitynumber",
        "dealnumber",
    ),
    "name": ("opportunityname", "name", "dealname", "title", "dealtitle", "leadname", "subject"),
    "owner": (
        "opportunityowner",
        "owner",
        "dealowner",
        "hubspotownerid",
        "ownername",
        "ownerfullname",
        "ownerid",
        "salesagent",
        "salesperson",
        "salesrep",
        "rep",
        "accountexecutive",
        "assignedto",
        "user",
    ),
    "stage": (
        "stage",
        "stagename",
        "dealstage",
        "opportunitystage",
        "pipelinestage",
        "salesstage",
        "stagelabel",
    ),
    "amount": (
        "amountconverted",
        "amountincompanycurrency",
        "amountinhomecurrency",
        "basecurrencyamount",
        "amount",
        "value",
        "dealvalue",
        "dealamount",
        "closevalue",
        "revenue",
        "opportunityamount",
        "forecastedmonthlyrevenue",
        "acv",
        "totalcontractvalue",
        "estrevenue",
        "estimatedrevenue",
    ),
    "currency": (
        "currency",
        "currencyisocode",
        "dealcurrency",
        "amountcurrency",
        "opportunitycurrency",
        "currencyofvalue",
        "valuecurrency",
    ),
    "created_date": (
        "createddate",
        "createdate",
        "dealcreated",
        "dealcreatedon",
        "created",
        "createdon",
        "createdat",
        "opportunitycreateddate",
        "dealcreatedate",
        "addtime",
        "createdtime",
        "datecreated",
    ),
    "close_date": (
        "closedate",
        "expectedclosedate",
        "closingdate",
        "estclosedate",
        "estimatedclosedate",
        "forecastclosedate",
        "targetclose",
        "closetime",
    ),
    # the day a deal actually closed: wins over the expected close date where both are given
    "actual_close_date": ("actualclosedate", "dealclosedon", "closedon", "closeddate", "dateclosed"),
    "won_time": ("wontime", "wondate", "dealwontime", "datewon"),
    "lost_time": ("losttime", "lostdate", "deallosttime"),
    "lost_at_stage": ("lostatstage", "loststage", "stagelostat", "closedloststage", "stagebeforeloss"),
    "loss_reason": ("lossreason", "lostreason", "closedlostreason", "reasonlost", "closelostreason"),
    "competitor": ("competitor", "competitors", "maincompetitors", "maincompetitorsc", "lostto"),
    "segment": ("segment", "customersegment", "marketsegment", "companysize", "type", "opportunitytype"),
    "region": ("region", "territory", "regionaloffice", "geo", "country"),
    "product": ("product", "productname", "productfamily", "products"),
    "lead_source": ("leadsource", "source", "originalsource", "originalsourcetype", "dealsource", "channel"),
    "team": ("team", "salesteam", "pod", "manager"),
    "probability": (
        "probability",
        "probabilitypercent",
        "dealprobability",
        "hsdealstageprobability",
        "dealstageprobability",
        "winprobability",
    ),
    "forecast_category": ("forecastcategoryname", "forecastcategory", "hsforecastcategory", "forecast"),
    "status": ("status", "dealstatus", "opportunitystatus", "outcome", "wonlost", "result"),
    "is_won": ("iswon", "won"),
    "is_closed": ("isclosed", "closed", "closedopportunity"),
    "entered_at": ("enteredat", "stageentered", "stagedate", "date", "changedate", "stagechangedate"),
    "next_step": ("nextstep", "nextsteps", "nextactivity", "nextactivitydate"),
}
HISTORY_SYNONYMS: dict[str, tuple[str, ...]] = {
    "opportunity_id": ("opportunityid", "dealid", "id", "recordid"),
    "stage": ("stagename", "stage", "dealstage", "opportunitystage", "tostage", "newvalue"),
    "entered_at": ("createddate", "enteredat", "date", "changedate", "stagedate", "createddateforinsert"),
    "amount": ("amount",),
}

# amount columns already converted to one (the company's) currency: read, they make a per-deal
# currency column moot (normalised headers)
CONVERTED_AMOUNTS = frozenset(
    {"amountconverted", "amountincompanycurrency", "amountinhomecurrency", "basecurrencyamount"}
)

# stage names compared lower case with single spaces
WON_NAMES = frozenset(
    {"converted", "closed won", "closedwon", "won", "closed-won", "deal won", "closed - won", "closed/won"}
)
LOST_NAMES = frozenset(
    {
        "not converted",
        "closed lost",
        "closedlost",
        "lost",
        "closed-lost",
        "deal lost",
        "closed - lost",
        "closed/lost",
        "disqualified",
    }
)
# a status column's words
STATUS_WON = frozenset({"won", "closed won", "closedwon", "win", "closed - won", "closed-won"})
STATUS_LOST = frozenset({"lost", "closed lost", "closedlost", "loss", "closed - lost", "closed-lost"})
STATUS_OPEN = frozenset({"open", "active", "in progress", "pending"})
TRUE_WORDS = frozenset({"true", "1", "yes", "y", "t", "x", "won", "1.0"})
FALSE_WORDS = frozenset({"false", "0", "no", "n", "f", "0.0"})
