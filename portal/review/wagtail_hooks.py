"""Admin: the review queue (``/admin/review/``), reviewers' scopes, the 审核流程 register, and the
audit actions of review."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import ObjectList
from wagtail_modeladmin.options import modeladmin_register

from portal.core.admin import ScopedModelAdmin, register_history_scope
from portal.core.scopes import ALL_REGIONS, staff_region_code
from portal.filings.models import Filing

from . import selectors
from .forms import ReviewerScopeAdminForm
from .models import ReviewerScope
from .viewsets import FilingReviewViewSet


@hooks.register("register_admin_viewset")
def register_review_viewset():
    return FilingReviewViewSet()


@hooks.register("register_log_actions")
def register_review_log_actions(actions):
    actions.register_action("filings.adjust_score", _("核定得分"), _("核定了评价指标得分"))
    actions.register_action("filings.evidence_downloaded", _("下载申报材料"), _("下载了申报材料压缩包"))


class ReviewerScopeAdmin(ScopedModelAdmin):
    """审核人员范围: superusers anywhere; a 省级管理员 for the scopes inside their province."""

    model = ReviewerScope
    menu_label = _("审核人员范围")
    menu_icon = "user"
    menu_order = 245
    add_to_settings_menu = False
    list_display = ("user", "level", "region")
    list_filter = ("level",)
    search_fields = ("user__username", "region__name")
    edit_handler = ObjectList(ReviewerScope.panels, base_form_class=ReviewerScopeAdminForm)

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("user", "region")
        scope = staff_region_code(request.user)
        if scope is ALL_REGIONS:
            return queryset
        if not scope:
            return queryset.none()
        return queryset.filter(region__code__startswith=scope[:2])


modeladmin_register(ReviewerScopeAdmin)


# the site history shows a filing's log entries to the reviewers who see the filing
register_history_scope(Filing, lambda request: selectors.filings_visible_to(request.user))
