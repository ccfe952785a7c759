"""Editing score items with bands, score groups, the outcome (conditions, direct paths, levels),
cross-field validations and metadata."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from forms_engine import selectors
from forms_engine.designer import edits
from forms_engine.designer import forms as dforms
from forms_engine.designer.views.base import (
    DESIGN,
    designer_url,
    get_draft,
    render_page,
    save_schema,
)

# -- scoring -------------------------------------------------------------------------------------


def _item_edit(request: HttpRequest, version_id: int, key: str | None) -> HttpResponse:
    version = get_draft(version_id)
    schema = version.schema
    original = None
    if key is not None:
        try:
            original = edits.score_item(schema, key)
        except edits.EditError:
            raise Http404 from None
    data = request.POST if request.method == "POST" else None
    outline = selectors.schema_outline(schema)
    form = dforms.ScoreItemForm(
        data, groups=outline.groups, fields=outline.value_fields, initial=original or {"method": "bands"}
    )
    bands = dforms.BandFormSetFactory(
        data, prefix="bands", initial=dforms.option_initial((original or {}).get("bands") or [])
    )
    issues = None
    if data is not None and form.is_valid() & bands.is_valid():
        item = form.to_json(original, bands.rows())
        issues = save_schema(request, version, edits.put_score_item(schema, item, old_key=key))
        if issues is None:
            messages.success(request, _("计分项已保存。"))
            return redirect(designer_url("version", version.pk) + f"#item-{item['key']}")
    return render_page(
        request,
        "item_form.html",
        version,
        form=form,
        bands=bands,
        issues=issues,
        title=_("新增计分项") if key is None else _("编辑计分项 %(key)s") % {"key": key},
        has_parts=bool((original or {}).get("parts")),
    )


@permission_required(DESIGN, raise_exception=True)
def item_add(request: HttpRequest, version_id: int) -> HttpResponse:
    return _item_edit(request, version_id, None)


@permission_required(DESIGN, raise_exception=True)
def item_edit(request: HttpRequest, version_id: int, key: str) -> HttpResponse:
    return _item_edit(request, version_id, key)


def _rows_page(
    request: HttpRequest,
    version_id: int,
    *,
    title: str,
    formsets: list[tuple[str, str, type, list]],
    apply: Callable[[dict[str, Any], dict[str, list]], dict[str, Any]],
    form: type | None = None,
    form_initial: dict | None = None,
) -> HttpResponse:
    """A page of one optional form plus formsets of keyed rows (groups, outcome, validations)."""
    version = get_draft(version_id)
    data = request.POST if request.method == "POST" else None
    main = form(data, initial=form_initial) if form else None
    sets = [
        (label, factory(data, prefix=prefix, initial=initial)) for prefix, label, factory, initial in formsets
    ]
    issues = None
    valid = all([fs.is_valid() for _label, fs in sets]) and (main is None or main.is_valid())
    if data is not None and valid:
        rows = {fs.prefix: fs.rows() for _label, fs in sets}
        schema = apply({"main": main.cleaned_data if main else {}, **rows}, version.schema)
        issues = save_schema(request, version, schema)
        if issues is None:
            messages.success(request, _("已保存。"))
            return redirect(request.path)
    return render_page(
        request, "rows_form.html", version, title=title, form=main, formsets=sets, issues=issues
    )


def _ordered(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**r, "ORDER": i + 1} for i, r in enumerate(rows)]


@permission_required(DESIGN, raise_exception=True)
def groups(request: HttpRequest, version_id: int) -> HttpResponse:
    version = get_draft(version_id)
    current = edits.scoring_part(version.schema, "groups", [])

    def apply(rows: dict, schema: dict) -> dict:
        return edits.set_scoring_part(schema, "groups", rows["groups"] or None)

    return _rows_page(
        request,
        version_id,
        title=_("得分组"),
        apply=apply,
        formsets=[("groups", _("得分组（组满分、组最低分）"), dforms.GroupFormSetFactory, _ordered(current))],
    )


@permission_required(DESIGN, raise_exception=True)
def outcome(request: HttpRequest, version_id: int) -> HttpResponse:
    version = get_draft(version_id)
    current = dict(edits.scoring_part(version.schema, "outcome", {"type": "none"}))
    initial = {
        **current,
        "max_total": edits.scoring_part(version.schema, "max_total"),
        "use_group_minima": current.get("use_group_minima", True),
    }

    def apply(rows: dict, schema: dict) -> dict:
        main = rows["main"]
        result: dict[str, Any] = {"type": main["type"]}
        if main["type"] == "qualification":
            result["conditions"] = rows["conditions"]
            if main["min_total"] is not None:
                result["min_total"] = dforms.number(main["min_total"])
            if not main["use_group_minima"] or "use_group_minima" in current:  # keep the default implicit
                result["use_group_minima"] = main["use_group_minima"]
            if rows["direct_paths"]:
                result["direct_paths"] = rows["direct_paths"]
            for name in ("qualified_label", "not_qualified_label"):
                if main[name]:
                    result[name] = main[name]
        elif main["type"] == "levels":
            result["levels"] = rows["levels"]
            if main["none_label"]:
                result["none_label"] = main["none_label"]
        schema = edits.set_scoring_part(schema, "outcome", result if main["type"] != "none" else None)
        return edits.set_scoring_part(schema, "max_total", dforms.number(main["max_total"]))

    return _rows_page(
        request,
        version_id,
        title=_("结果判定与等级"),
        apply=apply,
        form=dforms.OutcomeForm,
        form_initial=initial,
        formsets=[
            (
                "conditions",
                _("必要条件（全部满足才可能符合）"),
                dforms.ConditionFormSetFactory,
                _ordered(current.get("conditions") or []),
            ),
            (
                "direct_paths",
                _("直通条件（满足任一即可，不看总分）"),
                dforms.ConditionFormSetFactory,
                _ordered(current.get("direct_paths") or []),
            ),
            (
                "levels",
                _("等级（从高到低依次判断，第一个满足的即为结果）"),
                dforms.LevelFormSetFactory,
                _ordered([dforms.LevelForm.initial_of(level) for level in current.get("levels") or []]),
            ),
        ],
    )


@permission_required(DESIGN, raise_exception=True)
def validations(request: HttpRequest, version_id: int) -> HttpResponse:
    version = get_draft(version_id)
    current = [dforms.ValidationRuleForm.initial_of(r) for r in edits.top(version.schema, "validations", [])]

    def apply(rows: dict, schema: dict) -> dict:
        return edits.set_top(schema, validations=rows["validations"] or None)

    return _rows_page(
        request,
        version_id,
        title=_("跨字段校验规则"),
        apply=apply,
        formsets=[("validations", _("校验规则"), dforms.ValidationFormSetFactory, _ordered(current))],
    )


@permission_required(DESIGN, raise_exception=True)
def metadata(request: HttpRequest, version_id: int) -> HttpResponse:
    version = get_draft(version_id)
    schema = version.schema
    meta = dict(edits.top(schema, "metadata", {}))
    known = {"provisional", "notes", "policy_basis"}
    initial = {
        "title": edits.top(schema, "title"),
        "description": edits.top(schema, "description", ""),
        "policy_basis": version.policy_basis or meta.get("policy_basis", ""),
        "change_note": version.change_note,
        "effective_date": version.effective_date,
        "provisional": bool(meta.get("provisional")),
        "notes": "\n".join(meta.get("notes") or []),
        "extra": json.dumps({k: v for k, v in meta.items() if k not in known}, ensure_ascii=False, indent=2),
    }
    form = dforms.MetadataForm(request.POST or None, initial=initial)
    issues = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        new = edits.set_top(
            schema, title=data["title"], description=data["description"] or None, metadata=form.metadata()
        )
        issues = save_schema(
            request,
            version,
            new,
            change_note=data["change_note"],
            policy_basis=data["policy_basis"],
            effective_date=data["effective_date"],
        )
        if issues is None:
            messages.success(request, _("已保存。"))
            return redirect(designer_url("version", version.pk))
    return render_page(
        request, "container_form.html", version, form=form, issues=issues, title=_("标题与元数据")
    )
