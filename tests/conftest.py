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
