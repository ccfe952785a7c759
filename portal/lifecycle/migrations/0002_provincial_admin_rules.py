"""Give the 省级管理员 group its province's 复核设置 (the register scopes rows to the member's province)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PROVINCIAL_ADMIN_GROUP = "省级管理员"
PERMISSIONS = ["view_renewalrule", "add_renewalrule", "change_renewalrule"]


def forwards(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=PROVINCIAL_ADMIN_GROUP)
    group.permissions.add(*Permission.objects.filter(content_type__app_label="lifecycle", codename__in=PERMISSIONS))


def backwards(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    group = apps.get_model("auth", "Group").objects.filter(name=PROVINCIAL_ADMIN_GROUP).first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="lifecycle", codename__in=PERMISSIONS)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("lifecycle", "0001_initial"),
        ("recognition", "0002_provincial_admin_settings"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
