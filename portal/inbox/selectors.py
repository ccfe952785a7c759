"""Reads of the inbox (我的消息).

- :func:`count_unread` — the badge beside 我的消息 in the centre's navigation (one query).
- :func:`category_counts` — the tabs: 全部 and the five categories with their unread counts (one query).
- :func:`tab_key` — the tab a ``?category=`` value names.
- :func:`messages_page` — one page of the list, of one category or all, newest first.
- :func:`message_of` — one message of the enterprise, or None (someone else's id, or no enterprise).
- :func:`owner_phone` — the bound phone an SMS goes to.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from portal.accounts.models import Account
from portal.enterprises.models import Enterprise

from .models import Message, MessageCategory

PER_PAGE = 20
ALL = ""  # the 全部 tab


def count_unread(enterprise: Enterprise) -> int:
    """Unread messages of the enterprise, all categories."""
    return Message.objects.filter(enterprise=enterprise, read_at__isnull=True).count()


@dataclass(frozen=True)
class CategoryCount:
    key: str  # "" for 全部
    label: str
    total: int
    unread: int


def category_counts(enterprise: Enterprise) -> list[CategoryCount]:
    """全部 first, then the five categories in the manual's order (empty ones too: the tabs are fixed)."""
    rows = (
        Message.objects.filter(enterprise=enterprise)
        .order_by()
        .values("category")
        .annotate(total=Count("pk"), unread=Count("pk", filter=Q(read_at__isnull=True)))
    )
    by_key = {row["category"]: row for row in rows}
    tabs = [
        CategoryCount(
            key=category.value,
            label=str(category.label),
            total=by_key.get(category.value, {}).get("total", 0),
            unread=by_key.get(category.value, {}).get("unread", 0),
        )
        for category in MessageCategory
    ]
    everything = CategoryCount(
        key=ALL,
        label=_("全部"),
        total=sum(tab.total for tab in tabs),
        unread=sum(tab.unread for tab in tabs),
    )
    return [everything, *tabs]


def tab_key(value: str | None) -> str:
    """The tab a ``?category=`` value names: a category key, else 全部 (an old or mistyped link)."""
    return value if value in MessageCategory.values else ALL


def list_messages(enterprise: Enterprise, *, category: str = ALL) -> QuerySet[Message]:
    """The enterprise's messages (of ``category`` unless 全部), newest first, without their bodies."""
    queryset = Message.objects.filter(enterprise=enterprise)
    if category:
        queryset = queryset.filter(category=category)
    return queryset.defer("body", "dedupe_key").order_by("-created_at", "-pk")


def messages_page(
    enterprise: Enterprise,
    *,
    category: str = ALL,
    page_number: int | str | None = 1,
    per_page: int = PER_PAGE,
    total: int | None = None,
) -> Page:
    """One page of :func:`list_messages`; a malformed or out-of-range number gives the nearest page.
    ``total``: the tab's count when already known (:func:`category_counts`), saving the count query."""
    paginator = Paginator(list_messages(enterprise, category=category), per_page)
    if total is not None:
        paginator.count = total  # a cached_property: the known number stands in for COUNT(*)
    return paginator.get_page(page_number)


def message_of(enterprise: Enterprise | None, pk: int) -> Message | None:
    """The message ``pk`` if it belongs to ``enterprise``; None otherwise (never someone else's)."""
    if enterprise is None:
        return None
    return Message.objects.select_related("enterprise").filter(enterprise=enterprise, pk=pk).first()


def owner_phone(enterprise: Enterprise) -> str:
    """The phone bound to the enterprise's owner account (accounts' Account.phone), or ""."""
    phone = Account.objects.filter(user_id=enterprise.owner_id).values_list("phone", flat=True).first()
    return phone or ""
