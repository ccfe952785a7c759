"""Admin: the 统计概览 page and its menu item (reviewers only), the ``reports.export`` log action."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.log_actions import LogFormatter

from portal.review.selectors import scope_of

from .exports import EXPORT_ACTION
from .views import DashboardView


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("reports/dashboard/", DashboardView.as_view(), name="reports_dashboard")]


class DashboardMenuItem(MenuItem):
    def is_shown(self, request):
        return scope_of(request.user) is not None


@hooks.register("register_admin_menu_item")
def register_dashboard_menu_item():
    return DashboardMenuItem(
        gettext_lazy("统计概览"), reverse("reports_dashboard"), icon_name="table", order=239
    )


@hooks.register("register_log_actions")
def register_export_log_action(actions):
    @actions.register_action(EXPORT_ACTION)
    class ExportFormatter(LogFormatter):
        label = gettext_lazy("导出列表")

        def format_message(self, log_entry):
            data = log_entry.data or {}
            return _("导出了“%(title)s”（%(rows)s 行，%(format)s%(masked)s）") % {
                "title": data.get("title", ""),
                "rows": data.get("rows", 0),
                "format": str(data.get("format", "")).upper(),
                "masked": _("，个人信息已脱敏") if data.get("masked") else "",
            }
