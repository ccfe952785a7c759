"""Admin helpers shared by the portal's wagtail-modeladmin registers.

- :class:`ReadOnlyPermissionHelper` — list and inspect only; writes go through services.
- :class:`PortalModelAdmin` — booleans read 是/否 in lists and inspect views. wagtail-modeladmin
  otherwise renders them with django.contrib.admin's icons (``admin/img/icon-yes.svg``, alt
  "True"): that app is not installed, so the icons 404 and production's manifest storage raises.
- :class:`AdminLoginForm` — ``WAGTAILADMIN_USER_LOGIN_FORM``: the admin login, labelled in Chinese.
"""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin
from wagtail_modeladmin.views import InspectView


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


class AdminLoginForm(WagtailLoginForm):
    """Wagtail's admin login form with a translated password label (Wagtail leaves the field
    unlabelled, so Django prints its name: “Password”)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("密码")
