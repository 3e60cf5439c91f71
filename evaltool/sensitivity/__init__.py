"""Weight sensitivity of a ranking: how stable it is under random weights, and where its leader flips.

A pure numerical core (docs/scoring.md#sensitivity): plain numpy arrays in, frozen values out; no models,
no I/O.
"""
