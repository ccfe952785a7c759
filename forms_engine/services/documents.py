"""Definition files: load fixtures/forms/*.json idempotently, export and import versions."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction

from forms_engine.models import (
    FormDefinition,
    FormVersion,
    schema_checksum,
)
from forms_engine.services.versions import (
    create_form_version,
    publish_form_version,
    retire_form_version,
    update_form_version,
)

# --- definitions from files ------------------------------------------------------------


def ensure_definition(
    *, key: str, title: str, category: str, purpose: str = "", self_service: bool = False
) -> FormDefinition:
    try:
        definition, created = FormDefinition.objects.get_or_create(
            key=key,
            defaults={"title": title, "category": category, "purpose": purpose, "self_service": self_service},
        )
    except IntegrityError:  # created concurrently
        definition, created = FormDefinition.objects.get(key=key), False
    if not created:
        changed = False
        for name, value in (
            ("title", title),
            ("category", category),
            ("purpose", purpose),
            ("self_service", self_service),
        ):
            if getattr(definition, name) != value:
                setattr(definition, name, value)
                changed = True
        if changed:
            definition.save()
    return definition


class DocumentError(ValueError):
    """A definition file that is not shaped as one (the message names what is wrong, in Chinese)."""


@dataclass(frozen=True)
class VersionEntry:
    number: int | None
    status: str
    schema: dict[str, Any]
    attrs: dict[str, Any]  # change_note, policy_basis, effective_date, purpose


@dataclass(frozen=True)
class DefinitionDocument:
    key: str
    title: str
    category: str
    purpose: str
    self_service: bool
    versions: tuple[VersionEntry, ...]


KEY = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
STATUSES = ("draft", "published", "retired")


def _text(raw: Mapping[str, Any], name: str, where: str, limit: int) -> str:
    value = raw.get(name) or ""
    if not isinstance(value, str) or len(value) > limit:
        raise DocumentError(f"{where}{name} 必须是不超过 {limit} 个字的文本")
    return value


def _version_entry(entry: Any, index: int) -> VersionEntry:
    where = f"第 {index} 个版本的 "
    if not isinstance(entry, Mapping):
        raise DocumentError(f"第 {index} 个版本必须是 JSON 对象")
    schema = entry.get("schema")
    if not isinstance(schema, Mapping):
        raise DocumentError(f"{where}schema 必须是 JSON 对象")
    number = entry.get("number")
    if number is not None and (
        isinstance(number, bool) or not isinstance(number, int) or not 0 < number < 10**6
    ):
        raise DocumentError(f"{where}number 必须是正整数")
    status = entry.get("status", "draft")
    if status not in STATUSES:
        raise DocumentError(f"{where}status 只能是 draft、published 或 retired")
    effective = entry.get("effective_date")
    try:
        effective = dt.date.fromisoformat(effective) if effective else None
    except (TypeError, ValueError):
        raise DocumentError(f"{where}effective_date 必须是 YYYY-MM-DD 格式的日期") from None
    purpose = entry.get("purpose") or ""
    if not isinstance(purpose, str) or (purpose and not KEY.match(purpose)):
        raise DocumentError(f"{where}purpose 只能由小写字母、数字和下划线组成")
    return VersionEntry(
        number=number,
        status=status,
        schema=dict(schema),
        attrs={
            "change_note": _text(entry, "change_note", where, 5000),
            "policy_basis": _text(entry, "policy_basis", where, 300),
            "effective_date": effective,
            "purpose": purpose,
        },
    )


def read_document(document: Any) -> DefinitionDocument:
    """A definition file (``fixtures/forms/*.json`` or a ``forms export``) checked for shape.

    Raises DocumentError naming what is wrong (the schemas themselves are checked by the parser).
    """
    if not isinstance(document, Mapping):
        raise DocumentError("文件内容必须是 JSON 对象（含 definition 和 versions）")
    meta = document.get("definition")
    if not isinstance(meta, Mapping):
        raise DocumentError("文件缺少 definition（JSON 对象：key、title、category …）")
    key = meta.get("key")
    if not isinstance(key, str) or not KEY.match(key):
        raise DocumentError("definition.key 必须由小写字母、数字和下划线组成，以字母开头")
    category = meta.get("category", FormDefinition.Category.FILING)
    if category not in FormDefinition.Category.values:
        raise DocumentError("definition.category 只能是 " + "、".join(FormDefinition.Category.values))
    versions = document.get("versions")
    if versions is None and "version" in document:
        versions = [document["version"]]
    if not isinstance(versions, list) or not versions:
        raise DocumentError("文件缺少 versions（版本列表）")
    if len(versions) > 100:
        raise DocumentError("一个文件最多 100 个版本")
    return DefinitionDocument(
        key=key,
        title=_text(meta, "title", "definition.", 200) or key,
        category=category,
        purpose=_text(meta, "purpose", "definition.", 5000),
        self_service=meta.get("self_service") is True,
        versions=tuple(_version_entry(entry, i) for i, entry in enumerate(versions, start=1)),
    )


def _load_entry(
    definition: FormDefinition, entry: VersionEntry, user: AbstractBaseUser | None, report: list[str]
) -> None:
    """Create, update or skip one numbered version, then bring it to the status the file asks."""
    existing = definition.versions.filter(number=entry.number).first() if entry.number is not None else None
    if existing is None:
        version = create_form_version(
            definition=definition, schema=entry.schema, created_by=user, number=entry.number, **entry.attrs
        )
        report.append(f"{definition.key}: 新建 v{version.number}")
    elif existing.checksum == schema_checksum(entry.schema):
        version = existing
    elif existing.status == FormVersion.Status.DRAFT:
        version = update_form_version(version=existing, schema=entry.schema, user=user, **entry.attrs)
        report.append(f"{definition.key}: 更新草稿 v{version.number}")
    else:
        report.append(
            f"{definition.key}: v{entry.number} 已发布，文件内容与之不同，未修改（请用 forms import 新建草稿）"
        )
        return
    if entry.status in ("published", "retired") and version.status == FormVersion.Status.DRAFT:
        version = publish_form_version(
            version=version, user=user, effective_date=entry.attrs["effective_date"]
        )
        report.append(f"{definition.key}: 发布 v{version.number}")
    if entry.status == "retired" and version.status == FormVersion.Status.PUBLISHED:
        retire_form_version(version=version, user=user)
        report.append(f"{definition.key}: 停用 v{version.number}")


def import_definition_document(
    *, document: Any, user: AbstractBaseUser | None = None, as_new_draft: bool = False
) -> list[str]:
    """Load a definition file (``fixtures/forms/*.json`` or a ``forms export``) idempotently.

    With ``as_new_draft`` every schema in the document becomes a new draft version (the
    ``forms import`` behaviour); otherwise versions are matched by number: identical ones are
    skipped, drafts are updated, published ones are never changed (a differing published
    version is reported, not overwritten). Returns human-readable report lines.
    Raises SchemaValidationError for an invalid schema, DocumentError for a malformed document.
    """
    doc = read_document(document)
    report: list[str] = []
    with transaction.atomic():
        definition = ensure_definition(
            key=doc.key,
            title=doc.title,
            category=doc.category,
            purpose=doc.purpose,
            self_service=doc.self_service,
        )
        for entry in doc.versions:
            if as_new_draft:
                version = create_form_version(
                    definition=definition, schema=entry.schema, created_by=user, **entry.attrs
                )
                report.append(f"{definition.key}: 新建草稿 v{version.number}")
            else:
                _load_entry(definition, entry, user, report)
    return report


def export_definition_document(*, version: FormVersion) -> dict[str, Any]:
    """The JSON document ``forms export`` prints and ``forms import`` reads back."""
    definition = version.definition
    return {
        "definition": {
            "key": definition.key,
            "title": definition.title,
            "purpose": definition.purpose,
            "category": definition.category,
            "self_service": definition.self_service,
        },
        "version": {
            "number": version.number,
            "status": version.status,
            "purpose": version.purpose,
            "effective_date": version.effective_date.isoformat() if version.effective_date else None,
            "policy_basis": version.policy_basis,
            "change_note": version.change_note,
            "checksum": version.checksum,
            "schema": version.schema,
        },
    }
