"""信息更新 in the admin (``/admin/annual-updates/``, F-22, F-45): the staff of a region see each
recognised enterprise's 信息更新 of a year — 已更新, 待更新 or 逾期未更新 — filter who has not
updated, open an update (what changed) and 【审阅】 or 【退回】 it. Per-record URLs answer 404
outside the staff member's region; staff without a review scope get 403."""

from __future__ import annotations

from typing import Any

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic

from portal.core.admin import StaffQueueViewSet, StaffRecordView
from portal.enterprises.selectors import region_label
from portal.reports.exports import StreamingExportMixin
from portal.review.selectors import scope_of

from . import selectors, services
from .models import AnnualUpdate


class AnnualUpdateFilterSet(WagtailFilterSet):
    year = django_filters.NumberFilter(label=gettext_lazy("年度"), field_name="year")
    state = django_filters.ChoiceFilter(label=gettext_lazy("状态"), choices=AnnualUpdate.State.choices)
    review = django_filters.ChoiceFilter(
        label=gettext_lazy("审阅"),
        choices=[(value or "none", label) for value, label in AnnualUpdate.Review.choices],
        method="filter_review",
    )

    class Meta:
        model = AnnualUpdate
        fields = []

    def filter_review(self, queryset, name, value):
        return queryset.filter(review="" if value == "none" else value) if value else queryset


class AnnualUpdateIndexView(StreamingExportMixin, generic.IndexView):
    page_title = gettext_lazy("信息更新")
    filterset_class = AnnualUpdateFilterSet
    search_fields = ["enterprise__name", "enterprise__uscc"]
    search_backend_name = None
    default_ordering = "state"
    paginate_by = 50
    list_export = [
        "enterprise.name",
        "enterprise.uscc",
        "year",
        "deadline",
        "get_state_display",
        "updated_at",
        "get_review_display",
        "region_name",
    ]
    export_headings = {
        "enterprise.name": gettext_lazy("企业名称"),
        "enterprise.uscc": gettext_lazy("统一社会信用代码"),
        "year": gettext_lazy("年度"),
        "deadline": gettext_lazy("截止日期"),
        "get_state_display": gettext_lazy("状态"),
        "updated_at": gettext_lazy("更新时间"),
        "get_review_display": gettext_lazy("审阅"),
        "region_name": gettext_lazy("注册地"),
    }
    export_filename = "信息更新"
    export_list_name = "annual_updates"

    @property
    def columns(self):
        return [
            TitleColumn(
                "enterprise",
                label=_("企业名称"),
                accessor=lambda r: r.enterprise.name,
                get_url=lambda r: reverse("annual_updates:inspect", args=[r.pk]),
            ),
            Column("uscc", label=_("统一社会信用代码"), accessor=lambda r: r.enterprise.uscc),
            Column("year", label=_("年度"), sort_key="year"),
            Column("deadline", label=_("截止日期"), sort_key="deadline"),
            Column("state", label=_("状态"), accessor="get_state_display", sort_key="state"),
            Column("updated_at", label=_("更新时间"), sort_key="updated_at"),
            Column("review", label=_("审阅"), accessor="get_review_display"),
            Column("region", label=_("注册地"), accessor=lambda r: region_label(r.region_code)),
        ]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if scope_of(request.user) is None:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        return selectors.annual_updates_visible_to(self.request.user)


class AnnualUpdateInspectView(StaffRecordView):
    template_name = "lifecycle/admin/annual_update_inspect.html"
    page_title = gettext_lazy("信息更新")

    def record_for(self, user, pk):
        return selectors.annual_update_for_staff(user, pk)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        record = self.object
        changed = []
        if record.version is not None:
            changed = record.version.changed_fields or []
        context.update({"record": record, "changed": changed, "region": region_label(record.region_code)})
        return context


class AnnualUpdateReviewView(View):
    """POST 【审阅】 (decision=confirmed) or 【退回】 (decision=returned, note required)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        record = selectors.annual_update_for_staff(request.user, pk)
        if record is None:
            raise Http404
        decision = request.POST.get("decision", "")
        note = request.POST.get("note", "").strip()[:2000]
        back = reverse("annual_updates:inspect", args=[record.pk])
        if decision not in (AnnualUpdate.Review.CONFIRMED, AnnualUpdate.Review.RETURNED):
            messages.error(request, _("请选择审阅结果。"))
            return redirect(back)
        if decision == AnnualUpdate.Review.RETURNED and not note:
            messages.error(request, _("退回须填写意见。"))
            return redirect(back)
        services.review_annual_update(record=record, user=request.user, decision=decision, note=note)
        messages.success(request, _("已保存审阅结果。"))
        return redirect(back)


class AnnualUpdateViewSet(StaffQueueViewSet):
    model = AnnualUpdate
    name = "annual_updates"
    url_prefix = "annual-updates"
    icon = "date"
    menu_label = gettext_lazy("信息更新")
    export_filename = "信息更新"  # the viewset passes its own (default: the table name) to the index view
    menu_order = 246
    add_to_admin_menu = True
    index_view_class = AnnualUpdateIndexView
    inspect_view_class = AnnualUpdateInspectView

    def action_urlpatterns(self):
        return [
            path("<int:pk>/review/", AnnualUpdateReviewView.as_view(), name="review"),
        ]
