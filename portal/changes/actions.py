"""The reviewers' verbs on 企业重大变更 (one class each on ``forms_engine.actions.Action``).

- :class:`ApproveChangeAction` — 核准 for the reviewer's province; once every province concerned
  has approved, the change is applied to the profile (a dated version) and the enterprise told.
- :class:`RejectChangeAction` — 不予核准, with the reason.
- :class:`ReturnChangeAction` — 退回修改, with the reason: the form reopens on its pinned version.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from forms_engine import services as engine
from forms_engine.actions import Action, ActionError

from . import selectors, services
from .models import MajorChange

State = MajorChange.State


class ChangeReviewAction(Action):
    comment_required: ClassVar[bool] = False

    def __init__(
        self, change: MajorChange, *, user: Any, comment: str = "", skip_permission_checks: bool = False
    ):
        super().__init__(change, user=user, skip_permission_checks=skip_permission_checks)
        self.comment = (comment or "").strip()
        self.provinces = [] if skip_permission_checks else selectors.provinces_user_decides(user, change)

    def check_perms(self) -> None:
        if not self.provinces:
            raise PermissionDenied

    def check(self) -> None:
        if self.comment_required and not self.comment:
            raise ActionError(_("请填写理由。"), code="reason_required")
        if len(self.comment) > 2000:
            raise ActionError(_("意见不能超过 2000 个字。"), code="comment_too_long")

    def lock(self) -> MajorChange:
        change = (
            MajorChange.objects.select_for_update(of=("self",))
            .select_related("enterprise", "submission")
            .get(pk=self.object.pk)
        )
        if change.state != State.PENDING:
            raise ActionError(_("该变更已由他人处理，请刷新后查看。"), code="stale")
        if self.skip_permission_checks:
            self.provinces = [p for p in change.provinces if p not in change.decisions]
        return change

    def _decide(self, change: MajorChange, decision: str) -> None:
        now = timezone.now().isoformat()
        for province in self.provinces:
            change.decisions[province] = {
                "decision": decision,
                "by": self.user.get_username() if self.user else "",
                "at": now,
                "comment": self.comment,
            }

    def _message(self, change: MajorChange, title: str, body: str) -> None:
        from portal.inbox.services import notify

        text = (
            body if not self.comment else body + "\n" + _("审核意见：%(comment)s") % {"comment": self.comment}
        )
        notify(
            enterprise=change.enterprise,
            category="info_update",
            title=title,
            body=text,
            link=reverse("changes:detail", args=[change.pk]),
        )


class ApproveChangeAction(ChangeReviewAction):
    def _execute(self, change: MajorChange) -> MajorChange:
        before = change.state
        self._decide(change, "approved")
        done = all(change.decisions.get(p, {}).get("decision") == "approved" for p in change.provinces)
        if done:
            change.state, change.decided_at = State.APPROVED, timezone.now()
            services.apply_change(change=change, actor=self.user)
        change.save()
        services.record_event(
            change=change,
            action="approve" if done else "approve_partial",
            actor=self.user,
            from_state=before,
            comment=self.comment,
            province=",".join(self.provinces),
            staff=True,
        )
        return change

    def notify(self, change: MajorChange, result: Any) -> None:
        if change.state == State.APPROVED:
            self._message(
                change,
                _("重大变更已核准"),
                _("您报告的“%(type)s”已核准，企业信息已按变更内容更新。")
                % {"type": change.get_change_type_display()},
            )


class RejectChangeAction(ChangeReviewAction):
    comment_required = True

    def _execute(self, change: MajorChange) -> MajorChange:
        before = change.state
        self._decide(change, "rejected")
        change.state, change.decided_at = State.REJECTED, timezone.now()
        change.save()
        services.record_event(
            change=change,
            action="reject",
            actor=self.user,
            from_state=before,
            comment=self.comment,
            province=",".join(self.provinces),
            staff=True,
        )
        return change

    def notify(self, change: MajorChange, result: Any) -> None:
        self._message(
            change,
            _("重大变更不予核准"),
            _("您报告的“%(type)s”不予核准。") % {"type": change.get_change_type_display()},
        )


class ReturnChangeAction(ChangeReviewAction):
    comment_required = True

    def _execute(self, change: MajorChange) -> MajorChange:
        before = change.state
        engine.reopen_submission(submission=change.submission, user=self.user, reason=self.comment)
        change.state, change.decisions = State.RETURNED, {}
        change.save()
        services.record_event(
            change=change,
            action="return",
            actor=self.user,
            from_state=before,
            comment=self.comment,
            province=",".join(self.provinces),
            staff=True,
        )
        return change

    def notify(self, change: MajorChange, result: Any) -> None:
        self._message(
            change,
            _("重大变更被退回修改"),
            _("您报告的“%(type)s”被退回修改，请按审核意见修改后重新提交。")
            % {"type": change.get_change_type_display()},
        )
