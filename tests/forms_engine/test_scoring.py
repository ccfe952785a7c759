"""Scoring as data: synthetic schemas for every method, groups, outcomes, explanations."""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal
from typing import Any

import pytest

from forms_engine.schema import parse_schema
from forms_engine.scoring import score


def make(
    fields: list[dict],
    items: list[dict],
    *,
    groups: list[dict] | None = None,
    max_total: Any = None,
    outcome: dict | None = None,
):
    scoring: dict[str, Any] = {"items": items}
    if groups is not None:
        scoring["groups"] = groups
    if max_total is not None:
        scoring["max_total"] = max_total
    if outcome is not None:
        scoring["outcome"] = outcome
    return parse_schema(
        {
            "format": 2,
            "title": "评分",
            "steps": [
                {"key": "s", "title": "步骤", "sections": [{"key": "sec", "title": "分组", "fields": fields}]}
            ],
            "scoring": scoring,
        }
    )


SINGLE = {
    "key": "ip",
    "type": "single_choice",
    "label": "知识产权",
    "options": [
        {"value": "A", "label": "A. 一类", "score": 20},
        {"value": "B", "label": "B. 二类", "score": 5},
        {"value": "E", "label": "E. 无", "score": 0},
    ],
}
MULTI = {
    "key": "nets",
    "type": "multiple_choice",
    "label": "网络",
    "options": [
        {"value": "x", "label": "甲", "score": 3},
        {"value": "y", "label": "乙", "score": 4},
        {"value": "z", "label": "丙", "score": 5},
    ],
}
RATIO = {"key": "ratio", "type": "percentage", "label": "占比"}


def item(**attrs: Any) -> dict:
    return {"key": "it", "label": "指标", "max": 20, **attrs}


# --- option --------------------------------------------------------------------------------


@pytest.mark.parametrize(("answer", "points"), [("A", 20), ("B", 5), ("E", 0), (None, 0), ("Z", 0)])
def test_option_single_choice_scores_chosen_option(answer, points):
    schema = make([SINGLE], [item(method="option", field="ip")])
    result = score(schema, {"ip": answer})
    assert result.total == Decimal(points)
    assert result.items[0].points == Decimal(points)


def test_option_explanation_names_the_option():
    result = score(make([SINGLE], [item(method="option", field="ip")]), {"ip": "B"})
    assert result.items[0].explanation == "选择 “B. 二类”（5 分），得 5 分"


def test_option_unanswered_explanation():
    result = score(make([SINGLE], [item(method="option", field="ip")]), {})
    assert result.items[0].explanation == "未作答，得 0 分"


@pytest.mark.parametrize(
    ("answer", "points", "capped"),
    [(["x"], 3, False), (["x", "y"], 7, False), (["x", "y", "z"], 10, True), ([], 0, False)],
)
def test_option_multiple_choice_sums_scores_capped_at_max(answer, points, capped):
    schema = make([MULTI], [item(method="option", field="nets", max=10)])
    result = score(schema, {"nets": answer})
    assert result.items[0].points == Decimal(points)
    assert result.items[0].capped is capped


def test_capped_item_explanation_says_so():
    result = score(make([MULTI], [item(method="option", field="nets", max=10)]), {"nets": ["x", "y", "z"]})
    assert result.items[0].explanation.endswith("，超过满分按 10 分计")


# --- bands -----------------------------------------------------------------------------------

BANDS = [
    {"min": 5, "min_inclusive": True, "points": 20},
    {"min": 3, "min_inclusive": False, "max": 5, "max_inclusive": False, "points": 15},
    {"min": 1, "min_inclusive": True, "max": 3, "max_inclusive": True, "points": 10},
]


@pytest.mark.parametrize(
    ("value", "points"),
    [
        (5, 20),  # min inclusive: the boundary belongs to the upper band
        ("4.99", 15),
        ("3.01", 15),
        (3, 10),  # 3 is excluded from (3, 5) and included in [1, 3]
        (1, 10),  # min inclusive
        ("0.99", 0),  # in no band
        (100, 20),
    ],
)
def test_bands_respect_inclusive_and_exclusive_boundaries(value, points):
    schema = make([RATIO], [item(method="bands", value="ratio", bands=BANDS)])
    assert score(schema, {"ratio": value}).total == Decimal(points)


def test_band_boundary_exclusive_on_both_sides():
    bands = [{"min": 0, "min_inclusive": False, "max": 10, "max_inclusive": False, "points": 7}]
    schema = make([RATIO], [item(method="bands", value="ratio", bands=bands)])
    assert [score(schema, {"ratio": v}).total for v in (0, "0.01", "9.99", 10)] == [0, 7, 7, 0]


def test_bands_on_exact_ratio_of_two_fields():
    schema = make(
        [{"key": "rd", "type": "money", "label": "研发"}, {"key": "rev", "type": "money", "label": "收入"}],
        [item(method="bands", value="rd / rev * 100", value_label="研发占比（%）", bands=BANDS)],
    )
    result = score(schema, {"rd": 30, "rev": 1000})  # exactly 3 → [1, 3]
    assert result.total == 10
    assert result.items[0].explanation == "研发占比（%） = 3，属于“≥1 且 ≤3”档，得 10 分"
    assert result.items[0].inputs == (("rd", "30"), ("rev", "1000"))


def test_value_in_no_band_scores_zero_with_explanation():
    schema = make([RATIO], [item(method="bands", value="ratio", value_label="占比", bands=BANDS)])
    result = score(schema, {"ratio": "0.5"})
    assert result.total == 0
    assert result.items[0].explanation == "占比 = 0.5，不在任何分档内，得 0 分"


@pytest.mark.parametrize("answers", [{}, {"rd": 1, "rev": 0}, {"rd": 1}])
def test_undefined_band_value_scores_zero_and_says_cannot_compute(answers):
    schema = make(
        [{"key": "rd", "type": "money", "label": "研发"}, {"key": "rev", "type": "money", "label": "收入"}],
        [item(method="bands", value="rd / rev * 100", value_label="研发占比", bands=BANDS)],
    )
    result = score(schema, answers)
    assert result.total == 0
    assert "无法计算" in result.items[0].explanation
    assert result.items[0].explanation.startswith("研发占比")


# --- formula, count, max_of ---------------------------------------------------------------


@pytest.mark.parametrize(("years", "points"), [(0, 0), (3, 1), (9, 4), (11, 5), (40, 5)])
def test_formula_gives_points(years, points):
    schema = make(
        [{"key": "years", "type": "integer", "label": "年限"}],
        [item(method="formula", expression="min(floor(years / 2), 5)", max=5)],
    )
    result = score(schema, {"years": years})
    assert result.total == Decimal(points)


def test_formula_undefined_scores_zero_and_says_cannot_compute():
    schema = make(
        [{"key": "years", "type": "integer", "label": "年限"}],
        [item(method="formula", expression="years / 2", max=5)],
    )
    result = score(schema, {})
    assert result.total == 0
    assert result.items[0].explanation == "公式 years / 2 无法计算，得 0 分"


def test_formula_true_counts_as_one_point():
    schema = make(
        [{"key": "ok", "type": "yes_no", "label": "是否"}],
        [item(method="formula", expression="ok == True", max=5)],
    )
    assert score(schema, {"ok": True}).total == 1


def test_negative_points_are_clamped_to_zero():
    schema = make(
        [{"key": "n", "type": "integer", "label": "数"}], [item(method="formula", expression="n", max=5)]
    )
    assert score(schema, {"n": -3}).total == 0


@pytest.mark.parametrize(("chosen", "points"), [([], 0), (["x"], 2), (["x", "y"], 4), (["x", "y", "z"], 5)])
def test_count_times_per_item_capped_at_max(chosen, points):
    schema = make([MULTI], [item(method="count", field="nets", per_item=2, max=5)])
    assert score(schema, {"nets": chosen}).total == Decimal(points)


def test_count_of_table_rows():
    table = {
        "key": "patents",
        "type": "table",
        "label": "专利",
        "columns": [{"key": "title", "type": "text", "label": "名称"}],
    }
    schema = make([table], [item(method="count", field="patents", per_item=3, max=20)])
    result = score(schema, {"patents": [{"title": "甲"}, {}, {"title": "乙"}]})
    assert result.total == 6
    assert result.items[0].explanation == "2 项 × 3 分 = 6 分"


MAX_OF = item(
    method="max_of",
    max=20,
    parts=[
        {
            "key": "by_amount",
            "label": "按金额",
            "method": "bands",
            "value": "rd",
            "bands": [{"min": 100, "min_inclusive": True, "points": 15}],
        },
        {"key": "by_ratio", "label": "按占比", "method": "formula", "expression": "ratio * 2"},
    ],
)


@pytest.mark.parametrize(
    ("answers", "points"),
    [({"rd": 100, "ratio": 3}, 15), ({"rd": 10, "ratio": 9}, 18), ({"rd": 10, "ratio": 30}, 20), ({}, 0)],
)
def test_max_of_picks_the_best_part(answers, points):
    schema = make([{"key": "rd", "type": "money", "label": "研发"}, RATIO], [MAX_OF])
    assert score(schema, answers).total == Decimal(points)


def test_max_of_explains_every_part():
    schema = make([{"key": "rd", "type": "money", "label": "研发"}, RATIO], [MAX_OF])
    explanation = score(schema, {"rd": 100, "ratio": 3}).items[0].explanation
    assert explanation.startswith("取各口径最高分 15 分（")
    assert "按金额：" in explanation and "按占比：" in explanation


@pytest.mark.parametrize(
    ("ok", "points", "applicable"), [(True, 20, True), (False, 0, False), (None, 0, False)]
)
def test_when_false_makes_item_not_applicable(ok, points, applicable):
    schema = make(
        [SINGLE, {"key": "ok", "type": "yes_no", "label": "适用"}],
        [item(method="option", field="ip", when="ok == True")],
    )
    result = score(schema, {"ip": "A", "ok": ok})
    assert result.total == Decimal(points)
    assert result.items[0].applicable is applicable
    if not applicable:
        assert result.items[0].explanation == "不适用，不计分"


# --- groups and totals --------------------------------------------------------------------

GROUPS = [
    {"key": "innovation", "label": "创新能力", "max": 25, "min": 20},
    {"key": "growth", "label": "成长性", "max": 30, "min": 10},
]


def grouped_schema(**outcome: Any):
    return make(
        [
            SINGLE,
            MULTI,
            RATIO,
            {"key": "award", "type": "yes_no", "label": "获奖"},
            {"key": "legal", "type": "yes_no", "label": "独立法人"},
        ],
        [
            item(key="ip", method="option", field="ip", group="innovation"),
            item(key="nets", method="option", field="nets", group="innovation", max=12),
            item(
                key="ratio",
                method="bands",
                value="ratio",
                group="growth",
                max=30,
                bands=[
                    {"min": 10, "min_inclusive": True, "points": 30},
                    {"min": 5, "min_inclusive": True, "max": 10, "max_inclusive": False, "points": 5},
                ],
            ),
            item(key="bonus", method="formula", expression="3", max=3),
        ],
        groups=GROUPS,
        max_total=50,
        outcome={"type": "qualification", "min_total": 40, **outcome},
    )


def test_group_subtotal_is_capped_at_group_max():
    result = score(grouped_schema(), {"ip": "A", "nets": ["x", "y", "z"], "ratio": 5})
    groups = {g.key: g for g in result.groups}
    assert groups["innovation"].points == 25  # 20 + 12 capped at 25
    assert groups["growth"].points == 5
    assert result.total == 25 + 5 + 3  # ungrouped bonus counts too


def test_total_is_capped_at_max_total():
    result = score(grouped_schema(), {"ip": "A", "nets": ["x", "y", "z"], "ratio": 10})
    assert result.total == 50  # 25 + 30 + 3 = 58 capped at 50


def test_group_minimum_failing_means_not_qualified_despite_total():
    result = score(grouped_schema(), {"ip": "B", "nets": ["x", "y", "z"], "ratio": 10})  # 5 + 12 = 17 < 20
    groups = {g.key: g for g in result.groups}
    assert result.total == 17 + 30 + 3 >= 40
    assert groups["innovation"].meets_min is False
    assert result.outcome.qualified is False
    assert result.outcome.key == "not_qualified"
    assert result.outcome.label == "不符合条件"
    assert "创新能力 17 分，需≥20 分" in result.outcome.reasons[0]


def test_group_minima_can_be_switched_off():
    result = score(grouped_schema(use_group_minima=False), {"ip": "B", "nets": ["x", "y", "z"], "ratio": 10})
    assert result.outcome.qualified is True


def test_score_path_qualifies_when_total_and_minima_are_met():
    result = score(grouped_schema(), {"ip": "A", "ratio": 10})  # 20 + 30 + 3 = 53 → 50
    assert result.outcome.qualified is True
    assert result.outcome.label == "符合条件"
    assert result.outcome.reasons == ()


def test_total_below_minimum_is_not_qualified():
    result = score(grouped_schema(), {"ip": "A", "ratio": 5})  # 20 + 5 + 3 = 28
    assert result.outcome.qualified is False
    assert result.outcome.reasons == ("总分 28 分，需≥40 分；成长性 5 分，需≥10 分",)


def test_direct_path_rescues_a_low_score():
    schema = grouped_schema(
        direct_paths=[{"key": "award", "label": "获得科技奖励", "expression": "award == True"}]
    )
    rescued = score(schema, {"ip": "E", "award": True})
    assert rescued.outcome.qualified is True
    assert rescued.outcome.reasons == ("通过直通条件：获得科技奖励",)
    refused = score(schema, {"ip": "E", "award": False})
    assert refused.outcome.qualified is False
    assert refused.outcome.reasons[0].endswith("且不满足任一直通条件")


@pytest.mark.parametrize(
    ("legal", "award", "qualified"),
    [(True, True, True), (False, True, False), (None, True, False), (True, False, False)],
)
def test_conditions_must_all_hold_even_with_a_direct_path(legal, award, qualified):
    schema = grouped_schema(
        conditions=[{"key": "legal", "label": "独立法人", "expression": "legal == True"}],
        direct_paths=[{"key": "award", "label": "获奖", "expression": "award == True"}],
    )
    result = score(schema, {"legal": legal, "award": award})
    assert result.outcome.qualified is qualified


def test_condition_without_answers_is_undetermined():
    schema = make(
        [{"key": "n", "type": "integer", "label": "人数"}],
        [],
        outcome={
            "type": "qualification",
            "conditions": [{"key": "staff", "label": "人数达标", "expression": "n >= 10"}],
        },
    )
    result = score(schema, {})
    assert result.conditions[0].met is False
    assert result.conditions[0].undetermined is True
    assert "条件“人数达标”：无法判断（数据不全）" in result.explanation()
    assert result.outcome.reasons == ("未满足：人数达标",)


def test_conditions_only_outcome_without_min_total_or_direct_paths():
    schema = make(
        [{"key": "n", "type": "integer", "label": "人数"}],
        [],
        outcome={
            "type": "qualification",
            "qualified_label": "达标",
            "not_qualified_label": "未达标",
            "conditions": [{"key": "staff", "label": "人数达标", "expression": "n >= 10"}],
        },
    )
    assert score(schema, {"n": 10}).outcome.label == "达标"
    assert score(schema, {"n": 9}).outcome.label == "未达标"


# --- levels ----------------------------------------------------------------------------------


def scene(key: str, scene_type: str) -> dict:
    return {
        "key": key,
        "type": "single_choice",
        "label": key,
        "scenario": {"scene_type": scene_type},
        "options": [{"value": str(n), "label": f"{n}级", "score": n * 5} for n in range(1, 5)],
    }


LEVELS_BY_SCORE = {
    "type": "levels",
    "none_label": "未达到一级",
    "levels": [
        {"key": "level2", "label": "二级", "min_total": 30, "min_total_inclusive": True},
        {"key": "level1", "label": "一级", "min_total": 10, "min_total_inclusive": False},
    ],
}


@pytest.mark.parametrize(
    ("answers", "key", "label"),
    [
        ({"a": "4", "b": "2", "c": "1"}, "level2", "二级"),  # 20 + 10 + 5 = 35
        ({"a": "4", "b": "2"}, "level2", "二级"),  # exactly 30, inclusive
        ({"a": "2", "b": "1"}, "level1", "一级"),  # 15
        ({"a": "1", "b": "1"}, "none", "未达到一级"),  # exactly 10, exclusive
    ],
)
def test_levels_by_score_only(answers, key, label):
    fields = [scene("a", "constraint"), scene("b", "guidance"), scene("c", "guidance")]
    items = [item(key=k, method="option", field=k) for k in "abc"]
    result = score(make(fields, items, outcome=LEVELS_BY_SCORE), answers)
    assert (result.outcome.key, result.outcome.label) == (key, label)


def test_levels_none_explains_what_the_lowest_level_needs():
    fields = [scene("a", "constraint")]
    result = score(
        make(fields, [item(key="a", method="option", field="a")], outcome=LEVELS_BY_SCORE), {"a": "1"}
    )
    assert result.outcome.reasons == ("总分需>10分",)


LEVELS_BY_SCENARIOS = {
    "type": "levels",
    "none_label": "未达到一级",
    "levels": [
        {
            "key": "level3",
            "label": "三级",
            "scenario_counts": [
                {"min_level": 3, "count": 2},
                {"min_level": 3, "count": 1, "scene_type": "constraint"},
            ],
        },
        {"key": "level1", "label": "一级", "scenario_counts": [{"min_level": 1, "count": 2}]},
    ],
}


@pytest.mark.parametrize(
    ("answers", "key"),
    [
        ({"a": "3", "b": "4", "c": "1"}, "level3"),
        ({"a": "2", "b": "4", "c": "3"}, "level1"),  # two ≥3 but none of them constraint
        ({"a": "4"}, "none"),
        ({"a": "1", "c": "1"}, "level1"),
    ],
)
def test_levels_by_scenario_counts_with_scene_type(answers, key):
    fields = [scene("a", "constraint"), scene("b", "guidance"), scene("c", "guidance")]
    result = score(make(fields, [], outcome=LEVELS_BY_SCENARIOS), answers)
    assert result.outcome.key == key


def test_levels_scenario_shortfall_is_explained():
    fields = [scene("a", "constraint"), scene("b", "guidance")]
    result = score(make(fields, [], outcome=LEVELS_BY_SCENARIOS), {"a": "1"})
    assert result.outcome.reasons == ("达到一级及以上的场景需≥2个（现有1个）",)
    assert result.scenario_levels == (("a", 1, "constraint"),)


# --- result objects ----------------------------------------------------------------------------


def test_as_dict_is_json_serialisable_with_total_groups_outcome_explanation():
    result = score(
        grouped_schema(direct_paths=[{"key": "award", "label": "获奖", "expression": "award == True"}]),
        {"ip": "A", "nets": ["x"], "ratio": "7.5", "award": True},
    )
    data = result.as_dict()
    decoded = json.loads(json.dumps(data, ensure_ascii=False))
    assert decoded["total"] == 20 + 3 + 5 + 3
    assert set(decoded["groups"]) == {"innovation", "growth"}
    assert decoded["groups"]["innovation"]["points"] == 23
    assert decoded["outcome"]["key"] == "qualified"
    assert decoded["explanation"] == result.explanation()
    assert decoded["explanation"][-1] == "结果：符合条件（通过直通条件：获奖）"
    assert "总分 31 分（满分 50）" in decoded["explanation"]


def test_as_dict_numbers_are_ints_or_floats():
    schema = make([RATIO], [item(method="formula", expression="ratio / 4", max=20)])
    data = score(schema, {"ratio": 5}).as_dict()
    assert data["total"] == 1.25 and isinstance(data["total"], float)
    assert isinstance(data["items"][0]["max"], int)


@pytest.mark.parametrize("attribute", ["total", "items", "outcome"])
def test_score_result_is_immutable(attribute):
    result = score(grouped_schema(), {"ip": "A"})
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(result, attribute, None)


@pytest.mark.parametrize("part", ["item", "group", "outcome"])
def test_score_parts_are_immutable(part):
    result = score(grouped_schema(), {"ip": "A"})
    target = {"item": result.items[0], "group": result.groups[0], "outcome": result.outcome}[part]
    with pytest.raises(dataclasses.FrozenInstanceError):
        target.key = "changed"


def test_invalid_answers_score_nothing_and_make_the_result_incomplete():
    result = score(grouped_schema(), {"ip": "nonsense", "ratio": "abc", "nets": "x"})
    assert result.total == 3 + 3  # nets "x" (3) and the bonus; ip and ratio invalid → 0
    assert {(i.field, i.code) for i in result.issues} == {("ip", "invalid_choice"), ("ratio", "invalid")}
    assert result.complete is False
    assert (result.outcome.key, result.outcome.qualified) == ("incomplete", None)
    assert "知识产权" in result.outcome.reasons[0] and "占比" in result.outcome.reasons[0]
    assert "答案无效" in result.items[0].explanation  # not passed off as unanswered


def test_formula_on_a_date_field_does_not_raise():
    schema = make(
        [{"key": "d", "type": "date", "label": "日期"}], [item(method="formula", expression="d", max=5)]
    )
    result = score(schema, {"d": "2024-01-01"})
    assert result.total == 0


def test_bands_on_nan_value_does_not_raise():
    schema = make(
        [{"key": "t", "type": "text", "label": "文本"}],
        [item(method="bands", value="number(t)", bands=BANDS)],
    )
    assert score(schema, {"t": "nan"}).total == 0


# --- a province's own items (特色化, as docs/shipped-forms.md shows policy staff) ---------------

PROVINCE_ONLY = 'ctx_province == "440000"'
OTHERS = 'ctx_province not in ["440000"]'


def province_configured():
    return make(
        [
            {"key": "local_1", "type": "yes_no", "label": "地方特色指标一", "visible_if": OTHERS},
            {
                "key": "gd_cluster",
                "type": "single_choice",
                "label": "产业集群",
                "visible_if": PROVINCE_ONLY,
                "options": [
                    {"value": "yes", "label": "属于", "score": 10},
                    {"value": "no", "label": "不属于", "score": 0},
                ],
            },
        ],
        [
            item(
                key="local_1",
                method="formula",
                expression="5 if local_1 == True else 0",
                max=5,
                when=OTHERS,
                group="distinctiveness",
            ),
            item(
                key="gd_cluster",
                method="option",
                field="gd_cluster",
                max=10,
                when=PROVINCE_ONLY,
                group="distinctiveness",
            ),
        ],
        groups=[{"key": "distinctiveness", "label": "特色化", "max": 15}],
    )


@pytest.mark.parametrize(
    ("province", "answers", "points"),
    [
        ("440000", {"gd_cluster": "yes", "local_1": True}, 10),  # its own item; the generic one is hidden
        ("110000", {"gd_cluster": "yes", "local_1": True}, 5),  # elsewhere only the generic one counts
        (None, {"local_1": True}, 5),
    ],
)
def test_a_province_configured_by_policy_staff_scores_its_own_items(province, answers, points):
    result = score(province_configured(), answers, context={"province": province} if province else None)
    assert result.total == Decimal(points)
