"""Messages the account services send once their transaction has committed: a rolled-back change
never mails or texts anybody, and a failing gateway never undoes a change (it is logged)."""

from __future__ import annotations

import logging

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string

from portal.accounts.sms import SmsSendError, send_sms
from portal.core.masking import mask_email, mask_phone

logger = logging.getLogger(__name__)


def sms_after_commit(phone: str, template_name: str, context: dict) -> None:
    def deliver():
        try:
            send_sms(phone, template_name, context)
        except SmsSendError:
            logger.warning("notification SMS %s to %s failed", template_name, mask_phone(phone))

    transaction.on_commit(deliver)


def mail_after_commit(address: str, subject: str, template_name: str, context: dict) -> None:
    def deliver():
        try:
            send_mail(str(subject), render_to_string(template_name, context), None, [address])
        except OSError:  # smtplib errors are OSErrors
            logger.warning("mail %s to %s failed", template_name, mask_email(address))

    transaction.on_commit(deliver)
