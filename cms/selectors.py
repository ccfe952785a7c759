"""Reads of the public site: the notice listing and the home page's latest notices.

``list_notices`` runs a constant number of SQL queries whatever the number of notices: a count and
one page of NoticePage rows (no per-row queries; attachments are not needed in a listing), and
caches both. ``home_notices`` caches the two home-page lists. Cache keys carry the public site's
content version (:mod:`cms.cache`), bumped on every publish, unpublish, move, delete and settings
change, so every cached list goes stale at once with any shared cache (no key scanning).
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.core.paginator import Page as PaginatorPage

from cms.cache import content_version
from cms.models import NoticeLevel, NoticePage
from cms.regions import PROVINCE_NAMES
from cms.search import query_terms

NOTICES_PER_PAGE = 15
HOME_NOTICES_PER_LEVEL = 8


@dataclass(frozen=True)
class NoticeFilters:
    level: str = ""
    province: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    q: str = ""

    @property
    def is_active(self) -> bool:
        return any([self.level, self.province, self.date_from, self.date_to, self.q])


def notices_queryset():
    return NoticePage.objects.live().public()


@dataclass(frozen=True)
class NoticeRow:
    """What the listing shows of a notice; plain data so a result page can be cached."""

    title: str
    url: str
    level: str
    level_label: str
    province_name: str
    publish_date: datetime.date
    summary: str


class _CachedCount:
    """Stands in for a queryset in Paginator: only the (cached) count is needed."""

    def __init__(self, count: int):
        self._count = count

    def count(self) -> int:
        return self._count


def _filtered_queryset(filters: NoticeFilters):
    queryset = notices_queryset()
    if filters.level:
        queryset = queryset.filter(level=filters.level)
    if filters.province:
        queryset = queryset.filter(province=filters.province)
    if filters.date_from:
        queryset = queryset.filter(publish_date__gte=filters.date_from)
    if filters.date_to:
        queryset = queryset.filter(publish_date__lte=filters.date_to)
    queryset = queryset.order_by("-publish_date", "-id")
    if filters.q:
        terms = query_terms(filters.q)
        if not terms:
            return queryset.none()
        # Wagtail search on the filtered queryset; Han bigrams searched with operator "and".
        return queryset.search(terms, operator="and", order_by_relevance=False)
    return queryset


def list_notices(
    filters: NoticeFilters, *, page_number=None, per_page: int = NOTICES_PER_PAGE, request=None
) -> PaginatorPage:
    """One page of live notices matching ``filters``, newest first by publish date.

    Two SQL queries (a count and one page of rows) whatever the number of notices, none when the
    result page is cached (until the next publish, unpublish or delete). An out-of-range or
    malformed page number gives the nearest valid page. ``object_list`` holds ``NoticeRow``s.
    """
    key_base = f"cms:notice-list:v{content_version()}:{_filters_key(filters)}:{per_page}"
    count = cache.get(f"{key_base}:count")
    queryset = None
    if count is None:
        queryset = _filtered_queryset(filters)
        count = queryset.count()
        cache.set(f"{key_base}:count", count, timeout=settings.PORTAL_CACHE_SECONDS)
    paginator = Paginator(_CachedCount(count), per_page)
    try:
        number = paginator.validate_number(page_number)
    except PageNotAnInteger:
        number = 1
    except EmptyPage:
        number = paginator.num_pages
    rows_key = f"{key_base}:page:{number}"
    rows = cache.get(rows_key)
    if rows is None:
        if queryset is None:
            queryset = _filtered_queryset(filters)
        bottom = (number - 1) * per_page
        rows = [
            NoticeRow(
                title=n.title,
                url=n.get_url(request=request),
                level=n.level,
                level_label=str(n.get_level_display()),
                province_name=PROVINCE_NAMES.get(n.province, ""),
                publish_date=n.publish_date,
                summary=n.summary,
            )
            for n in queryset[bottom : bottom + per_page]
        ]
        cache.set(rows_key, rows, timeout=settings.PORTAL_CACHE_SECONDS)
    return PaginatorPage(rows, number, paginator)


def _filters_key(filters: NoticeFilters) -> str:
    raw = "|".join(
        [filters.level, filters.province, str(filters.date_from or ""), str(filters.date_to or ""), filters.q]
    )
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class NoticeSummary:
    """What the home page shows of a notice; plain data so it can be cached."""

    title: str
    url: str
    publish_date: datetime.date
    province_name: str


def _latest(
    level: str, request, *, province: str = "", limit: int = HOME_NOTICES_PER_LEVEL
) -> list[NoticeSummary]:
    rows = notices_queryset().filter(level=level)
    if province:
        rows = rows.filter(province=province)
    rows = rows.order_by("-publish_date", "-id")[:limit]
    return [
        NoticeSummary(
            title=row.title,
            url=row.get_url(request=request),
            publish_date=row.publish_date,
            province_name=PROVINCE_NAMES.get(row.province, ""),
        )
        for row in rows
    ]


def home_notices(*, request=None) -> dict[str, list[NoticeSummary]]:
    """The latest 部级 and 省级 notices for the home page, cached until the next publish."""
    key = f"cms:home-notices:v{content_version()}"
    data = cache.get(key)
    if data is None:
        data = {
            "ministry_notices": _latest(NoticeLevel.MINISTRY, request),
            "provincial_notices": _latest(NoticeLevel.PROVINCIAL, request),
        }
        cache.set(key, data, timeout=settings.PORTAL_CACHE_SECONDS)
    return data


def notices_for_province(province: str, *, limit: int = 5, request=None) -> dict[str, list[NoticeSummary]]:
    """The latest ministry notices and the latest notices of ``province`` (a 6-digit provincial
    code; none when blank), for the enterprise centre's 企业最新消息. Cached like the home page."""
    key = f"cms:province-notices:v{content_version()}:{province}:{limit}"
    data = cache.get(key)
    if data is None:
        data = {
            "ministry_notices": _latest(NoticeLevel.MINISTRY, request, limit=limit),
            "provincial_notices": _latest(NoticeLevel.PROVINCIAL, request, province=province, limit=limit)
            if province
            else [],
        }
        cache.set(key, data, timeout=settings.PORTAL_CACHE_SECONDS)
    return data
