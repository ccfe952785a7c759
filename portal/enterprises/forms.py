"""The 企业信息 edit form: the editable profile fields, with the reference-data pickers.

Every field is required (a complete profile is what the filing flows need) and every error
message names its field in Chinese, so an error shown at the top of a page still says where.
The view never calls ``save()``: the cleaned data goes to ``update_enterprise_profile``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.reference.lookups import IndustryField, RegionField
from portal.reference.models import Industry, Region

from .models import Enterprise
from .selectors import EDITABLE_FIELDS
from .services import MAJOR_CHANGE_FIELDS


class EnterpriseProfileForm(forms.ModelForm):
    region = RegionField(
        label=_("注册地"), help_text=_("请依次选择省份、城市和区县；注册地决定由哪个地区审核。")
    )
    industry = IndustryField(
        label=_("所属行业"), help_text=_("国民经济行业分类（GB/T 4754-2017）大类；决定数字化水平评测问卷。")
    )

    class Meta:
        model = Enterprise
        fields = list(EDITABLE_FIELDS)
        widgets = {
            "established_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "main_products": forms.Textarea(attrs={"rows": 3}),
            "contact_phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = self.instance
        # The pickers work with codes; the model keeps foreign keys, so ModelForm's initial holds
        # primary keys. Replace them bound or not: a disabled picker (recognised enterprise) takes
        # its value from ``initial`` on POST, and a primary key read as a code is another region.
        if instance.pk:
            self.initial["region"] = instance.region.code if instance.region_id else ""
            self.initial["industry"] = instance.industry.code if instance.industry_id else ""
        if instance.pk and instance.is_recognised:
            # For a recognised enterprise these are 重大变更 (SPEC F-25), reviewed, not self-service.
            for name in MAJOR_CHANGE_FIELDS:
                if getattr(instance, f"{name}_id") is None:
                    continue  # filling in a missing value is not a change
                self.fields[name].disabled = True
                self.fields[name].help_text = _(
                    "已认定企业的注册地、所属行业变更属于重大变更，请通过【企业重大变更】办理。"
                )
        self.fields["registered_capital"].widget.attrs.setdefault("step", "any")
        self.fields["size_class"].choices = [("", _("请选择企业规模")), *Enterprise.SizeClass.choices]
        for name, field in self.fields.items():
            field.required = True
            label = field.label
            prompt = (
                _("请选择“%(label)s”。")
                if name in {"region", "industry", "size_class"}
                else _("请填写“%(label)s”。")
            )
            field.error_messages.update(
                {
                    "required": prompt % {"label": label},
                    "invalid": _("“%(label)s”格式不正确。") % {"label": label},
                    "invalid_choice": _("“%(label)s”的选项无效，请重新选择。") % {"label": label},
                    "max_length": _("“%(label)s”最多 %%(limit_value)d 个字符（现有 %%(show_value)d 个）。")
                    % {"label": label},
                }
            )
        self.fields["established_on"].error_messages["invalid"] = _(
            "“成立日期”格式不正确，请按 年-月-日 填写（如 2015-06-01）。"
        )
        self.fields["contact_email"].error_messages["invalid"] = _(
            "“联系邮箱”格式不正确，请填写有效的邮箱地址。"
        )
        capital = self.fields["registered_capital"]
        capital.error_messages.update(
            {
                "invalid": _("“注册资本（万元）”请填写数字。"),
                "max_digits": _("“注册资本（万元）”数值过大。"),
                "max_decimal_places": _("“注册资本（万元）”最多保留 4 位小数。"),
                "max_whole_digits": _("“注册资本（万元）”数值过大。"),
            }
        )
        self.fields["employees"].error_messages.update(
            {
                "invalid": _("“从业人员数（人）”请填写整数。"),
                "min_value": _("“从业人员数（人）”至少为 1。"),
                "max_value": _("“从业人员数（人）”不能超过 %(limit_value)s。"),
            }
        )
        self.fields["region"].error_messages.update(
            {
                "unknown": _("“注册地”：未知的行政区划代码 %(code)s。"),
                "too_coarse": _("“注册地”请选择到%(level)s一级：“%(name)s”是%(chosen)s，不是%(level)s。"),
            }
        )

    def clean_region(self) -> Region | None:
        code = self.cleaned_data.get("region")
        return Region.objects.filter(code=code).first() if code else None

    def clean_industry(self) -> Industry | None:
        code = self.cleaned_data.get("industry")
        return Industry.objects.filter(code=code).first() if code else None

    def clean_established_on(self):
        value = self.cleaned_data.get("established_on")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("“成立日期”不能晚于今天。"), code="future_date")
        return value
