"""Turn every 工作人员所属省份 (``accounts.StaffRegion``: a user → a province) into a 省级
审核人员范围 (``ReviewerScope`` level 省, region that province), which replaces it (issue 12 item 1).
A user who already has a ReviewerScope keeps it. Backwards: the province-level scopes become
StaffRegion rows again (the others had no StaffRegion equivalent)."""

from django.db import migrations


def forwards(apps, schema_editor):
    StaffRegion = apps.get_model("accounts", "StaffRegion")
    ReviewerScope = apps.get_model("review", "ReviewerScope")
    for row in StaffRegion.objects.all().iterator():
        ReviewerScope.objects.get_or_create(
            user_id=row.user_id, defaults={"level": "province", "region_id": row.province_id}
        )


def backwards(apps, schema_editor):
    StaffRegion = apps.get_model("accounts", "StaffRegion")
    ReviewerScope = apps.get_model("review", "ReviewerScope")
    for scope in ReviewerScope.objects.filter(level="province", region__isnull=False).iterator():
        StaffRegion.objects.get_or_create(user_id=scope.user_id, defaults={"province_id": scope.region_id})


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0002_reviewer_group"),
        ("accounts", "0002_claims_revocation_admin_login_code"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
