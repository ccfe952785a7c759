"""Prefill sources ``profile.*`` registered for the form engine."""

from __future__ import annotations

import pytest

from forms_engine.prefill import prefill_sources, resolve_prefill
from portal.enterprises.services import update_enterprise_profile

from .conftest import profile_data
from .factories import UserFactory

pytestmark = pytest.mark.django_db


def test_profile_sources_are_registered():
    for name in (
        "name",
        "uscc",
        "legal_representative",
        "region",
        "industry",
        "registered_capital",
        "employees",
        "established_on",
    ):
        assert f"profile.{name}" in prefill_sources


def test_profile_sources_return_json_values(enterprise, owner, regions, industries):
    update_enterprise_profile(enterprise=enterprise, user=owner, data=profile_data(regions, industries))

    def value(name):
        return resolve_prefill(f"profile.{name}", user=owner, context={})

    assert value("name") == "深圳市甲科技有限公司"
    assert value("uscc") == enterprise.uscc
    assert value("legal_representative") == "张三"
    assert value("region") == "440305"
    assert value("industry") == "39"
    assert value("registered_capital") == 1200.5
    assert value("employees") == 120
    assert value("established_on") == "2015-06-01"
    assert value("questionnaire_key") == "digital_manufacturing"
    assert value("is_complete") is True


def test_profile_sources_empty_without_enterprise_or_value(enterprise, owner):
    assert resolve_prefill("profile.name", user=UserFactory(), context={}) is None
    assert resolve_prefill("profile.region", user=owner, context={}) is None
    assert resolve_prefill("profile.registered_capital", user=owner, context={}) is None
