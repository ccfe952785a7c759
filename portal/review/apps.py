from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "portal.review"
    label = "review"
    verbose_name = _("申报审核")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from wagtail.permissions import register_permission_policy

        from portal.filings.models import Filing

        from .viewsets import FilingReviewPermissionPolicy

        register_permission_policy(Filing, FilingReviewPermissionPolicy(Filing))
