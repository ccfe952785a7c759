from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "portal.enterprises"
    label = "enterprises"
    verbose_name = _("企业信息")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from .prefill import register_prefill_sources

        register_prefill_sources()
