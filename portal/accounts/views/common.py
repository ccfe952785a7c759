"""Helpers shared by the account views: 【获取验证码】 handling and keeping what was typed."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError

from portal.accounts.codes import SMS_SEND_FAILED_MESSAGE, SmsThrottledError, issue_sms_code
from portal.accounts.sms import SmsSendError
from portal.accounts.throttles import client_ip

AUTH_BACKEND = "portal.accounts.backends.LoginNameBackend"


def send_code(request, form, *, phone: str | None, purpose: str) -> bool:
    """Issue a code (``phone`` None = send nothing, say nothing) and report errors on ``form``."""
    if phone is None:
        return True
    try:
        issue_sms_code(phone=phone, purpose=purpose, ip=client_ip(request))
    except SmsThrottledError as exc:
        form.add_error(None, exc)
        return False
    except SmsSendError:
        form.add_error(None, ValidationError(SMS_SEND_FAILED_MESSAGE, code="sms_send_failed"))
        return False
    request.sms_code_sent = True  # the page's script then counts down the resend wait
    request.sms_resend_seconds = settings.SMS_RESEND_SECONDS
    return True


def keep_typed(form, *, drop=("captcha", "password", "password1", "password2", "new_password1",
                              "new_password2", "code", "sms_code", "evidence", "licence")):
    """A fresh form carrying what the user typed (never passwords) after a successful 【获取验证码】."""
    data = form.data.copy()
    for name in drop:
        data.pop(name, None)
        data.pop(f"{name}_0", None)
        data.pop(f"{name}_1", None)
    return data
