"""``seed_demo_enterprises``: idempotent demo users, some recognised, in several provinces."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from portal.core.identity import validate_id_number, validate_uscc
from portal.enterprises.models import Enterprise, EnterpriseProfileVersion
from portal.enterprises.selectors import is_profile_complete, questionnaire_key_for


@pytest.fixture
def reference_data(db):
    # inside the test's transaction, so the rows never leak into other tests
    call_command("load_reference_data", verbosity=0)


def test_seed_is_idempotent_and_prints_logins(reference_data):
    out = StringIO()
    call_command("seed_demo_enterprises", stdout=out)
    versions = EnterpriseProfileVersion.objects.count()
    call_command("seed_demo_enterprises", stdout=StringIO())

    assert Enterprise.objects.count() == 4
    assert EnterpriseProfileVersion.objects.count() == versions
    assert "username=qiye_demo_sz password=" in out.getvalue()
    recognised = Enterprise.objects.filter(is_recognised=True)
    assert recognised.count() == 2
    assert len({e.region.code[:2] for e in recognised}) == 2
    # real recognitions (numbered from the configured pattern) set the flags, once
    from portal.recognition.models import Recognition

    assert sorted(Recognition.objects.values_list("number", flat=True)) == [
        "川CX202500001",
        "粤ZJTX202400001",
    ]
    sz = Enterprise.objects.get(owner__username="qiye_demo_sz")
    assert (sz.recognition_level, sz.recognition_year) == ("specialized", 2024)
    assert (sz.recognition_valid_from.isoformat(), sz.recognition_valid_until.isoformat()) == (
        "2024-12-20",
        "2027-12-19",
    )
    complete = [e for e in Enterprise.objects.all() if is_profile_complete(e)]
    assert {questionnaire_key_for(e) for e in complete} == {
        "digital_manufacturing",
        "digital_services",
        "digital_other",
    }
    for enterprise in Enterprise.objects.all():
        validate_uscc(enterprise.uscc)
        validate_id_number(enterprise.legal_representative_id)


def test_settings_without_demo_data_refuse_the_demo_logins(reference_data, settings):
    """Production settings (PORTAL_DEMO_DATA off): no accounts with published passwords unless
    asked for with --demo, as bootstrap_portal does."""
    from django.contrib.auth import get_user_model
    from django.core.management.base import CommandError

    settings.PORTAL_DEMO_DATA = False
    with pytest.raises(CommandError, match="PORTAL_DEMO_DATA"):
        call_command("seed_demo_enterprises", stdout=StringIO())
    assert not get_user_model().objects.filter(username__startswith="qiye_demo_").exists()
    call_command("seed_demo_enterprises", "--demo", stdout=StringIO())
    assert Enterprise.objects.count() == 4
