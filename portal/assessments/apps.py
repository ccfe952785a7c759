from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "portal.assessments"
    label = "assessments"
    verbose_name = _("数字化水平评测")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from .prefill import register_prefill_sources

        register_prefill_sources()
