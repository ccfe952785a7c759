"""The staff queues of account requests (SPEC F-45) in the review style: 人工实名认证 and
手机号修改（人工核验）, mounted by :mod:`portal.accounts.viewsets`.

- ``…/`` (:class:`AccountRequestQueueView`): 待审核 by default; filters (状态, and per queue 用户类型 /
  认领 / 所属省份), keyword search, sortable columns, 20 per page, counts per state (one grouped
  query), Excel export — personal data masked everywhere (``portal.core.masking``).
- ``…/inspect/<pk>/`` (:class:`AccountRequestReviewView`): the request, its uploads, the decision
  forms 【通过】 / 【不通过】 (with 审核意见) for staff who may decide; the full ID number only for them.
- POST ``…/<pk>/approve/``, ``…/<pk>/reject/`` (:class:`DecideView`): the actions of
  :mod:`portal.accounts.actions`.

Every view asks ``selectors.can_review`` (the model permission and the request's province inside
the reviewer's 审核人员范围); a request outside it answers 404.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic

from forms_engine.actions import ActionError
from portal.accounts import actions, selectors
from portal.accounts.models import PhoneChangeRequest, RealNameVerification, ReviewStatus, UserType
from portal.core.admin import StaffRecordView
from portal.core.masking import mask_id_number, mask_phone
from portal.core.scopes import ALL_REGIONS, region_prefix, staff_region_code
from portal.reference.models import Region
from portal.reports.exports import StreamingExportMixin

REASON_MAX = actions.REASON_MAX


class ApproveForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("审核意见（可选）"),
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("不通过理由"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("申请人可以看到。"),
    )


# --- filters ------------------------------------------------------------------------------------


def _province_choices(user) -> list[tuple[str, str]]:
    """The provinces inside the user's region (only a 部级 scope or a superuser covers several)."""
    scope = staff_region_code(user)
    rows = Region.objects.filter(level=Region.Level.PROVINCE)
    if scope is not ALL_REGIONS:
        rows = rows.filter(code__startswith=region_prefix(scope)) if scope else rows.none()
    return list(rows.order_by("code").values_list("code", "name"))


class AccountRequestFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("状态"), choices=ReviewStatus.choices, empty_label=gettext_lazy("全部")
    )
    province = django_filters.ChoiceFilter(
        label=gettext_lazy("所属省份"), field_name="province_code", empty_label=gettext_lazy("全部")
    )

    def __init__(self, data=None, *args, user=None, **kwargs):
        if data is not None and "status" not in data:
            # the queue opens on what waits for a decision
            data = data.copy()
            data["status"] = ReviewStatus.PENDING
        super().__init__(data, *args, **kwargs)
        self.filters["province"].extra["choices"] = _province_choices(user) if user is not None else []


class RealNameFilterSet(AccountRequestFilterSet):
    user_type = django_filters.ChoiceFilter(
        label=gettext_lazy("用户类型"),
        choices=[(UserType.LEGAL, UserType.LEGAL.label), (UserType.NATURAL, UserType.NATURAL.label)],
        empty_label=gettext_lazy("全部"),
    )
    claim = django_filters.ChoiceFilter(
        label=gettext_lazy("认领"),
        choices=[("yes", gettext_lazy("认领申请")), ("no", gettext_lazy("普通申请"))],
        empty_label=gettext_lazy("全部"),
        method="filter_claim",
    )

    class Meta:
        model = RealNameVerification
        fields = []

    def filter_claim(self, queryset, name, value):
        if value == "yes":
            return queryset.filter(claimed_from__isnull=False)
        if value == "no":
            return queryset.filter(claimed_from__isnull=True)
        return queryset


class PhoneChangeFilterSet(AccountRequestFilterSet):
    class Meta:
        model = PhoneChangeRequest
        fields = []


# --- the queue ----------------------------------------------------------------------------------


class AccountRequestQueueView(StreamingExportMixin, generic.IndexView):
    """One queue of account requests; subclasses name the model's selector and columns."""

    template_name = "accounts/admin/request_queue.html"
    search_backend_name = None  # the ORM: names, USCCs and login names by substring
    default_ordering = "-created_at"
    paginate_by = 20
    queue_selector = staticmethod(selectors.manual_verification_queue)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        model = self.model
        if not request.user.has_perm(f"accounts.view_{model._meta.model_name}") or (
            staff_region_code(request.user) == ""
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        return self.queue_selector(self.request.user)

    def get_filterset_kwargs(self):
        return {**super().get_filterset_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        counts = selectors.status_counts(self.queue_selector(self.request.user))
        context["state_rows"] = [(value, label, counts[value]) for value, label in ReviewStatus.choices]
        context["scope_label"] = _scope_label(self.request.user)
        return context

    def get_paginate_by(self, queryset):
        return None if self.is_export else self.paginate_by

    def to_row_dict(self, item):
        item.province_name = self.province_names.get(item.province_code, item.province_code)
        return super().to_row_dict(item)

    @cached_property
    def province_names(self) -> dict[str, str]:
        return dict(Region.objects.filter(level=Region.Level.PROVINCE).values_list("code", "name"))

    def province_column(self) -> Column:
        return Column(
            "province",
            label=_("所属省份"),
            accessor=lambda obj: self.province_names.get(obj.province_code, obj.province_code) or "—",
            sort_key="province_code",
        )


def _scope_label(user) -> str:
    scope = staff_region_code(user)
    if scope is ALL_REGIONS:
        return _("全国")
    return Region.objects.filter(code=scope).values_list("name", flat=True).first() or ""


def _inspect_url(viewset_name: str):
    return lambda obj: reverse(f"{viewset_name}:inspect", args=[obj.pk])


class RealNameQueueView(AccountRequestQueueView):
    page_title = gettext_lazy("人工实名认证审核")
    queue_selector = staticmethod(selectors.manual_verification_queue)
    filterset_class = RealNameFilterSet
    search_fields = ["enterprise_name", "name", "uscc", "user__username"]
    list_export = [
        "user.username",
        "get_user_type_display",
        "enterprise_name",
        "name",
        "masked_uscc",
        "masked_id_number",
        "claim_label",
        "get_status_display",
        "province_name",
        "created_at",
        "reviewed_at",
    ]
    export_headings = {
        "user.username": gettext_lazy("登录名"),
        "get_user_type_display": gettext_lazy("用户类型"),
        "enterprise_name": gettext_lazy("企业名称"),
        "name": gettext_lazy("姓名"),
        "masked_uscc": gettext_lazy("统一社会信用代码"),
        "masked_id_number": gettext_lazy("身份证号"),
        "claim_label": gettext_lazy("认领"),
        "get_status_display": gettext_lazy("状态"),
        "province_name": gettext_lazy("所属省份"),
        "created_at": gettext_lazy("提交时间"),
        "reviewed_at": gettext_lazy("审核时间"),
    }
    export_filename = "人工实名认证审核"
    export_list_name = "realname_reviews"

    @property
    def columns(self):
        return [
            TitleColumn(
                "applicant",
                label=_("申请人"),
                accessor="applicant_label",
                get_url=_inspect_url("realname_reviews"),
            ),
            Column("user_type", label=_("用户类型"), accessor="get_user_type_display", sort_key="user_type"),
            Column("uscc", label=_("统一社会信用代码"), accessor="masked_uscc"),
            Column("id_number", label=_("身份证号"), accessor="masked_id_number"),
            Column("claim", label=_("认领"), accessor="claim_label"),
            Column("status", label=_("状态"), accessor="get_status_display", sort_key="status"),
            self.province_column(),
            Column("created_at", label=_("提交时间"), accessor="created_at", sort_key="created_at"),
        ]


class PhoneChangeQueueView(AccountRequestQueueView):
    page_title = gettext_lazy("手机号修改审核")
    queue_selector = staticmethod(selectors.phone_change_queue)
    filterset_class = PhoneChangeFilterSet
    search_fields = ["user__username", "name"]
    list_export = [
        "user.username",
        "name",
        "masked_old_phone",
        "masked_new_phone",
        "masked_id_number",
        "get_status_display",
        "province_name",
        "created_at",
        "reviewed_at",
    ]
    export_headings = {
        "user.username": gettext_lazy("登录名"),
        "name": gettext_lazy("姓名"),
        "masked_old_phone": gettext_lazy("原手机号"),
        "masked_new_phone": gettext_lazy("新手机号"),
        "masked_id_number": gettext_lazy("统一社会信用代码或身份证号"),
        "get_status_display": gettext_lazy("状态"),
        "province_name": gettext_lazy("所属省份"),
        "created_at": gettext_lazy("提交时间"),
        "reviewed_at": gettext_lazy("审核时间"),
    }
    export_filename = "手机号修改审核"
    export_list_name = "phone_reviews"

    @property
    def columns(self):
        return [
            TitleColumn(
                "username",
                label=_("登录名"),
                accessor="user.username",
                get_url=_inspect_url("phone_reviews"),
            ),
            Column("name", label=_("姓名"), accessor="name"),
            Column("old_phone", label=_("原手机号"), accessor="masked_old_phone"),
            Column("new_phone", label=_("新手机号"), accessor="masked_new_phone"),
            Column("status", label=_("状态"), accessor="get_status_display", sort_key="status"),
            self.province_column(),
            Column("created_at", label=_("提交时间"), accessor="created_at", sort_key="created_at"),
        ]


# --- one request --------------------------------------------------------------------------------


def _file_link(obj, kind: str, field: str) -> str:
    if not getattr(obj, field):
        return "—"
    url = reverse("accounts:private_file", args=[kind, obj.pk, field])
    return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, _("查看"))


def request_for_reviewer(user, model, pk: Any):
    """Request ``pk`` of ``model`` if ``user`` may see it (None: 404)."""
    try:
        obj = model.objects.select_related("user", "reviewed_by").filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        return None
    return obj if obj is not None and selectors.can_review(user, obj, "view") else None


class AccountRequestReviewView(StaffRecordView):
    template_name = "accounts/admin/request_review.html"
    page_title = gettext_lazy("审核")
    viewset_name = ""
    file_kind = ""

    def record_for(self, user, pk):
        return request_for_reviewer(user, self.model, pk)

    def rows(self, obj, *, full: bool) -> list[tuple[str, Any]]:
        raise NotImplementedError

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        obj = self.object
        can_decide = selectors.can_review(self.request.user, obj, "change")
        context.update(
            {
                "request_obj": obj,
                "rows": self.rows(obj, full=can_decide),
                "can_decide": can_decide and obj.status == ReviewStatus.PENDING,
                # two forms on one page: ids of their own, so each label names its own box
                "approve_form": ApproveForm(auto_id="approve_%s"),
                "reject_form": RejectForm(auto_id="reject_%s"),
                "approve_url": reverse(f"{self.viewset_name}:approve", args=[obj.pk]),
                "reject_url": reverse(f"{self.viewset_name}:reject", args=[obj.pk]),
                "index_url": reverse(f"{self.viewset_name}:index"),
            }
        )
        return context


class RealNameReviewView(AccountRequestReviewView):
    viewset_name = "realname_reviews"

    def rows(self, obj: RealNameVerification, *, full: bool):
        claim = (
            _(
                "是：该统一社会信用代码已由账号 %(username)s 认证，通过后将撤销其实名认证，企业归本申请人所有。"
            )
            % {"username": obj.claimed_from.get_username()}
            if obj.is_claim
            else _("否")
        )
        return [
            (_("登录名"), obj.user.get_username()),
            (_("用户类型"), obj.get_user_type_display()),
            (_("企业名称"), obj.enterprise_name or "—"),
            # the decider compares the number with the licence; everyone else reads it masked
            (_("统一社会信用代码"), (obj.uscc if full else obj.masked_uscc) or "—"),
            (_("姓名"), obj.name),
            (_("身份证号"), obj.id_number if full else mask_id_number(obj.id_number)),
            (_("营业执照"), _file_link(obj, "realname", "licence")),
            (_("证明材料"), _file_link(obj, "realname", "evidence")),
            (_("申请说明"), obj.note or "—"),
            (_("认领"), claim),
            (_("所属省份代码"), obj.province_code or "—"),
            (_("提交时间"), obj.created_at),
        ]


class PhoneChangeReviewView(AccountRequestReviewView):
    viewset_name = "phone_reviews"

    def rows(self, obj: PhoneChangeRequest, *, full: bool):
        return [
            (_("登录名"), obj.user.get_username()),
            (_("原手机号"), mask_phone(obj.old_phone)),
            (_("新手机号"), mask_phone(obj.new_phone)),
            (_("姓名"), obj.name or "—"),
            (
                _("统一社会信用代码或身份证号"),
                (obj.id_number if full else mask_id_number(obj.id_number)) or "—",
            ),
            (_("证明材料"), _file_link(obj, "phone-change", "evidence")),
            (_("申请说明"), obj.note or "—"),
            (_("所属省份代码"), obj.province_code or "—"),
            (_("提交时间"), obj.created_at),
        ]


# --- decisions ----------------------------------------------------------------------------------


class DecideView(View):
    """POST 【通过】 or 【不通过】 on one request: the matching action of :mod:`portal.accounts.actions`.
    Refusals come back as messages on the request's page; a second submit of a decision that was
    taken changes nothing and says so."""

    model: type = RealNameVerification
    viewset_name = ""
    approve = True

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = request_for_reviewer(request.user, self.model, pk)
        if obj is None:
            raise Http404
        back = reverse(f"{self.viewset_name}:inspect", args=[obj.pk])
        form = (ApproveForm if self.approve else RejectForm)(request.POST)
        if not form.is_valid():
            messages.error(request, _("不通过时请填写不通过理由（不超过 2000 字）。"))
            return redirect(back)
        action = actions.decision_for(obj, approve=self.approve)(
            obj, user=request.user, reason=form.cleaned_data["reason"]
        )
        try:
            action.execute()
        except PermissionDenied:
            messages.error(request, _("您没有审核该申请的权限。"))
            return redirect(back)
        except ActionError as exc:
            messages.error(request, exc.message)
            return redirect(back)
        messages.success(
            request,
            _("审核结果已保存：%(result)s。") % {"result": _("通过") if self.approve else _("不通过")},
        )
        return redirect(back)
