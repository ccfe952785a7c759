from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LifecycleConfig(AppConfig):
    name = "portal.lifecycle"
    label = "lifecycle"
    verbose_name = _("认定后管理")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from wagtail.permissions import register_permission_policy

        from . import jobs  # noqa: F401  (registers the reminder and expiry jobs)
        from .models import AnnualUpdate
        from .permissions import AnnualUpdatePermissionPolicy

        register_permission_policy(AnnualUpdate, AnnualUpdatePermissionPolicy(AnnualUpdate))
