from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "portal.core"
    label = "core"
    verbose_name = _("平台")

    def ready(self) -> None:
        from portal.core import checks  # noqa: F401 - registers the deploy checks
        from portal.core.permissions import translate_permission_names

        post_migrate.connect(
            translate_permission_names, dispatch_uid="portal.core.translate_permission_names"
        )
