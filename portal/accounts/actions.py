"""Staff decisions on account requests (SPEC F-45), one class per verb on the project's action
primitive (:class:`forms_engine.actions.Action`, as the review verbs of ``portal.review.actions``):

- :class:`ApproveRealNameAction` — 通过 a 人工实名认证 (a FAQ 3 认领 included: the holder's
  verification is revoked and the enterprise handed over); the account is verified and a 法人's
  enterprise registered.
- :class:`RejectRealNameAction` — 不通过, with the reason the applicant reads on the 实名认证 page.
- :class:`ApprovePhoneChangeAction` — 通过 a 手机号修改 by 人工核验: the new phone is bound.
- :class:`RejectPhoneChangeAction` — 不通过, with the reason.

Each runs the permission check (the model's ``change`` permission and the request's province inside
the reviewer's region: ``selectors.can_review``), the transition of the locked request (待审核 →
已通过 / 未通过; anything else is ``not_pending``, so a second submit of the same decision changes
nothing), the Wagtail audit entry and the applicant's SMS (after commit) in one transaction.
Errors are :class:`ActionError` with codes ``reason_required``, ``reason_too_long``,
``not_pending``, ``uscc_taken``, ``enterprise_mismatch``, ``phone_taken``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from forms_engine.actions import Action, ActionError
from portal.accounts import selectors
from portal.accounts.models import Account, PhoneChangeRequest, RealNameVerification, ReviewStatus
from portal.accounts.services.notify import sms_after_commit
from portal.core.masking import mask_phone, mask_uscc

REASON_MAX = 2000


class AccountRequestDecision(Action):
    """What the four decisions share: the reviewer, the reason, the pending request."""

    model: ClassVar[type[models.Model]]
    approve: ClassVar[bool] = True

    def __init__(self, obj: Any, *, user: Any, reason: str = "", skip_permission_checks: bool = False):
        super().__init__(obj, user=user, skip_permission_checks=skip_permission_checks)
        self.reason = (reason or "").strip()

    def check_perms(self) -> None:
        if self.user is None or not selectors.can_review(self.user, self.object, "change"):
            raise PermissionDenied

    def check(self) -> None:
        if not self.approve and not self.reason:
            raise ActionError(_("不通过时请填写审核意见。"), code="reason_required")
        if len(self.reason) > REASON_MAX:
            raise ActionError(_("审核意见不能超过 %(n)s 个字。") % {"n": REASON_MAX}, code="reason_too_long")

    def lock(self) -> Any:
        return self.model.objects.select_for_update().select_related("user").get(pk=self.object.pk)

    def _execute(self, request: Any) -> Any:
        if request.status != ReviewStatus.PENDING:
            raise ActionError(
                _("该申请已审核（%(status)s），无需重复提交。") % {"status": request.get_status_display()},
                code="not_pending",
            )
        request.status = ReviewStatus.APPROVED if self.approve else ReviewStatus.REJECTED
        request.reason = self.reason
        request.reviewed_by = self.user
        request.reviewed_at = timezone.now()
        request.save(update_fields=["status", "reason", "reviewed_by", "reviewed_at"])
        try:
            self.apply(request)
        except ValidationError as exc:  # the services' refusals (uscc_taken, phone_taken …)
            raise ActionError(" ".join(exc.messages), code=exc.code or "invalid") from None
        return request

    def apply(self, request: Any) -> None:
        """What the decision changes besides the request (inside the transaction)."""


class ApproveRealNameAction(AccountRequestDecision):
    model = RealNameVerification
    approve = True
    log_action = "accounts.realname_approved"

    def apply(self, verification: RealNameVerification) -> None:
        from portal.accounts.services.realname import approve_identity

        approve_identity(verification=verification, reviewer=self.user)

    def log_data(self, verification, result) -> dict[str, Any]:
        return {
            "method": "manual",
            "claim": verification.is_claim,
            "reason": verification.reason,
            "uscc": mask_uscc(verification.uscc) if verification.uscc else "",
        }

    def notify(self, verification, result) -> None:
        account = Account.objects.get(user_id=verification.user_id)
        sms_after_commit(account.phone, "realname_approved", {"username": verification.user.get_username()})


class RejectRealNameAction(AccountRequestDecision):
    model = RealNameVerification
    approve = False
    log_action = "accounts.realname_rejected"

    def apply(self, verification: RealNameVerification) -> None:
        Account.objects.filter(user_id=verification.user_id).update(
            verification_status=Account.Status.UNVERIFIED
        )

    def log_data(self, verification, result) -> dict[str, Any]:
        return {"method": "manual", "claim": verification.is_claim, "reason": verification.reason}

    def notify(self, verification, result) -> None:
        account = Account.objects.get(user_id=verification.user_id)
        sms_after_commit(account.phone, "realname_rejected", {})


class ApprovePhoneChangeAction(AccountRequestDecision):
    model = PhoneChangeRequest
    approve = True
    log_action = "accounts.phone_changed"

    def apply(self, change: PhoneChangeRequest) -> None:
        from portal.accounts.services.phone import bind_new_phone

        bind_new_phone(change=change)

    def log_data(self, change, result) -> dict[str, Any]:
        return {
            "method": change.method,
            "old_phone": mask_phone(change.old_phone),
            "new_phone": mask_phone(change.new_phone),
        }

    def notify(self, change, result) -> None:
        sms_after_commit(change.new_phone, "phone_changed", {"username": change.user.get_username()})


class RejectPhoneChangeAction(AccountRequestDecision):
    model = PhoneChangeRequest
    approve = False
    log_action = "accounts.phone_change_rejected"

    def log_data(self, change, result) -> dict[str, Any]:
        return {"reason": change.reason, "new_phone": mask_phone(change.new_phone)}

    def notify(self, change, result) -> None:
        # the applicant proved the new phone with a code and may have lost the old one
        sms_after_commit(change.new_phone, "phone_change_rejected", {"reason": change.reason})


DECISIONS: dict[tuple[type[models.Model], bool], type[AccountRequestDecision]] = {
    (RealNameVerification, True): ApproveRealNameAction,
    (RealNameVerification, False): RejectRealNameAction,
    (PhoneChangeRequest, True): ApprovePhoneChangeAction,
    (PhoneChangeRequest, False): RejectPhoneChangeAction,
}


def decision_for(obj: models.Model, *, approve: bool) -> type[AccountRequestDecision]:
    return DECISIONS[(type(obj), approve)]
