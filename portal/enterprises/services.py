"""Every write of enterprise profiles.

- :func:`register_verified_enterprise` — called by the accounts app when a 法人 实名认证 succeeds.
- :func:`update_enterprise_profile` — 【编辑】 (not recognised) or 【信息更新】 (recognised, inside
  the yearly window).
- :func:`reveal_legal_representative_id` — the full ID number, shown on request and logged.
- :func:`transfer_enterprise` — staff approved a FAQ 3 认领: the enterprise changes hands.

Services are keyword-only, own their transaction, store a :class:`EnterpriseProfileVersion` on
every change and write Wagtail's audit log. Audit entries name the fields that changed, never
their values: phone and ID numbers stay out of logs (F-61).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from portal.core.identity import normalize_id_number, normalize_uscc, validate_id_number, validate_uscc
from portal.reference.models import Industry, Region

from .models import Enterprise, EnterpriseProfileVersion
from .selectors import EDITABLE_FIELDS, IDENTITY_FIELDS, profile_snapshot, update_window_status


class EnterpriseRegistrationError(Exception):
    """Base of the errors :func:`register_verified_enterprise` raises."""


class EnterpriseAlreadyClaimedError(EnterpriseRegistrationError):
    """The USCC belongs to an enterprise owned by another account (F-17, FAQ 3)."""

    def __init__(self, uscc: str):
        self.uscc = uscc
        super().__init__(f"USCC {uscc} is already claimed by another account")


class EnterpriseIdentityMismatchError(EnterpriseRegistrationError):
    """The account already owns an enterprise with a different USCC (one account, one enterprise)."""


class ProfileLockedError(Exception):
    """A recognised enterprise's profile is outside the 【信息更新】 window."""

    def __init__(self, *, opens_on: dt.date, closes_on: dt.date):
        self.opens_on = opens_on
        self.closes_on = closes_on
        super().__init__(f"profile update window is closed; it opens on {opens_on.isoformat()}")


class ProfileAccessDeniedError(PermissionDenied):
    """Only the owner of an enterprise may change its profile."""


# Changing these makes a different enterprise for review purposes: for a recognised enterprise they
# go through 企业重大变更 (SPEC F-25), not through 信息更新.
MAJOR_CHANGE_FIELDS = ("region", "industry")


class ProfileFieldNotEditableError(ValueError):
    """A field that is not part of the editable profile (identity fields come from 实名认证)."""

    def __init__(self, fields: list[str]):
        self.fields = fields
        super().__init__(f"not editable through the profile: {', '.join(fields)}")


def _next_version_number(enterprise: Enterprise) -> int:
    # Called with the enterprise row locked (select_for_update), so numbers cannot collide.
    current = enterprise.versions.aggregate(top=Max("number"))["top"] or 0
    return current + 1


def _record_version(
    *, enterprise: Enterprise, user: Any, kind: str, changed_fields: list[str]
) -> EnterpriseProfileVersion:
    return EnterpriseProfileVersion.objects.create(
        enterprise=enterprise,
        number=_next_version_number(enterprise),
        kind=kind,
        data=profile_snapshot(enterprise),
        changed_fields=changed_fields,
        created_by=user,
        created_by_name=user.get_username() if user is not None else "",
    )


@transaction.atomic
def register_verified_enterprise(
    *, user: Any, name: str, uscc: str, legal_representative: str, legal_representative_id: str
) -> Enterprise:
    """Create the enterprise of a freshly verified legal-person account, or return its existing one.

    A repeated verification with the same USCC refreshes name and legal representative (and
    stores a version when they changed).

    Raises ValidationError (codes of ``validate_uscc`` / ``validate_id_number``, ``name_required``,
    ``legal_representative_required``), EnterpriseAlreadyClaimedError when another account owns
    the USCC, EnterpriseIdentityMismatchError when this account already owns another enterprise.
    """
    uscc = normalize_uscc(uscc)
    legal_representative_id = normalize_id_number(legal_representative_id)
    name = (name or "").strip()
    legal_representative = (legal_representative or "").strip()
    validate_uscc(uscc)
    validate_id_number(legal_representative_id)
    if not name:
        raise ValidationError(_("请填写企业名称。"), code="name_required")
    if not legal_representative:
        raise ValidationError(_("请填写法定代表人。"), code="legal_representative_required")
    identity = {
        "name": name,
        "uscc": uscc,
        "legal_representative": legal_representative,
        "legal_representative_id": legal_representative_id,
    }

    existing = Enterprise.objects.select_for_update().filter(owner_id=user.pk).first()
    if existing is not None:
        return _refresh_identity(enterprise=existing, user=user, identity=identity)
    if Enterprise.objects.filter(uscc=uscc).exists():
        raise EnterpriseAlreadyClaimedError(uscc)
    try:
        with transaction.atomic():  # savepoint: a concurrent claim must not break the outer block
            enterprise = Enterprise.objects.create(owner=user, **identity)
    except IntegrityError:
        # Lost a race: either this account's other request created it, or someone claimed the USCC.
        existing = Enterprise.objects.filter(owner_id=user.pk).first()
        if existing is not None and existing.uscc == uscc:
            return existing
        raise EnterpriseAlreadyClaimedError(uscc) from None
    version = _record_version(
        enterprise=enterprise,
        user=user,
        kind=EnterpriseProfileVersion.Kind.VERIFICATION,
        changed_fields=list(IDENTITY_FIELDS[:3]),
    )
    log(instance=enterprise, action="wagtail.create", user=user, data={"version": version.number})
    return enterprise


def _refresh_identity(*, enterprise: Enterprise, user: Any, identity: Mapping[str, str]) -> Enterprise:
    if enterprise.uscc != identity["uscc"]:
        raise EnterpriseIdentityMismatchError(
            f"account {user.pk} already owns the enterprise {enterprise.pk} with another USCC"
        )
    changed = [field for field in IDENTITY_FIELDS if getattr(enterprise, field) != identity[field]]
    if not changed:
        return enterprise
    for field in changed:
        setattr(enterprise, field, identity[field])
    enterprise.save()
    # The ID number is not in snapshots; its change is recorded by name only.
    version = _record_version(
        enterprise=enterprise,
        user=user,
        kind=EnterpriseProfileVersion.Kind.VERIFICATION,
        changed_fields=changed,
    )
    log(
        instance=enterprise,
        action="enterprises.verify",
        user=user,
        data={"version": version.number, "changed_fields": changed},
    )
    return enterprise


def _coerce(name: str, value: Any) -> Any:
    """Region and industry may be given as instances or codes (the form hands over instances)."""
    if name == "region" and value not in (None, "") and not isinstance(value, Region):
        try:
            return Region.objects.get(code=str(value))
        except Region.DoesNotExist:
            raise ValidationError({"region": _("未知的行政区划代码：%(code)s。") % {"code": value}}) from None
    if name == "industry" and value not in (None, "") and not isinstance(value, Industry):
        try:
            return Industry.objects.get(code=str(value))
        except Industry.DoesNotExist:
            raise ValidationError({"industry": _("未知的行业代码：%(code)s。") % {"code": value}}) from None
    if name in ("region", "industry") and value == "":
        return None
    return value


@transaction.atomic
def update_enterprise_profile(
    *, enterprise: Enterprise, user: Any, data: Mapping[str, Any], today: dt.date | None = None
) -> Enterprise:
    """Apply ``data`` (a subset of the editable profile fields) and store a version if anything changed.

    Name, USCC and the legal representative are not editable here: they come from 实名认证.

    Raises ProfileFieldNotEditableError (identity or unknown fields in ``data``),
    ProfileAccessDeniedError (``user`` is not the owner), ProfileLockedError (recognised and
    outside the update window on ``today``), ValidationError (field errors, by field).
    """
    not_editable = sorted(set(data) - set(EDITABLE_FIELDS))
    if not_editable:
        raise ProfileFieldNotEditableError(not_editable)

    locked = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    if user is None or locked.owner_id != user.pk:
        raise ProfileAccessDeniedError("only the owner may change the enterprise profile")
    if locked.is_recognised:
        window = update_window_status(today)
        if not window.is_open:
            raise ProfileLockedError(opens_on=window.start, closes_on=window.end)
        kind = EnterpriseProfileVersion.Kind.ANNUAL_UPDATE
    else:
        kind = EnterpriseProfileVersion.Kind.EDIT

    changed: list[str] = []
    for name in EDITABLE_FIELDS:
        if name not in data:
            continue
        value = _coerce(name, data[name])
        if value is None and not Enterprise._meta.get_field(name).null:
            value = ""
        field = Enterprise._meta.get_field(name)
        current = getattr(locked, field.attname)
        new = value.pk if isinstance(value, Region | Industry) else value
        if current != new:
            if locked.is_recognised and name in MAJOR_CHANGE_FIELDS and current is not None:
                raise ProfileFieldNotEditableError([name])
            setattr(locked, name, value)
            changed.append(name)
    if not changed:
        return locked

    locked.full_clean()
    locked.save()
    version = _record_version(enterprise=locked, user=user, kind=kind, changed_fields=changed)
    log(
        instance=locked,
        action="enterprises.update_profile",
        user=user,
        data={"version": version.number, "kind": kind, "changed_fields": changed},
    )
    return locked


@transaction.atomic
def transfer_enterprise(
    *,
    uscc: str,
    new_owner: Any,
    actor: Any,
    name: str,
    legal_representative: str,
    legal_representative_id: str,
) -> Enterprise | None:
    """Give the enterprise of ``uscc`` to ``new_owner`` after staff approved their claim (FAQ 3):
    the account that had verified the USCC without owning it loses the enterprise.

    Identity fields come from the approved claim; the profile and its versions stay with the
    enterprise. Returns None when no enterprise has this USCC. Raises
    EnterpriseIdentityMismatchError when ``new_owner`` already owns another enterprise.
    """
    enterprise = Enterprise.objects.select_for_update().filter(uscc=normalize_uscc(uscc)).first()
    if enterprise is None:
        return None
    if Enterprise.objects.filter(owner_id=new_owner.pk).exclude(pk=enterprise.pk).exists():
        raise EnterpriseIdentityMismatchError(f"account {new_owner.pk} already owns another enterprise")
    previous_owner_id = enterprise.owner_id
    enterprise.owner = new_owner
    enterprise.name = name.strip()
    enterprise.legal_representative = legal_representative.strip()
    enterprise.legal_representative_id = normalize_id_number(legal_representative_id)
    enterprise.save()
    version = _record_version(
        enterprise=enterprise,
        user=actor,
        kind=EnterpriseProfileVersion.Kind.VERIFICATION,
        changed_fields=["owner", *IDENTITY_FIELDS],
    )
    log(
        instance=enterprise,
        action="enterprises.transfer",
        user=actor,
        data={"version": version.number, "from_user": previous_owner_id, "to_user": new_owner.pk},
    )
    return enterprise


@transaction.atomic
def reveal_legal_representative_id(*, enterprise: Enterprise, user: Any) -> str:
    """The legal representative's full ID number for its owner (the profile masks it), with an
    audit entry that records who looked, never the number (F-61).

    Raises ProfileAccessDeniedError when ``user`` does not own the enterprise.
    """
    if user is None or enterprise.owner_id != user.pk:
        raise ProfileAccessDeniedError("only the owner may reveal the legal representative's ID number")
    log(instance=enterprise, action="enterprises.reveal_legal_representative_id", user=user)
    return enterprise.legal_representative_id


# What an approved 重大变更 may write (portal.changes): identity's name included, whatever the
# 信息更新 window — the change was reviewed.
MAJOR_CHANGE_WRITABLE = ("name", "region", "address", "industry", "main_products")


@transaction.atomic
def apply_major_change(
    *, enterprise: Enterprise, actor: Any, data: Mapping[str, Any], note: str = ""
) -> EnterpriseProfileVersion | None:
    """Write the values of an approved 重大变更 and keep a dated version (kind 重大变更).

    Returns the version, or None when nothing changed. Raises ProfileFieldNotEditableError for a
    field a change may not write, ValidationError for a bad value.
    """
    not_writable = sorted(set(data) - set(MAJOR_CHANGE_WRITABLE))
    if not_writable:
        raise ProfileFieldNotEditableError(not_writable)
    locked = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    changed: list[str] = []
    for name, raw in data.items():
        value = _coerce(name, raw)
        field = Enterprise._meta.get_field(name)
        new = value.pk if isinstance(value, Region | Industry) else value
        if getattr(locked, field.attname) != new:
            setattr(locked, name, value)
            changed.append(name)
    if not changed:
        return None
    locked.full_clean()
    locked.save()
    version = _record_version(
        enterprise=locked, user=actor, kind=EnterpriseProfileVersion.Kind.MAJOR_CHANGE, changed_fields=changed
    )
    log(
        instance=locked,
        action="enterprises.major_change",
        user=actor,
        data={"version": version.number, "changed_fields": changed, "note": note},
    )
    return version
