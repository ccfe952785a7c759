"""Prints each message to stdout (phone masked only in logs, never here: this is for a developer)."""

import sys


class SmsBackend:
    def send(self, message) -> None:
        sys.stdout.write(f"SMS to {message.phone}: {message.text}\n")
        sys.stdout.flush()
