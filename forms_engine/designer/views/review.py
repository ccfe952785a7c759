"""Two-person approval, publishing, retiring, and the history of who did what."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forms_engine import selectors, services
from forms_engine.designer import forms as dforms
from forms_engine.designer.views.base import (
    APPROVE,
    DESIGN,
    PUBLISH,
    designer_url,
    get_version,
    linked_issues,
    render_page,
)
from forms_engine.models import FormDefinition, FormVersion
from forms_engine.schema import SchemaValidationError

# -- approval and publishing --------------------------------------------------------------------


def _act(request: HttpRequest, version: FormVersion, action: Callable[[], Any], done: str) -> HttpResponse:
    try:
        action()
    except SchemaValidationError as exc:
        return render_page(
            request,
            "issues.html",
            version,
            issues=linked_issues(version, exc.issues),
            title=_("有问题的版本不能提交审批或发布"),
        )
    except (services.FormVersionApprovalError, services.FormVersionStateError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect(designer_url("version", version.pk))


@permission_required(DESIGN, raise_exception=True)
@require_POST
def submit_for_approval(request: HttpRequest, version_id: int) -> HttpResponse:
    version = get_version(version_id)
    note = request.POST.get("comment", "")
    return _act(
        request,
        version,
        lambda: services.submit_version_for_approval(version=version, user=request.user, note=note),
        _("已提交审批，请另一位政策人员审批。"),
    )


@permission_required(APPROVE, raise_exception=True)
@require_POST
def approve(request: HttpRequest, version_id: int) -> HttpResponse:
    version = get_version(version_id)
    comment = request.POST.get("comment", "")
    return _act(
        request,
        version,
        lambda: services.approve_version(version=version, user=request.user, comment=comment),
        _("已批准。"),
    )


@permission_required(APPROVE, raise_exception=True)
@require_POST
def reject(request: HttpRequest, version_id: int) -> HttpResponse:
    version = get_version(version_id)
    comment = request.POST.get("comment", "")
    return _act(
        request,
        version,
        lambda: services.reject_version(version=version, user=request.user, comment=comment),
        _("已退回。"),
    )


@permission_required(PUBLISH, raise_exception=True)
@require_POST
def publish(request: HttpRequest, version_id: int) -> HttpResponse:
    version = get_version(version_id)
    form = dforms.PublishForm(request.POST)
    effective = form.cleaned_data["effective_date"] if form.is_valid() else None
    return _act(
        request,
        version,
        lambda: services.publish_approved_version(
            version=version, user=request.user, effective_date=effective
        ),
        _("已发布。此后开始填写的企业将使用该版本；已开始或已提交的填报保持原版本。"),
    )


@permission_required(PUBLISH, raise_exception=True)
@require_POST
def retire(request: HttpRequest, version_id: int) -> HttpResponse:
    version = get_version(version_id)
    return _act(
        request,
        version,
        lambda: services.retire_form_version(version=version, user=request.user),
        _("已停用。"),
    )


@permission_required(DESIGN, raise_exception=True)
def history(request: HttpRequest, key: str) -> HttpResponse:
    definition = get_object_or_404(FormDefinition, key=key)
    numbers = dict(definition.versions.values_list("pk", "number"))
    entries = [(entry, numbers.get(int(entry.object_id))) for entry in selectors.history(definition)[:500]]
    return render_page(request, "history.html", definition=definition, entries=entries)
