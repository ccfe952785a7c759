"""Create the 审核人员 group (the queue, the review page, 通过 / 退回 / 不通过) and give the 省级管理员
group the reviewers' scopes and the 审核流程 of their province. Each reviewer also needs a
ReviewerScope (level and region): the group alone shows nothing."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REVIEWER_GROUP = "审核人员"
PROVINCIAL_ADMIN_GROUP = "省级管理员"
REVIEWER_PERMISSIONS = [
    ("wagtailadmin", "admin", "access_admin"),
    ("filings", "filing", "view_filing"),
    ("filings", "filing", "review_filing"),
]
PROVINCIAL_ADMIN_PERMISSIONS = [
    ("review", "reviewerscope", "view_reviewerscope"),
    ("review", "reviewerscope", "add_reviewerscope"),
    ("review", "reviewerscope", "change_reviewerscope"),
    ("review", "reviewerscope", "delete_reviewerscope"),
    ("filings", "reviewchain", "view_reviewchain"),
    ("filings", "reviewchain", "add_reviewchain"),
    ("filings", "reviewchain", "change_reviewchain"),
]


def _ensure_permissions(apps):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def _add(apps, group, rows):
    Permission = apps.get_model("auth", "Permission")
    for app_label, model, codename in rows:
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, content_type__model=model, codename=codename)
        )


def forwards(apps, schema_editor):
    _ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    reviewers, _ = Group.objects.get_or_create(name=REVIEWER_GROUP)
    _add(apps, reviewers, REVIEWER_PERMISSIONS)
    provincial, _ = Group.objects.get_or_create(name=PROVINCIAL_ADMIN_GROUP)
    _add(apps, provincial, PROVINCIAL_ADMIN_PERMISSIONS)


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=REVIEWER_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0001_initial"),
        ("filings", "0006_alter_filing_options"),
        ("filings", "0003_default_requirements_provincial_admin"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtaildocs", "0011_add_choose_permissions"),
        ("wagtailimages", "0023_add_choose_permissions"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
