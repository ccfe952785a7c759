"""Admin: the audit actions of the inbox (Wagtail's log, shown in the admin's reports).

Reading a message is not logged (``read_at`` records it); leaving one is.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks


@hooks.register("register_log_actions")
def register_inbox_log_actions(actions):
    actions.register_action("inbox.notify", _("发送消息"), _("向企业发送了一条消息"))
