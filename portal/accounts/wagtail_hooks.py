"""Admin: the 账号审核 menu — the queues of 人工实名认证 and 手机号修改（人工核验） (ModelViewSets of
``portal.accounts.viewsets``, scoped to the reviewer's 审核人员范围) and the staff phones (the admin
login's second factor) — and the audit log actions of the accounts app. Who reviews which region
is managed under 审核人员范围 (``portal.review``)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.permissions import policy_registry
from wagtail_modeladmin.options import ModelAdminGroup, modeladmin_register

from portal.accounts.models import Account
from portal.accounts.viewsets import phone_reviews, realname_reviews
from portal.core.admin import ScopedModelAdmin
from portal.core.identity import validate_phone
from portal.core.masking import mask_phone


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


class QueueMenuItem(MenuItem):
    """A queue's entry in the 账号审核 menu, shown to whoever may open the queue."""

    def __init__(self, viewset, order: int):
        super().__init__(
            viewset.menu_label, reverse(f"{viewset.name}:index"), icon_name=viewset.icon, order=order
        )
        self.viewset = viewset

    def is_shown(self, request):
        policy = policy_registry.get_by_type(self.viewset.model)
        return policy.user_has_permission(request.user, "view")


@modeladmin_register
class AccountsAdminGroup(ModelAdminGroup):
    menu_label = _("账号审核")
    menu_icon = "user"
    menu_order = 260
    items = (StaffPhoneAdmin,)

    def get_submenu_items(self):
        queues = [QueueMenuItem(realname_reviews, 100), QueueMenuItem(phone_reviews, 200)]
        return queues + super().get_submenu_items()


@hooks.register("register_admin_viewset")
def register_account_review_viewsets():
    return [realname_reviews, phone_reviews]


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
