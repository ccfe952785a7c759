"""Create the 政策人员 (policy staff) group: designs, validates, previews, test-scores, diffs,
approves and publishes form versions in the admin's 表单管理, and nothing else.

The two-person rule is enforced by the services (a member cannot approve their own
submission), so every member holds both the author's and the approver's permissions.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

POLICY_STAFF_GROUP = "政策人员"
PERMISSIONS = [
    ("wagtailadmin", "admin", "access_admin"),
    ("forms_engine", "formdefinition", "view_formdefinition"),
    ("forms_engine", "formdefinition", "preview_formdefinition"),
    ("forms_engine", "formdefinition", "publish_formversion"),
    ("forms_engine", "formdefinition", "approve_formversion"),
    ("forms_engine", "formversion", "view_formversion"),
    ("forms_engine", "formversion", "add_formversion"),
    ("forms_engine", "formversion", "change_formversion"),
]


def _ensure_permissions(apps):
    # On a fresh database, Django creates permissions only after all migrations have run.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def create_policy_staff_group(apps, schema_editor):
    _ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=POLICY_STAFF_GROUP)
    for app_label, model, codename in PERMISSIONS:
        group.permissions.add(Permission.objects.get(content_type__app_label=app_label,
                                                     content_type__model=model, codename=codename))


def remove_policy_staff_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=POLICY_STAFF_GROUP).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("forms_engine", "0002_version_review"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        # Wagtail's own migrations give "choose" of images and documents to every group that can
        # access the admin when they run: they must run before this group exists, whatever order
        # the other apps' migrations put them in
        ("wagtaildocs", "0011_add_choose_permissions"),
        ("wagtailimages", "0023_add_choose_permissions"),
    ]

    operations = [migrations.RunPython(create_policy_staff_group, remove_policy_staff_group)]
