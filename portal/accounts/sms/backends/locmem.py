"""Keeps messages in ``portal.accounts.sms.outbox`` (tests)."""

from portal.accounts import sms


class SmsBackend:
    def send(self, message) -> None:
        sms.outbox.append(message)
