"""企业重大变更 pages in the enterprise centre (SPEC F-25, the manual's 三(四)).

- ``/enterprise/changes/`` (:class:`ChangeIndexView`): 【新增变更】 by type, the history filterable
  by 【变更类型】, 【编辑】 / 【删除】 for drafts, 【详情】 for submitted ones.
- ``/enterprise/changes/new/<type>/`` (:class:`ChangeStartView`): a new draft of the type.
- ``/enterprise/changes/<pk>/fill/`` (:class:`ChangeFillView`): the engine's wizard on the change.
- ``/enterprise/changes/<pk>/`` (:class:`ChangeDetailView`): readable answers, state, timeline.
- ``/enterprise/changes/<pk>/delete/`` (:class:`ChangeDeleteView`): POST.

Ids of another enterprise's changes answer 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from forms_engine.answers import answers_display
from forms_engine.models import FormSubmission
from forms_engine.wizard import SubmissionWizardView
from portal.enterprises.centre import centre_context
from portal.enterprises.selectors import enterprise_for_user
from portal.enterprises.views import CentreMixin
from portal.filings.presenters import answer_steps

from . import selectors, services
from .models import ChangeType, MajorChange

CENTRE_KEY = "changes"


class ChangeIndexView(CentreMixin, View):
    centre_active = CENTRE_KEY

    def get(self, request: HttpRequest) -> HttpResponse:
        change_type = request.GET.get("type", "")
        if change_type not in ChangeType.values:
            change_type = ""
        return self.render_centre(
            request,
            "changes/change_index.html",
            {
                "changes": list(selectors.changes_of_enterprise(self.enterprise, change_type)),
                "types": ChangeType.choices,
                "chosen_type": change_type,
            },
        )


class ChangeStartView(CentreMixin, View):
    centre_active = CENTRE_KEY

    def post(self, request: HttpRequest, change_type: str) -> HttpResponse:
        try:
            change = services.start_change(
                enterprise=self.enterprise, user=request.user, change_type=change_type
            )
        except services.ChangeRefusedError as exc:
            messages.error(request, exc.messages[0])
            return redirect("changes:index")
        return redirect("changes:fill", pk=change.pk)


class ChangeOwnerMixin(CentreMixin):
    centre_active = CENTRE_KEY
    change: MajorChange

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            change = selectors.change_of(enterprise_for_user(request.user), kwargs["pk"])
            if change is None:
                raise Http404
            self.change = change
        return super().dispatch(request, *args, **kwargs)


class ChangeDetailView(ChangeOwnerMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        submission = self.change.submission
        rows = answers_display(submission.version.parsed, submission.answers, context=submission.context)
        return self.render_centre(
            request,
            "changes/change_detail.html",
            {"change": self.change, "steps": answer_steps(rows), "events": list(self.change.events.all())},
        )


class ChangeDeleteView(ChangeOwnerMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            services.delete_change(change=self.change, user=request.user)
        except services.ChangeRefusedError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("已删除暂存的变更。"))
        return redirect("changes:index")


class ChangeFillView(SubmissionWizardView):
    template_name = "changes/change_fill.html"
    change: MajorChange

    def get_submission(self) -> FormSubmission:
        self.enterprise = enterprise_for_user(self.request.user)
        change = selectors.change_of(self.enterprise, self.kwargs["pk"])
        if change is None:
            raise Http404
        self.change = change
        return change.submission

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.change.is_editable:
            return redirect("changes:detail", pk=self.change.pk)
        return super().get(request, *args, **kwargs)

    def post(self, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.change.is_editable:
            return redirect("changes:detail", pk=self.change.pk)
        return super().post(*args, **kwargs)

    def get_success_url(self, submission: FormSubmission) -> str:
        return reverse("changes:detail", args=[self.change.pk])

    def get_context_data(self, form: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(form=form, **kwargs)
        context.update(centre_context(self.enterprise, CENTRE_KEY))
        returned = self.change.events.filter(action="return").order_by("-created_at").first()
        context.update(
            {
                "change": self.change,
                "enterprise": self.enterprise,
                "migration_url": "",
                "returned": returned if self.change.state == MajorChange.State.RETURNED else None,
            }
        )
        return context
