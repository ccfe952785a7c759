"""Operator CLI of the form engine.

  manage.py forms list
  manage.py forms export KEY [--version N]          JSON document to stdout
  manage.py forms import FILE                       validate, create a new draft version
  manage.py forms publish KEY [--version N]         publish the latest draft (same checks as the admin)
  manage.py forms score KEY ANSWERS.json [--version N] [--context '{"province": "440000"}']
  manage.py forms validate FILE                     list every schema issue of a file
  manage.py forms load [--dir fixtures/forms]       load the shipped definitions (idempotent)

A file that cannot be used (missing, not UTF-8, not JSON, nested too deep, too large, not shaped
as a definition) is one Chinese line on stderr and exit status 2 — never a traceback.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from forms_engine import selectors, services
from forms_engine.models import FormDefinition, FormVersion
from forms_engine.schema import SchemaValidationError, validate_schema
from forms_engine.scoring import score

MAX_FILE_BYTES = 5 * 1024 * 1024  # far above any definition (the largest shipped one is 63 KB)
USAGE_ERROR = 2  # exit status of a file that cannot be used


def _refuse(message: str) -> CommandError:
    return CommandError(message, returncode=USAGE_ERROR)


def _read_json(path: str) -> Any:
    """The JSON of a file, or CommandError (exit 2) with one Chinese line saying why not."""
    file = Path(path)
    try:
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _refuse(
                f"{path} 过大（{size / 1024 / 1024:.1f} MB，上限 {MAX_FILE_BYTES // 1024 // 1024} MB）"
            )
        text = file.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise _refuse(f"文件不存在：{path}") from None
    except IsADirectoryError:
        raise _refuse(f"{path} 是目录，不是文件") from None
    except UnicodeDecodeError as exc:
        raise _refuse(f"{path} 不是 UTF-8 编码的文本（第 {exc.start + 1} 个字节无法识别）") from None
    except OSError as exc:
        raise _refuse(f"无法读取 {path}：{exc.strerror}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise _refuse(f"{path} 不是有效的 JSON：第 {exc.lineno} 行第 {exc.colno} 列，{exc.msg}") from None
    except RecursionError:
        raise _refuse(f"{path} 嵌套层次过深，不是有效的表单定义") from None


def _issues_error(exc: SchemaValidationError) -> CommandError:
    lines = [f"  - {issue}" for issue in exc.issues[:200]]
    more = [f"  …另有 {len(exc.issues) - 200} 处"] if len(exc.issues) > 200 else []
    joined = "\n".join(lines + more)
    return CommandError(f"表单结构有 {len(exc.issues)} 处错误：\n{joined}")


def _answers_of(data: Any, version: FormVersion) -> dict[str, Any]:
    """The answer set of a ``forms score`` file: ``{key: value}`` or ``{"answers": {...}}``."""
    if isinstance(data, dict) and "answers" in data and not set(data) & set(version.parsed.field_map()):
        data = data["answers"]
        if not isinstance(data, dict):
            raise _refuse("答案文件中的 answers 必须是 JSON 对象：{字段标识: 值}")
    if not isinstance(data, dict):
        raise _refuse('答案文件必须是 JSON 对象：{字段标识: 值}（或 {"answers": {…}}）')
    if data and not set(data) & set(version.parsed.field_map()):
        raise _refuse(f"答案文件中没有 {version.definition.key} v{version.number} 的任何字段，请检查文件")
    return data


class Command(BaseCommand):
    help = "List, export, import, publish, score and load form definitions."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="every definition with its versions")
        export = sub.add_parser("export", help="print a version as JSON")
        export.add_argument("key")
        export.add_argument("--version", type=int)
        imp = sub.add_parser("import", help="validate a file and create a new draft version")
        imp.add_argument("file")
        publish = sub.add_parser("publish", help="publish the latest draft (or --version N)")
        publish.add_argument("key")
        publish.add_argument("--version", type=int)
        sc = sub.add_parser("score", help="score an answers file and print the result as JSON")
        sc.add_argument("key")
        sc.add_argument("answers")
        sc.add_argument("--version", type=int)
        sc.add_argument("--context", default="{}", help='JSON object, e.g. {"province": "440000"}')
        val = sub.add_parser("validate", help="list the issues of a schema or definition file")
        val.add_argument("file")
        load = sub.add_parser("load", help="load fixtures/forms/*.json (idempotent)")
        load.add_argument("--dir", default=str(settings.BASE_DIR / "fixtures" / "forms"))

    def handle(self, *args, action: str, **options):
        getattr(self, f"do_{action}")(**options)

    # -- helpers ------------------------------------------------------------------------
    def _version(self, key: str, number: int | None, *, default: str = "current") -> FormVersion:
        try:
            definition = FormDefinition.objects.get(key=key)
        except FormDefinition.DoesNotExist:
            raise CommandError(f"没有标识为 {key} 的表单定义（forms list 可查看全部）") from None
        if number is not None:
            version = definition.versions.filter(number=number).first()
            if version is None:
                raise CommandError(f"{key} 没有 v{number}")
            return version
        if default == "draft":
            version = definition.versions.filter(status=FormVersion.Status.DRAFT).order_by("-number").first()
            if version is None:
                raise CommandError(f"{key} 没有草稿版本")
            return version
        version = selectors.current_version(definition) or definition.versions.order_by("-number").first()
        if version is None:
            raise CommandError(f"{key} 还没有任何版本")
        return version

    # -- actions ------------------------------------------------------------------------
    def do_list(self, **options):
        rows = []
        for definition in selectors.list_definitions_with_versions():
            versions = list(selectors.versions_with_submission_counts(definition))
            current = next((v for v in versions if v.status == FormVersion.Status.PUBLISHED), None)
            drafts = [v for v in versions if v.status == FormVersion.Status.DRAFT]
            rows.append(
                (
                    definition.key,
                    definition.title,
                    definition.get_category_display(),
                    f"v{current.number}" if current else "—",
                    ",".join(f"v{v.number}" for v in drafts) or "—",
                    " ".join(f"v{v.number}:{v.submission_count}" for v in versions) or "—",
                    "暂行" if current and current.provisional else "",
                )
            )
        header = ("key", "title", "category", "current", "drafts", "submissions", "")
        widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
        for row in [header] + rows:
            self.stdout.write("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())

    def do_export(self, key: str, version: int | None, **options):
        document = services.export_definition_document(version=self._version(key, version))
        self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))

    def do_import(self, file: str, **options):
        try:
            report = services.import_definition_document(document=_read_json(file), as_new_draft=True)
        except SchemaValidationError as exc:
            raise _issues_error(exc) from None
        except services.DocumentError as exc:
            raise _refuse(str(exc)) from None
        for line in report:
            self.stdout.write(self.style.SUCCESS(line))

    def do_publish(self, key: str, version: int | None, **options):
        target = self._version(key, version, default="draft")
        try:
            published = services.publish_form_version(version=target)
        except services.FormVersionStateError as exc:
            raise CommandError(str(exc)) from None
        except SchemaValidationError as exc:
            raise _issues_error(exc) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"{key}: v{published.number} 已发布，生效日期 {published.effective_date.isoformat()}"
            )
        )

    def do_score(self, key: str, answers: str, version: int | None, context: str, **options):
        target = self._version(key, version)
        data = _answers_of(_read_json(answers), target)
        try:
            ctx = json.loads(context)
        except json.JSONDecodeError:
            ctx = None
        if not isinstance(ctx, dict):
            raise _refuse('--context 必须是 JSON 对象，如 {"province": "440000"}')
        result = score(target.parsed, data, context=ctx)
        for issue in result.issues:
            self.stderr.write(f"{'需补充' if issue.code == 'required' else '有误'}：{issue}")
        unknown = sorted(set(data) - set(target.parsed.field_map()))
        if unknown:
            self.stderr.write("答案文件中有本表单没有的字段（未使用）：" + "、".join(unknown[:20]))
        payload = {"definition": key, "version": target.number, **result.as_dict()}
        self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))

    def do_validate(self, file: str, **options):
        document = _read_json(file)
        if isinstance(document, dict) and ("definition" in document or "versions" in document):
            try:
                doc = services.read_document(document)
            except services.DocumentError as exc:
                raise _refuse(str(exc)) from None
            schemas = [
                (f"v{e.number}" if e.number else f"第 {i} 个版本", e.schema)
                for i, e in enumerate(doc.versions, start=1)
            ]
        elif isinstance(document, dict):
            schemas = [("schema", document)]
        else:
            raise _refuse("文件内容必须是 JSON 对象（表单定义文件，或一个表单结构）")
        problems = 0
        for label, schema in schemas:
            for issue in validate_schema(schema):
                problems += 1
                self.stdout.write(f"{label}: {issue}")
        if problems:
            raise CommandError(f"共 {problems} 处错误")
        self.stdout.write(self.style.SUCCESS("没有发现错误"))

    def do_load(self, dir: str, **options):
        files = sorted(Path(dir).glob("*.json"))
        if not files:
            raise CommandError(f"{dir} 中没有表单定义文件")
        for path in files:
            try:
                report = services.import_definition_document(document=_read_json(str(path)))
            except SchemaValidationError as exc:
                raise CommandError(f"{path.name}: " + str(_issues_error(exc))) from None
            except services.DocumentError as exc:
                raise _refuse(f"{path.name}: {exc}") from None
            for line in report:
                self.stdout.write(line)
        if options.get("verbosity", 1) >= 1:
            self.stdout.write(self.style.SUCCESS(f"表单定义已加载（{len(files)} 个文件）"))
