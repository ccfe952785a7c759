"""The loader: idempotent, keeps staff edits of categories unless told to reset them."""

import json

import pytest
from django.core.management import call_command

from portal.reference.models import Industry, Region
from portal.reference.services import (
    FIXTURES_DIR,
    ReferenceFixtureError,
    load_industries,
    load_regions,
    set_industry_category,
)


def _counts():
    return Region.objects.count(), Industry.objects.count()


def test_loading_twice_changes_nothing():
    before = _counts()
    regions = load_regions()
    industries = load_industries()
    assert _counts() == before
    assert regions.created == regions.updated == 0 and industries.created == industries.updated == 0


def test_command_reports_counts(capsys):
    call_command("load_reference_data")
    out = capsys.readouterr().out
    assert "province 31, prefecture 342, county 2850" in out and "section 20, division 97" in out


def test_loader_restores_a_changed_name():
    Region.objects.filter(code="110101").update(name="错名")
    result = load_regions()
    assert result.updated == 1 and Region.objects.get(code="110101").name == "东城区"


def test_staff_category_survives_reload():
    set_industry_category(industry=Industry.objects.get(code="52"), category="producer_services")
    result = load_industries()
    industry = Industry.objects.get(code="52")
    assert industry.questionnaire_category == "producer_services" and industry.category_set_by_staff
    assert result.kept_staff_categories == 1


def test_reset_categories_restores_the_fixture_mapping():
    set_industry_category(industry=Industry.objects.get(code="52"), category="producer_services")
    call_command("load_reference_data", reset_categories=True, verbosity=0)
    industry = Industry.objects.get(code="52")
    assert industry.questionnaire_category == "other" and not industry.category_set_by_staff


def test_loader_refuses_a_dangling_parent(tmp_path):
    document = json.loads((FIXTURES_DIR / "industries.json").read_text(encoding="utf-8"))
    document["items"].append(
        {"code": "991", "name": "x", "level": "group", "parent": "99", "questionnaire_category": "other"}
    )
    path = tmp_path / "industries.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ReferenceFixtureError):
        load_industries(path=path)


def test_loader_refuses_an_item_without_category(tmp_path):
    document = json.loads((FIXTURES_DIR / "industries.json").read_text(encoding="utf-8"))
    document["items"][-1]["questionnaire_category"] = None
    path = tmp_path / "industries.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ReferenceFixtureError):
        load_industries(path=path)
