"""Definition and version lists, new drafts, the editor overview, JSON, validation,
test-score, diff, impact and history pages."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forms_engine import services
from forms_engine.designer import forms as dforms
from forms_engine.designer import selectors
from forms_engine.designer.views.base import (
    APPROVE,
    DESIGN,
    PUBLISH,
    designer_url,
    get_version,
    linked_issues,
    permission,
    render_page,
    save_schema,
)
from forms_engine.diff import diff_schemas, frozen_field_keys
from forms_engine.impact import AnswerSet, impact_of
from forms_engine.models import FormDefinition, FormSubmission, FormVersion
from forms_engine.rendering import StepForm, build_step_forms
from forms_engine.schema import parse_schema
from forms_engine.schema.nodes import Schema
from forms_engine.scoring import score

# -- lists -----------------------------------------------------------------------------------


@permission(DESIGN)
def index(request: HttpRequest) -> HttpResponse:
    rows = []
    for definition in selectors.definitions_overview():
        versions = definition.version_list
        rows.append({
            "definition": definition,
            "current": next((v for v in versions if v.status == FormVersion.Status.PUBLISHED), None),
            "drafts": [v for v in versions if v.status == FormVersion.Status.DRAFT],
            "versions": versions,
        })
    return render_page(request, "index.html", rows=rows)


@permission(DESIGN)
def definition_detail(request: HttpRequest, key: str) -> HttpResponse:
    definition = get_object_or_404(FormDefinition, key=key)
    versions = list(selectors.definition_versions(definition))
    for version in versions:
        reviews = sorted(version.reviews.all(), key=lambda r: (r.submitted_at, r.pk), reverse=True)
        version.latest_review = reviews[0] if reviews else None
    choices = [(v.pk, f"v{v.number}（{v.get_status_display()}）") for v in versions]
    return render_page(request, "definition.html", definition=definition, versions=versions,
                 diff_form=dforms.DiffForm(versions=choices, initial={
                     "a": versions[1].pk if len(versions) > 1 else None, "b": versions[0].pk if versions else None}))


@permission(DESIGN)
@require_POST
def new_draft(request: HttpRequest, version_id: int) -> HttpResponse:
    source = get_version(version_id)
    form = dforms.NewDraftForm(request.POST)
    note = form.cleaned_data["change_note"] if form.is_valid() else ""
    draft = services.create_draft_from_version(source=source, created_by=request.user, change_note=note)
    messages.success(request, _("已基于 v%(source)s 新建草稿 v%(number)s。") % {"source": source.number,
                                                                        "number": draft.number})
    return redirect(designer_url("version", draft.pk))


@permission(DESIGN)
def version_detail(request: HttpRequest, version_id: int) -> HttpResponse:
    version = get_version(version_id)
    schema = version.schema
    frozen = frozen_field_keys(selectors.frozen_schemas(version.definition))
    issues = linked_issues(version, services.draft_issues(version=version)) if version.is_editable else []
    tree = [{"key": st.get("key"), "title": st.get("title", ""), "sections": [
        {"key": se.get("key"), "title": se.get("title", ""), "fields": [
            {"key": f.get("key"), "type": f.get("type"), "required": bool(f.get("required")),
             "label": f.get("label") or f.get("text") or ""} for f in se.get("fields") or []]}
        for se in st.get("sections") or []]} for st in schema.get("steps") or []]
    scoring = schema.get("scoring") or {}
    items = [{"key": i.get("key"), "label": i.get("label", ""), "method": i.get("method"), "max": i.get("max"),
              "group": i.get("group") or "—"} for i in scoring.get("items") or []]
    levels = [f"{lv.get('label')}≥{lv.get('min_total', 0)}" for lv in (scoring.get("outcome") or {}).get("levels") or []]
    review = selectors.latest_review(version)
    approval = services.approved_review(version) if version.is_editable else None
    return render_page(request, "version.html", version, title=schema.get("title", ""), tree=tree, items=items,
                 outcome_type=(scoring.get("outcome") or {}).get("type", "none"), levels=levels,
                 frozen=frozen, issues=issues, review=review, approval=approval,
                 editable=version.is_editable, comment_form=dforms.CommentForm(),
                 publish_form=dforms.PublishForm(initial={"effective_date": version.effective_date}),
                 can_approve=request.user.has_perm(APPROVE), can_publish=request.user.has_perm(PUBLISH),
                 own_review=review is not None and review.submitted_by_id == request.user.pk)


# -- JSON, validation, test-score ---------------------------------------------------------------


@permission(DESIGN)
def schema_json(request: HttpRequest, version_id: int) -> HttpResponse:
    version = get_version(version_id)
    if request.GET.get("download"):
        response = JsonResponse(services.export_definition_document(version=version),
                                json_dumps_params={"ensure_ascii": False, "indent": 2})
        response["Content-Disposition"] = f'attachment; filename="{version.definition.key}-v{version.number}.json"'
        return response
    form = dforms.SchemaJsonForm(request.POST or None, initial={
        "schema": json.dumps(version.schema, ensure_ascii=False, indent=2)})
    issues = None
    if request.method == "POST":
        if not version.is_editable:
            raise Http404
        if form.is_valid():
            issues = save_schema(request, version, form.cleaned_data["schema"])
            if issues is None:
                messages.success(request, _("已导入并保存。"))
                return redirect(designer_url("version", version.pk))
    return render_page(request, "json.html", version, form=form, issues=issues)


@permission(DESIGN)
def validate(request: HttpRequest, version_id: int) -> HttpResponse:
    version = get_version(version_id)
    issues = linked_issues(version, services.draft_issues(version=version))
    return render_page(request, "issues.html", version, issues=issues, title=_("校验结果"), show_ok=True)


def _step_forms(schema: Schema, data: Any, answers: dict[str, Any]) -> list[StepForm]:
    """Every step of the version on one page; errors stay hidden (as in 暂存): invalid answers
    simply score as unanswered, and the explanation says so."""
    return [form_class(data, prefix=f"q-{key}", answers=answers, quiet=True)
            for key, form_class in build_step_forms(schema)]


@permission(DESIGN)
def test_score(request: HttpRequest, version_id: int) -> HttpResponse:
    """Score sample answers — typed into the questions, typed as JSON, or taken from a stored
    submission — with the full explanation. Nothing is stored."""
    version = get_version(version_id)
    schema = version.parsed
    submissions = list(selectors.definition_submissions(version.definition))
    choices = [(s.pk, f"#{s.pk} · v{s.version.number} · {s.owner} · {(s.submitted_at or s.updated_at):%Y-%m-%d}")
               for s in submissions]
    data = request.POST if request.method == "POST" else None
    form = dforms.TestScoreForm(data, submissions=choices)
    steps = _step_forms(schema, data, {})
    result = None
    if data is not None and form.is_valid():
        answers: dict[str, Any] = {}
        context: dict[str, Any] = {}
        submission = next((s for s in submissions if s.pk == form.cleaned_data["submission"]), None)
        if submission is not None and "load" in data:
            # show the stored answers in the questions and score them
            answers, context = dict(submission.answers), dict(submission.context)
            form = dforms.TestScoreForm(initial={"submission": submission.pk}, submissions=choices)
            steps = _step_forms(schema, None, answers)
        else:
            for step in steps:
                step.is_valid()
                answers.update(step.step_answers())
            answers.update(form.cleaned_data["answers"])  # JSON, for power users, wins
        if form.is_bound and form.cleaned_data.get("province"):
            context["province"] = form.cleaned_data["province"]
        result = score(schema, answers, context=context)
    return render_page(request, "test_score.html", version, form=form, steps=steps, result=result)


# -- diff and impact ----------------------------------------------------------------------------


@permission(DESIGN)
def diff(request: HttpRequest, key: str) -> HttpResponse:
    definition = get_object_or_404(FormDefinition, key=key)
    versions = list(definition.versions.order_by("-number"))
    choices = [(v.pk, f"v{v.number}（{v.get_status_display()}）") for v in versions]
    form = dforms.DiffForm(request.GET or None, versions=choices)
    result = old = new = None
    if form.is_bound and form.is_valid():
        by_pk = {v.pk: v for v in versions}
        old, new = by_pk[form.cleaned_data["a"]], by_pk[form.cleaned_data["b"]]
        result = diff_schemas(old.schema, new.schema)
    return render_page(request, "diff.html", definition=definition, form=form, result=result, old=old, new=new)


@permission(DESIGN)
def impact(request: HttpRequest, version_id: int) -> HttpResponse:
    version = get_version(version_id)
    current = version.definition.versions.filter(status=FormVersion.Status.PUBLISHED).first()
    result = None
    if current is not None and current.pk != version.pk:
        submissions = list(selectors.submitted_submissions(current))
        answer_sets = [AnswerSet(ref=s.pk, label=f"#{s.pk} · {s.owner}", answers=s.answers, context=s.context)
                       for s in submissions]
        result = impact_of(parse_schema(current.schema), version.parsed, answer_sets)
    only_changed = request.GET.get("show") != "all"
    rows = [] if result is None else (result.changed if only_changed else result.rows)
    return render_page(request, "impact.html", version, current=current, result=result, rows=rows,
                 only_changed=only_changed)


@permission(DESIGN)
def impact_row(request: HttpRequest, version_id: int, submission_id: int) -> HttpResponse:
    version = get_version(version_id)
    submission = get_object_or_404(FormSubmission.objects.select_related("version"), pk=submission_id,
                                   version__definition=version.definition, state=FormSubmission.State.SUBMITTED)
    old = score(submission.version.parsed, submission.answers, context=submission.context)
    new = score(version.parsed, submission.answers, context=submission.context)
    return render_page(request, "impact_row.html", version, submission=submission, old=old, new=new)
