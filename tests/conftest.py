"""Shared pytest fixtures."""

import pytest


@pytest.fixture(autouse=True)
def _empty_shared_cache():
    """Every test starts with an empty cache: whole public pages are cached (cms.cache), and a page
    cached by one test must not answer another test's request for the same URL."""
    from django.core.cache import cache

    cache.clear()
    yield
