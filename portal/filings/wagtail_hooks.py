"""Admin: 申报时间 and 申报条件 registers (wagtail-modeladmin, scoped to the member's province), and
the audit actions of filings and their evidence (Wagtail's log, shown in the admin's reports)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdminGroup, modeladmin_register

from portal.core.admin import ScopedModelAdmin
from portal.core.dates import chinese_datetime
from portal.core.scopes import ALL_REGIONS, staff_province_code

from .forms import requirements_scope
from .models import FilingRequirement, FilingWindow, ReviewChain


@hooks.register("register_log_actions")
def register_filing_log_actions(actions):
    actions.register_action("filings.evidence_uploaded", _("上传申报材料"), _("上传了申报材料压缩包"))
    actions.register_action("filings.evidence_passed", _("申报材料检查通过"), _("申报材料压缩包检查通过"))
    actions.register_action(
        "filings.evidence_refused", _("申报材料检查未通过"), _("申报材料压缩包检查未通过")
    )
    actions.register_action("filings.evidence_replaced", _("替换申报材料"), _("替换了申报材料压缩包"))
    actions.register_action("filings.evidence_deleted", _("删除申报材料"), _("删除了申报材料压缩包"))
    actions.register_action("filings.evidence_locked", _("锁定申报材料"), _("申报材料压缩包随申报提交后锁定"))
    actions.register_action("filings.evidence_unlocked", _("解锁申报材料"), _("申报材料压缩包解除锁定"))
    actions.register_action("filings.create", _("开始申报"), _("开始填写申报"))
    actions.register_action("filings.submit", _("提交申报"), _("提交了申报"))
    actions.register_action("filings.resubmit", _("重新提交申报"), _("修改后重新提交了申报"))
    actions.register_action("filings.withdraw", _("撤回申报"), _("撤回了申报"))
    actions.register_action("filings.pass", _("审核通过"), _("审核通过了申报"))
    actions.register_action("filings.return", _("退回申报"), _("退回了申报"))
    actions.register_action("filings.reject", _("审核不通过"), _("审核不通过"))
    actions.register_action("filings.publicise", _("公示"), _("将申报列入公示"))
    actions.register_action("filings.recognise", _("认定"), _("认定了申报企业"))


class ProvinceScopedAdmin(ScopedModelAdmin):
    """Rows of the member's province only (a superuser: every province); rows without a province
    (the nationwide defaults) are visible to everyone who may list, editable by a nationwide scope."""

    nationwide_rows_visible = False
    scope_of = staticmethod(staff_province_code)

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("province")
        scope = self.scope_of(request.user)
        if scope is ALL_REGIONS:
            return queryset
        if not scope:
            return queryset.none()
        province = scope
        if self.nationwide_rows_visible:
            from django.db.models import Q

            return queryset.filter(Q(province__code=province) | Q(province__isnull=True))
        return queryset.filter(province__code=province)


class FilingWindowAdmin(ProvinceScopedAdmin):
    model = FilingWindow
    menu_label = _("申报时间")
    menu_icon = "date"
    list_display = ("province", "level", "round", "opens", "closes", "open_now")
    list_filter = ("level", "year")
    search_fields = ("province__name", "note")
    ordering = ("-opens_at",)
    inspect_view_enabled = True

    @staticmethod
    def round(obj):
        return obj.round_label

    round.short_description = _("批次")

    @staticmethod
    def opens(obj):
        return chinese_datetime(obj.opens_at)

    opens.short_description = _("开放时间")
    opens.admin_order_field = "opens_at"

    @staticmethod
    def closes(obj):
        return chinese_datetime(obj.closes_at)

    closes.short_description = _("截止时间")
    closes.admin_order_field = "closes_at"

    @staticmethod
    def open_now(obj):
        return _("申报中") if obj.is_open() else ""

    open_now.short_description = _("当前")


class NationwideReadOnlyPermissionHelper(PermissionHelper):
    """A nationwide row (no province) is changed by a nationwide scope only: others inspect it."""

    def _may_change(self, user, obj) -> bool:
        return obj.province_id is not None or requirements_scope(user) is ALL_REGIONS

    def user_can_edit_obj(self, user, obj) -> bool:
        return self._may_change(user, obj) and super().user_can_edit_obj(user, obj)

    def user_can_delete_obj(self, user, obj) -> bool:
        return self._may_change(user, obj) and super().user_can_delete_obj(user, obj)


class FilingRequirementAdmin(ProvinceScopedAdmin):
    model = FilingRequirement
    menu_label = _("申报条件")
    menu_icon = "list-ul"
    nationwide_rows_visible = True
    scope_of = staticmethod(requirements_scope)
    inspect_view_enabled = True
    permission_helper_class = NationwideReadOnlyPermissionHelper
    list_display = ("level", "where", "definition_key", "conditions")
    list_filter = ("level",)

    def object_in_scope(self, request, instance_pk) -> bool:
        # nationwide rows are listed for reference but only a nationwide scope may change them
        scope = self.scope_of(request.user)
        queryset = self.get_queryset(request)
        inspecting = bool(request.resolver_match) and request.resolver_match.url_name.endswith("_inspect")
        if scope is not ALL_REGIONS and not inspecting:
            queryset = queryset.exclude(province__isnull=True)
        return queryset.filter(pk=instance_pk).exists()

    @staticmethod
    def where(obj):
        return obj.province.name if obj.province_id else _("全国（默认）")

    where.short_description = _("适用范围")

    @staticmethod
    def conditions(obj):
        parts = [_("法人实名认证")]
        if obj.requires_complete_profile:
            parts.append(_("完善企业信息"))
        if obj.requires_assessment:
            parts.append(_("数字化水平评测"))
        if obj.requires_recognition:
            parts.append(_("已认定为%(level)s") % {"level": obj.get_requires_recognition_display()})
        if obj.requires_evidence:
            parts.append(_("其他材料压缩包"))
        return "、".join(str(p) for p in parts)

    conditions.short_description = _("申报条件")


class ReviewChainAdmin(FilingRequirementAdmin):
    model = ReviewChain
    menu_label = _("审核流程")
    menu_icon = "list-ol"
    list_display = ("level", "where", "steps_text")

    @staticmethod
    def steps_text(obj):
        return obj.steps_label

    steps_text.short_description = _("审核层级")


class FilingAdminGroup(ModelAdminGroup):
    menu_label = _("企业申报")
    menu_icon = "doc-full"
    menu_order = 250
    items = (FilingWindowAdmin, FilingRequirementAdmin, ReviewChainAdmin)


modeladmin_register(FilingAdminGroup)
