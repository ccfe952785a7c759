"""Schema parser: every problem with a stable code and place; format-1 → 2 conversion."""

from __future__ import annotations

import copy
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from forms_engine.schema import (
    CURRENT_FORMAT,
    Place,
    SchemaValidationError,
    parse_schema,
    upgrade_schema,
    validate_schema,
)
from forms_engine.scoring import score


def base_schema() -> dict[str, Any]:
    """A small valid format-2 schema touching every kind of part the mutations change."""
    return {
        "format": 2,
        "title": "测试表",
        "steps": [
            {
                "key": "basic",
                "title": "基本情况",
                "sections": [
                    {
                        "key": "enterprise",
                        "title": "企业",
                        "fields": [
                            {"key": "name", "type": "text", "label": "企业名称", "required": True},
                            {"key": "revenue", "type": "money", "label": "营业收入", "required": True},
                            {"key": "rd_spend", "type": "money", "label": "研发费用"},
                            {
                                "key": "rd_ratio",
                                "type": "computed",
                                "label": "研发占比",
                                "expression": "rd_spend / revenue * 100",
                            },
                            {"key": "founded", "type": "date", "label": "成立日期"},
                        ],
                    },
                ],
            },
            {
                "key": "indicators",
                "title": "指标",
                "sections": [
                    {
                        "key": "innovation",
                        "title": "创新",
                        "fields": [
                            {
                                "key": "ip_class",
                                "type": "single_choice",
                                "label": "知识产权",
                                "options": [
                                    {"value": "A", "label": "A", "score": 20},
                                    {"value": "B", "label": "B", "score": 5},
                                ],
                            },
                            {
                                "key": "networks",
                                "type": "multiple_choice",
                                "label": "网络",
                                "options": [{"value": "x", "label": "X"}, {"value": "y", "label": "Y"}],
                            },
                            {
                                "key": "patents",
                                "type": "table",
                                "label": "专利",
                                "columns": [{"key": "title", "type": "text", "label": "名称"}],
                            },
                        ],
                    },
                ],
            },
        ],
        "validations": [
            {
                "key": "rd_not_above",
                "check": "rd_spend <= revenue",
                "fields": ["rd_spend"],
                "message": "研发费用不能大于营业收入",
            },
        ],
        "scoring": {
            "max_total": 100,
            "groups": [{"key": "innovation", "label": "创新能力", "max": 40, "min": 20}],
            "items": [
                {
                    "key": "ip",
                    "label": "知识产权",
                    "method": "option",
                    "field": "ip_class",
                    "max": 20,
                    "group": "innovation",
                },
                {
                    "key": "rd",
                    "label": "研发占比",
                    "method": "bands",
                    "value": "rd_spend / revenue * 100",
                    "max": 20,
                    "group": "innovation",
                    "bands": [
                        {"min": 3, "min_inclusive": True, "points": 20},
                        {"max": 3, "max_inclusive": False, "points": 0},
                    ],
                },
            ],
            "outcome": {
                "type": "qualification",
                "min_total": 60,
                "conditions": [{"key": "named", "label": "填写名称", "expression": "not blank(name)"}],
            },
        },
    }


def fields_of(raw: dict, step: int = 0, section: int = 0) -> list[dict]:
    return raw["steps"][step]["sections"][section]["fields"]


def field_named(raw: dict, key: str) -> dict:
    for step in raw["steps"]:
        for section in step["sections"]:
            for field in section["fields"]:
                if field["key"] == key:
                    return field
    raise KeyError(key)


def add_field(raw: dict, field: dict) -> None:
    fields_of(raw).append(field)


def items(raw: dict) -> list[dict]:
    return raw["scoring"]["items"]


def scenario_field(values=("1", "2")) -> dict:
    return {
        "key": "scene",
        "type": "single_choice",
        "label": "场景",
        "scenario": {"scene_type": "guidance", "group": "生产"},
        "options": [{"value": v, "label": v} for v in values],
    }


# Each case: (id, mutation, expected code, expected place as a dict of the Place attributes that matter)
Mutation = Callable[[dict], Any]
B_E = {"step": "basic", "section": "enterprise"}
I_I = {"step": "indicators", "section": "innovation"}

CASES: list[tuple[str, Mutation, str, dict]] = [
    ("missing_format", lambda s: s.pop("format"), "missing_format", {"part": "format"}),
    (
        "future_format",
        lambda s: s.update(format=CURRENT_FORMAT + 1),
        "unsupported_format",
        {"part": "format"},
    ),
    ("zero_format", lambda s: s.update(format=0), "unsupported_format", {"part": "format"}),
    ("missing_title", lambda s: s.pop("title"), "missing", {"step": None, "field": None, "part": None}),
    ("no_steps_key", lambda s: s.pop("steps"), "missing", {"step": None, "part": None}),
    ("empty_steps", lambda s: s.update(steps=[]), "empty", {"step": None, "part": None}),
    ("unknown_top_attribute", lambda s: s.update(titel="x"), "unknown_attribute", {"step": None}),
    (
        "step_without_title",
        lambda s: s["steps"][0].pop("title"),
        "missing",
        {"step": "basic", "section": None},
    ),
    ("step_without_sections", lambda s: s["steps"][1].update(sections=[]), "empty", {"step": "indicators"}),
    (
        "duplicate_step_key",
        lambda s: s["steps"][1].update(key="basic"),
        "duplicate_key",
        {"part": "steps[1]"},
    ),
    (
        "duplicate_field_across_sections",
        lambda s: fields_of(s, 1).append({"key": "name", "type": "text", "label": "重复"}),
        "duplicate_key",
        {**I_I, "field": None, "part": "fields[3]"},
    ),
    (
        "invalid_key_uppercase",
        lambda s: fields_of(s)[0].update(key="Name"),
        "invalid_key",
        {**B_E, "part": "fields[0]"},
    ),
    (
        "invalid_key_digit_first",
        lambda s: fields_of(s)[0].update(key="1name"),
        "invalid_key",
        {**B_E, "part": "fields[0]"},
    ),
    (
        "invalid_key_dash",
        lambda s: fields_of(s)[0].update(key="my-name"),
        "invalid_key",
        {**B_E, "part": "fields[0]"},
    ),
    (
        "reserved_key_total",
        lambda s: add_field(s, {"key": "total", "type": "integer", "label": "合计"}),
        "invalid_key",
        {**B_E, "part": "fields[5]"},
    ),
    (
        "reserved_key_max",
        lambda s: add_field(s, {"key": "max", "type": "integer", "label": "最大"}),
        "invalid_key",
        {**B_E, "part": "fields[5]"},
    ),
    (
        "reserved_key_and",
        lambda s: add_field(s, {"key": "and", "type": "integer", "label": "与"}),
        "invalid_key",
        {**B_E, "part": "fields[5]"},
    ),
    (
        "ctx_key",
        lambda s: add_field(s, {"key": "ctx_province", "type": "text", "label": "省"}),
        "invalid_key",
        {**B_E, "part": "fields[5]"},
    ),
    (
        "field_without_key",
        lambda s: add_field(s, {"type": "text", "label": "无标识"}),
        "missing",
        {**B_E, "field": None, "part": "fields[5]"},
    ),
    (
        "unknown_field_type",
        lambda s: add_field(s, {"key": "colour", "type": "colour", "label": "颜色"}),
        "unknown_field_type",
        {**B_E, "field": "colour"},
    ),
    (
        "typo_attribute",
        lambda s: fields_of(s)[0].update(requird=True),
        "unknown_attribute",
        {**B_E, "field": "name"},
    ),
    (
        "attribute_of_other_type",
        lambda s: fields_of(s)[0].update(options=[]),
        "unknown_attribute",
        {**B_E, "field": "name"},
    ),
    ("label_missing", lambda s: fields_of(s)[0].pop("label"), "missing", {**B_E, "field": "name"}),
    (
        "required_not_boolean",
        lambda s: fields_of(s)[0].update(required="yes"),
        "invalid_type",
        {**B_E, "field": "name"},
    ),
    (
        "min_above_max",
        lambda s: add_field(s, {"key": "staff", "type": "integer", "label": "人数", "min": 10, "max": 1}),
        "invalid_bounds",
        {**B_E, "field": "staff"},
    ),
    (
        "min_length_above_max_length",
        lambda s: fields_of(s)[0].update(min_length=10, max_length=5),
        "invalid_bounds",
        {**B_E, "field": "name"},
    ),
    (
        "min_not_a_number",
        lambda s: field_named(s, "revenue").update(min="low"),
        "invalid_number",
        {**B_E, "field": "revenue"},
    ),
    (
        "bad_regex",
        lambda s: fields_of(s)[0].update(pattern="[a-"),
        "invalid_pattern",
        {**B_E, "field": "name"},
    ),
    (
        "bad_date_bound",
        lambda s: field_named(s, "founded").update(min="2024-02-30"),
        "invalid_date",
        {**B_E, "field": "founded"},
    ),
    (
        "date_bound_not_text",
        lambda s: field_named(s, "founded").update(max=20240101),
        "invalid_date",
        {**B_E, "field": "founded"},
    ),
    (
        "choice_without_options",
        lambda s: field_named(s, "ip_class").pop("options"),
        "missing",
        {**I_I, "field": "ip_class"},
    ),
    (
        "choice_with_empty_options",
        lambda s: field_named(s, "networks").update(options=[]),
        "empty",
        {**I_I, "field": "networks"},
    ),
    (
        "duplicate_option_value",
        lambda s: field_named(s, "networks")["options"].append({"value": "x", "label": "X2"}),
        "duplicate_option",
        {**I_I, "field": "networks", "part": "options[2]"},
    ),
    (
        "option_missing_value",
        lambda s: field_named(s, "networks")["options"].append({"label": "无值"}),
        "missing",
        {**I_I, "field": "networks", "part": "options[2]"},
    ),
    (
        "option_missing_label",
        lambda s: field_named(s, "networks")["options"].append({"value": "z"}),
        "missing",
        {**I_I, "field": "networks", "part": "options[2]"},
    ),
    (
        "option_unknown_attribute",
        lambda s: field_named(s, "networks")["options"][0].update(points=3),
        "unknown_attribute",
        {**I_I, "field": "networks", "part": "options[0]"},
    ),
    (
        "bad_widget",
        lambda s: field_named(s, "ip_class").update(widget="dropdown"),
        "invalid_widget",
        {**I_I, "field": "ip_class"},
    ),
    (
        "bad_default_integer",
        lambda s: add_field(s, {"key": "staff", "type": "integer", "label": "人数", "default": "abc"}),
        "invalid_default",
        {**B_E, "field": "staff"},
    ),
    (
        "bad_default_choice",
        lambda s: field_named(s, "ip_class").update(default="Z"),
        "invalid_default",
        {**I_I, "field": "ip_class"},
    ),
    (
        "bad_region_level",
        lambda s: add_field(s, {"key": "area", "type": "region", "label": "地区", "min_level": "village"}),
        "invalid_level",
        {**B_E, "field": "area"},
    ),
    (
        "bad_accept",
        lambda s: add_field(s, {"key": "doc", "type": "file", "label": "附件", "accept": ["pdf"]}),
        "invalid_accept",
        {**B_E, "field": "doc"},
    ),
    (
        "visible_if_unknown_field",
        lambda s: fields_of(s)[0].update(visible_if="nosuch > 1"),
        "expression_unknown_name",
        {**B_E, "field": "name", "part": "visible_if"},
    ),
    (
        "visible_if_syntax_error",
        lambda s: fields_of(s)[0].update(visible_if="revenue >"),
        "expression_syntax",
        {**B_E, "field": "name", "part": "visible_if"},
    ),
    (
        "visible_if_forbidden",
        lambda s: fields_of(s)[0].update(visible_if="revenue.__class__"),
        "expression_forbidden_syntax",
        {**B_E, "field": "name", "part": "visible_if"},
    ),
    (
        "visible_if_not_text",
        lambda s: fields_of(s)[0].update(visible_if=True),
        "invalid_type",
        {**B_E, "field": "name", "part": "visible_if"},
    ),
    (
        "computed_without_expression",
        lambda s: field_named(s, "rd_ratio").pop("expression"),
        "missing",
        {**B_E, "field": "rd_ratio"},
    ),
    (
        "computed_unknown_function",
        lambda s: field_named(s, "rd_ratio").update(expression="median(revenue)"),
        "expression_unknown_function",
        {**B_E, "field": "rd_ratio", "part": "expression"},
    ),
    (
        "computed_cycle",
        lambda s: (
            add_field(s, {"key": "a", "type": "computed", "label": "A", "expression": "b + 1"}),
            add_field(s, {"key": "b", "type": "computed", "label": "B", "expression": "a + 1"}),
        ),
        "computed_cycle",
        {**B_E},
    ),
    (
        "computed_self_reference",
        lambda s: field_named(s, "rd_ratio").update(expression="rd_ratio + 1"),
        "computed_cycle",
        {**B_E, "field": "rd_ratio"},
    ),
    (
        "table_column_file",
        lambda s: field_named(s, "patents")["columns"].append(
            {"key": "scan", "type": "file", "label": "扫描件"}
        ),
        "unknown_field_type",
        {**I_I, "field": "scan"},
    ),
    (
        "table_column_table",
        lambda s: field_named(s, "patents")["columns"].append(
            {"key": "sub", "type": "table", "label": "子表", "columns": []}
        ),
        "unknown_field_type",
        {**I_I, "field": "sub"},
    ),
    (
        "table_duplicate_column",
        lambda s: field_named(s, "patents")["columns"].append(
            {"key": "title", "type": "text", "label": "又一名称"}
        ),
        "duplicate_key",
        {**I_I, "field": "patents", "part": "columns[1]"},
    ),
    (
        "table_min_rows_above_max_rows",
        lambda s: field_named(s, "patents").update(min_rows=5, max_rows=2),
        "invalid_bounds",
        {**I_I, "field": "patents"},
    ),
    (
        "table_max_rows_above_limit",
        lambda s: field_named(s, "patents").update(max_rows=201),
        "invalid_number",
        {**I_I, "field": "patents"},
    ),
    (
        "table_without_columns",
        lambda s: field_named(s, "patents").pop("columns"),
        "missing",
        {**I_I, "field": "patents"},
    ),
    (
        "validation_unknown_field",
        lambda s: s["validations"][0].update(fields=["nosuch"]),
        "unknown_field",
        {"part": "validations.rd_not_above"},
    ),
    (
        "validation_without_fields",
        lambda s: s["validations"][0].pop("fields"),
        "missing",
        {"part": "validations.rd_not_above"},
    ),
    (
        "validation_missing_message",
        lambda s: s["validations"][0].pop("message"),
        "missing",
        {"part": "validations.rd_not_above"},
    ),
    (
        "validation_missing_check",
        lambda s: s["validations"][0].pop("check"),
        "missing",
        {"part": "validations.rd_not_above"},
    ),
    (
        "validation_check_unknown_name",
        lambda s: s["validations"][0].update(check="profit > 0"),
        "expression_unknown_name",
        {"part": "validations.rd_not_above"},
    ),
    ("validations_not_list", lambda s: s.update(validations={}), "invalid_type", {"part": "validations"}),
    (
        "score_item_unknown_method",
        lambda s: items(s)[0].update(method="lookup"),
        "unknown_method",
        {"part": "scoring.items.ip"},
    ),
    (
        "score_item_unknown_group",
        lambda s: items(s)[0].update(group="growth"),
        "unknown_group",
        {"part": "scoring.items.ip"},
    ),
    ("score_item_without_max", lambda s: items(s)[0].pop("max"), "missing", {"part": "scoring.items.ip"}),
    (
        "score_item_unknown_attribute",
        lambda s: items(s)[0].update(weight=2),
        "unknown_attribute",
        {"part": "scoring.items.ip"},
    ),
    (
        "option_item_on_text_field",
        lambda s: items(s)[0].update(field="name"),
        "wrong_field_type",
        {"part": "scoring.items.ip"},
    ),
    (
        "option_item_unknown_field",
        lambda s: items(s)[0].update(field="nosuch"),
        "unknown_field",
        {"part": "scoring.items.ip"},
    ),
    (
        "option_item_options_without_scores",
        lambda s: items(s)[0].update(field="networks"),
        "missing_option_score",
        {"part": "scoring.items.ip"},
    ),
    (
        "count_on_single_choice",
        lambda s: items(s).append(
            {"key": "n", "label": "个数", "method": "count", "field": "ip_class", "per_item": 1, "max": 5}
        ),
        "wrong_field_type",
        {"part": "scoring.items.n"},
    ),
    (
        "count_without_per_item",
        lambda s: items(s).append(
            {"key": "n", "label": "个数", "method": "count", "field": "networks", "max": 5}
        ),
        "missing",
        {"part": "scoring.items.n"},
    ),
    (
        "formula_without_expression",
        lambda s: items(s).append({"key": "f", "label": "公式", "method": "formula", "max": 5}),
        "missing",
        {"part": "scoring.items.f"},
    ),
    ("bands_without_value", lambda s: items(s)[1].pop("value"), "missing", {"part": "scoring.items.rd"}),
    (
        "band_without_min_inclusive",
        lambda s: items(s)[1]["bands"][0].pop("min_inclusive"),
        "bound_inclusivity_missing",
        {"part": "scoring.items.rd.bands[0]"},
    ),
    (
        "band_without_max_inclusive",
        lambda s: items(s)[1]["bands"][1].pop("max_inclusive"),
        "bound_inclusivity_missing",
        {"part": "scoring.items.rd.bands[1]"},
    ),
    (
        "band_min_above_max",
        lambda s: items(s)[1]["bands"].append(
            {"min": 9, "min_inclusive": True, "max": 8, "max_inclusive": True, "points": 1}
        ),
        "invalid_bounds",
        {"part": "scoring.items.rd.bands[2]"},
    ),
    (
        "overlapping_bands",
        lambda s: items(s)[1]["bands"].append(
            {"min": 4, "min_inclusive": True, "max": 6, "max_inclusive": False, "points": 10}
        ),
        "band_overlap",
        {"part": "scoring.items.rd"},
    ),
    (
        "bands_touching_both_inclusive",
        lambda s: items(s)[1]["bands"][1].update(max_inclusive=True),
        "band_overlap",
        {"part": "scoring.items.rd"},
    ),
    (
        "band_without_points",
        lambda s: items(s)[1]["bands"][0].pop("points"),
        "missing",
        {"part": "scoring.items.rd.bands[0]"},
    ),
    (
        "max_of_part_unknown_method",
        lambda s: items(s).append(
            {
                "key": "best",
                "label": "最佳",
                "method": "max_of",
                "max": 10,
                "parts": [{"key": "p1", "method": "magic"}],
            }
        ),
        "unknown_method",
        {"part": "scoring.items.best.parts.p1"},
    ),
    (
        "duplicate_item_key",
        lambda s: items(s)[1].update(key="ip"),
        "duplicate_key",
        {"part": "scoring.items[1]"},
    ),
    (
        "outcome_unknown_type",
        lambda s: s["scoring"]["outcome"].update(type="ranking"),
        "unknown_outcome",
        {"part": "scoring.outcome"},
    ),
    (
        "condition_unknown_name",
        lambda s: s["scoring"]["outcome"]["conditions"][0].update(expression="nosuch"),
        "expression_unknown_name",
        {"part": "scoring.outcome.conditions[0]"},
    ),
    (
        "level_scenario_counts_without_scenario_fields",
        lambda s: s["scoring"].update(
            outcome={
                "type": "levels",
                "levels": [
                    {"key": "one", "label": "一级", "scenario_counts": [{"min_level": 1, "count": 2}]}
                ],
            }
        ),
        "invalid_scenario",
        {"part": "scoring.outcome.levels[0].scenario_counts[0]"},
    ),
    (
        "level_unknown_scene_type",
        lambda s: (
            add_field(s, scenario_field()),
            s["scoring"].update(
                outcome={
                    "type": "levels",
                    "levels": [
                        {
                            "key": "one",
                            "label": "一级",
                            "scenario_counts": [{"min_level": 1, "count": 2, "scene_type": "constraint"}],
                        }
                    ],
                }
            ),
        ),
        "invalid_scenario",
        {"part": "scoring.outcome.levels[0].scenario_counts[0]"},
    ),
    (
        "level_without_levels",
        lambda s: s["scoring"].update(outcome={"type": "levels"}),
        "missing",
        {"part": "scoring.outcome"},
    ),
    (
        "scenario_option_not_digit",
        lambda s: add_field(s, scenario_field(("1", "high"))),
        "invalid_scenario",
        {**B_E, "field": "scene"},
    ),
    (
        "scenario_bad_scene_type",
        lambda s: add_field(s, {**scenario_field(), "scenario": {"scene_type": "optional"}}),
        "invalid_scenario",
        {**B_E, "field": "scene"},
    ),
    (
        "group_without_label",
        lambda s: s["scoring"]["groups"][0].pop("label"),
        "missing",
        {"part": "scoring.groups[0]"},
    ),
    ("schema_not_object", lambda s: s.update(steps=["not an object"]), "invalid_type", {"part": "steps[0]"}),
]


@pytest.mark.parametrize(("mutate", "code", "place"), [pytest.param(m, c, p, id=i) for i, m, c, p in CASES])
def test_schema_mutation_is_reported_with_code_and_place(mutate, code, place):
    raw = base_schema()
    mutate(raw)
    with pytest.raises(SchemaValidationError) as info:
        parse_schema(raw)
    matching = [i for i in info.value.issues if i.code == code]
    assert matching, [str(i) for i in info.value.issues]
    places = [i.place.as_dict() for i in matching]
    assert any(all(p.get(k) == v for k, v in place.items()) for p in places), places
    assert all(i.message for i in matching)


def test_base_schema_is_valid():
    schema = parse_schema(base_schema())
    assert [f.key for f in schema.value_fields] == [
        "name",
        "revenue",
        "rd_spend",
        "rd_ratio",
        "founded",
        "ip_class",
        "networks",
        "patents",
    ]
    assert validate_schema(base_schema()) == []


@pytest.mark.parametrize("raw", [None, [], "schema", 3])
def test_schema_that_is_not_an_object_is_one_invalid_type_issue(raw):
    issues = validate_schema(raw)
    assert [i.code for i in issues] == ["invalid_type"]


@pytest.mark.parametrize("key", ["class", "from", "lambda", "import", "for", "while", "return"])
def test_python_keyword_is_an_invalid_key(key):
    raw = base_schema()
    add_field(raw, {"key": key, "type": "integer", "label": "关键字"})
    assert "invalid_key" in [i.code for i in validate_schema(raw)]


def test_min_selected_above_max_selected_is_invalid_bounds():
    raw = base_schema()
    field_named(raw, "networks").update(min_selected=2, max_selected=1)
    issues = validate_schema(raw)
    assert [(i.code, i.place.field) for i in issues] == [("invalid_bounds", "networks")]


@pytest.mark.parametrize("bound", ["20240101", "2024-W01-1"])
def test_date_bound_not_in_yyyy_mm_dd_is_invalid_date(bound):
    raw = base_schema()
    field_named(raw, "founded").update(min=bound)
    assert "invalid_date" in [i.code for i in validate_schema(raw)]


def test_several_problems_are_all_reported_at_once():
    raw = base_schema()
    fields_of(raw)[0].update(requird=True)
    field_named(raw, "ip_class").update(widget="dropdown")
    items(raw)[0].update(method="lookup")
    s_validation = raw["validations"][0]
    s_validation.update(fields=["nosuch"])
    items(raw)[1]["bands"][0].pop("min_inclusive")
    issues = validate_schema(raw)
    assert {i.code for i in issues} >= {
        "unknown_attribute",
        "invalid_widget",
        "unknown_method",
        "unknown_field",
        "bound_inclusivity_missing",
    }
    assert len(issues) >= 5


def test_validation_error_message_lists_places_and_codes():
    raw = base_schema()
    fields_of(raw)[0].update(requird=True)
    with pytest.raises(SchemaValidationError) as info:
        parse_schema(raw)
    assert str(info.value) == "步骤 basic / 分组 enterprise / 字段 name: 未知属性 requird [unknown_attribute]"
    assert info.value.issues[0].as_dict()["place"] == {
        "step": "basic",
        "section": "enterprise",
        "field": "name",
        "part": None,
    }


def test_later_field_may_be_referenced_by_earlier_visible_if():
    raw = base_schema()
    fields_of(raw)[0].update(visible_if='ip_class == "A"')  # ip_class is on a later step
    assert validate_schema(raw) == []


def test_context_names_are_allowed_in_expressions():
    raw = base_schema()
    fields_of(raw)[0].update(visible_if='ctx_province == "440000"')
    assert validate_schema(raw) == []


def test_parsed_defaults_per_type():
    raw = base_schema()
    add_field(raw, {"key": "share", "type": "percentage", "label": "占比"})
    add_field(raw, {"key": "since", "type": "year", "label": "年份"})
    schema = parse_schema(raw)
    revenue, share, since = schema.field("revenue"), schema.field("share"), schema.field("since")
    assert (revenue.unit, revenue.min, revenue.decimal_places) == ("万元", Decimal(0), 4)
    assert (share.unit, share.min, share.decimal_places) == ("%", Decimal(0), 2)
    assert (since.min, since.max, since.decimal_places) == (Decimal(1900), Decimal(2100), 0)
    assert schema.field("name").max_length == 200
    assert schema.field("ip_class").widget == "radio"
    assert schema.field("patents").max_rows == 20


# --- format 1 → 2 ---------------------------------------------------------------------------


def format_1_schema() -> dict[str, Any]:
    return {
        "format": 1,
        "title": "旧表",
        "steps": [
            {
                "key": "s",
                "title": "步骤",
                "sections": [
                    {
                        "key": "sec",
                        "title": "分组",
                        "fields": [
                            {
                                "key": "ip_class",
                                "type": "single_choice",
                                "label": "知识产权",
                                "options": ["A", "B", "C"],
                                "scores": {"A": 20, "B": 10, "C": 0},
                            },
                            {"key": "ratio", "type": "percentage", "label": "占比"},
                            {"key": "note", "type": "text", "label": "说明", "show_if": 'ip_class == "A"'},
                        ],
                    }
                ],
            }
        ],
        "scoring": {
            "items": [
                {"key": "ip", "label": "知识产权", "method": "option", "field": "ip_class", "max": 20},
                {
                    "key": "ratio",
                    "label": "占比",
                    "method": "bands",
                    "value": "ratio",
                    "max": 20,
                    "bands": [
                        {"from": 5, "points": 20},
                        {"from": 3, "to": 5, "points": 15},
                        {"to": 3, "points": 0},
                    ],
                },
            ]
        },
    }


def format_2_twin() -> dict[str, Any]:
    return {
        "format": 2,
        "title": "旧表",
        "steps": [
            {
                "key": "s",
                "title": "步骤",
                "sections": [
                    {
                        "key": "sec",
                        "title": "分组",
                        "fields": [
                            {
                                "key": "ip_class",
                                "type": "single_choice",
                                "label": "知识产权",
                                "options": [
                                    {"value": "A", "label": "A", "score": 20},
                                    {"value": "B", "label": "B", "score": 10},
                                    {"value": "C", "label": "C", "score": 0},
                                ],
                            },
                            {"key": "ratio", "type": "percentage", "label": "占比"},
                            {"key": "note", "type": "text", "label": "说明", "visible_if": 'ip_class == "A"'},
                        ],
                    }
                ],
            }
        ],
        "scoring": {
            "items": [
                {"key": "ip", "label": "知识产权", "method": "option", "field": "ip_class", "max": 20},
                {
                    "key": "ratio",
                    "label": "占比",
                    "method": "bands",
                    "value": "ratio",
                    "max": 20,
                    "bands": [
                        {"min": 5, "min_inclusive": True, "points": 20},
                        {"min": 3, "min_inclusive": True, "max": 5, "max_inclusive": False, "points": 15},
                        {"max": 3, "max_inclusive": False, "points": 0},
                    ],
                },
            ]
        },
    }


def test_format_1_upgrades_to_its_format_2_twin():
    assert upgrade_schema(format_1_schema()) == format_2_twin()


@pytest.mark.parametrize(
    "answers",
    [
        {"ip_class": "A", "ratio": 5, "note": "x"},
        {"ip_class": "B", "ratio": 4.99},
        {"ip_class": "C", "ratio": 3},
        {"ip_class": "C", "ratio": 2.99},
        {"ratio": 0},
        {},
    ],
)
def test_format_1_schema_scores_like_its_format_2_twin(answers):
    old = score(parse_schema(format_1_schema()), answers).as_dict()
    new = score(parse_schema(format_2_twin()), answers).as_dict()
    assert old == new


def test_format_1_band_boundaries_are_from_inclusive_to_exclusive():
    schema = parse_schema(format_1_schema())
    assert score(schema, {"ratio": 5}).total == 20
    assert score(schema, {"ratio": 3}).total == 15


def test_format_1_show_if_becomes_visibility():
    schema = parse_schema(format_1_schema())
    assert schema.field("note").visible_if.source == 'ip_class == "A"'


def test_upgrade_does_not_mutate_its_input():
    raw = format_1_schema()
    before = copy.deepcopy(raw)
    upgrade_schema(raw)
    parse_schema(raw)
    assert raw == before


def test_current_format_schema_is_returned_as_an_equal_copy():
    raw = base_schema()
    upgraded = upgrade_schema(raw)
    assert upgraded == raw
    assert upgraded is not raw


def test_place_str_names_every_part():
    assert str(Place(step="a", section="b", field="c", part="d")) == "步骤 a / 分组 b / 字段 c / d"
    assert str(Place()) == "表单"
