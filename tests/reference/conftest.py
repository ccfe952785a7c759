"""Reference data is loaded once per test session from fixtures/reference/ (what the tests check)."""

import pytest
from django.core.cache import cache
from django.core.management import call_command


@pytest.fixture(scope="session")
def reference_data(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_reference_data", verbosity=0)


@pytest.fixture(autouse=True)
def _reference_db(reference_data, db):
    cache.clear()
    yield
    cache.clear()
