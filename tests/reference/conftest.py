"""Reference data is loaded once per test module from fixtures/reference/ (what the tests check)
and removed again afterwards, so other test packages start from an empty table as usual."""

import pytest
from django.core.cache import cache
from django.core.management import call_command


@pytest.fixture(scope="module")
def reference_data(django_db_setup, django_db_blocker):
    from portal.reference.models import Industry, Region

    with django_db_blocker.unblock():
        call_command("load_reference_data", verbosity=0)
    yield
    with django_db_blocker.unblock():
        # children first: parents are PROTECTed
        for level in ("county", "prefecture", "province"):
            Region.objects.filter(level=level).delete()
        for level in ("group", "division", "section"):
            Industry.objects.filter(level=level).delete()
        cache.clear()


@pytest.fixture(autouse=True)
def _reference_db(reference_data, db):
    """Every test of the package with the reference data (the cache is emptied by tests/conftest.py)."""
