"""Monte Carlo forecast (METRICS.md §5): each open deal closing in the period wins independently
with its probability p; revenue = sum(amount x Bernoulli(p)). Seeded and reproducible; the draws are
made in chunks of trials so memory stays bounded whatever the pipeline size.

Exact moments to check against: mean = sum(p x amount), variance = sum(p (1 - p) x amount^2).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

CHUNK_CELLS = 262_144  # draws per chunk: 1 MB of float32 uniforms and 2 MB of float64 wins, cache-sized


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


def cents(values: np.ndarray | float) -> np.ndarray:
    """Money in whole cents (float64 holding integers: sums of them are exact below 2**53 cents)."""
    return np.round(np.asarray(values, dtype=np.float64) * 100)


def simulate(amounts: np.ndarray, probabilities: np.ndarray, trials: int = 10_000, seed: int = 0) -> np.ndarray:
    """Revenue of each trial: float32 uniforms compared with p, and the win mask times the amounts in
    whole cents as one float64 matrix-vector product per chunk. The cents are integers, so every sum
    is exact (up to 2**53 cents, 90 trillion in the currency) and a trial's revenue is its cents / 100:
    three sure deals of 0.1, 0.2 and 0.3 make exactly 0.6. The chunk buffers are reused and sized to
    stay in cache (the speed is within 2x of numpy drawing the uniforms alone, bench/montecarlo.py);
    the draws are one stream whatever the chunk size, so a seed gives the same trials."""
    amounts = np.asarray(amounts, dtype=np.float64)
    p = np.asarray(probabilities, dtype=np.float32)
    n = len(amounts)
    out = np.zeros(trials, dtype=np.float64)
    if n == 0 or trials == 0:
        return out
    rng = np.random.default_rng(seed)
    amount_cents = cents(amounts)
    chunk = max(1, min(trials, CHUNK_CELLS // n))
    uniforms = np.empty((chunk, n), dtype=np.float32)
    wins = np.empty((chunk, n), dtype=bool)
    wins64 = np.empty((chunk, n), dtype=np.float64)
    for start in range(0, trials, chunk):
        rows = min(chunk, trials - start)
        u, w, w64 = uniforms[:rows], wins[:rows], wins64[:rows]
        rng.random(out=u, dtype=np.float32)
        np.less(u, p, out=w)
        np.copyto(w64, w)
        np.matmul(w64, amount_cents, out=out[start : start + rows])
    out /= 100
    return out


def forecast(
    amounts: np.ndarray, probabilities: np.ndarray, target: float | None = None, trials: int = 10_000, seed: int = 0
) -> Forecast:
    """P10/P50/P90 of the simulated revenue and P(revenue >= target), revenue and target compared in
    whole cents (the target rounded to the cent), so float noise in either never flips the answer."""
    amounts = np.asarray(amounts, dtype=np.float64)
    p = np.clip(np.asarray(probabilities, dtype=np.float64), 0, 1)
    runs = simulate(amounts, p, trials, seed)
    p10, p50, p90 = (float(v) for v in np.percentile(runs, [10, 50, 90])) if trials else (0.0, 0.0, 0.0)
    prob = None if target is None else float((cents(runs) >= cents(target)).mean())
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
    none = pd.Series(np.nan, index=deals.index)
    if source == "crm":
        p = deals["probability"] if "probability" in deals else none
    elif source == "stage":
        p = deals["stage"].astype(str).map(stage_rates or {}) if "stage" in deals else none
    elif source == "category":
        weights = {k.lower(): v for k, v in (category_weights or {}).items()}
        p = deals["forecast_category"].astype(str).str.lower().map(weights) if "forecast_category" in deals else none
    elif source == "tier":
        p = deals["opportunity_id"].astype(str).map(tier_probability or {}) if "opportunity_id" in deals else none
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
    """Open deals expected to close in [start, end], and the amount already won in it. Calendar
    dates are compared: the whole of the last day is inside (a deal closing at 15:00 on it counts),
    whatever the time of day in the export or in ``start`` and ``end``."""
    close = deals["close_date"] if "close_date" in deals else pd.Series(pd.NaT, index=deals.index)
    day = pd.to_datetime(close, errors="coerce").dt.normalize()
    inside = (day >= pd.Timestamp(start).normalize()) & (day <= pd.Timestamp(end).normalize())
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


PERIOD_DAYS = 90  # the default period: a quarter from the first open deal's expected close


def default_period(deals: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The earliest close date of an open deal and 90 days after it; None when no open deal has one."""
    if "close_date" not in deals or "status" not in deals:
        return None
    dates = pd.to_datetime(deals.loc[deals["status"] == "open", "close_date"], errors="coerce").dropna()
    if dates.empty:
        return None
    start = dates.min().normalize()
    return start, start + pd.Timedelta(days=PERIOD_DAYS)


def period_days(start: pd.Timestamp, end: pd.Timestamp) -> int:
    """Calendar days of [start, end], both ends included."""
    return (pd.Timestamp(end).normalize() - pd.Timestamp(start).normalize()).days + 1


def pro_rata_target(yearly: float | None, start: pd.Timestamp, end: pd.Timestamp) -> float | None:
    """The yearly target's share of the period: yearly x days / 365, to the whole currency unit."""
    if not yearly:
        return None
    return float(round(yearly * period_days(start, end) / 365))


@dataclass(frozen=True)
class PeriodRange:
    """The forecast of one period: what is won in it plus the simulated open deals closing in it.
    Every figure includes ``won`` (P10 = won + the simulated P10, ...)."""

    start: pd.Timestamp
    end: pd.Timestamp
    won: float
    open_deals: int
    without_probability: int  # open deals with no probability from the chosen source: counted at 0
    p10: float
    p50: float
    p90: float
    mean: float
    exact_mean: float  # won + sum(p x amount)
    target: float | None
    probability_of_target: float | None  # share of trials with won + simulated >= target
    trials: np.ndarray  # won + each trial's simulated revenue
    category_forecast: float | None  # won + sum(amount x category weight), when weights are given

    @property
    def days(self) -> int:
        return period_days(self.start, self.end)


def forecast_period(
    deals: pd.DataFrame,
    start: pd.Timestamp,
    end: pd.Timestamp,
    source: str = "crm",
    *,
    target: float | None = None,
    stage_rates: dict[str, float] | None = None,
    category_weights: dict[str, float] | None = None,
    tier_probability: dict[str, float] | None = None,
    trials: int = 10_000,
    seed: int = 0,
) -> PeriodRange:
    """METRICS.md §5 for one period, the one definition What-if, Stage 5 and the plan share: open
    deals closing in [start, end] each win with their probability (from ``source``, see
    :func:`deal_probabilities`), added to what is already won in the period. The chance of the
    target is the chance that the simulated revenue reaches target - won."""
    open_deals, won = in_period(deals, start, end)
    p, missing = deal_probabilities(
        open_deals,
        source,
        stage_rates=stage_rates,
        category_weights=category_weights,
        tier_probability=tier_probability,
    )
    amounts = (
        open_deals["amount"].fillna(0).to_numpy(dtype=float) if "amount" in open_deals else np.zeros(len(open_deals))
    )
    f = forecast(amounts, p, target=None if target is None else target - won, trials=trials, seed=seed)
    category = None
    if category_weights is not None:
        category = period_forecast(open_deals, won, p, category_weights).category_forecast
    return PeriodRange(
        pd.Timestamp(start),
        pd.Timestamp(end),
        won,
        len(open_deals),
        missing,
        won + f.p10,
        won + f.p50,
        won + f.p90,
        won + f.mean,
        won + f.exact_mean,
        target,
        f.probability_of_target,
        won + f.trials,
        category,
    )


@dataclass(frozen=True)
class YearRange:
    """P10/P50/P90 of a year of deals: ``deals`` enter, each wins with ``p`` at ``amount``; a trial's
    revenue is capped at ``cap`` (the team's capacity) when one is given."""

    deals: int
    p: float
    amount: float
    cap: float | None
    p10: float
    p50: float
    p90: float
    trials: int
    seed: int


def year_range(
    deals: int, p: float, amount: float, cap: float | None = None, trials: int = 10_000, seed: int = 0
) -> YearRange:
    """A Monte Carlo of the year's wins: with one amount for every deal the wins of a trial are a
    binomial draw (``deals``, ``p``), so the draws are exact and fast whatever the volume; revenue =
    wins x amount, capped at ``cap``. Seeded: the same inputs give the same range."""
    rng = np.random.default_rng(seed)
    wins = rng.binomial(max(int(deals), 0), min(max(p, 0.0), 1.0), trials) if trials else np.zeros(0)
    revenue = wins * float(amount)
    if cap is not None:
        revenue = np.minimum(revenue, cap)
    p10, p50, p90 = (float(v) for v in np.percentile(revenue, [10, 50, 90])) if trials else (0.0, 0.0, 0.0)
    return YearRange(int(deals), p, amount, cap, p10, p50, p90, trials, seed)
