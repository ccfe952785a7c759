"""Fixtures shared by every test package."""

import pytest


@pytest.fixture(autouse=True)
def _empty_shared_cache():
    """Every test starts and ends with an empty cache: whole public pages are cached (cms.cache),
    reference selectors and Wagtail settings too, and what one test cached must not answer
    another test's request."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def innovation_self_test(db):
    """The shipped innovation self-test (fixtures/forms/), imported through the engine's services."""
    import json

    from django.conf import settings

    from forms_engine.models import FormDefinition
    from forms_engine.services import import_definition_document

    path = settings.BASE_DIR / "fixtures" / "forms" / "innovation_self_test.json"
    import_definition_document(document=json.loads(path.read_text(encoding="utf-8")))
    return FormDefinition.objects.get(key="innovation_self_test")


# --- 广东/浙江 regions and reviewers of each level (recognition, reports and lifecycle tests) ------
# Packages with other places (review, enterprises, security) define their own ``regions``.


@pytest.fixture
def regions(db):
    from tests.factories.recognition import gd_regions

    return gd_regions()


def _reviewer(level: str, region, username: str):
    from tests.factories.recognition import reviewer_user

    return reviewer_user(level=level, region=region, username=username)


@pytest.fixture
def gd_reviewer(regions):
    """广东's 省级 reviewer: the deciding level of 创新型 and 专精特新 there."""
    return _reviewer("province", regions["440000"], "gd_province")


@pytest.fixture
def zj_reviewer(regions):
    return _reviewer("province", regions["330000"], "zj_province")


@pytest.fixture
def sz_city_reviewer(regions):
    return _reviewer("city", regions["440300"], "sz_city")


@pytest.fixture
def county_reviewer(regions):
    return _reviewer("county", regions["440305"], "ns_county")


@pytest.fixture
def other_county_reviewer(regions):
    return _reviewer("county", regions["440304"], "ft_county")


@pytest.fixture
def ministry_reviewer(regions):
    return _reviewer("ministry", None, "ministry")


@pytest.fixture
def superuser(django_user_model):
    from tests.factories.recognition import PASSWORD

    return django_user_model.objects.create_superuser("root", "root@example.com", PASSWORD)
