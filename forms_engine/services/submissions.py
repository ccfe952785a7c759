"""Submissions: start or resume, save progress with optimistic locking, submit, reopen for revision.

Host apps (filings, the digital assessment) call these with the submission they own (see
docs/forms-engine.md, "Host contract"); the engine's own self-service pages call them too.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from wagtail.log_actions import log

from forms_engine import host
from forms_engine.models import (
    FormDefinition,
    FormSubmission,
    FormSubmissionRevision,
    FormVersion,
)
from forms_engine.prefill import prefill_sources, resolve_prefill
from forms_engine.scoring import score_values
from forms_engine.services.errors import (
    DefinitionNotAvailableError,
    SubmissionClosedError,
    SubmissionConflictError,
    SubmissionInvalidError,
    SubmissionStateError,
)
from forms_engine.values import clean_answers, to_json

# --- prefill and locked (verified) values ------------------------------------------------------


def prefilled_answers(
    *,
    version: FormVersion,
    owner: AbstractBaseUser,
    context: Mapping[str, Any],
    prefill: Mapping[str, Any] | None = None,
) -> dict:
    """Defaults, then registered prefill sources, then the host's own ``prefill`` values."""
    answers: dict[str, Any] = {}
    for field in version.parsed.value_fields:
        if field.default is not None:
            answers[field.key] = to_json(field, field.default)
        if field.prefill:
            value = resolve_prefill(field.prefill, user=owner, context=context)
            if value is not None:
                answers[field.key] = value
    fields = version.parsed.field_map()
    answers.update({k: v for k, v in (prefill or {}).items() if k in fields})
    return answers


def locked_values(
    *, version: FormVersion, owner: AbstractBaseUser, context: Mapping[str, Any]
) -> dict[str, Any]:
    """Values of fields prefilled from an authoritative source (the verified profile), read now.

    Such fields are read-only in the wizard; these values replace whatever is posted at every
    save and at submit. A source with nothing for this owner locks nothing.
    """
    values = {}
    for field in version.parsed.value_fields:
        if field.prefill and prefill_sources.is_locked(field.prefill):
            value = resolve_prefill(field.prefill, user=owner, context=context)
            if value is not None:
                values[field.key] = value
    return values


def _protected(submission: FormSubmission, answers: Mapping[str, Any]) -> dict[str, Any]:
    """``answers`` with locked values re-read and read-only fields kept as stored."""
    result = dict(answers)
    for field in submission.version.parsed.value_fields:
        if field.readonly and field.stored:
            if field.key in submission.answers:
                result[field.key] = submission.answers[field.key]
            else:
                result.pop(field.key, None)
    result.update(
        locked_values(version=submission.version, owner=submission.owner, context=submission.context)
    )
    return result


# --- start, resume -----------------------------------------------------------------------------


def start_submission(
    *,
    version: FormVersion,
    owner: AbstractBaseUser,
    context: Mapping[str, Any] | None = None,
    prefill: Mapping[str, Any] | None = None,
) -> FormSubmission:
    """A new draft pinned to ``version`` (a published version, of any purpose).

    ``context`` (e.g. ``{"province": "440000"}``) is read in rules as ``ctx_…``; ``prefill`` are
    the host's initial answers (over the registered prefill sources). Raises
    DefinitionNotAvailableError unless the version is published.
    """
    if version.status != FormVersion.Status.PUBLISHED:
        raise DefinitionNotAvailableError("只能基于现行版本开始填写。")
    context = dict(context or {})
    return FormSubmission.objects.create(
        version=version,
        owner=owner,
        context=context,
        answers=prefilled_answers(version=version, owner=owner, context=context, prefill=prefill),
    )


def current_version(definition: FormDefinition, purpose: str = "") -> FormVersion | None:
    """The published version of ``definition`` for ``purpose`` ("" = the general one)."""
    return definition.versions.filter(status=FormVersion.Status.PUBLISHED, purpose=purpose).first()


def resume_or_start_submission(
    *,
    definition: FormDefinition,
    owner: AbstractBaseUser,
    context: Mapping[str, Any] | None = None,
    purpose: str = "",
    prefill: Mapping[str, Any] | None = None,
) -> FormSubmission:
    """The owner's open draft of this form for ``purpose`` (on whatever version it was started),
    or a new one on the current published version for it.

    Raises DefinitionNotAvailableError if nothing is published for that purpose.
    """
    with transaction.atomic():
        draft = (
            FormSubmission.objects.select_for_update()
            .filter(
                owner=owner,
                version__definition=definition,
                version__purpose=purpose,
                state=FormSubmission.State.DRAFT,
            )
            .order_by("-updated_at")
            .first()
        )
        if draft is not None:
            return draft
        current = current_version(definition, purpose)
        if current is None:
            raise DefinitionNotAvailableError(f"“{definition.title}”暂无可填写的现行版本。")
        return start_submission(version=current, owner=owner, context=context, prefill=prefill)


# --- save, submit, reopen -------------------------------------------------------------------------


def save_submission_progress(
    *,
    submission: FormSubmission,
    expected_revision: int,
    wizard_state: Mapping[str, Any],
    answers: Mapping[str, Any],
) -> FormSubmission:
    """Store a draft's progress (暂存 / step change) if nobody saved it in between.

    Locked (verified) values and read-only fields are taken server-side, whatever ``answers`` say.
    Raises SubmissionConflictError if the stored revision moved on (another tab or device),
    SubmissionClosedError if it was submitted.
    """
    answers = _protected(submission, answers)
    now = timezone.now()
    # one statement, atomic by itself: no transaction of its own (two round trips less per save)
    updated = FormSubmission.objects.filter(
        pk=submission.pk,
        revision=expected_revision,
        state=FormSubmission.State.DRAFT,
    ).update(
        wizard_state=dict(wizard_state),
        answers=answers,
        revision=F("revision") + 1,
        updated_at=now,
    )
    if not updated:
        current = FormSubmission.objects.get(pk=submission.pk)
        if current.state != FormSubmission.State.DRAFT:
            raise SubmissionClosedError("该表单已提交，不能再修改。")
        raise SubmissionConflictError("该草稿已在其他窗口或设备上保存过，为避免覆盖，本次保存未生效。")
    # what the row now holds, without reading it back: the update matched exactly this revision
    submission.wizard_state, submission.answers = _as_stored(dict(wizard_state)), _as_stored(answers)
    submission.revision, submission.updated_at = expected_revision + 1, now
    submission.state = FormSubmission.State.DRAFT
    return submission


def _as_stored(value: Any) -> Any:
    """``value`` as the JSON column gives it back (a deep copy; tuples become lists)."""
    return json.loads(json.dumps(value))


def _run_submit_hooks(submission: FormSubmission, result: Any) -> None:
    definition = submission.version.definition
    for hook in host.submit_hooks(definition.key, definition.category):
        hook(submission=submission, result=result)  # may raise SubmissionRefusedError


def _next_revision_number(submission: FormSubmission) -> int:
    return (submission.revisions.aggregate(n=Max("number"))["n"] or 0) + 1


def submit_submission(
    *,
    submission: FormSubmission,
    expected_revision: int | None = None,
    answers: Mapping[str, Any] | None = None,
    user: AbstractBaseUser | None = None,
) -> FormSubmission:
    """Validate every step, score, freeze the submission, keep it in the history and tell the host.

    Submitting twice is harmless. Locked and read-only values are taken server-side. The host's
    submit hooks run inside the transaction. Raises SubmissionInvalidError (with every issue),
    SubmissionConflictError, forms_engine.host.SubmissionRefusedError (a hook refused; nothing
    changed).
    """
    with transaction.atomic():
        locked = (
            FormSubmission.objects.select_for_update()
            .select_related("version__definition", "owner")
            .get(pk=submission.pk)
        )
        if locked.state == FormSubmission.State.SUBMITTED:
            return locked  # a double click or a resent form: already done
        if expected_revision is not None and locked.revision != expected_revision:
            raise SubmissionConflictError("该草稿已在其他窗口或设备上保存过，请刷新后再提交。")
        raw = _protected(locked, locked.answers if answers is None else answers)
        schema = locked.version.parsed
        cleaned = clean_answers(schema, raw, context=locked.context)
        if cleaned.issues:
            raise SubmissionInvalidError(cleaned.issues)
        fields = schema.field_map()
        result = (
            score_values(schema, cleaned.values, context=locked.context) if schema.scoring.enabled else None
        )
        locked.answers = {k: to_json(fields[k], v) for k, v in cleaned.values.items()}
        locked.score = result.as_dict() if result is not None else None
        locked.state, locked.submitted_at = FormSubmission.State.SUBMITTED, timezone.now()
        locked.revision += 1
        locked.save()
        FormSubmissionRevision.objects.create(
            submission=locked,
            number=_next_revision_number(locked),
            version=locked.version,
            answers=locked.answers,
            context=locked.context,
            score=locked.score,
            created_at=locked.submitted_at,
            created_by=user or locked.owner,
        )
        _run_submit_hooks(locked, result)
        log(
            instance=locked,
            action="forms_engine.submit",
            user=user or locked.owner,
            data={"version": locked.version.number, "definition": locked.version.definition.key},
        )
    return locked


def reopen_submission(
    *, submission: FormSubmission, user: AbstractBaseUser | None, reason: str = ""
) -> FormSubmission:
    """Make a submitted submission an editable draft again (退回修改) on the same pinned version.

    Its submitted state stays in the history (with who reopened it, when and why); the version is
    kept even if a newer one was published since. Raises SubmissionStateError unless submitted.
    """
    with transaction.atomic():
        locked = (
            FormSubmission.objects.select_for_update()
            .select_related("version__definition")
            .get(pk=submission.pk)
        )
        if locked.state != FormSubmission.State.SUBMITTED:
            raise SubmissionStateError("只有已提交的表单可以退回修改。", code="not_submitted")
        now = timezone.now()
        latest = locked.revisions.order_by("-number").first()
        if latest is not None:
            latest.reopened_at, latest.reopened_by, latest.reopen_reason = now, user, reason
            latest.save(update_fields=["reopened_at", "reopened_by", "reopen_reason"])
        locked.state, locked.revision = FormSubmission.State.DRAFT, locked.revision + 1
        locked.save(update_fields=["state", "revision", "updated_at"])
        log(
            instance=locked,
            action="forms_engine.reopen",
            user=user,
            data={
                "version": locked.version.number,
                "definition": locked.version.definition.key,
                "reason": reason,
            },
        )
    return locked
