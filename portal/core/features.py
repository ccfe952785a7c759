"""Planned portal features and their stable URLs (SPEC F-64).

Until a feature's app is built, its URL answers with a page that says the feature is not open
yet, so links on the home page and bookmarks never lead to a 404. When an app lands it replaces
its entry here by including its own URLconf before ``portal.core.urls``.
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


PLANNED_FEATURES: tuple[PlannedFeature, ...] = (
    PlannedFeature("query", "query/", _("企业认定查询"),
                   _("输入企业名称、统一社会信用代码和验证码，查询企业的认定结果。")),
    PlannedFeature("assessment", "assessment/", _("数字化水平评测"),
                   _("按企业所属行业自动匹配制造业、生产性服务业或其他行业评测表。")),
    PlannedFeature("register", "accounts/register/", _("企业注册"),
                   _("使用手机号和短信验证码注册账号。")),
    PlannedFeature("realname", "accounts/realname/", _("实名认证"),
                   _("法人或自然人实名认证，以及人工实名认证。")),
    PlannedFeature("phone_change", "accounts/phone-change/", _("手机号修改"),
                   _("通过邮箱核验或人工核验修改绑定手机号。")),
    PlannedFeature("recover", "accounts/recover/", _("账号找回"),
                   _("通过统一社会信用代码或身份证号找回账号。")),
    PlannedFeature("enterprise", "enterprise/", _("企业信息"), _("维护企业基本信息。")),
    PlannedFeature("messages", "enterprise/messages/", _("我的消息"),
                   _("认定到期、信息更新、认定通知、取消认定、申报提醒。")),
    PlannedFeature("filings", "enterprise/filings/", _("企业申报"),
                   _("申报创新型中小企业、专精特新中小企业、专精特新“小巨人”企业。")),
    PlannedFeature("changes", "enterprise/changes/", _("企业重大变更"), _("新增和查看重大变更。")),
    PlannedFeature("renewals", "enterprise/renewals/", _("认证到期管理"), _("认定到期前的复核申请。")),
)

FEATURES_BY_KEY = {feature.key: feature for feature in PLANNED_FEATURES}
