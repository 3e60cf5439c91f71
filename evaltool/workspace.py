"""Find and load a workspace; turn every problem into ``path:line: key.path: message``.

Loading checks each file on its own (YAML, then the pydantic model), then across files (scores against
the catalog, profiles against the catalog, duplicate ids). Every problem that can be found is collected
before anything is reported. A file that cannot be read or parsed is reported once and left out of the
cross-file checks.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import difflib
import gc
import hashlib
import math
import os
import re
from collections.abc import Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from evaltool import ahp as ahp_module
from evaltool.errors import InputError, Problem, UsageError
from evaltool.models import RUBRIC_MAX, Catalog, Criterion, Profile, Vendor
from evaltool.yamlio import LineList, LineMap, YamlError, decode, load_text, read_bytes

ENV_VAR = "EVALTOOL_WORKSPACE"
YAML_SUFFIXES = (".yaml", ".yml")
CATALOG_NAMES = ("criteria/catalog.yaml", "criteria/catalog.yml")
M = TypeVar("M", bound=BaseModel)
# Union tags that pydantic puts into error locations; they are not keys of the file.
_UNION_TAGS = {"short", "entry"}


def resolve_root(workspace: Path | None) -> Path:
    """--workspace, else $EVALTOOL_WORKSPACE, else the current directory."""
    if workspace is None:
        env = os.environ.get(ENV_VAR)
        workspace = Path(env) if env else Path.cwd()
    if not workspace.is_dir():
        raise UsageError(f"workspace {workspace} is not a folder")
    return workspace


@dataclass(frozen=True)
class SourceFile:
    """One input file: its path relative to the workspace and the SHA-256 of its bytes."""

    path: str
    sha256: str


@dataclass(frozen=True)
class Workspace:
    """A loaded, valid workspace."""

    root: Path
    catalog: Catalog
    profiles: dict[str, Profile]
    vendors: tuple[Vendor, ...]
    files: tuple[SourceFile, ...]
    vendor_paths: dict[str, str]
    warnings: tuple[Problem, ...]
    as_of: dt.date

    def input_hash(self) -> str:
        """SHA-256 over the relative paths and contents of every input file, in path order."""
        digest = hashlib.sha256()
        for source in sorted(self.files, key=lambda f: f.path):
            digest.update(f"{source.path}\0{source.sha256}\n".encode())
        return digest.hexdigest()

    def profile(self, profile_id: str | None) -> Profile | None:
        """The named profile (None for the catalog's own weights); unknown ids are a usage error."""
        if profile_id is None:
            return None
        if profile_id not in self.profiles:
            known = ", ".join(sorted(self.profiles)) or "none"
            raise UsageError(f"unknown profile '{profile_id}' (profiles: {known})")
        return self.profiles[profile_id]

    def segments(self) -> list[str]:
        """Segments with at least one vendor, in the catalog's order, then alphabetically."""
        present = {vendor.segment for vendor in self.vendors}
        declared = [s for s in self.catalog.segments or [] if s in present]
        return declared + sorted(present - set(declared))


# --- locating problems ---------------------------------------------------------------------------------

# Characters that would break a problem over lines, drive the terminal (escape sequences), reorder the text
# on screen (bidirectional controls), or cannot be printed (undecodable bytes of a file name).
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")
_MAX_TEXT = 1000


def _printable(text: str) -> str:
    text = _UNPRINTABLE.sub(lambda m: repr(m.group())[1:-1], text)
    return text if len(text) <= _MAX_TEXT else text[: _MAX_TEXT - 3] + "..."


def _plain(text: str) -> bool:
    """Text that _printable leaves as it is: printable ASCII (none of _UNPRINTABLE), short enough."""
    return text.isascii() and text.isprintable() and len(text) <= _MAX_TEXT


def printable(problem: Problem) -> Problem:
    """The problem with text from the files made safe to print: one line, no control characters, capped."""
    if _plain(problem.path) and _plain(problem.key) and _plain(problem.message):
        return problem  # the common case; a workspace can have thousands of warnings
    return dataclasses.replace(
        problem,
        path=_printable(problem.path),
        key=_printable(problem.key),
        message=_printable(problem.message),
    )


def _key_text(key: Hashable) -> str:
    return str(key)


def locate(root: Any, loc: Iterable[Any]) -> tuple[int, str]:
    """Line and dotted key path of a location (a tuple of keys and indexes) in a loaded document."""
    node = root
    line = getattr(root, "line", 1)
    path = ""
    for part in loc:
        if isinstance(node, LineMap) and part not in node:
            # pydantic names a key that is not text (a date, null, 1.5) by its repr
            part = next((k for k in node if not isinstance(k, str) and repr(k) == part), part)
        if isinstance(node, LineMap) and part in node:
            line = node.key_lines.get(part, line)
            path += ("." if path else "") + _key_text(part)
            node = node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and 0 <= part < len(node):
            line = node.item_lines[part]
            path += f"[{part}]"
            node = node[part]
        elif part in _UNION_TAGS or part == "[key]":
            continue
        else:
            path += ("." if path else "") + _key_text(part)
            node = None
    return line, path


@dataclass
class Collector:
    """Collects problems for one file and knows how to place them."""

    path: str
    data: Any
    problems: list[Problem] = field(default_factory=list)

    def add(self, loc: Iterable[Any], message: str, *, warning: bool = False) -> None:
        """Record a problem at a location in this file's data."""
        line, key = locate(self.data, loc)
        self.problems.append(Problem(self.path, line, key, message, warning))


def _known_keys(model: type[BaseModel]) -> set[str]:
    keys: set[str] = set()
    pending: list[type[BaseModel]] = [model]
    seen: set[type[BaseModel]] = set()
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        keys.update(current.model_fields)
        for info in current.model_fields.values():
            pending.extend(_models_in(info.annotation))
    return keys


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in getattr(annotation, "__args__", ()) for m in _models_in(arg)]


def suggest(word: str, options: Iterable[str]) -> str:
    """' (did you mean 'x'?)' when a close option exists."""
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _shown(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _message(error: Any, model: type[BaseModel]) -> tuple[tuple[Any, ...], str]:
    """Location and plain-words message of one pydantic error."""
    kind, loc, ctx, value = error["type"], tuple(error["loc"]), error.get("ctx") or {}, error.get("input")
    if kind == "evaltool":
        return loc, str(error["msg"])
    if kind == "missing":
        return loc[:-1], f"missing required key '{loc[-1]}'"
    if kind == "invalid_key":
        return loc, f"a key must be text, not {_shown(value)} (quote it)"
    if kind == "extra_forbidden":
        return loc, f"unknown key '{loc[-1]}'" + suggest(str(loc[-1]), _known_keys(model))
    if kind == "literal_error":
        return loc, f"must be one of {ctx.get('expected')}, not {_shown(value)}"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        bound = {"greater_than_equal": ">=", "less_than_equal": "<=", "greater_than": ">", "less_than": "<"}
        limit = next(iter(ctx.values()))
        return loc, f"must be {bound[kind]} {limit:g}, not {_shown(value)}"
    if kind in ("too_short", "too_long"):
        return loc, "must not be empty" if kind == "too_short" else "has too many items"
    if kind == "list_type":
        return loc, f"must be a list, not {_shown(value)}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return loc, f"must be a mapping of keys to values, not {_shown(value)}"
    if kind in ("string_type",):
        return loc, f"must be text, not {_shown(value)}"
    if kind.startswith("int_"):
        return loc, f"must be a whole number, not {_shown(value)}"
    return loc, str(error["msg"])


def validate_model(model: type[M], data: Any, collector: Collector) -> M | None:
    """Validate one document; on failure record every error and return None."""
    if data is None:
        collector.add((), "the file is empty")
        return None
    if not isinstance(data, Mapping):
        collector.add((), f"the file must hold a mapping of keys to values, not {_shown(data)}")
        return None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            loc, message = _message(error, model)
            collector.add(loc, message)
        return None


# --- reading files -------------------------------------------------------------------------------------


@dataclass
class Loaded:
    """One file as read: relative path, parsed data (None if unreadable) and its hash."""

    path: str
    data: Any
    sha256: str
    ok: bool


def _inside(resolved: Path, root: Path) -> bool:
    try:
        resolved.relative_to(root.resolve())
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symbolic link loop (Python < 3.13)
        return False
    return True


def _outside(path: Path, root: Path) -> str | None:
    """Why a file is refused as lying outside the workspace (through a symbolic link), or None."""
    try:
        resolved = path.resolve()  # once: every file of the workspace passes here
    except (OSError, RuntimeError):
        return "is a symbolic link that loops; refused"
    if _inside(resolved, root):
        return None
    if path.is_symlink():
        return "is a symbolic link to a file outside the workspace; refused"
    return "lies outside the workspace (a folder on its path is a symbolic link); refused"


def read_yaml(root: Path, relative: str, problems: list[Problem]) -> Loaded:
    """Read and parse one file; a problem is recorded (once) if it cannot be."""
    path = root / relative
    refused = _outside(path, root)
    if refused is not None:
        problems.append(Problem(relative, 0, "", refused))
        return Loaded(relative, None, "", False)
    try:
        raw = read_bytes(path.resolve() if path.is_symlink() else path)
        data = load_text(decode(raw))
    except YamlError as exc:
        problems.append(Problem(relative, exc.line, "", exc.message))
        return Loaded(relative, None, "", False)
    return Loaded(relative, data, hashlib.sha256(raw).hexdigest(), True)


def _yaml_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    # A folder named like a YAML file is kept, so that it is reported rather than silently skipped.
    return sorted(p for p in folder.iterdir() if p.suffix in YAML_SUFFIXES and not p.name.startswith("."))


# --- cross-file checks ---------------------------------------------------------------------------------


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
    """Weights that leave something to score; metric criteria whose grades depend on the vendors compared."""
    for i, category in enumerate(catalog.categories):
        if category.weight > 0 and all(k.weight == 0 for k in category.criteria):
            c.add(
                ("categories", i, "weight"),
                f"category '{category.id}' has a weight but all its criteria have 0",
            )
        for j, criterion in enumerate(category.criteria):
            if criterion.is_metric and criterion.grading is None:
                c.add(
                    ("categories", i, "criteria", j, "id"),
                    f"metric criterion '{criterion.id}' has no grading: its grades are min-max across the "
                    "compared vendors, so they change with the vendors compared",
                    warning=True,
                )
    if all(category.weight == 0 for category in catalog.categories):
        c.add(("categories",), "every category has weight 0; at least one must be positive")


def check_profile(profile: Profile, catalog: Catalog, stem: str, c: Collector) -> None:
    """Profile ids, weights, gates and AHP against the catalog."""
    if profile.id != stem:
        c.add(("id",), f"id '{profile.id}' must equal the file name '{stem}'")
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
        _check_ahp(profile, categories, c)
    _check_effective_weights(profile, catalog, c)


def _check_ahp(profile: Profile, categories: Mapping[str, Any], c: Collector) -> None:
    assert profile.ahp is not None
    unknown = [item for item in profile.ahp.items if item not in categories]
    for index, item in enumerate(profile.ahp.items):
        if item in unknown:
            c.add(("ahp", "items", index), f"unknown category id '{item}'" + suggest(item, categories))
    missing = [category for category in categories if category not in profile.ahp.items]
    if missing:
        c.add(("ahp", "items"), "must list every category exactly once; missing: " + ", ".join(missing))
    if not unknown and not missing:
        result = ahp_module.ahp(profile.ahp.matrix)
        if not result.consistent:
            c.add(
                ("ahp", "matrix"),
                f"the pairwise judgements are inconsistent: consistency ratio {result.cr:.3f} > 0.10 "
                "(Saaty); revisit the comparisons",
                warning=True,
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


# --- the loader ----------------------------------------------------------------------------------------


def _load_models(
    files: list[Loaded], model: type[M], problems: list[Problem]
) -> list[tuple[Loaded, M, Collector]]:
    out = []
    for loaded in files:
        collector = Collector(loaded.path, loaded.data, problems)
        if loaded.ok:
            instance = validate_model(model, loaded.data, collector)
            if instance is not None:
                out.append((loaded, instance, collector))
    return out


def _check_duplicate_ids(models: list[tuple[Loaded, Any, Collector]], kind: str) -> None:
    seen: dict[str, str] = {}
    for loaded, model, collector in models:
        if model.id in seen:
            collector.add(("id",), f"{kind} id '{model.id}' is also used by {seen[model.id]}")
        seen.setdefault(model.id, loaded.path)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Loading builds many small objects and no cycles; the cyclic collector would only rescan them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def check_workspace(root: Path, as_of: dt.date | None = None) -> tuple[Workspace | None, list[Problem]]:
    """Load everything; return the workspace (None if any error) and every problem, warnings included."""
    with _collector_paused():
        return _check_workspace(root, as_of)


def _check_workspace(root: Path, as_of: dt.date | None) -> tuple[Workspace | None, list[Problem]]:
    as_of = as_of or dt.date.today()
    problems: list[Problem] = []
    present = [n for n in CATALOG_NAMES if (root / n).exists() or (root / n).is_symlink()]
    catalog_name = present[0] if present else None
    for extra in present[1:]:
        problems.append(
            Problem(extra, 0, "", f"a second catalog beside {present[0]}: keep one and remove the other")
        )
    if catalog_name is None:
        problems.append(
            Problem(CATALOG_NAMES[0], 0, "", "not found: a workspace needs criteria/catalog.yaml")
        )
    profile_files = [read_yaml(root, p.relative_to(root).as_posix(), problems)
                     for p in _yaml_files(root / "criteria" / "profiles")]  # fmt: skip
    vendor_files = [
        read_yaml(root, p.relative_to(root).as_posix(), problems) for p in _yaml_files(root / "vendors")
    ]
    catalog_file = read_yaml(root, catalog_name, problems) if catalog_name else None
    catalogs = _load_models([catalog_file] if catalog_file else [], Catalog, problems)
    profiles = _load_models(profile_files, Profile, problems)
    vendors = _load_models(vendor_files, Vendor, problems)
    if not vendor_files:
        problems.append(Problem("vendors", 0, "", "no vendor files yet: add vendors/<id>.yaml", warning=True))
    if catalog_file is not None and catalog_file.ok:
        check_catalog_ids(Collector(catalog_file.path, catalog_file.data, problems))
    if not catalogs:
        return None, sorted(map(printable, problems))
    catalog = catalogs[0][1]
    check_catalog(catalog, catalogs[0][2])
    for loaded, profile, collector in profiles:
        check_profile(profile, catalog, Path(loaded.path).stem, collector)
    _check_duplicate_ids(profiles, "profile")
    for loaded in vendor_files:
        if loaded.ok:
            check_vendor(
                catalog, Path(loaded.path).stem, as_of, Collector(loaded.path, loaded.data, problems)
            )
    _check_duplicate_ids(vendors, "vendor")
    problems = sorted(map(printable, problems))
    if any(not p.warning for p in problems):
        return None, problems
    every = [f for f in [catalog_file, *profile_files, *vendor_files] if f is not None]
    workspace = Workspace(
        root=root,
        catalog=catalog,
        profiles={p.id: p for _, p, _ in profiles},
        vendors=tuple(sorted((v for _, v, _ in vendors), key=lambda v: v.id)),
        files=tuple(SourceFile(f.path, f.sha256) for f in every),
        vendor_paths={v.id: loaded.path for loaded, v, _ in vendors},
        warnings=tuple(problems),
        as_of=as_of,
    )
    return workspace, problems


def load_workspace(root: Path, as_of: dt.date | None = None) -> Workspace:
    """Load a valid workspace or raise :class:`InputError` listing every problem."""
    workspace, problems = check_workspace(root, as_of)
    if workspace is None:
        raise InputError(problems)
    return workspace
