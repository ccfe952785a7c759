"""Admin: 定时任务记录 (read-only; superusers), under 设置."""

from django.utils.translation import gettext_lazy as _
from wagtail_modeladmin.options import modeladmin_register

from portal.core.admin import ReadOnlyPermissionHelper, ScopedModelAdmin

from .models import JobRun


class JobRunAdmin(ScopedModelAdmin):
    # scoped: the history view asks for the model's permission (superusers hold it)
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
