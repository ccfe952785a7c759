"""Adapter for an HTTP SMS gateway: POSTs JSON ``{"phone", "text", "sign"}`` to ``SMS_HTTP_URL``
with ``Authorization: Bearer SMS_HTTP_TOKEN`` and a timeout of ``SMS_HTTP_TIMEOUT`` seconds.

Any network error, timeout, non-2xx status or a JSON body with ``"ok": false`` raises SmsSendError.
Gateways with another contract subclass this and override ``payload`` / ``accepted``.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request

from django.conf import settings

from portal.accounts.sms import SmsSendError
from portal.core.masking import mask_phone

logger = logging.getLogger(__name__)


class SmsBackend:
    def payload(self, message) -> dict:
        return {"phone": message.phone, "text": message.text, "sign": settings.SMS_SIGN_NAME}

    def accepted(self, status: int, body: bytes) -> bool:
        if not 200 <= status < 300:
            return False
        try:
            data = json.loads(body or b"{}")
        except ValueError:
            return True
        return not (isinstance(data, dict) and data.get("ok") is False)

    def send(self, message) -> None:
        if not settings.SMS_HTTP_URL:
            raise SmsSendError("SMS_HTTP_URL is not set")
        request = urllib.request.Request(
            settings.SMS_HTTP_URL,
            data=json.dumps(self.payload(message), ensure_ascii=False).encode("utf-8"),
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Authorization": f"Bearer {settings.SMS_HTTP_TOKEN}",
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=settings.SMS_HTTP_TIMEOUT) as response:  # noqa: S310
                status, body = response.status, response.read()
        except urllib.error.HTTPError as exc:
            status, body = exc.code, b""
        except (OSError, ValueError) as exc:  # URLError, timeouts, refused connections
            logger.warning("SMS gateway failed for %s: %s", mask_phone(message.phone), exc)
            raise SmsSendError(str(exc)) from exc
        if not self.accepted(status, body):
            logger.warning("SMS gateway refused message to %s: HTTP %s", mask_phone(message.phone), status)
            raise SmsSendError(f"gateway answered HTTP {status}")
