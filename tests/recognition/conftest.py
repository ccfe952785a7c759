"""Fixtures of the recognition tests: regions, the notice site, reviewers, the inbox's notify()."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from tests.factories import recognition as factories

from . import fake_inbox


@pytest.fixture(autouse=True)
def inbox(monkeypatch):
    """The inbox's notify(): the real one once the inbox branch is merged, else a recording fake."""
    return fake_inbox.install(monkeypatch)


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()  # throttles and Wagtail settings
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def certificate_root(tmp_path, settings):
    """The certificates of one test only (their names derive from ids a rolled-back database reuses)."""
    root = tmp_path / "filing-documents"
    settings.STORAGES = {
        **settings.STORAGES,
        "filing_documents": {
            "BACKEND": "portal.filings.evidence.storage.PrivateEvidenceStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    return root


@pytest.fixture
def regions(db):
    return factories.gd_regions()


@pytest.fixture
def site(db):
    return factories.notice_site()


@pytest.fixture
def gd_reviewer(regions):
    """The deciding level of 创新型 and 专精特新 in 广东: the province."""
    return factories.reviewer_user(level=factories.PROVINCE, region=regions["440000"], username="gd_province")


@pytest.fixture
def zj_reviewer(regions):
    return factories.reviewer_user(level=factories.PROVINCE, region=regions["330000"], username="zj_province")


@pytest.fixture
def gd_city_reviewer(regions):
    return factories.reviewer_user(level=factories.CITY, region=regions["440300"], username="sz_city")


@pytest.fixture
def ministry_reviewer(regions):
    return factories.reviewer_user(level=factories.MINISTRY, region=None, username="ministry")


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("rec_root", "root@example.com", factories.PASSWORD)
