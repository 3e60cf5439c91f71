"""Blind views: --anonymize on score, report and export, --key-out, --hide-category, the dashboard toggle.

What a panel must never see is derived here from the vendor files themselves (id, name, the name's first
word, the website), not from evaltool's own list, and looked for in every byte of every output: the PDF's
text, each XML part of the XLSX, the JSON, CSV, Markdown and HTML.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from cli_runner import CliResult, unboxed
from streamlit.testing.v1 import AppTest

from evaltool.anonymize import _order, label

REPO = Path(__file__).resolve().parent.parent
APP = REPO / "evaltool" / "dashboard" / "app.py"
Run = Callable[..., CliResult]


def identifying(root: Path) -> dict[str, set[str]]:
    """Vendor id -> the words that would identify it, read straight from its file: its id, name, website
    and the bank's supplier record id."""
    found: dict[str, set[str]] = {}
    for path in sorted((root / "vendors").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        words = {data["id"], data["name"], data["name"].split()[0], path.stem}
        if (data.get("commercial") or {}).get("supplier_id"):
            words.add(data["commercial"]["supplier_id"])
        if data.get("website"):
            words.add(data["website"])
            words.add(data["website"].rstrip("/").rsplit("/", 1)[-1])
        found[data["id"]] = {w for w in words if len(w) >= 4 and w not in ("https:", "example.com")}
    return found


def leaks(text: str, root: Path) -> list[str]:
    """Every identifying word found in `text` (case-insensitive)."""
    lower = text.lower()
    return sorted({w for words in identifying(root).values() for w in words if w.lower() in lower})


def xlsx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as book:
        return "\n".join(book.read(name).decode("utf-8", "replace") for name in book.namelist())


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def score_json(run_cli: Run, root: Path, *args: str) -> dict[str, Any]:
    code, out, err = run_cli(["score", "--workspace", root, "--format", "json", *args])
    assert code == 0, err
    result: dict[str, Any] = json.loads(out)
    return result


def key_of(path: Path) -> dict[str, str]:
    """label id -> real vendor id, from a --key-out CSV."""
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["label_id"]: row["vendor"] for row in csv.DictReader(handle)}


# --- labels and their order ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("index", "expected"), [(0, "A"), (1, "B"), (25, "Z"), (26, "AA"), (27, "AB"), (701, "ZZ"), (702, "AAA")]
)
def test_labels_run_a_to_z_then_two_letters(index: int, expected: str) -> None:
    assert label(index) == expected


@pytest.mark.parametrize("seed", range(40))
def test_label_order_follows_neither_file_names_nor_ranking(seed: int) -> None:
    import random

    ids = ["alpha", "bravo", "charlie", "delta"][: 3 + seed % 2]
    ranked = sorted(ids, key=lambda i: (len(i) * 7 + seed) % 5)
    order = _order(ids, ranked, random.Random(seed))
    assert sorted(order) == sorted(ids)
    assert order not in (sorted(ids), sorted(ids)[::-1], ranked, ranked[::-1])


# --- score: the same numbers under other names -----------------------------------------------------------


@pytest.mark.parametrize("method", ["wsm", "topsis"])
@pytest.mark.parametrize("segment", [None, "LLM platform"])
@pytest.mark.parametrize("profile", [None, "data-platform", "catalog"])  # None: each segment's own
def test_blind_scores_are_the_real_scores_relabelled(
    run_cli: Run, sample: Path, tmp_path: Path, method: str, segment: str | None, profile: str | None
) -> None:
    common = ["--method", method]
    common += ["--segment", segment] if segment else []
    common += ["--profile", profile] if profile else []
    real = score_json(run_cli, sample, *common)
    key_file = tmp_path / "key.csv"
    blind = score_json(run_cli, sample, *common, "--anonymize", "--key-out", key_file)
    key = key_of(key_file)
    by_id = {v["id"]: v for v in real["vendors"]}
    assert {v["id"] for v in blind["vendors"]} <= set(key)
    for vendor in blind["vendors"]:
        twin = by_id[key[vendor["id"]]]
        assert vendor["name"] == "Vendor " + vendor["id"].removeprefix("vendor-").upper()
        # The same numbers; only the last bit may differ, as the vendors sit in another row order.
        assert vendor["score"] == pytest.approx(twin["score"], rel=1e-13)
        assert (vendor["rank"], vendor["eligible"]) == (twin["rank"], twin["eligible"])
    assert leaks(json.dumps(blind), sample) == []


def test_labels_in_each_segment_follow_neither_ranking_nor_file_names(
    run_cli: Run, sample: Path, tmp_path: Path
) -> None:
    key_file = tmp_path / "key.json"
    blind = score_json(run_cli, sample, "--anonymize", "--key-out", key_file, "--profile", "balanced")
    key = {row["label_id"]: row["vendor"] for row in json.loads(key_file.read_text())["key"]}
    segments: dict[str, list[dict[str, Any]]] = {}
    for vendor in blind["vendors"]:
        segments.setdefault(vendor["segment"], []).append(vendor)
    assert len(segments) == 5
    for vendors in segments.values():
        labels = sorted(v["id"] for v in vendors)  # Vendor A, B, C of the segment, in label order
        real = [key[lab] for lab in labels]
        listed = [key[v["id"]] for v in vendors]  # the ranking, as score lists it
        assert real not in (sorted(real), sorted(real)[::-1], listed, listed[::-1])


def test_same_seed_same_labels_other_seed_other_labels(run_cli: Run, sample: Path, tmp_path: Path) -> None:
    keys = []
    for seed, name in ((1, "a"), (1, "b"), (7, "c")):
        path = tmp_path / f"{name}.csv"
        score_json(run_cli, sample, "--anonymize", "--anonymize-seed", str(seed), "--key-out", path)
        keys.append(key_of(path))
    assert keys[0] == keys[1]
    assert keys[0] != keys[2]


# --- every output, byte for byte ------------------------------------------------------------------------


def test_no_output_names_a_vendor(run_cli: Run, sample: Path, tmp_path: Path) -> None:
    import shutil

    shutil.copytree(REPO / "decisions", sample / "decisions")  # the forum's records name vendors too
    texts: dict[str, str] = {}
    base = ["--workspace", sample, "--profile", "llm-platform", "--anonymize"]
    for fmt in ("html", "md", "pdf"):
        out = tmp_path / f"report.{fmt}"
        code, _, err = run_cli(["report", *base, "--format", fmt, "--out", out])
        assert code == 0, err
        texts[f"report.{fmt}"] = pdf_text(out) if fmt == "pdf" else out.read_text(encoding="utf-8")
    for fmt in ("xlsx", "csv", "json"):
        out = tmp_path / f"scorecard.{fmt}"
        code, _, err = run_cli(["export", *base, "--format", fmt, "--out", out])
        assert code == 0, err
        texts[f"scorecard.{fmt}"] = xlsx_text(out) if fmt == "xlsx" else out.read_text(encoding="utf-8")
    for fmt in ("table", "json", "csv"):
        code, out_text, err = run_cli(["score", *base, "--format", fmt])
        assert code == 0, err
        texts[f"score {fmt}"] = out_text
    for name, text in texts.items():
        assert leaks(text, sample) == [], name
        assert "Vendor A" in text or "vendor-a" in text, name
    assert "Blind view: vendors are labelled Vendor A, B, C" in texts["report.md"]
    assert "Blind view" in texts["report.pdf"]


def test_evidence_is_kept_unless_it_names_a_vendor(run_cli: Run, workspace: Any, tmp_path: Path) -> None:
    root = workspace.edited(
        ("vendors/acme-vector", "evidence: Logging design document", "evidence: Faster than Beta Vector"),
        ("vendors/acme-vector", "evidence: Vendor quote Q-2026-114", "evidence: Quote Q-2026-114, fixed"),
    )
    out = tmp_path / "r.md"
    # the segment's own report: the all-segments one points to it for the evidence
    code, _, err = run_cli(
        ["report", "--workspace", root, "--anonymize", "-f", "md", "-s", "Vector database", "--out", out]
    )
    assert code == 0, err
    text = out.read_text(encoding="utf-8")
    assert "Quote Q-2026-114, fixed" in text  # names nobody: kept
    assert "Faster than" not in text  # names Beta Vector: withheld, with its source (a URL)
    assert "withheld: names a vendor" in text
    assert "example.com" not in text
    assert leaks(text, root) == []


def test_warnings_quote_blind_file_names(run_cli: Run, sample: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.md"
    code, _, err = run_cli(["report", "--workspace", sample, "--anonymize", "-f", "md", "--out", out])
    assert code == 0, err
    text = out.read_text(encoding="utf-8")
    assert re.search(r"vendors/vendor-[a-o]\.yaml:\d+: .*evidence", text)
    assert leaks(text, sample) == []


def test_blind_provenance_keeps_the_real_input_hash(run_cli: Run, sample: Path, tmp_path: Path) -> None:
    outputs = {}
    for name, extra in (("real", []), ("blind", ["--anonymize", "--hide-category", "commercial"])):
        out = tmp_path / f"{name}.json"
        code, _, err = run_cli(["export", "--workspace", sample, "-f", "json", "--out", out, *extra])
        assert code == 0, err
        outputs[name] = json.loads(out.read_text())["provenance"]
    assert outputs["blind"]["input_sha256"] == outputs["real"]["input_sha256"]
    assert (outputs["real"]["anonymized"], outputs["real"]["hidden_categories"]) == (False, [])
    assert (outputs["blind"]["anonymized"], outputs["blind"]["hidden_categories"]) == (True, ["commercial"])


# --- the key --------------------------------------------------------------------------------------------


def test_no_key_is_written_without_key_out(run_cli: Run, sample: Path, tmp_path: Path) -> None:
    before = set(sample.rglob("*")) | set(tmp_path.rglob("*"))
    code, out, err = run_cli(["export", "--workspace", sample, "--anonymize", "-f", "csv"], cwd=tmp_path)
    assert code == 0, err
    written = {p for p in set(sample.rglob("*")) | set(tmp_path.rglob("*")) if p.is_file()} - before
    assert written == {Path(out.strip())}
    assert Path(out.strip()).name.endswith("-scorecard-blind.csv")
    assert "key" not in err


def test_key_out_lists_every_label(run_cli: Run, sample: Path, tmp_path: Path) -> None:
    path = tmp_path / "key.csv"
    code, _, err = run_cli(["score", "--workspace", sample, "--anonymize", "--key-out", path, "-f", "json"])
    assert code == 0, err
    assert f"key written: {path}" in err
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert [r["label"] for r in rows] == [f"Vendor {chr(ord('A') + i)}" for i in range(15)]
    assert sorted(r["vendor"] for r in rows) == sorted(identifying(sample))
    assert all(r["file"] == f"vendors/{r['vendor']}.yaml" for r in rows)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--key-out", "k.csv"], "--key-out needs --anonymize (there is no key without a blind view)"),
        (["--anonymize", "--key-out", "k.txt"], "--key-out k.txt: give a .csv or .json file"),
        (
            ["--hide-category", "costs"],
            "--hide-category: unknown category 'costs' (categories: regulatory, security, ai-governance, "
            "architecture, functional, operations, viability, exit, commercial)",
        ),
    ],
)
def test_bad_blind_options_are_usage_errors(
    run_cli: Run, sample: Path, args: list[str], message: str
) -> None:
    code, out, err = run_cli(["score", "--workspace", sample, *args])
    assert code == 2
    assert message in unboxed(err)
    assert out == ""


@pytest.mark.parametrize("blind", [["--anonymize"], ["--hide-category", "commercial"]])
def test_report_since_is_refused_in_a_blind_view(run_cli: Run, sample: Path, blind: list[str]) -> None:
    code, out, err = run_cli(["report", "--workspace", sample, "--since", "HEAD", *blind])
    assert code == 2
    assert "--since cannot be combined with --anonymize or --hide-category" in unboxed(err)
    assert out == ""


def test_key_out_refused_inside_vendors(run_cli: Run, sample: Path) -> None:
    target = sample / "vendors" / "key.csv"
    code, _, err = run_cli(["score", "--workspace", sample, "--anonymize", "--key-out", target])
    assert code != 0
    assert "refused: outputs are never written into the workspace's vendors/ folder" in err
    assert not target.exists()


def test_hiding_every_category_is_refused(run_cli: Run, workspace: Any) -> None:
    root = workspace()
    code, _, err = run_cli(
        ["score", "--workspace", root, "--hide-category", "security", "--hide-category", "commercial"]
    )
    assert code == 2
    assert "--hide-category: every category would be hidden; keep at least one" in unboxed(err)


# --- hiding a category ------------------------------------------------------------------------------------


def test_hidden_commercial_category_scores_on_security_alone(run_cli: Run, workspace: Any) -> None:
    root = workspace()
    data = score_json(run_cli, root, "--hide-category", "commercial", "--segment", "Vector database")
    scores = {v["id"]: v["score"] for v in data["vendors"]}
    # Security alone: sec-encryption weight 2, sec-logging 1 (default). acme: median(4, 3) = 3.5 and 3.5;
    # beta: 2 and 4. Grades are score/5; points = 100 x weighted mean.
    assert scores["acme-vector"] == pytest.approx(100 * (2 * 3.5 + 1 * 3.5) / 3 / 5, abs=1e-9)
    assert scores["beta-vector"] == pytest.approx(100 * (2 * 2 + 1 * 4) / 3 / 5, abs=1e-9)
    assert "com-tco" not in json.dumps(data)


@pytest.mark.parametrize("profile", ["balanced", "data-platform"])
def test_hidden_commercial_leaves_no_cost_in_the_scorecard(
    run_cli: Run, sample: Path, tmp_path: Path, profile: str
) -> None:
    out = tmp_path / "s.json"
    code, _, err = run_cli(
        ["export", "--workspace", sample, "--profile", profile, "--hide-category", "commercial",
         "-f", "json", "--out", out]
    )  # fmt: skip
    assert code == 0, err
    text = out.read_text(encoding="utf-8")
    assert "com-tco" not in text and "total cost of ownership" not in text.lower()
    data = json.loads(text)
    assert "commercial" not in json.dumps(data.get("weights", data.get("categories", "")))


# --- dashboard --------------------------------------------------------------------------------------------


def _everything(at: AppTest) -> str:
    """All the page holds: text elements, table cells, chart specs and widget labels and options."""
    return repr(at._tree)


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch) -> Callable[..., AppTest]:
    def run(root: Path, *, forced: bool = False) -> AppTest:
        monkeypatch.setenv("EVALTOOL_WORKSPACE", str(root))
        if forced:
            monkeypatch.setenv("EVALTOOL_BLIND", "1")
        else:
            monkeypatch.delenv("EVALTOOL_BLIND", raising=False)
        at = AppTest.from_file(str(APP), default_timeout=90)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return run


def _pages(at: AppTest) -> Iterator[tuple[str, str]]:
    for page in ("overview", "compare", "vendor", "radar", "sensitivity", "what_if", "downloads"):
        at.switch_page(f"views/{page}.py").run()
        assert not at.exception, [e.value for e in at.exception]
        yield page, _everything(at)


def test_dashboard_blind_toggle_hides_every_vendor(app: Callable[..., AppTest], sample: Path) -> None:
    at = app(sample)
    assert leaks(_everything(at), sample) != []  # the ordinary view names them
    at.toggle(key="blind").set_value(True).run()
    for page, text in _pages(at):
        assert leaks(text, sample) == [], page
        assert "Vendor A" in text or "Vendor B" in text, page


def test_dashboard_started_blind_cannot_be_unblinded(app: Callable[..., AppTest], sample: Path) -> None:
    at = app(sample, forced=True)
    toggle = at.toggle(key="blind")
    assert toggle.value is True and toggle.disabled
    for page, text in _pages(at):
        assert leaks(text, sample) == [], page
