"""The form designer's writes: frozen keys and the two-person approval before publishing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from forms_engine.diff import frozen_key_violations
from forms_engine.models import (
    FormDefinition,
    FormVersion,
    FormVersionReview,
)
from forms_engine.schema import (
    SchemaIssue,
    SchemaValidationError,
    validate_schema,
)
from forms_engine.schema.parser import validate_shape
from forms_engine.services.errors import (
    FormVersionApprovalError,
    FormVersionStateError,
)

__all__ = [
    "approve_version",
    "approved_review",
    "draft_issues",
    "publish_approved_version",
    "reject_version",
    "save_draft_schema",
    "submit_version_for_approval",
]
from forms_engine.services.version_actions import (
    ApproveFormVersionAction,
    PublishFormVersionAction,
    RejectFormVersionAction,
    approved_review,
)
from forms_engine.services.versions import update_form_version

# --- designer: frozen keys and two-person approval ---------------------------------------


def _frozen_key_issues(*, definition: FormDefinition, schema: Any) -> list[SchemaIssue]:
    """Frozen-key issues of a draft schema; none when the schema cannot be read at all (its
    shape or format): the parser reports that, by place, instead of a crash here."""
    if not isinstance(schema, Mapping) or validate_shape(schema):
        return []
    published = definition.versions.exclude(status=FormVersion.Status.DRAFT).values_list("schema", flat=True)
    return frozen_key_violations(list(published), schema)


def save_draft_schema(
    *, version: FormVersion, schema: Mapping[str, Any], user: AbstractBaseUser | None = None, **attrs: Any
) -> FormVersion:
    """The designer's save: :func:`update_form_version` plus key freezing.

    A field key used by a published or retired version of the definition must keep its type.
    Raises SchemaValidationError (every schema and frozen-key issue), FormVersionImmutableError.
    """
    issues = _frozen_key_issues(definition=version.definition, schema=schema)
    if issues:
        raise SchemaValidationError(issues + validate_schema(dict(schema)))
    return update_form_version(version=version, schema=schema, user=user, **attrs)


def draft_issues(*, version: FormVersion) -> list[SchemaIssue]:
    """Every schema, rule and frozen-key issue of a version (empty when it may be submitted)."""
    return validate_schema(version.schema) + _frozen_key_issues(
        definition=version.definition, schema=version.schema
    )


def submit_version_for_approval(
    *, version: FormVersion, user: AbstractBaseUser, note: str = ""
) -> FormVersionReview:
    """The author asks a second policy-staff member to approve the draft as it is now.

    Raises FormVersionStateError (not a draft), SchemaValidationError (the draft has issues),
    FormVersionApprovalError code ``already_pending`` (a request is open).
    """
    with transaction.atomic():
        locked = FormVersion.objects.select_for_update().select_related("definition").get(pk=version.pk)
        if locked.status != FormVersion.Status.DRAFT:
            raise FormVersionStateError(
                f"只有草稿可以提交审批，v{locked.number} 当前为“{locked.get_status_display()}”。"
            )
        issues = draft_issues(version=locked)
        if issues:
            raise SchemaValidationError(issues)
        pending = locked.reviews.filter(decision=FormVersionReview.Decision.PENDING).first()
        if pending is not None:
            if pending.checksum == locked.checksum:
                raise FormVersionApprovalError("该版本已提交审批，正在等待审批。", code="already_pending")
            # the draft was edited after it was submitted: the old request is void
            pending.decision, pending.decided_at = FormVersionReview.Decision.REJECTED, timezone.now()
            pending.comment = "提交后草稿又被修改，已由新的提交取代。"
            pending.save(update_fields=["decision", "decided_at", "comment"])
        review = FormVersionReview.objects.create(
            version=locked, checksum=locked.checksum, submitted_by=user, note=note
        )
        log(
            instance=locked,
            action="forms_engine.submit_for_approval",
            user=user,
            data={"number": locked.number, "checksum": locked.checksum, "note": note},
        )
    return review


def approve_version(*, version: FormVersion, user: AbstractBaseUser, comment: str = "") -> FormVersionReview:
    """A second policy-staff member approves the pending submission of a draft
    (:class:`ApproveFormVersionAction`).

    Raises PermissionDenied (no ``forms_engine.approve_formversion``), FormVersionApprovalError
    with code ``not_pending``, ``self_approval`` or ``stale``.
    """
    return ApproveFormVersionAction(version, user=user, comment=comment).execute()


def reject_version(*, version: FormVersion, user: AbstractBaseUser, comment: str) -> FormVersionReview:
    """Return the draft to its author with a comment (required) (:class:`RejectFormVersionAction`).

    Raises PermissionDenied, FormVersionApprovalError with code ``comment_required``,
    ``not_pending``, ``self_approval`` or ``stale``.
    """
    return RejectFormVersionAction(version, user=user, comment=comment).execute()


def publish_approved_version(
    *, version: FormVersion, user: AbstractBaseUser | None = None, effective_date: dt.date | None = None
) -> FormVersion:
    """Publish a draft through the admin: only with an approval of its current content
    (:class:`PublishFormVersionAction`, permission ``forms_engine.publish_formversion``).

    The operator paths (``forms publish``, ``forms load``) call :func:`publish_form_version`,
    the same action without the approval step.
    Raises PermissionDenied, FormVersionApprovalError code ``not_approved``, plus what
    publish_form_version raises.
    """
    return PublishFormVersionAction(version, user=user, effective_date=effective_date).execute()
