"""Admin: queues of 人工实名认证 and 手机号修改（人工核验）, scoped to the reviewer's province,
the StaffRegion register, and the audit log actions of the accounts app."""

from __future__ import annotations

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register

from portal.accounts import admin_views, selectors
from portal.accounts.masking import mask_phone
from portal.accounts.models import PhoneChangeRequest, RealNameVerification, StaffRegion
from portal.core.admin import ReadOnlyPermissionHelper


class QueuePermissionHelper(ReadOnlyPermissionHelper):
    """Staff act on requests of their own province only; nobody creates, edits or deletes them here."""

    def user_can_list(self, user):
        return super().user_can_list(user) and selectors.staff_province_code(user) != ""

    def user_can_inspect_obj(self, user, obj):
        return selectors.can_review(user, obj, "view")


class RealNameVerificationAdmin(ModelAdmin):
    model = RealNameVerification
    menu_label = _("人工实名认证")
    menu_icon = "user"
    permission_helper_class = QueuePermissionHelper
    inspect_view_enabled = True
    inspect_view_class = admin_views.RealNameInspectView
    inspect_template_name = "accounts/admin/inspect.html"
    list_display = ("enterprise_name", "name", "user_type", "uscc_masked", "status", "province_code", "created_at")
    list_filter = ("status", "user_type")
    search_fields = ("enterprise_name", "name", "uscc", "user__username")

    def get_queryset(self, request):
        return selectors.manual_verification_queue(request.user)

    def uscc_masked(self, obj):
        return admin_views.masked_uscc(obj)

    uscc_masked.short_description = _("统一社会信用代码")


class PhoneChangeRequestAdmin(ModelAdmin):
    model = PhoneChangeRequest
    menu_label = _("手机号修改（人工核验）")
    menu_icon = "mail"
    permission_helper_class = QueuePermissionHelper
    inspect_view_enabled = True
    inspect_view_class = admin_views.PhoneChangeInspectView
    inspect_template_name = "accounts/admin/inspect.html"
    list_display = ("username", "old_phone_masked", "new_phone_masked", "status", "province_code", "created_at")
    list_filter = ("status",)
    search_fields = ("user__username", "name")

    def get_queryset(self, request):
        return selectors.phone_change_queue(request.user)

    def username(self, obj):
        return obj.user.get_username()

    username.short_description = _("登录名")

    def old_phone_masked(self, obj):
        return mask_phone(obj.old_phone)

    old_phone_masked.short_description = _("原手机号")

    def new_phone_masked(self, obj):
        return mask_phone(obj.new_phone)

    new_phone_masked.short_description = _("新手机号")


class StaffRegionAdmin(ModelAdmin):
    model = StaffRegion
    menu_label = _("工作人员所属省份")
    menu_icon = "site"
    list_display = ("user", "province")
    search_fields = ("user__username",)


@modeladmin_register
class AccountsAdminGroup(ModelAdminGroup):
    menu_label = _("账号审核")
    menu_icon = "user"
    menu_order = 260
    items = (RealNameVerificationAdmin, PhoneChangeRequestAdmin, StaffRegionAdmin)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("accounts/decide/<str:kind>/<int:pk>/", admin_views.decide, name="accounts_admin_decide")]


@hooks.register("register_log_actions")
def register_log_actions(actions):
    actions.register_action("accounts.realname_requested", _("提交人工实名认证"), _("提交人工实名认证"))
    actions.register_action("accounts.realname_approved", _("实名认证通过"), _("实名认证通过"))
    actions.register_action("accounts.realname_rejected", _("实名认证未通过"), _("实名认证未通过"))
    actions.register_action("accounts.phone_change_requested", _("申请手机号修改"), _("申请手机号修改"))
    actions.register_action("accounts.phone_changed", _("手机号已修改"), _("手机号已修改"))
    actions.register_action("accounts.phone_change_rejected", _("手机号修改被驳回"), _("手机号修改被驳回"))
    actions.register_action("accounts.account_recovered", _("账号找回"), _("账号找回"))
