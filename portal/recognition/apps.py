from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecognitionConfig(AppConfig):
    name = "portal.recognition"
    label = "recognition"
    verbose_name = _("认定管理")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from wagtail.permissions import register_permission_policy

        from . import signals  # noqa: F401 - the 公示 period starts when its notice is published
        from .models import Publicity, Recognition
        from .permissions import PublicityPermissionPolicy, RecognitionPermissionPolicy

        register_permission_policy(Publicity, PublicityPermissionPolicy(Publicity))
        register_permission_policy(Recognition, RecognitionPermissionPolicy(Recognition))
