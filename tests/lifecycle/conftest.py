"""Fixtures of the lifecycle tests: the recognition tests' regions and reviewers, a clean cache."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from tests.factories import recognition as factories
from tests.recognition.conftest import certificate_root  # noqa: F401  (autouse: certificates per test)


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def regions(db):
    return factories.gd_regions()


@pytest.fixture
def gd_reviewer(regions):
    return factories.reviewer_user(level=factories.PROVINCE, region=regions["440000"], username="gd_province")


@pytest.fixture
def zj_reviewer(regions):
    return factories.reviewer_user(level=factories.PROVINCE, region=regions["330000"], username="zj_province")


@pytest.fixture
def sz_city_reviewer(regions):
    return factories.reviewer_user(level=factories.CITY, region=regions["440300"], username="sz_city")


def verified_enterprise(region, **extra):
    """An enterprise with a complete profile whose owner is a verified 法人 account (may file)."""
    from tests.factories.accounts import VerifiedLegalAccountFactory

    enterprise = factories.enterprise(region=region, **{**factories.complete_profile(), **extra})
    VerifiedLegalAccountFactory(user=enterprise.owner, uscc=enterprise.uscc, real_name="张三")
    return enterprise
