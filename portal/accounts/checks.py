"""Deploy check of the accounts app: ``accounts.W001`` — 实名认证 is approved on the format of the
numbers alone (``ACCOUNTS_LOCAL_RULES_APPROVE``), so anyone may verify as any enterprise
(identity squatting, issue 8). Production leaves it off (manual review) or adds a registry adapter."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def check_local_rules_approval(app_configs=None, **kwargs):
    if settings.ACCOUNTS_LOCAL_RULES_APPROVE:
        return [
            Warning(
                "ACCOUNTS_LOCAL_RULES_APPROVE is on: 实名认证 is approved on well-formed numbers alone, "
                "so anyone can verify as any enterprise.",
                hint="Unset it (claims then go to 人工实名认证) or configure a registry adapter in "
                "ACCOUNTS_VERIFICATION_BACKENDS.",
                id="accounts.W001",
            )
        ]
    return []
