"""Admin pieces for the modeladmin registers in wagtail_hooks.py."""

from __future__ import annotations

from wagtail.admin.forms import WagtailAdminModelForm

from portal.core.admin import ReadOnlyPermissionHelper

from .services import set_industry_category


class IndustryPermissionHelper(ReadOnlyPermissionHelper):
    """Staff with ``change_industry`` may edit the questionnaire category, nothing else."""

    def user_can_edit_obj(self, user, obj) -> bool:
        return self.user_has_specific_permission(user, self.get_perm_codename("change"))


class IndustryCategoryForm(WagtailAdminModelForm):
    """Saves only the category, through the service that marks it as set by staff."""

    def save(self, commit: bool = True):
        return set_industry_category(
            industry=self.instance, category=self.cleaned_data["questionnaire_category"]
        )
