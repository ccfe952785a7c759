"""Admin: 认定管理 (公示与认定, 认定企业), 各省认定设置 in the settings menu, and the audit actions
of recognition."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail_modeladmin.options import modeladmin_register

from portal.core.admin import register_history_scope
from portal.filings.wagtail_hooks import ProvinceScopedAdmin

from . import selectors
from .models import ProvinceRecognitionSetting, Publicity, Recognition
from .staff.viewsets import RecognitionViewSetGroup

# the site history shows the log entries of the 公示 and recognitions a reviewer's screens show
register_history_scope(Publicity, lambda request: selectors.publicities_visible_to(request.user))
register_history_scope(Recognition, lambda request: selectors.recognitions_visible_to(request.user))


@hooks.register("register_admin_viewset")
def register_recognition_viewsets():
    return RecognitionViewSetGroup()


class ProvinceRecognitionSettingAdmin(ProvinceScopedAdmin):
    """A province's own 公示 period and issuing authority (superusers anywhere, 省级管理员 their own)."""

    model = ProvinceRecognitionSetting
    menu_label = _("各省认定设置")
    menu_icon = "calendar-alt"
    add_to_settings_menu = True
    list_display = ("province", "days", "authority")

    @staticmethod
    def days(obj):
        return obj.publicity_days or _("全国默认")

    days.short_description = _("公示期（自然日）")


modeladmin_register(ProvinceRecognitionSettingAdmin)


@hooks.register("register_log_actions")
def register_recognition_log_actions(actions):
    actions.register_action("recognition.publicity_create", _("创建公示"), _("创建了公示并生成公示公告草稿"))
    actions.register_action("recognition.publicity_started", _("公示开始"), _("公示公告发布，公示期开始"))
    actions.register_action("recognition.recognise", _("认定"), _("认定了企业并生成认定编号"))
    actions.register_action("recognition.import", _("导入认定"), _("导入了平台上线前的认定"))
    actions.register_action("recognition.expire", _("认定到期"), _("认定已到期"))
    actions.register_action("recognition.export", _("导出认定企业"), _("导出了认定企业名单"))
    actions.register_action(
        "recognition.certificate_downloaded", _("下载认定证书"), _("工作人员下载了认定证书")
    )
