"""What the account views share: the 【获取验证码】 branch, keeping what was typed, and putting a
service's ValidationError on the field it is about."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError

from portal.accounts.codes import SMS_SEND_FAILED_MESSAGE
from portal.accounts.sms import SmsSendError
from portal.accounts.throttles import SmsThrottledError, client_ip

AUTH_BACKEND = "portal.accounts.backends.LoginNameBackend"
NEVER_KEPT = (
    "captcha",
    "password",
    "password1",
    "password2",
    "new_password1",
    "new_password2",
    "code",
    "sms_code",
    "evidence",
    "licence",
)


def add_service_error(
    form, exc: ValidationError, fields: Mapping[str, str], default: str | None = None
) -> None:
    """Attach a service error to the field its code names (``fields``), else to ``default``."""
    form.add_error(fields.get(exc.code, default), exc)


def keep_typed(form) -> dict:
    """What the user typed (never passwords, codes or files), for a fresh form after a code was sent."""
    data = form.data.copy()
    for name in NEVER_KEPT:
        for key in (name, f"{name}_0", f"{name}_1"):
            data.pop(key, None)
    return data


def handle_send_code(
    request,
    form,
    *,
    send: Callable[[dict, str], None],
    sent_message: str,
    fresh: Callable[[dict], object],
    error_fields: Mapping[str, str] | None = None,
):
    """The 【获取验证码】 branch of every account form.

    ``form`` was built with ``action=send_code`` (only the phone or login name and the 图形验证码
    are validated); ``send(cleaned_data, client_ip)`` calls the service that issues the code.
    Returns the form to render: ``form`` with the error, or ``fresh(initial)`` keeping what was
    typed after a successful send (the page's script then counts down the resend wait).
    """
    if not form.is_valid():
        return form
    try:
        send(form.cleaned_data, client_ip(request))
    except SmsThrottledError as exc:
        form.add_error(None, exc)
        return form
    except SmsSendError:
        form.add_error(None, ValidationError(SMS_SEND_FAILED_MESSAGE, code="sms_send_failed"))
        return form
    except ValidationError as exc:
        add_service_error(form, exc, error_fields or {})
        return form
    request.sms_code_sent = True
    request.sms_resend_seconds = settings.SMS_RESEND_SECONDS
    messages.info(request, sent_message)
    return fresh(keep_typed(form))
