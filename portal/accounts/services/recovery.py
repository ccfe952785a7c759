"""账号找回 (SPEC F-16, FAQ 3)."""

from __future__ import annotations

import logging

from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from portal.accounts import throttles
from portal.accounts.codes import check_sms_code, issue_sms_code
from portal.accounts.models import Account, SmsCode
from portal.accounts.services.notify import mail_after_commit, sms_after_commit
from portal.core.identity import normalize_uscc

logger = logging.getLogger(__name__)


def find_account_for_recovery(*, identifier: str, name: str) -> Account:
    """The verified account whose USCC (法人) or ID number (自然人) is ``identifier`` and whose legal
    representative (or holder) is ``name``. Raises ValidationError ``info_mismatch`` (信息有误)."""
    key = normalize_uscc(identifier)
    verified = Account.objects.select_related("user").filter(
        verification_status=Account.Status.VERIFIED, real_name=name.strip()
    )
    account = verified.filter(uscc=key).first() or verified.filter(id_number=key).first()
    if account is None:
        raise ValidationError(_("信息有误"), code="info_mismatch")
    return account


def send_recovery_code(*, account: Account, ip: str | None) -> None:
    """The code of 账号找回 to the bound phone. Raises SmsThrottledError, SmsSendError."""
    issue_sms_code(phone=account.phone, purpose=SmsCode.Purpose.RECOVER, ip=ip)


def send_recovery_email(*, account: Account, site_url: str) -> None:
    """Mail Django's password-reset link to the bound email (throttled: one a minute, five a day).
    Raises ValidationError ``email_missing``, EmailThrottledError."""
    if not account.email:
        raise ValidationError(_("该账号未绑定邮箱。"), code="email_missing")
    throttles.reserve_email(account_id=account.pk, kind="recover")
    user = account.user
    path = reverse(
        "accounts:recover_email_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    mail_after_commit(
        account.email,
        _("账号找回"),
        "accounts/email/recover.txt",
        {"link": site_url.rstrip("/") + path, "username": user.get_username()},
    )


def reset_password_by_sms(*, account: Account, code: str, password: str):
    """Set a new password after the code sent to the bound phone; an SMS with the 登录名 follows
    after commit. Raises ValidationError (code errors, password validators)."""
    user = account.user
    validate_password(password, user)
    with transaction.atomic():
        check_sms_code(phone=account.phone, purpose=SmsCode.Purpose.RECOVER, code=code)
        user.set_password(password)
        user.save(update_fields=["password"])
        log(instance=account, action="accounts.account_recovered", user=user, data={"channel": "phone"})
        sms_after_commit(account.phone, "password_reset", {"username": user.get_username()})
    return user


def record_password_reset_by_email(*, user) -> None:
    log(instance=user.account, action="accounts.account_recovered", user=user, data={"channel": "email"})
