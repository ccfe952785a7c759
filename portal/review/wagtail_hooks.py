"""Admin: the review queue (``/admin/review/``), reviewers' scopes, the 审核流程 register, and the
audit actions of review."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from .viewsets import FilingReviewViewSet


@hooks.register("register_admin_viewset")
def register_review_viewset():
    return FilingReviewViewSet()


@hooks.register("register_log_actions")
def register_review_log_actions(actions):
    actions.register_action("filings.adjust_score", _("核定得分"), _("核定了评价指标得分"))
    actions.register_action("filings.evidence_downloaded", _("下载申报材料"), _("下载了申报材料压缩包"))
