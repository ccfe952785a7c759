"""A new field type is one module (issue 10 §4): registered, it is parsed, checked, scored, stored,
shown, rendered, offered by the designer and named by the diff, with nothing else changed.

The type below is the example of docs/forms-engine.md ("How to add a field type") with one
attribute of its own, registered for the duration of each test."""

from __future__ import annotations

import pytest

from forms_engine.answers import answers_display
from forms_engine.designer.forms.structure import field_type_choices
from forms_engine.diff import diff_schemas
from forms_engine.fields import field_types
from forms_engine.fields.base import AnswerError
from forms_engine.fields.text import TextType
from forms_engine.rendering import build_step_form
from forms_engine.schema import SchemaValidationError, parse_schema
from forms_engine.scoring import score
from forms_engine.selectors import schema_outline
from forms_engine.values import clean_answers
from tests.factories.forms import field, make_schema


class PhoneType(TextType):
    name = "test_phone"
    label = "手机号码"
    order = 12
    attributes = frozenset({"mobile_only"})
    attribute_labels = {"mobile_only": "仅限手机号"}
    designer_inputs = ()

    def parse(self, parser, raw, place):
        return {"max_length": 20, "mobile_only": parser.boolean(raw, "mobile_only", place)}

    def coerce(self, field, raw):
        value = super().coerce(field, raw)
        if field.mobile_only and not (len(value) == 11 and value.isdigit() and value.startswith("1")):
            raise AnswerError("invalid_phone", "请输入11位手机号码")
        return value

    def display(self, field, value):
        return f"{value[:3]} {value[3:7]} {value[7:]}"


@pytest.fixture(autouse=True)
def phone_type():
    field_types.register(PhoneType)
    yield
    field_types.unregister(PhoneType.name)


def phone_schema(**attrs):
    return make_schema(
        field("phone", "test_phone", "联系电话", required=True, mobile_only=True, **attrs),
        field("staff", "integer", "职工人数"),
        scoring={
            "items": [
                {
                    "key": "has_phone",
                    "label": "留有电话",
                    "method": "formula",
                    "expression": "5 if len(phone) == 11 else 0",
                    "max": 5,
                }
            ]
        },
    )


def test_the_parser_reads_the_type_and_its_own_attribute():
    spec = parse_schema(phone_schema()).field_map()["phone"]
    assert spec.kind is field_types.get("test_phone")
    assert spec.mobile_only is True and spec.max_length == 20


def test_an_unknown_attribute_of_the_new_type_is_refused_at_its_field():
    with pytest.raises(SchemaValidationError) as info:
        parse_schema(phone_schema(carrier="移动"))
    issue = info.value.issues[0]
    assert (issue.code, issue.place.field) == ("unknown_attribute", "phone")


@pytest.mark.parametrize(
    ("raw", "code"), [("13800138000", None), ("0755-1234", "invalid_phone"), ("", "required")]
)
def test_answers_are_checked_by_the_type_in_every_path(raw, code):
    schema = parse_schema(phone_schema())
    issues = {i.field: i.code for i in clean_answers(schema, {"phone": raw}).issues}
    assert issues.get("phone") == code
    result = score(schema, {"phone": raw})  # the scorer's planned coercers ask the same type
    assert {i.field: i.code for i in result.issues}.get("phone") == code
    assert result.total == (5 if code is None else 0)


def test_the_readable_answer_and_the_wizard_input_come_from_the_type():
    schema = parse_schema(phone_schema())
    rows = answers_display(schema, {"phone": "13800138000"})
    assert [(r.key, r.text) for r in rows] == [("phone", "138 0013 8000")]
    form = build_step_form(schema, schema.steps[0])(prefix="s", answers={"phone": "13800138000"})
    assert 'maxlength="20"' in str(form["phone"]) and "13800138000" in str(form["phone"])


def test_the_designer_offers_the_type_and_the_diff_names_its_attribute():
    assert ("test_phone", "手机号码") in field_type_choices()
    outline = schema_outline(phone_schema())
    assert outline.steps[0]["sections"][0]["fields"][0].type_label == "手机号码"
    changed = phone_schema()
    changed["steps"][0]["sections"][0]["fields"][0]["mobile_only"] = False
    rows = diff_schemas(phone_schema(), changed).rows
    assert [(r.attribute_label, r.old, r.new) for r in rows] == [("仅限手机号", "是", "否")]
