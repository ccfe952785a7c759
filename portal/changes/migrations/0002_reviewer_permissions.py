"""The 审核人员 group reviews 企业重大变更 too (province-level reviewers decide, docs/changes.md)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISSIONS = [("changes", "majorchange", "view_majorchange"), ("changes", "majorchange", "review_majorchange")]


def forwards(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="审核人员")
    for app_label, model, codename in PERMISSIONS:
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, content_type__model=model, codename=codename)
        )


class Migration(migrations.Migration):
    dependencies = [("changes", "0001_initial"), ("review", "0002_reviewer_group")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
