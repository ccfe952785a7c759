"""SMS backends: each has ``send(message: SmsMessage) -> None`` and raises SmsSendError on failure."""
