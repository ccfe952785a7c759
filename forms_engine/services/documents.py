"""Definition files: load fixtures/forms/*.json idempotently, export and import versions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
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


def ensure_definition(*, key: str, title: str, category: str, purpose: str = "",
                      self_service: bool = False) -> FormDefinition:
    try:
        definition, created = FormDefinition.objects.get_or_create(
            key=key, defaults={"title": title, "category": category, "purpose": purpose,
                               "self_service": self_service})
    except IntegrityError:  # created concurrently
        definition, created = FormDefinition.objects.get(key=key), False
    if not created:
        changed = False
        for name, value in (("title", title), ("category", category), ("purpose", purpose),
                            ("self_service", self_service)):
            if getattr(definition, name) != value:
                setattr(definition, name, value)
                changed = True
        if changed:
            definition.save()
    return definition


def import_definition_document(*, document: Mapping[str, Any], user: AbstractBaseUser | None = None,
                               as_new_draft: bool = False) -> list[str]:
    """Load a definition file (``fixtures/forms/*.json`` or a ``forms export``) idempotently.

    With ``as_new_draft`` every schema in the document becomes a new draft version (the
    ``forms import`` behaviour); otherwise versions are matched by number: identical ones are
    skipped, drafts are updated, published ones are never changed (a differing published
    version is reported, not overwritten). Returns human-readable report lines.
    Raises SchemaValidationError for an invalid schema, ValueError for a malformed document.
    """
    meta = document.get("definition")
    if not isinstance(meta, Mapping) or not meta.get("key"):
        raise ValueError("文件缺少 definition.key")
    versions = document.get("versions")
    if versions is None and "version" in document:
        versions = [document["version"]]
    if not isinstance(versions, list) or not versions:
        raise ValueError("文件缺少 versions")
    report: list[str] = []
    with transaction.atomic():
        definition = ensure_definition(key=meta["key"], title=meta.get("title") or meta["key"],
                                       category=meta.get("category", FormDefinition.Category.FILING),
                                       purpose=meta.get("purpose", ""),
                                       self_service=bool(meta.get("self_service", False)))
        for entry in versions:
            schema = entry.get("schema")
            effective = entry.get("effective_date")
            effective = dt.date.fromisoformat(effective) if effective else None
            attrs = {"change_note": entry.get("change_note", ""), "policy_basis": entry.get("policy_basis", ""),
                     "effective_date": effective}
            if as_new_draft:
                version = create_form_version(definition=definition, schema=schema, created_by=user, **attrs)
                report.append(f"{definition.key}: 新建草稿 v{version.number}")
                continue
            number = entry.get("number")
            existing = definition.versions.filter(number=number).first()
            if existing is None:
                version = create_form_version(definition=definition, schema=schema, created_by=user,
                                              number=number, **attrs)
                report.append(f"{definition.key}: 新建 v{number}")
            elif existing.checksum == schema_checksum(dict(schema)):
                version = existing
            elif existing.status == FormVersion.Status.DRAFT:
                version = update_form_version(version=existing, schema=schema, user=user, **attrs)
                report.append(f"{definition.key}: 更新草稿 v{number}")
            else:
                report.append(f"{definition.key}: v{number} 已发布，文件内容与之不同，未修改（请用 forms import 新建草稿）")
                continue
            wanted = entry.get("status", "draft")
            if wanted in ("published", "retired") and version.status == FormVersion.Status.DRAFT:
                version = publish_form_version(version=version, user=user, effective_date=effective)
                report.append(f"{definition.key}: 发布 v{number}")
            if wanted == "retired" and version.status == FormVersion.Status.PUBLISHED:
                retire_form_version(version=version, user=user)
                report.append(f"{definition.key}: 停用 v{number}")
    return report


def export_definition_document(*, version: FormVersion) -> dict[str, Any]:
    """The JSON document ``forms export`` prints and ``forms import`` reads back."""
    definition = version.definition
    return {
        "definition": {"key": definition.key, "title": definition.title, "purpose": definition.purpose,
                       "category": definition.category, "self_service": definition.self_service},
        "version": {"number": version.number, "status": version.status,
                    "effective_date": version.effective_date.isoformat() if version.effective_date else None,
                    "policy_basis": version.policy_basis, "change_note": version.change_note,
                    "checksum": version.checksum, "schema": version.schema},
    }
