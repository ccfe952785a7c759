"""Housekeeping jobs of the portal's own apps (the domain apps register theirs in their ready())."""

from __future__ import annotations

import datetime as dt

from .registry import register_job


@register_job("purge_sms_codes", "清理过期短信验证码", at="03:10")
def purge_sms_codes(*, now: dt.datetime, dry_run: bool) -> dict:
    """SMS codes a day past their expiry (the throttles and tries live in the cache, not here)."""
    from portal.accounts.models import SmsCode

    old = SmsCode.objects.filter(expires_at__lt=now - dt.timedelta(days=1))
    return {"sms_codes": old.count() if dry_run else old.delete()[0]}


@register_job("purge_uploads", "清理未完成的上传", at="03:20")
def purge_uploads(*, now: dt.datetime, dry_run: bool) -> dict:
    """Unfinished evidence uploads past their expiry, orphaned parts, abandoned form uploads."""
    from portal.core.storage import private_storage
    from portal.core.uploads import KeptUploads
    from portal.filings.evidence.services import purge_expired_uploads

    counts = dict(purge_expired_uploads(now=now, dry_run=dry_run))
    removed = 0
    directory = KeptUploads.directory
    if private_storage.exists(directory):
        cutoff = now - dt.timedelta(days=1)
        for name in private_storage.listdir(directory)[1]:
            path = f"{directory}/{name}"
            if private_storage.get_modified_time(path) < cutoff:
                removed += 1
                if not dry_run:
                    private_storage.delete(path)
    counts["kept_uploads"] = removed
    return counts


@register_job("purge_audit_log", "清理超过保存期限的审计日志", at="03:30")
def purge_audit_log(*, now: dt.datetime, dry_run: bool) -> dict:
    from portal.core.audit import purge_audit_log as purge

    return purge(now=now, dry_run=dry_run)
