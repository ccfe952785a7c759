"""The enterprise centre's frame (企业信息管理, the manual's section 三) that every centre page shares.

- :data:`CENTRE_NAV` — the side navigation, in the manual's order, with stable URLs (SPEC F-64).
- :func:`register_badge` — how a later app puts a count next to an item (the inbox: unread
  messages on 我的消息) without the frame knowing it: one registry, filled in ``AppConfig.ready()``.
- :func:`centre_nav` — the navigation for one request: URL, label, active flag, badge count.

Pages extend ``templates/enterprises/centre_base.html`` and get the context from
:class:`portal.enterprises.views.CentreMixin` (``centre_nav``, ``centre_active``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from portal.core.features import FEATURES_BY_KEY, PlannedFeature

from .models import Enterprise


@dataclass(frozen=True)
class CentreNavItem:
    key: str
    label: str | Promise
    url_name: str


CENTRE_NAV: tuple[CentreNavItem, ...] = (
    CentreNavItem("home", _("企业首页"), "enterprises:home"),
    CentreNavItem("profile", _("企业信息"), "enterprises:profile"),
    CentreNavItem("messages", _("我的消息"), "inbox:index"),
    CentreNavItem("filings", _("企业申报信息"), "filings:index"),
    CentreNavItem("changes", _("企业重大变更"), "changes:index"),
    CentreNavItem("renewals", _("认证到期管理"), "renewals:index"),
    CentreNavItem("assessment", _("数字化水平评测"), "assessments:index"),
)

BadgeProvider = Callable[[Enterprise], int]
_BADGES: dict[str, BadgeProvider] = {}


def register_badge(key: str, provider: BadgeProvider) -> None:
    """Show ``provider(enterprise)`` (when > 0) next to the nav item ``key``; e.g. the inbox
    registers ``register_badge("messages", count_unread)`` in its ``ready()``."""
    if key not in {item.key for item in CENTRE_NAV}:
        raise KeyError(f"no centre navigation item {key!r}")
    _BADGES[key] = provider


@dataclass(frozen=True)
class NavEntry:
    key: str
    label: str
    url: str
    active: bool
    badge: int


def centre_nav(enterprise: Enterprise | None, active: str) -> list[NavEntry]:
    entries = []
    for item in CENTRE_NAV:
        provider = _BADGES.get(item.key)
        badge = provider(enterprise) if provider is not None and enterprise is not None else 0
        entries.append(NavEntry(item.key, str(item.label), reverse(item.url_name), item.key == active, badge))
    return entries


# Centre pages whose feature is not built yet: the frame says so (their URLs are already stable;
# the app that builds one replaces the view of its URL and nothing else).
NOT_OPEN_FEATURES: dict[str, PlannedFeature] = {key: FEATURES_BY_KEY[key] for key in ()}


def centre_context(enterprise: Enterprise | None, active: str) -> dict:
    """What ``centre_base.html`` needs: the navigation with ``active`` marked, and the badges by
    item key (``centre_badges.messages``: the unread count a page may show beside its own content)."""
    nav = centre_nav(enterprise, active)
    badges = {entry.key: entry.badge for entry in nav}
    return {
        "centre_nav": nav,
        "centre_active": active,
        "centre_badges": badges,
        "centre_badge_total": sum(badges.values()),
    }
