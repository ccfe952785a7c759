"""统计概览: counts of the filings a reviewer sees (SPEC F-46), by region, level, window and state.

Everything comes from one grouped query over :func:`portal.review.selectors.filings_visible_to`
(the reviewer's region and level; a superuser's is the country) plus one query for the region
names, whatever the number of filings. Each count links to the review queue filtered to it:
``/admin/review/?view=all&region=…`` (or ``level``, ``year`` + ``batch``, ``state``) — the queue's
own filters, so the number on the dashboard is the number of rows the link shows.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.filings.models import FilingLevel
from portal.filings.states import State
from portal.reference.models import Region
from portal.review import selectors
from portal.review.selectors import Scope

# states a reviewer's list can hold (drafts and withdrawn filings never reach a reviewer)
REVIEW_STATES = [
    (value, label) for value, label in State.choices if value not in (State.DRAFT, State.WITHDRAWN)
]


@dataclass(frozen=True)
class Bucket:
    key: str
    label: str
    count: int
    url: str


@dataclass
class Dashboard:
    scope: Scope
    total: int
    todo: int
    todo_url: str
    all_url: str
    region_title: str
    by_region: list[Bucket] = field(default_factory=list)
    by_level: list[Bucket] = field(default_factory=list)
    by_window: list[Bucket] = field(default_factory=list)
    by_state: list[Bucket] = field(default_factory=list)

    def chart_data(self) -> dict:
        """What the charts draw (labels, values, links), for ``json_script``."""

        def series(buckets: list[Bucket]) -> dict:
            return {
                "labels": [b.label for b in buckets],
                "values": [b.count for b in buckets],
                "urls": [b.url for b in buckets],
            }

        return {
            "region": series(self.by_region),
            "level": series(self.by_level),
            "window": series(self.by_window),
            "state": series(self.by_state),
        }


def _queue_url(**params) -> str:
    return reverse("review:index") + "?" + urlencode({"view": "all", **params})


def _area_length(scope: Scope) -> int:
    """Digits of the 注册地 code that name a region one level below the scope (a county: itself)."""
    return {0: 2, 2: 4}.get(len(scope.prefix), 6)


def _region_code(area: str) -> str:
    return area.ljust(6, "0")


def dashboard_for(user, scope: Scope) -> Dashboard:
    area_length = _area_length(scope)
    rows = list(
        selectors.filings_visible_to(user, scope)
        .order_by()
        .annotate(area=Substr("region_code", 1, area_length))
        .values("area", "level", "window__year", "window__batch", "state", "current_level")
        .annotate(n=Count("pk"))
    )
    by_area: Counter[str] = Counter()
    by_level: Counter[str] = Counter()
    by_window: Counter[tuple[int, int]] = Counter()
    by_state: Counter[str] = Counter()
    todo = 0
    for row in rows:
        n = row["n"]
        by_area[row["area"]] += n
        by_level[row["level"]] += n
        by_window[(row["window__year"], row["window__batch"])] += n
        by_state[row["state"]] += n
        if row["state"] == State.PENDING and (not scope.level or row["current_level"] == scope.level):
            todo += n

    names = dict(
        Region.objects.filter(code__in=[_region_code(a) for a in by_area]).values_list("code", "name")
    )
    # a county scope has no region filter below it: its one row links to the whole list
    region_filter = len(scope.prefix) < 6
    dashboard = Dashboard(
        scope=scope,
        total=sum(by_state.values()),
        todo=todo,
        todo_url=reverse("review:index") + "?view=todo",
        all_url=_queue_url(),
        region_title={2: _("按省份"), 4: _("按地市")}.get(area_length, _("按区县")),
    )
    dashboard.by_region = [
        Bucket(
            area,
            names.get(_region_code(area), _("未知地区")),
            count,
            _queue_url(region=_region_code(area)) if region_filter else _queue_url(),
        )
        for area, count in sorted(by_area.items(), key=lambda item: (-item[1], item[0]))
    ]
    dashboard.by_level = [
        Bucket(value, str(label), by_level[value], _queue_url(level=value))
        for value, label in FilingLevel.choices
    ]
    dashboard.by_window = [
        Bucket(
            f"{year}-{batch}",
            _("%(year)s年第%(batch)s批") % {"year": year, "batch": batch},
            count,
            _queue_url(year=year, batch=batch),
        )
        for (year, batch), count in sorted(by_window.items())
    ]
    dashboard.by_state = [
        Bucket(value, str(label), by_state[value], _queue_url(state=value)) for value, label in REVIEW_STATES
    ]
    return dashboard
