"""Fuzzing the whole path with structure-aware mutations of the bundled files.

Each example takes one of the repository's own files (the catalog, a profile or a vendor), parses it,
applies a few mutations to the data (delete, duplicate or rename a key, swap a value's type, insert
unicode and control characters, flip a number to a string, NaN, a negative or a huge value, nest a value
deeper, put a plausible score, weight or gate in place of a number, or make a vendor the twin of another),
writes it back as YAML, may then damage the text (truncate it, inject tags, anchors, aliases, merge keys,
a second document, tabs, a BOM, NUL bytes, duplicate or drop a line), and puts it in a small workspace
beside unmodified bundled files (the catalog with either missing-data policy, a profile, two vendors of
one segment and one of another). Then:

- `check_workspace` never raises: every problem comes back as a Problem, printable on one line;
- `evaltool validate` exits 0 or 1 (never 3), and 1 exactly when there is an error;
- an invalid workspace is refused by every command with exit 1 and its problems, one `path:line:` each;
- a workspace that validates goes through every command, with a drawn method (wsm or topsis), profile
  (none or one of the workspace's) and, when it has several segments, `--segment`: score, sensitivity and
  recommend as JSON (200 weight samples, flip points), the report as Markdown and HTML and the scorecard
  as XLSX, CSV and JSON. Each exits 0, and:
  - every eligible vendor has a rank, ineligible ones none, and rank 1 exists where any vendor is eligible;
  - P(first) sums to at least 1 per segment with an eligible vendor;
  - the vendor the recommendation says "leads" (proceed or conditional) is ranked 1;
  - the exported JSON and CSV numbers are those of the Evaluation computed here with the same settings;
  - no JSON output (including the report's chart data) holds NaN or Infinity;
  - every Markdown table row has its table's number of cells; no CSV text and no workbook cell is a formula.

The suite runs a fast, derandomised profile (the same 150 examples every time, so `make test` is stable);
benchmarks/fuzz_long.py runs the same property on fresh random examples (`make fuzz`: 20,000, or 30 minutes).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from cli_runner import invoke
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evaltool.errors import Problem
from evaltool.evaluation import Evaluation, evaluate
from evaltool.scoring import METHODS
from evaltool.serialize import FORMULA_START
from evaltool.workspace import Workspace, check_workspace

REPO = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2026, 11, 30)
CATALOG = "criteria/catalog.yaml"
PROFILES = sorted(p.relative_to(REPO).as_posix() for p in (REPO / "criteria" / "profiles").glob("*.yaml"))
VENDORS = sorted(p.relative_to(REPO).as_posix() for p in (REPO / "vendors").glob("*.yaml"))
TARGETS = [CATALOG, *PROFILES, *VENDORS]
TEXTS = {name: (REPO / name).read_text(encoding="utf-8") for name in TARGETS}
SEGMENT_OF = {name: yaml.safe_load(TEXTS[name])["segment"] for name in VENDORS}
# Two vendors of one segment (so that there is a ranking to check) and one of another (so that --segment
# has a choice); the first of them is the one a "twin" mutation copies.
PAIR = [name for name in VENDORS if SEGMENT_OF[name] == SEGMENT_OF[VENDORS[0]]][:2]
COMPANION_VENDORS = [*PAIR, next(name for name in VENDORS if SEGMENT_OF[name] != SEGMENT_OF[VENDORS[0]])]
POLICIES = ("zero", "exclude")
SAMPLES = 200  # weight samples per Monte Carlo: enough to exercise it, few enough for the suite
FAST = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# --- values ---------------------------------------------------------------------------------------------

NASTY_CHARS = st.sampled_from(
    ["\x00", "\x07", "\x1b[2J", "\x85", "\u2028", "\u202e", "\ufeff", "\ud800", "\t", "\r", "\n", "'", '"',
     "\\", ":", "#", "&a", "*a", "!!", "{", "[", "- ", "é", "日本", "🙂", "\U0010ffff"]
)  # fmt: skip
NASTY_TEXT = st.lists(st.one_of(NASTY_CHARS, st.text(max_size=6)), min_size=1, max_size=4).map("".join)
NUMBERS = st.one_of(
    st.integers(-(10**6), 10**6),
    st.sampled_from([0, -1, -0.0, 5.5, 1e308, -1e308, 10**20, 10**400, math.nan, math.inf, -math.inf]),
    st.floats(allow_nan=True, allow_infinity=True),
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    NUMBERS,
    NASTY_TEXT,
    st.dates(min_value=dt.date(1, 1, 1)),
    st.sampled_from(["", "yes", "null", "2026-02-30", "1/3", "0x1F", "1e3", ".nan", "~", "<<"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.one_of(NASTY_TEXT, SCALARS), inner, max_size=3)
    ),
    max_leaves=6,
)

# --- mutations of the data ------------------------------------------------------------------------------

Slot = tuple[Any, Any]  # (container, key or index) of one value in the document


def slots(node: Any) -> list[Slot]:
    """Every (container, key) pair in the document, depth first."""
    out: list[Slot] = []
    pending = [node]
    while pending:
        current = pending.pop()
        items = current.items() if isinstance(current, dict) else enumerate(current)
        for key, value in list(items):
            out.append((current, key))
            if isinstance(value, dict | list) and value:
                pending.append(value)
    return out


def _delete(data: st.DataObject, container: Any, key: Any) -> None:
    del container[key]


def _rename(data: st.DataObject, container: Any, key: Any) -> None:
    if isinstance(container, dict):
        new = data.draw(
            st.one_of(
                NASTY_TEXT,
                SCALARS.filter(lambda k: not isinstance(k, float) or not math.isnan(k)),
                st.just(str(key).upper()),
                st.just(f"{key}x"),
            )
        )
        container[new] = container.pop(key)


def _duplicate(data: st.DataObject, container: Any, key: Any) -> None:
    if isinstance(container, list):
        container.insert(key, container[key])
    else:  # a dict cannot hold the same key twice: the text mutations duplicate lines instead
        container[f"{key}-copy"] = container[key]


def _swap_type(data: st.DataObject, container: Any, key: Any) -> None:
    container[key] = data.draw(VALUES)


def _insert_chars(data: st.DataObject, container: Any, key: Any) -> None:
    value = container[key]
    text = value if isinstance(value, str) else str(value)
    at = data.draw(st.integers(0, len(text)))
    container[key] = text[:at] + data.draw(NASTY_TEXT) + text[at:]


def _flip_number(data: st.DataObject, container: Any, key: Any) -> None:
    value = container[key]
    if isinstance(value, int | float) and not isinstance(value, bool):
        container[key] = data.draw(
            st.sampled_from(
                [str(value), -value, value * 10**6, math.nan, math.inf, 10**400, f"{value}%", None]
            )
        )
    else:
        container[key] = data.draw(NUMBERS)


def _nest(data: st.DataObject, container: Any, key: Any) -> None:
    value = container[key]
    for _ in range(data.draw(st.integers(1, 40))):
        value = data.draw(st.sampled_from([[value], {"x": value}]))
    container[key] = value


# Values a careful author could write for a score, a weight or a gate: they keep many workspaces valid, so
# that the rest of the path (evaluation, report, scorecard) sees zeros, unscored cells, ties and extremes.
PLAUSIBLE = st.one_of(
    st.sampled_from([0, 0.5, 1, 2, 2.5, 3, 4, 4.5, 5, None]),
    st.sampled_from([1e-9, 0.001, 1e6, 1e12, 10**15]),
    st.integers(0, 100),
)


def _plausible(data: st.DataObject, container: Any, key: Any) -> None:
    container[key] = data.draw(PLAUSIBLE, label="plausible value")


def _is_number(value: Any) -> bool:
    return value is None or (isinstance(value, int | float) and not isinstance(value, bool))


def _nasty_text(data: st.DataObject, container: Any, key: Any) -> None:
    _insert_chars(data, container, key)  # placed in a text (a name, an evidence...), where it is allowed


DATA_MUTATIONS: list[Callable[[st.DataObject, Any, Any], None]] = [
    _delete, _rename, _duplicate, _swap_type, _insert_chars, _flip_number, _nest, _plausible, _plausible,
    _nasty_text,
]  # fmt: skip
# The mutations that go where their value fits (when the document has such a place).
FITTING: dict[Callable[..., None], Callable[[Any], bool]] = {
    _plausible: _is_number,
    _nasty_text: lambda value: isinstance(value, str),
}


def mutate_data(data: st.DataObject, document: Any) -> Any:
    """Apply 1-3 data mutations, each at a drawn place; the document itself may be replaced.

    A plausible value goes where a number (or null) is and nasty text into a text (see FITTING).
    """
    for _ in range(data.draw(st.integers(1, 3), label="data mutations")):
        places = slots(document) if isinstance(document, dict | list) else []
        if not places:
            return data.draw(VALUES)
        mutation = data.draw(st.sampled_from(DATA_MUTATIONS), label="mutation")
        fits = FITTING.get(mutation)
        places = [(c, k) for c, k in places if fits is not None and fits(c[k])] or places
        container, key = data.draw(st.sampled_from(places), label="place")
        mutation(data, container, key)
    return document


def twin(document: Any) -> Any:
    """A vendor with the segment and every assessment of the first companion: the two tie exactly."""
    model = yaml.safe_load(TEXTS[PAIR[0]])
    if isinstance(document, dict) and "assessments" in document:
        document.update(segment=model["segment"], assessments=model["assessments"])
    return document


# --- mutations of the text ------------------------------------------------------------------------------

SNIPPETS = st.sampled_from([
    "!!python/object/apply:os.system ['echo pwned'] ", "!!python/name:os.system ", "!custom ", "!<tag:x> ",
    "!!binary ", "!!set ", "&anchor ", "*anchor", "<<: {a: 1}\n", "---\n", "...\n", "%YAML 1.1\n---\n",
    "\t", "\ufeff", "\x00", "\r\n", "\r", "? [a, b]\n: c\n", "{", "}", "[", "]", "'", '"', "|\n", ">-\n",
    "key: value\n", ": ", "- ", "# comment\n", "@", "`", "\x1b[31m", "\u2028", "\\", "a: &x 1\nb: *x\n",
])  # fmt: skip


def mutate_text(data: st.DataObject, text: str) -> str:
    """Apply 0-2 text mutations: insert a snippet, duplicate, drop or swap lines, indent with a tab, cut."""
    for _ in range(data.draw(st.integers(0, 2), label="text mutations")):
        lines = text.splitlines(keepends=True) or [""]
        kind = data.draw(st.sampled_from(["insert", "duplicate", "drop", "swap", "tab", "truncate"]))
        i = data.draw(st.integers(0, len(lines) - 1))
        if kind == "insert":
            at = data.draw(st.integers(0, len(text)))
            text = text[:at] + data.draw(SNIPPETS) + text[at:]
        elif kind == "duplicate":
            text = "".join(lines[: i + 1] + lines[i:])
        elif kind == "drop":
            text = "".join(lines[:i] + lines[i + 1 :])
        elif kind == "swap":
            j = data.draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
            text = "".join(lines)
        elif kind == "tab":
            lines[i] = "\t" + lines[i].lstrip(" ")
            text = "".join(lines)
        else:
            text = text[: data.draw(st.integers(0, len(text)))]
    return text


def dump(document: Any) -> str:
    try:
        return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=200)
    except yaml.YAMLError:  # a value PyYAML cannot represent: keep a plain string of it
        return yaml.safe_dump(repr(document), allow_unicode=True)


def bundled_texts(policy: str) -> dict[str, str]:
    """The bundled files, the catalog's missing-data policy set to `policy`."""
    catalog = TEXTS[CATALOG].replace("\nmissing: zero\n", f"\nmissing: {policy}\n")
    return {**TEXTS, CATALOG: catalog}


def mutated_file(data: st.DataObject, texts: dict[str, str]) -> tuple[str, bytes]:
    """One of `texts`, mutated: (its workspace path, the bytes to write)."""
    target = data.draw(st.sampled_from(TARGETS), label="file")
    text = texts[target]
    if data.draw(st.booleans(), label="mutate the data"):
        document = yaml.safe_load(text)
        if target in VENDORS and data.draw(st.booleans(), label="twin"):
            document = twin(document)
        text = dump(mutate_data(data, document))
    text = mutate_text(data, text)
    return target, text.encode("utf-8", errors="surrogatepass")


# --- the workspace ------------------------------------------------------------------------------------


def companions(target: str) -> list[str]:
    """Unmodified files placed beside the mutated one: the catalog, a profile, three vendors."""
    return [CATALOG, PROFILES[0], *COMPANION_VENDORS, target]


def write_workspace(root: Path, target: str, content: bytes, texts: dict[str, str] = TEXTS) -> None:
    if root.exists():
        shutil.rmtree(root)
    (root / "criteria" / "profiles").mkdir(parents=True)
    (root / "vendors").mkdir()
    for name in companions(target):
        (root / name).write_bytes(content if name == target else texts[name].encode("utf-8"))


def run_cli(*args: Any) -> tuple[int, str, str]:
    return invoke(args)


def crash_details(err: str) -> str:
    """The error output, with the crash log's traceback when the CLI wrote one (exit 3)."""
    logged = re.search(r"details written to (\S+)$", err.strip())
    if logged and Path(logged.group(1)).is_file():
        return err + Path(logged.group(1)).read_text(encoding="utf-8")
    return err


def strict_json(text: str) -> Any:
    """Parse JSON, refusing NaN and Infinity (Python's json writes them; JSON has no such numbers)."""

    def refuse(constant: str) -> Any:
        raise AssertionError(f"{constant} in JSON output")

    return json.loads(text, parse_constant=refuse)


# --- what every valid workspace must give -----------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """One way through the whole path: the settings drawn for a valid workspace."""

    method: str
    missing: str
    profile: str | None
    segment: str | None

    def options(self, root: Path) -> list[str]:
        """The command-line options shared by every command (the `=` form: ids and names may start with -)."""
        chosen = [f"--profile={self.profile}"] if self.profile else []
        chosen += [f"--segment={self.segment}"] if self.segment else []
        return ["-w", str(root), "--as-of", AS_OF.isoformat(), *chosen]


def draw_run(data: st.DataObject, workspace: Workspace) -> Run:
    method = data.draw(st.sampled_from(METHODS), label="method")
    profile = data.draw(st.sampled_from([None, *sorted(workspace.profiles)]), label="profile")
    segments = workspace.segments()
    segment = data.draw(st.sampled_from([None, *segments]), label="segment") if len(segments) > 1 else None
    return Run(method, workspace.catalog.missing, profile, segment)


def cli_ok(*args: Any) -> str:
    code, out, err = run_cli(*args)
    assert code == 0, (args, crash_details(err))
    return out


def cli_file(out: Path, *args: Any) -> Path:
    """Run a command that writes `out`; it prints the path written."""
    printed = cli_ok(*args, "--out", out)
    assert printed.strip() == str(out), printed
    assert out.is_file() and out.stat().st_size > 0
    return out


def assert_ranks(vendors: list[dict[str, Any]]) -> None:
    """Eligible vendors have a rank (1..n), no other vendor has one, and rank 1 exists if any is eligible."""
    for segment in {v["segment"] for v in vendors}:
        those = [v for v in vendors if v["segment"] == segment]
        eligible = [v for v in those if v["eligible"]]
        assert all(type(v["rank"]) is int and 1 <= v["rank"] <= len(eligible) for v in eligible), those
        assert all(v["rank"] is None for v in those if not v["eligible"]), those
        assert not eligible or any(v["rank"] == 1 for v in eligible), those


def assert_p_top(sensitivity: dict[str, Any]) -> None:
    """P(first) is a probability, and sums to at least 1 in a segment with an eligible vendor."""
    rows = sensitivity["vendors"]
    for segment in {v["segment"] for v in rows}:
        those = [v for v in rows if v["segment"] == segment]
        assert all(0 <= v["p_top"] <= 1 for v in those), those
        if any(v["eligible"] for v in those):
            assert sum(v["p_top"] for v in those) >= 1 - 1e-9, those


def assert_leader_ranked_first(recommendations: list[dict[str, Any]], ranks: dict[str, int | None]) -> None:
    """The vendor a recommendation calls the leader (proceed or conditional, "leads") is ranked 1."""
    for r in recommendations:
        if r["decision"] in ("proceed", "conditional") and any("leads" in why for why in r["reasons"]):
            assert ranks[r["vendor"]] == 1, (r, ranks)


def assert_export_json(doc: dict[str, Any], ev: Evaluation) -> None:
    """The scorecard JSON holds exactly the Evaluation's numbers, vendors by segment then rank."""
    result, sens = ev.result, ev.sensitivity
    vendors = result.vendors()
    assert [j["id"] for j in doc["vendors"]] == [v.id for v in vendors]
    for v, j in zip(vendors, doc["vendors"], strict=True):
        assert (j["rank"], j["score"], j["eligible"]) == (v.rank, v.score, v.eligible)
        assert j["coverage"] == v.coverage
        assert j["categories"] == v.categories
        cells = {k: (c["raw"], c["grade"], c["contribution"]) for k, c in j["cells"].items()}
        assert cells == {k: (c.raw, c.grade, c.contribution) for k, c in v.cells.items()}
    assert doc["weights"]["criteria"] == result.weights.criteria
    for j in doc["sensitivity"]["vendors"]:
        s = sens.vendors[j["id"]]
        assert j["p_top"] == s.p_top and j["mean_score"] == s.mean_score
        assert j["rank_probabilities"] == list(s.rank_probabilities)
        assert j["score_interval"] == list(s.score_interval)
    flips = [
        (f["segment"], f.get("criterion", f.get("category")), f["weight"], f["leader"],
         f["leader_changes_at"], f["new_leader"])
        for f in doc["sensitivity"]["flip_points"] + doc["sensitivity"]["category_flip_points"]
    ]  # fmt: skip
    ordered = sorted(sens.flips, key=lambda f: f.kind != "criterion")  # criteria first, then categories
    expected = [(f.segment, f.id, f.weight, f.leader, f.leader_changes_at, f.new_leader) for f in ordered]
    assert flips == expected
    decisions = [(r["vendor"], r["decision"]) for r in doc["recommendations"]]
    assert decisions == [(v.id, ev.recommendations[v.id].decision) for v in vendors]


def _number(text: str) -> int | float | None:
    if text == "":
        return None
    return int(text) if re.fullmatch(r"-?\d+", text) else float(text)


CSV_NUMBERS = ("rank", "score", "coverage", "weight", "raw", "grade", "contribution")


def assert_export_csv(text: str, ev: Evaluation) -> None:
    """One row per vendor x criterion, holding exactly the Evaluation's numbers."""
    result = ev.result
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    expected = [(v, k) for v in result.vendors() for k in result.criteria]
    assert len(rows) == len(expected)
    for row, (v, k) in zip(rows, expected, strict=True):
        cell = v.cells[k.id]
        assert (row["vendor_id"], row["criterion_id"]) == (v.id, k.id)
        numbers = [_number(row[column]) for column in CSV_NUMBERS]
        weight = result.weights.criteria[k.id]
        assert numbers == [v.rank, v.score, v.coverage, weight, cell.raw, cell.grade, cell.contribution], row
        assert row["eligible"] == str(v.eligible) and row["decision"] == ev.recommendations[v.id].decision
        for column, value in row.items():  # text a spreadsheet would run as a formula is neutralised
            assert not value.startswith(FORMULA_START) or _is_csv_number(value), (column, value)


def _is_csv_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def assert_no_formula(path: Path) -> None:
    """The workbook holds values only: no cell of any sheet is a formula."""
    with zipfile.ZipFile(path) as book:
        assert book.testzip() is None and "xl/workbook.xml" in book.namelist()
        for name in book.namelist():
            if name.startswith("xl/worksheets/"):
                assert not re.search(rb"<f[ >]", book.read(name)), name


FIGURES = re.compile(r'<script type="application/json" id="evaltool-figures">(.*?)</script>', re.S)


def markdown_tables(text: str) -> list[list[int]]:
    """The number of cells of each row, per table (a block of lines starting with |)."""
    tables: list[list[int]] = []
    previous = ""
    for line in text.splitlines():
        if line.startswith("|"):
            if not previous.startswith("|"):
                tables.append([])
            tables[-1].append(re.sub(r"\\.", "", line).count("|"))  # an escaped \| is not a separator
        previous = line
    return tables


def assert_report(path: Path, ev: Evaluation) -> None:
    """The report names every vendor it covers; no text breaks a Markdown table; the HTML's chart data is
    JSON without NaN or Infinity."""
    text = path.read_text(encoding="utf-8")
    for v in ev.result.vendors():
        assert v.id in text, v.id
    if path.suffix == ".md":
        for rows in markdown_tables(text):
            assert len(set(rows)) == 1, rows
    if path.suffix == ".html":
        figures = FIGURES.search(text)
        assert figures is not None
        strict_json(figures.group(1))


EXPORTS = ("xlsx", "csv", "json")


def whole_path(root: Path, workspace: Workspace, run: Run) -> None:
    """Every command and every writer on a valid workspace; the invariants hold."""
    options = [*run.options(root), "--samples", SAMPLES]
    segments = None if run.segment is None else [run.segment]
    ev = evaluate(workspace, workspace.profile(run.profile), method=run.method,  # type: ignore[arg-type]
                  segments=segments, samples=SAMPLES,
                  segment_profiles=workspace.segment_profiles(run.profile))  # fmt: skip
    out = root.parent / "out"
    shutil.rmtree(out, ignore_errors=True)

    scored = strict_json(cli_ok("score", *run.options(root), "--method", run.method, "--format", "json"))
    assert_ranks(scored["vendors"])
    assert [(v["id"], v["rank"], v["score"]) for v in scored["vendors"]] == [
        (v.id, v.rank, v.score) for v in ev.result.vendors()
    ]
    options += ["--method", run.method]
    sensitivity = strict_json(cli_ok("sensitivity", *options, "--format", "json"))
    assert_p_top(sensitivity)
    recommended = strict_json(cli_ok("recommend", *options, "--format", "json"))
    advice = recommended["recommendations"]
    for fmt in ("md", "html"):
        assert_report(cli_file(out / f"report.{fmt}", "report", *options, "-f", fmt), ev)
    exports = {fmt: cli_file(out / f"scorecard.{fmt}", "export", *options, "-f", fmt) for fmt in EXPORTS}
    assert_no_formula(exports["xlsx"])
    assert_export_csv(exports["csv"].read_text(encoding="utf-8"), ev)
    doc = strict_json(exports["json"].read_text(encoding="utf-8"))
    assert_export_json(doc, ev)
    assert_ranks(doc["vendors"])
    assert_p_top(doc["sensitivity"])
    ranks = {v["id"]: v["rank"] for v in doc["vendors"]}
    assert_leader_ranked_first(doc["recommendations"], ranks)
    # one method, one story: recommend, sensitivity and the scorecard agree under either method
    assert advice == doc["recommendations"]
    assert recommended["segments"] == doc["segments"]
    assert sensitivity["vendors"] == doc["sensitivity"]["vendors"]
    assert sensitivity["flip_points"] == doc["sensitivity"]["flip_points"]
    assert_leader_ranked_first(advice, ranks)
    for segment in doc["segments"]:
        leader = segment["leader"]
        assert leader is None or ranks[leader] == 1
        assert not segment["tie"] or leader in segment["tied"]
        assert all(
            f["leader"] == leader for f in sensitivity["flip_points"] if f["segment"] == segment["name"]
        )


# --- what every invalid workspace must give ---------------------------------------------------------------

REFUSING = [
    ("score", "--format", "json"),
    ("sensitivity", "--samples", SAMPLES, "--format", "json"),
    ("recommend", "--samples", SAMPLES, "--format", "json"),
    *(("report", "--samples", SAMPLES, "-f", fmt, "--out") for fmt in ("md", "html")),
    *(("export", "--samples", SAMPLES, "-f", fmt, "--out") for fmt in EXPORTS),
]


def refused(root: Path, problems: list[Problem], data: st.DataObject) -> None:
    """A drawn command refuses the workspace: exit 1, nothing written, each problem on a `path:line:` line."""
    command = data.draw(st.sampled_from(REFUSING), label="command")
    target = root.parent / "out" / "refused"
    args = [*command, target] if command[-1] == "--out" else list(command)
    code, out, err = run_cli(*args, "-w", root, "--as-of", AS_OF.isoformat())
    assert code == 1, crash_details(err)
    assert out == "" and not target.exists()
    assert err == "".join(f"{p}\n" for p in problems)
    for p in problems:
        if not p.warning:  # a problem in a key has its line; only a file as a whole (unreadable) has none
            assert (root / p.path).is_file() and (p.line >= 1 or not p.key), p


# --- the property ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What one example gave (for the long run's statistics)."""

    problems: list[Problem]
    run: Run | None  # how the whole path ran, when the workspace was valid


def check(root: Path, data: st.DataObject) -> Outcome:
    """The property for one example."""
    texts = bundled_texts(data.draw(st.sampled_from(POLICIES), label="missing-data policy"))
    target, content = mutated_file(data, texts)
    write_workspace(root, target, content, texts)

    workspace, problems = check_workspace(root, AS_OF)  # must not raise
    assert all(isinstance(p, Problem) for p in problems)
    for problem in problems:
        text = str(problem)
        assert "\n" not in text and "\r" not in text and "\x1b" not in text, text
    has_errors = any(not p.warning for p in problems)
    assert (workspace is None) == has_errors

    code, out, err = run_cli("validate", "-w", root, "--as-of", AS_OF.isoformat())
    assert code == (1 if has_errors else 0), crash_details(err)
    # errors first, then warnings, each by file and line (docs/cli.md), then the summary line
    listed = sorted(problems, key=lambda p: (p.warning, p.path, p.line, p.key, p.message))
    assert out.splitlines()[:-1] == [str(p) for p in listed]
    if workspace is None:
        refused(root, problems, data)
        return Outcome(problems, None)
    run = draw_run(data, workspace)
    whole_path(root, workspace, run)
    return Outcome(problems, run)


@pytest.fixture(scope="module")
def fuzz_root(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz") / "ws"


@pytest.fixture(autouse=True)
def _plain_environment(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.delenv("EVALTOOL_WORKSPACE", raising=False)


@FAST
@given(data=st.data())
def test_mutated_bundled_files_never_crash_any_command(fuzz_root, data):
    check(fuzz_root, data)


@pytest.mark.parametrize("policy", POLICIES)
def test_the_unmutated_companions_are_valid(fuzz_root, policy):
    # The property is only meaningful if a workspace of unmodified files validates, with either policy, and
    # has a segment of two vendors.
    texts = bundled_texts(policy)
    write_workspace(fuzz_root, VENDORS[-1], texts[VENDORS[-1]].encode(), texts)
    workspace, problems = check_workspace(fuzz_root, AS_OF)
    assert workspace is not None, [str(p) for p in problems if not p.warning]
    assert workspace.catalog.missing == policy
    assert len(PAIR) == 2 and len(workspace.segments()) >= 2


# Every pair of settings (method, policy, profile or not, --segment or not) meets in at least one row.
PAIRWISE = [(0, 0, 0, 0), (0, 1, 1, 1), (1, 0, 1, 1), (1, 1, 0, 1), (1, 1, 1, 0)]


@pytest.mark.parametrize(
    ("method", "policy", "profile", "segment"),
    [
        (METHODS[m], POLICIES[p], [None, Path(PROFILES[0]).stem][f], [None, SEGMENT_OF[PAIR[0]]][s])
        for m, p, f, s in PAIRWISE
    ],
)
def test_the_whole_path_under_every_pair_of_settings(fuzz_root, method, policy, profile, segment):
    # The fuzzed examples draw these settings; here each pair of them runs on unmutated files.
    texts = bundled_texts(policy)
    write_workspace(fuzz_root, VENDORS[-1], texts[VENDORS[-1]].encode(), texts)
    workspace, _ = check_workspace(fuzz_root, AS_OF)
    assert workspace is not None
    whole_path(fuzz_root, workspace, Run(method, policy, profile, segment))
