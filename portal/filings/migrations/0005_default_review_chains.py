"""Seed the nationwide 审核流程 (policy/standards.md §7; editable in the admin's 企业申报 → 审核流程):
创新型 and 专精特新: 县/区 → 市 → 省 (认定); 小巨人: 县/区 → 市 → 省 (推荐) → 部 (认定)."""

from django.db import migrations

THREE = [{"level": "county", "role": "review"}, {"level": "city", "role": "review"},
         {"level": "province", "role": "decide"}]
FOUR = [{"level": "county", "role": "review"}, {"level": "city", "role": "review"},
        {"level": "province", "role": "recommend"}, {"level": "ministry", "role": "decide"}]
CHAINS = {"innovative": THREE, "specialized": THREE, "little_giant": FOUR}


def forwards(apps, schema_editor):
    ReviewChain = apps.get_model("filings", "ReviewChain")
    for level, steps in CHAINS.items():
        ReviewChain.objects.get_or_create(level=level, province=None, defaults={"steps": steps})


def backwards(apps, schema_editor):
    apps.get_model("filings", "ReviewChain").objects.filter(province=None).delete()


class Migration(migrations.Migration):
    dependencies = [("filings", "0004_review_chain_notes_scores")]
    operations = [migrations.RunPython(forwards, backwards)]
