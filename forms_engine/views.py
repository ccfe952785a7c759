"""Thin views: start or resume a form, show a result, and the live score preview fragment."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.module_loading import import_string
from django.views.decorators.http import require_POST

from forms_engine import selectors, services
from forms_engine.models import FormDefinition, FormVersion
from forms_engine.rendering import build_step_form
from forms_engine.scoring import score


def start_guard(request: HttpRequest, definition: FormDefinition) -> HttpResponse | None:
    """The host's say on who may fill in forms: ``settings.FORMS_ENGINE_START_GUARD`` names a
    callable ``(request, definition) -> HttpResponse | None`` (None: go ahead). The engine cannot
    know the host's account types; the portal refuses natural-person accounts here (FAQ 2)."""
    path = getattr(settings, "FORMS_ENGINE_START_GUARD", None)
    return import_string(path)(request, definition) if path else None


@login_required
def fill_form(request: HttpRequest, key: str) -> HttpResponse:
    """/forms/fill/<key>/: resume the user's open draft, or start one on the current version."""
    definition = get_object_or_404(FormDefinition, key=key, self_service=True)
    refusal = start_guard(request, definition)
    if refusal is not None:
        return refusal
    try:
        submission = services.resume_or_start_submission(definition=definition, owner=request.user)
    except services.DefinitionNotAvailableError as exc:
        messages.error(request, str(exc))
        return render(request, "forms_engine/unavailable.html", {"definition": definition}, status=404)
    return redirect("forms_engine:wizard", uuid=submission.uuid)


@login_required
def submission_result(request: HttpRequest, uuid: str) -> HttpResponse:
    submission = get_object_or_404(selectors.submissions_for_user(request.user), uuid=uuid)
    schema = submission.version.parsed
    result = submission.score
    if result is None and schema.scoring.enabled:  # a draft: show the score so far
        result = score(schema, submission.answers, context=submission.context).as_dict()
    fields = schema.field_map()
    answers_display = [(fields[k].label, v) for k, v in submission.answers.items() if k in fields]
    return render(request, "forms_engine/result.html", {
        "submission": submission, "version": submission.version, "schema": schema, "result": result,
        "answers_display": answers_display,
    })


def _score_fragment(request: HttpRequest, version: FormVersion, answers: dict, context: dict) -> HttpResponse:
    """Score the stored answers overlaid with the posted (unsaved) values of the current step."""
    schema = version.parsed
    if not schema.scoring.enabled:
        raise Http404
    step_key = request.POST.get(f"form_{version.pk}-current_step")
    step = next((s for s in schema.steps if s.key == step_key), None)
    merged = dict(answers)
    if step is not None:
        form = build_step_form(schema, step)(request.POST, request.FILES, prefix=step.key, answers=answers,
                                             context=context, quiet=True)
        form.is_valid()
        merged.update(form.step_answers())
    result = score(schema, merged, context=context)
    return render(request, "forms_engine/score_panel.html", {"score_result": result, "schema": schema})


@login_required
@require_POST
def score_preview(request: HttpRequest, uuid: str) -> HttpResponse:
    submission = get_object_or_404(selectors.submissions_for_user(request.user), uuid=uuid)
    return _score_fragment(request, submission.version, dict(submission.answers), submission.context)


@permission_required("forms_engine.preview_formdefinition", raise_exception=True)
@require_POST
def preview_score(request: HttpRequest, version_id: int) -> HttpResponse:
    version = get_object_or_404(FormVersion, pk=version_id)
    stored = request.session.get(f"wizard_form_{version.pk}", {}).get("extra_data", {})
    return _score_fragment(request, version, dict(stored.get("answers", {})), {})
