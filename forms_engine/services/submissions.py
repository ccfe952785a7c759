"""Submissions: start or resume a draft, save progress with optimistic locking, submit."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from wagtail.log_actions import log

from forms_engine.models import (
    FormDefinition,
    FormSubmission,
    FormVersion,
)
from forms_engine.prefill import resolve_prefill
from forms_engine.scoring import score_values
from forms_engine.services.errors import (
    DefinitionNotAvailableError,
    SubmissionClosedError,
    SubmissionConflictError,
    SubmissionInvalidError,
)
from forms_engine.values import clean_answers, to_json

# --- submissions ---------------------------------------------------------------------


def prefilled_answers(*, version: FormVersion, owner: AbstractBaseUser, context: Mapping[str, Any]) -> dict:
    answers: dict[str, Any] = {}
    for field in version.parsed.value_fields:
        if field.default is not None:
            answers[field.key] = to_json(field, field.default)
        if field.prefill:
            value = resolve_prefill(field.prefill, user=owner, context=context)
            if value is not None:
                answers[field.key] = value
    return answers


def start_submission(*, version: FormVersion, owner: AbstractBaseUser,
                     context: Mapping[str, Any] | None = None) -> FormSubmission:
    """A new draft pinned to ``version``, prefilled from registered sources and defaults."""
    if version.status != FormVersion.Status.PUBLISHED:
        raise DefinitionNotAvailableError("只能基于现行版本开始填写。")
    context = dict(context or {})
    submission = FormSubmission.objects.create(
        version=version, owner=owner, context=context,
        answers=prefilled_answers(version=version, owner=owner, context=context),
    )
    return submission


def resume_or_start_submission(*, definition: FormDefinition, owner: AbstractBaseUser,
                               context: Mapping[str, Any] | None = None) -> FormSubmission:
    """The owner's open draft of this form (on whatever version it was started), or a new one
    on the current published version. Raises DefinitionNotAvailableError if nothing is published."""
    with transaction.atomic():
        draft = (FormSubmission.objects.select_for_update()
                 .filter(owner=owner, version__definition=definition, state=FormSubmission.State.DRAFT)
                 .order_by("-updated_at").first())
        if draft is not None:
            return draft
        current = definition.versions.filter(status=FormVersion.Status.PUBLISHED).first()
        if current is None:
            raise DefinitionNotAvailableError(f"“{definition.title}”暂无可填写的现行版本。")
        return start_submission(version=current, owner=owner, context=context)


def save_submission_progress(*, submission: FormSubmission, expected_revision: int,
                             wizard_state: Mapping[str, Any], answers: Mapping[str, Any]) -> FormSubmission:
    """Store a draft's progress (暂存 / step change) if nobody saved it in between.

    Raises SubmissionConflictError if the stored revision moved on (another tab or device),
    SubmissionClosedError if it was submitted.
    """
    with transaction.atomic():
        updated = FormSubmission.objects.filter(
            pk=submission.pk, revision=expected_revision, state=FormSubmission.State.DRAFT,
        ).update(wizard_state=dict(wizard_state), answers=dict(answers), revision=F("revision") + 1,
                 updated_at=timezone.now())
        if not updated:
            current = FormSubmission.objects.get(pk=submission.pk)
            if current.state != FormSubmission.State.DRAFT:
                raise SubmissionClosedError("该表单已提交，不能再修改。")
            raise SubmissionConflictError("该草稿已在其他窗口或设备上保存过，为避免覆盖，本次保存未生效。")
    submission.refresh_from_db()
    return submission


def submit_submission(*, submission: FormSubmission, expected_revision: int | None = None,
                      answers: Mapping[str, Any] | None = None) -> FormSubmission:
    """Validate every step, score, and freeze the submission. Submitting twice is harmless.

    Raises SubmissionInvalidError (with every issue), SubmissionConflictError.
    """
    with transaction.atomic():
        locked = FormSubmission.objects.select_for_update().select_related("version").get(pk=submission.pk)
        if locked.state == FormSubmission.State.SUBMITTED:
            return locked  # a double click or a resent form: already done
        if expected_revision is not None and locked.revision != expected_revision:
            raise SubmissionConflictError("该草稿已在其他窗口或设备上保存过，请刷新后再提交。")
        raw = dict(locked.answers if answers is None else answers)
        schema = locked.version.parsed
        cleaned = clean_answers(schema, raw, context=locked.context)
        if cleaned.issues:
            raise SubmissionInvalidError(cleaned.issues)
        fields = schema.field_map()
        locked.answers = {k: to_json(fields[k], v) for k, v in cleaned.values.items()}
        locked.score = score_values(schema, cleaned.values, context=locked.context).as_dict() \
            if schema.scoring.enabled else None
        locked.state, locked.submitted_at = FormSubmission.State.SUBMITTED, timezone.now()
        locked.revision += 1
        locked.save()
        log(instance=locked, action="forms_engine.submit", user=locked.owner,
            data={"version": locked.version.number, "definition": locked.version.definition.key})
    return locked


