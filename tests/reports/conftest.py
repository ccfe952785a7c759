"""Fixtures of the export and dashboard tests: 广东/浙江 regions, reviewers of each level, filings
waiting at a level (made as rows: the review tests walk the chain itself)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from portal.filings.states import ReviewLevel, State, level_rank
from tests.factories import recognition as factories


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def regions(db):
    return factories.gd_regions()


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def pending_filing(region, *, at: str = ReviewLevel.COUNTY, level: str = "innovative", year: int = 2026):
    """A filing of ``level`` waiting (待审核) at the step of ``at`` in its chain."""
    filing = factories.approved_filing(region=region, level=level, year=year, state=State.PENDING)
    step = next(i for i, s in enumerate(filing.chain_steps) if s.level == at)
    filing.step = step
    filing.current_level = at
    filing.reached_rank = level_rank(at)
    filing.verified_score = None
    filing.decided_at = None
    filing.save()
    return filing


@pytest.fixture
def county_reviewer(regions):
    return factories.reviewer_user(level=ReviewLevel.COUNTY, region=regions["440305"], username="ns_county")


@pytest.fixture
def other_county_reviewer(regions):
    return factories.reviewer_user(level=ReviewLevel.COUNTY, region=regions["440304"], username="ft_county")


@pytest.fixture
def city_reviewer(regions):
    return factories.reviewer_user(level=ReviewLevel.CITY, region=regions["440300"], username="sz_city")


@pytest.fixture
def province_reviewer(regions):
    return factories.reviewer_user(level=ReviewLevel.PROVINCE, region=regions["440000"], username="gd_prov")


@pytest.fixture
def ministry_reviewer(regions):
    return factories.reviewer_user(level=ReviewLevel.MINISTRY, region=None, username="ministry")


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("rep_root", "root@example.com", factories.PASSWORD)
