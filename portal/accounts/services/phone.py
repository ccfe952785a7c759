"""手机号修改 by 邮箱核验 or 人工核验 (SPEC F-15, FAQ 1).

The page needs no login, so it must not tell strangers about accounts: 【获取验证码】 sends a code
to the *new* phone whatever the login name, and the final submit checks that code before it says
anything about the login name, the bound email or the phone (issue 8: enumeration).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from portal.accounts import throttles
from portal.accounts.backends import find_user_by_login_name
from portal.accounts.codes import check_sms_code, issue_sms_code
from portal.accounts.models import Account, PhoneChangeRequest, ReviewStatus, SmsCode
from portal.accounts.services.notify import mail_after_commit, sms_after_commit
from portal.accounts.services.realname import province_code_for
from portal.accounts.services.registration import has_admin_access
from portal.core.identity import normalize_id_number
from portal.core.masking import mask_phone

logger = logging.getLogger(__name__)

PHONE_CHANGE_SALT = "portal.accounts.phone-change"
PHONE_TAKEN_MESSAGE = _("新手机号已绑定其他账号。")


def _phone_taken(phone: str, *, exclude_user_id: int | None = None) -> bool:
    return Account.objects.filter(phone=phone).exclude(user_id=exclude_user_id).exists()


def send_phone_change_code(*, phone: str, ip: str | None) -> None:
    """【获取验证码】 to the new phone. Says nothing about whether the phone is bound elsewhere (the
    final submit does, once the code proved the phone is the user's). Raises SmsThrottledError,
    SmsSendError."""
    issue_sms_code(phone=phone, purpose=SmsCode.Purpose.PHONE_CHANGE, ip=ip)


def make_phone_change_token(change: PhoneChangeRequest) -> str:
    return signing.dumps({"id": change.pk, "new": change.new_phone}, salt=PHONE_CHANGE_SALT)


def request_phone_change(
    *,
    login_name: str,
    new_phone: str,
    code: str,
    method: str,
    site_url: str,
    name: str = "",
    id_number: str = "",
    evidence=None,
    note: str = "",
) -> PhoneChangeRequest:
    """Start a phone change for the account of ``login_name`` once the new phone's code is right.

    邮箱核验 mails a signed link to the bound email after commit (throttled per account like the
    recovery mail: ``throttles.reserve_email``); 人工核验 queues the request for the staff of the
    enterprise's province.
    Raises ValidationError: code errors first, then ``account_missing``, ``phone_taken``,
    ``email_missing``, ``evidence_required``; EmailThrottledError ``email_too_soon``,
    ``email_daily_limit``.
    """
    check_sms_code(phone=new_phone, purpose=SmsCode.Purpose.PHONE_CHANGE, code=code)
    user = find_user_by_login_name(login_name)
    account = getattr(user, "account", None) if user is not None else None
    if account is None or has_admin_access(user):
        # staff change their phone through a superuser (账号审核 → 工作人员手机号), never here
        raise ValidationError(_("登录名不存在，请核对后重新输入。"), code="account_missing")
    if _phone_taken(new_phone):
        raise ValidationError(PHONE_TAKEN_MESSAGE, code="phone_taken")
    if method == PhoneChangeRequest.Method.EMAIL and not account.email:
        raise ValidationError(_("该账号未绑定邮箱，请选择人工核验。"), code="email_missing")
    if method == PhoneChangeRequest.Method.MANUAL and not evidence:
        raise ValidationError(_("人工核验请上传证明材料。"), code="evidence_required")
    if method == PhoneChangeRequest.Method.EMAIL:
        # anyone holding a phone can ask for a link to a victim's mailbox: one a minute, a few a day
        throttles.reserve_email(account_id=account.pk, kind="phone_change")
    with transaction.atomic():
        change = PhoneChangeRequest.objects.create(
            user=user,
            method=method,
            old_phone=account.phone,
            new_phone=new_phone,
            name=name.strip(),
            id_number=normalize_id_number(id_number),
            evidence=evidence or "",
            note=note,
            province_code=province_code_for(
                user=user, uscc=account.uscc or "", id_number=account.id_number or id_number
            ),
        )
        log(
            instance=change,
            action="accounts.phone_change_requested",
            user=user,
            data={"method": method, "new_phone": mask_phone(new_phone)},
        )
        if method == PhoneChangeRequest.Method.EMAIL:
            link = site_url.rstrip("/") + reverse(
                "accounts:phone_change_confirm", args=[make_phone_change_token(change)]
            )
            mail_after_commit(
                account.email,
                _("手机号修改邮箱核验"),
                "accounts/email/phone_change.txt",
                {
                    "link": link,
                    "username": user.get_username(),
                    "hours": settings.ACCOUNTS_EMAIL_LINK_MAX_AGE // 3600,
                },
            )
    return change


def pending_phone_change_for_token(token: str) -> PhoneChangeRequest:
    """The 邮箱核验 change an emailed link stands for, if it can still be applied.
    Raises ValidationError ``link_invalid`` (garbage, tampered, already used or decided),
    ``link_expired``."""
    try:
        data = signing.loads(token, salt=PHONE_CHANGE_SALT, max_age=settings.ACCOUNTS_EMAIL_LINK_MAX_AGE)
    except signing.SignatureExpired:
        raise ValidationError(_("链接已过期，请重新申请手机号修改。"), code="link_expired") from None
    except signing.BadSignature:
        raise ValidationError(_("链接无效或已使用。"), code="link_invalid") from None
    change = PhoneChangeRequest.objects.filter(
        pk=data.get("id"),
        new_phone=data.get("new"),
        method=PhoneChangeRequest.Method.EMAIL,
        status=ReviewStatus.PENDING,
    ).first()
    if change is None:
        raise ValidationError(_("链接无效或已使用。"), code="link_invalid")
    return change


def confirm_phone_change_by_email(*, token: str) -> PhoneChangeRequest:
    """Apply an 邮箱核验 change from its signed link. Raises ValidationError ``link_invalid``,
    ``link_expired``, ``not_pending``, ``phone_taken``; a failing SMS is logged, not raised."""
    change = pending_phone_change_for_token(token)
    return _apply_phone_change(change=change, actor=change.user, reason="")


def decide_phone_change(
    *, change: PhoneChangeRequest, reviewer, approve: bool, reason: str = ""
) -> PhoneChangeRequest:
    """Staff decision on a 人工核验 phone change: runs ``portal.accounts.actions``'
    ``ApprovePhoneChangeAction`` / ``RejectPhoneChangeAction``. Raises PermissionDenied,
    ValidationError ``reason_required``, ``not_pending``, ``phone_taken``."""
    from portal.accounts.actions import ActionError, decision_for

    action = decision_for(change, approve=approve)(change, user=reviewer, reason=reason)
    try:
        return action.execute()
    except ActionError as exc:
        raise ValidationError(exc.message, code=exc.code) from None


def bind_new_phone(*, change: PhoneChangeRequest) -> Account:
    """Bind ``change.new_phone`` to the applicant's account, inside the caller's transaction (the
    change locked and being approved). Raises ValidationError ``phone_taken``."""
    account = Account.objects.select_for_update().select_related("user").get(user_id=change.user_id)
    if _phone_taken(change.new_phone, exclude_user_id=change.user_id):
        raise ValidationError(PHONE_TAKEN_MESSAGE, code="phone_taken")
    account.phone = change.new_phone
    account.save(update_fields=["phone"])
    return account


def _apply_phone_change(*, change: PhoneChangeRequest, actor, reason: str) -> PhoneChangeRequest:
    """The 邮箱核验 link applied by the applicant themself (staff decisions are actions)."""
    with transaction.atomic():
        change = PhoneChangeRequest.objects.select_for_update().get(pk=change.pk)
        if change.status != ReviewStatus.PENDING:
            raise ValidationError(_("该申请已处理。"), code="not_pending")
        account = bind_new_phone(change=change)
        change.status, change.reason = ReviewStatus.APPROVED, reason.strip()
        change.reviewed_by = actor if actor.pk != change.user_id else None
        change.reviewed_at = timezone.now()
        change.save()
        log(
            instance=change,
            action="accounts.phone_changed",
            user=actor,
            data={
                "method": change.method,
                "old_phone": mask_phone(change.old_phone),
                "new_phone": mask_phone(change.new_phone),
            },
        )
        sms_after_commit(change.new_phone, "phone_changed", {"username": account.user.get_username()})
    return change
