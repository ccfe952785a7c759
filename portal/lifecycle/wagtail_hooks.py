"""Admin of the lifecycle: 复核设置 (settings menu, per level and province), 信息更新 (the staff's
list of who has and has not updated, with 【审阅】 / 【退回】), and the audit actions."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail_modeladmin.options import modeladmin_register

from portal.filings.wagtail_hooks import FilingRequirementAdmin

from .models import RenewalRule


class RenewalRuleAdmin(FilingRequirementAdmin):
    """复核设置: nationwide rows for reference (changed by a nationwide scope), a province's own rows
    by its 省级管理员."""

    model = RenewalRule
    menu_label = _("复核设置")
    menu_icon = "time"
    add_to_settings_menu = True
    list_display = ("level", "where", "opens_days", "form")
    list_filter = ("level",)

    @staticmethod
    def form(obj):
        return obj.definition_key or _("默认")

    form.short_description = _("复核表单")


modeladmin_register(RenewalRuleAdmin)


@hooks.register("register_admin_viewset")
def register_annual_update_viewset():
    from .staff import AnnualUpdateViewSet

    return AnnualUpdateViewSet()


@hooks.register("register_log_actions")
def register_lifecycle_log_actions(actions):
    actions.register_action("lifecycle.renewal_start", _("开始复核"), _("开始填写复核"))
    actions.register_action("lifecycle.renewal_passed", _("复核通过"), _("复核通过，认定有效期延续"))
    actions.register_action("lifecycle.update_missed", _("信息更新逾期"), _("未按期完成年度信息更新"))
    actions.register_action("lifecycle.update_confirmed", _("审阅信息更新"), _("审阅了年度信息更新"))
    actions.register_action("lifecycle.update_returned", _("退回信息更新"), _("退回了年度信息更新"))
