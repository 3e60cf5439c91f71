"""The report when segments are scored with different profiles (docs/scoring.md#one-profile-per-segment).

Without --profile the sample's segments take the profile that names them: data-platform (Critical tier)
for Vector database, Data catalog and Lakehouse & warehouse, llm-platform (Standard) for LLM platform,
and the catalog's weights (Low) for MLOps platform. Expected values come from the YAML files (effective
weights by hand, AHP weights from numpy's eigenvectors) and from each segment's own report, run with its
own profile, which is a run where every segment shares one profile.
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from cli_runner import invoke
from test_diff import git
from test_reports import AS_OF, NOW, figure_specs, html_text, needs_chromium, stable

from evaltool.evaluation import Evaluation, evaluate
from evaltool.reports import context, render_markdown
from evaltool.workspace import load_workspace

REPO = Path(__file__).resolve().parent.parent
SAMPLES = "500"
# segment -> (profile id or None, the tier the profile's risk puts it in), in the catalog's segment order
SEGMENTS: dict[str, tuple[str | None, str]] = {
    "Vector database": ("data-platform", "Critical"),
    "LLM platform": ("llm-platform", "Standard"),
    "Data catalog": ("data-platform", "Critical"),
    "Lakehouse & warehouse": ("data-platform", "Critical"),
    "MLOps platform": (None, "Low"),
}
LABEL = (
    "Vector database: data-platform; LLM platform: llm-platform; Data catalog: data-platform; "
    "Lakehouse & warehouse: data-platform; MLOps platform: catalog weights"
)
WEIGHTINGS = {  # the appendix's heading of each weighting -> its profile, in the order of first segment
    "Data platform components (data-platform), for Vector database, Data catalog and Lakehouse & warehouse": (
        "data-platform"
    ),
    "LLM platform for internal assistants (llm-platform), for LLM platform": "llm-platform",
    "Catalog weights (no profile), for MLOps platform": None,
}


# ----------------------------------------------------------------------------------------- helpers


def load(relative: str) -> Any:
    return yaml.safe_load((REPO / relative).read_text(encoding="utf-8"))


def eigen_weights(matrix: list[list[Any]]) -> list[float]:
    """The principal eigenvector of a pairwise matrix ("1/2" read as a fraction), summing to 1."""
    a = np.array([[float(Fraction(str(x))) for x in row] for row in matrix])
    values, vectors = np.linalg.eig(a)
    v = np.abs(np.real(vectors[:, int(np.argmax(np.real(values)))]))
    return [float(x) for x in v / v.sum()]


def expected_weights(profile_id: str | None) -> dict[str, tuple[float | None, float]]:
    """Category or criterion id -> (share within its category, effective weight), by hand from the YAML:
    category share x criterion share, a profile's overrides replacing the files' weights, an AHP matrix
    replacing the category weights."""
    catalog = load("criteria/catalog.yaml")
    profile = load(f"criteria/profiles/{profile_id}.yaml") if profile_id else {}
    overrides = profile.get("weights", {})
    categories = catalog["categories"]
    if "ahp" in profile:
        raw = dict(zip(profile["ahp"]["items"], eigen_weights(profile["ahp"]["matrix"]), strict=True))
    else:
        raw = {c["id"]: overrides.get(c["id"], c.get("weight", 1.0)) for c in categories}
    total = sum(raw[c["id"]] for c in categories)
    out: dict[str, tuple[float | None, float]] = {}
    for c in categories:
        share = raw[c["id"]] / total
        out[c["id"]] = (None, share)
        within = {k["id"]: overrides.get(k["id"], k.get("weight", 1.0)) for k in c["criteria"]}
        for key, weight in within.items():
            part = weight / sum(within.values())
            out[key] = (part, share * part)
    return out


def shows(cell: str, share: float) -> bool:
    """Whether a percentage cell ("2.9%", "**11.6%**") is the share correctly rounded to its decimals."""
    text = cell.strip("* %")
    decimals = len(text.partition(".")[2])
    return abs(float(text) - 100 * share) <= 0.5 * 10**-decimals + 1e-9


def section(text: str, start: str, end: str) -> str:
    assert start in text, start
    return text.split(start, 1)[1].split(end, 1)[0]


def subsections(text: str, level: str = "#### ") -> dict[str, str]:
    """Each heading of `level` in a Markdown text -> the text under it, up to the next such heading."""
    parts = re.split(rf"^{level}(.*)$", text, flags=re.M)
    return {parts[i].replace("\\", ""): parts[i + 1] for i in range(1, len(parts), 2)}


def table_rows(text: str) -> list[list[str]]:
    """The cells of each row of the Markdown tables in a text (an escaped "\\|" stays in its cell)."""
    rows = [re.split(r"(?<!\\)\|", line)[1:-1] for line in text.splitlines() if line.startswith("| ")]
    return [[cell.strip() for cell in row] for row in rows]


def chapter(text: str, segment: str) -> tuple[str, str]:
    """A segment's chapter of a Markdown report: its number and its text up to the next chapter."""
    found = re.search(rf"^## (\d+)\. {re.escape(segment)}\n(.*?)(?=^## )", text, re.S | re.M)
    assert found is not None, segment
    return found.group(1), found.group(2)


def summary_block(text: str, segment: str) -> str:
    """A segment's part of the executive summary."""
    summary = section(text, "## 1. Executive summary\n", "\n## ")
    return subsections(summary, "### ")[segment].strip()


def report(tmp: Path, name: str, *args: str) -> tuple[int, str, str]:
    """`evaltool report` on the sample as of a fixed date: (exit code, the report's text, stderr)."""
    target = tmp / name
    code, _out, err = invoke(
        ["report", "-w", REPO, "--as-of", AS_OF.isoformat(), "--samples", SAMPLES, "--out", target, *args]
    )
    return code, target.read_text(encoding="utf-8") if code == 0 else "", err


# ----------------------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("reports")


@pytest.fixture(scope="module")
def mixed_md(out: Path) -> str:
    code, text, err = report(out, "all.md", "-f", "md")
    assert code == 0, err
    return text


@pytest.fixture(scope="module")
def mixed_html(out: Path) -> str:
    code, text, err = report(out, "all.html")
    assert code == 0, err
    return text


@pytest.fixture(scope="module")
def mixed() -> Evaluation:
    ws = load_workspace(REPO, AS_OF)
    return stable(evaluate(ws, samples=int(SAMPLES), now=NOW, segment_profiles=ws.segment_profiles()))


# ----------------------------------------------------------------------------------------- the header


def test_the_header_title_and_provenance_name_each_segments_profile(mixed_md: str, mixed_html: str) -> None:
    assert f"| Profile | {LABEL} |" in section(mixed_md, "# Architecture decision record", "## 1.")
    assert f"| Profile | {LABEL} |" in section(mixed_md, "## Appendix E. Provenance", "## Appendix F")
    title = f"<title>PoC recommendation: all segments ({LABEL}, {AS_OF.isoformat()})</title>"
    assert title.replace("&", "&amp;") in mixed_html
    text = html_text(mixed_html)
    assert f"\nProfile\n{LABEL}\n" in text  # the header's "Profile" and Appendix E's
    assert text.count(f"\n{LABEL}\n") == 2


# ----------------------------------------------------------------------------------------- chapters


def setup_line(segment: str) -> str:
    profile, tier = SEGMENTS[segment]
    if profile is None:
        used = "the catalog's weights (no profile names this segment)"
    else:
        used = f"the profile {load(f'criteria/profiles/{profile}.yaml')['name']} ({profile})"
    return f"Scored with {used}; due-diligence tier: {tier}."


@pytest.mark.parametrize("segment", list(SEGMENTS))
def test_each_chapter_opens_with_its_profile_and_tier(segment: str, mixed_md: str, mixed_html: str) -> None:
    _number, text = chapter(mixed_md, segment)
    assert text.lstrip("\n").split("\n\n")[0] == setup_line(segment)
    html = html_text(mixed_html)
    assert f"{segment}\n{setup_line(segment)}\n" in html


def test_the_chapter_lines_in_full(mixed_md: str) -> None:
    """The three kinds of line spelled out: a profile with the Critical tier, one with the Standard tier,
    and the catalog's weights with the Low tier."""
    lines = {s: chapter(mixed_md, s)[1].lstrip("\n").split("\n")[0] for s in SEGMENTS}
    assert lines["Data catalog"] == (
        "Scored with the profile Data platform components (data-platform); due-diligence tier: Critical."
    )
    assert lines["LLM platform"] == (
        "Scored with the profile LLM platform for internal assistants (llm-platform); due-diligence tier: "
        "Standard."
    )
    assert lines["MLOps platform"] == (
        "Scored with the catalog's weights (no profile names this segment); due-diligence tier: Low."
    )


@pytest.mark.parametrize("segment", list(SEGMENTS))
def test_a_chapter_says_what_the_segments_own_report_says(segment: str, mixed_md: str, out: Path) -> None:
    """The chapter and the executive summary of a segment in the all-segments run are those of the
    segment's own report with its profile: the same scores, stability, reasons, gates and findings."""
    profile, _tier = SEGMENTS[segment]
    chosen = ["--profile", profile] if profile is not None else []
    name = re.sub(r"\W+", "-", segment) + ".md"
    code, own, err = report(out, name, "-f", "md", "--segment", segment, *chosen)
    assert code == 0, err
    number, text = chapter(mixed_md, segment)
    renumbered = re.sub(rf"^(#+ ){number}\.", r"\g<1>2.", text, flags=re.M)
    assert renumbered.replace(setup_line(segment) + "\n\n", "", 1) == chapter(own, segment)[1]
    assert summary_block(mixed_md, segment) == summary_block(own, segment)


def test_a_segment_report_of_a_mixed_run_is_that_of_its_profile(mixed: Evaluation) -> None:
    """`render_markdown(evaluation, segment)` on an evaluation whose segments differ reads as a report on
    that segment scored with its profile: header, weights, evidence weights, everything to Appendix E."""
    ws = load_workspace(REPO, AS_OF)
    alone = stable(
        evaluate(ws, ws.profile("llm-platform"), segments=["LLM platform"], samples=int(SAMPLES), now=NOW)
    )
    ours, theirs = render_markdown(mixed, "LLM platform"), render_markdown(alone, "LLM platform")
    assert "| Profile | LLM platform for internal assistants (llm-platform) |" in ours
    assert ours.split("## Appendix E.")[0] == theirs.split("## Appendix E.")[0]
    # the provenance names the reported segment's profile, not the run's other segments' nor "catalog"
    assert "| Profile | llm-platform |" in section(ours, "## Appendix E. Provenance", "## Appendix F")


# ----------------------------------------------------------------------------------------- Appendix A


def test_appendix_a_has_one_weights_table_per_profile(mixed_md: str) -> None:
    weights = section(mixed_md, "### Effective weights\n", "### Scoring and normalisation")
    assert weights.lstrip().startswith("The segments of this report are scored with different profiles")
    tables = subsections(weights)
    assert list(tables) == list(WEIGHTINGS)
    catalog = load("criteria/catalog.yaml")
    ids = [c["id"] for c in catalog["categories"]] + [
        k["id"] for c in catalog["categories"] for k in c["criteria"]
    ]
    for heading, profile in WEIGHTINGS.items():
        expected = expected_weights(profile)
        rows = table_rows(tables[heading])[1:]  # the header row first
        assert sorted(row[1] for row in rows) == sorted(ids)
        for row in rows:
            within, effective = expected[row[1]]
            assert shows(row[4], effective), (heading, row)
            assert within is None or shows(row[3], within), (heading, row)


def test_the_oracle_agrees_with_the_ahp_weights_the_profile_states() -> None:
    """The profile file states its AHP category weights to four decimals (computed apart)."""
    stated = {"regulatory": 0.1159, "security": 0.1547, "ai-governance": 0.0511, "architecture": 0.1858}
    computed = expected_weights("data-platform")
    assert {k: round(computed[k][1], 4) for k in stated} == stated


def test_each_weighting_has_its_own_chart(mixed_html: str) -> None:
    figures = figure_specs(mixed_html)["figures"]
    catalog = load("criteria/catalog.yaml")
    for i, profile in enumerate(WEIGHTINGS.values(), start=1):
        ident = f"fig-weights-{i}"
        assert f'id="{ident}"' in mixed_html
        expected = expected_weights(profile)
        bars = figures[ident]["data"]
        assert [len(bar["x"]) for bar in bars] == [len(c["criteria"]) for c in catalog["categories"]]
        drawn = [x for bar in bars for x in bar["x"]]
        wanted = [expected[k["id"]][1] for c in catalog["categories"] for k in c["criteria"]]
        assert drawn == pytest.approx(wanted, abs=1e-12)
    assert "fig-weights" not in figures  # no chart of a single, shared weighting
    captions = re.findall(r"<figcaption>(Effective weights[^<]*)</figcaption>", mixed_html)
    assert captions == [
        "Effective weights (data-platform)",
        "Effective weights (llm-platform)",
        "Effective weights (catalog weights)",
    ]


def test_each_weighting_lists_its_own_gates_and_their_origin(mixed_md: str) -> None:
    gates = subsections(section(mixed_md, "### Gates (knock-out criteria)\n", "### Missing data"))
    assert list(gates) == list(WEIGHTINGS)
    catalog = load("criteria/catalog.yaml")
    catalog_gates = {k["id"] for c in catalog["categories"] for k in c["criteria"] if "gate" in k}
    tier = next(t for t in catalog["due_diligence"]["tiers"] if t["name"] == "Critical")
    llm = load("criteria/profiles/llm-platform.yaml")["gates"]
    expected = {
        "data-platform": {k: "catalog" for k in catalog_gates}
        | {k: "added by the Critical due-diligence tier" for k in tier["gates"] if k not in catalog_gates},
        "llm-platform": {k: "catalog" for k in catalog_gates}
        | {k: "added by the profile" for k in llm if k not in catalog_gates},
        None: {k: "catalog" for k in catalog_gates},
    }
    for heading, profile in WEIGHTINGS.items():
        rows = table_rows(gates[heading])[1:]
        found = {re.search(r"\(([a-z-]+)\)$", row[0]).group(1): row[2] for row in rows}  # type: ignore[union-attr]
        assert found == expected[profile], heading
    assert "ops-resilience" in expected["data-platform"] and "sec-network" in expected["llm-platform"]


def test_only_the_ahp_profile_has_an_ahp_block(mixed_md: str) -> None:
    appendix = section(mixed_md, "## Appendix A.", "## Appendix B.")
    headings = re.findall(r"^### Consistency of the pairwise comparisons.*$", appendix, re.M)
    assert headings == [
        "### Consistency of the pairwise comparisons (AHP): Data platform components (data-platform)"
    ]
    block = section(appendix, headings[0], "### Weight sensitivity")
    profile = load("criteria/profiles/data-platform.yaml")["ahp"]
    weights = dict(zip(profile["items"], eigen_weights(profile["matrix"]), strict=True))
    rows = table_rows(block)[1:]
    assert len(rows) == len(weights)
    for row in rows:
        category = re.search(r"\(([a-z-]+)\)$", row[0]).group(1)  # type: ignore[union-attr]
        assert shows(row[-1], weights[category]), row


# ----------------------------------------------------------------------------------------- one profile


@pytest.mark.parametrize("profile", ["balanced", "data-platform"])
def test_a_run_with_one_profile_has_a_single_weighting_without_headings(profile: str, out: Path) -> None:
    code, text, err = report(out, f"uniform-{profile}.md", "-f", "md", "--profile", profile)
    assert code == 0, err
    name = load(f"criteria/profiles/{profile}.yaml")["name"]
    assert f"| Profile | {name} ({profile}) |" in text
    assert "Scored with" not in text
    appendix = section(text, "## Appendix A.", "## Appendix B.")
    assert f"\n\nProfile: {name} ({profile}). Weights are relative" in appendix
    assert not re.findall(r"^#### ", appendix, re.M)
    assert len(re.findall(r"^\| Category / criterion ", appendix, re.M)) == 1
    assert len(re.findall(r"^\| Criterion \| Gate \| Origin \|$", appendix, re.M)) == 1
    ahp = re.findall(r"^### Consistency of the pairwise comparisons.*$", appendix, re.M)
    assert ahp == (
        ["### Consistency of the pairwise comparisons (AHP)"] if profile == "data-platform" else []
    )


def test_the_context_of_a_run_with_one_profile_has_one_weighting_without_heading() -> None:
    ws = load_workspace(REPO, AS_OF)
    evaluation = evaluate(ws, ws.profile("balanced"), samples=200, now=NOW)
    built = context.build(evaluation)
    assert [(w.profile_id, w.heading) for w in built.weightings] == [("balanced", "")]
    assert built.weightings[0].segments == tuple(SEGMENTS)
    assert all(s.setup == "" for s in built.segments)


# ----------------------------------------------------------------------------------------- other outputs


@pytest.mark.parametrize(
    "extra",
    [["--anonymize", "--key-out", "key.csv"], ["--hide-category", "commercial"], ["--method", "topsis"]],
)
@pytest.mark.parametrize("output", ["md", "html"])
def test_variants_of_the_report_render_with_each_segments_profile(
    extra: list[str], output: str, out: Path
) -> None:
    options = [str(out / x) if x.endswith(".csv") else x for x in extra]
    code, text, err = report(out, f"variant.{output}", "-f", output, *options)
    assert code == 0, err
    shown = html_text(text) if output == "html" else text
    for segment in SEGMENTS:
        assert setup_line(segment) in shown


def test_report_since_a_revision_where_no_profile_named_its_segments(tmp_path: Path) -> None:
    """The changes section says what moved in each segment when a profile came to name it."""
    root = tmp_path / "repo"
    for folder in ("criteria", "vendors", "decisions"):
        shutil.copytree(REPO / folder, root / folder)
    llm = root / "criteria" / "profiles" / "llm-platform.yaml"
    named = llm.read_text(encoding="utf-8")
    llm.write_text(named.replace("segments:\n  - LLM platform\n", ""), encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "before")
    git(root, "tag", "before")
    llm.write_text(named, encoding="utf-8")
    target = tmp_path / "since.md"
    code, _out, err = invoke(
        ["report", "-w", root, "--since", "before", "-f", "md", "--out", target, "--samples", "200",
         "--as-of", AS_OF.isoformat()]
    )  # fmt: skip
    assert code == 0, err
    text = target.read_text(encoding="utf-8")
    changes = section(text, "## Changes since before\n", "\n## ")
    # ai-governance: 12 of the catalog's 100 category points, 22 of llm-platform's 100
    assert "- LLM platform: weight of AI & model governance (ai-governance) 12.0% → 22.0%" in changes
    assert setup_line("LLM platform") in chapter(text, "LLM platform")[1]


@needs_chromium
def test_the_pdf_of_every_segment_names_each_profile(out: Path) -> None:
    import pypdf

    target = out / "all.pdf"
    code, _out, err = invoke(
        ["report", "-w", REPO, "-f", "pdf", "--out", target, "--samples", "300", "--as-of", AS_OF.isoformat()]
    )
    assert code == 0, err
    reader = pypdf.PdfReader(target)
    pages = " ".join(page.extract_text() for page in reader.pages)
    text = " ".join(unicodedata.normalize("NFKC", pages).split())  # "ﬁ" ligatures read as "fi"
    for heading in WEIGHTINGS:
        assert heading in text
    assert setup_line("MLOps platform") in text


# ----------------------------------------------------------------------------------------- a small workspace


def test_each_weighting_keeps_its_own_removed_gates_and_ahp(workspace: Any) -> None:
    """security-first (Vector database) weighs security 80 to 40, sec-logging 3 to encryption's 2, adds a
    gate on sec-logging and removes encryption's; pairwise (LLM platform) sets the categories 3 to 1
    by AHP, whose eigenvector is exactly (3/4, 1/4). The catalog has no due-diligence tiers."""
    root = workspace.edited(
        ("profiles/security-first", "", "segments: [Vector database]\n"),
        ("profiles/pairwise", "", "segments: [LLM platform]\n"),
    )
    ws = load_workspace(root, AS_OF)
    text = render_markdown(evaluate(ws, samples=200, now=NOW, segment_profiles=ws.segment_profiles()))
    assert "| Profile | Vector database: security-first; LLM platform: pairwise |" in text
    line = "Scored with the profile Security first (security-first); no due-diligence tier applies."
    assert chapter(text, "Vector database")[1].lstrip("\n").startswith(line + "\n")
    weights = subsections(section(text, "### Effective weights\n", "### Scoring and normalisation"))
    first = "Security first (security-first), for Vector database"
    second = "Pairwise category weights (pairwise), for LLM platform"
    assert list(weights) == [first, second]
    effective = {h: {row[1]: row[4].strip("*") for row in table_rows(weights[h])[1:]} for h in weights}
    # security-first: security 80/120; encryption 2/5 and logging 3/5 of it; commercial 40/120, a third each
    assert effective[first] == {
        "security": "66.7%", "sec-encryption": "26.7%", "sec-logging": "40.0%",
        "commercial": "33.3%", "com-support": "11.1%", "com-tco": "11.1%", "com-latency": "11.1%",
    }  # fmt: skip
    # pairwise: security 3/4 (encryption 2/3 of it, logging 1/3), commercial 1/4 (a third each)
    assert effective[second] == {
        "security": "75.0%", "sec-encryption": "50.0%", "sec-logging": "25.0%",
        "commercial": "25.0%", "com-support": "8.3%", "com-tco": "8.3%", "com-latency": "8.3%",
    }  # fmt: skip
    gates = subsections(section(text, "### Gates (knock-out criteria)\n", "### Missing data"))
    assert [row[0::2] for row in table_rows(gates[first])[1:]] == [
        ["Audit logging (sec-logging)", "added by the profile"]
    ]
    assert "Gates removed by the profile: Encryption and key management (sec-encryption)." in gates[first]
    assert [row[0::2] for row in table_rows(gates[second])[1:]] == [
        ["Encryption and key management (sec-encryption)", "catalog"]
    ]
    assert "removed" not in gates[second]
    ahp = re.findall(r"^### Consistency of the pairwise comparisons.*$", text, re.M)
    assert ahp == ["### Consistency of the pairwise comparisons (AHP): Pairwise category weights (pairwise)"]
    block = section(text, ahp[0], "### Weight sensitivity")
    assert [row[-1] for row in table_rows(block)[1:]] == ["75.0%", "25.0%"]
