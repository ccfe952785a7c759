"""Thin views: start or resume a form, the result, the live preview, files, 【迁移到新版本】."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forms_engine import host, selectors, services, uploads
from forms_engine.answers import answers_display
from forms_engine.models import FormDefinition, FormSubmission, FormVersion
from forms_engine.rendering import StepForm, build_step_form
from forms_engine.scoring import score
from forms_engine.values import clean_answers


def start_guard(request: HttpRequest, definition: FormDefinition) -> HttpResponse | None:
    """The host's say on who may fill in forms (``settings.FORMS_ENGINE_START_GUARD``)."""
    return host.start_guard(request, definition)


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
    submission = get_object_or_404(selectors.self_service_submissions_for_user(request.user), uuid=uuid)
    schema = submission.version.parsed
    result = submission.score
    if result is None and schema.scoring.enabled:  # a draft: show the score so far
        result = score(schema, submission.answers, context=submission.context).as_dict()
    return render(
        request,
        "forms_engine/result.html",
        {
            "submission": submission,
            "version": submission.version,
            "schema": schema,
            "result": result,
            "answers_display": answers_display(schema, submission.answers, context=submission.context),
            "file_fields": {f.key for f in schema.value_fields if f.kind.upload},
        },
    )


def _typed_answers(form: StepForm) -> dict[str, Any]:
    """The step's answers as they are in the page: valid values as stored, and what was typed
    into a field its type or a cross-field rule refuses (so the score names it instead of scoring
    the value stored before). Fields not posted, files and read-only fields keep the stored value."""
    form.is_valid()
    valid = form.step_answers()
    typed: dict[str, Any] = {}
    for spec in form.step.fields:
        field = form.fields.get(spec.key)
        if not spec.stored or field is None or field.disabled or spec.kind.upload:
            continue
        if spec.key in valid:
            typed[spec.key] = valid[spec.key]
        elif not field.widget.value_omitted_from_data(form.data, form.files, form.add_prefix(spec.key)):
            typed[spec.key] = form[spec.key].data
    return typed


def _live(request: HttpRequest, version: FormVersion, answers: dict, context: dict) -> HttpResponse:
    """The score panel and the computed values of the stored answers overlaid with the posted
    (unsaved) values of the current step, valid or not; nothing is stored."""
    schema = version.parsed
    step_key = request.POST.get(f"form_{version.pk}-current_step")
    step = next((s for s in schema.steps if s.key == step_key), None)
    merged = dict(answers)
    if step is not None:
        form = build_step_form(schema, step)(
            request.POST, request.FILES, prefix=step.key, answers=answers, context=context, quiet=True
        )
        merged.update(_typed_answers(form))
    cleaned = clean_answers(schema, merged, context=context, require_complete=False)
    computed = {
        f.key: f.kind.initial(f, cleaned.values.get(f.key)) if cleaned.values.get(f.key) is not None else ""
        for f in (step.fields if step else ())
        if f.has_value and not f.stored
    }
    panel = None
    if schema.scoring.enabled:
        result = score(schema, merged, context=context).as_dict()
        panel = render_to_string(
            "forms_engine/score_panel.html", {"score_result": result, "schema": schema}, request=request
        )
    if request.headers.get("Accept", "").startswith("text/html"):
        if panel is None:
            raise Http404
        return HttpResponse(panel)
    return JsonResponse({"panel": panel, "computed": computed})


@login_required
@require_POST
def score_preview(request: HttpRequest, uuid: str) -> HttpResponse:
    submission = get_object_or_404(selectors.submissions_for_user(request.user), uuid=uuid)
    return _live(request, submission.version, dict(submission.answers), submission.context)


@permission_required("forms_engine.preview_formdefinition", raise_exception=True)
@require_POST
def preview_score(request: HttpRequest, version_id: int) -> HttpResponse:
    version = get_object_or_404(FormVersion, pk=version_id)
    stored = request.session.get(f"wizard_form_{version.pk}", {}).get("extra_data", {})
    return _live(request, version, dict(stored.get("answers", {})), {})


@login_required
def submission_file(request: HttpRequest, uuid: str, field: str) -> HttpResponse:
    """A file answer: the owner, or staff the host admits (``FORMS_ENGINE_FILE_ACCESS``).

    404 (not 403) for anyone else, so the page does not confirm that the submission exists.
    """
    submission = get_object_or_404(FormSubmission.objects.select_related("owner", "version"), uuid=uuid)
    if not host.may_read_files(request.user, submission):
        raise Http404
    answer: Any = (submission.answers or {}).get(field)
    if not isinstance(answer, dict) or not uploads.is_engine_path(answer.get("path", "")):
        raise Http404
    try:
        handle = uploads.open_upload(answer["path"])
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=uploads.display_name(answer.get("name") or "附件")
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def migrate(request: HttpRequest, uuid: str) -> HttpResponse:
    """【迁移到新版本】: what is carried over and what must be answered again; moves on confirm."""
    submission = get_object_or_404(selectors.self_service_submissions_for_user(request.user), uuid=uuid)
    target = services.migration_target(submission)
    if target is None:
        messages.info(request, _("该草稿已是最新版本，无需迁移。"))
        return redirect("forms_engine:wizard", uuid=submission.uuid)
    plan = services.plan_draft_migration(submission=submission, target=target)
    if request.method == "POST":
        try:
            services.migrate_draft(
                submission=submission,
                target=target,
                user=request.user,
                expected_revision=int(request.POST.get("revision") or -1),
            )
        except services.SubmissionStateError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, _("已迁移到 v%(number)s。请补充标出的内容。") % {"number": target.number}
            )
        return redirect("forms_engine:wizard", uuid=submission.uuid)
    return render(
        request,
        "forms_engine/migrate.html",
        {
            "submission": submission,
            "version": submission.version,
            "target": target,
            "plan": plan,
            "schema": target.parsed,
        },
    )
