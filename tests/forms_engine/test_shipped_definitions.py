"""The shipped form definitions (fixtures/forms/*.json) parse and match the policy sources.

Pure tests: no database. The digital manufacturing questionnaire is compared field by field with
the policy transcription in ``fixtures/policy/digital-2024-manufacturing.json`` (copied into the repo).
"""

from __future__ import annotations

import importlib.util
import json
from decimal import Decimal
from pathlib import Path

import pytest

from forms_engine.schema.parser import SchemaValidationError, parse_schema

REPO = Path(__file__).resolve().parents[2]
FORMS_DIR = REPO / "fixtures" / "forms"
POLICY_DIR = REPO / "fixtures" / "policy"

SHIPPED = [
    "innovation_self_test",
    "specialized_filing",
    "little_giant_filing",
    "digital_manufacturing",
    "digital_services",
    "digital_other",
]


def load(key: str) -> dict:
    return json.loads((FORMS_DIR / f"{key}.json").read_text(encoding="utf-8"))


def schema_of(key: str, number: int | None = None):
    versions = load(key)["versions"]
    version = versions[-1] if number is None else next(v for v in versions if v["number"] == number)
    return parse_schema(version["schema"])


def policy_questionnaire() -> dict:
    return json.loads((POLICY_DIR / "digital-2024-manufacturing.json").read_text(encoding="utf-8"))


def dec(value) -> Decimal:
    return Decimal(str(value))


# --- every fixture ----------------------------------------------------------------------------


def test_every_shipped_definition_is_present():
    assert set(SHIPPED) <= {p.stem for p in FORMS_DIR.glob("*.json")}


@pytest.mark.parametrize("key", SHIPPED)
def test_fixture_versions_parse_without_issues(key):
    document = load(key)
    definition = document["definition"]
    assert definition["key"] == key
    assert definition["category"] in ("self_test", "filing", "assessment")
    numbers = [v["number"] for v in document["versions"]]
    assert numbers == list(range(1, len(numbers) + 1))
    for version in document["versions"]:
        assert version["status"] in ("published", "retired", "draft")
        assert version["effective_date"] and version["policy_basis"] and version["change_note"]
        try:
            schema = parse_schema(version["schema"])
        except SchemaValidationError as exc:  # pragma: no cover - the message lists every issue
            pytest.fail(f"{key} v{version['number']}: {exc}")
        assert schema.metadata.get("policy_basis")
        assert schema.metadata.get("notes")


def test_specialized_filing_versions():
    document = load("specialized_filing")
    assert document["definition"] == {
        **document["definition"],
        "key": "specialized_filing",
        "title": "专精特新中小企业申报表",
        "category": "filing",
        "self_service": False,
    }
    v1, v2 = document["versions"]
    # both published, in order: the loader retires v1 when v2 is published, so v2 is current
    assert (v1["number"], v1["status"], v1["effective_date"]) == (1, "published", "2022-06-01")
    assert (v2["number"], v2["status"], v2["effective_date"]) == (2, "published", "2026-04-01")
    assert "63号 附件2" in v1["policy_basis"] and "2026〕2号 附件1" in v2["policy_basis"]

    s1 = parse_schema(v1["schema"])
    assert [(g.key, g.max, g.min) for g in s1.scoring.groups] == [
        ("specialization", 25, None),
        ("refinement", 25, None),
        ("distinctiveness", 15, None),
        ("innovation", 35, None),
    ]
    assert s1.scoring.max_total == 100
    outcome = s1.scoring.outcome
    assert (outcome.type, outcome.min_total, outcome.use_group_minima) == ("qualification", 60, False)
    assert len(outcome.conditions) == 3 and len(outcome.direct_paths) == 4
    digital = s1.field_map()["digital_level"]
    assert digital.prefill == "assessment.digital_level"
    assert {o.value: o.score for o in digital.options} == {"4": 5, "3": 5, "2": 3, "1": 0, "none": 0}
    assert s1.metadata["provisional_parts"] == ["distinctiveness"]

    s2 = parse_schema(v2["schema"])
    assert s2.scoring.items == () and s2.scoring.max_total is None
    assert s2.scoring.outcome.type == "qualification" and s2.scoring.outcome.min_total is None
    assert s2.scoring.outcome.direct_paths == ()
    assert len(s2.scoring.outcome.conditions) == 6
    assert "development_score" in s2.metadata["provisional_parts"]


def test_little_giant_filing_version():
    document = load("little_giant_filing")
    assert [(v["number"], v["status"], v["effective_date"]) for v in document["versions"]] == [
        (1, "published", "2026-04-01")
    ]
    schema = schema_of("little_giant_filing")
    assert len(schema.scoring.outcome.conditions) == 7
    fields = schema.field_map()
    assert fields["main_product_code"].pattern == r"\d{10}"
    assert fields["is_review"].type == "yes_no"


# --- digital manufacturing against the policy transcription --------------------------------------


def test_digital_manufacturing_matches_policy_questionnaire():
    source = policy_questionnaire()
    document = load("digital_manufacturing")
    (version,) = document["versions"]
    assert (version["status"], version["effective_date"]) == ("published", "2024-09-04")
    assert "〔2024〕56号" in version["policy_basis"] and "制造业" in version["policy_basis"]
    schema = parse_schema(version["schema"])
    fields = schema.field_map()
    items = {i.field: i for i in schema.scoring.items}

    questions = [(d, g, q) for d in source["dimensions"] for g in d["groups"] for q in g["questions"]]
    assert len(questions) == 15
    assert len(schema.scoring.items) == 15
    assert all(i.method == "option" for i in schema.scoring.items)
    labels = {f.label: f for f in fields.values()}
    section_of = {f.key: s for step in schema.steps for s in step.sections for f in s.fields}
    for dimension, group, question in questions:
        field = labels[question["text"]]
        assert field.type == ("multiple_choice" if question["type"] == "multiple" else "single_choice")
        assert question["indicator"] in field.help
        if question["definition"]:
            assert question["definition"] in field.help
        item = items[field.key]
        assert item.max == dec(question["max"])
        assert (
            item.group
            == {"数字化基础": "foundation", "数字化管理": "management", "数字化成效": "results"}[
                dimension["name"]
            ]
        )
        assert section_of[field.key].title.startswith(group["name"])
        assert [(o.value, o.label, o.score) for o in field.options] == [
            (o["label"], f"{o['label']}. {o['text']}", dec(o["score"])) for o in question["options"]
        ]
        for option in field.options:
            assert option.exclusive == (field.type == "multiple_choice" and option.label.endswith(". 无"))
        best = (
            sum(o.score for o in field.options)
            if field.type == "multiple_choice"
            else max(o.score for o in field.options)
        )
        assert best == dec(question["max"])
        # the question's inputs follow it in the same section, in source order, unscored
        section_fields = list(section_of[field.key].fields)
        start = section_fields.index(field) + 1
        inputs = section_fields[start : start + len(question["inputs"])]
        assert [f.label for f in inputs] == [i["label"] for i in question["inputs"]]
        for input_field, raw in zip(inputs, question["inputs"], strict=True):
            expected_type = {"台": "integer", "人": "integer", "万元": "money"}.get(raw["unit"], "decimal")
            assert input_field.type == expected_type
            if raw["unit"] not in (None, "万元"):
                assert input_field.unit == raw["unit"]
            assert input_field.key not in items


def test_digital_manufacturing_dimension_maxima():
    schema = schema_of("digital_manufacturing")
    groups = {g.key: (g.label, g.max) for g in schema.scoring.groups}
    assert groups == {
        "foundation": ("数字化基础", 50),
        "management": ("数字化管理", 30),
        "results": ("数字化成效", 20),
    }
    assert sum(g.max for g in schema.scoring.groups) == schema.scoring.max_total == 100
    for group in schema.scoring.groups:
        assert sum(i.max for i in schema.scoring.items if i.group == group.key) == group.max
    source = policy_questionnaire()
    assert [(d["name"], dec(d["max"])) for d in source["dimensions"]] == [
        (label, m) for label, m in groups.values()
    ]
    assert [s.title.split("（")[0] for s in schema.steps] == [
        "数字化基础",
        "数字化经营",
        "数字化管理",
        "数字化成效",
    ]


def test_digital_manufacturing_scenarios_match_policy():
    source = policy_questionnaire()
    schema = schema_of("digital_manufacturing")
    scenarios = schema.scenario_fields
    assert len(source["scenarios"]) == len(scenarios) == 16
    level_names = {1: "一级", 2: "二级", 3: "三级", 4: "四级"}
    for raw, field in zip(source["scenarios"], scenarios, strict=True):
        assert field.label == raw["name"]
        assert field.required and field.type == "single_choice"
        assert field.scenario == {
            "scene_type": {1: "constraint", 2: "guidance"}[raw["scene_type"]],
            "group": raw["group"],
        }
        assert [(o.value, o.label) for o in field.options] == [
            (str(level["level"]), f"{level_names[level['level']]}：{level['text']}")
            for level in sorted(raw["levels"], key=lambda level: level["level"])
        ]
        assert all(o.score is None for o in field.options)
    assert sum(1 for f in scenarios if f.scenario["scene_type"] == "constraint") == 10
    operations = next(s for s in schema.steps if s.key == "operations")
    assert {f.key for f in operations.fields} == {f.key for f in scenarios}


def test_digital_manufacturing_level_rule_and_metadata():
    schema = schema_of("digital_manufacturing")
    outcome = schema.scoring.outcome
    assert outcome.type == "levels" and outcome.none_label == "未达到一级"
    rule = [
        (
            lv.label,
            lv.min_total,
            lv.min_total_inclusive,
            [(c.min_level, c.count, c.scene_type) for c in lv.scenario_counts],
        )
        for lv in outcome.levels
    ]
    assert rule == [
        ("四级", 80, True, [(4, 10, None), (4, 6, "constraint")]),
        ("三级", 60, True, [(3, 8, None), (3, 5, "constraint")]),
        ("二级", 40, True, [(2, 6, None), (2, 3, "constraint")]),
        ("一级", 20, True, [(1, 6, None), (1, 3, "constraint")]),
    ]
    meta = schema.metadata
    assert meta["provisional"] is False and not schema.provisional
    assert meta["level_rule_unverified"] is True
    assert meta["source_questionnaire_id"] == policy_questionnaire()["source_questionnaire_id"]
    notes = "\n".join(meta["notes"])
    for needle in ("第三方", "sceneType=1", "9个", "选项F", "40、60、80"):
        assert needle in notes


def test_digital_manufacturing_fixture_is_up_to_date_with_its_build_script():
    spec = importlib.util.spec_from_file_location(
        "build_digital_manufacturing", FORMS_DIR / "build_digital_manufacturing.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.build(policy_questionnaire()) == load("digital_manufacturing")


# --- provisional services / other questionnaires ---------------------------------------------------


@pytest.mark.parametrize("key", ["digital_services", "digital_other"])
def test_provisional_digital_questionnaires(key):
    document = load(key)
    assert document["definition"]["category"] == "assessment"
    (version,) = document["versions"]
    assert version["effective_date"] == "2024-09-04"
    schema = parse_schema(version["schema"])
    assert schema.provisional is True and schema.metadata["provisional"] is True
    assert "未能获取" in schema.metadata["provisional_reason"]
    assert any("暂定" in note for note in schema.metadata["notes"])
    # same four-dimension structure and maxima as the manufacturing questionnaire
    assert [s.key for s in schema.steps] == ["foundation", "operations", "management", "results"]
    assert {g.key: g.max for g in schema.scoring.groups} == {
        "foundation": 50,
        "management": 30,
        "results": 20,
    }
    assert schema.scoring.max_total == 100
    for group in schema.scoring.groups:
        assert sum(i.max for i in schema.scoring.items if i.group == group.key) == group.max
    fields = schema.field_map()
    for item in schema.scoring.items:
        field = fields[item.field]
        best = (
            sum(o.score for o in field.options)
            if field.type == "multiple_choice"
            else max(o.score for o in field.options)
        )
        assert best == item.max
    scenarios = schema.scenario_fields
    assert len(scenarios) >= 12
    kinds = [f.scenario["scene_type"] for f in scenarios]
    assert kinds.count("constraint") >= 6 and kinds.count("guidance") >= 1
    assert all([o.value for o in f.options] == ["1", "2", "3", "4"] for f in scenarios)
    # same level rule as manufacturing
    manufacturing = schema_of("digital_manufacturing").scoring.outcome
    assert schema.scoring.outcome == manufacturing
