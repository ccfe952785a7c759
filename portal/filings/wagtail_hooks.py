"""Audit actions of the evidence archive (Wagtail's log, shown in the admin's reports)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks


@hooks.register("register_log_actions")
def register_evidence_log_actions(actions):
    actions.register_action("filings.evidence_uploaded", _("上传申报材料"), _("上传了申报材料压缩包"))
    actions.register_action("filings.evidence_passed", _("申报材料检查通过"), _("申报材料压缩包检查通过"))
    actions.register_action(
        "filings.evidence_refused", _("申报材料检查未通过"), _("申报材料压缩包检查未通过")
    )
    actions.register_action("filings.evidence_replaced", _("替换申报材料"), _("替换了申报材料压缩包"))
    actions.register_action("filings.evidence_deleted", _("删除申报材料"), _("删除了申报材料压缩包"))
    actions.register_action("filings.evidence_locked", _("锁定申报材料"), _("申报材料压缩包随申报提交后锁定"))
    actions.register_action("filings.evidence_unlocked", _("解锁申报材料"), _("申报材料压缩包解除锁定"))
