"""System checks of the deployment (``manage.py check --deploy``; CI fails on any of them).

- ``portal.E001`` (deploy): the default cache is per process. Throttles, SMS-code tries and the
  login captcha counters live in it; with LocMem each gunicorn worker counts on its own and a
  restart forgets everything, so production needs the shared cache (``CACHE_URL=redis://…``).
- ``portal.E002``: ``TRUSTED_PROXIES`` holds something that is not an IP address or network.
- ``portal.E003``: ``AUDIT_LOG_RETENTION_DAYS`` below 180 days (网络安全法 art. 21).
- ``portal.E004`` (deploy): more than one app server declared (``PORTAL_APP_SERVERS``) while an
  upload storage is a local directory and the operator has not declared it shared
  (``PORTAL_SHARED_FILESYSTEM=1``, e.g. NFS mounted at the same path on every server).
- ``portal.E005`` (deploy): background tasks run in the request (``TASKS_BACKEND=immediate``) or
  nowhere: production needs the task worker (``database`` or ``rq``).
- ``portal.E006`` (deploy): SQLite as the production database (one file on one machine).
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


LOCAL_STORAGE_BACKENDS = (
    "django.core.files.storage.FileSystemStorage",
    "portal.core.storage.PrivateStorage",
    "portal.filings.evidence.storage.PrivateEvidenceStorage",
)
UPLOAD_STORAGES = ("default", "forms_engine_uploads", "evidence", "filing_documents")


@register(Tags.files, deploy=True)
def check_scale_out_storage(app_configs=None, **kwargs):
    servers = int(getattr(settings, "PORTAL_APP_SERVERS", 1) or 1)
    if servers <= 1 or getattr(settings, "PORTAL_SHARED_FILESYSTEM", False):
        return []
    local = [
        alias
        for alias in UPLOAD_STORAGES
        if settings.STORAGES.get(alias, {}).get("BACKEND", "") in LOCAL_STORAGE_BACKENDS
    ]
    if not local:
        return []
    return [
        Error(
            f"PORTAL_APP_SERVERS={servers} but the storages {', '.join(local)} are local directories: an "
            "upload received by one server would be missing on the others.",
            hint="Put MEDIA_ROOT and PRIVATE_MEDIA_ROOT on a shared filesystem mounted on every app server "
            "and set PORTAL_SHARED_FILESYSTEM=1, or use S3-compatible storage (EVIDENCE_S3_*, docs/deployment.md).",
            id="portal.E004",
        )
    ]


@register(deploy=True)
def check_task_worker(app_configs=None, **kwargs):
    backend = settings.TASKS.get("default", {}).get("BACKEND", "")
    if backend.endswith(("ImmediateBackend", "DummyBackend")):
        return [
            Error(
                f"TASKS backend {backend}: background work (evidence checks, scheduled jobs) would run inside "
                "web requests or not at all.",
                hint="TASKS_BACKEND=database (run `manage.py db_worker`) or rq (run `manage.py rqworker`).",
                id="portal.E005",
            )
        ]
    return []


@register(Tags.database, deploy=True)
def check_production_database(app_configs=None, **kwargs):
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        return [
            Error(
                "SQLite is the database: one file on one machine, no concurrent writers.",
                hint="DATABASE_URL=postgres://user:password@host:5432/portal",
                id="portal.E006",
            )
        ]
    return []
