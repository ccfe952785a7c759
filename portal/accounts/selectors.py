"""Account reads: queues scoped to a reviewer's province, ownership checks for private files."""

from __future__ import annotations

from django.db.models import QuerySet

from portal.accounts.models import Account, PhoneChangeRequest, RealNameVerification, ReviewStatus
from portal.core.scopes import ALL_REGIONS, staff_region_code


def staff_province_code(user) -> str:
    """``PORTAL_STAFF_REGION_RESOLVER``: the province of a (non-superuser) staff member's
    ``StaffRegion``, or "" (none: sees no regional records)."""
    region = getattr(user, "staff_region", None)
    try:
        return region.province.code if region else ""
    except Exception:  # noqa: BLE001 - a dangling relation means no scope
        return ""


def _province_filter(scope: str) -> str:
    # requests carry the province (xx0000) only, so any scope inside a province matches its requests
    return scope[:2] + "0000"


def _scoped(queryset: QuerySet, user) -> QuerySet:
    scope = staff_region_code(user)
    if scope is ALL_REGIONS:
        return queryset
    if not scope:
        return queryset.none()
    return queryset.filter(province_code=_province_filter(scope))


def manual_verification_queue(user) -> QuerySet:
    queryset = RealNameVerification.objects.filter(method=RealNameVerification.Method.MANUAL)
    return _scoped(queryset.select_related("user", "reviewed_by", "claimed_from"), user)


def phone_change_queue(user) -> QuerySet:
    queryset = PhoneChangeRequest.objects.filter(method=PhoneChangeRequest.Method.MANUAL)
    return _scoped(queryset.select_related("user", "reviewed_by"), user)


def can_review(user, obj, action: str = "view") -> bool:
    """Staff with the model permission and the object's province (or a superuser)."""
    if not user.is_authenticated or not user.is_staff and not user.is_superuser:
        return False
    if not user.has_perm(f"accounts.{action}_{obj._meta.model_name}"):
        return False
    scope = staff_region_code(user)
    return scope is ALL_REGIONS or (bool(scope) and obj.province_code == _province_filter(scope))


def can_read_private_file(user, obj) -> bool:
    """Licence images and evidence: the owner, or staff allowed to review the object."""
    return user.is_authenticated and (obj.user_id == user.pk or can_review(user, obj, "view"))


def account_of(user) -> Account | None:
    """The portal account of ``user`` (None for users without one, e.g. some staff)."""
    return Account.objects.filter(user_id=user.pk).select_related("user").first()


def account_by_id(pk: int) -> Account | None:
    return Account.objects.filter(pk=pk).select_related("user").first()


def latest_verification(user) -> RealNameVerification | None:
    return RealNameVerification.objects.filter(user=user).order_by("-created_at", "-pk").first()


def pending_manual_verification(user) -> RealNameVerification | None:
    return RealNameVerification.objects.filter(
        user=user, method=RealNameVerification.Method.MANUAL, status=ReviewStatus.PENDING
    ).first()
