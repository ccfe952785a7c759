from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FilingsConfig(AppConfig):
    name = "portal.filings"
    label = "filings"
    verbose_name = _("企业申报")
    default_auto_field = "django.db.models.BigAutoField"
