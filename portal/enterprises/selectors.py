"""Reads of enterprise profiles: ownership, completeness, questionnaire, update window, history.

Public:
- :func:`enterprise_for_user` — the user's enterprise or None.
- :func:`missing_profile_fields` / :func:`is_profile_complete` — for the filing flows (F-31).
- :func:`questionnaire_key_for` — which digital questionnaire the enterprise gets (F-35).
- :func:`update_window_status` / :func:`profile_edit_state` — 【编辑】 vs 【信息更新】 (F-21/F-22).
- :func:`profile_snapshot` / :func:`list_profile_versions` — dated versions and their diffs.
- :func:`enterprises_in_region` — the enterprises registered inside a region (reviewer scoping).
- :func:`enterprise_province_code` — the one rule deciding an enterprise's province.
- :func:`enterprises_in_scope` — a queryset cut to a staff member's region (admin scoping).
- :func:`recognition_of` — the recognition in force (level, year, validity) or None.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.identity import uscc_province_code
from portal.core.scopes import ALL_REGIONS, region_prefix
from portal.reference.lookups import RegionLookup
from portal.reference.models import Industry

from .models import Enterprise, EnterpriseProfileVersion, ProfileUpdateWindow

# Written only by register_verified_enterprise (from 实名认证).
IDENTITY_FIELDS: tuple[str, ...] = ("name", "uscc", "legal_representative", "legal_representative_id")
# Written by update_enterprise_profile, in the order of the form.
EDITABLE_FIELDS: tuple[str, ...] = (
    "region",
    "industry",
    "established_on",
    "registered_capital",
    "size_class",
    "employees",
    "contact_name",
    "contact_phone",
    "contact_email",
    "address",
    "main_products",
)
# A profile is complete when all of these are filled (the filing flows require it).
REQUIRED_FIELDS: tuple[str, ...] = ("name", "uscc", "legal_representative", *EDITABLE_FIELDS)

QUESTIONNAIRE_KEYS: dict[str, str] = {
    Industry.QuestionnaireCategory.MANUFACTURING: "digital_manufacturing",
    Industry.QuestionnaireCategory.PRODUCER_SERVICES: "digital_services",
    Industry.QuestionnaireCategory.OTHER: "digital_other",
}


def field_label(name: str) -> str:
    return str(Enterprise._meta.get_field(name).verbose_name)


def enterprise_for_user(user: Any) -> Enterprise | None:
    """The enterprise owned by ``user`` (None for anonymous users and users without one)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return (
        Enterprise.objects.select_related("region__parent__parent", "industry__parent", "owner")
        .filter(owner_id=user.pk)
        .first()
    )


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def missing_profile_fields(enterprise: Enterprise) -> list[str]:
    """Chinese labels of the required profile fields that are still empty, in form order."""
    return [
        field_label(name)
        for name in REQUIRED_FIELDS
        if _is_blank(getattr(enterprise, Enterprise._meta.get_field(name).attname))
    ]


def is_profile_complete(enterprise: Enterprise | None) -> bool:
    return enterprise is not None and not missing_profile_fields(enterprise)


def questionnaire_key_for(enterprise: Enterprise) -> str | None:
    """``digital_manufacturing`` | ``digital_services`` | ``digital_other`` from the industry's
    questionnaire category; None while the industry is not filled in."""
    if enterprise.industry_id is None:
        return None
    category = enterprise.industry.questionnaire_category
    return QUESTIONNAIRE_KEYS.get(category, QUESTIONNAIRE_KEYS[Industry.QuestionnaireCategory.OTHER])


# --- update window ----------------------------------------------------------------------


@dataclass(frozen=True)
class WindowStatus:
    """``start``/``end``: the current window when open, else the next one (both inclusive)."""

    is_open: bool
    start: dt.date
    end: dt.date

    def __iter__(self):  # allows ``is_open, start, end = update_window_status(today)``
        return iter((self.is_open, self.start, self.end))


def _day(year: int, month: int, day: int) -> dt.date:
    """``date(year, month, day)``, with a day past the month's end (2-29) clamped to its last day."""
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def window_status(today: dt.date, start: tuple[int, int], end: tuple[int, int]) -> WindowStatus:
    """Status of a yearly window from ``start`` to ``end`` ((month, day), inclusive) on ``today``."""
    year = today.year
    if start <= end:
        this_start, this_end = _day(year, *start), _day(year, *end)
        if this_start <= today <= this_end:
            return WindowStatus(True, this_start, this_end)
        if today < this_start:
            return WindowStatus(False, this_start, this_end)
        return WindowStatus(False, _day(year + 1, *start), _day(year + 1, *end))
    # wraps the new year: [start of year-1, end of year] and [start of year, end of year+1]
    if today <= _day(year, *end):
        return WindowStatus(True, _day(year - 1, *start), _day(year, *end))
    if today >= _day(year, *start):
        return WindowStatus(True, _day(year, *start), _day(year + 1, *end))
    return WindowStatus(False, _day(year, *start), _day(year + 1, *end))


def update_window_status(today: dt.date | None = None) -> WindowStatus:
    """(is_open, start, end) of the 【信息更新】 window (admin setting) on ``today`` (default: local date)."""
    today = today or timezone.localdate()
    window = ProfileUpdateWindow.load()
    return window_status(today, (window.start_month, window.start_day), (window.end_month, window.end_day))


@dataclass(frozen=True)
class ProfileEditState:
    can_edit: bool
    # "edit" (【编辑】, not recognised) or "annual_update" (【信息更新】, recognised)
    mode: str
    window: WindowStatus


def profile_edit_state(enterprise: Enterprise, today: dt.date | None = None) -> ProfileEditState:
    window = update_window_status(today)
    if not enterprise.is_recognised:
        return ProfileEditState(True, EnterpriseProfileVersion.Kind.EDIT, window)
    return ProfileEditState(window.is_open, EnterpriseProfileVersion.Kind.ANNUAL_UPDATE, window)


# --- snapshots and history --------------------------------------------------------------


def region_label(code: str | None) -> str:
    return RegionLookup().label(code) if code else ""


def profile_snapshot(enterprise: Enterprise) -> dict[str, Any]:
    """JSON snapshot of the profile as stored in a version.

    The legal representative's ID number is kept out: versions are shown in histories and the
    admin, and the number only changes through 实名认证, which is audited there.
    """
    data: dict[str, Any] = {name: getattr(enterprise, name) for name in IDENTITY_FIELDS[:3]}
    data["region"] = enterprise.region.code if enterprise.region_id else None
    data["region_label"] = region_label(data["region"])
    data["industry"] = enterprise.industry.code if enterprise.industry_id else None
    data["industry_label"] = str(enterprise.industry) if enterprise.industry_id else ""
    data["established_on"] = enterprise.established_on.isoformat() if enterprise.established_on else None
    capital = enterprise.registered_capital
    data["registered_capital"] = f"{capital.normalize():f}" if capital is not None else None
    data["size_class"] = enterprise.size_class
    data["size_class_label"] = str(enterprise.get_size_class_display()) if enterprise.size_class else ""
    data["employees"] = enterprise.employees
    for name in ("contact_name", "contact_phone", "contact_email", "address", "main_products"):
        data[name] = getattr(enterprise, name)
    data["is_recognised"] = enterprise.is_recognised
    return data


def snapshot_display(data: dict[str, Any], name: str) -> str:
    """Readable value of field ``name`` in a snapshot (labels for region, industry and size)."""
    label = data.get(f"{name}_label")
    if label:
        return str(label)
    value = data.get(name)
    return "" if value is None else str(value)


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class VersionEntry:
    version: EnterpriseProfileVersion
    changes: list[FieldChange]


def list_profile_versions(enterprise: Enterprise) -> list[VersionEntry]:
    """Versions newest first, each with what changed compared with the version before it."""
    versions = list(
        EnterpriseProfileVersion.objects.filter(enterprise=enterprise)
        .select_related("created_by")
        .order_by("number")
    )
    entries: list[VersionEntry] = []
    previous: dict[str, Any] = {}
    for version in versions:
        changes = [
            FieldChange(
                name,
                field_label(name),
                snapshot_display(previous, name),
                snapshot_display(version.data, name),
            )
            if name in version.data
            # kept out of snapshots (the ID number): say that it changed, not what it is
            else FieldChange(name, field_label(name), "", str(_("已变更")))
            for name in version.changed_fields
        ]
        entries.append(VersionEntry(version, changes))
        previous = version.data
    entries.reverse()
    return entries


def enterprises_in_region(region_code: str) -> QuerySet[Enterprise]:
    """Enterprises registered in the region ``region_code`` or below it (GB/T 2260 prefixes:
    2 digits for a province, 4 for a prefecture, all 6 for a county)."""
    return Enterprise.objects.filter(region__code__startswith=region_prefix(region_code)).select_related(
        "region", "industry"
    )


def enterprise_province_code(enterprise: Enterprise | None, *, uscc: str = "") -> str:
    """The province (``xx0000``) whose staff look after an enterprise — the one rule, used by the
    admin scoping, the real-name and phone-change queues and the review work.

    Its registered region (注册地, F-20) when filled in; else the registration authority's division
    in its USCC (characters 3–4, GB 32100) — never the USCC's first two characters, which are the
    registering department and organisation type (``91…`` for every company). ``uscc`` serves a
    claim made before the enterprise exists.
    """
    if enterprise is not None and enterprise.region_id:
        return enterprise.region.code[:2] + "0000"
    return uscc_province_code(enterprise.uscc if enterprise is not None else uscc)


def enterprises_in_scope(queryset: QuerySet[Enterprise], scope: str | None) -> QuerySet[Enterprise]:
    """``queryset`` cut to the region ``scope`` (``portal.core.scopes.staff_region_code``), by the
    same rule as :func:`enterprise_province_code`."""
    if scope is ALL_REGIONS:
        return queryset
    if not scope:
        return queryset.none()
    prefix = region_prefix(scope)
    return queryset.annotate(_uscc_region=Substr("uscc", 3, 6)).filter(
        Q(region__code__startswith=prefix) | Q(region__isnull=True, _uscc_region__startswith=prefix)
    )


@dataclass(frozen=True)
class Recognition:
    level: str
    level_label: str
    year: int | None
    valid_from: dt.date | None
    valid_until: dt.date | None


def recognition_of(enterprise: Enterprise) -> Recognition | None:
    """What the profile shows of a recognised enterprise; None when it is not recognised."""
    if not enterprise.is_recognised:
        return None
    return Recognition(
        level=enterprise.recognition_level,
        level_label=str(enterprise.get_recognition_level_display()) if enterprise.recognition_level else "",
        year=enterprise.recognition_year,
        valid_from=enterprise.recognition_valid_from,
        valid_until=enterprise.recognition_valid_until,
    )
