"""What-if weights: slider values -> a Profile scored like any other, and saved as a new profile file.

Pure apart from :func:`save_profile`, which creates one new file under criteria/profiles/ and refuses to
overwrite. A what-if is an ordinary :class:`~evaltool.models.Profile`: category weights (relative, the tool
normalises them) and, where a criterion was adjusted, the within-category weights of its category. The base
profile's gates and risk (so its due-diligence tier) carry over; its AHP matrix does not (the sliders
replace the category weights it gave).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from evaltool.defaults import DEFAULT_CONCENTRATION, DEFAULT_METHOD, DEFAULT_SAMPLES, DEFAULT_SEED, today
from evaltool.errors import OutputError
from evaltool.evaluation import Evaluation, evaluate
from evaltool.models import ID_PATTERN, Catalog, Category, Profile
from evaltool.scoring import Method, Weights
from evaltool.workspace import Workspace

WHATIF_ID = "what-if"
_ID_RE = re.compile(ID_PATTERN)
_SAME = 1e-9


@dataclass(frozen=True)
class Adjustment:
    """What the sliders say: relative category weights, and within-category shares of adjusted criteria."""

    categories: Mapping[str, float]  # category id -> relative weight (any scale; normalised)
    criteria: Mapping[str, float] = field(default_factory=dict)  # criterion id -> share of its category 0..1


def baseline(weights: Weights) -> Adjustment:
    """The adjustment that reproduces a profile exactly: its category shares in percent, nothing pinned."""
    return Adjustment({c: 100.0 * share for c, share in weights.categories.items()})


def _within(catalog: Catalog, base: Weights, pins: Mapping[str, float]) -> dict[str, float]:
    """Within-category shares: pinned criteria as set, the rest of their category scaled to fill up."""
    out: dict[str, float] = {}
    for category in catalog.categories:
        ids = [k.id for k in category.criteria]
        pinned = {k: max(0.0, pins[k]) for k in ids if k in pins}
        if not pinned:
            out.update({k: base.within[k] for k in ids})
            continue
        free = [k for k in ids if k not in pinned]
        rest = 1.0 - sum(pinned.values())
        free_base = sum(base.within[k] for k in free)
        raw = dict(pinned)
        for k in free:
            raw[k] = base.within[k] * rest / free_base if rest > 0 and free_base > 0 else 0.0
        total = sum(raw.values())
        out.update({k: raw[k] / total for k in ids} if total > 0 else {k: base.within[k] for k in ids})
    return out


def effective(catalog: Catalog, base: Weights, adjustment: Adjustment) -> dict[str, float]:
    """Effective criterion weights (summing to 1) under an adjustment."""
    total = sum(max(0.0, adjustment.categories.get(c.id, 0.0)) for c in catalog.categories)
    if total <= 0:
        raise ValueError("at least one category must weigh more than 0")
    within = _within(catalog, base, adjustment.criteria)
    return {
        k.id: max(0.0, adjustment.categories.get(category.id, 0.0)) / total * within[k.id]
        for category in catalog.categories
        for k in category.criteria
    }


def is_baseline(base: Weights, adjustment: Adjustment) -> bool:
    """True when the adjustment changes nothing (then the base profile itself is scored)."""
    now = baseline(base).categories
    total = sum(adjustment.categories.values())
    if total <= 0:
        return False
    shares_same = all(abs(100.0 * adjustment.categories.get(c, 0.0) / total - now[c]) < 1e-6 for c in now)
    pins_same = all(abs(share - base.within[k]) < 1e-6 for k, share in adjustment.criteria.items())
    return shares_same and pins_same


def profile_weights(
    catalog: Catalog, base_profile: Profile | None, base: Weights, adjustment: Adjustment, digits: int = 9
) -> dict[str, float]:
    """The `weights` mapping of a profile that scores like the adjustment, on the base profile's own scale.

    Weights are relative (docs/formats.md, profiles), so a weight that did not move is kept exactly as the
    base profile wrote it (or left out, where the catalog's weight applies) and only the moved ones are
    written: a moved category on the scale of the categories' weights, an adjusted criterion on the scale of
    its category's other criteria. A review of the new file against the old one then shows the real change.
    Unmoved categories are those whose value equals :func:`baseline`. An AHP profile's category weights come
    from its matrix, which the sliders replace, so there every category is written in percent.
    """
    total = sum(max(0.0, adjustment.categories.get(c.id, 0.0)) for c in catalog.categories)
    if total <= 0:
        raise ValueError("at least one category must weigh more than 0")
    written = dict(base_profile.weights) if base_profile is not None else {}
    weights = dict(written)
    ahp = base_profile is not None and base_profile.ahp is not None
    raw = {c.id: written.get(c.id, c.weight) for c in catalog.categories}
    scale = sum(raw.values()) / 100.0
    start = baseline(base).categories
    for category in catalog.categories:
        value = max(0.0, adjustment.categories.get(category.id, 0.0))
        if ahp:
            weights[category.id] = _tidy(100.0 * value / total, digits)
        elif abs(value - start[category.id]) > _SAME or scale <= 0:
            weights[category.id] = _tidy(value * scale if scale > 0 else value, digits)
    within = _within(catalog, base, adjustment.criteria)
    for category in catalog.categories:
        weights.update(_criterion_weights(category, written, adjustment.criteria, within, digits))
    return weights


def _criterion_weights(
    category: Category,
    written: Mapping[str, float],
    pins: Mapping[str, float],
    within: Mapping[str, float],
    digits: int,
) -> dict[str, float]:
    """The criterion weights to write for one category: none when nothing in it was adjusted; else the
    adjusted criteria on the scale of the others, which stay as written, so that each adjusted criterion
    gets its share. When the adjusted shares leave nothing to the others, all are written in percent."""
    pinned = {k.id: max(0.0, pins[k.id]) for k in category.criteria if k.id in pins}
    if not pinned:
        return {}
    free = sum(written.get(k.id, k.weight) for k in category.criteria if k.id not in pinned)
    rest = 1.0 - sum(pinned.values())
    if rest <= _SAME or free <= 0:
        return {k.id: _tidy(100.0 * within[k.id], digits) for k in category.criteria}
    return {k: _tidy(share * free / rest, digits) for k, share in pinned.items()}


def _tidy(value: float, digits: int) -> float:
    rounded = round(value, digits)
    return float(int(rounded)) if rounded == int(rounded) else rounded


def whatif_profile(
    catalog: Catalog,
    base_profile: Profile | None,
    base: Weights,
    adjustment: Adjustment,
    *,
    profile_id: str = WHATIF_ID,
    name: str | None = None,
    digits: int = 9,
) -> Profile:
    """The adjustment as a Profile (validated by the same model as a profile file)."""
    base_name = base_profile.name if base_profile is not None else "catalog weights"
    return Profile.model_validate(
        {
            "id": profile_id,
            "name": name or f"What-if on {base_name}",
            "description": f"Weights adjusted in the dashboard, starting from {base_name}.",
            "weights": profile_weights(catalog, base_profile, base, adjustment, digits),
            "gates": dict(base_profile.gates) if base_profile is not None else {},
            "risk": base_profile.risk if base_profile is not None else None,  # the same due-diligence tier
        }
    )


def rerank(
    workspace: Workspace,
    base_profile: Profile | None,
    adjustment: Adjustment,
    *,
    method: Method = DEFAULT_METHOD,
    segments: Sequence[str] | None = None,
    samples: int = DEFAULT_SAMPLES,
    seed: int = DEFAULT_SEED,
    concentration: float = DEFAULT_CONCENTRATION,
) -> Evaluation:
    """Score the workspace under the adjusted weights (what the What-if page calls on every slider move).

    The Monte Carlo settings are those of the evaluation the page compares with, so that with no slider
    moved every number, P(first) included, is the profile's own.
    """
    from evaltool.scoring import effective_weights

    base = effective_weights(workspace.catalog, base_profile)
    if is_baseline(base, adjustment):
        profile = base_profile
    else:
        profile = whatif_profile(workspace.catalog, base_profile, base, adjustment)
    return evaluate(
        workspace, profile, method=method, segments=segments,
        samples=samples, seed=seed, concentration=concentration,
    )  # fmt: skip


# --- saving --------------------------------------------------------------------------------------------


def profile_yaml(profile: Profile) -> str:
    """A profile as the YAML text of criteria/profiles/<id>.yaml."""
    body: dict[str, object] = {"id": profile.id, "name": profile.name}
    if profile.description:
        body["description"] = profile.description
    if profile.risk is not None:
        body["risk"] = profile.risk.model_dump(exclude_none=True)
    body["weights"] = dict(profile.weights)
    if profile.gates:
        body["gates"] = dict(profile.gates)
    stamp = today().isoformat()
    header = (
        "# yaml-language-server: $schema=../../schemas/profile.schema.json\n"
        f"# Saved from the evaltool dashboard's What-if page on {stamp}.\n"
    )
    return header + yaml.safe_dump(body, sort_keys=False, allow_unicode=True, width=100)


def check_new_profile(workspace: Workspace, profile_id: str, name: str) -> list[str]:
    """Why a profile cannot be saved under this id and name (empty when it can)."""
    problems = []
    if not _ID_RE.match(profile_id):
        problems.append(
            f"'{profile_id}' is not a valid id: use 1-64 lowercase letters, digits and '-', "
            "starting with a letter or digit"
        )
    elif profile_id in workspace.profiles or any(
        (workspace.root / "criteria" / "profiles" / f"{profile_id}{suffix}").exists()
        for suffix in (".yaml", ".yml")
    ):
        problems.append(f"a profile '{profile_id}' already exists; choose another id (nothing was written)")
    if not name.strip():
        problems.append("give the profile a name")
    return problems


def save_profile(
    workspace: Workspace, base_profile: Profile | None, adjustment: Adjustment, profile_id: str, name: str
) -> Path:
    """Write criteria/profiles/<id>.yaml as a new file; OutputError (nothing written) if it cannot be."""
    from evaltool.output import create_new
    from evaltool.reading import check_profile_text
    from evaltool.scoring import effective_weights

    profile_id, name = profile_id.strip(), name.strip()
    refused = check_new_profile(workspace, profile_id, name)
    if refused:
        raise OutputError("; ".join(refused))
    base = effective_weights(workspace.catalog, base_profile)
    try:
        profile = whatif_profile(
            workspace.catalog, base_profile, base, adjustment, profile_id=profile_id, name=name, digits=4
        )
    except ValueError as exc:
        raise OutputError(f"cannot save these weights: {exc}") from None
    relative = f"criteria/profiles/{profile_id}.yaml"
    text = profile_yaml(profile)
    invalid = [p for p in check_profile_text(workspace.catalog, relative, text) if not p.warning]
    if invalid:
        raise OutputError("the profile would not validate: " + "; ".join(str(p) for p in invalid))
    return create_new(workspace.root / relative, text)
