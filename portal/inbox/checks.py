"""System checks of the inbox settings.

- ``inbox.E001``: ``INBOX_SMS_CATEGORIES`` names something that is not a message category (a typo
  would silently send no SMS for the category meant).
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register

from .models import MessageCategory


@register()
def check_sms_categories(app_configs=None, **kwargs):
    unknown = sorted(set(settings.INBOX_SMS_CATEGORIES) - set(MessageCategory.values))
    if unknown:
        return [
            Error(
                f"INBOX_SMS_CATEGORIES names unknown message categories: {', '.join(unknown)}",
                hint=f"Choose from: {', '.join(MessageCategory.values)} (comma separated).",
                id="inbox.E001",
            )
        ]
    return []
