"""Admin integration: audit actions, the form designer (表单设计) and the read-only registers.

The 表单管理 menu holds the designer (``forms_engine.designer``: drafts, structured editor,
validation, preview, test-score, diff, impact, two-person approval, publishing, history) and the
read-only lists of definitions and versions. Every change goes through the services, so published
versions stay immutable.
"""

from django.contrib.admin import RelatedFieldListFilter
from django.urls import include, path, reverse, reverse_lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register
from wagtail_modeladmin.views import HistoryView, InspectView

from forms_engine.designer import urls as designer_urls
from forms_engine.models import FormDefinition, FormVersion


@hooks.register("register_log_actions")
def register_form_log_actions(actions):
    actions.register_action("forms_engine.retire", _("停用表单版本"), _("停用了表单版本"))
    actions.register_action("forms_engine.submit", _("提交表单"), _("提交了表单"))
    actions.register_action("forms_engine.submit_for_approval", _("提交审批"), _("提交了表单版本审批"))
    actions.register_action("forms_engine.approve", _("批准表单版本"), _("批准了表单版本"))
    actions.register_action("forms_engine.reject", _("退回表单版本"), _("退回了表单版本"))
    actions.register_action("forms_engine.reopen", _("退回修改"), _("将已提交的表单退回修改"))
    actions.register_action("forms_engine.migrate", _("迁移到新版本"), _("将草稿迁移到新版本"))


@hooks.register("register_admin_urls")
def register_designer_urls():
    return [path("form-designer/", include(designer_urls, namespace="forms_designer"))]


class DesignerMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("forms_engine.change_formversion")


class ReadOnlyPermissionHelper(PermissionHelper):
    """List and inspect only; writes go through forms_engine.services."""

    def user_can_create(self, user):
        return False

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_delete_obj(self, user, obj):
        return False


class RelatedListFilter(RelatedFieldListFilter):
    """Django's related-field filter asks django.contrib.admin's site for the related model's
    ordering; that app is not installed (the list was a 500), so the model's Meta.ordering applies."""

    def field_admin_ordering(self, field, request, model_admin):
        return ()


class ReadableInspectView(InspectView):
    """Booleans read 是/否 instead of True/False."""

    def get_field_display_value(self, field_name, field=None):
        value = super().get_field_display_value(field_name, field)
        if isinstance(value, bool):
            return _("是") if value else _("否")
        return value


class PermissionCheckedHistoryView(HistoryView):
    """wagtail-modeladmin's history view checks no permission: ask for one on the model (issue 8)."""

    def check_action_permitted(self, user):
        return self.permission_helper.user_has_any_permissions(user)


class FormDefinitionAdmin(ModelAdmin):
    model = FormDefinition
    history_view_class = PermissionCheckedHistoryView
    menu_label = _("表单定义")
    menu_icon = "form"
    permission_helper_class = ReadOnlyPermissionHelper
    inspect_view_class = ReadableInspectView
    # self_service as text: a BooleanField column would use django.contrib.admin's icons, which
    # are not installed (404, and a 500 under the production manifest storage)
    list_display = ("key", "title", "category", "self_service_text")
    list_filter = ("category",)
    search_fields = ("key", "title")
    inspect_view_enabled = True

    def self_service_text(self, obj):
        return _("是") if obj.self_service else _("否")

    self_service_text.short_description = _("企业可直接填写")
    self_service_text.admin_order_field = "self_service"


class FormVersionAdmin(ModelAdmin):
    model = FormVersion
    history_view_class = PermissionCheckedHistoryView
    menu_label = _("表单版本")
    menu_icon = "doc-full"
    permission_helper_class = ReadOnlyPermissionHelper
    inspect_view_class = ReadableInspectView
    list_display = (
        "definition",
        "number",
        "status",
        "provisional_flag",
        "effective_date",
        "policy_basis",
        "try_link",
    )
    list_filter = ("status", ("definition", RelatedListFilter))
    search_fields = ("definition__key", "definition__title", "policy_basis")
    inspect_view_enabled = True
    inspect_view_fields = (
        "definition",
        "number",
        "status",
        "schema_format",
        "checksum",
        "effective_date",
        "policy_basis",
        "change_note",
        "created_by",
        "created_at",
        "published_by",
        "published_at",
        "retired_at",
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("definition")

    def provisional_flag(self, obj):
        return _("暂行（待官方版本替换）") if obj.provisional else ""

    provisional_flag.short_description = _("暂行")

    def try_link(self, obj):
        return format_html(
            '<a class="button button-small button-secondary" href="{}">{}</a>',
            reverse("forms_engine:preview", args=[obj.pk]) + "?restart=1",
            _("试填"),
        )

    try_link.short_description = _("试填")


@modeladmin_register
class FormsAdminGroup(ModelAdminGroup):
    menu_label = _("表单管理")
    menu_icon = "form"
    menu_order = 300
    items = (FormDefinitionAdmin, FormVersionAdmin)

    def get_submenu_items(self):
        designer = DesignerMenuItem(
            _("表单设计"),
            reverse_lazy("forms_designer:index"),
            name="form-designer",
            icon_name="edit",
            order=0,
        )
        return [designer, *super().get_submenu_items()]
