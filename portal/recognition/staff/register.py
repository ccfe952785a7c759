"""认定企业 (``/admin/recognitions/``): the register of recognitions of the staff member's region.

- ``/admin/recognitions/`` (:class:`RecognitionIndexView`): filters by level, year, status and
  region, keyword (name, USCC, number), Excel/CSV export (streamed, logged: portal.reports.exports).
- ``/admin/recognitions/inspect/<pk>/`` (:class:`RecognitionInspectView`): one recognition.
- ``/admin/recognitions/<pk>/certificate/`` (:class:`RecognitionCertificateView`): its certificate
  (logged).
- ``/admin/recognitions/<pk>/cancel/`` (:class:`RecognitionCancelView`): 【取消认定】 (F-44), for the
  deciding level of the recognition in its region.

Per-recognition views answer 404 outside the staff member's region.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.widgets.button import HeaderButton
from wagtail.log_actions import log

from forms_engine.actions import ActionError
from portal.core.admin import StaffRecordView
from portal.enterprises.selectors import region_label
from portal.reports.exports import StreamingExportMixin
from portal.review import selectors as review_selectors
from portal.review.selectors import scope_of

from .. import certificate, selectors
from ..actions import CancelRecognitionAction
from ..forms import CancelRecognitionForm
from ..models import RecognitionStatus
from .filters import RecognitionFilterSet


class RecognitionIndexView(StreamingExportMixin, generic.IndexView):
    template_name = "recognition/admin/recognition_index.html"
    page_title = gettext_lazy("认定企业")
    filterset_class = RecognitionFilterSet
    search_fields = ["enterprise_name", "uscc", "number"]
    search_backend_name = None
    default_ordering = "-valid_from"
    paginate_by = 50
    list_export = [
        "enterprise_name",
        "uscc",
        "get_level_display",
        "year",
        "number",
        "valid_from",
        "valid_until",
        "current_status_label",
        "region_name",
        "authority",
    ]
    export_headings = {
        "enterprise_name": gettext_lazy("企业名称"),
        "uscc": gettext_lazy("统一社会信用代码"),
        "get_level_display": gettext_lazy("认定级别"),
        "year": gettext_lazy("认定年度"),
        "number": gettext_lazy("认定编号"),
        "valid_from": gettext_lazy("有效期起"),
        "valid_until": gettext_lazy("有效期至"),
        "current_status_label": gettext_lazy("状态"),
        "region_name": gettext_lazy("注册地"),
        "authority": gettext_lazy("认定机关"),
    }
    export_filename = "认定企业"
    export_list_name = "recognitions"

    @property
    def columns(self):
        return [
            TitleColumn(
                "enterprise_name",
                label=_("企业名称"),
                get_url=lambda recognition: reverse("recognitions:inspect", args=[recognition.pk]),
            ),
            Column("uscc", label=_("统一社会信用代码")),
            Column("level", label=_("认定级别"), accessor="get_level_display", sort_key="level"),
            Column("year", label=_("认定年度"), sort_key="year"),
            Column("number", label=_("认定编号"), sort_key="number", classname="recognition-nowrap"),
            Column(
                "validity",
                label=_("有效期"),
                accessor="validity_label",
                sort_key="valid_until",
                classname="recognition-nowrap",
            ),
            Column("status", label=_("状态"), accessor="current_status_label", sort_key="status"),
            Column(
                "region",
                label=_("注册地"),
                accessor=lambda r: region_label(r.region_code),
                sort_key="region_code",
            ),
        ]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.scope = scope_of(request.user)
        if self.scope is None:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        return selectors.recognitions_visible_to(self.request.user, self.scope)

    def get_filterset_kwargs(self):
        return {**super().get_filterset_kwargs(), "scope": self.scope}

    def to_row_dict(self, item):
        item.region_name = region_label(item.region_code)
        return super().to_row_dict(item)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["scope"] = self.scope
        return context


class RecognitionInspectView(StaffRecordView):
    template_name = "recognition/admin/recognition_inspect.html"
    page_title = gettext_lazy("认定企业")

    def record_for(self, user, pk):
        return selectors.recognition_for_staff(user, pk)

    @property
    def header_buttons(self):
        buttons = [
            HeaderButton(
                _("下载认定证书"),
                url=reverse("recognitions:certificate", args=[self.object.pk]),
                icon_name="download",
            )
        ]
        if self.object.is_in_force and selectors.can_cancel(self.request.user, self.object):
            buttons.append(
                HeaderButton(
                    _("取消认定"),
                    url=reverse("recognitions:cancel", args=[self.object.pk]),
                    icon_name="cross",
                )
            )
        return buttons

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        recognition = self.object
        context.update(
            {
                "recognition": recognition,
                "region": region_label(recognition.region_code),
                "can_view_filing": recognition.filing is not None
                and review_selectors.can_view(self.request.user, recognition.filing),
                "can_view_publicity": recognition.publicity is not None
                and selectors.can_manage_publicity(self.request.user, recognition.publicity),
            }
        )
        return context


class RecognitionCertificateView(View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        recognition = selectors.recognition_for_staff(request.user, pk)
        if recognition is None:
            raise Http404
        handle, filename = certificate.certificate_file(recognition)
        log(
            instance=recognition,
            action="recognition.certificate_downloaded",
            user=request.user,
            data={"number": recognition.number},
        )
        response = FileResponse(handle, as_attachment=True, filename=filename, content_type="application/pdf")
        response["Cache-Control"] = "private, no-store"
        return response


class RecognitionCancelView(View):
    """【取消认定】: the form (reason and category) and its POST (CancelRecognitionAction)."""

    template_name = "recognition/admin/recognition_cancel.html"

    def _recognition(self, request: HttpRequest, pk: int):
        recognition = selectors.recognition_for_staff(request.user, pk)
        if recognition is None or not selectors.can_cancel(request.user, recognition):
            raise Http404
        return recognition

    def _render(self, request: HttpRequest, recognition, form) -> HttpResponse:
        return render(
            request,
            self.template_name,
            {
                "recognition": recognition,
                "form": form,
                "in_force": recognition.current_status == RecognitionStatus.VALID,
                "bar_years": selectors.recognition_settings().fraud_bar_years,
            },
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        recognition = self._recognition(request, pk)
        return self._render(request, recognition, CancelRecognitionForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        recognition = self._recognition(request, pk)
        form = CancelRecognitionForm(request.POST)
        if not form.is_valid():
            return self._render(request, recognition, form)
        try:
            CancelRecognitionAction(
                recognition,
                user=request.user,
                reason=form.cleaned_data["reason"],
                category=form.cleaned_data["category"],
            ).execute()
        except PermissionDenied as exc:
            raise Http404 from exc
        except ActionError as exc:
            messages.error(request, exc.message)
            return redirect("recognitions:inspect", pk=recognition.pk)
        messages.success(
            request,
            _("已取消“%(name)s”的%(level)s认定，企业已收到取消认定消息。")
            % {"name": recognition.enterprise_name, "level": recognition.get_level_display()},
        )
        return redirect("recognitions:inspect", pk=recognition.pk)
