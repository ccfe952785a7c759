"""Reads of 企业重大变更: the enterprise's own list, the reviewers' queue and per-object checks.

Changes are decided by province-level reviewers (``review.ReviewerScope`` level 省) of the
enterprise's province and, for a move to another province, of the new one; superusers decide for
every province.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from portal.enterprises.models import Enterprise
from portal.filings.states import ReviewLevel
from portal.review.selectors import Scope, scope_of

from .models import MajorChange

State = MajorChange.State


def changes_of_enterprise(enterprise: Enterprise | None, change_type: str = "") -> QuerySet[MajorChange]:
    if enterprise is None:
        return MajorChange.objects.none()
    queryset = MajorChange.objects.filter(enterprise=enterprise).order_by("-created_at", "-pk")
    return queryset.filter(change_type=change_type) if change_type else queryset


def change_of(enterprise: Enterprise | None, pk: int) -> MajorChange | None:
    if enterprise is None:
        return None
    return (
        MajorChange.objects.filter(enterprise=enterprise, pk=pk)
        .select_related("submission__version", "enterprise")
        .prefetch_related("events")
        .first()
    )


def change_scope(user) -> Scope | None:
    """The user's scope if it may review changes: a province-level reviewer, or a superuser."""
    scope = scope_of(user)
    if scope is None:
        return None
    if scope.level and (
        scope.level != ReviewLevel.PROVINCE or not user.has_perm("changes.review_majorchange")
    ):
        return None
    return scope


def changes_visible_to(user, scope: Scope | None = None) -> QuerySet[MajorChange]:
    scope = scope if scope is not None else change_scope(user)
    if scope is None:
        return MajorChange.objects.none()
    queryset = MajorChange.objects.exclude(state=State.DRAFT).exclude(submitted_at__isnull=True)
    if scope.prefix:
        queryset = queryset.filter(
            Q(region_code__startswith=scope.prefix) | Q(target_province_code__startswith=scope.prefix)
        )
    return queryset


def provinces_user_decides(user, change: MajorChange) -> list[str]:
    """The provinces of ``change`` still to decide for which ``user`` may decide."""
    scope = change_scope(user)
    if scope is None or change.state != State.PENDING:
        return []
    open_provinces = [p for p in change.provinces if p not in (change.decisions or {})]
    if not scope.prefix:
        return open_provinces
    return [p for p in open_provinces if p.startswith(scope.prefix)]


def change_for_reviewer(user, pk) -> MajorChange | None:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return (
        changes_visible_to(user)
        .select_related("enterprise__region", "submission__version__definition")
        .filter(pk=pk)
        .first()
    )
