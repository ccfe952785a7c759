"""The reviewers' admin screens (SPEC F-40, F-41): the queue, one filing's review page, the actions.

Mounted by :class:`portal.review.viewsets.FilingReviewViewSet` at ``/admin/review/``:

- ``/admin/review/`` (:class:`FilingQueueView`): 待审核 at my level in my region by default; filters
  (查看范围, state, level, year, region, score range), keyword (name, USCC), ordering, pagination,
  counts per state, 批量通过, Excel export.
- ``/admin/review/inspect/<pk>/`` (:class:`FilingReviewView`): readable answers, self-score and its
  explanation with verified scores, the evidence zip, the profile, earlier filings, the timeline,
  what changed since the last 退回, and the 通过 / 退回 / 不通过 forms.
- POST ``…/<pk>/pass/``, ``…/<pk>/return/``, ``…/<pk>/reject/``, ``…/<pk>/adjust/`` and
  ``…/batch-pass/`` run the actions of :mod:`portal.review.actions`.
- ``…/<pk>/evidence/`` downloads the evidence zip (logged).

Every per-filing view answers 404 for a filing outside the reviewer's scope.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.log_actions import log

from forms_engine.actions import ActionError
from portal.core.admin import StaffRecordView
from portal.core.masking import mask_id_number
from portal.enterprises.selectors import profile_snapshot, snapshot_display
from portal.filings.evidence.storage import evidence_storage
from portal.filings.models import EvidenceArchive, Filing, ReturnNote
from portal.filings.states import State
from portal.reports.exports import StreamingExportMixin

from . import actions, selectors
from .filters import TODO, FilingReviewFilterSet
from .forms import AdjustScoreForm, BatchPassForm, PassForm, RejectForm, ReturnForm


class CheckboxColumn(Column):
    """A checkbox per row that belongs to the 批量通过 form (HTML ``form`` attribute)."""

    cell_template_name = "review/_checkbox_cell.html"


class FilingQueueView(StreamingExportMixin, generic.IndexView):
    template_name = "review/queue.html"
    page_title = gettext_lazy("申报审核")
    search_fields = ["enterprise__name", "enterprise__uscc"]
    search_backend_name = None  # the ORM: names and USCCs by substring
    filterset_class = FilingReviewFilterSet
    default_ordering = "-submitted_at"
    paginate_by = 20
    list_export = [
        "enterprise.name",
        "enterprise.uscc",
        "get_level_display",
        "round_label",
        "enterprise.region.name",
        "state_label",
        "self_score",
        "verified_score",
        "submitted_at",
    ]
    export_headings = {
        "enterprise.name": gettext_lazy("企业名称"),
        "enterprise.uscc": gettext_lazy("统一社会信用代码"),
        "get_level_display": gettext_lazy("申报级别"),
        "round_label": gettext_lazy("申报批次"),
        "enterprise.region.name": gettext_lazy("注册地"),
        "state_label": gettext_lazy("状态"),
        "self_score": gettext_lazy("自评得分"),
        "verified_score": gettext_lazy("核定得分"),
        "submitted_at": gettext_lazy("提交时间"),
    }
    export_filename = "申报审核"
    export_list_name = "review"

    @property
    def columns(self):
        return [
            CheckboxColumn("select", label=""),
            TitleColumn(
                "enterprise_name",
                label=_("企业名称"),
                accessor="enterprise.name",
                get_url=lambda filing: reverse("review:inspect", args=[filing.pk]),
            ),
            Column("uscc", label=_("统一社会信用代码"), accessor="enterprise.uscc"),
            Column("level", label=_("申报级别"), accessor="get_level_display", sort_key="level"),
            Column("round", label=_("批次"), accessor="round_label"),
            Column("region", label=_("注册地"), accessor="enterprise.region.name", sort_key="region_code"),
            Column("state", label=_("状态"), accessor="state_label", sort_key="state"),
            Column("self_score", label=_("自评得分"), accessor="score_cell", sort_key="self_score"),
            Column("verified", label=_("核定得分"), accessor="verified_cell", sort_key="verified_score"),
            Column("submitted_at", label=_("提交时间"), accessor="submitted_at", sort_key="submitted_at"),
        ]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.scope = selectors.scope_of(request.user)
        if self.scope is None:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        return (
            selectors.filings_visible_to(self.request.user, self.scope)
            .select_related("enterprise__region", "window")
            .only(
                "pk",
                "level",
                "state",
                "step",
                "chain",
                "current_level",
                "region_code",
                "self_score",
                "max_score",
                "outcome_label",
                "verified_score",
                "submitted_at",
                "window__year",
                "window__batch",
                "enterprise__name",
                "enterprise__uscc",
                "enterprise__region__name",
            )
        )

    def get_filterset_kwargs(self):
        return {**super().get_filterset_kwargs(), "scope": self.scope}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        counts, todo = self.counts
        context.update(
            {
                "scope": self.scope,
                "state_rows": [
                    (value, label, counts[value])
                    for value, label in State.choices
                    if value not in (State.DRAFT, State.WITHDRAWN)
                ],
                "todo_count": todo,
            }
        )
        return context

    def state_and_todo_counts(self) -> tuple[dict[str, int], int]:
        """Counts per state of everything I see and 待我审核 (``selectors.queue_for``) in one
        grouped query, read from a covering index."""
        rows = (
            selectors.filings_visible_to(self.request.user, self.scope)
            .order_by()
            .values("state", "current_level")
            .annotate(n=Count("pk"))
        )
        counts = {state.value: 0 for state in State}
        todo = 0
        for row in rows:
            counts[row["state"]] = counts.get(row["state"], 0) + row["n"]
            if row["state"] == State.PENDING and (
                not self.scope.level or row["current_level"] == self.scope.level
            ):
                todo += row["n"]
        return counts, todo

    def get_paginate_by(self, queryset):
        return None if self.is_export else self.paginate_by

    @cached_property
    def counts(self) -> tuple[dict[str, int], int]:
        return self.state_and_todo_counts()

    def get_paginator(self, queryset, per_page, **kwargs):
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        if set(self.request.GET) <= {"view", "p", "ordering"} and self.request.GET.get("view", TODO) == TODO:
            # the plain 待我审核 list: its length is the 待我审核 count, already grouped with the others
            paginator.count = self.counts[1]
        return paginator

    def paginate_queryset(self, queryset, page_size):
        """The page's ids first (filtered, sorted and cut from a covering index, no table rows
        read), then those 20 filings with their joins: sorting the whole list's rows to keep 20
        made a province's queue over a million filings read and sort tens of thousands of them."""
        ids = queryset.values_list("pk", flat=True)
        paginator, page, id_page, is_paginated = super().paginate_queryset(ids, page_size)
        wanted = list(id_page)
        rows = {filing.pk: filing for filing in queryset.order_by().filter(pk__in=wanted)}
        page.object_list = [rows[pk] for pk in wanted if pk in rows]
        return paginator, page, page.object_list, is_paginated


class FilingReviewView(StaffRecordView):
    template_name = "review/filing_review.html"
    page_title = gettext_lazy("审核")

    def record_for(self, user, pk):
        return selectors.filing_for_reviewer(user, pk)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        page = selectors.review_page(self.request.user, self.object)
        enterprise = self.object.enterprise
        snapshot = profile_snapshot(enterprise)
        context.update(
            {
                "review": page,
                "filing": self.object,
                "profile": [(label, snapshot_display(snapshot, name)) for name, label in PROFILE_ROWS],
                "legal_representative_id": mask_id_number(enterprise.legal_representative_id),
                # one page, four forms: ids of their own, so each label names its own control
                "pass_form": PassForm(auto_id="pass-%s"),
                "return_form": ReturnForm(fields=page.fields, auto_id="return-%s"),
                "reject_form": RejectForm(auto_id="reject-%s"),
                "adjust_form": AdjustScoreForm(items=page.items, auto_id="adjust-%s"),
                "note_kinds": ReturnNote.Kind,
            }
        )
        return context


PROFILE_ROWS = [
    ("region", gettext_lazy("注册地")),
    ("industry", gettext_lazy("所属行业")),
    ("established_on", gettext_lazy("成立日期")),
    ("registered_capital", gettext_lazy("注册资本（万元）")),
    ("size_class", gettext_lazy("企业规模")),
    ("employees", gettext_lazy("从业人员数（人）")),
    ("main_products", gettext_lazy("主要产品（服务）")),
    ("contact_name", gettext_lazy("联系人")),
]


class FilingActionView(View):
    """POST one verb on one filing; errors come back as messages on the review page."""

    verb = ""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        filing = selectors.filing_for_reviewer(request.user, pk)
        if filing is None:
            raise Http404
        back = reverse("review:inspect", args=[filing.pk])
        try:
            done = self.run(request, filing)
        except PermissionDenied:
            messages.error(request, _("该申报当前不在您的处理层级，不能操作。"))
            return redirect(back)
        except ActionError as exc:
            messages.error(request, exc.message)
            return redirect(back)
        if done is None:
            return redirect(back)
        messages.success(request, done)
        return redirect(reverse("review:index") if self.verb != "adjust" else back)

    def run(self, request: HttpRequest, filing: Filing) -> str | None:
        raise NotImplementedError


class PassView(FilingActionView):
    verb = "pass"

    def run(self, request, filing):
        form = PassForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("意见不能超过 2000 个字。"))
            return None
        actions.PassFilingAction(filing, user=request.user, comment=form.cleaned_data["comment"]).execute()
        return _("已通过“%(name)s”的申报。") % {"name": filing.enterprise.name}


class ReturnView(FilingActionView):
    verb = "return"

    def run(self, request, filing):
        page_fields = [(f.key, f.label) for f in filing.submission.version.parsed.value_fields]
        form = ReturnForm(request.POST, fields=page_fields)
        if not form.is_valid():
            messages.error(request, _("退回时请填写退回理由。"))
            return None
        actions.ReturnFilingAction(
            filing, user=request.user, comment=form.cleaned_data["comment"], notes=form.notes()
        ).execute()
        return _("已退回“%(name)s”的申报，企业修改后可重新提交。") % {"name": filing.enterprise.name}


class RejectView(FilingActionView):
    verb = "reject"

    def run(self, request, filing):
        form = RejectForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("不通过时请填写理由。"))
            return None
        actions.RejectFilingAction(filing, user=request.user, comment=form.cleaned_data["comment"]).execute()
        return _("“%(name)s”的申报审核不通过。") % {"name": filing.enterprise.name}


class AdjustScoreView(FilingActionView):
    verb = "adjust"

    def run(self, request, filing):
        form = AdjustScoreForm(request.POST, items=selectors.review_page(request.user, filing).items)
        if not form.is_valid():
            messages.error(request, _("请选择指标，填写核定得分和核定理由。"))
            return None
        actions.AdjustScoreAction(
            filing,
            user=request.user,
            item_key=form.cleaned_data["item"],
            points=form.cleaned_data["points"],
            comment=form.cleaned_data["reason"],
        ).execute()
        return _("已记录核定得分。")


class BatchPassView(View):
    def post(self, request: HttpRequest) -> HttpResponse:
        if selectors.scope_of(request.user) is None:
            raise PermissionDenied
        form = BatchPassForm(request.POST)
        back = request.POST.get("next") or reverse("review:index")
        if not back.startswith("/admin/review/"):
            back = reverse("review:index")
        if not form.is_valid():
            messages.error(request, _("请先勾选要通过的申报。"))
            return redirect(back)
        visible = selectors.filings_visible_to(request.user).filter(pk__in=form.cleaned_data["ids"])
        chosen = list(visible.select_related("enterprise", "window", "submission"))
        passed, refused = actions.pass_filings(
            chosen, user=request.user, comment=form.cleaned_data["comment"]
        )
        if passed:
            messages.success(request, _("已通过 %(n)s 份申报。") % {"n": len(passed)})
        for filing, reason in refused:
            messages.error(
                request,
                _("“%(name)s”未通过：%(reason)s") % {"name": filing.enterprise.name, "reason": reason},
            )
        return redirect(back)


class EvidenceDownloadView(View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        filing = selectors.filing_for_reviewer(request.user, pk)
        archive = filing.evidence if filing is not None else None
        if archive is None or archive.state != EvidenceArchive.State.PASSED or not archive.stored_name:
            raise Http404
        log(
            instance=filing,
            action="filings.evidence_downloaded",
            user=request.user,
            data={"archive": archive.filename, "sha256": archive.sha256},
        )
        response = FileResponse(
            evidence_storage().open(archive.stored_name, "rb"),
            as_attachment=True,
            filename=archive.filename,
            content_type="application/zip",
        )
        response["Cache-Control"] = "private, no-store"
        return response
