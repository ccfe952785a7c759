from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChangesConfig(AppConfig):
    name = "portal.changes"
    label = "changes"
    verbose_name = _("企业重大变更")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from wagtail.permissions import register_permission_policy

        from .admin_views import ChangePermissionPolicy
        from .models import MajorChange

        register_permission_policy(MajorChange, ChangePermissionPolicy(MajorChange))
