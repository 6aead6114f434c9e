"""CRM profiles (frameworks/crm/*.yaml, schema in salesopt.content.schemas.crm): which CRM wrote a
file, recognised by its headers, and what that says about its columns, outcome words, amount unit,
stage set and layout. The profile chosen drives the mapping; the generic column names
(:mod:`salesopt.crm.fields`) fill in the fields it does not name."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from salesopt.crm.table import CrmError

if TYPE_CHECKING:
    from salesopt.content.schemas.crm import CrmProfile

GENERIC = "generic"  # the fallback profile's id (frameworks/crm/generic.yaml)


def header_key(header: str) -> str:
    """A header compared ignoring case, spaces and punctuation ("Deal - Won time" is "dealwontime")."""
    return re.sub(r"[^a-z0-9]", "", header.strip().lower())


def word_key(word: str) -> str:
    """An outcome or stage word compared ignoring case and spacing."""
    return " ".join(str(word).lower().replace("_", " ").split())


@lru_cache(maxsize=4)
def profiles(directory: Path | None = None) -> tuple[CrmProfile, ...]:
    """The valid profiles of frameworks/crm/, in file order (an invalid file is reported by
    `salesopt frameworks check` and when the app loads, and left out here). Only the CRM schema
    is loaded: the command line should not pay for every content schema at start-up."""
    import yaml
    from pydantic import ValidationError

    from salesopt.content.paths import FRAMEWORKS_DIR, SAFE_LOADER
    from salesopt.content.schemas.crm import CrmProfile

    out: dict[str, CrmProfile] = {}
    for path in sorted(((directory or FRAMEWORKS_DIR) / "crm").glob("*.y*ml")):
        try:
            text = path.read_text(encoding="utf-8")
            data = yaml.load(text, Loader=SAFE_LOADER)  # noqa: S506 - a safe loader
            profile = CrmProfile.model_validate(data)
        except (OSError, UnicodeDecodeError, yaml.YAMLError, ValidationError):
            continue
        out.setdefault(profile.id, profile)
    return tuple(out.values())


def by_name(name: str, directory: Path | None = None) -> CrmProfile:
    """The profile a user named (its id or its title, case ignored); CrmError when none is."""
    known = profiles(directory)
    key = name.strip().lower()
    for p in known:
        if key in (p.id, p.title.lower()):
            return p
    raise CrmError(f"--profile {name}: unknown CRM profile; choose one of {', '.join(p.id for p in known)}")


def recognise(columns: Sequence[str], directory: Path | None = None) -> CrmProfile | None:
    """The profile whose headers the file has (the one requiring the most, then the one whose
    optional headers are there, then the first in file order), else the fallback profile (the
    one that names no headers), else None."""
    keys = {header_key(c) for c in columns}
    best: tuple[int, CrmProfile] | None = None
    fallback = None
    for p in profiles(directory):
        if p.recognise is None:
            fallback = fallback or p
            continue
        if not all(header_key(h) in keys for h in p.recognise.all):
            continue
        if p.recognise.any and not any(header_key(h) in keys for h in p.recognise.any):
            continue
        score = 2 * len(p.recognise.all) + int(bool(p.recognise.any))  # a required header outweighs an optional one
        if best is None or score > best[0]:
            best = (score, p)
    return best[1] if best else fallback


def profile_mapping(profile: CrmProfile, columns: Sequence[str]) -> dict[str, str]:
    """field -> column as the profile says: for each field the first of its headers the file has;
    each column used once."""
    by_key: dict[str, str] = {}
    for col in columns:
        by_key.setdefault(header_key(col), col)
    out: dict[str, str] = {}
    used: set[str] = set()
    for fld, headers in profile.columns.items():
        found = next((by_key[k] for k in map(header_key, headers) if k in by_key and by_key[k] not in used), None)
        if found is not None:
            out[fld] = found
            used.add(found)
    return out


def ignored(profile: CrmProfile | None, columns: Iterable[str]) -> set[str]:
    """The file's columns the profile says are never a field."""
    if profile is None:
        return set()
    keys = {header_key(h) for h in profile.ignore}
    return {c for c in columns if header_key(c) in keys}


def outcome_words(profile: CrmProfile | None) -> dict[str, str]:
    """word -> 'won' / 'lost' / 'closed_without_win' / 'open' / 'on_hold': the fallback profile's
    words, then this profile's (which win where they differ)."""
    out: dict[str, str] = {}
    sources = [p for p in profiles() if p.recognise is None][:1]
    if profile is not None and profile not in sources:
        sources.append(profile)
    for p in sources:
        for kind in ("won", "lost", "closed_without_win", "open", "on_hold"):
            for w in getattr(p.outcomes, kind):
                out[word_key(w)] = kind
    return out


def article(title: str) -> str:
    """'a' or 'an' before a profile's title ("an Insightly", "a Zoho")."""
    return "an" if title[:1].lower() in "aeio" else "a"
