"""Reads of the reference data, cached under a version key (see :mod:`portal.reference.cache`).

Cached values are plain tuples of codes and names, never model instances, so any cache backend
can hold them and a cache hit costs no query.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet

from .cache import reference_cache_key
from .models import Industry, Region


class RegionNotFoundError(LookupError):
    pass


@dataclass(frozen=True)
class RegionOption:
    code: str
    name: str
    level: str
    has_children: bool


def _timeout() -> int:
    return getattr(settings, "PORTAL_CACHE_SECONDS", 300)


def list_region_children(parent_code: str | None = None) -> list[RegionOption]:
    """The provinces (``parent_code`` None) or the direct children of ``parent_code``, by code.

    Raises RegionNotFoundError if ``parent_code`` is not a known region.
    """
    key = reference_cache_key("region-children", parent_code or "root")
    cached = cache.get(key)
    if cached is None:
        if parent_code is None:
            queryset = Region.objects.filter(parent__isnull=True)
        else:
            parent = Region.objects.filter(code=parent_code).only("pk").first()
            if parent is None:
                raise RegionNotFoundError(parent_code)
            queryset = Region.objects.filter(parent=parent)
        parents_with_children = set(
            Region.objects.filter(parent__in=queryset).values_list("parent_id", flat=True).distinct()
        )
        cached = [
            (code, name, level, pk in parents_with_children)
            for pk, code, name, level in queryset.order_by("code").values_list("pk", "code", "name", "level")
        ]
        cache.set(key, cached, _timeout())
    return [RegionOption(*row) for row in cached]


def get_region(code: str) -> Region:
    """The region with ``code``; raises RegionNotFoundError."""
    try:
        return Region.objects.select_related("parent__parent").get(code=code)
    except Region.DoesNotExist as exc:
        raise RegionNotFoundError(code) from exc


def get_region_path(code: str) -> list[Region]:
    """The chain province → prefecture → county ending at ``code`` (shorter for higher levels).

    Raises RegionNotFoundError for an unknown code.
    """
    region = get_region(code)
    path = [region]
    while path[0].parent_id is not None:
        path.insert(0, path[0].parent)
    return path


def get_region_path_codes(code: str) -> list[tuple[str, str, str]]:
    """Cached ``(code, name, level)`` for each step of :func:`get_region_path`; [] if unknown."""
    key = reference_cache_key("region-path", code)
    cached = cache.get(key)
    if cached is None:
        try:
            cached = [(r.code, r.name, r.level) for r in get_region_path(code)]
        except RegionNotFoundError:
            cached = []
        cache.set(key, cached, _timeout())
    return cached


def list_industries(*, level: str | None = None, category: str | None = None) -> QuerySet[Industry]:
    """Industries ordered by code, optionally of one level and/or questionnaire category."""
    queryset = Industry.objects.select_related("parent")
    if level:
        queryset = queryset.filter(level=level)
    if category:
        queryset = queryset.filter(questionnaire_category=category)
    return queryset.order_by("code")


def list_industry_choices(*, level: str = Industry.Level.DIVISION) -> list[tuple[str, list[tuple[str, str]]]]:
    """Choices grouped by section: ``[(section label, [(code, label), …]), …]`` (cached).

    Items of ``level`` are grouped under their section (a group's section is its grandparent).
    """
    key = reference_cache_key("industry-choices", level)
    cached = cache.get(key)
    if cached is None:
        sections = {s.pk: s for s in Industry.objects.filter(level=Industry.Level.SECTION)}
        grouped: dict[int, list[tuple[str, str]]] = {
            pk: [] for pk in sorted(sections, key=lambda p: sections[p].code)
        }
        for item in list_industries(level=level):
            section = item.parent if item.parent.level == Industry.Level.SECTION else item.parent.parent
            grouped[section.pk].append((item.code, f"{item.code} {item.name}"))
        cached = [(str(sections[pk]), options) for pk, options in grouped.items() if options]
        cache.set(key, cached, _timeout())
    return cached


def get_industry_labels() -> dict[str, str]:
    """``{code: "code name"}`` for every industry (cached)."""
    key = reference_cache_key("industry-labels")
    cached = cache.get(key)
    if cached is None:
        cached = dict(Industry.objects.values_list("code", "name"))
        cached = {code: f"{code} {name}" for code, name in cached.items()}
        cache.set(key, cached, _timeout())
    return cached


def get_questionnaire_category(code: str) -> str | None:
    """The questionnaire category of the industry ``code``, or None if unknown."""
    return Industry.objects.filter(code=code).values_list("questionnaire_category", flat=True).first()
