"""Stage mapping: the order of a CRM's stages, which mean won and which lost, and each stage's
default win probability (METRICS.md §1-§3).

Stage names are compared ignoring case and spacing. The known stage sets (Salesforce, HubSpot,
Pipedrive, ...) are YAML in frameworks/stage_sets/; what a deal's stage makes of it (status,
furthest stage) is computed in SQL by :mod:`salesopt.funnel.sql`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from salesopt.crm.fields import LOST_NAMES, WON_NAMES


def norm(stage: str) -> str:
    """A stage name compared ignoring case and spacing ("Closed  won" is "closed won")."""
    return " ".join(str(stage).lower().replace("_", " ").split())


def _key(stage: str) -> str:
    return "".join(ch for ch in str(stage).lower() if ch.isalnum())


@dataclass(frozen=True)
class StageMap:
    """Funnel stages in order (the won stage last), the won stages, the lost stages, and the
    default probability of open stages (from a known stage set or set by the user)."""

    order: tuple[str, ...]
    won: frozenset[str]
    lost: frozenset[str]
    notes: tuple[str, ...] = field(default=(), compare=False)
    probabilities: tuple[tuple[str, float], ...] = ()
    source: str | None = field(default=None, compare=False)  # the stage set recognised

    @property
    def funnel(self) -> tuple[str, ...]:
        """The order with every won stage folded into one final position."""
        open_stages = [s for s in self.order if s not in self.won and s not in self.lost]
        won = [s for s in self.order if s in self.won] or sorted(self.won)
        return (*open_stages, won[0]) if won else tuple(open_stages)

    def index(self) -> dict[str, int]:
        """Stage name (as written, and its case/spacing-free key) -> funnel position."""
        funnel = self.funnel
        idx = {s: i for i, s in enumerate(funnel)}
        for s in self.won:
            idx[s] = len(funnel) - 1
        return idx

    def position(self, stage: str) -> int | None:
        """The funnel position of a stage as an export writes it (case and spacing ignored)."""
        keys = {norm(s): i for s, i in self.index().items()}
        return keys.get(norm(stage))

    def is_won(self, stage: str) -> bool:
        return norm(stage) in {norm(s) for s in self.won}

    def is_lost(self, stage: str) -> bool:
        return norm(stage) in {norm(s) for s in self.lost}

    def probability(self, stage: str) -> float | None:
        return {norm(s): p for s, p in self.probabilities}.get(norm(stage))


@dataclass(frozen=True)
class KnownSet:
    id: str
    title: str
    stages: tuple[str, ...]
    aliases: Mapping[str, str]  # key -> stage name
    probabilities: Mapping[str, float]
    won: tuple[str, ...]
    lost: tuple[str, ...]
    match_alone: bool = True  # False: used only when a CRM profile names it


@lru_cache(maxsize=4)
def known_sets(directory: Path | None = None) -> tuple[KnownSet, ...]:
    """The stage sets of frameworks/stage_sets/ (YAML), in file order. Read with the safe YAML
    loader alone: the command line should not pay for the schema library at start-up; the files
    are checked against their schema by `salesopt frameworks check` and when the app loads."""
    import yaml

    from salesopt.content.paths import FRAMEWORKS_DIR, SAFE_LOADER

    out = []
    for path in sorted(((directory or FRAMEWORKS_DIR) / "stage_sets").glob("*.y*ml")):
        try:
            text = path.read_text(encoding="utf-8")
            data = yaml.load(text, Loader=SAFE_LOADER)  # noqa: S506 - a safe loader
            stages = [
                (str(st["name"]), st.get("probability"), [str(a) for a in st.get("aliases", [])])
                for st in data["stages"]
            ]
            won, lost = [str(w) for w in data["won"]], [str(x) for x in data.get("lost", [])]
        except (OSError, yaml.YAMLError, KeyError, TypeError):
            continue  # an invalid file is reported by the schema check, and left out here
        aliases = {}
        for name, _, extra in stages:
            aliases[_key(name)] = name
            aliases.update({_key(a): name for a in extra})
        out.append(
            KnownSet(
                str(data.get("id", path.stem)),
                str(data.get("title", path.stem)),
                tuple(n for n, _, _ in stages),
                aliases,
                {n: float(p) for n, p, _ in stages if p is not None},
                tuple(won),
                tuple(lost),
                bool(data.get("match_alone", True)),
            )
        )
    return tuple(out)


def default_probabilities(stages: Iterable[str]) -> tuple[tuple[str, float], ...]:
    """Default probabilities of the given open stages from the known set that names every one
    of them (none when no single set does: a guess from another CRM's stages is no default)."""
    stages = list(stages)
    for known in (k for k in known_sets() if k.match_alone):
        names = [known.aliases.get(_key(s)) for s in stages]
        if stages and None not in names:
            return tuple(
                (s, known.probabilities[n])
                for s, n in zip(stages, names, strict=True)
                if n is not None and n in known.probabilities
            )
    return ()


def detect(
    stages: Iterable[str],
    probabilities: Mapping[str, float] | None = None,
    history_rank: Mapping[str, float] | None = None,
    lost_at: Iterable[str] = (),
    won_by_data: Iterable[str] = (),
    lost_by_data: Iterable[str] = (),
    prefer: str | None = None,
) -> StageMap:
    """Guess the stage map from the stage values seen: a known stage set first, else the
    stages' median probability, else the order deals entered them in the history. Stages seen
    only as a lost deal's lost_at_stage join the funnel where the order places them; stages
    whose deals the export itself marks won or lost (IsWon/IsClosed, a status column) are won
    or lost stages; ``prefer`` is the id of the stage set the CRM profile names, tried first. The
    order never comes from closed deals' probabilities (``probabilities`` are open deals' medians).
    The result is a starting point for the stage mapping screen."""
    seen = list(dict.fromkeys(str(s) for s in stages if s is not None and str(s).strip()))
    seen_keys = {norm(x) for x in seen}
    extra = [s for s in dict.fromkeys(str(x) for x in lost_at if x) if norm(s) not in seen_keys]
    won = set(s for s in seen if norm(s) in WON_NAMES) | set(won_by_data)
    lost = set(s for s in seen if norm(s) in LOST_NAMES) | set(lost_by_data)
    candidates = [s for s in [*seen, *extra] if s not in won and s not in lost]
    candidates = [s for s in candidates if norm(s) not in WON_NAMES | LOST_NAMES]
    notes: list[str] = []
    order: list[str] | None = None
    source = None
    chosen: KnownSet | None = None
    sets = sorted(known_sets(), key=lambda k: k.id != prefer)
    for known in (k for k in sets if k.match_alone or k.id == prefer):
        won_keys = {_key(w) for w in known.won}
        lost_keys = {_key(x) for x in known.lost}
        open_c = [s for s in candidates if _key(s) not in won_keys | lost_keys]
        if not open_c or any(_key(s) not in known.aliases for s in open_c):
            continue
        rank = {n: i for i, n in enumerate(known.stages)}
        order = sorted(open_c, key=lambda s: rank[known.aliases[_key(s)]])
        won |= {s for s in candidates if _key(s) in won_keys}
        lost |= {s for s in candidates if _key(s) in lost_keys}
        source = known.title
        candidates = open_c
        chosen = known
        break
    if order is None and probabilities:
        order = sorted(candidates, key=lambda s: (probabilities.get(s, float("inf")), candidates.index(s)))
        notes.append("stage order taken from each stage's median probability")
    if order is None and history_rank:
        order = sorted(candidates, key=lambda s: (history_rank.get(s, float("inf")), candidates.index(s)))
        notes.append("stage order taken from the order deals entered the stages in the history")
    if order is None:
        order = candidates
        if len(candidates) > 1:
            notes.append("stage order not recognised: set it on the stage mapping screen (or --stages)")
    if not won:
        notes.append("no won stage recognised: name it on the stage mapping screen (or --won)")
    won_ordered = sorted(won, key=lambda s: (norm(s) not in WON_NAMES, s))
    if chosen is not None:
        probs = tuple(
            (s, chosen.probabilities[chosen.aliases[_key(s)]])
            for s in order
            if chosen.aliases.get(_key(s)) in chosen.probabilities
        )
    else:
        probs = default_probabilities(order)
    return StageMap((*order, *won_ordered), frozenset(won), frozenset(lost), tuple(notes), probs, source)


def from_names(
    order: Sequence[str],
    won: Iterable[str] = (),
    lost: Iterable[str] = (),
    seen: Iterable[str] = (),
    probabilities: Mapping[str, float] | None = None,
) -> StageMap:
    """A stage map given by the user: ``order`` ends with the won stage unless ``won`` is given.
    Won and lost stages among the ``seen`` values are still recognised by name when the user
    names none: giving the order never turns off won and lost detection."""
    order = [s.strip() for s in order if s.strip()]
    seen_list = [str(s) for s in seen]
    won_set = frozenset(w.strip() for w in won if w.strip())
    if not won_set:
        named = [s for s in order if norm(s) in WON_NAMES] or [s for s in seen_list if norm(s) in WON_NAMES]
        won_set = frozenset(named[:1]) if named else (frozenset([order[-1]]) if order else frozenset())
    lost_set = frozenset(s.strip() for s in lost if s.strip()) or frozenset(
        s for s in [*order, *seen_list] if norm(s) in LOST_NAMES
    )
    order = [s for s in order if s not in lost_set]
    if not any(s in won_set for s in order):
        order = [*order, *sorted(won_set)]
    probs = tuple((probabilities or {}).items()) or default_probabilities(order)
    return StageMap(tuple(order), won_set, lost_set, probabilities=probs)


# ---- the Stage 2 mapping table: a stage's role, position and default probability --------------------

ROLES = ("Funnel", "Won", "Lost", "Not in funnel")


def role_of(stage_map: StageMap, stage: str) -> str:
    """Which of :data:`ROLES` a stage plays in the map."""
    if stage in stage_map.won:
        return "Won"
    if stage in stage_map.lost:
        return "Lost"
    return "Funnel" if stage in stage_map.order else "Not in funnel"


def role_rows(stage_map: StageMap, seen: Sequence[str]) -> list[dict[str, object]]:
    """One row per stage seen in the export: Stage, Role, Position (1-based, in the map's order)
    and Default probability in percent (open funnel stages only), as the mapping table shows it."""
    rows: list[dict[str, object]] = []
    for s in seen:
        role = role_of(stage_map, s)
        p = stage_map.probability(s) if role == "Funnel" else None
        rows.append(
            {
                "Stage": s,
                "Role": role,
                "Position": stage_map.order.index(s) + 1 if s in stage_map.order else None,
                "Default probability": None if p is None else round(p * 100, 1),
            }
        )
    return rows


@dataclass(frozen=True)
class StageRoles:
    """A mapping table read back: the stage order (funnel stages by position, won stages last), the
    won and lost stages, and each open stage's default probability as a fraction."""

    stage_order: tuple[str, ...]
    won: tuple[str, ...]
    lost: tuple[str, ...]
    probabilities: Mapping[str, float]


class NoWonStage(ValueError):
    """A mapping table without a stage marked Won."""


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value)  # NaN != NaN


def roles_from_rows(rows: Sequence[Mapping[str, object]]) -> StageRoles:
    """The stage mapping a table of :func:`role_rows` (as edited) says; raises NoWonStage when no
    stage is marked Won. Funnel and won stages are ordered by Position, a blank position last."""
    won = [str(r["Stage"]) for r in rows if r["Role"] == "Won"]
    if not won:
        raise NoWonStage("Mark at least one stage as Won.")
    funnel = [r for r in rows if r["Role"] in ("Funnel", "Won")]
    by_position = sorted(
        funnel, key=lambda r: (_blank(r["Position"]), 0.0 if _blank(r["Position"]) else float(str(r["Position"])))
    )
    order = [str(r["Stage"]) for r in by_position if str(r["Stage"]) not in set(won)]
    probabilities = {
        str(r["Stage"]): float(str(r["Default probability"])) / 100
        for r in rows
        if r["Role"] == "Funnel" and not _blank(r["Default probability"])
    }
    return StageRoles(
        tuple([*order, *won]), tuple(won), tuple(str(r["Stage"]) for r in rows if r["Role"] == "Lost"), probabilities
    )
