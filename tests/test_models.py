"""Tests of evaltool.models: the pydantic models alone, without files or line numbers.

`errors()` is reduced to (location, message) pairs; how evaltool/problems.py turns them into
`path:line: key.path: message` is tested in test_workspace.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from evaltool.models import (
    Ahp,
    Assessment,
    Catalog,
    Criterion,
    Grading,
    Poc,
    Profile,
    ScoreEntry,
    Vendor,
)
from evaltool.poc import SuccessCriterion


def errors(model: type[BaseModel], data: Any) -> list[tuple[tuple[Any, ...], str]]:
    with pytest.raises(ValidationError) as info:
        model.model_validate(data)
    return [(tuple(e["loc"]), e["msg"]) for e in info.value.errors(include_url=False)]


def criterion(**fields: Any) -> dict[str, Any]:
    return {"id": "c-one", "name": "One", **fields}


CATALOG = {
    "catalog": "Test",
    "version": "2026.11",
    "categories": [
        {
            "id": "sec",
            "name": "Security",
            "weight": 3,
            "criteria": [criterion(), {"id": "c-two", "name": "Two"}],
        },
        {"id": "com", "name": "Commercials", "criteria": [{"id": "tco", "name": "TCO", "type": "metric"}]},
    ],
}


# --- catalog -----------------------------------------------------------------------------------------


def test_catalog_defaults():
    catalog = Catalog.model_validate(CATALOG)
    assert (catalog.missing, catalog.segments, catalog.description) == ("zero", None, None)
    assert [c.id for c in catalog.criteria()] == ["c-one", "c-two", "tco"]
    assert list(catalog.criterion_map()) == ["c-one", "c-two", "tco"]
    one = catalog.criterion_map()["c-one"]
    assert (one.weight, one.type, one.gate, one.rubric, one.references) == (1.0, "rubric", None, None, [])
    assert catalog.categories[1].weight == 1.0


def test_models_are_frozen():
    catalog = Catalog.model_validate(CATALOG)
    with pytest.raises(ValidationError):
        catalog.version = "2027.01"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("fields", "higher"),
    [
        ({}, True),
        ({"type": "metric"}, True),
        ({"type": "metric", "direction": "lower"}, False),
        ({"type": "metric", "grading": {"best": 1, "worst": 10}}, False),
        ({"type": "metric", "grading": {"best": 10, "worst": 1}}, True),
        ({"type": "metric", "direction": "higher", "grading": {"best": 10, "worst": 1}}, True),
    ],
)
def test_direction_of_a_criterion(fields, higher):
    parsed = Criterion.model_validate(criterion(**fields))
    assert parsed.higher_is_better is higher
    assert parsed.is_metric is (fields.get("type") == "metric")


BAD_CRITERIA = [
    pytest.param(
        {"gate": 5.5}, [(("gate",), "gate 5.5 is outside the rubric scale 0..5")], id="gate-above-5"
    ),
    pytest.param({"gate": -1}, [(("gate",), "gate -1 is outside the rubric scale 0..5")], id="gate-below-0"),
    pytest.param({"gate": True}, [(("gate",), "must be a number, not true")], id="gate-boolean"),
    pytest.param(
        {"unit": "ms"},
        [(("unit",), "'unit' is only allowed on a metric criterion (type: metric)")],
        id="unit-on-rubric",
    ),
    pytest.param(
        {"direction": "lower"},
        [(("direction",), "'direction' is only allowed on a metric criterion (type: metric)")],
        id="direction-on-rubric",
    ),
    pytest.param(
        {"grading": {"best": 1, "worst": 0}},
        [(("grading",), "'grading' is only allowed on a metric criterion (type: metric)")],
        id="grading-on-rubric",
    ),
    pytest.param(
        {"type": "metric", "rubric": {0: "none"}},
        [(("rubric",), "'rubric' is only allowed on a rubric criterion; a metric criterion is graded")],
        id="rubric-on-metric",
    ),
    pytest.param(
        {"type": "metric", "grading": {"best": 3, "worst": 3}},
        [(("grading",), "best and worst must differ")],
        id="grading-best-equals-worst",
    ),
    pytest.param(
        {"type": "metric", "direction": "lower", "grading": {"best": 10, "worst": 1}},
        [(("grading",), "contradicts direction 'lower': best 10 and worst 1 mean higher is better")],
        id="grading-contradicts-direction",
    ),
    pytest.param(
        {"type": "metric", "direction": "lower", "grading": {"best": 2_000_000, "worst": 100_000}},
        [
            (
                ("grading",),
                "contradicts direction 'lower': best 2000000 and worst 100000 mean higher is better",
            )
        ],
        id="grading-contradicts-direction-large-numbers-as-written",
    ),
    pytest.param(
        {"type": "metric", "grading": {"best": 1, "worst": 9, "segments": {"S": {"best": 4, "worst": 4}}}},
        [(("grading", "segments", "S"), "best and worst must differ")],
        id="segment-grading-best-equals-worst",
    ),
    pytest.param(
        {"type": "metric", "grading": {"best": 1, "worst": 9, "segments": {"S": {"best": 4}}}},
        [(("grading", "segments", "S", "worst"), "Field required")],
        id="segment-grading-without-worst",
    ),
    pytest.param(
        {"type": "metric", "grading": {"segments": {"S": {"best": 1, "worst": 9}}}},
        [(("grading", "best"), "Field required"), (("grading", "worst"), "Field required")],
        id="segment-grading-without-a-default",
    ),
    pytest.param(
        {"type": "metric", "grading": {"best": 1, "worst": 9, "segments": {"S": {"best": 9, "worst": 1}}}},
        [
            (
                ("grading", "segments"),
                "'S': best 9 and worst 1 mean higher is better, unlike the default best 1 and worst 9 "
                "(lower is better)",
            )
        ],
        id="segment-grading-contradicts-the-default",
    ),
    pytest.param(
        {"rubric": {6: "beyond"}},
        [(("rubric", 6, "[key]"), "rubric levels are the whole numbers 0..5, not 6")],
        id="level-6",
    ),
    pytest.param(
        {"rubric": {2.5: "half"}},
        [(("rubric", "2.5", "[key]"), "rubric levels are the whole numbers 0..5, not 2.5")],
        id="level-half",
    ),
    pytest.param(
        {"type": "judgement"}, [(("type",), "Input should be 'rubric' or 'metric'")], id="unknown-type"
    ),
    pytest.param(
        {"weight": -1}, [(("weight",), "Input should be greater than or equal to 0")], id="negative-weight"
    ),
    pytest.param({"wieght": 2}, [(("wieght",), "Extra inputs are not permitted")], id="unknown-key"),
]


@pytest.mark.parametrize(("fields", "expected"), BAD_CRITERIA)
def test_bad_criterion(fields, expected):
    assert errors(Criterion, criterion(**fields)) == expected


NOT_AN_ID = "is not a valid id: use 1-64 lowercase letters, digits and '-', starting with a letter or digit"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("Sec", f"'Sec' {NOT_AN_ID}"),
        ("-sec", f"'-sec' {NOT_AN_ID}"),
        ("sec_enc", f"'sec_enc' {NOT_AN_ID}"),
        ("", f"'' {NOT_AN_ID}"),
        ("a" * 65, "'" + "a" * 36 + f"... {NOT_AN_ID}"),
        (7, "must be a string id, not 7"),
    ],
)
def test_bad_id(value, message):
    assert errors(Criterion, criterion(id=value)) == [(("id",), message)]


@pytest.mark.parametrize("value", ["a", "0", "sec-encryption", "a" * 64, "9-lives"])
def test_good_id(value):
    assert Criterion.model_validate(criterion(id=value)).id == value


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (2026.11, 'must be a string, not the number 2026.11: quote it as written, e.g. version: "2026.11"'),
        (2026, 'must be a string, not the number 2026: quote it as written, e.g. version: "2026.11"'),
        (None, "must be text, not null"),
    ],
)
def test_catalog_version_must_be_a_string(value, message):
    assert errors(Catalog, {**CATALOG, "version": value}) == [(("version",), message)]


def test_catalog_needs_categories_and_criteria():
    assert errors(Catalog, {**CATALOG, "categories": []}) == [
        (("categories",), "List should have at least 1 item after validation, not 0")
    ]
    empty = {**CATALOG, "categories": [{"id": "sec", "name": "S", "criteria": []}]}
    assert errors(Catalog, empty) == [
        (("categories", 0, "criteria"), "List should have at least 1 item after validation, not 0")
    ]


def test_catalog_missing_policy():
    assert Catalog.model_validate({**CATALOG, "missing": "exclude"}).missing == "exclude"
    assert errors(Catalog, {**CATALOG, "missing": "drop"}) == [
        (("missing",), "Input should be 'zero' or 'exclude'")
    ]


def test_grading_for_a_segment_is_its_own_else_the_default():
    graded = Criterion.model_validate(
        criterion(type="metric", grading={"best": 1, "worst": 9, "segments": {"S": {"best": 2, "worst": 20}}})
    )
    own, default = graded.grading_for("S"), graded.grading_for("T")
    assert (own.best, own.worst) == (2, 20)  # type: ignore[union-attr]
    assert (default.best, default.worst) == (1, 9)  # type: ignore[union-attr]
    assert Criterion.model_validate(criterion(type="metric")).grading_for("S") is None
    assert Criterion.model_validate(criterion()).grading_for("S") is None


def test_grading_needs_numbers():
    assert errors(Grading, {"best": "high", "worst": 0}) == [(("best",), "must be a number, not 'high'")]
    assert errors(Grading, {"best": float("nan"), "worst": 0}) == [
        (("best",), "must be a finite number, not nan")
    ]


# --- profile -----------------------------------------------------------------------------------------


def test_profile_defaults_and_gate_removal():
    profile = Profile.model_validate({"id": "p", "name": "P", "gates": {"c-one": None, "c-two": 3}})
    assert (profile.weights, profile.ahp) == ({}, None)
    assert profile.gates == {"c-one": None, "c-two": 3.0}


def test_profile_weights_are_non_negative_numbers():
    assert errors(Profile, {"id": "p", "name": "P", "weights": {"sec": -1, "com": "high"}}) == [
        (("weights", "sec"), "Input should be greater than or equal to 0"),
        (("weights", "com"), "must be a number, not 'high'"),
    ]


def test_ahp_accepts_numbers_and_fraction_strings_on_saatys_scale():
    ahp = Ahp.model_validate(
        {"items": ["a", "b", "c"], "matrix": [[1, 9, "1/9"], ["1/9", 1, " 2 / 1 "], [9, 0.5, 1]]}
    )
    assert ahp.matrix[0] == [1.0, 9.0, pytest.approx(1 / 9)]
    assert ahp.matrix[1][2] == 2.0


@pytest.mark.parametrize(
    ("matrix", "message"),
    [
        (
            [[1, 3], [0.33, 1]],
            'matrix is not reciprocal at [0][1] = 3 and [1][0] = 0.33: [1][0] should be "1/3"',
        ),
        (
            [[1, 5], [0.25, 1]],
            'matrix is not reciprocal at [0][1] = 5 and [1][0] = 0.25: [1][0] should be "1/5"',
        ),
        ([[1, 0.5], [3, 1]], "matrix is not reciprocal at [0][1] = 0.5 and [1][0] = 3: [1][0] should be 2"),
        ([[1, 3], ["1/3"]], "matrix must be 2x2 to match the 2 items (its rows have 2, 1 entries)"),
        ([[1, 3]], "matrix must be 2x2 to match the 2 items (its rows have 2 entries)"),
        ([[2, 1], [1, 1]], "matrix[0][0] must be 1 (an item compared with itself)"),
    ],
)
def test_ahp_matrix_shape_and_reciprocity(matrix, message):
    # Where the problem is placed in the file is checked in test_workspace.py.
    assert [msg for _, msg in errors(Ahp, {"items": ["a", "b"], "matrix": matrix})] == [message]


def test_ahp_reciprocal_tolerance_is_one_percent():
    assert Ahp.model_validate({"items": ["a", "b"], "matrix": [[1, 3], [0.334, 1]]})
    assert Ahp.model_validate({"items": ["a", "b"], "matrix": [[1, 3], [0.3366, 1]]})


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (10, "10 is outside Saaty's scale 1/9..9"),
        (0.1, "0.1 is outside Saaty's scale 1/9..9"),
        ("1/10", "'1/10' is outside Saaty's scale 1/9..9"),
        ("1/0", "'1/0' is not a number or a fraction such as \"1/3\""),
        ("a third", "'a third' is not a number or a fraction such as \"1/3\""),
        (True, "must be a number, not true"),
    ],
)
def test_ahp_entry_outside_the_scale(entry, message):
    assert errors(Ahp, {"items": ["a", "b"], "matrix": [[1, entry], [1, 1]]}) == [(("matrix", 0, 1), message)]


def test_ahp_items_once_each_and_at_most_15():
    twice = errors(Ahp, {"items": ["a", "a"], "matrix": [[1, 1], [1, 1]]})
    assert [msg for _, msg in twice] == ["items lists a category more than once"]
    items = [f"c{i}" for i in range(16)]
    too_many = errors(Ahp, {"items": items, "matrix": [[1] * 16] * 16})
    assert [msg for _, msg in too_many] == ["AHP supports at most 15 items"]


# --- vendor ------------------------------------------------------------------------------------------

VENDOR = {"id": "acme", "name": "Acme", "segment": "Vector database"}


def test_vendor_scores_short_long_and_null():
    vendor = Vendor.model_validate(
        {**VENDOR, "scores": {"c-one": 4, "c-two": None, "tco": {"value": 1e5, "expires": "2027-06-30"}}}
    )
    [(assessor, scores)] = vendor.all_assessments()
    assert assessor == ""
    assert scores["c-one"] == 4.0
    assert scores["c-two"] is None
    entry = scores["tco"]
    assert isinstance(entry, ScoreEntry)
    assert (entry.given, entry.expires) == (1e5, dt.date(2027, 6, 30))


def test_vendor_with_assessments_and_without_scores():
    vendor = Vendor.model_validate(
        {
            **VENDOR,
            "assessments": [{"assessor": "j.doe", "date": dt.date(2026, 10, 12), "scores": {"c-one": 3}}],
        }
    )
    assert vendor.all_assessments() == [("j.doe", {"c-one": 3.0})]
    assert Vendor.model_validate(VENDOR).all_assessments() == []


def test_vendor_facts_are_free_form():
    facts = {"founded": 2021, "Funding Stage": ["Series B"], "nested": {"any": True}}
    assert Vendor.model_validate({**VENDOR, "facts": facts}).facts == facts


BAD_VENDORS = [
    pytest.param(
        {"scores": {"c-one": 1}, "assessments": []},
        [((), "use either 'assessments' or top-level 'scores', not both")],
        id="scores-and-assessments",
    ),
    pytest.param(
        {"scores": {"c-one": True}}, [(("scores", "c-one", "short"), "must be a number, not true")], id="bool"
    ),
    pytest.param(
        {"scores": {"c-one": "4"}},
        [(("scores", "c-one", "short"), "must be a number, not '4'")],
        id="quoted-number",
    ),
    pytest.param(
        {"scores": {"c-one": float("inf")}},
        [(("scores", "c-one", "short"), "must be a finite number, not inf")],
        id="infinity",
    ),
    pytest.param(
        {"scores": {"c-one": {"score": 4, "value": 4}}},
        [(("scores", "c-one", "entry"), "give either 'score' (rubric) or 'value' (metric), not both")],
        id="score-and-value",
    ),
    pytest.param(
        {"scores": {"c-one": {"score": 5.5}}},
        [(("scores", "c-one", "entry", "score"), "score 5.5 is outside the rubric scale 0..5")],
        id="long-score-above-5",
    ),
    pytest.param(
        {"scores": {"c-one": {"score": 3, "level": "rumour"}}},
        [
            (
                ("scores", "c-one", "entry", "level"),
                "Input should be 'claimed', 'documented', 'verified' or 'poc'",
            )
        ],
        id="evidence-level",
    ),
    pytest.param(
        {"scores": {"c-one": {"score": 3, "expires": "2026-02-30"}}},
        [(("scores", "c-one", "entry", "expires"), "'2026-02-30' is not a real date")],
        id="impossible-expiry",
    ),
    pytest.param(
        {"scores": {"c-one": {"score": 3, "expires": dt.datetime(2026, 1, 1, 10, 0)}}},
        [
            (
                ("scores", "c-one", "entry", "expires"),
                "must be a date YYYY-MM-DD without a time, not 2026-01-01T10:00:00",
            )
        ],
        id="expiry-with-time",
    ),
    pytest.param(
        {"scores": {"Bad Id": 3}},
        [(("scores", "Bad Id", "[key]"), f"'Bad Id' {NOT_AN_ID}")],
        id="score-key-not-an-id",
    ),
    pytest.param(
        {"kind": "unicorn"},
        [(("kind",), "Input should be 'startup', 'scaleup', 'enterprise' or 'open-source'")],
        id="kind",
    ),
    pytest.param(
        {"radar": "adopted"},
        [(("radar",), "Input should be 'adopt', 'trial', 'assess' or 'hold'")],
        id="radar",
    ),
    pytest.param(
        {"poc": {"status": "done", "timebox_weeks": 0}},
        [(("poc", "timebox_weeks"), "Input should be greater than 0")],
        id="timebox-0",
    ),
    pytest.param(
        {"poc": {"status": "done", "timebox_weeks": 53}},
        [(("poc", "timebox_weeks"), "Input should be less than or equal to 52")],
        id="timebox-over-a-year",
    ),
    pytest.param({"name": 3}, [(("name",), "must be text, not 3")], id="name-not-text"),
]


@pytest.mark.parametrize(("fields", "expected"), BAD_VENDORS)
def test_bad_vendor(fields, expected):
    assert errors(Vendor, {**VENDOR, **fields}) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2026-02-30", "'2026-02-30' is not a real date"),
        ("12/10/2026", "must be a date YYYY-MM-DD, not '12/10/2026'"),
        (20261012, "must be a date YYYY-MM-DD, not 20261012"),
    ],
)
def test_assessment_date(value, message):
    assert errors(Assessment, {"assessor": "j.doe", "date": value}) == [(("date",), message)]


@pytest.mark.parametrize("value", [dt.date(2026, 10, 12), "2026-10-12"])
def test_assessment_date_quoted_or_not(value):
    assert Assessment.model_validate({"assessor": "j.doe", "date": value}).date == dt.date(2026, 10, 12)


def test_poc_success_criterion_target_is_a_comparison_not_a_bare_number():
    # a bare number says neither "at least" nor "at most": the target cannot be evaluated, so it counts
    # as pending (validate warns: tests/test_poc.py), and the file still loads
    criterion = SuccessCriterion.model_validate({"metric": "recall", "target": 0.9, "result": 0.95})
    assert criterion.outcome_or_problem() == (
        "pending",
        "'0.9' is not an evaluable target: use '>= 0.95', '<= 50 ms', '< 2 s', '>= 95%', "
        "'<= USD 12' or 'pass'",
    )
    assert errors(Poc, {"status": "paused"}) == [
        (("status",), "Input should be 'planned', 'running', 'done' or 'stopped'")
    ]
