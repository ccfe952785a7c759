"""Every write of the form engine: versions (create, edit drafts, publish, retire) and submissions.

Services are keyword-only, own their transaction and write the audit log (Wagtail's
``log_action``). Published versions are immutable: only :func:`update_form_version` edits a
schema and it refuses anything but a draft; only :func:`publish_form_version` publishes, and it
retires the previous current version in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from wagtail.log_actions import log

from forms_engine.diff import frozen_key_violations
from forms_engine.models import (
    FormDefinition,
    FormSubmission,
    FormVersion,
    FormVersionReview,
    schema_checksum,
)
from forms_engine.prefill import resolve_prefill
from forms_engine.schema import (
    CURRENT_FORMAT,
    Place,
    SchemaIssue,
    SchemaValidationError,
    parse_schema,
    upgrade_schema,
    validate_schema,
)
from forms_engine.scoring import score_values
from forms_engine.values import AnswerIssue, clean_answers, to_json


class FormVersionImmutableError(Exception):
    """A published or retired version cannot be changed."""


class FormVersionStateError(Exception):
    """The version is not in a state that allows this action."""


class DefinitionNotAvailableError(Exception):
    """No published version to fill, or the definition is not self-service."""


class SubmissionConflictError(Exception):
    """Someone saved the draft since this page was loaded (another tab or device)."""


class SubmissionClosedError(Exception):
    """The submission was already submitted and is frozen."""


class FormVersionApprovalError(Exception):
    """The two-person approval rule refuses this step (self-approval, no approval, stale review)."""

    def __init__(self, message: str, *, code: str):
        self.code = code
        super().__init__(message)


class SubmissionInvalidError(Exception):
    def __init__(self, issues: list[AnswerIssue]):
        self.issues = issues
        super().__init__("; ".join(str(i) for i in issues))


# --- versions ------------------------------------------------------------------------


def _checked_schema(schema: Mapping[str, Any]) -> dict[str, Any]:
    """Validate a schema (raises SchemaValidationError) and return it as stored JSON."""
    schema = dict(schema)
    parse_schema(schema)
    return schema


def create_form_version(*, definition: FormDefinition, schema: Mapping[str, Any],
                        created_by: AbstractBaseUser | None = None, change_note: str = "",
                        policy_basis: str = "", effective_date: dt.date | None = None,
                        number: int | None = None) -> FormVersion:
    """Create a new draft version. Raises SchemaValidationError when the schema has issues."""
    stored = _checked_schema(schema)
    with transaction.atomic():
        FormDefinition.objects.select_for_update().get(pk=definition.pk)
        if number is None:
            number = (definition.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        version = FormVersion.objects.create(
            definition=definition, number=number, status=FormVersion.Status.DRAFT, schema=stored,
            schema_format=stored.get("format", CURRENT_FORMAT), checksum=schema_checksum(stored),
            change_note=change_note, policy_basis=policy_basis, effective_date=effective_date,
            created_by=created_by,
        )
        log(instance=version, action="wagtail.create", user=created_by,
            data={"number": number, "checksum": version.checksum})
    return version


def create_draft_from_version(*, source: FormVersion, created_by: AbstractBaseUser | None = None,
                              change_note: str = "") -> FormVersion:
    """Start a new draft whose schema copies ``source`` (the current or any older version)."""
    return create_form_version(definition=source.definition, schema=upgrade_schema(source.schema),
                               created_by=created_by, change_note=change_note or f"基于 v{source.number}",
                               policy_basis=source.policy_basis)


def update_form_version(*, version: FormVersion, schema: Mapping[str, Any] | None = None,
                        user: AbstractBaseUser | None = None, **attrs: Any) -> FormVersion:
    """Change a draft's schema or metadata (change_note, policy_basis, effective_date).

    Raises FormVersionImmutableError for a published/retired version, SchemaValidationError for
    a bad schema.
    """
    allowed = {"change_note", "policy_basis", "effective_date"}
    if set(attrs) - allowed:
        raise TypeError(f"cannot update {sorted(set(attrs) - allowed)}")
    with transaction.atomic():
        locked = FormVersion.objects.select_for_update().get(pk=version.pk)
        if locked.status != FormVersion.Status.DRAFT:
            raise FormVersionImmutableError(f"v{locked.number} 已发布或已停用，不能修改；请基于它新建草稿版本。")
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


def publish_form_version(*, version: FormVersion, user: AbstractBaseUser | None = None,
                         effective_date: dt.date | None = None) -> FormVersion:
    """Publish a draft: it becomes the one current version; the previous one is retired.

    Existing submissions are untouched: they stay pinned to the version they were started on.
    Raises FormVersionStateError if not a draft, SchemaValidationError if the schema has issues
    or its stored checksum does not match.
    """
    with transaction.atomic():
        locked = FormVersion.objects.select_for_update().select_related("definition").get(pk=version.pk)
        if locked.status != FormVersion.Status.DRAFT:
            raise FormVersionStateError(f"只有草稿可以发布，v{locked.number} 当前为“{locked.get_status_display()}”。")
        parse_schema(locked.schema)
        if schema_checksum(locked.schema) != locked.checksum:
            raise SchemaValidationError([SchemaIssue("checksum_mismatch", "表单结构与校验和不符，可能被直接修改过",
                                                     Place(part="checksum"))])
        now = timezone.now()
        previous = list(FormVersion.objects.select_for_update().filter(
            definition=locked.definition, status=FormVersion.Status.PUBLISHED))
        for old in previous:
            old.status, old.retired_at = FormVersion.Status.RETIRED, now
            old.save(update_fields=["status", "retired_at", "updated_at"])
            log(instance=old, action="forms_engine.retire", user=user, data={"replaced_by": locked.number})
        locked.status, locked.published_at, locked.published_by = FormVersion.Status.PUBLISHED, now, user
        locked.effective_date = effective_date or locked.effective_date or timezone.localdate()
        locked.save()
        log(instance=locked, action="wagtail.publish", user=user,
            data={"number": locked.number, "checksum": locked.checksum,
                  "effective_date": locked.effective_date.isoformat()})
    return locked


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


# --- designer: frozen keys and two-person approval ---------------------------------------


def _frozen_key_issues(*, definition: FormDefinition, schema: Mapping[str, Any]) -> list[SchemaIssue]:
    published = definition.versions.exclude(status=FormVersion.Status.DRAFT).values_list("schema", flat=True)
    return frozen_key_violations(list(published), schema)


def save_draft_schema(*, version: FormVersion, schema: Mapping[str, Any], user: AbstractBaseUser | None = None,
                      **attrs: Any) -> FormVersion:
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
    return validate_schema(version.schema) + _frozen_key_issues(definition=version.definition,
                                                                 schema=version.schema)


def submit_version_for_approval(*, version: FormVersion, user: AbstractBaseUser,
                                note: str = "") -> FormVersionReview:
    """The author asks a second policy-staff member to approve the draft as it is now.

    Raises FormVersionStateError (not a draft), SchemaValidationError (the draft has issues),
    FormVersionApprovalError code ``already_pending`` (a request is open).
    """
    with transaction.atomic():
        locked = FormVersion.objects.select_for_update().select_related("definition").get(pk=version.pk)
        if locked.status != FormVersion.Status.DRAFT:
            raise FormVersionStateError(f"只有草稿可以提交审批，v{locked.number} 当前为“{locked.get_status_display()}”。")
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
        review = FormVersionReview.objects.create(version=locked, checksum=locked.checksum, submitted_by=user,
                                                  note=note)
        log(instance=locked, action="forms_engine.submit_for_approval", user=user,
            data={"number": locked.number, "checksum": locked.checksum, "note": note})
    return review


def _decide(*, version: FormVersion, user: AbstractBaseUser, comment: str, decision: str) -> FormVersionReview:
    with transaction.atomic():
        locked = FormVersion.objects.select_for_update().get(pk=version.pk)
        review = locked.reviews.select_for_update().filter(decision=FormVersionReview.Decision.PENDING).first()
        if locked.status != FormVersion.Status.DRAFT or review is None:
            raise FormVersionApprovalError("该版本没有待审批的提交。", code="not_pending")
        if review.submitted_by_id is not None and review.submitted_by_id == user.pk:
            raise FormVersionApprovalError("不能审批自己提交的版本，请由另一位政策人员审批。", code="self_approval")
        if review.checksum != locked.checksum:
            raise FormVersionApprovalError("提交审批后草稿又被修改，请作者重新提交审批。", code="stale")
        review.decision, review.decided_by, review.decided_at = decision, user, timezone.now()
        review.comment = comment
        review.save(update_fields=["decision", "decided_by", "decided_at", "comment"])
        action = "forms_engine.approve" if decision == FormVersionReview.Decision.APPROVED else "forms_engine.reject"
        log(instance=locked, action=action, user=user,
            data={"number": locked.number, "checksum": locked.checksum, "comment": comment})
    return review


def approve_version(*, version: FormVersion, user: AbstractBaseUser, comment: str = "") -> FormVersionReview:
    """A second policy-staff member approves the pending submission of a draft.

    Raises FormVersionApprovalError with code ``not_pending``, ``self_approval`` or ``stale``.
    """
    return _decide(version=version, user=user, comment=comment, decision=FormVersionReview.Decision.APPROVED)


def reject_version(*, version: FormVersion, user: AbstractBaseUser, comment: str) -> FormVersionReview:
    """Return the draft to its author with a comment (required).

    Raises FormVersionApprovalError with code ``comment_required``, ``not_pending``,
    ``self_approval`` or ``stale``.
    """
    if not comment.strip():
        raise FormVersionApprovalError("退回时请填写审批意见。", code="comment_required")
    return _decide(version=version, user=user, comment=comment, decision=FormVersionReview.Decision.REJECTED)


def approved_review(version: FormVersion) -> FormVersionReview | None:
    """The approval that lets this draft be published: approved for its current checksum."""
    return (version.reviews.filter(decision=FormVersionReview.Decision.APPROVED, checksum=version.checksum)
            .order_by("-decided_at").first())


def publish_approved_version(*, version: FormVersion, user: AbstractBaseUser | None = None,
                             effective_date: dt.date | None = None) -> FormVersion:
    """Publish a draft through the admin: only with an approval of its current content.

    The publishing itself is :func:`publish_form_version` (the one publish service); the operator
    paths (``forms publish``, ``forms load``) call it directly, without the approval step.
    Raises FormVersionApprovalError code ``not_approved``, plus what publish_form_version raises.
    """
    with transaction.atomic():
        locked = FormVersion.objects.select_for_update().get(pk=version.pk)
        if locked.status == FormVersion.Status.DRAFT and approved_review(locked) is None:
            raise FormVersionApprovalError("该版本尚未通过审批（或审批后又被修改），不能发布。", code="not_approved")
        return publish_form_version(version=locked, user=user, effective_date=effective_date)


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
