"""One file per message in ``settings.SMS_FILE_PATH`` (SPEC F-65): the phone on the first line,
the text on the second. File names sort by time: ``<UTC timestamp>-<phone>-<random>.txt``."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings

from portal.accounts.sms import SmsSendError


class SmsBackend:
    def send(self, message) -> None:
        folder = Path(settings.SMS_FILE_PATH)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        path = folder / f"{stamp}-{message.phone}-{secrets.token_hex(3)}.txt"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path.write_text(f"phone: {message.phone}\ntext: {message.text}\n", encoding="utf-8")
        except OSError as exc:
            raise SmsSendError(str(exc)) from exc
