"""企业申报信息 pages, inside the enterprise centre's frame (SPEC F-24, F-30–F-37).

- ``/enterprise/filings/`` (:class:`FilingIndexView`): the three levels with their window and the
  current filing (【申请】 / 【继续填写】 / 【详情】), and the history with 【详情】 and 【下载】.
- ``/enterprise/filings/apply/<level>/`` (:class:`FilingApplyView`): window and prerequisites, then
  resume the open filing or start one; on to its form.
- ``/enterprise/filings/<pk>/fill/`` (:class:`FilingFillView`): the engine's wizard on the filing.
- ``/enterprise/filings/<pk>/submit/`` (:class:`FilingSubmitView`): score, eligibility, evidence and
  【确认提交】.
- ``/enterprise/filings/<pk>/`` (:class:`FilingDetailView`): the filing as submitted, with its timeline.
- ``/enterprise/filings/<pk>/pdf/`` (:class:`FilingPdfView`): 【下载】 the PDF of the submitted state.
- ``/enterprise/filings/<pk>/withdraw/`` (:class:`FilingWithdrawView`): 【撤回】 a draft or returned filing.

Every page with an id answers 404 unless the filing belongs to the signed-in user's enterprise.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from forms_engine import services as engine
from forms_engine.models import FormSubmission
from forms_engine.wizard import SubmissionWizardView, wants_json
from portal.enterprises.centre import centre_context
from portal.enterprises.models import Enterprise
from portal.enterprises.prefill import remember_enterprise
from portal.enterprises.views import CentreMixin

from . import pdf, selectors, services
from .evidence.selectors import get_archive_for_enterprise, list_archives_for_enterprise
from .evidence.views import evidence_component_context
from .models import Filing, FilingLevel
from .presenters import filing_view, submit_view

CENTRE_KEY = "filings"


class FilingIndexView(CentreMixin, View):
    centre_active = CENTRE_KEY

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_centre(
            request,
            "filings/filing_index.html",
            {
                "entries": selectors.level_entries(self.enterprise, request.user),
                "filings": list(selectors.filings_of_enterprise(self.enterprise)),
            },
        )


class FilingApplyView(CentreMixin, View):
    """【申请】. A link (GET) like 【去自评】: applying twice resumes the same filing."""

    centre_active = CENTRE_KEY

    def get(self, request: HttpRequest, level: str) -> HttpResponse:
        if level not in FilingLevel.values:
            raise Http404
        try:
            # 【编辑】 企业信息 returns here, and 【申请】 then opens the form (issue 9.7)
            filing = services.start_filing(
                enterprise=self.enterprise, user=request.user, level=level, return_to=request.path
            )
        except services.FilingRefusedError as exc:
            return self.render_centre(
                request,
                "filings/filing_refused.html",
                {
                    "level_label": FilingLevel(level).label,
                    "message": exc.messages[0],
                    "unmet": exc.unmet,
                    "code": exc.code,
                },
                status=403,
            )
        if filing.is_editable:
            return redirect("filings:fill", pk=filing.pk)
        return redirect("filings:detail", pk=filing.pk)

    post = get


class FilingOwnerMixin(CentreMixin):
    centre_active = CENTRE_KEY
    filing: Filing
    with_timeline = False  # the pages that show the timeline read it with the filing

    def get_enterprise(self, request: HttpRequest) -> Enterprise:
        # the filing and the enterprise in one query; 404 unless the filing is the user's enterprise's
        filing = selectors.filing_for_owner(request.user, self.kwargs["pk"], with_timeline=self.with_timeline)
        if filing is None:
            raise Http404
        self.filing = filing
        return filing.enterprise


class FilingDetailView(FilingOwnerMixin, View):
    with_timeline = True

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render_centre(request, "filings/filing_detail.html", {"view": filing_view(self.filing)})


class FilingFillView(SubmissionWizardView):
    """The engine's wizard on the filing's submission, inside the centre's frame."""

    template_name = "filings/filing_fill.html"
    filing: Filing

    def get_submission(self) -> FormSubmission:
        # every 【暂存】 comes through here: the filing, its enterprise, submission and version are
        # one query, and the rest of the request reuses them (the engine re-reads the verified
        # identity from the enterprise at every save: it gets this one)
        user = self.request.user
        in_place = self.request.method == "POST" and wants_json(self.request)
        filing = selectors.filing_for_owner(user, self.kwargs["pk"], for_wizard=True, in_place=in_place)
        if filing is None:
            raise Http404
        self.filing, self.enterprise = filing, filing.enterprise
        submission = filing.submission
        if submission.owner_id == user.pk:
            submission.owner = user
            remember_enterprise(user, self.enterprise)
        return submission

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.filing.is_editable:
            return redirect("filings:detail", pk=self.filing.pk)
        return super().get(request, *args, **kwargs)

    def post(self, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.filing.is_editable:
            return redirect("filings:detail", pk=self.filing.pk)
        return super().post(*args, **kwargs)

    def get_success_url(self, submission: FormSubmission) -> str:
        return reverse("filings:detail", args=[self.filing.pk])

    def get_field_annotations(self) -> dict[str, list[str]]:
        notes = selectors.field_annotations(self.filing)
        returned = selectors.latest_return(self.filing)
        if returned is not None:
            for key, comments in returned.field_notes.items():
                notes.setdefault(key, []).extend(
                    _("退回意见（%(by)s）：%(comment)s") % {"by": returned.by, "comment": comment}
                    for comment in comments
                )
        return notes

    def get_context_data(self, form: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(form=form, **kwargs)
        context.update(centre_context(self.enterprise, CENTRE_KEY))
        # a filing's draft moves to a newer version through the filing, not the engine's own page
        context.update(
            {
                "filing": self.filing,
                "enterprise": self.enterprise,
                "migration_url": "",
                "returned": selectors.latest_return(self.filing),
            }
        )
        return context

    def done(self, form_list: list[Any], **kwargs: Any) -> HttpResponse:
        # every step passed: show the score, eligibility and evidence before 【确认提交】
        return redirect("filings:submit", pk=self.filing.pk)


class FilingSubmitView(FilingOwnerMixin, View):
    """The last look before 【确认提交】: score, eligibility, what is missing, the evidence zip."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not self.filing.is_editable:
            return redirect("filings:detail", pk=self.filing.pk)
        return self._render(request)

    def _render(
        self, request: HttpRequest, *, chosen: str = "", refusal=None, status: int = 200
    ) -> HttpResponse:
        archives = list(list_archives_for_enterprise(self.enterprise))
        if not chosen and self.filing.evidence is not None:
            chosen = str(self.filing.evidence.public_id)
        if not chosen:  # the newest archive that passed, checked for convenience (the person sees it)
            chosen = next((str(a.public_id) for a in archives if a.state == a.State.PASSED), "")
        return self.render_centre(
            request,
            "filings/filing_submit.html",
            {
                "view": submit_view(self.filing, request.user),
                "evidence": evidence_component_context(request, archives, choose=True, chosen=chosen),
                "refusal": refusal,
                "returned": selectors.latest_return(self.filing),
            },
            status=status,
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        chosen = request.POST.get("evidence", "")
        archive = get_archive_for_enterprise(self.enterprise, chosen) if chosen else None
        if chosen and archive is None:
            messages.error(request, _("所选压缩包不存在或已删除，请重新选择。"))
            return self._render(request, status=400)
        revision = request.POST.get("revision", "")
        try:
            filing = services.submit_filing(
                filing=self.filing,
                user=request.user,
                evidence=archive,
                expected_revision=int(revision) if revision.isdigit() else None,
            )
        except services.FilingRefusedError as exc:
            return self._render(request, chosen=chosen, refusal=exc, status=409)
        except engine.SubmissionInvalidError:
            messages.error(request, _("申报表还有需要修改的内容，请修改后再提交。"))
            return redirect("filings:fill", pk=self.filing.pk)
        except engine.SubmissionConflictError as exc:
            messages.error(request, str(exc))
            return self._render(request, chosen=chosen, status=409)
        messages.success(request, _("提交成功，申报已进入审核。"))
        return redirect("filings:detail", pk=filing.pk)


class FilingWithdrawView(FilingOwnerMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            services.withdraw_filing(filing=self.filing, user=request.user)
        except services.FilingRefusedError as exc:
            messages.error(request, exc.messages[0])
            return redirect("filings:detail", pk=pk)
        messages.success(request, _("已撤回该申报。"))
        return redirect("filings:index")


class FilingPdfView(FilingOwnerMixin, View):
    """【下载】 the PDF of the filing as last submitted (rendered once per submitted state)."""

    with_timeline = True

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            handle, filename = pdf.filing_pdf(self.filing)
        except pdf.NothingSubmittedError as exc:
            raise Http404 from exc
        response = FileResponse(handle, as_attachment=True, filename=filename, content_type="application/pdf")
        response["Cache-Control"] = "private, no-store"
        return response
