"""The region a staff member's admin views cover (SPEC F-40, F-61: least privilege).

``staff_region_code(user)`` answers ``None`` (the whole country: superusers), ``""`` (no region:
sees no regional records) or a GB/T 2260 code. ``region_prefix(code)`` is the code prefix every
region inside it shares, for ``__startswith`` filters.

Who has which region is the review app's business (``ReviewerScope``: a county, a prefecture, a
province, or the whole country for a 部级 scope); the resolver is named by the setting
``PORTAL_STAFF_REGION_RESOLVER`` so that the accounts, enterprises and filings admin screens ask
here without importing the review app.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string

ALL_REGIONS = None


def staff_region_code(user) -> str | None:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ""
    if user.is_superuser:
        return ALL_REGIONS
    return import_string(settings.PORTAL_STAFF_REGION_RESOLVER)(user)


def staff_province_code(user) -> str | None:
    """The province whose settings (申报时间, 申报条件, 审核流程, 各省认定设置) ``user`` keeps: a province
    scope gives its province, the whole country (superusers, 部级) every province; a county or a city
    scope keeps no province's settings, whatever groups the account is in (least privilege)."""
    scope = staff_region_code(user)
    if scope is ALL_REGIONS:
        return ALL_REGIONS
    return scope if scope and scope.endswith("0000") else ""


def region_prefix(code: str) -> str:
    """``440000`` → ``44``, ``440300`` → ``4403``, ``440305`` → ``440305`` (GB/T 2260 levels)."""
    code = (code or "").strip()
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


def covers(scope: str | None, region_code: str) -> bool:
    """Whether a staff scope (``staff_region_code``) includes the region ``region_code``."""
    if scope is ALL_REGIONS:
        return True
    return bool(scope) and bool(region_code) and region_code.startswith(region_prefix(scope))
