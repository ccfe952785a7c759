"""公示与认定 (``/admin/publicity/``) for the deciding level's reviewers.

- ``/admin/publicity/`` (:class:`PublicityIndexView`): the 公示 of my scope with their period and
  state; 【认定】 once a period is over.
- ``/admin/publicity/ready/`` (:class:`ReadyFilingsView`): 审核通过 filings I decided, not yet on a
  公示, to tick and 【创建公示】 (POST ``…/create/``, :class:`PublicityCreateView`).
- ``/admin/publicity/inspect/<pk>/`` (:class:`PublicityInspectView`): one 公示: its notice, period,
  the enterprises on it and the 【认定】 form (POST ``…/<pk>/recognise/``,
  :class:`PublicityRecogniseView`).

Every per-公示 view answers 404 outside the reviewer's scope.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.widgets.button import HeaderButton

from forms_engine.actions import ActionError
from portal.core.admin import StaffRecordView
from portal.enterprises.selectors import region_label
from portal.filings.states import State
from portal.reports.exports import StreamingExportMixin
from portal.review.selectors import scope_of

from .. import actions, selectors
from ..forms import CreatePublicityForm, RecogniseForm
from ..models import Publicity
from .filters import PublicityFilterSet, ReadyFilingFilterSet


class ScopeRequiredMixin:
    """The screens of the deciding levels: 403 for anyone whose level decides nowhere."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not selectors.may_decide_somewhere(request.user):
            raise PermissionDenied
        self.scope = scope_of(request.user)
        return super().dispatch(request, *args, **kwargs)


class SelectColumn(Column):
    """A checkbox per row that belongs to the form named by ``form_id`` (HTML ``form`` attribute)."""

    cell_template_name = "recognition/admin/_select_cell.html"

    def __init__(self, name: str, *, form_id: str, **kwargs: Any):
        super().__init__(name, label="", **kwargs)
        self.form_id = form_id

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["form_id"] = self.form_id
        return context


class PublicityIndexView(ScopeRequiredMixin, StreamingExportMixin, generic.IndexView):
    template_name = "recognition/admin/publicity_index.html"
    page_title = gettext_lazy("公示与认定")
    filterset_class = PublicityFilterSet
    search_fields = ["title"]
    search_backend_name = None
    default_ordering = "-created_at"
    paginate_by = 20
    list_export = [
        "title",
        "get_level_display",
        "where_label",
        "entry_count",
        "period_label",
        "status_label",
        "created_at",
    ]
    export_headings = {
        "title": gettext_lazy("公示标题"),
        "get_level_display": gettext_lazy("认定级别"),
        "where_label": gettext_lazy("范围"),
        "entry_count": gettext_lazy("企业数"),
        "period_label": gettext_lazy("公示期"),
        "status_label": gettext_lazy("状态"),
        "created_at": gettext_lazy("创建时间"),
    }
    export_filename = "公示与认定"
    export_list_name = "publicity"

    @property
    def columns(self):
        return [
            TitleColumn(
                "title",
                label=_("公示标题"),
                get_url=lambda publicity: reverse("publicity:inspect", args=[publicity.pk]),
            ),
            Column("level", label=_("认定级别"), accessor="get_level_display", sort_key="level"),
            Column("where", label=_("范围"), accessor="where_label"),
            Column("count", label=_("企业数"), accessor="entry_count", sort_key="entry_count"),
            Column("period", label=_("公示期"), accessor="period_label", sort_key="period_end"),
            Column("status", label=_("状态"), accessor="status_label", sort_key="state"),
            Column("created_at", label=_("创建时间"), accessor="created_at", sort_key="created_at"),
        ]

    def get_base_queryset(self):
        return (
            selectors.publicities_visible_to(self.request.user, self.scope)
            .select_related("province")
            .annotate(entry_count=Count("entries"))
        )

    @property
    def header_buttons(self):
        return [
            HeaderButton(
                _("从审核通过的申报创建公示"),
                url=reverse("publicity:ready"),
                icon_name="plus",
                attrs={"data-testid": "ready-button"},
            )
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["scope"] = self.scope
        context["ready_count"] = selectors.filings_ready_for_publicity(self.request.user, self.scope).count()
        return context


class ReadyFilingsView(ScopeRequiredMixin, StreamingExportMixin, generic.IndexView):
    """审核通过 filings of my scope decided at my level, ready for a 公示."""

    template_name = "recognition/admin/ready.html"
    page_title = gettext_lazy("待公示的申报")
    filterset_class = ReadyFilingFilterSet
    search_fields = ["enterprise__name", "enterprise__uscc"]
    search_backend_name = None
    default_ordering = "-decided_at"
    paginate_by = 50
    list_export = [
        "enterprise.name",
        "enterprise.uscc",
        "get_level_display",
        "round_label",
        "region_name",
        "verified_score",
        "decided_at",
    ]
    export_headings = {
        "enterprise.name": gettext_lazy("企业名称"),
        "enterprise.uscc": gettext_lazy("统一社会信用代码"),
        "get_level_display": gettext_lazy("申报级别"),
        "round_label": gettext_lazy("批次"),
        "region_name": gettext_lazy("注册地"),
        "verified_score": gettext_lazy("核定得分"),
        "decided_at": gettext_lazy("审核通过时间"),
    }
    export_filename = "待公示的申报"
    export_list_name = "publicity_ready"

    def to_row_dict(self, item):
        item.region_name = region_label(item.region_code)
        return super().to_row_dict(item)

    @property
    def columns(self):
        return [
            SelectColumn("select", form_id="create-publicity-form"),
            TitleColumn(
                "enterprise_name",
                label=_("企业名称"),
                accessor="enterprise.name",
                get_url=lambda filing: reverse("review:inspect", args=[filing.pk]),
            ),
            Column("uscc", label=_("统一社会信用代码"), accessor="enterprise.uscc"),
            Column("level", label=_("申报级别"), accessor="get_level_display", sort_key="level"),
            Column("round", label=_("批次"), accessor="round_label"),
            Column(
                "region",
                label=_("注册地"),
                accessor=lambda f: region_label(f.region_code),
                sort_key="region_code",
            ),
            Column("score", label=_("核定得分"), accessor="verified_text", sort_key="verified_score"),
            Column("decided_at", label=_("审核通过时间"), accessor="decided_at", sort_key="decided_at"),
        ]

    def get_base_queryset(self):
        return selectors.filings_ready_for_publicity(self.request.user, self.scope).select_related(
            "enterprise", "window"
        )

    def get_filterset_kwargs(self):
        return {**super().get_filterset_kwargs(), "scope": self.scope}

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("publicity:index"), "label": _("公示与认定")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update({"scope": self.scope, "create_form": CreatePublicityForm()})
        return context


class PublicityCreateView(ScopeRequiredMixin, View):
    """POST: 【创建公示】 from the ticked filings (only those of my own ready list count)."""

    def post(self, request: HttpRequest) -> HttpResponse:
        back = reverse("publicity:ready")
        form = CreatePublicityForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请先勾选要公示的申报。"))
            return redirect(back)
        ids = form.cleaned_data["ids"]
        chosen = list(
            selectors.filings_ready_for_publicity(request.user, self.scope)
            .filter(pk__in=ids)
            .select_related("enterprise", "window")
        )
        if len(chosen) != len(ids):
            messages.error(request, _("所选申报中有不在您认定范围内或已列入公示的申报，请刷新后重新选择。"))
            return redirect(back)
        try:
            publicity = actions.CreatePublicityAction(
                chosen, user=request.user, title=form.cleaned_data["title"]
            ).execute()
        except PermissionDenied:
            messages.error(request, _("所选申报不在您的认定范围内。"))
            return redirect(back)
        except ActionError as exc:
            messages.error(request, exc.message)
            return redirect(back)
        messages.success(
            request,
            _(
                "已创建公示“%(title)s”（%(count)s 家企业），公示公告草稿已生成，请通知编辑审核发布；公示期自公告发布之日起计算。"
            )
            % {"title": publicity.title, "count": len(chosen)},
        )
        return redirect("publicity:inspect", pk=publicity.pk)


class PublicityInspectView(StaffRecordView):
    template_name = "recognition/admin/publicity_inspect.html"
    page_title = gettext_lazy("公示")

    def record_for(self, user, pk):
        return selectors.publicity_for(user, pk)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        publicity = self.object
        entries = selectors.publicity_entries(publicity)
        today = timezone.localdate()
        status = publicity.status_on(today)
        context.update(
            {
                "publicity": publicity,
                "entries": entries,
                "status": status,
                "pending": [e for e in entries if e.filing.state == State.PUBLICISING],
                "can_recognise": status == Publicity.State.ENDED,
                "first_day": publicity.period_end + dt.timedelta(days=1) if publicity.period_end else None,
                "recognise_form": RecogniseForm(),
                "notice": publicity.notice,
                "can_edit_notice": publicity.notice is not None
                and publicity.notice.permissions_for_user(self.request.user).can_edit(),
            }
        )
        return context


class PublicityRecogniseView(View):
    """POST: 【认定】 the ticked filings of a 公示 (the others stay 公示中)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        publicity = selectors.publicity_for(request.user, pk)
        if publicity is None:
            raise Http404
        back = reverse("publicity:inspect", args=[publicity.pk])
        form = RecogniseForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                messages.error(request, errors[0])
            return redirect(back)
        ids = set(form.cleaned_data["ids"])
        filings = [e.filing for e in selectors.publicity_entries(publicity) if e.filing.pk in ids]
        done, refused = actions.recognise_publicity(
            publicity, user=request.user, filings=filings, valid_from=form.cleaned_data["valid_from"]
        )
        if done:
            messages.success(
                request,
                _("已认定 %(n)s 家企业，认定编号 %(numbers)s。")
                % {"n": len(done), "numbers": "、".join(r.number for r in done)},
            )
        for filing, reason in refused:
            messages.error(
                request,
                _("“%(name)s”未认定：%(reason)s") % {"name": filing.enterprise.name, "reason": reason},
            )
        if not done and not refused:
            messages.info(request, _("该公示中没有待认定的企业。"))
        return redirect(back)
