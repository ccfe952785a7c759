"""diff_schemas on known pairs and frozen_key_violations (pure, no database)."""

from __future__ import annotations

import copy

from forms_engine.diff import diff_schemas, frozen_key_violations
from tests.forms_engine.conftest import load_document

BASE = load_document("innovation_self_test")["versions"][0]["schema"]


def changed(schema: dict, fn) -> dict:
    new = copy.deepcopy(schema)
    fn(new)
    return new


def field(schema: dict, key: str) -> dict:
    return next(f for st in schema["steps"] for se in st["sections"] for f in se["fields"] if f["key"] == key)


def item(schema: dict, key: str) -> dict:
    return next(i for i in schema["scoring"]["items"] if i["key"] == key)


def test_identical_schemas_have_no_diff():
    assert diff_schemas(BASE, copy.deepcopy(BASE)).is_empty


def test_added_and_removed_fields_are_listed():
    def edit(s):
        s["steps"][0]["sections"][0]["fields"].append({"key": "new_q", "type": "text", "label": "新问题"})
        s["steps"][0]["sections"][0]["fields"] = [
            f for f in s["steps"][0]["sections"][0]["fields"] if f["key"] != "main_product"
        ]

    result = diff_schemas(BASE, changed(BASE, edit))
    assert [r.where for r in result.of("field", "added")] == [
        "字段 new_q（新问题） 于 basic/enterprise"
    ] or result.of("field", "added")[0].where.startswith("字段 new_q（新问题）")
    assert result.of("field", "removed")[0].where.startswith("字段 main_product")


def test_field_attribute_changes_show_old_and_new():
    result = diff_schemas(
        BASE, changed(BASE, lambda s: field(s, "revenue").update(label="营业收入（万元）", required=False))
    )
    rows = {r.attribute: (r.old, r.new) for r in result.of("field", "changed")}
    assert rows["label"][1] == "营业收入（万元）"
    assert rows["required"] == ("是", "否")


def test_option_score_change_is_one_row():
    def edit(s):
        option = field(s, "ip_class")["options"][0]
        option["score"] = option["score"] + 5

    result = diff_schemas(BASE, changed(BASE, edit))
    assert len(result.rows) == 1
    row = result.rows[0]
    assert (row.category, row.change, row.attribute) == ("option", "changed", "score")
    assert row.where.startswith("字段 ip_class")
    assert float(row.new) == float(row.old) + 5


def test_option_added_and_removed():
    def edit(s):
        options = field(s, "ip_class")["options"]
        options.pop()
        options.append({"value": "Z", "label": "Z. 新选项", "score": 1})

    result = diff_schemas(BASE, changed(BASE, edit))
    assert len(result.of("option", "added")) == 1 and "Z" in result.of("option", "added")[0].where
    assert len(result.of("option", "removed")) == 1


def test_band_points_change_and_new_band():
    banded = next(i for i in BASE["scoring"]["items"] if i["method"] == "bands")

    def edit(s):
        bands = item(s, banded["key"])["bands"]
        bands[0]["points"] = bands[0]["points"] + 1

    result = diff_schemas(BASE, changed(BASE, edit))
    assert [(r.category, r.attribute) for r in result.rows] == [("band", "points")]

    def split(s):
        bands = item(s, banded["key"])["bands"]
        bands[-1] = {**bands[-1], "min": (bands[-1].get("min") or 0) + 1000}

    result = diff_schemas(BASE, changed(BASE, split))
    assert result.of("band", "added") and result.of("band", "removed")


def test_score_item_outcome_validation_and_metadata_changes():
    def edit(s):
        s["scoring"]["items"][0]["max"] = 99
        s["scoring"]["outcome"]["min_total"] = 70
        s["validations"][0]["check"] = "main_revenue < revenue"
        s["metadata"]["provisional"] = True
        s["title"] = "新标题"

    result = diff_schemas(BASE, changed(BASE, edit))
    assert {r.category for r in result.rows} == {"score_item", "outcome", "validation", "metadata"}
    assert ("min_total", "60", "70") in {(r.attribute, r.old, r.new) for r in result.of("outcome")}


def test_levels_diff_on_digital_questionnaire():
    digital = load_document("digital_manufacturing")["versions"][0]["schema"]
    result = diff_schemas(
        digital, changed(digital, lambda s: s["scoring"]["outcome"]["levels"][1].update(min_total=65))
    )
    assert [(r.category, r.attribute, r.old, r.new) for r in result.rows] == [
        ("level", "min_total", "60", "65")
    ]


def test_type_change_reads_as_type_labels():
    result = diff_schemas(BASE, changed(BASE, lambda s: field(s, "revenue").update(type="integer")))
    [row] = [r for r in result.rows if r.attribute == "type"]
    assert (row.old, row.new) == ("金额（万元）", "整数")


def test_frozen_key_may_keep_its_type_or_be_removed():
    new = changed(BASE, lambda s: s["steps"][0]["sections"][0]["fields"].pop())
    assert frozen_key_violations([BASE], new) == []


def test_frozen_key_cannot_change_type():
    new = changed(BASE, lambda s: field(s, "revenue").update(type="text"))
    [issue] = frozen_key_violations([BASE], new)
    assert issue.code == "frozen_key_type_changed"
    assert issue.place.field == "revenue"
    assert "标识不能修改" in issue.message
