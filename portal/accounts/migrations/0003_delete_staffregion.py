"""工作人员所属省份 (StaffRegion) is gone: every row became a 省级 审核人员范围 in
``review.0003_staff_regions_to_reviewer_scopes``, which must run first."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_claims_revocation_admin_login_code"),
        ("review", "0003_staff_regions_to_reviewer_scopes"),
    ]
    operations = [migrations.DeleteModel(name="StaffRegion")]
