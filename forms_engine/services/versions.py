"""Versions: create drafts, edit drafts, publish (the one publish service), retire."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from wagtail.log_actions import log

from forms_engine.models import (
    FormDefinition,
    FormVersion,
    schema_checksum,
)
from forms_engine.schema import (
    CURRENT_FORMAT,
    parse_schema,
    upgrade_schema,
)
from forms_engine.services.errors import (
    FormVersionImmutableError,
    FormVersionStateError,
)

# --- versions ------------------------------------------------------------------------


def _checked_schema(schema: Mapping[str, Any]) -> dict[str, Any]:
    """Validate a schema (raises SchemaValidationError) and return it as stored JSON."""
    schema = dict(schema)
    parse_schema(schema)
    return schema


def create_form_version(
    *,
    definition: FormDefinition,
    schema: Mapping[str, Any],
    created_by: AbstractBaseUser | None = None,
    change_note: str = "",
    policy_basis: str = "",
    effective_date: dt.date | None = None,
    number: int | None = None,
    purpose: str = "",
) -> FormVersion:
    """Create a new draft version (for ``purpose``, "" = general). Raises SchemaValidationError
    when the schema has issues."""
    stored = _checked_schema(schema)
    with transaction.atomic():
        FormDefinition.objects.select_for_update().get(pk=definition.pk)
        if number is None:
            number = (definition.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        version = FormVersion.objects.create(
            definition=definition,
            number=number,
            status=FormVersion.Status.DRAFT,
            schema=stored,
            schema_format=stored.get("format", CURRENT_FORMAT),
            checksum=schema_checksum(stored),
            change_note=change_note,
            policy_basis=policy_basis,
            effective_date=effective_date,
            created_by=created_by,
            purpose=purpose,
        )
        log(
            instance=version,
            action="wagtail.create",
            user=created_by,
            data={"number": number, "checksum": version.checksum},
        )
    return version


def create_draft_from_version(
    *, source: FormVersion, created_by: AbstractBaseUser | None = None, change_note: str = ""
) -> FormVersion:
    """Start a new draft whose schema copies ``source`` (the current or any older version)."""
    return create_form_version(
        definition=source.definition,
        schema=upgrade_schema(source.schema),
        created_by=created_by,
        change_note=change_note or f"基于 v{source.number}",
        policy_basis=source.policy_basis,
        purpose=source.purpose,
    )


def update_form_version(
    *,
    version: FormVersion,
    schema: Mapping[str, Any] | None = None,
    user: AbstractBaseUser | None = None,
    **attrs: Any,
) -> FormVersion:
    """Change a draft's schema or metadata (change_note, policy_basis, effective_date, purpose).

    Raises FormVersionImmutableError for a published/retired version, SchemaValidationError for
    a bad schema.
    """
    allowed = {"change_note", "policy_basis", "effective_date", "purpose"}
    if set(attrs) - allowed:
        raise TypeError(f"cannot update {sorted(set(attrs) - allowed)}")
    with transaction.atomic():
        locked = FormVersion.objects.select_for_update().get(pk=version.pk)
        if locked.status != FormVersion.Status.DRAFT:
            raise FormVersionImmutableError(
                f"v{locked.number} 已发布或已停用，不能修改；请基于它新建草稿版本。"
            )
        if schema is not None:
            stored = _checked_schema(schema)
            locked.schema, locked.schema_format = stored, stored.get("format", CURRENT_FORMAT)
            locked.checksum = schema_checksum(stored)
        for name, value in attrs.items():
            setattr(locked, name, value)
        locked.save()
        log(instance=locked, action="wagtail.edit", user=user, data={"checksum": locked.checksum})
    locked.__dict__.pop("parsed", None)
    return locked


def publish_form_version(
    *, version: FormVersion, user: AbstractBaseUser | None = None, effective_date: dt.date | None = None
) -> FormVersion:
    """Publish a draft — the operator path (CLI, definition documents, fixtures): the one publish
    action (:class:`~forms_engine.services.version_actions.PublishFormVersionAction`) without the
    two-person approval and, explicitly, without a permission check. It becomes the current
    version for its purpose; the previous current version of the same purpose is retired
    (versions of other purposes stay in force).

    Existing submissions are untouched: they stay pinned to the version they were started on.
    Raises FormVersionStateError if not a draft, SchemaValidationError if the schema has issues
    or its stored checksum does not match.
    """
    from forms_engine.services.version_actions import PublishFormVersionAction

    return PublishFormVersionAction(
        version, user=user, effective_date=effective_date, require_approval=False, skip_permission_checks=True
    ).execute()


def retire_form_version(*, version: FormVersion, user: AbstractBaseUser | None = None) -> FormVersion:
    """Stop offering a published version (no version is current afterwards).

    Raises FormVersionStateError unless the version is published.
    """
    with transaction.atomic():
        locked = FormVersion.objects.select_for_update().get(pk=version.pk)
        if locked.status != FormVersion.Status.PUBLISHED:
            raise FormVersionStateError("只有现行版本可以停用。")
        locked.status, locked.retired_at = FormVersion.Status.RETIRED, timezone.now()
        locked.save(update_fields=["status", "retired_at", "updated_at"])
        log(instance=locked, action="forms_engine.retire", user=user)
    return locked
