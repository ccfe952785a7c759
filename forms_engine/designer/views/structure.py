"""Editing steps, sections and fields (with options and their scores), moving and deleting."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forms_engine import selectors
from forms_engine.designer import edits
from forms_engine.designer import forms as dforms
from forms_engine.designer.views.base import (
    DESIGN,
    designer_url,
    get_draft,
    render_page,
    save_schema,
    score_groups,
)
from forms_engine.diff import frozen_field_keys
from forms_engine.fields import field_types

# -- structure: steps, sections, fields ---------------------------------------------------------


def _container_edit(
    request: HttpRequest, version_id: int, kind: str, key: str | None, parent_key: str | None
) -> HttpResponse:
    version = get_draft(version_id)
    children = "sections" if kind == "step" else "fields"
    original = None
    if key is not None:
        try:
            original = edits.get(version.schema, kind, key)
        except edits.EditError:
            raise Http404 from None
    issues = None
    form = dforms.ContainerForm(request.POST or None, initial=original)
    if request.method == "POST" and form.is_valid():
        obj = form.to_json(original, children)
        if key is None:
            schema = edits.add(version.schema, kind, obj, parent_key=parent_key)
        else:
            schema = edits.replace(version.schema, kind, key, obj)
        issues = save_schema(request, version, schema)
        if issues is None:
            messages.success(request, _("已保存。"))
            return redirect(designer_url("version", version.pk) + f"#{kind}-{obj['key']}")
    title = {
        ("step", True): _("新增步骤"),
        ("step", False): _("编辑步骤"),
        ("section", True): _("新增分组"),
        ("section", False): _("编辑分组"),
    }[(kind, key is None)]
    return render_page(request, "container_form.html", version, form=form, issues=issues, title=title)


@permission_required(DESIGN, raise_exception=True)
def step_add(request: HttpRequest, version_id: int) -> HttpResponse:
    return _container_edit(request, version_id, "step", None, None)


@permission_required(DESIGN, raise_exception=True)
def step_edit(request: HttpRequest, version_id: int, key: str) -> HttpResponse:
    return _container_edit(request, version_id, "step", key, None)


@permission_required(DESIGN, raise_exception=True)
def section_add(request: HttpRequest, version_id: int, step: str) -> HttpResponse:
    return _container_edit(request, version_id, "section", None, step)


@permission_required(DESIGN, raise_exception=True)
def section_edit(request: HttpRequest, version_id: int, key: str) -> HttpResponse:
    return _container_edit(request, version_id, "section", key, None)


def _field_edit(request: HttpRequest, version_id: int, key: str | None, section: str | None) -> HttpResponse:
    version = get_draft(version_id)
    schema = version.schema
    original = item = None
    if key is not None:
        try:
            original = edits.get(schema, "field", key)
        except edits.EditError:
            raise Http404 from None
        item = edits.item_for_field(schema, key)
    frozen = key is not None and key in frozen_field_keys(selectors.frozen_schemas(version.definition))
    data = request.POST if request.method == "POST" else None
    form = dforms.FieldForm(
        data,
        frozen=frozen,
        groups=score_groups(schema),
        initial=dforms.FieldForm.initial_from(original, item)
        if original
        else {"type": "single_choice", "required": True},
    )
    options = dforms.OptionFormSetFactory(
        data, prefix="options", initial=dforms.option_initial((original or {}).get("options") or [])
    )
    issues = None
    if data is not None and form.is_valid() & options.is_valid():
        raw = form.to_json(original)
        if field_types.get(raw["type"]).choice:
            raw["options"] = options.rows()
        if not form.errors:
            new_key = raw["key"]
            schema = (
                edits.replace(schema, "field", key, raw)
                if key is not None
                else edits.add(schema, "field", raw, parent_key=section)
            )
            schema = edits.sync_option_item(
                schema,
                raw,
                scored=form.cleaned_data["scored"],
                group=form.cleaned_data["score_group"] or None,
                maximum=dforms.number(form.cleaned_data["score_max"]),
                old_key=key,
            )
            issues = save_schema(request, version, schema)
            if issues is None:
                messages.success(
                    request, _("字段“%(label)s”已保存。") % {"label": raw.get("label") or new_key}
                )
                if "continue" in request.POST:
                    return redirect(designer_url("field_edit", version.pk, new_key))
                return redirect(designer_url("version", version.pk) + f"#field-{new_key}")
    return render_page(
        request,
        "field_form.html",
        version,
        form=form,
        options=options,
        issues=issues,
        title=_("新增字段") if key is None else _("编辑字段 %(key)s") % {"key": key},
        frozen=frozen,
        field_key=key,
    )


@permission_required(DESIGN, raise_exception=True)
def field_add(request: HttpRequest, version_id: int, section: str) -> HttpResponse:
    return _field_edit(request, version_id, None, section)


@permission_required(DESIGN, raise_exception=True)
def field_edit(request: HttpRequest, version_id: int, key: str) -> HttpResponse:
    return _field_edit(request, version_id, key, None)


@permission_required(DESIGN, raise_exception=True)
@require_POST
def structure_action(request: HttpRequest, version_id: int) -> HttpResponse:
    """Move up/down or delete a step, section, field or score item."""
    version = get_draft(version_id)
    kind, key, action = request.POST.get("kind"), request.POST.get("key", ""), request.POST.get("action")
    try:
        if kind == "item":
            schema = (
                edits.delete_score_item(version.schema, key)
                if action == "delete"
                else edits.move_score_item(version.schema, key, action)
            )
        elif kind in edits.KINDS and action in ("up", "down", "delete"):
            schema = (
                edits.delete(version.schema, kind, key)
                if action == "delete"
                else edits.move(version.schema, kind, key, action)
            )
        else:
            raise Http404
    except edits.EditError:
        raise Http404 from None
    issues = save_schema(request, version, schema)
    if issues:
        return render_page(
            request, "issues.html", version, issues=issues, title=_("未保存：这样修改后表单有以下问题")
        )
    messages.success(request, _("已删除。") if action == "delete" else _("已调整顺序。"))
    return redirect(designer_url("version", version.pk) + f"#{kind}-{key}")
