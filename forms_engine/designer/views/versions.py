"""Definition and version lists, new drafts, the editor overview, JSON, validation,
test-score, diff, impact and history pages."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forms_engine import selectors, services
from forms_engine.answers import masked_answers
from forms_engine.designer import forms as dforms
from forms_engine.designer.views.base import (
    APPROVE,
    DESIGN,
    PUBLISH,
    designer_url,
    get_version,
    linked_issues,
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


@permission_required(DESIGN, raise_exception=True)
def index(request: HttpRequest) -> HttpResponse:
    rows = []
    for definition in selectors.definitions_overview():
        versions = definition.version_list
        rows.append(
            {
                "definition": definition,
                "current": next((v for v in versions if v.status == FormVersion.Status.PUBLISHED), None),
                "drafts": [v for v in versions if v.status == FormVersion.Status.DRAFT],
                "versions": versions,
            }
        )
    return render_page(request, "index.html", rows=rows)


@permission_required(DESIGN, raise_exception=True)
def definition_detail(request: HttpRequest, key: str) -> HttpResponse:
    definition = get_object_or_404(FormDefinition, key=key)
    versions = list(selectors.definition_versions(definition))
    for version in versions:
        reviews = sorted(version.reviews.all(), key=lambda r: (r.submitted_at, r.pk), reverse=True)
        version.latest_review = reviews[0] if reviews else None
    choices = [(v.pk, f"v{v.number}（{v.get_status_display()}）") for v in versions]
    return render_page(
        request,
        "definition.html",
        definition=definition,
        versions=versions,
        diff_form=dforms.DiffForm(
            versions=choices,
            initial={
                "a": versions[1].pk if len(versions) > 1 else None,
                "b": versions[0].pk if versions else None,
            },
        ),
    )


@permission_required(DESIGN, raise_exception=True)
@require_POST
def new_draft(request: HttpRequest, version_id: int) -> HttpResponse:
    source = get_version(version_id)
    form = dforms.NewDraftForm(request.POST)
    note = form.cleaned_data["change_note"] if form.is_valid() else ""
    draft = services.create_draft_from_version(source=source, created_by=request.user, change_note=note)
    messages.success(
        request,
        _("已基于 v%(source)s 新建草稿 v%(number)s。") % {"source": source.number, "number": draft.number},
    )
    return redirect(designer_url("version", draft.pk))


@permission_required(DESIGN, raise_exception=True)
def version_detail(request: HttpRequest, version_id: int) -> HttpResponse:
    version = get_version(version_id)
    frozen = frozen_field_keys(selectors.frozen_schemas(version.definition))
    issues = linked_issues(version, services.draft_issues(version=version)) if version.is_editable else []
    outline = selectors.schema_outline(version.schema)
    review = selectors.latest_review(version)
    approval = services.approved_review(version) if version.is_editable else None
    # 版本比较 from a version compares it with the version before it
    previous = version.definition.versions.filter(number__lt=version.number).order_by("-number").first()
    return render_page(
        request,
        "version.html",
        version,
        title=outline.title,
        tree=outline.steps,
        items=outline.items,
        outcome_type=outline.outcome_label,
        levels=outline.levels,
        frozen=frozen,
        issues=issues,
        review=review,
        approval=approval,
        editable=version.is_editable,
        previous=previous,
        comment_form=dforms.CommentForm(),
        publish_form=dforms.PublishForm(initial={"effective_date": version.effective_date}),
        can_approve=request.user.has_perm(APPROVE),
        can_publish=request.user.has_perm(PUBLISH),
        own_review=review is not None and review.submitted_by_id == request.user.pk,
    )


# -- JSON, validation, test-score ---------------------------------------------------------------


@permission_required(DESIGN, raise_exception=True)
def schema_json(request: HttpRequest, version_id: int) -> HttpResponse:
    version = get_version(version_id)
    if request.GET.get("download"):
        response = JsonResponse(
            services.export_definition_document(version=version),
            json_dumps_params={"ensure_ascii": False, "indent": 2},
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{version.definition.key}-v{version.number}.json"'
        )
        return response
    form = dforms.SchemaJsonForm(
        request.POST or None, initial={"schema": json.dumps(version.schema, ensure_ascii=False, indent=2)}
    )
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


@permission_required(DESIGN, raise_exception=True)
def validate(request: HttpRequest, version_id: int) -> HttpResponse:
    version = get_version(version_id)
    issues = linked_issues(version, services.draft_issues(version=version))
    return render_page(request, "issues.html", version, issues=issues, title=_("校验结果"), show_ok=True)


def _step_forms(schema: Schema, data: Any, answers: dict[str, Any]) -> list[StepForm]:
    """Every step of the version on one page; errors stay hidden (as in 暂存): invalid answers
    simply score as unanswered, and the explanation says so."""
    return [
        form_class(data, prefix=f"q-{key}", answers=answers, quiet=True)
        for key, form_class in build_step_forms(schema)
    ]


@permission_required(DESIGN, raise_exception=True)
def test_score(request: HttpRequest, version_id: int) -> HttpResponse:
    """Score sample answers — typed into the questions, typed as JSON, or taken from a stored
    submission — with the full explanation. Nothing is stored."""
    version = get_version(version_id)
    schema = version.parsed
    submissions = list(selectors.definition_submissions(version.definition))
    # who filled it in is not shown (policy staff test rules, they do not review enterprises);
    # dates are Beijing time, as everywhere in the portal
    choices = [
        (
            s.pk,
            f"#{s.pk} · v{s.version.number} · "
            f"{timezone.localtime(s.submitted_at or s.updated_at):%Y-%m-%d %H:%M} 提交",
        )
        for s in submissions
    ]
    data = request.POST if request.method == "POST" else None
    form = dforms.TestScoreForm(data, submissions=choices)
    steps = _step_forms(schema, data, {})
    result = None
    if data is not None and form.is_valid():
        answers: dict[str, Any] = {}
        context: dict[str, Any] = {}
        submission = next((s for s in submissions if s.pk == form.cleaned_data["submission"]), None)
        if submission is not None and "load" in data:
            # score the stored answers; show them in the questions with personal data masked
            answers, context = dict(submission.answers), dict(submission.context)
            form = dforms.TestScoreForm(initial={"submission": submission.pk}, submissions=choices)
            steps = _step_forms(schema, None, masked_answers(schema, answers))
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


@permission_required(DESIGN, raise_exception=True)
def diff(request: HttpRequest, key: str) -> HttpResponse:
    definition = get_object_or_404(FormDefinition, key=key)
    versions = list(definition.versions.order_by("-number"))
    choices = [(v.pk, f"v{v.number}（{v.get_status_display()}）") for v in versions]
    # by default the newest version against the one before it (not a version against itself)
    initial = {"a": versions[1].pk if len(versions) > 1 else None, "b": versions[0].pk if versions else None}
    data = request.GET or None
    if data is None and len(versions) > 1:
        data = {"a": str(initial["a"]), "b": str(initial["b"])}  # shown at once, not after a click
    form = dforms.DiffForm(data, versions=choices, initial=initial)
    result = old = new = None
    if form.is_bound and form.is_valid():
        by_pk = {v.pk: v for v in versions}
        old, new = by_pk[form.cleaned_data["a"]], by_pk[form.cleaned_data["b"]]
        result = diff_schemas(old.schema, new.schema)
    return render_page(
        request, "diff.html", definition=definition, form=form, result=result, old=old, new=new
    )


@permission_required(DESIGN, raise_exception=True)
def impact(request: HttpRequest, version_id: int) -> HttpResponse:
    version = get_version(version_id)
    current = selectors.current_version(version.definition, version.purpose)
    result = None
    if current is not None and current.pk != version.pk:
        submissions = list(selectors.submitted_submissions(current))
        answer_sets = [
            AnswerSet(ref=s.pk, label=f"#{s.pk}", answers=s.answers, context=s.context) for s in submissions
        ]
        result = impact_of(parse_schema(current.schema), version.parsed, answer_sets)
    only_changed = request.GET.get("show") != "all"
    rows = [] if result is None else (result.changed if only_changed else result.rows)
    return render_page(
        request, "impact.html", version, current=current, result=result, rows=rows, only_changed=only_changed
    )


@permission_required(DESIGN, raise_exception=True)
def impact_row(request: HttpRequest, version_id: int, submission_id: int) -> HttpResponse:
    version = get_version(version_id)
    submission = get_object_or_404(
        FormSubmission.objects.select_related("version"),
        pk=submission_id,
        version__definition=version.definition,
        state=FormSubmission.State.SUBMITTED,
    )
    old = score(submission.version.parsed, submission.answers, context=submission.context)
    new = score(version.parsed, submission.answers, context=submission.context)
    return render_page(request, "impact_row.html", version, submission=submission, old=old, new=new)
