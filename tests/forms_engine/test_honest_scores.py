"""Honest scores (issue 10 §3): no invalid input yields a confident wrong verdict. With inputs of the
score missing or invalid the outcome is 待补充 and says which; cross-field rules run in previews;
explanations show values exactly as compared. Pure: the shipped definitions, no database."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from forms_engine.scoring import score
from tests.factories.forms import field, make_schema
from tests.forms_engine.test_shipped_scoring import (
    DIGITAL,
    INNOVATION,
    INNOVATION_BASE,
    LITTLE_GIANT,
    LITTLE_GIANT_BASE,
    SPECIALIZED_V1,
    SPECIALIZED_V1_BASE,
)


def outcome(schema, answers):
    result = score(schema, answers)
    return result.outcome.key, {(i.field, i.code) for i in result.issues}


@pytest.mark.parametrize(
    ("revenue", "code"),
    [
        (-1, "min_value"),
        (1e30, "max_value"),
        ("NaN", "invalid"),
        ("Infinity", "invalid"),
        (True, "invalid"),
        ([1000], "invalid"),
        ("1000.00001", "decimal_places"),
    ],
)
def test_an_invalid_input_makes_a_qualifying_case_incomplete_not_unqualified(revenue, code):
    assert score(INNOVATION, INNOVATION_BASE).outcome.qualified is True  # 80 points, qualified
    result = score(INNOVATION, {**INNOVATION_BASE, "revenue": revenue})
    assert result.outcome.key == "incomplete" and result.outcome.qualified is None
    assert ("revenue", code) in {(i.field, i.code) for i in result.issues}
    assert "营业收入" in result.outcome.reasons[0]


def test_a_missing_input_of_the_score_is_named():
    answers = {k: v for k, v in INNOVATION_BASE.items() if k != "rd_spend"}
    result = score(INNOVATION, answers)
    assert result.outcome.label == "待补充"
    assert any("研发" in reason for reason in result.outcome.reasons)


def test_a_missing_answer_the_score_does_not_use_leaves_the_verdict():
    # enterprise_name, uscc and main_product are required but scored nowhere
    result = score(INNOVATION, INNOVATION_BASE)
    assert {i.field for i in result.issues} >= {"enterprise_name", "uscc", "main_product"}
    assert result.complete and result.outcome.key == "qualified"


@pytest.mark.parametrize(
    ("schema", "base", "overrides", "rule"),
    [
        (
            SPECIALIZED_V1,
            SPECIALIZED_V1_BASE,
            {"main_revenue": 6000},
            "rule_main_not_above_total",
        ),  # a 120 % share
        (
            SPECIALIZED_V1,
            SPECIALIZED_V1_BASE,
            {"employees": 100, "rd_staff": 500},
            "rule_rd_staff_not_above_total",
        ),
        (LITTLE_GIANT, LITTLE_GIANT_BASE, {"revenue_prev2": 0}, "rule_revenue_prev2_positive"),
    ],
)
def test_cross_field_rules_run_in_the_preview_and_stop_a_verdict(schema, base, overrides, rule):
    key, issues = outcome(schema, {**base, **overrides})
    assert key == "incomplete"
    assert rule in {code for _field, code in issues}


def test_one_unknown_option_is_reported_not_passed_off_as_unanswered():
    result = score(SPECIALIZED_V1, {**SPECIALIZED_V1_BASE, "quality_items": ["iso9001", "own_brand", "Z"]})
    quality = next(i for i in result.items if i.key == "quality")
    assert "“Z”不是本题的选项" in quality.explanation
    assert "未作答，得 0 分" != quality.explanation
    assert result.outcome.key == "incomplete"


def test_an_exclusive_option_with_another_is_reported():
    result = score(DIGITAL, {"network_build": ["A", "B"]})
    issue = next(i for i in result.issues if i.field == "network_build")
    assert issue.code == "exclusive_choice"


def test_the_explanation_shows_the_value_exactly_as_it_was_compared():
    # 300 / 10000.001 × 100 = 2.9999997…%: below 3 %, so the 2–3 % band applies (and is said so)
    result = score(
        INNOVATION,
        {
            **INNOVATION_BASE,
            "revenue": "10000.001",
            "main_revenue": 8000,
            "rd_spend": 300,
            "total_assets": 20000,
            "total_liabilities": 10000,
        },
    )
    item = next(i for i in result.items if i.key == "rd_ratio")
    assert item.points == 10
    assert "= 2.9999997…" in item.explanation and "2%–3%" in item.explanation
    assert "= 3，" not in item.explanation


def test_a_questionnaire_without_scenario_ratings_has_no_level_even_at_100_points():
    answers = {
        f.key: f.options[-1].value
        for f in DIGITAL.value_fields
        if f.kind.choice and not f.scenario and f.type == "single_choice"
    }
    result = score(DIGITAL, answers)
    assert result.outcome.key == "incomplete" and result.outcome.label == "待补充"


def test_a_not_qualified_result_never_gives_a_direct_path_as_reason():
    schema = make_schema(
        field("legal", "yes_no", "独立法人"),
        field("award", "yes_no", "获奖"),
        field("points", "integer", "分"),
        scoring={
            "items": [{"key": "p", "label": "分", "method": "formula", "expression": "points", "max": 100}],
            "outcome": {
                "type": "qualification",
                "min_total": 60,
                "conditions": [{"key": "legal", "label": "独立法人", "expression": "legal == True"}],
                "direct_paths": [{"key": "award", "label": "获奖", "expression": "award == True"}],
            },
        },
    )
    from forms_engine.schema import parse_schema

    result = score(parse_schema(schema), {"legal": False, "award": True, "points": 10})
    assert result.outcome.qualified is False
    assert not any("直通" in reason for reason in result.outcome.reasons)


def test_the_score_result_carries_issues_and_completeness_in_its_stored_form():
    data = json.loads(
        json.dumps(score(INNOVATION, {**INNOVATION_BASE, "revenue": -1}).as_dict(), ensure_ascii=False)
    )
    assert data["complete"] is False and data["outcome"]["key"] == "incomplete"
    assert {"field": "revenue", "code": "min_value"}.items() <= data["issues"][0].items()


# --- the CLI ------------------------------------------------------------------------------------------


@pytest.fixture
def loaded(db):
    from forms_engine.services import import_definition_document
    from tests.forms_engine.conftest import load_document

    import_definition_document(document=load_document("innovation_self_test"))


@pytest.mark.parametrize("content", [{"answers": [1, 2]}, {"answers": "x"}, [1, 2], {"nothing": 1}])
def test_forms_score_refuses_a_malformed_answers_file_in_one_line(loaded, tmp_path, content):
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(content), encoding="utf-8")
    with pytest.raises(CommandError) as info:
        call_command("forms", "score", "innovation_self_test", str(path))
    assert info.value.returncode == 2 and "\n" not in str(info.value)


def test_forms_score_prints_the_issues(loaded, tmp_path, capsys):
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({**INNOVATION_BASE, "revenue": -1}, default=str), encoding="utf-8")
    call_command("forms", "score", "innovation_self_test", str(path))
    out = capsys.readouterr()
    assert "「上年度营业收入」" in out.err or "营业收入" in out.err
    assert json.loads(out.out)["outcome"]["key"] == "incomplete"


def test_decimal_answers_are_exact():
    assert score(INNOVATION, {**INNOVATION_BASE, "revenue": Decimal("1000")}).total == 80
