"""Admin helpers shared by the portal's wagtail-modeladmin registers.

- :class:`ReadOnlyPermissionHelper` — list and inspect only; writes go through services.
- :class:`PortalModelAdmin` — booleans read 是/否 in lists and inspect views. wagtail-modeladmin
  otherwise renders them with django.contrib.admin's icons (``admin/img/icon-yes.svg``, alt
  "True"): that app is not installed, so the icons 404 and production's manifest storage raises.
- ``ScopedModelAdmin`` (a ``PortalModelAdmin``): every per-object view — inspect, history, edit,
  delete — opens only an object of the register's own list. ``get_queryset(request)`` carries the
  scope (permission and region); wagtail-modeladmin itself loads the object by id from the default
  manager and its history view checks no permission at all, so an id typed into the URL would reach
  past both. Scoped registers are recorded in ``scoped_registers`` for the site-history report.
- :func:`register_scope` — the same record for a model whose staff screens are a Wagtail
  ModelViewSet (the account queues): its site-history entries are cut to ``get_queryset(request)``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models
from django.http import Http404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin
from wagtail_modeladmin.views import HistoryView, InspectView

# model → its ScopedModelAdmin instance (one register per model), or a ViewSetScope
scoped_registers: dict[type, Any] = {}


@dataclass(frozen=True)
class ViewSetScope:
    """What the site-history report asks of a scoped register: the objects a request may see."""

    get_queryset: Callable[[Any], models.QuerySet]


def register_scope(model: type[models.Model], get_queryset: Callable[[Any], models.QuerySet]) -> None:
    """Record that staff see only ``get_queryset(request)`` of ``model`` (site-history report)."""
    scoped_registers[model] = ViewSetScope(get_queryset)


def yes_no(value) -> str:
    return str(_("是") if value else _("否"))


class ReadOnlyPermissionHelper(PermissionHelper):
    """List and inspect with the model's view permission; no create, edit or delete in the admin
    (the data comes from fixtures, or every write goes through the app's services)."""

    def user_can_create(self, user) -> bool:
        return False

    def user_can_edit_obj(self, user, obj) -> bool:
        return False

    def user_can_delete_obj(self, user, obj) -> bool:
        return False


class ReadableInspectView(InspectView):
    def get_field_display_value(self, field_name, field=None):
        value = super().get_field_display_value(field_name, field)
        return yes_no(value) if isinstance(value, bool) else value


def _yes_no_column(field: models.Field):
    def column(obj):
        return yes_no(getattr(obj, field.name))

    column.short_description = field.verbose_name
    column.admin_order_field = field.name
    return column


class PortalModelAdmin(ModelAdmin):
    inspect_view_class = ReadableInspectView

    def get_list_display(self, request):
        columns = []
        for name in super().get_list_display(request):
            try:
                field = self.model._meta.get_field(name) if isinstance(name, str) else None
            except FieldDoesNotExist:
                field = None
            if isinstance(field, models.BooleanField):
                # a named column on this admin, so list cells keep a "field-<name>" class
                name = f"{field.name}_yes_no"
                if not hasattr(self, name):
                    setattr(self, name, _yes_no_column(field))
            columns.append(name)
        return columns


class PermissionCheckedHistoryView(HistoryView):
    """wagtail-modeladmin's history view asks for no permission; ask for one on the model (the
    object's region is checked by ``ScopedModelAdmin`` before the view runs)."""

    def check_action_permitted(self, user):
        return self.permission_helper.user_has_any_permissions(user)


class ScopedModelAdmin(PortalModelAdmin):
    history_view_class = PermissionCheckedHistoryView

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scoped_registers[self.model] = self

    def object_in_scope(self, request, instance_pk) -> bool:
        return self.get_queryset(request).filter(pk=instance_pk).exists()

    def _guard(self, request, instance_pk) -> None:
        if not self.permission_helper.user_can_list(request.user):
            raise PermissionDenied
        try:
            in_scope = self.object_in_scope(request, instance_pk)
        except (ValueError, TypeError):  # an id of the wrong type
            in_scope = False
        if not in_scope:
            raise Http404  # not 403: do not confirm that the object exists

    def inspect_view(self, request, instance_pk):
        self._guard(request, instance_pk)
        return super().inspect_view(request, instance_pk)

    def history_view(self, request, instance_pk):
        self._guard(request, instance_pk)
        return super().history_view(request, instance_pk)

    def edit_view(self, request, instance_pk):
        self._guard(request, instance_pk)
        return super().edit_view(request, instance_pk)

    def delete_view(self, request, instance_pk):
        self._guard(request, instance_pk)
        return super().delete_view(request, instance_pk)


class StaffQueueViewSet(ModelViewSet):
    """A staff queue (review, changes, 公示, recognitions, account requests, 信息更新): the list, its
    results and the inspect page, plus the subclass's action URLs (``action_urlpatterns``); nothing
    is created, edited, copied or deleted through generic forms, and the models' permissions come
    from their own apps."""

    inspect_view_enabled = True
    copy_view_enabled = False

    def action_urlpatterns(self) -> list:
        return []

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
            *self.action_urlpatterns(),
        ]

    def register_permissions(self):
        pass

    def register_reference_index(self):
        pass


class StaffRecordView(generic.InspectView):
    """The page of one record of a staff queue, drawn by its own template: ``record_for(user, pk)``
    (a scoped selector) gives the record or ``None`` — 404 outside the member's scope; no generic
    field list and no generic header buttons (every change is an action)."""

    def record_for(self, user, pk):
        raise NotImplementedError

    def get_object(self, queryset=None):
        record = self.record_for(self.request.user, self.pk)
        if record is None:
            raise Http404
        return record

    def get_fields(self):
        return []

    @property
    def header_more_buttons(self):
        return []
