"""Shared pieces of the designer views: the permissions they require (checked with Django's
``permission_required(…, raise_exception=True)``; Wagtail already requires admin access), lookups,
issue links by place, saving through the service, rendering."""

from __future__ import annotations

import re
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from forms_engine import selectors, services
from forms_engine.designer import edits
from forms_engine.models import FormVersion
from forms_engine.schema import Place, SchemaIssue, SchemaValidationError

DESIGN = "forms_engine.change_formversion"
APPROVE = "forms_engine.approve_formversion"
PUBLISH = "forms_engine.publish_formversion"


def get_version(pk: int) -> FormVersion:
    try:
        return selectors.version_for_designer(pk)
    except FormVersion.DoesNotExist:
        raise Http404 from None


def get_draft(pk: int) -> FormVersion:
    version = get_version(pk)
    if not version.is_editable:
        raise Http404(_("只能编辑草稿"))
    return version


def designer_url(name: str, *args: Any) -> str:
    return reverse(f"forms_designer:{name}", args=args)


# -- places ----------------------------------------------------------------------------------

_INDEXED = re.compile(r"^scoring\.items(?:\[(\d+)\]|\.([a-z][a-z0-9_]*))")


def place_url(version: FormVersion, place: Place) -> str:
    """The editor page of the thing an issue refers to (the designer's link for each error)."""
    part = place.part or ""
    if place.field and not place.field.startswith("fields["):
        return designer_url("field_edit", version.pk, place.field) + (f"#{part}" if part else "")
    match = _INDEXED.match(part)
    if match:
        key = match.group(2)
        if key is None:
            items = edits.scoring_part(version.schema, "items", [])
            index = int(match.group(1))
            key = items[index].get("key") if index < len(items) and isinstance(items[index], dict) else None
        if key:
            return designer_url("item_edit", version.pk, key)
        return designer_url("version", version.pk) + "#scoring"
    if part.startswith("scoring.groups"):
        return designer_url("groups", version.pk)
    if part.startswith("scoring"):
        return designer_url("outcome", version.pk)
    if part.startswith("validations"):
        return designer_url("validations", version.pk)
    if place.section and not place.section.startswith("#"):
        return designer_url("section_edit", version.pk, place.section)
    if place.step and not place.step.startswith("#"):
        return designer_url("step_edit", version.pk, place.step)
    if part in ("metadata", "title", ""):
        return designer_url("metadata", version.pk)
    return designer_url("json", version.pk)


def linked_issues(version: FormVersion, issues: list[SchemaIssue]) -> list[dict[str, Any]]:
    return [
        {"where": str(i.place), "message": i.message, "code": i.code, "url": place_url(version, i.place)}
        for i in issues
    ]


def save_schema(
    request: HttpRequest, version: FormVersion, schema: dict[str, Any], **attrs: Any
) -> list[dict[str, Any]] | None:
    """Save through the service; on issues return them (linked by place) and save nothing."""
    try:
        services.save_draft_schema(version=version, schema=schema, user=request.user, **attrs)
    except SchemaValidationError as exc:
        return linked_issues(version, exc.issues)
    except services.FormVersionImmutableError as exc:
        return [{"where": "", "message": str(exc), "code": "immutable", "url": ""}]
    return None


def render_page(
    request: HttpRequest, template: str, version: FormVersion | None = None, **context: Any
) -> HttpResponse:
    if version is not None:
        context.setdefault("version", version)
        context.setdefault("definition", version.definition)
    return render(request, f"forms_engine/designer/{template}", context)


def score_groups(schema: dict[str, Any]) -> list[tuple[str, str]]:
    return selectors.schema_outline(schema).groups
