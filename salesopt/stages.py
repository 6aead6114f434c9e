"""Stage mapping: the order of a CRM's stages, which mean won and which lost, and what that
makes of each deal (status, furthest stage, lost_at_stage) per METRICS.md §1 and §3."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from salesopt.crm import KNOWN_ORDERS, LOST_NAMES, WON_NAMES


def _norm(stage: str) -> str:
    return " ".join(str(stage).lower().replace("_", " ").split())


def _key(stage: str) -> str:
    return "".join(ch for ch in str(stage).lower() if ch.isalnum())


@dataclass(frozen=True)
class StageMap:
    """Funnel stages in order (the won stage last), the won stages and the lost stages."""

    order: tuple[str, ...]
    won: frozenset[str]
    lost: frozenset[str]
    notes: tuple[str, ...] = field(default=(), compare=False)

    @property
    def funnel(self) -> tuple[str, ...]:
        """The order with every won stage folded into one final position."""
        open_stages = [s for s in self.order if s not in self.won and s not in self.lost]
        won = [s for s in self.order if s in self.won] or sorted(self.won)
        return (*open_stages, won[0]) if won else tuple(open_stages)

    def index(self) -> dict[str, int]:
        funnel = self.funnel
        idx = {s: i for i, s in enumerate(funnel)}
        for s in self.won:
            idx[s] = len(funnel) - 1
        return idx


def detect(
    stages: Iterable[str], probabilities: pd.DataFrame | None = None, history: pd.DataFrame | None = None
) -> StageMap:
    """Guess the stage map from the stage values seen (with probability or history to order
    unknown stages). The result is a starting point for the stage mapping screen."""
    values = pd.Series(stages).dropna()
    seen = [str(s) for s in pd.unique(values) if str(s).strip()]
    won = frozenset(s for s in seen if _norm(s) in WON_NAMES)
    lost = frozenset(s for s in seen if _norm(s) in LOST_NAMES)
    notes: list[str] = []
    open_stages = [s for s in seen if s not in won and s not in lost]
    order: list[str] | None = None
    keys = {_key(s): s for s in open_stages}
    for known in KNOWN_ORDERS:
        known_keys = [_key(k) for k in known]
        if keys and set(keys) <= set(known_keys):
            order = [keys[k] for k in known_keys if k in keys]
            break
    if order is None and probabilities is not None and not probabilities.empty:
        med = probabilities.groupby("stage")["probability"].median()
        order = sorted(open_stages, key=lambda s: (med.get(s, np.inf), open_stages.index(s)))
        notes.append("stage order taken from each stage's median probability")
    if order is None and history is not None and not history.empty:
        rank = history.assign(pos=history.groupby("opportunity_id").cumcount()).groupby("stage")["pos"].mean()
        order = sorted(open_stages, key=lambda s: (rank.get(s, np.inf), open_stages.index(s)))
        notes.append("stage order taken from the order deals entered the stages in the history")
    if order is None:
        order = open_stages
        if len(open_stages) > 1:
            notes.append("stage order not recognised: set it on the stage mapping screen (or --stages)")
    if not won:
        notes.append("no won stage recognised: name it on the stage mapping screen (or --won)")
    return StageMap((*order, *sorted(won)), won, lost, tuple(notes))


def from_names(order: Sequence[str], won: Iterable[str] = (), lost: Iterable[str] = ()) -> StageMap:
    """A stage map given by the user: ``order`` ends with the won stage unless ``won`` is given."""
    order = [s.strip() for s in order if s.strip()]
    won_set = frozenset(w.strip() for w in won if w.strip()) or (frozenset([order[-1]]) if order else frozenset())
    lost_set = frozenset(s.strip() for s in lost if s.strip())
    return StageMap(tuple(order), won_set, lost_set)


def classify(deals: pd.DataFrame, stage_map: StageMap, history: pd.DataFrame | None = None) -> pd.DataFrame:
    """Add ``status`` (open/won/lost), ``stage_index`` and ``furthest`` (the index of the furthest
    funnel stage: current for open, last for won, lost_at_stage for lost; NaN when unknown)."""
    out = deals.copy(deep=False)
    stage = out["stage"]
    codes, uniques = pd.factorize(stage)
    uniques = [str(u) for u in uniques]
    idx = stage_map.index()

    def lookup(table: dict[str, float]) -> np.ndarray:
        per_unique = np.array([table.get(u, np.nan) for u in uniques] + [np.nan], dtype=float)
        return per_unique[codes]  # code -1 (missing stage) picks the trailing NaN

    is_won = lookup({s: 1.0 for s in stage_map.won}) == 1.0
    is_lost = lookup({s: 1.0 for s in stage_map.lost}) == 1.0
    status = pd.Series(np.where(is_won, "won", np.where(is_lost, "lost", "open")), index=out.index)
    if "status" in out and out["status"].notna().any():
        raw = out["status"].fillna("").astype(str).str.strip().str.lower()
        status[raw == "won"] = "won"
        status[raw == "lost"] = "lost"
        status[raw == "open"] = "open"
    if "is_closed" in out and out["is_closed"].notna().any():
        closed = out["is_closed"].fillna(False).astype(bool)
        won_flag = out["is_won"].fillna(False).astype(bool) if "is_won" in out else pd.Series(is_won, index=out.index)
        status = np.where(closed & won_flag, "won", np.where(closed, "lost", "open"))
        status = pd.Series(status, index=out.index, dtype=object)
    out["status"] = pd.Categorical(status, categories=["open", "won", "lost"])  # fast comparisons
    out["stage_index"] = lookup({k: float(v) for k, v in idx.items()})
    if history is not None and "lost_at_stage" not in out:
        out["lost_at_stage"] = lost_at_stage(history, stage_map).reindex(out["opportunity_id"]).to_numpy()
    funnel_last = len(stage_map.funnel) - 1
    furthest = out["stage_index"].astype(float)
    furthest[out["status"] == "won"] = funnel_last
    lost_mask = out["status"] == "lost"
    if "lost_at_stage" in out:
        furthest[lost_mask] = out.loc[lost_mask, "lost_at_stage"].map(idx).astype(float)
    else:
        furthest[lost_mask] = np.nan
    furthest[lost_mask & (furthest >= funnel_last)] = np.nan
    out["furthest"] = furthest
    return out


def lost_at_stage(history: pd.DataFrame, stage_map: StageMap) -> pd.Series:
    """Per opportunity: the last open funnel stage entered before its lost stage (METRICS.md §1)."""
    h = history.sort_values(["opportunity_id", "entered_at"], kind="stable")
    open_stages = set(stage_map.funnel[:-1])
    is_lost = h["stage"].isin(stage_map.lost)
    lost_ids = set(h.loc[is_lost, "opportunity_id"])
    candidates = h[h["stage"].isin(open_stages) & h["opportunity_id"].isin(lost_ids)]
    return candidates.groupby("opportunity_id")["stage"].last()
