"""Admin: queues of 人工实名认证 and 手机号修改（人工核验）, scoped to the reviewer's province, the
StaffRegion register, the staff phones (the admin login's second factor), and the audit log
actions of the accounts app."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail_modeladmin.options import ModelAdminGroup, modeladmin_register

from portal.accounts import admin_views, selectors
from portal.accounts.models import Account, PhoneChangeRequest, RealNameVerification, StaffRegion
from portal.core.admin import ReadOnlyPermissionHelper, ScopedModelAdmin
from portal.core.identity import validate_phone
from portal.core.masking import mask_phone
from portal.core.scopes import staff_region_code


class QueuePermissionHelper(ReadOnlyPermissionHelper):
    """Staff act on requests of their own province only; nobody creates, edits or deletes them here."""

    def user_can_list(self, user):
        return super().user_can_list(user) and staff_region_code(user) != ""

    def user_can_inspect_obj(self, user, obj):
        return selectors.can_review(user, obj, "view")


class RealNameVerificationAdmin(ScopedModelAdmin):
    model = RealNameVerification
    menu_label = _("人工实名认证")
    menu_icon = "user"
    permission_helper_class = QueuePermissionHelper
    inspect_view_enabled = True
    inspect_view_class = admin_views.RealNameInspectView
    inspect_template_name = "accounts/admin/inspect.html"
    list_display = (
        "enterprise_name",
        "name",
        "user_type",
        "uscc_masked",
        "claim_flag",
        "status",
        "province_code",
        "created_at",
    )
    list_filter = ("status", "user_type")
    search_fields = ("enterprise_name", "name", "uscc", "user__username")

    def get_queryset(self, request):
        return selectors.manual_verification_queue(request.user)

    def uscc_masked(self, obj):
        return admin_views.masked_uscc(obj)

    uscc_masked.short_description = _("统一社会信用代码")

    def claim_flag(self, obj):
        return _("认领") if obj.is_claim else ""

    claim_flag.short_description = _("认领")


class PhoneChangeRequestAdmin(ScopedModelAdmin):
    model = PhoneChangeRequest
    menu_label = _("手机号修改（人工核验）")
    menu_icon = "mail"
    permission_helper_class = QueuePermissionHelper
    inspect_view_enabled = True
    inspect_view_class = admin_views.PhoneChangeInspectView
    inspect_template_name = "accounts/admin/inspect.html"
    list_display = (
        "username",
        "old_phone_masked",
        "new_phone_masked",
        "status",
        "province_code",
        "created_at",
    )
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


class StaffRegionAdmin(ScopedModelAdmin):
    model = StaffRegion
    menu_label = _("工作人员所属省份")
    menu_icon = "site"
    list_display = ("user", "province")
    search_fields = ("user__username",)


class StaffPhoneForm(WagtailAdminModelForm):
    """The bound phone of a staff member: where the admin login's SMS code goes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = get_user_model().objects.filter(is_staff=True).order_by("username")
        self.fields["user"].label = _("工作人员")
        self.fields["phone"].validators.append(validate_phone)
        self.fields["phone"].help_text = _("管理端登录的短信验证码发送至此手机号。")


class StaffPhoneAdmin(ScopedModelAdmin):
    """工作人员手机号: superusers (``accounts.*_account``) bind the phone of each staff member;
    staff cannot change it themselves through the public 【手机号修改】."""

    model = Account
    menu_label = _("工作人员手机号")
    menu_icon = "mobile-alt"
    list_display = ("username", "masked_phone")
    search_fields = ("user__username",)
    edit_handler = ObjectList([FieldPanel("user"), FieldPanel("phone")], base_form_class=StaffPhoneForm)

    def get_queryset(self, request):
        return Account.objects.filter(user__is_staff=True).select_related("user").order_by("user__username")

    def username(self, obj):
        return obj.user.get_username()

    username.short_description = _("登录名")

    def masked_phone(self, obj):
        return mask_phone(obj.phone)

    masked_phone.short_description = _("手机号")


@modeladmin_register
class AccountsAdminGroup(ModelAdminGroup):
    menu_label = _("账号审核")
    menu_icon = "user"
    menu_order = 260
    items = (RealNameVerificationAdmin, PhoneChangeRequestAdmin, StaffRegionAdmin, StaffPhoneAdmin)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("accounts/decide/<str:kind>/<int:pk>/", admin_views.decide, name="accounts_admin_decide")]


@hooks.register("register_log_actions")
def register_log_actions(actions):
    actions.register_action("accounts.realname_requested", _("提交人工实名认证"), _("提交人工实名认证"))
    actions.register_action("accounts.realname_claimed", _("提交认领申请"), _("提交统一社会信用代码认领申请"))
    actions.register_action("accounts.realname_approved", _("实名认证通过"), _("实名认证通过"))
    actions.register_action("accounts.realname_rejected", _("实名认证未通过"), _("实名认证未通过"))
    actions.register_action("accounts.realname_revoked", _("实名认证撤销"), _("认领审核通过，撤销了实名认证"))
    actions.register_action("accounts.phone_change_requested", _("申请手机号修改"), _("申请手机号修改"))
    actions.register_action("accounts.phone_changed", _("手机号已修改"), _("手机号已修改"))
    actions.register_action("accounts.phone_change_rejected", _("手机号修改被驳回"), _("手机号修改被驳回"))
    actions.register_action("accounts.account_recovered", _("账号找回"), _("账号找回"))
