"""Recommendations: the expression language (a leaf), the facts, the engine."""
