"""Admin forms of 申报时间 and 申报条件: a provincial admin picks only their own province.

The province choices are cut to the member's scope (``portal.core.scopes.staff_region_code``):
the whole country for a superuser, their province for a 省级管理员. A posted province outside the
scope is refused like any invalid choice; 申报条件 without a province (the nationwide default) is
for superusers and policy staff with a nationwide scope only.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from portal.core.scopes import ALL_REGIONS, staff_region_code
from portal.reference.models import Region


class ProvinceScopedAdminForm(WagtailAdminModelForm):
    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.scope = staff_region_code(for_user) if for_user is not None else ""
        field = self.fields.get("province")
        if field is not None:
            provinces = Region.objects.filter(level=Region.Level.PROVINCE).order_by("code")
            if self.scope is not ALL_REGIONS:
                provinces = (
                    provinces.filter(code=(self.scope or "")[:2] + "0000") if self.scope else provinces.none()
                )
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
    pass
