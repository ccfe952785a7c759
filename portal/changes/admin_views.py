"""Reviewers' screens of 企业重大变更 at ``/admin/changes/`` (a Wagtail ModelViewSet): the queue of
changes of the reviewer's province (待审核 first), the page of one change with the current profile
beside the reported values, the late-report flag, and 核准 / 退回 / 不予核准."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
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
from wagtail.permission_policies.base import ModelPermissionPolicy

from forms_engine.actions import ActionError
from forms_engine.answers import answers_display
from portal.core.admin import StaffQueueViewSet, StaffRecordView
from portal.enterprises.selectors import profile_snapshot, region_label, snapshot_display
from portal.filings.presenters import answer_steps
from portal.reports.exports import StreamingExportMixin

from . import actions, selectors, services
from .models import ChangeType, MajorChange


class ChangeFilterSet(WagtailFilterSet):
    state = django_filters.ChoiceFilter(label=gettext_lazy("状态"), choices=MajorChange.State.choices)
    change_type = django_filters.ChoiceFilter(label=gettext_lazy("变更类型"), choices=ChangeType.choices)
    reported_late = django_filters.BooleanFilter(label=gettext_lazy("逾期报告"))

    class Meta:
        model = MajorChange
        fields = []


class ChangeQueueView(StreamingExportMixin, generic.IndexView):
    page_title = gettext_lazy("重大变更审核")
    search_fields = ["enterprise__name", "enterprise__uscc"]
    search_backend_name = None
    filterset_class = ChangeFilterSet
    default_ordering = "-submitted_at"
    list_export = [
        "enterprise.name",
        "enterprise.uscc",
        "get_change_type_display",
        "effective_date",
        "reported_late",
        "get_state_display",
        "submitted_at",
    ]
    export_headings = {
        "enterprise.name": gettext_lazy("企业名称"),
        "enterprise.uscc": gettext_lazy("统一社会信用代码"),
        "get_change_type_display": gettext_lazy("变更类型"),
        "effective_date": gettext_lazy("变更生效日期"),
        "reported_late": gettext_lazy("逾期报告"),
        "get_state_display": gettext_lazy("状态"),
        "submitted_at": gettext_lazy("提交时间"),
    }
    export_filename = "企业重大变更"
    export_list_name = "changes"

    @property
    def columns(self):
        return [
            TitleColumn(
                "enterprise",
                label=_("企业名称"),
                accessor="enterprise.name",
                get_url=lambda change: reverse("changes_admin:inspect", args=[change.pk]),
            ),
            Column("type", label=_("变更类型"), accessor="get_change_type_display", sort_key="change_type"),
            Column(
                "effective_date",
                label=_("变更生效日期"),
                accessor="effective_date",
                sort_key="effective_date",
            ),
            Column("late", label=_("逾期报告"), accessor="late_label"),
            Column("state", label=_("状态"), accessor="get_state_display", sort_key="state"),
            Column("submitted_at", label=_("提交时间"), accessor="submitted_at", sort_key="submitted_at"),
        ]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.scope = selectors.change_scope(request.user)
        if self.scope is None:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        return selectors.changes_visible_to(self.request.user, self.scope).select_related("enterprise")


class ReasonForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("审核意见"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


PROFILE_FIELDS = {
    ChangeType.RENAME: [("name", gettext_lazy("企业名称"))],
    ChangeType.REGION: [("region", gettext_lazy("注册地")), ("address", gettext_lazy("通讯地址"))],
    ChangeType.BUSINESS: [
        ("main_products", gettext_lazy("主要产品（服务）")),
        ("industry", gettext_lazy("所属行业")),
    ],
}


class ChangeReviewView(StaffRecordView):
    template_name = "changes/admin_change.html"
    page_title = gettext_lazy("重大变更审核")

    def record_for(self, user, pk):
        return selectors.change_for_reviewer(user, pk)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        change = self.object
        submission = change.submission
        snapshot = profile_snapshot(change.enterprise)
        rows = answers_display(submission.version.parsed, submission.answers, context=submission.context)
        context.update(
            {
                "change": change,
                "steps": answer_steps(rows),
                "current": [
                    (label, snapshot_display(snapshot, name))
                    for name, label in PROFILE_FIELDS.get(change.change_type, [])
                ],
                "to_apply": bool(services.values_to_apply(change)),
                "my_provinces": selectors.provinces_user_decides(self.request.user, change),
                "province_rows": [
                    (
                        region_label(code),
                        {"approved": _("已核准"), "rejected": _("不予核准")}.get(
                            (change.decisions or {}).get(code, {}).get("decision", ""), ""
                        ),
                    )
                    for code in change.provinces
                ],
                "events": list(change.events.all()),
                # three forms on one page: ids of their own, so each label names its own control
                "forms": {
                    verb: ReasonForm(auto_id=f"{verb}-%s", label_suffix="")
                    for verb in ("approve", "return", "reject")
                },
            }
        )
        return context


class ChangeDecisionView(View):
    verb = ""
    classes = {
        "approve": actions.ApproveChangeAction,
        "reject": actions.RejectChangeAction,
        "return": actions.ReturnChangeAction,
    }

    def post(self, request: HttpRequest, pk: int, verb: str) -> HttpResponse:
        change = selectors.change_for_reviewer(request.user, pk)
        if change is None or verb not in self.classes:
            raise Http404
        back = reverse("changes_admin:inspect", args=[change.pk])
        form = ReasonForm(request.POST)
        comment = form.cleaned_data["comment"] if form.is_valid() else ""
        try:
            self.classes[verb](change, user=request.user, comment=comment).execute()
        except PermissionDenied:
            messages.error(request, _("您不能处理这条变更（不在您的审核省份，或已处理）。"))
            return redirect(back)
        except ActionError as exc:
            messages.error(request, exc.message)
            return redirect(back)
        messages.success(request, _("已处理“%(name)s”的变更。") % {"name": change.enterprise.name})
        return redirect("changes_admin:index")


class ChangePermissionPolicy(ModelPermissionPolicy):
    def user_has_permission(self, user, action):
        return action == "view" and selectors.change_scope(user) is not None

    def user_has_any_permission(self, user, actions):
        return "view" in actions and selectors.change_scope(user) is not None


class ChangeViewSet(StaffQueueViewSet):
    model = MajorChange
    name = "changes_admin"
    url_prefix = "changes"
    icon = "edit"
    menu_label = gettext_lazy("重大变更审核")
    export_filename = "企业重大变更"  # the viewset passes its own (default: the table name) to the index view
    menu_order = 241
    add_to_admin_menu = True
    index_view_class = ChangeQueueView
    inspect_view_class = ChangeReviewView

    def action_urlpatterns(self):
        return [
            path("<int:pk>/<slug:verb>/", ChangeDecisionView.as_view(), name="decide"),
        ]
