"""Stage 2: stage maps, the figures in SQL, the evaluation of an import, opportunity scoring."""
