"""Admin: 定时任务记录 (read-only; superusers), under 设置."""

from django.utils.translation import gettext_lazy as _
from wagtail_modeladmin.options import modeladmin_register

from portal.core.admin import PortalModelAdmin, ReadOnlyPermissionHelper

from .models import JobRun


class JobRunAdmin(PortalModelAdmin):
    model = JobRun
    menu_label = _("定时任务记录")
    menu_icon = "time"
    add_to_settings_menu = True
    permission_helper_class = ReadOnlyPermissionHelper
    inspect_view_enabled = True
    list_display = ("name", "slot", "state", "manual", "dry_run", "started_at", "finished_at")
    list_filter = ("name", "state", "manual")
    ordering = ("-queued_at",)


modeladmin_register(JobRunAdmin)
