"""Answer values: per-type coercion with Chinese messages, to_json, and whole-answer cleaning."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from forms_engine.lookups import lookups
from forms_engine.schema import parse_schema
from forms_engine.schema.nodes import Field
from forms_engine.values import AnswerError, clean_answers, coerce_value, to_json
from tests.forms_engine.conftest import lookups_removed


def schema_of(*fields: dict, steps: list[list[dict]] | None = None, validations: list | None = None):
    step_fields = steps or [list(fields)]
    raw: dict[str, Any] = {
        "format": 2,
        "title": "测试",
        "steps": [
            {
                "key": f"s{i}",
                "title": f"第{i}步",
                "sections": [{"key": f"sec{i}", "title": "分组", "fields": fs}],
            }
            for i, fs in enumerate(step_fields, start=1)
        ],
    }
    if validations:
        raw["validations"] = validations
    return parse_schema(raw)


def spec(**attrs: Any) -> Field:
    return schema_of({"key": "f", "label": "字段", **attrs}).fields[0]


@pytest.fixture
def no_lookups():
    """The pure engine without the host project's reference-data lookups."""
    with lookups_removed():
        yield


CHOICES = [{"value": "A", "label": "甲"}, {"value": "B", "label": "乙"}, {"value": "C", "label": "丙"}]
MULTI = [*CHOICES, {"value": "none", "label": "无", "exclusive": True}]

VALID = [
    ("text", {}, "  企业 ", "企业"),
    ("text", {}, 123, "123"),
    ("text", {"pattern": r"\d{6}"}, "440300", "440300"),
    ("textarea", {}, "多行\n文本", "多行\n文本"),
    ("integer", {}, "42", Decimal(42)),
    ("integer", {}, 42, Decimal(42)),
    ("integer", {}, "1,000", Decimal(1000)),
    ("integer", {}, 3.0, Decimal(3)),
    ("integer", {"min": 0, "max": 10}, 10, Decimal(10)),
    ("decimal", {}, "3.14", Decimal("3.14")),
    ("decimal", {"decimal_places": 3}, "3.141", Decimal("3.141")),
    ("decimal", {}, "2.50", Decimal("2.50")),
    ("percentage", {}, 3.5, Decimal("3.5")),
    ("percentage", {"max": 100}, "100", Decimal(100)),
    ("money", {}, "1234.5678", Decimal("1234.5678")),
    ("money", {}, 0, Decimal(0)),
    ("date", {}, "2024-02-29", dt.date(2024, 2, 29)),
    ("date", {}, dt.date(2024, 1, 1), dt.date(2024, 1, 1)),
    ("date", {}, dt.datetime(2024, 1, 1, 12, 30), dt.date(2024, 1, 1)),
    ("date", {"min": "2024-01-01", "max": "2024-12-31"}, "2024-12-31", dt.date(2024, 12, 31)),
    ("year", {}, 2024, Decimal(2024)),
    ("year", {}, "1900", Decimal(1900)),
    ("single_choice", {"options": CHOICES}, "B", "B"),
    ("multiple_choice", {"options": MULTI}, ["C", "A"], ["A", "C"]),  # schema order
    ("multiple_choice", {"options": MULTI}, "A", ["A"]),
    ("multiple_choice", {"options": MULTI}, ["A", "A"], ["A"]),
    ("multiple_choice", {"options": MULTI}, ["none"], ["none"]),
    ("yes_no", {}, True, True),
    ("yes_no", {}, False, False),
    ("yes_no", {}, "是", True),
    ("yes_no", {}, "否", False),
    ("yes_no", {}, "true", True),
    ("yes_no", {}, "false", False),
    ("yes_no", {}, "FALSE", False),
    ("yes_no", {}, "on", True),
    ("yes_no", {}, 1, True),
    ("yes_no", {}, 0, False),
    (
        "file",
        {"accept": [".pdf"], "max_size_mb": 1},
        {"name": "营业执照.PDF", "path": "u/1.pdf", "size": 1024 * 1024, "content_type": "application/pdf"},
        {"name": "营业执照.PDF", "path": "u/1.pdf", "size": 1024 * 1024, "content_type": "application/pdf"},
    ),
    (
        "file",
        {},
        {"name": "a.zip", "path": "u/a.zip"},
        {"name": "a.zip", "path": "u/a.zip", "size": 0, "content_type": ""},
    ),
]


@pytest.mark.parametrize(("ftype", "attrs", "raw", "expected"), VALID)
def test_valid_value_coerces_to_typed_value(ftype, attrs, raw, expected):
    value = coerce_value(spec(type=ftype, **attrs), raw)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize(
    "ftype",
    ["text", "integer", "decimal", "date", "single_choice", "multiple_choice", "yes_no", "file", "table"],
)
@pytest.mark.parametrize("blank", [None, "", [], {}])
def test_blank_value_is_none_for_every_type(ftype, blank):
    attrs: dict[str, Any] = {"options": CHOICES} if "choice" in ftype else {}
    if ftype == "table":
        attrs = {"columns": [{"key": "c", "type": "text", "label": "列"}]}
    assert coerce_value(spec(type=ftype, **attrs), blank) is None


INVALID = [
    ("text", {"max_length": 3}, "一二三四", "max_length", "最多 3 个字"),
    ("text", {}, "字" * 201, "max_length", "最多 200 个字"),
    ("text", {"min_length": 2}, "一", "min_length", "至少 2 个字"),
    ("text", {"pattern": r"\d{6}"}, "44030", "pattern", "格式不正确"),
    ("text", {"pattern": r"\d{6}"}, "4403001", "pattern", "格式不正确"),  # full match, not search
    ("text", {"pattern": r"\d{6}", "pattern_message": "请输入6位邮编"}, "abc", "pattern", "请输入6位邮编"),
    ("textarea", {"max_length": 5}, "一二三四五六", "max_length", "最多 5 个字"),
    ("integer", {}, "abc", "invalid", "请输入数字"),
    ("integer", {}, "3.5", "invalid", "请输入整数"),
    ("integer", {}, True, "invalid", "请输入数字"),
    ("integer", {}, "NaN", "invalid", "请输入数字"),
    ("integer", {}, "Infinity", "invalid", "请输入数字"),
    ("integer", {}, [1], "invalid", "请输入数字"),
    ("integer", {}, 10**15, "max_value", "数值过大"),
    ("integer", {"min": 1}, 0, "min_value", "不能小于 1"),
    ("integer", {"max": 10, "unit": "人"}, 11, "max_value", "不能大于 10人"),
    ("decimal", {}, "3.141", "decimal_places", "最多保留 2 位小数"),
    ("decimal", {"decimal_places": 0}, "3.5", "decimal_places", "最多保留 0 位小数"),
    ("percentage", {}, -0.01, "min_value", "不能小于 0%"),
    ("percentage", {"max": 100}, 100.5, "max_value", "不能大于 100%"),
    ("percentage", {}, "1.234", "decimal_places", "最多保留 2 位小数"),
    ("money", {}, -1, "min_value", "不能小于 0万元"),
    ("money", {"max": 500}, "500.0001", "max_value", "不能大于 500万元"),
    ("money", {}, "1.23456", "decimal_places", "最多保留 4 位小数"),
    ("date", {}, "2024/01/31", "invalid_date", "请输入有效日期，格式为 年-月-日（如 2026-01-31）"),
    ("date", {}, "2023-02-29", "invalid_date", "请输入有效日期，格式为 年-月-日（如 2026-01-31）"),
    ("date", {}, "明天", "invalid_date", "请输入有效日期，格式为 年-月-日（如 2026-01-31）"),
    ("date", {"min": "2024-01-01"}, "2023-12-31", "date_min", "不能早于 2024-01-01"),
    ("date", {"max": "2024-12-31"}, "2025-01-01", "date_max", "不能晚于 2024-12-31"),
    ("year", {}, 1899, "min_value", "不能小于 1900"),
    ("year", {}, 2101, "max_value", "不能大于 2100"),
    ("year", {}, "2024.5", "invalid", "请输入整数"),
    ("single_choice", {"options": CHOICES}, "Z", "invalid_choice", "请选择列表中的选项"),
    ("single_choice", {"options": CHOICES}, ["A"], "invalid_choice", "请选择列表中的选项"),
    ("multiple_choice", {"options": MULTI}, ["A", "Z"], "invalid_choice", "请选择列表中的选项"),
    ("multiple_choice", {"options": MULTI}, {"A": True}, "invalid_choice", "请选择列表中的选项"),
    (
        "multiple_choice",
        {"options": MULTI},
        ["none", "A"],
        "exclusive_choice",
        "选择“无”时不能同时选择其他选项",
    ),
    ("multiple_choice", {"options": MULTI, "min_selected": 2}, ["A"], "min_selected", "至少选择 2 项"),
    (
        "multiple_choice",
        {"options": MULTI, "max_selected": 2},
        ["A", "B", "C"],
        "max_selected",
        "最多选择 2 项",
    ),
    ("yes_no", {}, "也许", "invalid", "请选择“是”或“否”"),
    ("yes_no", {}, 2, "invalid", "请选择“是”或“否”"),
    ("file", {}, "a.pdf", "invalid", "附件信息不完整，请重新上传"),
    ("file", {}, {"name": "a.pdf"}, "invalid", "附件信息不完整，请重新上传"),
    (
        "file",
        {"accept": [".pdf", ".zip"]},
        {"name": "a.exe", "path": "p"},
        "file_type",
        "只能上传以下类型的文件：.pdf、.zip",
    ),
    (
        "file",
        {"max_size_mb": 2},
        {"name": "a.pdf", "path": "p", "size": 2 * 1024 * 1024 + 1},
        "file_size",
        "文件不能超过 2 MB",
    ),
]


def outcome_of(function, raw):
    try:
        value = function(raw)
    except AnswerError as exc:
        return "error", exc.code
    return type(value), value


@pytest.mark.parametrize(
    ("ftype", "attrs", "raw"),
    [(t, a, r) for t, a, r, _ in VALID]
    + [(t, a, r) for t, a, r, _, _ in INVALID]
    + [
        ("multiple_choice", {"options": CHOICES}, ["A"] * 100_000),  # duplicates beyond twice the options
        ("multiple_choice", {"options": CHOICES}, ["A"] * 6),
        ("multiple_choice", {"options": CHOICES}, ["A", "B", "C"]),
    ],
)
def test_the_fast_coercer_of_a_type_agrees_with_coerce(ftype, attrs, raw):
    """``kind.coercer`` (planned once per schema, fast paths for common JSON) and ``coerce`` give
    the same value or refuse with the same code."""
    field = spec(type=ftype, **attrs)
    with lookups_removed():
        assert outcome_of(field.kind.coercer(field), raw) == outcome_of(lambda r: coerce_value(field, r), raw)


@pytest.mark.parametrize(("ftype", "attrs", "raw", "code", "message"), INVALID)
def test_invalid_value_raises_answer_error_with_chinese_message(ftype, attrs, raw, code, message):
    with pytest.raises(AnswerError) as info:
        coerce_value(spec(type=ftype, **attrs), raw)
    assert info.value.code == code
    assert info.value.message.startswith(message)


@pytest.mark.parametrize("ftype", ["decimal", "percentage", "money"])
@pytest.mark.parametrize("raw", ["1e1000000", "1E+999999999999"])
def test_number_with_huge_exponent_is_an_answer_error(ftype, raw):
    with pytest.raises(AnswerError) as info:
        coerce_value(spec(type=ftype), raw)
    assert info.value.code in ("max_value", "invalid")


@pytest.mark.parametrize("size", ["abc", "1.5", [1], float("nan")])
def test_file_with_malformed_size_is_an_answer_error(size):
    with pytest.raises(AnswerError) as info:
        coerce_value(spec(type="file", max_size_mb=1), {"name": "a.pdf", "path": "p", "size": size})
    assert info.value.code == "invalid"


@pytest.mark.parametrize("raw", ["20240105", "2024-W01-1"])
def test_date_not_in_yyyy_mm_dd_is_invalid(raw):
    with pytest.raises(AnswerError) as info:
        coerce_value(spec(type="date"), raw)
    assert info.value.code == "invalid_date"


# --- region and industry ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("attrs", "raw", "expected"),
    [
        ({}, "440305", "440305"),
        ({"min_level": "prefecture"}, "440300", "440300"),
        ({"min_level": "province"}, "440000", "440000"),
        ({}, 440305, "440305"),
    ],
)
def test_region_without_lookup_accepts_six_digits(no_lookups, attrs, raw, expected):
    assert coerce_value(spec(type="region", **attrs), raw) == expected


@pytest.mark.parametrize(
    ("attrs", "raw", "code", "message"),
    [
        ({}, "440000", "region_level", "请选择到区/县一级"),
        ({}, "440300", "region_level", "请选择到区/县一级"),
        ({"min_level": "prefecture"}, "440000", "region_level", "请选择到地市一级"),
        ({}, "44030", "unknown_code", "请选择有效的选项"),
        ({}, "广东省", "unknown_code", "请选择有效的选项"),
    ],
)
def test_region_without_lookup_refuses(no_lookups, attrs, raw, code, message):
    with pytest.raises(AnswerError) as info:
        coerce_value(spec(type="region", **attrs), raw)
    assert (info.value.code, info.value.message) == (code, message)


@pytest.mark.parametrize(
    ("raw", "ok"), [("C", True), ("39", True), ("3911", True), ("c", False), ("1", False)]
)
def test_industry_without_lookup_accepts_section_or_division_codes(no_lookups, raw, ok):
    field = spec(type="industry")
    if ok:
        assert coerce_value(field, raw) == raw
    else:
        with pytest.raises(AnswerError) as info:
            coerce_value(field, raw)
        assert info.value.code == "unknown_code"


@pytest.mark.django_db
def test_region_with_registered_lookup_checks_loaded_regions():
    from portal.reference.models import Region

    assert "region" in lookups
    province = Region.objects.create(code="440000", name="广东省", level=Region.Level.PROVINCE)
    city = Region.objects.create(code="440300", name="深圳市", level=Region.Level.PREFECTURE, parent=province)
    Region.objects.create(code="440305", name="南山区", level=Region.Level.COUNTY, parent=city)
    field = spec(type="region")
    assert coerce_value(field, "440305") == "440305"
    with pytest.raises(AnswerError) as info:
        coerce_value(field, "440399")  # six digits, but no such region
    assert info.value.code == "unknown_code"
    with pytest.raises(AnswerError) as info:
        coerce_value(field, "440000")
    assert info.value.code == "region_level"


# --- tables ---------------------------------------------------------------------------------

TABLE = {
    "type": "table",
    "min_rows": 1,
    "max_rows": 2,
    "columns": [
        {"key": "title", "type": "text", "label": "专利名称", "required": True},
        {"key": "granted", "type": "date", "label": "授权日期"},
        {"key": "amount", "type": "money", "label": "金额"},
        {"key": "own", "type": "yes_no", "label": "自主研发"},
    ],
}


def test_table_rows_are_coerced_per_column():
    rows = coerce_value(
        spec(**TABLE), [{"title": "传感器", "granted": "2024-01-02", "amount": "12.5", "own": "是"}]
    )
    assert rows == [
        {"title": "传感器", "granted": dt.date(2024, 1, 2), "amount": Decimal("12.5"), "own": True}
    ]


def test_table_missing_optional_cell_is_none():
    assert coerce_value(spec(**TABLE), [{"title": "传感器"}]) == [
        {"title": "传感器", "granted": None, "amount": None, "own": None}
    ]


def test_table_empty_rows_are_ignored():
    rows = coerce_value(spec(**TABLE), [{}, {"title": "", "amount": None}, {"title": "甲"}, {"title": "乙"}])
    assert [r["title"] for r in rows] == ["甲", "乙"]


@pytest.mark.parametrize(
    ("raw", "code", "message"),
    [
        ([{"title": "甲"}, {"amount": 3}], "required", "第 2 行“专利名称”不能为空"),
        (
            [{"title": "甲", "granted": "2024-13-01"}],
            "invalid_date",
            "第 1 行“授权日期”请输入有效日期，格式为 年-月-日（如 2026-01-31）",
        ),
        ([{"title": "甲", "amount": -1}], "min_value", "第 1 行“金额”不能小于 0万元"),
        ([{"title": "甲", "own": "也许"}], "invalid", "第 1 行“自主研发”请选择“是”或“否”"),
        ([{}, {"title": ""}], "min_rows", "至少填写 1 行"),
        ([{"title": "甲"}, {"title": "乙"}, {"title": "丙"}], "max_rows", "最多填写 2 行"),
        ("not rows", "invalid", "表格数据格式不正确"),
        ([["甲"]], "invalid", "表格数据格式不正确"),
    ],
)
def test_table_error_names_row_and_column(raw, code, message):
    with pytest.raises(AnswerError) as info:
        coerce_value(spec(**TABLE), raw)
    assert (info.value.code, info.value.message) == (code, message)


def test_table_row_number_counts_ignored_empty_rows():
    with pytest.raises(AnswerError) as info:
        coerce_value(spec(**TABLE), [{}, {"amount": 1}])
    assert info.value.message == "第 2 行“专利名称”不能为空"


# --- to_json --------------------------------------------------------------------------------

ROUND_TRIP = [
    ("integer", {}, 42, 42),
    ("decimal", {}, "3.25", 3.25),
    ("decimal", {}, "3.00", 3),
    ("money", {}, "1234.5678", 1234.5678),
    ("percentage", {}, 3.5, 3.5),
    ("year", {}, 2024, 2024),
    ("date", {}, "2024-02-29", "2024-02-29"),
    ("text", {}, "企业", "企业"),
    ("single_choice", {"options": CHOICES}, "A", "A"),
    ("multiple_choice", {"options": MULTI}, ["B", "A"], ["A", "B"]),
    ("yes_no", {}, "否", False),
    (
        "table",
        TABLE,
        [{"title": "甲", "granted": "2024-01-02", "amount": 1.5}],
        [{"title": "甲", "granted": "2024-01-02", "amount": 1.5, "own": None}],
    ),
]


@pytest.mark.parametrize(("ftype", "attrs", "raw", "stored"), ROUND_TRIP)
def test_to_json_round_trip(ftype, attrs, raw, stored):
    attrs = {k: v for k, v in attrs.items() if k != "type"}
    field = spec(type=ftype, **attrs)
    value = coerce_value(field, raw)
    assert to_json(field, value) == stored
    assert coerce_value(field, to_json(field, value)) == value


def test_to_json_of_none_is_none():
    assert to_json(spec(type="integer"), None) is None


# --- clean_answers ---------------------------------------------------------------------------


def visibility_schema():
    return schema_of(
        {"key": "has_ip", "type": "yes_no", "label": "有知识产权", "required": True},
        {
            "key": "ip_count",
            "type": "integer",
            "label": "知识产权数量",
            "required": True,
            "visible_if": "has_ip",
        },
        {"key": "note", "type": "text", "label": "说明", "max_length": 2, "visible_if": "ip_count > 3"},
    )


def test_hidden_field_is_dropped_and_not_required():
    result = clean_answers(visibility_schema(), {"has_ip": False, "ip_count": 5, "note": "很长的说明"})
    assert result.is_valid, result.issues
    assert result.values == {"has_ip": False}
    assert result.visible == {"has_ip"}


def test_hidden_field_with_invalid_value_reports_nothing():
    result = clean_answers(visibility_schema(), {"has_ip": False, "ip_count": "abc"})
    assert result.issues == []


def test_visible_required_field_missing_is_required_issue():
    result = clean_answers(visibility_schema(), {"has_ip": True})
    assert [(i.field, i.code, i.message) for i in result.issues] == [("ip_count", "required", "此项为必填项")]
    assert str(result.issues[0]) == "「知识产权数量」此项为必填项"


def test_every_missing_required_field_is_reported():
    result = clean_answers(visibility_schema(), {})
    assert [(i.field, i.code) for i in result.issues] == [("has_ip", "required")]


def test_invalid_value_is_one_issue_not_also_required():
    result = clean_answers(visibility_schema(), {"has_ip": True, "ip_count": "abc"})
    assert [(i.field, i.code) for i in result.issues] == [("ip_count", "invalid")]
    assert result.issues_for("ip_count")[0].message == "请输入数字"


def test_require_complete_false_skips_required():
    assert clean_answers(visibility_schema(), {}, require_complete=False).issues == []


def test_visibility_chain_hides_dependants_of_hidden_fields():
    result = clean_answers(visibility_schema(), {"has_ip": False, "ip_count": 9, "note": "x"})
    assert "note" not in result.visible


def test_context_names_are_available_to_visibility():
    schema = schema_of(
        {
            "key": "gd_only",
            "type": "text",
            "label": "广东专项",
            "required": True,
            "visible_if": 'ctx_province == "440000"',
        }
    )
    assert clean_answers(schema, {}, context={"province": "440000"}).issues[0].code == "required"
    assert clean_answers(schema, {}, context={"province": "110000"}).issues == []


CROSS = [
    {
        "key": "main_not_above",
        "check": "main_revenue <= revenue",
        "fields": ["main_revenue", "revenue"],
        "message": "主营业务收入不能大于营业收入",
    }
]


def cross_schema(steps=False):
    revenue = {"key": "revenue", "type": "money", "label": "营业收入"}
    main = {"key": "main_revenue", "type": "money", "label": "主营业务收入"}
    if steps:
        return schema_of(steps=[[revenue], [main]], validations=CROSS)
    return schema_of(revenue, main, validations=CROSS)


def test_cross_field_message_is_attached_to_the_first_field():
    result = clean_answers(cross_schema(), {"revenue": 100, "main_revenue": 200})
    assert [(i.field, i.code, i.message) for i in result.issues] == [
        ("main_revenue", "rule_main_not_above", "主营业务收入不能大于营业收入")
    ]


def test_cross_field_rule_passes_when_it_holds():
    assert clean_answers(cross_schema(), {"revenue": 200, "main_revenue": 200}).issues == []


def test_cross_field_rule_is_skipped_when_undefined():
    assert clean_answers(cross_schema(), {"main_revenue": 200}).issues == []


def test_cross_field_rule_is_skipped_when_a_field_is_already_wrong():
    result = clean_answers(cross_schema(), {"revenue": 100, "main_revenue": "abc"})
    assert [i.code for i in result.issues] == ["invalid"]


def test_cross_field_rule_with_false_when_is_skipped():
    schema = schema_of(
        {"key": "revenue", "type": "money", "label": "营业收入"},
        {"key": "main_revenue", "type": "money", "label": "主营业务收入"},
        validations=[{**CROSS[0], "when": "revenue > 1000"}],
    )
    assert clean_answers(schema, {"revenue": 100, "main_revenue": 200}).issues == []


def test_steps_limits_required_checks_to_those_steps():
    schema = schema_of(
        steps=[
            [{"key": "a", "type": "text", "label": "甲", "required": True}],
            [{"key": "b", "type": "text", "label": "乙", "required": True}],
        ]
    )
    assert [i.field for i in clean_answers(schema, {}, steps={"s2"}).issues] == ["b"]
    assert [i.step for i in clean_answers(schema, {}).issues] == ["s1", "s2"]


def test_steps_limits_value_errors_to_those_steps():
    schema = schema_of(
        steps=[
            [{"key": "a", "type": "integer", "label": "甲"}],
            [{"key": "b", "type": "integer", "label": "乙"}],
        ]
    )
    assert [i.field for i in clean_answers(schema, {"a": "x", "b": "y"}, steps={"s1"}).issues] == ["a"]


def test_steps_skips_cross_field_rule_whose_fields_are_on_other_steps():
    schema = schema_of(
        steps=[
            [
                {"key": "revenue", "type": "money", "label": "营业收入"},
                {"key": "main_revenue", "type": "money", "label": "主营业务收入"},
            ],
            [{"key": "other", "type": "text", "label": "其他"}],
        ],
        validations=CROSS,
    )
    answers = {"revenue": 100, "main_revenue": 200}
    assert clean_answers(schema, answers, steps={"s2"}).issues == []
    assert [i.step for i in clean_answers(schema, answers, steps={"s1"}).issues] == ["s1"]


def test_cross_field_rule_across_steps_is_reported_on_the_first_fields_step():
    result = clean_answers(cross_schema(steps=True), {"revenue": 100, "main_revenue": 200}, steps={"s2"})
    assert [(i.field, i.step) for i in result.issues] == [("main_revenue", "s2")]


def test_computed_chain_is_evaluated_and_rounded():
    schema = schema_of(
        {"key": "c2", "type": "computed", "label": "翻倍", "expression": "c1 * 2", "decimal_places": 1},
        {"key": "c1", "type": "computed", "label": "占比", "expression": "a / b * 100", "decimal_places": 2},
        {"key": "a", "type": "money", "label": "研发"},
        {"key": "b", "type": "money", "label": "收入"},
    )
    result = clean_answers(schema, {"a": 1, "b": 3})
    assert result.values["c1"] == Decimal("33.33")
    assert result.values["c2"] == Decimal("66.7")  # from the rounded c1: 66.66 → 66.7


def test_computed_value_is_none_when_undefined():
    schema = schema_of(
        {"key": "a", "type": "money", "label": "研发"},
        {"key": "c", "type": "computed", "label": "占比", "expression": "a / 0"},
    )
    result = clean_answers(schema, {"a": 1})
    assert "c" in result.visible
    assert result.values.get("c") is None


def test_submitted_value_of_computed_field_is_ignored():
    schema = schema_of(
        {"key": "a", "type": "money", "label": "研发"},
        {"key": "c", "type": "computed", "label": "翻倍", "expression": "a * 2"},
    )
    assert clean_answers(schema, {"a": 2, "c": 999}).values["c"] == Decimal("4.00")


def test_visible_if_may_use_a_computed_field():
    schema = schema_of(
        {"key": "a", "type": "integer", "label": "甲"},
        {"key": "double", "type": "computed", "label": "翻倍", "expression": "a * 2"},
        {"key": "why", "type": "text", "label": "原因", "required": True, "visible_if": "double > 5"},
    )
    result = clean_answers(schema, {"a": 10})
    assert "why" in result.visible
    assert [(i.field, i.code) for i in result.issues] == [("why", "required")]


def test_computed_value_too_large_does_not_raise():
    schema = schema_of(
        {"key": "a", "type": "money", "label": "甲"},
        {"key": "c", "type": "computed", "label": "立方", "expression": "a * a * a"},
    )
    result = clean_answers(schema, {"a": 999999999999})
    assert result.values["c"] is None or isinstance(result.values["c"], Decimal)


def test_clean_answers_never_raises_on_wrong_json_shapes():
    schema = visibility_schema()
    result = clean_answers(schema, {"has_ip": {"x": 1}, "ip_count": [1, 2], "note": None})
    assert {i.field for i in result.issues} == {"has_ip"}
