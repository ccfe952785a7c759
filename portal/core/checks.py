"""System checks of the deployment (``manage.py check --deploy``; CI fails on any of them).

- ``portal.E001`` (deploy): the default cache is per process. Throttles, SMS-code tries and the
  login captcha counters live in it; with LocMem each gunicorn worker counts on its own and a
  restart forgets everything, so production needs the shared cache (``CACHE_URL=redis://…``).
- ``portal.E002``: ``TRUSTED_PROXIES`` holds something that is not an IP address or network.
- ``portal.E003``: ``AUDIT_LOG_RETENTION_DAYS`` below 180 days (网络安全法 art. 21).
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.core.checks import Error, Tags, register

PER_PROCESS_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@register(Tags.caches, deploy=True)
def check_shared_cache(app_configs=None, **kwargs):
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend in PER_PROCESS_CACHES:
        return [
            Error(
                "The default cache is per process: throttles and SMS-code tries would not hold across "
                "workers or restarts.",
                hint="Set CACHE_URL=redis://host:6379/0 (a cache shared by every app process).",
                id="portal.E001",
            )
        ]
    return []


@register(Tags.security)
def check_trusted_proxies(app_configs=None, **kwargs):
    errors = []
    for proxy in settings.TRUSTED_PROXIES:
        try:
            ipaddress.ip_network(proxy, strict=False)
        except ValueError:
            errors.append(
                Error(
                    f"TRUSTED_PROXIES: {proxy!r} is not an IP address or network.",
                    hint="e.g. TRUSTED_PROXIES=127.0.0.1,10.0.0.0/8",
                    id="portal.E002",
                )
            )
    return errors


@register(Tags.security)
def check_audit_retention(app_configs=None, **kwargs):
    from portal.core.audit import MINIMUM_RETENTION_DAYS

    days = getattr(settings, "AUDIT_LOG_RETENTION_DAYS", 365)
    if int(days) < MINIMUM_RETENTION_DAYS:
        return [
            Error(
                f"AUDIT_LOG_RETENTION_DAYS={days}: audit entries must be kept at least {MINIMUM_RETENTION_DAYS} days.",
                hint="网络安全法第二十一条: keep network logs for no less than six months.",
                id="portal.E003",
            )
        ]
    return []
