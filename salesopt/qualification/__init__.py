"""Stage 3: scorecards, methodology fit, the value-selling business case."""
