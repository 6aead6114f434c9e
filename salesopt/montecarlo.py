"""Monte Carlo forecast (METRICS.md §5): each open deal closing in the period wins independently
with its probability p; revenue = sum(amount x Bernoulli(p)). Seeded and reproducible; the draws are
made in chunks of trials so memory stays bounded whatever the pipeline size.

Exact moments to check against: mean = sum(p x amount), variance = sum(p (1 - p) x amount^2).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

CHUNK_CELLS = 4_000_000  # uniforms per chunk: 16 MB of float32


@dataclass(frozen=True)
class Forecast:
    trials: np.ndarray  # revenue per trial
    p10: float
    p50: float
    p90: float
    mean: float
    exact_mean: float
    exact_sd: float
    probability_of_target: float | None
    deals: int


def simulate(amounts: np.ndarray, probabilities: np.ndarray, trials: int = 10_000, seed: int = 0) -> np.ndarray:
    """Revenue of each trial: float32 uniforms compared with p, and the win mask times the amounts as
    one float32 matrix-vector product per chunk (relative error about 1e-6 of the total, cents on
    a million; the speed is within 2x of numpy drawing the uniforms alone, bench/montecarlo.py)."""
    amounts = np.asarray(amounts, dtype=np.float64)
    p = np.asarray(probabilities, dtype=np.float32)
    n = len(amounts)
    out = np.zeros(trials, dtype=np.float64)
    if n == 0 or trials == 0:
        return out
    rng = np.random.default_rng(seed)
    chunk = max(1, CHUNK_CELLS // n)
    a32 = amounts.astype(np.float32)
    for start in range(0, trials, chunk):
        rows = min(chunk, trials - start)
        u = rng.random((rows, n), dtype=np.float32)
        wins = u < p
        out[start : start + rows] = wins.astype(np.float32) @ a32  # float32 BLAS: ~1e-6 relative error
    return out


def forecast(
    amounts: np.ndarray, probabilities: np.ndarray, target: float | None = None, trials: int = 10_000, seed: int = 0
) -> Forecast:
    amounts = np.asarray(amounts, dtype=np.float64)
    p = np.clip(np.asarray(probabilities, dtype=np.float64), 0, 1)
    runs = simulate(amounts, p, trials, seed)
    p10, p50, p90 = (float(v) for v in np.percentile(runs, [10, 50, 90])) if trials else (0.0, 0.0, 0.0)
    prob = None if target is None else float((runs >= target).mean())
    return Forecast(
        runs,
        p10,
        p50,
        p90,
        float(runs.mean()) if trials else 0.0,
        float((p * amounts).sum()),
        float(np.sqrt((p * (1 - p) * amounts**2).sum())),
        prob,
        len(amounts),
    )


def deal_probabilities(
    deals: pd.DataFrame,
    source: str,
    *,
    stage_rates: dict[str, float] | None = None,
    category_weights: dict[str, float] | None = None,
    tier_probability: dict[str, float] | None = None,
) -> tuple[np.ndarray, int]:
    """Per-deal p from the chosen source: 'crm' (the probability column), 'stage' (``stage_rates``
    by stage), 'category' (forecast category weights) or 'tier' (Stage 3 adjusted probability by
    opportunity id). Returns (p, deals without one, which count as 0)."""
    n = len(deals)
    if source == "crm":
        p = deals["probability"] if "probability" in deals else pd.Series(np.nan, index=deals.index)
    elif source == "stage":
        p = deals["stage"].astype(str).map(stage_rates or {})
    elif source == "category":
        weights = {k.lower(): v for k, v in (category_weights or {}).items()}
        p = (
            deals["forecast_category"].astype(str).str.lower().map(weights)
            if "forecast_category" in deals
            else pd.Series(np.nan, index=deals.index)
        )
    elif source == "tier":
        p = deals["opportunity_id"].astype(str).map(tier_probability or {})
    else:
        raise ValueError(f"unknown probability source '{source}'")
    p = pd.to_numeric(p, errors="coerce")
    missing = int(p.isna().sum())
    return p.fillna(0.0).clip(0, 1).to_numpy(dtype=np.float64), missing if n else 0


@dataclass(frozen=True)
class PeriodForecast:
    won_in_period: float
    open_in_period: int
    category_forecast: float  # won + sum(amount x category weight)
    probability_forecast: float  # won + sum(amount x p)


def in_period(deals: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> tuple[pd.DataFrame, float]:
    """Open deals expected to close in [start, end], and the amount already won in it."""
    close = deals["close_date"] if "close_date" in deals else pd.Series(pd.NaT, index=deals.index)
    inside = (close >= start) & (close <= end)
    amount = deals["amount"] if "amount" in deals else pd.Series(0.0, index=deals.index)
    won = float(amount[inside & (deals["status"] == "won")].fillna(0).sum())
    return deals[inside & (deals["status"] == "open")], won


def period_forecast(
    open_deals: pd.DataFrame, won: float, p: np.ndarray, category_weights: dict[str, float]
) -> PeriodForecast:
    """METRICS.md §5: weighted forecast = won in period + sum(amount x weight) over open deals closing in it."""
    amount = (
        open_deals["amount"].fillna(0).to_numpy(dtype=float) if "amount" in open_deals else np.zeros(len(open_deals))
    )
    cat, _ = deal_probabilities(open_deals, "category", category_weights=category_weights)
    return PeriodForecast(won, len(open_deals), won + float((amount * cat).sum()), won + float((amount * p).sum()))
