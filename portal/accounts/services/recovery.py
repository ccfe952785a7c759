"""账号找回 (SPEC F-16, FAQ 3)."""

from __future__ import annotations

import logging

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from portal.accounts.codes import check_sms_code
from portal.accounts.models import (
    Account,
    SmsCode,
)
from portal.accounts.services.phone import _notify
from portal.accounts.validators import normalize_uscc

logger = logging.getLogger(__name__)


def find_account_for_recovery(*, identifier: str, name: str) -> Account:
    """The verified account whose USCC or ID number is ``identifier`` and whose legal representative
    (or holder) is ``name``. Raises ValidationError ``info_mismatch`` (信息有误)."""
    key = normalize_uscc(identifier)
    account = (Account.objects.select_related("user")
               .filter(verification_status=Account.Status.VERIFIED, real_name=name.strip())
               .filter(uscc=key).first()
               or Account.objects.select_related("user")
               .filter(verification_status=Account.Status.VERIFIED, real_name=name.strip(), id_number=key).first())
    if account is None:
        raise ValidationError(_("信息有误"), code="info_mismatch")
    return account


def reset_password_by_sms(*, account: Account, code: str, password: str):
    """Set a new password after the code sent to the bound phone. Raises ValidationError
    (code errors, password validators)."""
    user = account.user
    validate_password(password, user)
    with transaction.atomic():
        check_sms_code(phone=account.phone, purpose=SmsCode.Purpose.RECOVER, code=code)
        user.set_password(password)
        user.save(update_fields=["password"])
        log(instance=account, action="accounts.account_recovered", user=user, data={"channel": "phone"})
    return user


def record_password_reset_by_email(*, user) -> None:
    log(instance=user.account, action="accounts.account_recovered", user=user, data={"channel": "email"})


def notify_password_reset(*, account: Account) -> None:
    _notify(account.phone, "password_reset", {"username": account.user.get_username()})
