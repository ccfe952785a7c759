"""Sending SMS through the backend named by ``settings.SMS_BACKEND`` (like Django's email backends).

``send_sms(phone, template_name, context)`` renders ``templates/accounts/sms/<template_name>.txt``
(Chinese message texts) and hands it to the backend. Raises ``SmsSendError`` when the backend
could not deliver. ``outbox`` is filled by the locmem backend (tests).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.module_loading import import_string


class SmsSendError(Exception):
    """The backend could not hand the message to the network (gateway down, timeout, refusal)."""


@dataclass(frozen=True)
class SmsMessage:
    phone: str
    text: str
    template_name: str


outbox: list[SmsMessage] = []


def get_backend():
    return import_string(settings.SMS_BACKEND)()


def render_sms(template_name: str, context: dict) -> str:
    text = render_to_string(
        f"accounts/sms/{template_name}.txt", {"sign_name": settings.SMS_SIGN_NAME, **context}
    )
    return " ".join(text.split())


def send_sms(phone: str, template_name: str, context: dict) -> SmsMessage:
    """Render and send one message; raises SmsSendError."""
    message = SmsMessage(phone=phone, text=render_sms(template_name, context), template_name=template_name)
    get_backend().send(message)
    return message
