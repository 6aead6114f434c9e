"""Forecasts: the what-if engine, the Monte Carlo and period forecast, the plan's expected impact."""
