"""Checks a file's model cannot make on its own.

Vendor scores against the catalog's criteria and segments, profiles' weights, gates and AHP against the
catalog, and, within the catalog, ids shared by categories and criteria and weights that leave nothing to
score; a vendor that leaves much of the catalog's weight unscored (docs/cli.md#evaltool-validate).
They run on the raw data where they can, so that a file with other errors is still checked.
The rules are stated in docs/formats.md#rules-for-every-file and the key tables of docs/formats.md.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

from evaltool import ahp as ahp_module
from evaltool import fmt
from evaltool.commercial import computed_ids
from evaltool.defaults import CATALOG_WEIGHTS
from evaltool.errors import Problem
from evaltool.models import RUBRIC_MAX, Ahp, Catalog, Criterion, Profile, ScoreEntry, Vendor
from evaltool.problems import Collector, locate, suggest
from evaltool.rules import RULES
from evaltool.wording import DECISION_TEXT


def _items(data: Any, key: str) -> list[tuple[int, Any]]:
    value = data.get(key) if isinstance(data, Mapping) else None
    return (
        [(i, item) for i, item in enumerate(value) if isinstance(item, Mapping)]
        if isinstance(value, list)
        else []
    )


def check_catalog_ids(c: Collector) -> None:
    """Category and criterion ids share one namespace; each may appear once (checked on the raw file)."""
    seen: dict[str, int] = {}
    for i, category in _items(c.data, "categories"):
        places: list[tuple[tuple[Any, ...], Any]] = [(("categories", i, "id"), category.get("id"))]
        places += [
            (("categories", i, "criteria", j, "id"), k.get("id")) for j, k in _items(category, "criteria")
        ]
        for loc, ident in places:
            if not isinstance(ident, str):
                continue
            if ident in seen:
                c.add(loc, f"id '{ident}' is used twice (first at line {seen[ident]})")
            else:
                seen[ident] = locate(c.data, loc)[0]


def check_catalog(catalog: Catalog, c: Collector) -> None:
    """Weights that leave something to score; metric criteria whose grades depend on the vendors compared;
    per-segment gradings of segments the catalog does not declare."""
    for i, category in enumerate(catalog.categories):
        if category.weight > 0 and all(k.weight == 0 for k in category.criteria):
            c.add(
                ("categories", i, "weight"),
                f"category '{category.id}' has a weight but all its criteria have 0",
            )
        for j, criterion in enumerate(category.criteria):
            if criterion.grading is not None:
                loc = ("categories", i, "criteria", j, "grading", "segments")
                _check_grading_segments(list(criterion.grading.segments), catalog.segments, loc, c)
            if criterion.is_metric and criterion.grading is None:
                c.add(
                    ("categories", i, "criteria", j, "id"),
                    f"metric criterion '{criterion.id}' has no grading: its grades are min-max across the "
                    "compared vendors, so they change with the vendors compared",
                    warning=True,
                    code="relative-grading",
                )
    if all(category.weight == 0 for category in catalog.categories):
        c.add(("categories",), "every category has weight 0; at least one must be positive")


def _check_grading_segments(
    names: list[str], declared: list[str] | None, loc: tuple[Any, ...], c: Collector
) -> None:
    """Each per-segment grading must name one of the catalog's segments (a typo would silently fall back)."""
    for name in names:
        if declared is None:
            c.add((*loc, name), f"grading for segment '{name}' needs the catalog's 'segments' list naming it")
        elif name not in declared:
            c.add(
                (*loc, name),
                f"'{name}' is not one of the catalog's segments: {', '.join(declared)}"
                + suggest(name, declared),
            )


def check_profile(profile: Profile, catalog: Catalog, stem: str, c: Collector) -> None:
    """Profile ids, weights, gates and AHP against the catalog."""
    if profile.id != stem:
        c.add(("id",), f"id '{profile.id}' must equal the file name '{stem}'")
    elif profile.id == CATALOG_WEIGHTS:
        reserved = f"'{CATALOG_WEIGHTS}' is reserved for the catalog's own weights (--profile catalog)"
        c.add(("id",), reserved + ": rename the profile")
    categories = {category.id: category for category in catalog.categories}
    criteria = catalog.criterion_map()
    for key in profile.weights:
        if key not in categories and key not in criteria:
            known = list(categories) + list(criteria)
            c.add(("weights", key), f"unknown category or criterion id '{key}'" + suggest(key, known))
        elif key in categories and profile.ahp is not None:
            c.add(
                ("weights", key), f"'{key}' is a category: with 'ahp', category weights come from the matrix"
            )
    for key, gate in profile.gates.items():
        criterion = criteria.get(key)
        if criterion is None:
            hint = (
                " (gates apply to criteria, not categories)" if key in categories else suggest(key, criteria)
            )
            c.add(("gates", key), f"unknown criterion id '{key}'{hint}")
        elif gate is not None and not criterion.is_metric and not 0 <= gate <= RUBRIC_MAX:
            c.add(("gates", key), f"gate {gate:g} is outside the rubric scale 0..5")
    if profile.ahp is not None:
        _check_ahp(profile.ahp, categories, c)
    _check_effective_weights(profile, catalog, c)


def _check_ahp(judgements: Ahp, categories: Mapping[str, Any], c: Collector) -> None:
    unknown = [item for item in judgements.items if item not in categories]
    for index, item in enumerate(judgements.items):
        if item in unknown:
            c.add(("ahp", "items", index), f"unknown category id '{item}'" + suggest(item, categories))
    missing = [category for category in categories if category not in judgements.items]
    if missing:
        c.add(("ahp", "items"), "must list every category exactly once; missing: " + ", ".join(missing))
    if not unknown and not missing:
        result = ahp_module.ahp(judgements.matrix)
        if not result.consistent:
            c.add(
                ("ahp", "matrix"),
                f"the pairwise judgements are inconsistent: consistency ratio {result.cr:.3f} > 0.10 "
                "(Saaty); revisit the comparisons",
                warning=True,
                code="ahp-inconsistent",
            )


def _check_effective_weights(profile: Profile, catalog: Catalog, c: Collector) -> None:
    if profile.ahp is not None:
        return
    overrides = profile.weights
    weighted = [cat for cat in catalog.categories if overrides.get(cat.id, cat.weight) > 0]
    if not weighted:
        c.add(("weights",), "every category ends up with weight 0; at least one must be positive")
    for category in weighted:
        if all(overrides.get(k.id, k.weight) == 0 for k in category.criteria):
            c.add(("weights",), f"category '{category.id}' has a weight but all its criteria end up at 0")


def check_profile_segments(
    profiles: Iterable[tuple[Profile, Collector]], catalog: Catalog, vendor_segments: Iterable[str]
) -> None:
    """A profile's `segments` name known segments (the catalog's list, else the vendors'), each once, and
    no segment is named by two profiles (docs/formats.md#profiles): the later file names the earlier."""
    known = list(catalog.segments or sorted(set(vendor_segments)))
    claimed: dict[str, str] = {}
    for profile, collector in profiles:
        for index, name in enumerate(profile.segments):
            where = ("segments", index)
            if known and name not in known:
                listed = ", ".join(known)
                collector.add(where, f"unknown segment '{name}' (segments: {listed})" + suggest(name, known))
            elif profile.segments.index(name) < index:
                collector.add(where, f"segment '{name}' is listed twice")
            elif name in claimed:
                collector.add(
                    where,
                    f"segment '{name}' is already named by {claimed[name]}: a segment is scored with one "
                    "profile",
                )
            else:
                claimed[name] = collector.path


def check_duplicate_ids(models: Iterable[tuple[Profile | Vendor, Collector]], kind: str) -> None:
    """Files of one kind (profile or vendor) with the same id: each after the first names the first."""
    seen: dict[str, str] = {}
    for model, collector in models:
        if model.id in seen:
            collector.add(("id",), f"{kind} id '{model.id}' is also used by {seen[model.id]}")
        seen.setdefault(model.id, collector.path)


def _score_maps(data: Mapping[str, Any]) -> list[tuple[tuple[Any, ...], Mapping[Any, Any]]]:
    maps: list[tuple[tuple[Any, ...], Mapping[Any, Any]]] = []
    for index, assessment in _items(data, "assessments"):
        if isinstance(assessment.get("scores"), Mapping):
            maps.append((("assessments", index, "scores"), assessment["scores"]))
    if isinstance(data.get("scores"), Mapping):
        maps.append((("scores",), data["scores"]))
    return maps


def check_vendor(catalog: Catalog, stem: str, as_of: dt.date, c: Collector) -> None:
    """A vendor file against the catalog, on the raw data so it runs even when the file has other errors."""
    data = c.data
    if not isinstance(data, Mapping):
        return
    if isinstance(data.get("id"), str) and data["id"] != stem:
        c.add(("id",), f"id '{data['id']}' must equal the file name '{stem}'")
    segment = data.get("segment")
    if catalog.segments is not None and isinstance(segment, str) and segment not in catalog.segments:
        c.add(
            ("segment",), f"'{segment}' is not one of the catalog's segments: {', '.join(catalog.segments)}"
        )
    assessors: dict[str, int] = {}
    for index, assessment in _items(data, "assessments"):
        name = assessment.get("assessor")
        if isinstance(name, str) and name in assessors:
            c.add(
                ("assessments", index, "assessor"),
                f"assessor '{name}' appears twice (also at line {assessors[name]}); keep one assessment per "
                "assessor, history lives in git",
            )
        elif isinstance(name, str):
            assessors[name] = locate(data, ("assessments", index, "assessor"))[0]
    criteria = catalog.criterion_map()
    for base, scores in _score_maps(data):
        for key, cell in scores.items():
            _check_cell(str(key), cell, criteria, (*base, key), as_of, c)


def _check_cell(
    key: str, cell: Any, criteria: Mapping[str, Criterion], loc: tuple[Any, ...], as_of: dt.date, c: Collector
) -> None:
    criterion = criteria.get(key)
    if criterion is None:
        c.add(loc, f"unknown criterion '{key}'" + suggest(key, criteria))
        return
    if isinstance(cell, dict | Mapping):  # dict first, the quick check: every mapping read from YAML is one
        metric = criterion.is_metric
        if metric and "score" in cell:
            c.add((*loc, "score"), f"'{key}' is a metric criterion: give its measured 'value', not a 'score'")
        if not metric and "value" in cell:
            c.add((*loc, "value"), f"'{key}' is a rubric criterion: give a 'score' 0..5, not a 'value'")
        expires = cell.get("expires")
        expires = None if expires is None else _as_date(expires)
        if expires is not None and expires < as_of:
            c.add(
                (*loc, "expires"),
                f"evidence for '{key}' expired on {expires.isoformat()} (as of {as_of.isoformat()})",
                warning=True,
                code="expired-evidence",
            )
    elif _is_number(cell) and not criterion.is_metric and not 0 <= cell <= RUBRIC_MAX:
        c.add(loc, f"score {cell:g} is outside the rubric scale 0..5")


def _as_date(value: Any) -> dt.date | None:
    """A date written quoted or not (an impossible one is reported by the model, not here)."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _is_number(value: Any) -> bool:
    # NaN and infinities are left to the models, which report them once as "must be a finite number"
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _shares(raw: Mapping[str, float]) -> dict[str, float]:
    total = sum(raw.values())
    return {key: value / total if total > 0 else 1.0 / len(raw) for key, value in raw.items()}


def catalog_shares(catalog: Catalog) -> dict[str, float]:
    """Criterion id -> its share of the catalog's weight (category share x share within the category).

    The catalog's own weights, as `evaltool score` uses them without a profile (docs/scoring.md).
    """
    categories = _shares({category.id: category.weight for category in catalog.categories})
    return {
        criterion.id: categories[category.id] * within
        for category in catalog.categories
        for criterion, within in zip(
            category.criteria, _shares({k.id: k.weight for k in category.criteria}).values(), strict=True
        )
    }


def check_coverage(
    catalog: Catalog, vendor: Vendor, path: str, shares: Mapping[str, float] | None = None
) -> Problem | None:
    """A warning when a vendor leaves more of the catalog's weight unscored than a PoC allows.

    Below Rules.min_coverage a vendor scores low for want of scores, not of merit; the warning says what
    the catalog's missing-data policy does with the gap and whether the vendor is still ranked at all.
    `shares` are :func:`catalog_shares`, computed once for many vendors.
    """
    scored = {key for _, scores in vendor.all_assessments() for key, cell in scores.items() if _given(cell)}
    scored |= computed_ids(catalog, vendor)
    shares = catalog_shares(catalog) if shares is None else shares
    unscored = max(0.0, 1.0 - sum(shares.get(key, 0.0) for key in scored))
    if 1.0 - unscored >= RULES.min_coverage - 1e-12:
        return None
    policy = "counts as 0" if catalog.missing == "zero" else "is left out, the rest reweighted"
    message = f"{vendor.id}: {_unscored_pct(unscored)} of the weight is unscored and {policy}"
    if 1.0 - unscored < RULES.min_assessed - 1e-12:
        message += (
            f"; under {RULES.min_assessed:.0%} scored it is {DECISION_TEXT['not-assessed']} and not ranked"
        )
    return Problem(path, 1, "", message, warning=True, code="unscored-vendor")


def _given(cell: Any) -> bool:
    return (cell.given if isinstance(cell, ScoreEntry) else cell) is not None


def _unscored_pct(share: float) -> str:
    """A share as a whole percentage that never reads 100% while something is scored."""
    shown = fmt.pct(share, 0)
    return ">99%" if share < 1 and shown == "100%" else shown
