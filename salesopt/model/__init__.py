"""The assessment: the model (frozen; every update re-validates), typed answers, file round-trips."""
