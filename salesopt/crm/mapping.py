"""Mapping: which column of an export holds which field of the opportunity table."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from salesopt.crm.fields import SYNONYMS


def normalise_header(header: str) -> str:
    """Lower case, letters and digits only, Pipedrive's "Deal - " prefix removed."""
    h = header.strip().lower()
    h = re.sub(r"^deal\s*-\s*", "", h)
    return re.sub(r"[^a-z0-9]", "", h)


def auto_map(columns: Iterable[str], synonyms: Mapping[str, tuple[str, ...]] = SYNONYMS) -> dict[str, str]:
    """field -> column, by known CRM labels and API names; each column used once."""
    by_norm: dict[str, str] = {}
    for col in columns:
        by_norm.setdefault(normalise_header(col), col)
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for fld, names in synonyms.items():
        for syn in names:
            found = by_norm.get(syn)
            if found is not None and found not in used:
                mapping[fld] = found
                used.add(found)
                break
    return mapping
