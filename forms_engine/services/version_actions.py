"""The designer's decide flows on the action primitive (:class:`forms_engine.actions.Action`), one
class per verb, like the reviewers' (``portal.review.actions``) and the account decisions
(``portal.accounts.actions``):

- :class:`ApproveFormVersionAction` — 批准 the pending submission of a draft (two-person rule);
- :class:`RejectFormVersionAction` — 退回 it to its author with a comment;
- :class:`PublishFormVersionAction` — publish a draft: the one publish path. From the admin it
  needs an approval of the draft's current content (``require_approval``); the operator paths
  (``manage.py forms publish``, ``forms load``, fixtures) run it with ``require_approval=False``
  and ``skip_permission_checks=True``, saying so explicitly.

Each checks the permission (``forms_engine.approve_formversion`` / ``publish_formversion``), locks
the version, changes it and writes the Wagtail audit entry in one transaction. Refusals raise
:class:`FormVersionApprovalError` (an :class:`ActionError`: ``comment_required``, ``not_pending``,
``self_approval``, ``stale``, ``not_approved``), :class:`FormVersionStateError` or
``SchemaValidationError``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from wagtail.log_actions import log

from forms_engine.actions import Action
from forms_engine.models import FormVersion, FormVersionReview, schema_checksum
from forms_engine.schema import Place, SchemaIssue, SchemaValidationError, parse_schema
from forms_engine.services.errors import FormVersionApprovalError, FormVersionStateError


def approved_review(version: FormVersion) -> FormVersionReview | None:
    """The approval that lets this draft be published: approved for its current checksum."""
    return (
        version.reviews.filter(decision=FormVersionReview.Decision.APPROVED, checksum=version.checksum)
        .order_by("-decided_at")
        .first()
    )


class FormVersionAction(Action):
    permission: ClassVar[str] = ""

    def check_perms(self) -> None:
        if self.user is None or not self.user.has_perm(self.permission):
            raise PermissionDenied

    def lock(self) -> FormVersion:
        return FormVersion.objects.select_for_update().select_related("definition").get(pk=self.object.pk)


class DecideFormVersionAction(FormVersionAction):
    """批准 / 退回 the pending review of a draft, by someone other than its submitter."""

    permission = "forms_engine.approve_formversion"
    decision: ClassVar[str] = ""

    def __init__(self, version: FormVersion, *, user: Any, comment: str = "", **kwargs: Any):
        super().__init__(version, user=user, **kwargs)
        self.comment = comment

    def _execute(self, locked: FormVersion) -> FormVersionReview:
        review = (
            locked.reviews.select_for_update().filter(decision=FormVersionReview.Decision.PENDING).first()
        )
        if locked.status != FormVersion.Status.DRAFT or review is None:
            raise FormVersionApprovalError("该版本没有待审批的提交。", code="not_pending")
        if (
            review.submitted_by_id is not None
            and self.user is not None
            and review.submitted_by_id == self.user.pk
        ):
            raise FormVersionApprovalError(
                "不能审批自己提交的版本，请由另一位政策人员审批。", code="self_approval"
            )
        if review.checksum != locked.checksum:
            raise FormVersionApprovalError("提交审批后草稿又被修改，请作者重新提交审批。", code="stale")
        review.decision, review.decided_by, review.decided_at = self.decision, self.user, timezone.now()
        review.comment = self.comment
        review.save(update_fields=["decision", "decided_by", "decided_at", "comment"])
        return review

    def log_data(self, locked: FormVersion, result: FormVersionReview) -> dict[str, Any]:
        return {"number": locked.number, "checksum": locked.checksum, "comment": self.comment}


class ApproveFormVersionAction(DecideFormVersionAction):
    decision = FormVersionReview.Decision.APPROVED
    log_action = "forms_engine.approve"


class RejectFormVersionAction(DecideFormVersionAction):
    decision = FormVersionReview.Decision.REJECTED
    log_action = "forms_engine.reject"

    def check(self) -> None:
        if not self.comment.strip():
            raise FormVersionApprovalError("退回时请填写审批意见。", code="comment_required")


class PublishFormVersionAction(FormVersionAction):
    """Publish a draft: it becomes the current version for its purpose; the previous current
    version of the same purpose is retired (versions of other purposes stay in force). Existing
    submissions stay pinned to the version they were started on."""

    permission = "forms_engine.publish_formversion"
    log_action = "wagtail.publish"

    def __init__(
        self,
        version: FormVersion,
        *,
        user: Any = None,
        effective_date: dt.date | None = None,
        require_approval: bool = True,
        skip_permission_checks: bool = False,
    ):
        super().__init__(version, user=user, skip_permission_checks=skip_permission_checks)
        self.effective_date = effective_date
        self.require_approval = require_approval

    def _execute(self, locked: FormVersion) -> FormVersion:
        if (
            self.require_approval
            and locked.status == FormVersion.Status.DRAFT
            and approved_review(locked) is None
        ):
            raise FormVersionApprovalError(
                "该版本尚未通过审批（或审批后又被修改），不能发布。", code="not_approved"
            )
        if locked.status != FormVersion.Status.DRAFT:
            raise FormVersionStateError(
                f"只有草稿可以发布，v{locked.number} 当前为“{locked.get_status_display()}”。"
            )
        parse_schema(locked.schema)
        if schema_checksum(locked.schema) != locked.checksum:
            raise SchemaValidationError(
                [
                    SchemaIssue(
                        "checksum_mismatch", "表单结构与校验和不符，可能被直接修改过", Place(part="checksum")
                    )
                ]
            )
        now = timezone.now()
        previous = FormVersion.objects.select_for_update().filter(
            definition=locked.definition, purpose=locked.purpose, status=FormVersion.Status.PUBLISHED
        )
        for old in list(previous):
            old.status, old.retired_at = FormVersion.Status.RETIRED, now
            old.save(update_fields=["status", "retired_at", "updated_at"])
            log(
                instance=old,
                action="forms_engine.retire",
                user=self.user,
                data={"replaced_by": locked.number},
            )
        locked.status, locked.published_at, locked.published_by = FormVersion.Status.PUBLISHED, now, self.user
        locked.effective_date = self.effective_date or locked.effective_date or timezone.localdate()
        locked.save()
        return locked

    def log_data(self, locked: FormVersion, result: FormVersion) -> dict[str, Any]:
        return {
            "number": locked.number,
            "checksum": locked.checksum,
            "effective_date": locked.effective_date.isoformat(),
        }
