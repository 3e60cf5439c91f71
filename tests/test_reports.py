"""Tests of the PoC recommendation report: Markdown and HTML renderers, PDF, and `evaltool report`.

Golden files (tests/golden/) hold the Markdown report and the HTML report's text for the bundled
workspace with the balanced profile. Volatile parts (tool version, time, workspace folder, hashes) are
normalised before comparing. To rewrite them after an intended change:

    EVALTOOL_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_reports.py
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from cli_runner import unboxed

from evaltool.errors import OutputError
from evaltool.evaluation import Evaluation, evaluate
from evaltool.recommend import rules_text
from evaltool.reports import fmt, pdf, render_html, render_markdown
from evaltool.wording import flip_text
from evaltool.workspace import load_workspace

REPO = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("EVALTOOL_UPDATE_GOLDEN") == "1"
AS_OF = dt.date(2026, 12, 1)
NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
NETWORK = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)
LOADING_TAGS = {"script", "link", "img", "iframe", "source", "video", "audio", "embed", "object", "image"}


# ----------------------------------------------------------------------------------------- helpers


def stable(evaluation: Evaluation) -> Evaluation:
    """The evaluation with the provenance values that differ between machines and runs fixed."""
    provenance = dataclasses.replace(
        evaluation.provenance, tool_version="X.Y.Z", generated_at="GENERATED", workspace="WORKSPACE"
    )
    return dataclasses.replace(evaluation, provenance=provenance)


def normalise(text: str) -> str:
    """Strip what the golden files must not depend on: hashes (inputs change them), version, time."""
    text = re.sub(r"\b[0-9a-f]{64}\b", "<sha256>", text)
    text = re.sub(r"evaltool \d+\.\d+\.\d+\S*", "evaltool <version>", text)
    return re.sub(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)?", "<time>", text)


def half_up(value: float, digits: int, scale: int = 0) -> str:
    """A number as a person rounds it: its decimal digits (repr), half up, to `digits` decimals."""
    exact = Decimal(repr(value)).scaleb(scale)
    return str(exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def half_up_pct(share: float, digits: int = 1) -> str:
    return half_up(share, digits, 2) + "%"


class _Text(HTMLParser):
    """The visible text of an HTML page, one block per line; scripts and styles left out."""

    BLOCKS = frozenset(
        ("p", "div", "li", "tr", "h1", "h2", "h3", "h4", "dt", "dd", "th", "td", "br", "ul", "ol")
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.skip += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skip -= 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def html_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line) + "\n"


class _Tags(HTMLParser):
    """Every start tag with its attributes, and the text inside each script element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._in = tag
            (self.scripts if tag == "script" else self.styles).append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "script":
            self.scripts[-1] += data
        elif self._in == "style":
            self.styles[-1] += data


def tags(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    return parser


def check_golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if UPDATE or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        if not UPDATE:
            pytest.fail(f"{path} did not exist and was written; check it and commit it")
        return
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, (
        f"{name} differs; EVALTOOL_UPDATE_GOLDEN=1 rewrites it after an intended change"
    )


def figure_specs(html: str) -> dict[str, Any]:
    block = re.search(r'<script type="application/json" id="evaltool-figures">(.*?)</script>', html, re.S)
    assert block is not None
    return json.loads(block.group(1))


def unescaped_pipes(line: str) -> int:
    return len(re.findall(r"(?<!\\)\|", line))


# ----------------------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def bundled() -> Evaluation:
    """The bundled sample workspace, balanced profile, as of a fixed date."""
    ws = load_workspace(REPO, AS_OF)
    return stable(evaluate(ws, ws.profile("balanced"), now=NOW))


@pytest.fixture(scope="module")
def bundled_md(bundled: Evaluation) -> str:
    return render_markdown(bundled)


@pytest.fixture(scope="module")
def bundled_html(bundled: Evaluation) -> str:
    return render_html(bundled)


@pytest.fixture(scope="module")
def segment_reports(bundled: Evaluation) -> tuple[str, str]:
    """Every segment's own report (--segment), one after another: the Markdown and the HTML's text. The
    evidence of every score is there; the all-segments report points to them."""
    names = [s.name for s in bundled.result.segments]
    md = "".join(render_markdown(bundled, name) for name in names)
    return md, "".join(html_text(render_html(bundled, name)) for name in names)


def small(root: Path, profile: str | None = None, **kwargs: Any) -> Evaluation:
    ws = load_workspace(root, AS_OF)
    return evaluate(ws, ws.profile(profile), samples=500, now=NOW, **kwargs)


CHROMIUM: str | None
try:
    CHROMIUM = pdf.find_chromium()
except OutputError:
    CHROMIUM = None
# CI installs Chromium (.ci/run), so there a missing browser fails these tests instead of skipping them
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"),
    reason="no Chromium binary found (EVALTOOL_CHROMIUM, /usr/bin/chromium, chromium, chromium-browser, "
    "google-chrome); CI installs it",
)


# ----------------------------------------------------------------------------------------- golden files


def test_markdown_matches_the_golden_file(bundled_md: str) -> None:
    check_golden("report_balanced.md", normalise(bundled_md))


def test_html_text_matches_the_golden_file(bundled_html: str) -> None:
    check_golden("report_balanced.html.txt", normalise(html_text(bundled_html)))


def test_normalise_strips_the_volatile_parts() -> None:
    text = f"evaltool 0.1.0 | 2026-11-26T13:42:31+00:00 | {'ab' * 32}"
    assert normalise(text) == "evaltool <version> | <time> | <sha256>"


# ----------------------------------------------------------------------------------------- offline HTML


def test_html_loads_nothing_from_the_network(bundled_html: str) -> None:
    parsed = tags(bundled_html)
    for tag, attrs in parsed.tags:
        if tag in LOADING_TAGS:
            for key in ("src", "href", "srcset", "data", "xlink:href"):
                value = attrs.get(key)
                assert not (value and NETWORK.match(value)), (
                    f"<{tag} {key}={value!r}> would load from the network"
                )
    for style in parsed.styles:
        assert not re.search(r"url\(\s*['\"]?\s*(https?:)?//", style), "a stylesheet loads from the network"
        assert "@import" not in style and "@font-face" not in style
    assert all(attrs.get("src") is None for tag, attrs in parsed.tags if tag == "script")
    assert not [t for t, _ in parsed.tags if t in ("link", "img", "iframe")]


def test_html_embeds_plotly_js_exactly_once(bundled_html: str) -> None:
    parsed = tags(bundled_html)
    bundles = [s for s in parsed.scripts if "plotly.js v" in s[:400]]
    assert len(bundles) == 1
    assert bundled_html.count("plotly.js v") == 1
    assert len(parsed.scripts) == 3  # plotly.js, the figure data, the loader
    rest = "".join(s for s in parsed.scripts if s is not bundles[0])
    assert "https://cdn" not in rest and "mathjax" not in rest.lower()
    assert '"displaylogo": false' in rest


def test_every_chart_placeholder_has_its_figure(bundled: Evaluation, bundled_html: str) -> None:
    specs = figure_specs(bundled_html)
    placeholders = re.findall(r'<div class="chart" id="([^"]+)"', bundled_html)
    assert set(placeholders) == set(specs["figures"])
    # the all-segments report draws one heatmap of every segment's grades instead of one per segment
    assert len(placeholders) == 1 + 5 * len(bundled.result.segments) + 1
    assert specs["template"] is not None
    assert all(
        "template" not in f["layout"] for f in specs["figures"].values()
    )  # the template is stored once


def test_html_has_a_table_of_contents_and_print_css(bundled_html: str) -> None:
    assert '<nav class="toc"' in bundled_html
    for anchor in re.findall(r'<nav class="toc".*?</nav>', bundled_html, re.S)[0].split('href="#')[1:]:
        assert f'id="{anchor.split(chr(34))[0]}"' in bundled_html
    assert "@media print" in bundled_html and "break-inside: avoid" in bundled_html


def test_html_size_stays_near_one_plotly_bundle(bundled_html: str) -> None:
    from plotly.offline import get_plotlyjs

    assert len(bundled_html) < len(get_plotlyjs()) + 1_500_000


# ----------------------------------------------------------------------------------------- numbers


def test_numbers_are_the_evaluations(bundled: Evaluation, bundled_md: str, bundled_html: str) -> None:
    text = html_text(bundled_html)
    for segment in bundled.result.segments:
        leader = segment.leader
        assert leader is not None
        stability = bundled.sensitivity.vendors[leader.id]
        low, high = stability.score_interval
        decision = {"proceed": "Proceed to PoC", "conditional": "Conditional"}[
            bundled.recommendations[leader.id].decision
        ]
        row = (  # "stays first in N of 100 plausible weightings": whole percents in the results
            f"| 1 | {fmt.md(leader.name)} | {half_up(leader.score, 1)} | {half_up_pct(leader.coverage, 0)} | "
            f"{_whole_unless_extreme(stability.p_top)} | {half_up(low, 1)} – {half_up(high, 1)} | "
            f"{decision} |"
        )
        assert row in bundled_md
        assert f"\n{leader.name}\n{half_up(leader.score, 1)}\n" in text
        assert half_up_pct(stability.p_top) in text  # the exact P(first), in the appendix
        for category in bundled.result.catalog.categories:
            assert half_up(leader.categories[category.id], 1) in text


def _whole_unless_extreme(share: float) -> str:
    """A share in whole percents, with as many decimals as it takes not to read 0 or 100 without being so
    (0.9998 reads 99.98, never 100.0)."""
    if share in (0.0, 1.0):
        return half_up(share, 0, 2)
    for places in range(4):
        text = half_up(share, places, 2)
        if float(text) not in (0.0, 100.0):
            return text
    return text


def test_figures_carry_the_evaluations_numbers(bundled: Evaluation, bundled_html: str) -> None:
    specs = figure_specs(bundled_html)["figures"]
    segment = bundled.result.segments[0]
    intervals = specs["fig-s1-intervals"]["data"][0]
    assert intervals["x"] == [v.score for v in segment.vendors]
    ranks = specs["fig-s1-ranks"]["data"][0]
    eligible = [v for v in segment.vendors if v.eligible]
    assert ranks["y"] == [bundled.sensitivity.vendors[v.id].rank_probabilities[0] for v in eligible]


def test_weights_table_shows_every_effective_weight(bundled: Evaluation, bundled_md: str) -> None:
    weights = bundled.result.weights
    for k in bundled.result.criteria:
        shares = f"{half_up_pct(weights.within[k.id])} | {half_up_pct(weights.criteria[k.id])}"
        assert f"| {fmt.md(k.name)} | {k.id} | {k.type} | {shares} |" in bundled_md


def test_flip_points_in_plain_words(bundled: Evaluation, bundled_md: str) -> None:
    flip = bundled.sensitivity.segment_flips("MLOps platform")[0]
    assert flip.leader_changes_at is not None
    assert f"- {fmt.md(flip_text(flip, bundled.result))}" in bundled_md
    assert (
        "Loomwright ML stays ahead unless the weight of 3-year total cost of ownership falls "
        "from 2.9% to 2.4% (then Cindermoor Model Hub leads)."
    ) in bundled_md


# ----------------------------------------------------------------------------------------- content


def test_report_is_an_adr_with_every_section(bundled_md: str) -> None:
    for heading in (
        "# Architecture decision record: PoC recommendation: all segments",
        "## 1. Executive summary",
        "## 2. Vector database",
        "### 2.1 Result",
        "### 2.2 What would change the result",
        "### 2.3 Risks and findings",
        "### 2.4 Recommendation and PoC plan",
        "### 2.5 Regulatory basis",
        "### 2.6 Options considered",
        "## 6. MLOps platform",
        "## Appendix A. Method and weights",
        "## Appendix B. Rank probabilities and flip points",
        "## Appendix C. Evidence",
        "## Appendix D. Glossary",
        "## Appendix E. Provenance",
    ):
        assert f"\n{heading}\n" in f"\n{bundled_md}"
    # the sample's decision records (decisions/) decide two of its five segments
    assert "| Status | **Decided per segment** |" in bundled_md


def test_the_rules_paragraph_is_in_every_report(bundled_md: str, bundled_html: str) -> None:
    assert rules_text() in bundled_md
    assert "is <em>do not proceed</em> and goes to the <em>hold</em> ring" in bundled_html


def test_options_include_vendors_that_are_not_eligible_and_why(bundled_md: str) -> None:
    assert "| Quillfern Vector (quillfern)<br>https://example.com/quillfern | startup |" in bundled_md
    assert (
        "not eligible: fails Financial runway (measured 8 months, the requirement is at least 12 months) |"
        in bundled_md
    )


def test_method_names_the_metric_criteria_without_grading(workspace: Any, bundled_md: str) -> None:
    md = render_markdown(small(workspace()))
    assert "Metric criteria without grading (graded min-max across the vendors compared" in md
    assert "depend on which vendors are compared): p95 query latency (com-latency).\n" in md
    assert "Every metric criterion has a fixed grading" not in md
    # every metric criterion of the sample catalog has a fixed grading
    assert "Metric criteria without grading" not in bundled_md
    assert (
        "Every metric criterion has a fixed grading: no grade depends on which vendors are compared."
        in bundled_md
    )


def test_risks_list_failed_borderline_stale_and_disagreement(bundled_md: str) -> None:
    """In plain words, with names and no ids or gate operators."""
    assert (
        "- Veldtrace is ruled out: it fails the must-have on Encryption & key management (scored 1 of 5, the "
        "requirement is at least 2)." in bundled_md
    )
    assert (
        "- Cairnline Metadata: the evidence on Independent assurance coverage expired on 2026-09-30."
        in bundled_md
    )
    assert (
        "- Cindermoor Model Hub: the assessors disagree on Developer & user experience "
        "(m.rossi 4, s.patel 2)." in bundled_md
    )
    assert (
        "- Lumenvec Cloud only just meets the must-have on Audit, access & regulator cooperation rights "
        "(scored 3 of 5, the requirement is at least 3)." in bundled_md
    )
    body = bundled_md.split("## Appendix A.", 1)[0]  # the summary and the segments' chapters
    assert "meets gate" not in body and "P(first)" not in body and "Dirichlet" not in body
    assert "borderline gate" not in body and "reg-audit-rights" not in body


def test_recommendations_with_poc_plan(bundled: Evaluation, bundled_md: str) -> None:
    rec = bundled.recommendations["lumenvec"]
    assert rec.plan is not None
    reasons = "; ".join(rec.reasons)
    # Lumenvec's PoC is done with every target met: it proceeds, in the trial ring
    heading = "#### Lumenvec Cloud: Proceed to PoC\n\n- Decision: **Proceed to PoC**.\n"
    assert f"{heading}- Reasons: {reasons}." in bundled_md
    assert (
        "- Suggested radar ring: **trial** (PoC done: every target met and every gate passed)." in bundled_md
    )
    assert f"PoC plan: timebox {rec.plan.timebox_weeks} weeks; PoC done, owner a.khan" in bundled_md
    assert (
        "| p95 top-10 query latency at 200 QPS | &lt;= 50 ms | k6 load test from the bank VPC | vendor file "
        "| 24 ms (met) |"
    ) in bundled_md


def test_evidence_appendix_has_rubric_text_and_stale_flags(segment_reports: tuple[str, str]) -> None:
    bundled_md = segment_reports[0]
    assert "### Cindermoor Model Hub (MLOps platform, score 70.8)" in bundled_md
    assert (
        "| Independent assurance coverage (reg-assurance) | 3.0% | 4 | 4 | level 4: As 3 + unqualified "
    ) in bundled_md
    stale = [line for line in bundled_md.splitlines() if " STALE |" in line]
    assert len(stale) == 4  # the four expired entries of the sample workspace as of 2026-12-01
    assert "| 3-year total cost of ownership (com-tco) | 2.9% | 1,100,000 USD |" in bundled_md


def test_evidence_appendix_flags_every_failed_gate(segment_reports: tuple[str, str]) -> None:
    """The five gate failures of the sample under the balanced profile, each marked on its criterion in
    its segment's report."""
    bundled_md, text = segment_reports
    flagged = [line for line in bundled_md.splitlines() if "(FAILS GATE: " in line]
    assert [line.split(" | ")[0] for line in flagged] == [
        "| Financial runway (ven-runway) (FAILS GATE: 8 months below gate \\>= 12 months)",
        "| Customer data use, retention & training (ai-data-use) (FAILS GATE: 2 below gate \\>= 3)",
        "| Independent assurance coverage (reg-assurance) (FAILS GATE: 2 below gate \\>= 3)",
        "| Audit, access & regulator cooperation rights (reg-audit-rights) (FAILS GATE: 2 below gate \\>= 3)",
        "| Encryption & key management (sec-encryption) (FAILS GATE: 1 below gate \\>= 2)",
    ]
    assert text.count("fails gate: 2 below gate >= 3") == 3
    assert "ven-runway\nfails gate: 8 months below gate >= 12 months\n" in text


def test_evidence_appendix_flags_a_gate_failed_for_want_of_a_score(workspace: Any) -> None:
    root = workspace.edited(("vendors/beta-vector", "  sec-encryption: 2\n", ""))
    md = render_markdown(small(root), "Vector database")
    assert (
        "| Encryption and key management (sec-encryption) (FAILS GATE: not assessed) | 40.0% | not scored |"
    ) in md


FACTS = (
    "facts: {founded: 2021, soc2: true, trains_on_customer_data: false, "
    "regions: [us-east-1, eu-west-1], sso: {saml: true, scim: false}, notes: null}"
)


def test_boolean_facts_read_yes_or_no(workspace: Any) -> None:
    root = workspace.edited(("vendors/acme-vector", "facts: {founded: 2021, hq: Austin TX}", FACTS))
    ev = small(root)
    md = render_markdown(ev, "Vector database")
    assert (
        "Facts: founded: 2021; soc2: yes; trains\\_on\\_customer\\_data: no; regions: us-east-1, eu-west-1; "
        "sso: saml: yes, scim: no; notes: —."
    ) in md
    text = html_text(render_html(ev, "Vector database"))
    assert "founded: 2021 · soc2: yes · trains_on_customer_data: no · regions: us-east-1, eu-west-1" in text
    assert "True" not in text and "False" not in text


def test_provenance_lists_settings_and_every_input_file(bundled: Evaluation, bundled_md: str) -> None:
    prov = bundled.provenance
    assert f"| SHA-256 of the inputs | {prov.input_sha256} |" in bundled_md
    assert "| Monte Carlo samples | 10,000 |" in bundled_md and "| Seed | 42 |" in bundled_md
    for source in prov.files:
        assert f"| {source.path} | {source.sha256} |" in bundled_md


def test_markdown_tables_keep_their_shape(bundled_md: str) -> None:
    lines = bundled_md.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("|") and i + 1 < len(lines) and re.match(r"^\|[-:|]+\|$", lines[i + 1]):
            width = unescaped_pipes(line)
            j = i + 1
            while j < len(lines) and lines[j].startswith("|"):
                assert unescaped_pipes(lines[j]) == width, f"line {j + 1}: {lines[j][:80]}"
                j += 1


def test_one_segment_only(bundled: Evaluation) -> None:
    md = render_markdown(bundled, "Data catalog")
    assert md.startswith("# Architecture decision record: PoC recommendation: Data catalog\n")
    assert "## 2. Data catalog\n" in md and "### 2.1 Result" in md and "Lumenvec" not in md
    html = render_html(bundled, "Data catalog")
    assert len(re.findall(r'<div class="chart" id=', html)) == 7
    with pytest.raises(ValueError, match="segment 'Nope' is not in this evaluation"):
        render_markdown(bundled, "Nope")


def test_ahp_consistency_with_saatys_random_index() -> None:
    ws = load_workspace(REPO, AS_OF)
    ev = evaluate(ws, ws.profile("data-platform"), segments=["Data catalog"], samples=500, now=NOW)
    md = render_markdown(ev)
    ahp = ev.result.weights.ahp
    assert ahp is not None
    assert (
        f"λmax = {ahp.lambda_max:.4f}, CI = (λmax − n) / (n − 1) = {ahp.ci:.4f}, CR = CI / RI = {ahp.cr:.4f}"
        in md
    )
    assert "evaltool uses Saaty's random index (RI = 1.45 for n = 9)" in md
    assert "| Regulatory, third-party risk & compliance (regulatory) | 1 | 1 | 2 | 1/2 | 1/2 |" in md
    assert "the judgements are consistent" in render_html(ev)


def test_topsis_report_explains_the_method_and_draws_closeness_intervals() -> None:
    ws = load_workspace(REPO, AS_OF)
    ev = evaluate(
        ws, ws.profile("balanced"), method="topsis", segments=["LLM platform"], samples=500, now=NOW
    )
    md = render_markdown(ev)
    assert "TOPSIS (Hwang & Yoon 1981)" in md and "vector-normalised" in md
    leader = ev.result.segments[0].leader
    assert leader is not None and f"| 1 | {leader.name} | {leader.score:.3f} |" in md
    specs = figure_specs(render_html(ev))["figures"]
    interval = specs["fig-s1-intervals"]["data"][0]
    vendors = ev.result.segments[0].vendors
    assert interval["x"] == [v.score for v in vendors]  # the closeness, inside its own 0-1 interval
    for v, low in zip(vendors, interval["error_x"]["arrayminus"], strict=True):
        assert v.score - low == pytest.approx(ev.sensitivity.vendors[v.id].score_interval[0])
    assert "WSM" not in specs["fig-s1-intervals"]["layout"]["xaxis"]["title"]["text"]


def test_exclude_policy_and_missing_scores(workspace: Any) -> None:
    root = workspace.edited(("catalog", "missing: zero", "missing: exclude"))
    md = render_markdown(small(root))
    assert "Policy exclude: a criterion without a score is left out" in md
    assert "| 3-year total cost of ownership (com-tco) |" in md


# conftest's workspace: com-latency has no grading, so Acme (35 ms) and Beta (20 ms) are graded min-max
# within Vector database (lower is better: Acme 0, Beta 5); Gamma, alone in LLM platform, has no latency.
RELATIVE = (
    "Graded relative to the other vendors of the segment: adding or removing a vendor moves this score: "
    "p95 query latency (com-latency)."
)


def test_relative_grading_is_noted_in_results_and_evidence(workspace: Any) -> None:
    ev = small(workspace())
    md = render_markdown(ev)
    results = md.split("## 2. Vector database", 1)[1].split("## Appendix A.", 1)[0]
    vector, llm = results.split("## 3. LLM platform", 1)
    assert f"\n\\* {fmt.md(RELATIVE)}\n" in vector
    assert "Graded relative" not in llm
    for v in ev.result.segment("Vector database").vendors:
        assert f"| {v.name} | {v.score:.1f}\\* |" in vector
    gamma = ev.result.vendor("gamma-llm")
    assert f"| {gamma.name} | {gamma.score:.1f} |" in llm
    appendix = "".join(
        render_markdown(ev, name).split("## Appendix C. Evidence", 1)[1]
        for name in ("Vector database", "LLM platform")
    )
    assert appendix.count(f"\n{fmt.md(RELATIVE)}\n") == 2  # Acme and Beta, not Gamma
    acme = appendix.split("### Acme Vector", 1)[1].split("### ", 1)[0]
    assert "| p95 query latency (com-latency) | 13.3% | 35 ms | 0 (relative) |" in acme
    assert "| 3-year total cost of ownership (com-tco) | 13.3% | 240,000 USD | 4.22 |" in acme
    html = render_html(ev, "Vector database") + render_html(ev, "LLM platform")
    assert html.count(f'<p class="relative">{RELATIVE}</p>') == 2
    assert html.count(f'<p class="relative">* {RELATIVE}</p>') == 1
    assert html.count('<span class="tag relative">relative</span>') == 2


def test_topsis_scores_carry_no_asterisk_but_the_note_stays(workspace: Any) -> None:
    ev = small(workspace(), method="topsis")
    results = render_markdown(ev).split("## 2. Vector database", 1)[1].split("## 3. LLM platform", 1)[0]
    assert f"\n{fmt.md(RELATIVE)}\n" in results  # the WSM score behind the recommendation still moves
    for v in ev.result.segment("Vector database").vendors:
        assert f"| {v.name} | {v.score:.3f} |" in results


def test_absolute_grading_leaves_no_relative_note(workspace: Any) -> None:
    ev = small(workspace.edited(("catalog", "", "        grading: {best: 10, worst: 500}\n")))
    assert "Graded relative" not in render_markdown(ev)
    html = render_html(ev)
    assert "Graded relative" not in html and "tag relative" not in html


SEGMENT_TCO = (
    "grading: {best: 100000, worst: 1000000, segments: {LLM platform: {best: 300000, worst: 3000000}}}"
)


@pytest.mark.parametrize(
    ("segment", "grading", "earns"),
    [
        (
            None,
            "lower is better; in LLM platform: 300,000 USD = 5, 3,000,000 USD = 0; "
            "elsewhere: 100,000 USD = 5, 1,000,000 USD = 0",
            "in LLM platform: 300,000 USD earns 5, 3,000,000 USD earns 0; "
            "elsewhere: 100,000 USD earns 5, 1,000,000 USD earns 0",
        ),
        (
            "LLM platform",
            "lower is better; in LLM platform: 300,000 USD = 5, 3,000,000 USD = 0",
            "in LLM platform: 300,000 USD earns 5, 3,000,000 USD earns 0",
        ),
        (
            "Vector database",
            "lower is better; 100,000 USD = 5, 1,000,000 USD = 0",
            "100,000 USD earns 5, 1,000,000 USD earns 0",
        ),
    ],
)
def test_method_shows_the_grading_of_the_segments_reported(
    workspace: Any, segment: str | None, grading: str, earns: str
) -> None:
    root = workspace.edited(("catalog", "grading: {best: 100000, worst: 1000000}", SEGMENT_TCO))
    md = render_markdown(small(root), segment)
    assert f"| 3-year total cost of ownership | com-tco | metric | 33.3% | 13.3% |  | {grading} |" in md
    assert f"- 3-year total cost of ownership (com-tco): {earns}\n" in md


# ----------------------------------------------------------------------------------------- escaping


@pytest.fixture
def hostile(workspace: Any) -> Evaluation:
    vendor = (
        workspace.VENDORS["acme-vector"]
        .replace("name: Acme Vector", 'name: "<script>alert(1)</script>"')
        .replace(
            "summary: Fictional managed vector search.",
            'summary: "| pipe *star* _under_ [link](javascript:alert(1)) `tick` '
            '<img src=x onerror=alert(1)>"',
        )
        .replace("evidence: Logging design document", 'evidence: "line one\\nline two | </td></tr>"')
        .replace("source: https://example.com/logging.pdf", 'source: "javascript:alert(1)"')
    )
    return small(workspace(vendors={"acme-vector": vendor}))


def test_html_escapes_everything_from_yaml(hostile: Evaluation) -> None:
    html = render_html(hostile, "Vector database")  # the report that shows the evidence
    page = html.split("<script>", 1)[0]  # the document before the scripts
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert 'href="javascript:' not in page and "javascript:alert(1)" in page
    assert "&lt;/td&gt;&lt;/tr&gt;" in page
    data = re.search(r'<script type="application/json" id="evaltool-figures">(.*?)</script>', html, re.S)
    assert data is not None and "</" not in data.group(1)
    # plotly renders some HTML in labels, so charts.py escapes text from the files: it shows literally
    labels = json.loads(data.group(1))["figures"]["fig-s1-ranking"]["data"][0]["y"]
    assert any("&lt;script&gt;alert(1)&lt;/script&gt;" in label for label in labels)
    assert not any("<script>" in label for label in labels)
    # the all-segments report's heatmap of every segment's grades escapes the vendor's name too
    heat = figure_specs(render_html(hostile))["figures"]["fig-grades"]["data"][0]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in heat["x"][1] and "<script>" not in str(heat["x"])


def test_markdown_escapes_table_breakers_and_html(hostile: Evaluation) -> None:
    md = render_markdown(hostile, "Vector database")
    assert "<script" not in md and "<img" not in md
    assert "&lt;script\\>alert(1)&lt;/script\\>" in md
    row = next(line for line in md.splitlines() if "(acme-vector)<br>https://example.com | startup |" in line)
    assert unescaped_pipes(row) == 6
    assert "\\| pipe \\*star\\* \\_under\\_ \\[link\\](javascript:alert(1)) \\`tick\\`" in row
    assert "line one line two \\| &lt;/td\\>&lt;/tr\\>" in md
    test_markdown_tables_keep_their_shape(md)


def test_a_unicode_line_separator_stays_inside_its_table_row(workspace: Any) -> None:
    # YAML's \L is U+2028, a line boundary to str.splitlines(): it must not split the evidence row.
    vendor = workspace.VENDORS["acme-vector"].replace(
        "evidence: Logging design document", 'evidence: "line one\\Lline two | end"'
    )
    md = render_markdown(small(workspace(vendors={"acme-vector": vendor})), "Vector database")
    row = next(line for line in md.split("\n") if "line one" in line)
    assert "line one line two \\| end" in row and row.endswith("|")
    test_markdown_tables_keep_their_shape(md)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("a | b", "a \\| b"),
        ("<b>x</b>", "&lt;b\\>x&lt;/b\\>"),
        ("*x* _y_ `z` [l](u) ~s~ $m$", "\\*x\\* \\_y\\_ \\`z\\` \\[l\\](u) \\~s\\~ \\$m\\$"),
        ("one\ntwo\r\n three", "one two three"),
        ("one\u2028two\u2029three\x85four", "one two three four"),
        ("&lt; & &#60;", "&amp;lt; & &amp;#60;"),
        ("back\\slash", "back\\\\slash"),
        (None, ""),
        (3.5, "3.5"),
    ],
)
def test_markdown_escaping(given: object, expected: str) -> None:
    assert fmt.md(given) == expected


# ----------------------------------------------------------------------------------------- imports


def test_rendering_imports_neither_streamlit_nor_typer() -> None:
    code = (
        "import datetime as dt, sys\n"
        "from pathlib import Path\n"
        "from evaltool.workspace import load_workspace\n"
        "from evaltool.evaluation import evaluate\n"
        "from evaltool.reports import render_html, render_markdown\n"
        f"ws = load_workspace(Path({str(REPO)!r}), dt.date(2026, 12, 1))\n"
        "ev = evaluate(ws, None, samples=200)\n"
        "render_html(ev); render_markdown(ev)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('streamlit', 'typer'))\n"
        "assert not bad, bad\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


# ----------------------------------------------------------------------------------------- the command


def test_report_writes_the_default_path(run_cli: Callable[..., Any], workspace: Any) -> None:
    root = workspace()
    code, out, err = run_cli(["report", "--workspace", root, "--as-of", "2026-12-01", "--samples", "300"])
    assert code == 0, err
    target = root / "reports" / "all-segments-catalog-2026-12-01.html"
    assert out.strip() == str(target)
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_report_default_path_names_segment_and_profile(run_cli: Callable[..., Any], workspace: Any) -> None:
    root = workspace()
    args = ["report", "-w", root, "--as-of", "2026-12-01", "--samples", "300", "-p", "security-first"]
    code, out, err = run_cli([*args, "--segment", "Vector database", "--format", "md"])
    assert code == 0, err
    target = root / "reports" / "vector-database-security-first-2026-12-01.md"
    assert out.strip() == str(target)
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Architecture decision record: PoC recommendation: Vector database\n")
    assert "Gamma LLM" not in text


def test_report_writes_to_out(run_cli: Callable[..., Any], workspace: Any, tmp_path: Path) -> None:
    root = workspace()
    target = tmp_path / "out" / "forum.md"
    code, out, err = run_cli(["report", "-w", root, "-f", "md", "--out", target, "--samples", "300"])
    assert code == 0, err
    assert out.strip() == str(target)
    assert "### 2.4 Recommendation and PoC plan" in target.read_text(encoding="utf-8")
    assert not (root / "reports").exists()


def test_report_refuses_to_write_under_vendors(run_cli: Callable[..., Any], workspace: Any) -> None:
    root = workspace()
    before = sorted(p.name for p in (root / "vendors").iterdir())
    code, _out, err = run_cli(["report", "-w", root, "--out", root / "vendors" / "report.html"])
    assert code == 1
    assert "refused" in err and "vendors/" in err
    assert sorted(p.name for p in (root / "vendors").iterdir()) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--profile", "nope"], "unknown profile 'nope'"),
        (["--segment", "Nope"], "unknown segment 'Nope'"),
        (
            ["--format", "docx"],
            "Invalid value for '--format' / '-f': Value error, 'docx' is not one of 'html', 'md', 'pdf'.",
        ),
        (["--method", "ahp"], "--method must be one of wsm, topsis"),
        (["--samples", "0"], "--samples must be at least 1"),
    ],
)
def test_report_usage_errors_exit_2(
    run_cli: Callable[..., Any], workspace: Any, args: list[str], message: str
) -> None:
    root = workspace()
    code, _out, err = run_cli(["report", "-w", root, *args])
    assert code == 2
    assert message in unboxed(err)
    assert not (root / "reports").exists()


# ----------------------------------------------------------------------------------------- PDF


@needs_chromium
def test_pdf_is_printed_by_chromium() -> None:
    data = pdf.html_to_pdf("<!DOCTYPE html><title>t</title><h1>PoC recommendation</h1>")
    assert data.startswith(b"%PDF")


@needs_chromium
def test_report_writes_a_pdf(run_cli: Callable[..., Any], workspace: Any, tmp_path: Path) -> None:
    root = workspace()
    target = tmp_path / "forum.pdf"
    code, _out, err = run_cli(["report", "-w", root, "-f", "pdf", "--out", target, "--samples", "300"])
    assert code == 0, err
    data = target.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 10_000


def test_missing_chromium_argument_gives_the_install_hint(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match=r"Chromium not found at .*apt-get install chromium") as caught:
        pdf.html_to_pdf("<p>x</p>", chromium=str(tmp_path / "no-such-chromium"))
    assert caught.value.exit_code == 1


def test_missing_chromium_from_the_environment_exits_1(
    run_cli: Callable[..., Any],
    workspace: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("EVALTOOL_CHROMIUM", str(tmp_path / "no-such-chromium"))
    root = workspace()
    target = tmp_path / "forum.pdf"
    code, _out, err = run_cli(["report", "-w", root, "-f", "pdf", "--out", target, "--samples", "300"])
    assert code == 1
    assert "Chromium not found" in err and "EVALTOOL_CHROMIUM" in err and "apt-get install chromium" in err
    assert not target.exists()


def test_no_chromium_anywhere_gives_the_install_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EVALTOOL_CHROMIUM", raising=False)
    monkeypatch.setattr(pdf, "DEFAULT_PATH", "/nonexistent/chromium")
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    with pytest.raises(OutputError, match=r"^Chromium not found\. PDF output needs Chromium"):
        pdf.find_chromium()


def test_chromium_that_fails_is_reported(tmp_path: Path) -> None:
    fake = tmp_path / "fake-chromium"
    fake.write_text("#!/bin/sh\necho 'cannot open display' >&2\nexit 3\n")
    fake.chmod(0o755)
    with pytest.raises(OutputError, match=r"did not produce a PDF \(exit 3\): cannot open display"):
        pdf.html_to_pdf("<p>x</p>", chromium=str(fake))


def test_chromium_that_hangs_is_stopped(tmp_path: Path) -> None:
    fake = tmp_path / "slow-chromium"
    fake.write_text("#!/bin/sh\nsleep 30\n")
    fake.chmod(0o755)
    with pytest.raises(OutputError, match=r"did not print the PDF within 0\.5 s"):
        pdf.html_to_pdf("<p>x</p>", chromium=str(fake), timeout=0.5)


def test_segments_without_a_contest_still_render(workspace: Any) -> None:
    # gate 5 on encryption: nobody in the vector segment is eligible; the LLM segment has one vendor
    root = workspace.edited(("catalog", "        gate: 2\n", "        gate: 4.5\n"))
    ev = small(root)
    md = render_markdown(ev)
    assert "No vendor can be ranked, so there is no leader whose lead could change." in md
    assert (
        "- Vector database: no vendor can be recommended; every one fails a must-have requirement or is not "
        "yet assessed." in md
    )
    assert "| Vector database | none ranked | none |" in md
    assert "Only one vendor is eligible: no change of weights can change the leader." in md
    html = render_html(ev)
    assert "Vector database: no eligible vendor" in json.dumps(figure_specs(html))


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (lambda: fmt.coverage(1.0), "100%"),
        (lambda: fmt.coverage(0.996), "99.6%"),
        (lambda: fmt.coverage(0.875), "88%"),
        (lambda: fmt.number(1_100_000.0, "USD"), "1,100,000 USD"),
        (lambda: fmt.number(3.25), "3.25"),
        (lambda: fmt.number(None), "—"),
        (lambda: fmt.grade(2.5), "2.5"),
        (lambda: fmt.grade(0.0), "0"),
        (lambda: fmt.score(71.84, "wsm"), "71.8"),
        (lambda: fmt.score(0.61234, "topsis"), "0.612"),
        (lambda: fmt.slug("Lakehouse & warehouse"), "lakehouse-warehouse"),
    ],
)
def test_formats(call: Callable[[], str], expected: str) -> None:
    assert call() == expected


# ----------------------------------------------------------------------------------------- leadership


def test_summary_is_the_first_section_and_names_each_leader_and_decision(bundled_md: str) -> None:
    """Balanced profile as of 2026-12-01: four leaders and a tie (MLOps: 54% / 46% of the weightings)."""
    headings = [line for line in bundled_md.splitlines() if line.startswith("## ")]
    assert headings[0] == "## 1. Executive summary"
    summary = bundled_md.split("## 1. Executive summary", 1)[1].split("## Contents", 1)[0]
    for sentence in (
        # Lumenvec's PoC is done with every target met: the proof of concept is behind it
        "- Vector database: move Lumenvec Cloud to trial: its proof of concept is done with every target "
        "met; Lumenvec Cloud leads with 71.7 of 100 points and stays first in 88 of 100 plausible "
        "weightings.",
        "- Data catalog: take Glyphwell Catalog into a proof of concept; Glyphwell Catalog leads with 70.4 "
        "of 100 points and stays first in 78 of 100 plausible weightings.",
        "- MLOps platform: too close to call between Loomwright ML and Cindermoor Model Hub (first in 54 "
        "and 46 of 100 plausible weightings respectively); take them into a proof of concept side by side "
        "to decide.",
    ):
        assert f"\n{sentence}\n" in summary
    # cost where known (the com-tco values of the vendors taken forward) and the next step with a date:
    # Glyphwell's planned PoC starts 2027-01-11 and runs 8 weeks (56 days: to 2027-03-08)
    assert (
        "Cost: 3-year total cost of ownership: Glyphwell Catalog 960,000 USD; Cairnline Metadata " in summary
    )
    assert (
        "Next step: Start the proof of concept of Glyphwell Catalog on 2027-01-11; decide by 2027-03-08."
        in (summary)
    )
    # Lumenvec's PoC is done: the forum of 2026-12-01 + 14 days decides
    assert "Next step: Decide on adopting Lumenvec Cloud at the forum of 2026-12-15." in summary
    assert "Why:\n\n1. Stronger on " in summary


def test_topsis_summary_calls_a_tie() -> None:
    ws = load_workspace(REPO, AS_OF)
    ev = evaluate(
        ws, ws.profile("balanced"), method="topsis", segments=["MLOps platform"], samples=500, now=NOW
    )
    md = render_markdown(ev, "MLOps platform")
    assert md.split("\n## ", 2)[1].startswith("1. Executive summary")
    # under TOPSIS neither MLOps platform is first in 60% of the weightings: too close to call
    assert (
        "\n- MLOps platform: too close to call between Loomwright ML and Cindermoor Model Hub (first in 48 "
        "and 52 of 100 plausible weightings respectively)" in md
    )


def test_appendices_glossary_and_references(bundled_md: str, bundled_html: str) -> None:
    headings = [line for line in bundled_md.splitlines() if line.startswith("## ")]
    first = next(i for i, h in enumerate(headings) if "Appendix" in h)
    assert all(h.startswith("## Appendix ") for h in headings[first:])
    assert "## Appendix D. Glossary" in headings and "- **Plausible weightings**: " in bundled_md
    # a criterion's references beside its evidence, and the segment's regulatory basis
    catalog = yaml.safe_load((REPO / "criteria/catalog.yaml").read_text(encoding="utf-8"))
    criteria = {k["id"]: k for c in catalog["categories"] for k in c["criteria"]}

    def cited(criterion: str) -> str:  # "framework clause; ..." in the catalog's order
        return "; ".join(f"{r['framework']} {r['clause']}" for r in criteria[criterion]["references"])

    assert f"- Audit, access & regulator cooperation rights: {cited('reg-audit-rights')}\n" in bundled_md
    evidence = bundled_md.split("## Appendix C. Evidence", 1)[1]
    # every reference of reg-assurance, in the catalog's order
    assert f"| Independent assurance coverage (reg-assurance) | {cited('reg-assurance')} |" in evidence
    assert f'<td class="refs">{cited("reg-assurance")[:40]}' in bundled_html


def test_charts_are_labelled_with_names_not_ids(bundled: Evaluation, bundled_html: str) -> None:
    specs = figure_specs(bundled_html)["figures"]
    ids = {k.id for k in bundled.result.criteria}
    heat = specs["fig-grades"]["data"][0]
    assert heat["y"] == [k.name.replace("&", "&amp;") for k in bundled.result.criteria]
    segments, vendors = heat["x"]  # vendors across, grouped under their segment
    members = [v for s in bundled.result.segments for v in s.vendors]
    assert [s.replace("<br>", " ") for s in segments] == [v.segment.replace("&", "&amp;") for v in members]
    assert [name.split(" (")[0] for name in vendors] == [v.name for v in members]
    for spec in specs.values():
        for trace in spec["data"]:
            for axis in ("x", "y"):
                assert not ids & {str(v) for v in trace.get(axis) or []}
        assert "title" not in spec["layout"] or not spec["layout"]["title"]  # the caption names it


def test_stays_first_never_rounds_across_a_threshold() -> None:
    from evaltool.wording import stays_first

    assert stays_first(0.5996) == "stays first in 59.96 of 100 plausible weightings"  # not "60": a tie
    assert stays_first(0.84) == "stays first in 84 of 100 plausible weightings"


@needs_chromium
def test_pdf_opens_with_the_summary_and_numbers_its_pages(
    run_cli: Callable[..., Any], tmp_path: Path
) -> None:
    """One segment of three vendors: the summary on page 1, the appendices by page 7, page numbers in the
    footer and the contents list that match where the headings land."""
    import pypdf

    target = tmp_path / "llm.pdf"
    code, _, err = run_cli(
        ["report", "-w", REPO, "--profile", "llm-platform", "--segment", "LLM platform", "-f", "pdf",
         "--out", target, "--as-of", "2026-12-01", "--samples", "2000"]
    )  # fmt: skip
    assert code == 0, err
    reader = pypdf.PdfReader(target)
    pages = {
        str(k).lstrip("/"): reader.get_destination_page_number(d) + 1
        for k, d in reader.named_destinations.items()
    }
    first = reader.pages[0].extract_text()
    assert "1. Executive summary" in first
    assert "LLM platform: take Halcyra AI Platform into a proof of concept" in first
    assert f"Page 1 of {len(reader.pages)}" in first
    assert pages["summary"] == 1
    assert pages["appendix-method"] <= 7
    contents = first.split("Contents", 1)[1]
    numbers = [int(n) for n in re.findall(r"^\s*(\d+)\s*$", first, re.M)]
    assert numbers[: len(pages)] == sorted(pages.values()) or all(str(p) in first for p in pages.values())
    assert "Appendix A. Method and weights" in contents


def test_summary_of_a_segment_whose_only_vendor_is_not_assessed(workspace: Any) -> None:
    """Gamma LLM without its encryption score has 13.3% of the weight scored (com-tco alone): not assessed,
    so its segment has nobody to recommend, and the summary says so and names it as not taken further."""
    ev = small(workspace.edited(("vendors/gamma-llm", "  sec-encryption: 5\n", "")))
    md = render_markdown(ev)
    summary = md.split("## 1. Executive summary", 1)[1].split("## Contents", 1)[0]
    assert (
        "\n- LLM platform: no vendor can be recommended; every one fails a must-have requirement or is not "
        "yet assessed.\n" in summary
    )
    assert "| LLM platform | none ranked | none | — | Gamma LLM (not assessed) |" in summary
    # with nobody to take forward, the forum of the as-of date + 14 days reviews the segment
    assert (
        "Next step: Review the segment at the forum of 2026-12-15: no vendor can be taken forward yet."
        in (summary)
    )


def test_regulatory_basis_is_the_segments_own(bundled_md: str) -> None:
    """Each segment lists the references of the criteria its findings concern: in the vector databases,
    Lumenvec's audit rights only just met and its expired vulnerability evidence (its PoC measured network
    isolation, so its assessors' disagreement there is no longer a finding), Tessaloom's assurance only just
    met, Quillfern's runway failed; Veldtrace's failed encryption belongs to the MLOps platforms."""

    def basis(chapter: str) -> list[str]:
        n = chapter.split(".")[0]
        text = bundled_md.split(f"## {chapter}\n", 1)[1]
        text = text.split(f"### {n}.5 Regulatory basis", 1)[1].split(f"### {n}.6", 1)[0]
        return [line[2:].split(":", 1)[0] for line in text.splitlines() if line.startswith("- ")]

    vector = basis("2. Vector database")
    for name in (
        "Independent assurance coverage",
        "Audit, access & regulator cooperation rights",
        "Vulnerability management & secure SDLC",
        "Financial runway",
    ):
        assert name in vector
    assert "Network isolation & tenancy" not in vector and "Encryption & key management" not in vector
    assert "Encryption & key management" in basis("6. MLOps platform")
