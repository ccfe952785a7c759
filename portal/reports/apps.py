from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "portal.reports"
    label = "reports"
    verbose_name = _("统计与导出")
    default_auto_field = "django.db.models.BigAutoField"
