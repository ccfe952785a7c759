from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "portal.accounts"
    label = "accounts"
    verbose_name = _("账号")

    def ready(self) -> None:
        from portal.accounts import checks  # noqa: F401 - registers the deploy check
        from portal.accounts.prefill import register_prefill_sources

        register_prefill_sources()

        from wagtail.permissions import register_permission_policy

        from portal.accounts.models import PhoneChangeRequest, RealNameVerification
        from portal.accounts.viewsets import AccountRequestPermissionPolicy

        for model in (RealNameVerification, PhoneChangeRequest):
            register_permission_policy(model, AccountRequestPermissionPolicy(model))
