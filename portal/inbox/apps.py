from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InboxConfig(AppConfig):
    name = "portal.inbox"
    label = "inbox"
    verbose_name = _("我的消息")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from portal.enterprises.centre import register_badge

        from . import checks  # noqa: F401 - registers the system checks
        from .selectors import count_unread

        # the unread count beside 我的消息 in the centre's side navigation
        register_badge("messages", count_unread)
