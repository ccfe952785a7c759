"""参考数据 menu: read-only regions and industries whose questionnaire category staff can edit."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail_modeladmin.options import ModelAdminGroup, modeladmin_register

from portal.core.admin import ReadOnlyPermissionHelper, ScopedModelAdmin

from .admin_views import IndustryCategoryForm, IndustryPermissionHelper
from .models import Industry, Region


class RegionAdmin(ScopedModelAdmin):
    model = Region
    menu_label = _("行政区划")
    menu_icon = "site"
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")
    list_per_page = 50
    inspect_view_enabled = True
    permission_helper_class = ReadOnlyPermissionHelper

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("parent")


class IndustryAdmin(ScopedModelAdmin):
    model = Industry
    menu_label = _("国民经济行业")
    menu_icon = "list-ul"
    list_display = ("code", "name", "level", "parent", "questionnaire_category", "category_set_by_staff")
    list_filter = ("level", "questionnaire_category", "category_set_by_staff")
    search_fields = ("code", "name")
    list_per_page = 50
    inspect_view_enabled = True
    permission_helper_class = IndustryPermissionHelper
    edit_handler = ObjectList([FieldPanel("questionnaire_category")], base_form_class=IndustryCategoryForm)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("parent")


class ReferenceDataGroup(ModelAdminGroup):
    menu_label = _("参考数据")
    menu_icon = "folder-open-inverse"
    menu_order = 800
    items = (RegionAdmin, IndustryAdmin)


modeladmin_register(ReferenceDataGroup)
