"""Operator CLI: manage.py forms list / export / import / publish / score / validate / load."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from forms_engine.models import FormDefinition, FormVersion, schema_checksum

from .conftest import FORMS_DIR, INNOVATION_ANSWERS

pytestmark = pytest.mark.django_db

KEY = "innovation_self_test"


def forms(*args: str) -> str:
    out = io.StringIO()
    call_command("forms", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def one_form_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "forms"
    directory.mkdir()
    shutil.copy(FORMS_DIR / f"{KEY}.json", directory / f"{KEY}.json")
    return directory


@pytest.fixture
def loaded(one_form_dir: Path) -> FormDefinition:
    forms("load", "--dir", str(one_form_dir))
    return FormDefinition.objects.get(key=KEY)


def write_json(path: Path, data) -> str:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


# --- load and list -----------------------------------------------------------------------------


def test_load_creates_every_shipped_definition_with_a_published_version():
    files = sorted(FORMS_DIR.glob("*.json"))
    output = forms("load")
    assert f"表单定义已加载（{len(files)} 个文件）" in output
    keys = {json.loads(p.read_text(encoding="utf-8"))["definition"]["key"] for p in files}
    assert set(FormDefinition.objects.values_list("key", flat=True)) == keys
    for definition in FormDefinition.objects.all():
        assert definition.versions.filter(status=FormVersion.Status.PUBLISHED).count() == 1


def test_load_is_idempotent(one_form_dir):
    first = forms("load", "--dir", str(one_form_dir))
    versions = list(FormVersion.objects.values_list("pk", "number", "status", "checksum"))
    second = forms("load", "--dir", str(one_form_dir))
    assert f"{KEY}: 新建 v1" in first and f"{KEY}: 发布 v1" in first
    assert "新建" not in second and "发布" not in second
    assert list(FormVersion.objects.values_list("pk", "number", "status", "checksum")) == versions


def test_load_of_empty_directory_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="中没有表单定义文件"):
        forms("load", "--dir", str(tmp_path))


def test_load_of_changed_published_version_reports_and_keeps_it(one_form_dir, loaded):
    path = one_form_dir / f"{KEY}.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    document["versions"][0]["schema"]["title"] = "改过的标题"
    write_json(path, document)
    output = forms("load", "--dir", str(one_form_dir))
    assert f"{KEY}: v1 已发布，文件内容与之不同，未修改（请用 forms import 新建草稿）" in output
    assert loaded.versions.get(number=1).schema["title"] == "创新型中小企业自测表"


def test_list_shows_every_key_with_its_current_version():
    forms("load")
    output = forms("list")
    lines = output.splitlines()
    assert lines[0].split()[:4] == ["key", "title", "category", "current"]
    for definition in FormDefinition.objects.all():
        current = definition.versions.get(status=FormVersion.Status.PUBLISHED)
        row = next(line for line in lines if line.startswith(definition.key + " "))
        assert f"v{current.number}" in row.split()


def test_list_shows_drafts(loaded, tmp_path):
    forms("import", write_json(tmp_path / "export.json", json.loads(forms("export", KEY))))
    row = next(line for line in forms("list").splitlines() if line.startswith(KEY))
    assert row.split()[3:5] == ["v1", "v2"]


# --- export / import / publish ---------------------------------------------------------------


def test_export_import_creates_a_draft_with_identical_schema_and_checksum(loaded, tmp_path):
    exported = json.loads(forms("export", KEY))
    original = loaded.versions.get(number=1)
    assert exported["version"]["checksum"] == original.checksum
    output = forms("import", write_json(tmp_path / "export.json", exported))
    assert f"{KEY}: 新建草稿 v2" in output
    draft = loaded.versions.get(number=2)
    assert draft.status == FormVersion.Status.DRAFT
    assert draft.schema == original.schema
    assert draft.checksum == original.checksum == schema_checksum(exported["version"]["schema"])


def test_export_of_unknown_key_is_an_error():
    with pytest.raises(CommandError, match="没有标识为 nosuch 的表单定义"):
        forms("export", "nosuch")


def test_export_of_unknown_version_is_an_error(loaded):
    with pytest.raises(CommandError, match=f"{KEY} 没有 v9"):
        forms("export", KEY, "--version", "9")


def test_publish_publishes_the_draft_and_retires_the_previous_version(loaded, tmp_path):
    forms("import", write_json(tmp_path / "export.json", json.loads(forms("export", KEY))))
    output = forms("publish", KEY)
    assert output.startswith(f"{KEY}: v2 已发布，生效日期 ")
    statuses = dict(loaded.versions.values_list("number", "status"))
    assert statuses == {1: FormVersion.Status.RETIRED, 2: FormVersion.Status.PUBLISHED}
    assert loaded.versions.get(number=1).retired_at is not None


def test_publish_without_a_draft_is_an_error_in_chinese(loaded):
    with pytest.raises(CommandError) as info:
        forms("publish", KEY)
    assert str(info.value) == f"{KEY} 没有草稿版本"


def test_publish_of_a_published_version_is_an_error(loaded):
    with pytest.raises(CommandError) as info:
        forms("publish", KEY, "--version", "1")
    assert str(info.value) == "只有草稿可以发布，v1 当前为“已发布（现行）”。"


def test_import_of_invalid_file_lists_issues_and_creates_nothing(tmp_path):
    document = json.loads((FORMS_DIR / f"{KEY}.json").read_text(encoding="utf-8"))
    schema = document["versions"][0]["schema"]
    schema["steps"][0]["sections"][0]["fields"][0]["requird"] = True
    schema["scoring"]["items"][0]["method"] = "lookup"
    with pytest.raises(CommandError) as info:
        forms("import", write_json(tmp_path / "bad.json", document))
    message = str(info.value)
    assert message.startswith("表单结构有 2 处错误：")
    assert "未知属性 requird [unknown_attribute]" in message
    assert "[unknown_method]" in message
    assert not FormDefinition.objects.exists()
    assert not FormVersion.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "不是有效的 JSON：第 1 行"),
        ('{"versions": []}', "文件缺少 definition"),
        ('{"definition": {"key": "x"}}', "文件缺少 versions"),
    ],
)
def test_import_of_malformed_document_is_an_error(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        forms("import", str(path))
    assert not FormDefinition.objects.exists()


def _deep(depth: int) -> str:
    return "[" * depth + "]" * depth


UNUSABLE_FILES = {
    "array": b"[1, 2]",
    "deep nesting": _deep(100_000).encode(),
    "deep nesting in the definition": (
        '{"definition": {"key": "x", "title": "t", "extra": ' + _deep(900) + '}, "versions": []}'
    ).encode(),
    "not UTF-8": b'\xff\xfe{"definition": {}}',
    "GBK": '{"definition": {"key": "x", "title": "表单"}}'.encode("gbk"),
    "definition null": b'{"definition": null, "versions": []}',
    "versions null": b'{"definition": {"key": "x", "title": "t"}, "versions": null}',
    "version null": b'{"definition": {"key": "x", "title": "t"}, "versions": [null]}',
    "schema null": b'{"definition": {"key": "x", "title": "t"}, "versions": [{"schema": null}]}',
    "too large": b'{"definition": {"key": "x", "title": "' + b" " * (6 * 1024 * 1024) + b'"}}',
}


@pytest.mark.parametrize("command", ["import", "validate"])
@pytest.mark.parametrize("name", list(UNUSABLE_FILES))
def test_an_unusable_file_is_refused_in_one_chinese_line_with_exit_code_2(tmp_path, command, name):
    """Issue 8, item 11: arrays, deep nesting, non-UTF-8 bytes, nulls and huge files printed
    tracebacks (or were accepted); each is one line saying why, exit status 2, nothing created."""
    path = tmp_path / "bad.json"
    path.write_bytes(UNUSABLE_FILES[name])
    with pytest.raises(CommandError) as info:
        call_command("forms", command, str(path), stdout=io.StringIO())
    message = str(info.value)
    assert info.value.returncode == 2 and "\n" not in message and "Traceback" not in message
    assert any("\u4e00" <= character <= "\u9fff" for character in message)
    assert not FormDefinition.objects.exists()


def test_import_of_missing_file_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="文件不存在"):
        forms("import", str(tmp_path / "missing.json"))


# --- score --------------------------------------------------------------------------------------


def test_score_prints_hand_computed_result(loaded, tmp_path):
    result = json.loads(forms("score", KEY, write_json(tmp_path / "answers.json", INNOVATION_ANSWERS)))
    assert result["definition"] == KEY
    assert result["version"] == 1
    # IP C: 10; R&D 30/1000 = 3 % → [3, 5): 15; growth (700-600)/600 = 16.67 % → ≥15: 20;
    # debt 550/1000 = 55 % → ≤55: 10; strategic field: 10; main share 70 % → ≥70: 20.
    assert {
        key: item_points(result, key)
        for key in ("ip", "rd_ratio", "growth", "debt_ratio", "product_field", "main_share")
    } == {"ip": 10, "rd_ratio": 15, "growth": 20, "debt_ratio": 10, "product_field": 10, "main_share": 20}
    assert {k: g["points"] for k, g in result["groups"].items()} == {
        "innovation": 25,
        "growth": 30,
        "specialization": 30,
    }
    assert result["total"] == 85
    assert result["outcome"]["key"] == "qualified"
    assert result["outcome"]["label"] == "符合创新型中小企业公告条件"
    assert result["explanation"][-2:] == ["总分 85 分（满分 100）", "结果：符合创新型中小企业公告条件"]
    assert (
        "②上年度研发费用占营业收入比重：研发费用占营业收入比重（%） = 3，属于“3%–5%”档，得 15 分"
        in result["explanation"]
    )


def item_points(result: dict, key: str):
    return next(i["points"] for i in result["items"] if i["key"] == key)


def test_score_accepts_an_answers_wrapper(loaded, tmp_path):
    path = write_json(tmp_path / "answers.json", {"answers": INNOVATION_ANSWERS})
    assert json.loads(forms("score", KEY, path))["total"] == 85


def test_score_with_version_selects_an_older_version(loaded, tmp_path):
    exported = json.loads(forms("export", KEY))
    exported["version"]["schema"]["scoring"]["max_total"] = 50
    forms("import", write_json(tmp_path / "v2.json", exported))
    forms("publish", KEY)
    answers = write_json(tmp_path / "answers.json", INNOVATION_ANSWERS)
    assert json.loads(forms("score", KEY, answers))["total"] == 50
    old = json.loads(forms("score", KEY, answers, "--version", "1"))
    assert (old["version"], old["total"]) == (1, 85)


def test_score_with_non_object_answers_is_an_error(loaded, tmp_path):
    with pytest.raises(CommandError, match="答案文件必须是 JSON 对象"):
        forms("score", KEY, write_json(tmp_path / "answers.json", [1, 2]))


def test_score_with_bad_context_json_is_an_error(loaded, tmp_path):
    answers = write_json(tmp_path / "answers.json", INNOVATION_ANSWERS)
    with pytest.raises(CommandError, match="--context 必须是 JSON 对象"):
        forms("score", KEY, answers, "--context", "{province")


@pytest.mark.parametrize("context", ['["440000"]', '"440000"', "3"])
def test_score_with_non_object_context_is_an_error(loaded, tmp_path, context):
    answers = write_json(tmp_path / "answers.json", INNOVATION_ANSWERS)
    with pytest.raises(CommandError, match="--context 必须是 JSON 对象"):
        forms("score", KEY, answers, "--context", context)


# --- validate -------------------------------------------------------------------------------------


def test_validate_of_shipped_file_has_no_errors():
    assert forms("validate", str(FORMS_DIR / f"{KEY}.json")).strip() == "没有发现错误"


def test_validate_of_bad_file_prints_issues_and_fails(tmp_path):
    document = json.loads((FORMS_DIR / f"{KEY}.json").read_text(encoding="utf-8"))
    document["versions"][0]["schema"]["scoring"]["items"][1]["bands"][0].pop("min_inclusive")
    document["versions"][0]["schema"].pop("title")
    out = io.StringIO()
    with pytest.raises(CommandError) as info:
        call_command("forms", "validate", write_json(tmp_path / "bad.json", document), stdout=out)
    assert str(info.value) == "共 2 处错误"
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    assert all(line.startswith("v1: ") for line in lines)
    assert any("[bound_inclusivity_missing]" in line for line in lines)


def test_validate_of_bare_schema(tmp_path):
    out = io.StringIO()
    with pytest.raises(CommandError, match="共 1 处错误"):
        call_command("forms", "validate", write_json(tmp_path / "s.json", {"format": 3}), stdout=out)
    assert out.getvalue().startswith("schema: ")
    assert "[unsupported_format]" in out.getvalue()


def test_validate_of_invalid_json_is_an_error(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text("[1,", encoding="utf-8")
    with pytest.raises(CommandError, match="不是有效的 JSON"):
        forms("validate", str(path))
