"""Admin forms of 申报时间 and 申报条件: a provincial admin picks only their own province.

The province choices are cut to the member's scope (``portal.core.scopes.staff_province_code``):
the whole country for a superuser, their province for a 省级管理员. A posted province outside the
scope is refused like any invalid choice; 申报条件 without a province (the nationwide default) is
for superusers and policy staff with a nationwide scope only.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from portal.core.scopes import ALL_REGIONS, staff_province_code
from portal.filings import states
from portal.reference.models import Region


def requirements_scope(user) -> str | None:
    """The scope in which ``user`` keeps 申报条件: 政策人员 (who publish the forms the levels are filed
    on) keep them nationwide like superusers; a 省级管理员 those of their province."""
    scope = staff_province_code(user)
    if scope is not ALL_REGIONS and not scope and user.has_perm("forms_engine.publish_formversion"):
        return ALL_REGIONS
    return scope


class ProvinceScopedAdminForm(WagtailAdminModelForm):
    scope_of = staticmethod(staff_province_code)

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.scope = self.scope_of(for_user) if for_user is not None else ""
        field = self.fields.get("province")
        if field is not None:
            provinces = Region.objects.filter(level=Region.Level.PROVINCE).order_by("code")
            if self.scope is not ALL_REGIONS:
                provinces = provinces.filter(code=self.scope) if self.scope else provinces.none()
            field.queryset = provinces

    def clean_province(self):
        province = self.cleaned_data.get("province")
        if province is None and self.scope is not ALL_REGIONS and "province" in self.fields:
            if self.fields["province"].required:
                return province
            raise ValidationError(_("只能为本省设置，请选择省份。"), code="province_required")
        return province


class FilingWindowAdminForm(ProvinceScopedAdminForm):
    pass


class FilingRequirementAdminForm(ProvinceScopedAdminForm):
    scope_of = staticmethod(requirements_scope)


STEP_CHOICES = {
    "county": [("", _("不设")), ("review", _("审核"))],
    "city": [("", _("不设")), ("review", _("审核"))],
    "province": [("", _("不设")), ("review", _("审核")), ("recommend", _("推荐")), ("decide", _("认定"))],
    "ministry": [("", _("不设")), ("decide", _("认定"))],
}
STEP_LABELS = {"county": _("县/区级"), "city": _("市级"), "province": _("省级"), "ministry": _("部级")}


class ReviewChainAdminForm(ProvinceScopedAdminForm):
    """The chain as one choice per level (不设 / 审核 / 推荐 / 认定) instead of raw JSON."""

    step_county = forms.ChoiceField(
        label=STEP_LABELS["county"], choices=STEP_CHOICES["county"], required=False
    )
    step_city = forms.ChoiceField(label=STEP_LABELS["city"], choices=STEP_CHOICES["city"], required=False)
    step_province = forms.ChoiceField(
        label=STEP_LABELS["province"], choices=STEP_CHOICES["province"], required=False
    )
    step_ministry = forms.ChoiceField(
        label=STEP_LABELS["ministry"], choices=STEP_CHOICES["ministry"], required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = {step["level"]: step.get("role", "review") for step in (self.instance.steps or [])}
        for level in STEP_CHOICES:
            self.fields[f"step_{level}"].initial = current.get(level, "")
        if "steps" in self.fields:
            self.fields["steps"].required = False
            self.fields["steps"].widget = forms.HiddenInput()

    def clean(self):
        cleaned = super().clean()
        steps = [
            {"level": level, "role": cleaned.get(f"step_{level}")}
            for level in STEP_CHOICES
            if cleaned.get(f"step_{level}")
        ]
        cleaned["steps"] = steps
        self.instance.steps = steps
        try:
            states.check_chain([states.ChainStep.from_dict(step) for step in steps])
        except states.ChainInvalidError as exc:
            field = "step_ministry" if exc.code == "chain_decider" else "step_province"
            self.add_error(field, ValidationError(str(exc), code=exc.code))
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        # the model's own check of ``steps`` (hidden here) is reported on the level fields above
        if self._errors and "steps" in self._errors:
            del self._errors["steps"]
