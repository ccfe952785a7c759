"""The admin's 统计概览 page (``/admin/reports/dashboard/``) for every reviewer, of their own scope."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from portal.review.selectors import scope_of

from .dashboard import dashboard_for


class DashboardView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "reports/dashboard.html"
    page_title = _("统计概览")
    header_icon = "table"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.scope = scope_of(request.user)
        if self.scope is None:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": reverse("reports_dashboard"), "label": self.page_title}]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        dashboard = dashboard_for(self.request.user, self.scope)
        context["dashboard"] = dashboard
        context["chart_data"] = dashboard.chart_data()
        return context
