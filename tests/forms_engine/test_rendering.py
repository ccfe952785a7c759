"""Rendering: one Django form field per field type, the same validators as the service."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils.datastructures import MultiValueDict

from forms_engine.rendering import build_step_form
from forms_engine.schema import parse_schema
from tests.forms_engine.conftest import lookups_removed

OPTIONS = [{"value": "A", "label": "甲选项"}, {"value": "B", "label": "乙选项"}]

FIELDS = [
    {"key": "name", "type": "text", "label": "企业名称", "required": True, "max_length": 50},
    {"key": "intro", "type": "textarea", "label": "企业简介"},
    {"key": "staff", "type": "integer", "label": "职工人数", "min": 1, "unit": "人"},
    {"key": "area", "type": "decimal", "label": "厂房面积", "decimal_places": 1},
    {"key": "share", "type": "percentage", "label": "研发占比"},
    {"key": "revenue", "type": "money", "label": "营业收入"},
    {"key": "founded", "type": "date", "label": "成立日期", "min": "1950-01-01"},
    {"key": "since", "type": "year", "label": "起始年份"},
    {"key": "ip", "type": "single_choice", "label": "知识产权", "options": OPTIONS},
    {"key": "kind", "type": "single_choice", "label": "企业类型", "options": OPTIONS, "widget": "select"},
    {"key": "nets", "type": "multiple_choice", "label": "网络类型", "options": OPTIONS},
    {"key": "listed", "type": "yes_no", "label": "是否上市"},
    {"key": "county", "type": "region", "label": "所在区县"},
    {"key": "licence", "type": "file", "label": "营业执照", "accept": [".pdf", ".jpg"], "max_size_mb": 1},
    {"key": "double", "type": "computed", "label": "收入翻倍", "expression": "revenue * 2", "unit": "万元"},
    {"key": "note", "type": "text", "label": "上市说明", "required": True, "visible_if": "listed == True"},
]
TABLE = {
    "key": "patents",
    "type": "table",
    "label": "专利清单",
    "max_rows": 3,
    "columns": [
        {"key": "title", "type": "text", "label": "专利名称", "required": True},
        {"key": "granted", "type": "date", "label": "授权日期"},
        {"key": "own", "type": "yes_no", "label": "自主研发"},
    ],
}


def schema_with(fields: list[dict]):
    return parse_schema(
        {
            "format": 2,
            "title": "渲染",
            "steps": [
                {
                    "key": "basic",
                    "title": "基本情况",
                    "sections": [{"key": "sec", "title": "分组", "fields": fields}],
                }
            ],
        }
    )


SCHEMA = schema_with(FIELDS)
TABLE_SCHEMA = schema_with([TABLE])


@pytest.fixture(autouse=True)
def no_lookups():
    """Region/industry fields without the host project's database-backed lookups."""
    with lookups_removed():
        yield


def make_form(
    data: dict | None = None,
    *,
    schema=SCHEMA,
    files: dict | None = None,
    answers: dict | None = None,
    **kwargs: Any,
):
    step = schema.steps[0]
    form_class = build_step_form(schema, step)
    if data is not None:
        data = MultiValueDict(
            {f"{step.key}-{k}": (v if isinstance(v, list) else [v]) for k, v in data.items()}
        )
    return form_class(data, files, prefix=step.key, answers=answers or {}, context={}, **kwargs)


def field_html(form, key: str) -> str:
    return Template("{% load crispy_forms_tags %}{{ field|as_crispy_field }}").render(
        Context({"field": form[key]})
    )


INPUTS = [
    ("name", r'<input type="text" name="basic-name"[^>]*maxlength="50"'),
    ("intro", r'<textarea name="basic-intro"'),
    ("staff", r'<input type="number" name="basic-staff"[^>]*step="1"[^>]*min="1"'),
    ("area", r'<input type="number" name="basic-area"[^>]*step="0.1"'),
    ("share", r'<input type="number" name="basic-share"[^>]*step="0.01"[^>]*min="0"'),
    ("revenue", r'<input type="number" name="basic-revenue"[^>]*step="0.0001"'),
    ("founded", r'<input type="date" name="basic-founded"[^>]*min="1950-01-01"'),
    ("since", r'<input type="number" name="basic-since"[^>]*step="1"[^>]*min="1900"[^>]*max="2100"'),
    ("ip", r'<input type="radio"[^>]*name="basic-ip" value="A"'),
    ("kind", r'<select name="basic-kind"'),
    ("nets", r'<input type="checkbox"[^>]*name="basic-nets" value="B"'),
    ("listed", r'<input type="radio"[^>]*name="basic-listed" value="true"'),
    ("county", r'<input type="text" name="basic-county"[^>]*inputmode="numeric"'),
    ("licence", r'<input type="file" name="basic-licence"[^>]*accept=".pdf,.jpg"'),
    ("double", r'<input type="text" name="basic-double"[^>]*readonly'),
]


@pytest.mark.parametrize(("key", "pattern"), INPUTS, ids=[k for k, _ in INPUTS])
def test_field_renders_label_and_its_input(key, pattern):
    html = make_form().as_div()
    label = SCHEMA.field(key).label
    assert label in html
    assert re.search(pattern, html), html


@pytest.mark.parametrize(
    ("key", "labels"),
    [("ip", ["甲选项", "乙选项"]), ("listed", ["是", "否"]), ("kind", ["请选择", "甲选项"])],
)
def test_choice_field_renders_option_labels(key, labels):
    html = field_html(make_form(), key)
    for label in labels:
        assert label in html


def test_computed_field_shows_the_value_computed_from_the_answers_with_its_unit_and_is_disabled():
    html = field_html(make_form(answers={"revenue": 20}), "double")
    assert 'value="40.00"' in html
    assert re.search(r'<span class="input-group-text"[^>]*>万元</span>', html)
    assert "disabled" in html
    assert "根据已填数据自动计算" in html


def test_computed_field_ignores_a_posted_or_stored_value_of_its_own():
    html = field_html(make_form(answers={"revenue": 20, "double": 999}), "double")
    assert 'value="40.00"' in html


@pytest.mark.parametrize(("key", "unit"), [("revenue", "万元"), ("share", "%"), ("staff", "人")])
def test_number_field_shows_its_unit_beside_the_input(key, unit):
    html = field_html(make_form(), key)
    assert re.search(rf'<span class="input-group-text"[^>]*>{unit}</span>', html)
    assert f'data-unit="{unit}"' in html


def test_number_field_without_unit_has_no_unit_box():
    assert "input-group-text" not in field_html(make_form(), "area")


def test_required_asterisk_for_always_visible_required_field():
    assert 'class="asteriskField"' in field_html(make_form(), "name")


@pytest.mark.parametrize("key", ["intro", "note", "double"])
def test_no_required_asterisk_for_optional_conditional_or_computed_field(key):
    assert "asteriskField" not in field_html(make_form(), key)


def test_unbound_form_shows_stored_answers():
    form = make_form(answers={"name": "测试企业", "listed": False, "nets": ["B"]})
    html = form.as_div()
    assert 'value="测试企业"' in html
    assert re.search(r'value="false"[^>]*checked', html)
    assert re.search(r'name="basic-nets" value="B"[^>]*checked', html)


VALID_POST = {
    "name": " 测试企业 ",
    "intro": "简介",
    "staff": "25",
    "area": "12.5",
    "share": "3.25",
    "revenue": "1000.1234",
    "founded": "2010-05-06",
    "since": "2015",
    "ip": "B",
    "kind": "A",
    "nets": ["B", "A"],
    "listed": "true",
    "county": "440305",
    "note": "创业板",
}
EXPECTED = {
    "name": "测试企业",
    "intro": "简介",
    "staff": 25,
    "area": 12.5,
    "share": 3.25,
    "revenue": 1000.1234,
    "founded": "2010-05-06",
    "since": 2015,
    "ip": "B",
    "kind": "A",
    "nets": ["A", "B"],
    "listed": True,
    "county": "440305",
    "note": "创业板",
}


def test_valid_post_cleans_to_expected_json():
    form = make_form(
        VALID_POST, files={"basic-licence": SimpleUploadedFile("执照.pdf", b"%PDF-1", "application/pdf")}
    )
    assert form.is_valid(), form.errors
    answers = form.step_answers()
    licence = answers.pop("licence")
    assert answers == EXPECTED
    assert {k: licence[k] for k in ("name", "size", "content_type")} == {
        "name": "执照.pdf",
        "size": 6,
        "content_type": "application/pdf",
    }
    assert "执照" not in licence["path"]  # the user's file name is never a storage path


def test_computed_value_is_not_part_of_step_answers_but_is_evaluated():
    form = make_form(VALID_POST)
    assert form.is_valid(), form.errors
    assert "double" not in form.step_answers()
    assert str(form.engine_values["double"]) == "2000.25"


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("name", "字" * 51, "最多 50 个字"),
        ("staff", "0", "不能小于 1人"),
        ("staff", "2.5", "请输入整数"),
        ("area", "1.25", "最多保留 1 位小数"),
        ("share", "-1", "不能小于 0%"),
        ("revenue", "abc", "请输入数字"),
        ("founded", "1949-12-31", "不能早于 1950-01-01"),
        ("since", "1800", "不能小于 1900"),
        ("ip", "Z", "请选择列表中的选项"),
        ("nets", ["A", "Z"], "请选择列表中的选项"),
        ("listed", "也许", "请选择“是”或“否”"),
        ("county", "440000", "请选择到区/县一级"),
    ],
)
def test_invalid_post_puts_chinese_message_on_that_field(key, value, message):
    form = make_form({**VALID_POST, key: value})
    assert not form.is_valid()
    assert len(form.errors[key]) == 1 and form.errors[key][0].startswith(message)
    assert set(form.errors) == {key}
    assert message in field_html(form, key)


def test_required_field_missing_is_reported():
    form = make_form({k: v for k, v in VALID_POST.items() if k != "name"})
    assert form.errors == {"name": ["此项为必填项"]}


def test_conditionally_required_field_is_required_only_when_visible():
    shown = make_form({**VALID_POST, "note": ""})
    assert shown.errors == {"note": ["此项为必填项"]}
    hidden = make_form({**VALID_POST, "listed": "false", "note": ""})
    assert hidden.is_valid(), hidden.errors


def test_file_of_wrong_type_is_refused():
    form = make_form(VALID_POST, files={"basic-licence": SimpleUploadedFile("a.exe", b"MZ")})
    assert form.errors == {"licence": ["只能上传以下类型的文件：.pdf、.jpg"]}


def test_file_too_large_is_refused():
    upload = SimpleUploadedFile("a.pdf", b"x" * (1024 * 1024 + 1))
    assert make_form(VALID_POST, files={"basic-licence": upload}).errors == {"licence": ["文件不能超过 1 MB"]}


def test_quiet_form_shows_no_errors_but_keeps_typed_value():
    form = make_form({**VALID_POST, "staff": "二十五", "name": ""}, quiet=True)
    assert form.errors == {}
    html = form.as_div()
    assert "errorlist" not in html
    assert 'value="二十五"' in html


def test_loud_form_shows_error_and_keeps_typed_value():
    html = make_form({**VALID_POST, "staff": "二十五"}).as_div()
    assert "请输入数字" in html
    assert 'value="二十五"' in html


def test_layout_lists_sections_with_help_blocks():
    schema = schema_with([{"key": "tip", "type": "help", "text": "请如实填写"}, FIELDS[0]])
    layout = make_form(schema=schema).layout()
    assert [kind for kind, _item, _notes in layout[0].items] == ["help", "field"]
    assert layout[0].items[0][1] == "请如实填写"
    assert layout[0].items[1][1].name == "name"


def test_layout_puts_the_hosts_notes_beside_their_field():
    layout = make_form().layout({"name": ["审核意见：企业名称与营业执照不一致"]})
    notes = {item[1].name: item[2] for item in layout[0].items}
    assert notes["name"] == ("审核意见：企业名称与营业执照不一致",)
    assert notes["intro"] == ()


# --- tables ----------------------------------------------------------------------------------


def table_html(form) -> str:
    bound = form["patents"]
    widget = bound.field.widget
    return render_to_string(widget.template_name, widget.get_context(bound.html_name, bound.value(), {}))


def test_table_cells_are_named_prefix_field_row_column():
    html = table_html(make_form(schema=TABLE_SCHEMA))
    for name in ("basic-patents-0-title", "basic-patents-0-granted", "basic-patents-0-own"):
        assert f'name="{name}"' in html
    assert re.search(r'name="basic-patents-0-granted"[^>]*type="date"', html)
    assert '专利名称 <span aria-hidden="true">*</span>' in html


def test_table_shows_one_empty_row_after_the_filled_ones_up_to_max_rows():
    form = make_form({"patents-0-title": "甲", "patents-1-title": "乙"}, schema=TABLE_SCHEMA)
    html = table_html(form)
    assert 'name="basic-patents-2-title"' in html
    assert 'name="basic-patents-3-title"' not in html  # max_rows is 3


def test_table_post_cleans_to_rows():
    form = make_form(
        {
            "patents-0-title": "甲",
            "patents-0-granted": "2024-01-02",
            "patents-0-own": "true",
            "patents-2-title": "乙",
        },
        schema=TABLE_SCHEMA,
    )
    assert form.is_valid(), form.errors
    assert form.step_answers() == {
        "patents": [
            {"title": "甲", "granted": "2024-01-02", "own": True},
            {"title": "乙", "granted": None, "own": None},
        ]
    }


def test_table_required_cell_message_names_row_and_column():
    form = make_form({"patents-0-granted": "2024-01-02"}, schema=TABLE_SCHEMA)
    assert form.errors == {"patents": ["第 1 行“专利名称”不能为空"]}


def test_step_form_with_table_field_renders():
    html = make_form(schema=TABLE_SCHEMA).as_div()
    assert 'name="basic-patents-0-title"' in html


def _shipped_fields_with_units():
    import json
    from pathlib import Path

    forms_dir = Path(__file__).resolve().parents[2] / "fixtures" / "forms"
    for path in sorted(forms_dir.glob("*.json")):
        for version in json.loads(path.read_text(encoding="utf-8"))["versions"]:
            schema = parse_schema(version["schema"])
            for step in schema.steps:
                for spec in step.fields:
                    if spec.has_value and getattr(spec, "unit", ""):
                        yield pytest.param(
                            schema, step, spec, id=f"{path.stem}-v{version['number']}-{spec.key}"
                        )


@pytest.mark.parametrize(("schema", "step", "spec"), list(_shipped_fields_with_units()))
def test_every_shipped_field_with_a_unit_shows_it_beside_its_input(schema, step, spec):
    """Issue 9 item 4: a 元/万元 slip is a 10,000× error, so no field keeps its unit to itself."""
    form = build_step_form(schema, step)(None, prefix=step.key, answers={}, context={})
    html = field_html(form, spec.key)
    assert re.search(rf'<span class="input-group-text"[^>]*>{re.escape(spec.unit)}</span>', html), html


def test_a_required_read_only_answer_keeps_its_stored_value_when_the_step_is_posted():
    """A read-only question (变更前注册地, prefilled when the draft started) is disabled: on a POST
    its value comes from the stored answers, so 【提交】 does not read it as empty (issue 13)."""
    from forms_engine.rendering import build_step_form
    from forms_engine.schema.parser import parse_schema

    schema = parse_schema(
        {
            "format": 2,
            "title": "只读测试",
            "steps": [
                {
                    "key": "s",
                    "title": "步骤",
                    "sections": [
                        {
                            "key": "a",
                            "title": "节",
                            "fields": [
                                {
                                    "key": "before",
                                    "type": "text",
                                    "label": "变更前",
                                    "required": True,
                                    "readonly": True,
                                },
                                {"key": "after", "type": "text", "label": "变更后", "required": True},
                            ],
                        }
                    ],
                }
            ],
        }
    )
    form_class = build_step_form(schema, schema.steps[0])
    form = form_class(data={"s-after": "新值"}, prefix="s", answers={"before": "原值"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["before"] == "原值"
