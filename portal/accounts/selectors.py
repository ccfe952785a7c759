"""Account reads: queues scoped to a reviewer's province, ownership checks for private files."""

from __future__ import annotations

from django.db.models import QuerySet

from portal.accounts.models import PhoneChangeRequest, RealNameVerification, ReviewStatus


def staff_province_code(user) -> str | None:
    """``None`` = every province (superuser); ``""`` = none; else the ``xx0000`` code."""
    if not user.is_authenticated or not user.is_active:
        return ""
    if user.is_superuser:
        return None
    region = getattr(user, "staff_region", None)
    try:
        return region.province.code if region else ""
    except Exception:  # noqa: BLE001 - a dangling relation means no scope
        return ""


def _scoped(queryset: QuerySet, user) -> QuerySet:
    province = staff_province_code(user)
    if province is None:
        return queryset
    if not province:
        return queryset.none()
    return queryset.filter(province_code=province)


def manual_verification_queue(user) -> QuerySet:
    queryset = RealNameVerification.objects.filter(method=RealNameVerification.Method.MANUAL)
    return _scoped(queryset.select_related("user", "reviewed_by"), user)


def phone_change_queue(user) -> QuerySet:
    queryset = PhoneChangeRequest.objects.filter(method=PhoneChangeRequest.Method.MANUAL)
    return _scoped(queryset.select_related("user", "reviewed_by"), user)


def can_review(user, obj, action: str = "view") -> bool:
    """Staff with the model permission and the object's province (or a superuser)."""
    if not user.is_authenticated or not user.is_staff and not user.is_superuser:
        return False
    if not user.has_perm(f"accounts.{action}_{obj._meta.model_name}"):
        return False
    province = staff_province_code(user)
    return province is None or (bool(province) and obj.province_code == province)


def can_read_private_file(user, obj) -> bool:
    """Licence images and evidence: the owner, or staff allowed to review the object."""
    return user.is_authenticated and (obj.user_id == user.pk or can_review(user, obj, "view"))


def latest_verification(user) -> RealNameVerification | None:
    return RealNameVerification.objects.filter(user=user).order_by("-created_at", "-pk").first()


def pending_manual_verification(user) -> RealNameVerification | None:
    return RealNameVerification.objects.filter(user=user, method=RealNameVerification.Method.MANUAL,
                                               status=ReviewStatus.PENDING).first()
