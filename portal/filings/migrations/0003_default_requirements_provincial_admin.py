"""Seed the nationwide 申报条件 of the three levels and create the 省级管理员 group.

Requirements (editable data, see docs/filings.md):
- 创新型中小企业: the 自测表 ``innovation_self_test``; a complete profile; the evidence zip.
- 专精特新中小企业: ``specialized_filing``; a complete profile; a submitted 数字化水平评测 first (the
  manual's 企业申报 step 4, FAQ 5); the evidence zip.
- 专精特新“小巨人”: ``little_giant_filing``; a complete profile; a valid 专精特新 recognition (2026
  办法 附件2 condition 1, policy/standards.md §5.2); the evidence zip.

The 省级管理员 group keeps its province's 申报时间 and 申报条件 (the register scopes rows to the
member's province).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PROVINCIAL_ADMIN_GROUP = "省级管理员"
PERMISSIONS = [
    ("wagtailadmin", "admin", "access_admin"),
    ("filings", "filingwindow", "view_filingwindow"),
    ("filings", "filingwindow", "add_filingwindow"),
    ("filings", "filingwindow", "change_filingwindow"),
    ("filings", "filingwindow", "delete_filingwindow"),
    ("filings", "filingrequirement", "view_filingrequirement"),
    ("filings", "filingrequirement", "add_filingrequirement"),
    ("filings", "filingrequirement", "change_filingrequirement"),
]
POLICY_STAFF_PERMISSIONS = [
    ("filings", "filingrequirement", "view_filingrequirement"),
    ("filings", "filingrequirement", "add_filingrequirement"),
    ("filings", "filingrequirement", "change_filingrequirement"),
]
REQUIREMENTS = [
    {"level": "innovative", "definition_key": "innovation_self_test", "requires_assessment": False,
     "requires_recognition": ""},
    {"level": "specialized", "definition_key": "specialized_filing", "requires_assessment": True,
     "requires_recognition": ""},
    {"level": "little_giant", "definition_key": "little_giant_filing", "requires_assessment": False,
     "requires_recognition": "specialized"},
]


def _ensure_permissions(apps):
    # On a fresh database, Django creates permissions only after all migrations have run.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def _permission(apps, app_label, model, codename):
    return apps.get_model("auth", "Permission").objects.get(
        content_type__app_label=app_label, content_type__model=model, codename=codename
    )


def forwards(apps, schema_editor):
    FilingRequirement = apps.get_model("filings", "FilingRequirement")
    for row in REQUIREMENTS:
        FilingRequirement.objects.get_or_create(
            level=row["level"],
            province=None,
            defaults={
                "definition_key": row["definition_key"],
                "requires_complete_profile": True,
                "requires_assessment": row["requires_assessment"],
                "requires_recognition": row["requires_recognition"],
                "requires_evidence": True,
            },
        )
    _ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    group, _ = Group.objects.get_or_create(name=PROVINCIAL_ADMIN_GROUP)
    for app_label, model, codename in PERMISSIONS:
        group.permissions.add(_permission(apps, app_label, model, codename))
    policy = Group.objects.filter(name="政策人员").first()
    if policy is not None:
        for app_label, model, codename in POLICY_STAFF_PERMISSIONS:
            policy.permissions.add(_permission(apps, app_label, model, codename))


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=PROVINCIAL_ADMIN_GROUP).delete()
    apps.get_model("filings", "FilingRequirement").objects.filter(province=None).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("filings", "0002_filing_windows_requirements"),
        ("forms_engine", "0003_policy_staff_group"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtaildocs", "0011_add_choose_permissions"),
        ("wagtailimages", "0023_add_choose_permissions"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
