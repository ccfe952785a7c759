"""Staff side of 人工实名认证 and 人工核验 (phone change): inspect pages with a decision form,
scoped to the reviewer's province (``selectors.can_review``). Registered in ``wagtail_hooks``."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail_modeladmin.views import InspectView

from portal.accounts import selectors, services
from portal.accounts.models import PhoneChangeRequest, RealNameVerification, ReviewStatus
from portal.core.masking import mask_id_number, mask_phone, mask_uscc


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("审核结果"),
        widget=forms.RadioSelect,
        choices=[("approve", gettext_lazy("通过")), ("reject", gettext_lazy("驳回"))],
    )
    reason = forms.CharField(
        label=gettext_lazy("审核意见"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("驳回时必填，申请人可在实名认证页面看到。"),
    )


def _file_link(obj, kind: str, field: str) -> str:
    upload = getattr(obj, field)
    if not upload:
        return "—"
    url = reverse("accounts:private_file", args=[kind, obj.pk, field])
    return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, _("查看"))


class DecisionInspectView(InspectView):
    kind = ""

    def rows(self) -> list[tuple[str, object]]:
        raise NotImplementedError

    def get_fields_dict(self):
        return [{"label": label, "value": value} for label, value in self.rows()]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        obj = self.instance
        if obj.status == ReviewStatus.PENDING and selectors.can_review(self.request.user, obj, "change"):
            context["decision_form"] = DecisionForm()
            context["decision_url"] = reverse("accounts_admin_decide", args=[self.kind, obj.pk])
        return context


class RealNameInspectView(DecisionInspectView):
    kind = "realname"

    def rows(self):
        obj = self.instance
        return [
            (_("登录名"), obj.user.get_username()),
            (_("用户类型"), obj.get_user_type_display()),
            (_("企业名称"), obj.enterprise_name or "—"),
            (_("统一社会信用代码"), obj.uscc or "—"),
            (_("姓名"), obj.name),
            (_("身份证号"), obj.id_number),  # full number: authorised staff of this province only
            (_("营业执照"), _file_link(obj, "realname", "licence")),
            (_("证明材料"), _file_link(obj, "realname", "evidence")),
            (_("申请说明"), obj.note or "—"),
            (
                _("认领"),
                _(
                    "是：该统一社会信用代码已由账号 %(username)s 认证，通过后将撤销其实名认证，企业归本申请人所有。"
                )
                % {"username": obj.claimed_from.get_username()}
                if obj.is_claim
                else _("否"),
            ),
            (_("状态"), obj.get_status_display()),
            (_("审核意见"), obj.reason or "—"),
            (_("提交时间"), obj.created_at),
        ]


class PhoneChangeInspectView(DecisionInspectView):
    kind = "phone-change"

    def rows(self):
        obj = self.instance
        return [
            (_("登录名"), obj.user.get_username()),
            (_("原手机号"), mask_phone(obj.old_phone)),
            (_("新手机号"), mask_phone(obj.new_phone)),
            (_("姓名"), obj.name or "—"),
            (_("统一社会信用代码或身份证号"), obj.id_number or "—"),
            (_("证明材料"), _file_link(obj, "phone-change", "evidence")),
            (_("申请说明"), obj.note or "—"),
            (_("状态"), obj.get_status_display()),
            (_("审核意见"), obj.reason or "—"),
            (_("提交时间"), obj.created_at),
        ]


DECISIONS = {
    "realname": (RealNameVerification, services.decide_realname_verification, "verification"),
    "phone-change": (PhoneChangeRequest, services.decide_phone_change, "change"),
}


@require_POST
def decide(request, kind: str, pk: int):
    if kind not in DECISIONS:
        raise Http404
    model, service, argument = DECISIONS[kind]
    obj = get_object_or_404(model, pk=pk)
    if not selectors.can_review(request.user, obj, "change"):
        raise PermissionDenied
    inspect_url = reverse(f"accounts_{model._meta.model_name}_modeladmin_inspect", args=[pk])
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择审核结果。"))
        return redirect(inspect_url)
    try:
        service(
            **{argument: obj},
            reviewer=request.user,
            approve=form.cleaned_data["decision"] == "approve",
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(inspect_url)
    messages.success(request, _("审核结果已保存。"))
    return redirect(inspect_url)


def masked_uscc(obj):
    return mask_uscc(obj.uscc) if obj.uscc else "—"


def masked_id(obj):
    return mask_id_number(obj.id_number)
