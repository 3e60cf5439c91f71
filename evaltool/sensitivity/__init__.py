"""Weight sensitivity of a ranking: how stable it is under random weights, and where its leader flips.

A pure numerical core (docs/scoring.md#sensitivity): plain numpy arrays in, frozen values out; no models,
no I/O. :mod:`evaltool.analysis` turns a scoring result into these arrays and the values back into
vendors and segments.

- :mod:`~evaltool.sensitivity.inputs`: the arrays every analysis takes and their checks.
- :mod:`~evaltool.sensitivity.wsm`, :mod:`~evaltool.sensitivity.topsis`: each method's scores as the
  analyses compute them (WSM points; TOPSIS gaps to each segment's ideal points).
- :mod:`~evaltool.sensitivity.ranks`: how often each vendor takes each rank over many samples.
- :mod:`~evaltool.sensitivity.stability`, :mod:`~evaltool.sensitivity.topsis_stability`: Monte Carlo rank
  probabilities, score intervals and means (WSM; TOPSIS).
- :mod:`~evaltool.sensitivity.flips`, :mod:`~evaltool.sensitivity.topsis_flips`: the weight at which a
  segment's leader changes (WSM, exact; TOPSIS, numerical).
"""
