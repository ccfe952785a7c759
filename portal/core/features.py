"""Planned portal features and their stable URLs (SPEC F-64).

Until a feature's app is built, its URL answers with a page that says the feature is not open
yet, so links on the home page and bookmarks never lead to a 404. Features of the enterprise
centre (``in_centre``) are answered inside the centre's frame by ``portal.enterprises`` (which
owns their URLs); the others by ``portal.core``. When an app lands it replaces the view of its
URL.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class PlannedFeature:
    key: str
    path: str
    title: str
    description: str
    in_centre: bool = False


PLANNED_FEATURES: tuple[PlannedFeature, ...] = (
    PlannedFeature(
        "messages",
        "enterprise/messages/",
        _("我的消息"),
        _("认定到期、信息更新、认定通知、取消认定、申报提醒。"),
        in_centre=True,
    ),
    PlannedFeature(
        "filings",
        "enterprise/filings/",
        _("企业申报"),
        _("申报创新型中小企业、专精特新中小企业、专精特新“小巨人”企业。"),
        in_centre=True,
    ),
    PlannedFeature(
        "changes", "enterprise/changes/", _("企业重大变更"), _("新增和查看重大变更。"), in_centre=True
    ),
    PlannedFeature(
        "renewals", "enterprise/renewals/", _("认证到期管理"), _("认定到期前的复核申请。"), in_centre=True
    ),
)

FEATURES_BY_KEY = {feature.key: feature for feature in PLANNED_FEATURES}
