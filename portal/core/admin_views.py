"""The site-history report (报告 → 网站历史), scoped like the registers.

Wagtail's report shows every log entry of a model to anyone holding any permission on it, so a
reviewer of one province read the real-name, phone-change and enterprise histories of every other.
This view (mounted at Wagtail's own path, before the admin's URLs) also drops the entries of
objects outside the user's ``ScopedModelAdmin`` lists (and outside the selectors registered with
``register_history_scope``: filings, major changes), and — for anyone but a superuser — every
entry of the enterprises' records that no scoped register covers yet
(``PORTAL_SITE_HISTORY_UNSCOPED_MODELS``: form submissions, assessments, evidence archives), which
a permission on the model alone would otherwise show for every province.
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.reports.audit_logging import LogEntriesView
from wagtail.models import ModelLogEntry

from portal.core.admin import scoped_histories, scoped_registers


class ScopedLogEntriesView(LogEntriesView):
    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.request.user.is_superuser or not issubclass(queryset.model, ModelLogEntry):
            return queryset
        scopes = {model: register.get_queryset for model, register in scoped_registers.items()}
        scopes.update(scoped_histories)
        for model, rows in scopes.items():
            visible = (
                rows(self.request).order_by().annotate(pk_text=Cast("pk", CharField())).values("pk_text")
            )
            content_type = ContentType.objects.get_for_model(model)
            queryset = queryset.exclude(Q(content_type_id=content_type.pk) & ~Q(object_id__in=visible))
        return queryset.exclude(content_type_id__in=_unscoped_content_type_ids())


def _unscoped_content_type_ids() -> list[int]:
    ids = []
    for label in settings.PORTAL_SITE_HISTORY_UNSCOPED_MODELS:
        try:
            model = apps.get_model(label)
        except LookupError:  # an app this site does not install
            continue
        if model not in scoped_registers and model not in scoped_histories:
            ids.append(ContentType.objects.get_for_model(model).pk)
    return ids


_page = require_admin_access(ScopedLogEntriesView.as_view())
_results = require_admin_access(ScopedLogEntriesView.as_view(results_only=True))


def site_history(request, results=None):
    return (_results if results else _page)(request)
