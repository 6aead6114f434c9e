"""Stage 5: forecast categories, accuracy, quota periods, tiers, the rep, manager and executive dashboards."""
