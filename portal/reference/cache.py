"""Versioned cache keys for the read-mostly reference trees.

Writers (the loader, admin saves) call :func:`bump_reference_cache_version`; readers build keys
with :func:`reference_cache_key`, so stale entries are simply never read again.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "reference:version"


def get_reference_cache_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = 1
        cache.add(VERSION_KEY, version, timeout=None)
    return version


def reference_cache_key(*parts: object) -> str:
    return ":".join(["reference", f"v{get_reference_cache_version()}", *map(str, parts)])


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, timeout=None)


def bump_reference_cache_version() -> None:
    """Invalidate cached trees now and again once the surrounding transaction commits.

    The second bump stops another process from caching pre-commit rows under the new version.
    """
    _bump()
    transaction.on_commit(_bump)
