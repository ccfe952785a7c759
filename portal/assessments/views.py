"""数字化水平评测 pages, inside the enterprise centre's frame (SPEC F-04, F-35, FAQ 6).

- ``/assessment/`` (:class:`AssessmentIndexView`): the questionnaire the enterprise gets, the
  latest result, 【去自评】 / 【继续填写】 and the history of attempts.
- ``/assessment/start/`` (:class:`AssessmentStartView`): the start guard (verified 法人 account,
  complete profile), then resume the open draft or start an attempt; on to its wizard.
- ``/assessment/<pk>/fill/`` (:class:`AssessmentFillView`): the engine's wizard on the attempt.
- ``/assessment/<pk>/`` (:class:`AssessmentDetailView`): the result.

Every page with an id answers 404 unless the attempt belongs to the signed-in user's enterprise.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View

from forms_engine import host
from forms_engine.models import FormDefinition, FormSubmission
from forms_engine.wizard import SubmissionWizardView
from portal.enterprises.centre import centre_context
from portal.enterprises.selectors import enterprise_for_user, questionnaire_key_for
from portal.enterprises.views import CentreMixin

from . import selectors, services
from .models import Assessment

CENTRE_KEY = "assessment"


class AssessmentIndexView(CentreMixin, View):
    centre_active = CENTRE_KEY

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_centre(
            request,
            "assessments/assessment_index.html",
            {
                "overview": selectors.assessment_overview(self.enterprise),
            },
        )


def _definition_for(enterprise) -> FormDefinition:
    """The questionnaire's definition for the start guard's pages; without an industry (the profile
    is incomplete then, and the guard says so) an unsaved stand-in carrying the module's name."""
    key = questionnaire_key_for(enterprise) if enterprise is not None else None
    definition = FormDefinition.objects.filter(key=key).first() if key else None
    return definition or FormDefinition(
        title=str(_("数字化水平评测")), category=FormDefinition.Category.ASSESSMENT
    )


class AssessmentStartView(LoginRequiredMixin, View):
    """【去自评】 / 【继续填写】. A link (GET) like the engine's /forms/fill/: starting twice resumes
    the same draft, so a repeated or forged request changes nothing."""

    def get(self, request: HttpRequest) -> HttpResponse:
        enterprise = enterprise_for_user(request.user)
        # FAQ 2 (verified 法人 account), then a complete profile; the pages say what to do
        refusal = host.start_guard(request, _definition_for(enterprise))
        if refusal is not None:
            return refusal
        try:
            assessment = services.start_assessment(enterprise=enterprise, user=request.user)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
            return redirect("assessments:index")
        return redirect("assessments:fill", pk=assessment.pk)

    post = get


class AssessmentDetailView(LoginRequiredMixin, View):
    """The result of one attempt; 404 for anyone but its enterprise (accounts without an
    enterprise too: an id is never answered with another page)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        enterprise = enterprise_for_user(request.user)
        assessment = selectors.assessment_of(enterprise, pk)
        if assessment is None:
            raise Http404
        if not assessment.is_submitted:
            return redirect("assessments:fill", pk=assessment.pk)
        return render(
            request,
            "assessments/assessment_detail.html",
            {
                **centre_context(enterprise, CENTRE_KEY),
                "enterprise": enterprise,
                "result": selectors.assessment_result(assessment),
            },
        )


class AssessmentFillView(SubmissionWizardView):
    """The engine's wizard on the attempt's submission, inside the centre's frame."""

    template_name = "assessments/assessment_fill.html"
    assessment: Assessment

    def get_submission(self) -> FormSubmission:
        self.enterprise = enterprise_for_user(self.request.user)
        assessment = selectors.assessment_of(self.enterprise, self.kwargs["pk"])
        if assessment is None:
            raise Http404
        self.assessment = assessment
        return assessment.submission

    def get_success_url(self, submission: FormSubmission) -> str:
        return reverse("assessments:detail", args=[self.assessment.pk])

    def get_context_data(self, form: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(form=form, **kwargs)
        context.update(centre_context(self.enterprise, CENTRE_KEY))
        context.update({"assessment": self.assessment, "enterprise": self.enterprise})
        return context
