"""Admin: the 企业信息 register (list, search, filters, inspect) and profile versions; audit actions.

Both registers are read-only: profiles change through the enterprise's own pages (services) and
recognition through the review work. Phone and ID numbers are masked in lists; the inspect view
shows the full ID number only to staff holding ``enterprises.view_legal_representative_id``.
Province-scoped visibility for reviewers comes with the review work (see docs/enterprise-profile.md).
"""

from __future__ import annotations

from django.contrib.admin import SimpleListFilter
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail_modeladmin.options import ModelAdminGroup, modeladmin_register

from portal.core.admin import ReadableInspectView, ReadOnlyPermissionHelper, ScopedModelAdmin, yes_no
from portal.core.masking import mask_email, mask_id_number, mask_phone
from portal.core.scopes import staff_region_code
from portal.reference.models import Region
from portal.reports.modeladmin import ExportingIndexView

from .models import Enterprise, EnterpriseProfileVersion
from .selectors import enterprises_in_scope, field_label, region_label, snapshot_display


@hooks.register("register_log_actions")
def register_enterprise_log_actions(actions):
    actions.register_action("enterprises.verify", _("更新认证信息"), _("更新了企业认证信息"))
    actions.register_action("enterprises.update_profile", _("修改企业信息"), _("修改了企业信息"))
    actions.register_action(
        "enterprises.reveal_legal_representative_id",
        _("查看法定代表人身份证号"),
        _("查看了法定代表人完整身份证号"),
    )
    actions.register_action("enterprises.transfer", _("企业认领"), _("经认领审核变更了企业的法人账号"))


def can_view_full_id(user) -> bool:
    return user.has_perm("enterprises.view_legal_representative_id")


class ProvinceListFilter(SimpleListFilter):
    title = _("省份")
    parameter_name = "province"

    def lookups(self, request, model_admin):
        return list(
            Region.objects.filter(level=Region.Level.PROVINCE).order_by("code").values_list("code", "name")
        )

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit() and len(value) == 6:
            # the one province rule (注册地, else the USCC's registration authority)
            return enterprises_in_scope(queryset, value[:2] + "0000")
        return queryset


class MaskingInspectView(ReadableInspectView):
    """Inspect view whose extra rows come from ``inspect_<name>(obj, request)`` on the ModelAdmin."""

    def get_dict_for_field(self, field_name):
        method = getattr(self.model_admin, f"inspect_{field_name}", None)
        if method is None:
            return super().get_dict_for_field(field_name)
        return {"label": method.short_description, "value": method(self.instance, self.request)}


class EnterpriseAdmin(ScopedModelAdmin):
    model = Enterprise
    menu_label = _("企业信息")
    menu_icon = "group"
    permission_helper_class = ReadOnlyPermissionHelper
    inspect_view_enabled = True
    inspect_view_class = MaskingInspectView
    list_display = (
        "name",
        "uscc",
        "legal_representative",
        "masked_legal_representative_id",
        "province",
        "industry",
        "is_recognised",
        "contact_name",
        "masked_contact_phone",
        "updated_at",
    )
    list_filter = (ProvinceListFilter, "is_recognised")
    search_fields = ("name", "uscc")
    list_per_page = 50
    index_view_class = ExportingIndexView
    list_export = (
        "name",
        "uscc",
        "legal_representative",
        "legal_representative_id",
        "region_name",
        "industry",
        "is_recognised_label",
        "contact_name",
        "contact_phone",
        "contact_email",
        "updated_at",
    )
    export_headings = {
        "name": _("企业名称"),
        "uscc": _("统一社会信用代码"),
        "legal_representative": _("法定代表人"),
        "legal_representative_id": _("法定代表人身份证号"),
        "region_name": _("注册地"),
        "industry": _("所属行业"),
        "is_recognised_label": _("已认定"),
        "contact_name": _("联系人"),
        "contact_phone": _("联系电话"),
        "contact_email": _("联系邮箱"),
        "updated_at": _("更新时间"),
    }
    export_filename = "企业信息"
    export_list_name = "enterprises"
    export_masks = {
        "legal_representative_id": mask_id_number,
        "contact_phone": mask_phone,
        "contact_email": mask_email,
    }
    inspect_view_fields = (
        "name",
        "uscc",
        "legal_representative",
        "legal_representative_id",
        "region_path",
        "industry",
        "established_on",
        "registered_capital",
        "size_class",
        "employees",
        "contact_name",
        "contact_phone",
        "contact_email",
        "address",
        "main_products",
        "is_recognised",
        "owner",
        "created_at",
        "updated_at",
    )

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("region__parent__parent", "industry", "owner")
        return enterprises_in_scope(queryset, staff_region_code(request.user))

    def masked_legal_representative_id(self, obj):
        return mask_id_number(obj.legal_representative_id)

    masked_legal_representative_id.short_description = _("法定代表人身份证号")

    def masked_contact_phone(self, obj):
        return mask_phone(obj.contact_phone) if obj.contact_phone else ""

    masked_contact_phone.short_description = _("联系电话")

    def province(self, obj):
        if not obj.region_id:
            return ""
        region = obj.region
        while region.parent_id is not None:
            region = region.parent
        return region.name

    province.short_description = _("省份")

    def region_name(self, obj):
        return region_label(obj.region.code) if obj.region_id else ""

    region_name.short_description = _("注册地")

    def is_recognised_label(self, obj):
        return yes_no(obj.is_recognised)

    is_recognised_label.short_description = _("已认定")

    def inspect_legal_representative_id(self, obj, request):
        value = obj.legal_representative_id
        return value if can_view_full_id(request.user) else mask_id_number(value)

    inspect_legal_representative_id.short_description = _("法定代表人身份证号")

    def inspect_contact_phone(self, obj, request):
        return mask_phone(obj.contact_phone) if obj.contact_phone else "—"

    inspect_contact_phone.short_description = _("联系电话")

    def inspect_region_path(self, obj, request):
        return region_label(obj.region.code) if obj.region_id else "—"

    inspect_region_path.short_description = _("注册地")

    def inspect_owner(self, obj, request):
        return obj.owner.get_username()

    inspect_owner.short_description = _("法人账号")


class EnterpriseProfileVersionAdmin(ScopedModelAdmin):
    model = EnterpriseProfileVersion
    menu_label = _("企业信息版本")
    menu_icon = "history"
    permission_helper_class = ReadOnlyPermissionHelper
    inspect_view_enabled = True
    inspect_view_class = MaskingInspectView
    list_display = ("enterprise", "number", "kind", "changed_labels", "created_by_name", "created_at")
    list_filter = ("kind",)
    search_fields = ("enterprise__name", "enterprise__uscc")
    list_per_page = 50
    inspect_view_fields = (
        "enterprise",
        "number",
        "kind",
        "created_by_name",
        "created_at",
        "changed",
        "snapshot",
    )

    def get_queryset(self, request):
        visible = enterprises_in_scope(Enterprise.objects.all(), staff_region_code(request.user))
        return super().get_queryset(request).select_related("enterprise").filter(enterprise__in=visible)

    def changed_labels(self, obj):
        return "、".join(field_label(name) for name in obj.changed_fields)

    changed_labels.short_description = _("变更字段")

    def inspect_changed(self, obj, request):
        return self.changed_labels(obj)

    inspect_changed.short_description = _("变更字段")

    def inspect_snapshot(self, obj, request):
        data = dict(obj.data)
        if data.get("contact_phone"):
            data["contact_phone"] = mask_phone(data["contact_phone"])
        rows = [
            (field_label(name), snapshot_display(data, name) or "—")
            for name in (
                "name",
                "uscc",
                "legal_representative",
                "region",
                "industry",
                "established_on",
                "registered_capital",
                "size_class",
                "employees",
                "contact_name",
                "contact_phone",
                "contact_email",
                "address",
                "main_products",
            )
        ]
        return format_html_join("", "<div><strong>{}</strong>：{}</div>", rows)

    inspect_snapshot.short_description = _("企业信息快照")


@modeladmin_register
class EnterprisesAdminGroup(ModelAdminGroup):
    menu_label = _("企业管理")
    menu_icon = "group"
    menu_order = 250
    items = (EnterpriseAdmin, EnterpriseProfileVersionAdmin)
