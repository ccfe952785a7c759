"""Account reads: the staff queues of 人工实名认证 and 手机号修改 scoped to the reviewer's region,
counts per status, ownership checks for private files."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from portal.accounts.models import Account, PhoneChangeRequest, RealNameVerification, ReviewStatus
from portal.core.scopes import ALL_REGIONS, covers, region_prefix, staff_region_code


def _scoped(queryset: QuerySet, user) -> QuerySet:
    """Requests whose province lies inside the user's region (``staff_region_code``: the
    审核人员范围). A request is located by its province only (``province_code``, decided by
    ``enterprise_province_code``), so a 省级 or 部级 scope covers it and a county or city scope
    covers none: the same prefix rule as ``portal.core.scopes.covers``."""
    scope = staff_region_code(user)
    if scope is ALL_REGIONS:
        return queryset
    if not scope:
        return queryset.none()
    return queryset.filter(province_code__startswith=region_prefix(scope))


def manual_verification_queue(user) -> QuerySet:
    """人工实名认证 requests the user may see (the permission is checked by the views)."""
    queryset = RealNameVerification.objects.filter(method=RealNameVerification.Method.MANUAL)
    return _scoped(queryset.select_related("user", "reviewed_by", "claimed_from"), user)


def phone_change_queue(user) -> QuerySet:
    """手机号修改（人工核验） requests the user may see."""
    queryset = PhoneChangeRequest.objects.filter(method=PhoneChangeRequest.Method.MANUAL)
    return _scoped(queryset.select_related("user", "reviewed_by"), user)


def status_counts(queryset: QuerySet) -> dict[str, int]:
    """Requests per status of ``queryset`` (one grouped query; every status present)."""
    counts = {status.value: 0 for status in ReviewStatus}
    rows = queryset.order_by().values("status").annotate(n=Count("pk"))
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def can_review(user, obj, action: str = "view") -> bool:
    """Staff with the model permission whose region covers the object's province (or a
    superuser)."""
    if not user.is_authenticated or not user.is_staff and not user.is_superuser:
        return False
    if not user.has_perm(f"accounts.{action}_{obj._meta.model_name}"):
        return False
    return covers(staff_region_code(user), obj.province_code)


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
