"""Admin: the 重大变更审核 queue (``/admin/changes/``) and the audit actions of changes."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from portal.core.admin import register_history_scope

from . import selectors
from .admin_views import ChangeViewSet
from .models import MajorChange

# the site history shows a change's log entries to the reviewers who see the change
register_history_scope(MajorChange, lambda request: selectors.changes_visible_to(request.user))


@hooks.register("register_admin_viewset")
def register_change_viewset():
    return ChangeViewSet()


@hooks.register("register_log_actions")
def register_change_log_actions(actions):
    for action, label in [
        ("create", _("新增重大变更")),
        ("submit", _("提交重大变更")),
        ("resubmit", _("重新提交重大变更")),
        ("delete", _("删除暂存的重大变更")),
        ("approve", _("核准重大变更")),
        ("approve_partial", _("一省核准重大变更")),
        ("reject", _("不予核准重大变更")),
        ("return", _("退回重大变更")),
    ]:
        actions.register_action(f"changes.{action}", label, label)
    actions.register_action(
        "enterprises.major_change", _("按重大变更更新企业信息"), _("按核准的重大变更更新了企业信息")
    )
