"""The defaults every shell shares: the scoring method, the Monte Carlo settings and the as-of date.

The CLI options, the evaluation, the numerical cores and the dashboard all read these names, so a default
is changed here and nowhere else (the README states the same values: 10,000 samples, seed 42, K = 100).
Light on purpose: no third-party import, so the CLI can read it before any heavy module loads.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from evaltool.models import Method

DEFAULT_METHOD: Method = "wsm"
DEFAULT_SAMPLES = 10_000
MAX_SAMPLES = 1_000_000  # 8 bytes x samples x vendors are kept for the exact percentiles
DEFAULT_SEED = 42
DEFAULT_CONCENTRATION = 100.0


def today() -> dt.date:
    """Today's date on this machine: the as-of date when none is given, and the date of a new file."""
    return dt.date.today()


def resolve_as_of(as_of: dt.date | None) -> dt.date:
    """The date evidence expiry is checked against: the one given, else today."""
    return today() if as_of is None else as_of


CATALOG_WEIGHTS = "catalog"  # --profile catalog: the catalog's own weights for every segment (a reserved id)
