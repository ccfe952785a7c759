"""The public site's shared cache: one content version, and whole anonymous pages.

- :func:`content_version` / :func:`bump_content_version` — every cached list and page carries the
  version it was made under; bumping it (on publish, unpublish, move, delete, settings, documents,
  images, view restrictions — see :mod:`cms.signals`) makes all of them stale at once, with any
  shared cache (locmem, Redis) and no key scanning.
- :class:`PublicPageCacheMiddleware` — serves anonymous GETs of the public page types (home, notice
  listing with any filters, notices, FAQ, help) whole from the cache: no SQL, no template work.
  Wagtail-cache does the same but pins wagtail<8, so this is the portal's own, kept small.

What is cached: only responses a page type marks (:class:`PublicPageCacheMixin` on ``serve``; never
``serve_preview``, never a view-restriction form), status 200, no cookie set, for a request
without a session or messages cookie and without credentials. Such responses carry
``Cache-Control: public, max-age=PORTAL_PUBLIC_MAX_AGE`` and ``Vary: Cookie`` for a front proxy;
the same pages for a signed-in user say ``private, no-cache`` and are never stored.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language

VERSION_KEY = "cms:content:version"
MARK = "_portal_public_cache"
# request paths never looked up (Django-served apps, the admin with its previews, uploads)
SKIP_PREFIXES = (
    "/admin/",
    "/accounts/",
    "/enterprise/",
    "/assessment/",
    "/forms/",
    "/documents/",
    "/reference/",
    "/captcha/",
    "/static/",
    "/media/",
    "/healthz",
    # 企业认定查询: a captcha and a per-address throttle on every query, its answer for one visitor
    "/query/",
)
KEPT_HEADERS = ("Content-Type", "Content-Language", "Cache-Control", "Vary")


def content_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = 1
        cache.add(VERSION_KEY, version, timeout=None)
    return version


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, timeout=None)


def bump_content_version() -> None:
    """Make every cached list and page stale now, and again once the transaction commits (so no
    other process caches pre-commit rows under the new version)."""
    _bump()
    transaction.on_commit(_bump)


class PublicPageCacheMixin:
    """A page type whose anonymous responses may be served from the shared page cache."""

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        setattr(response, MARK, True)
        return response


def _page_key(request: HttpRequest) -> str | None:
    """The cache key of an anonymous, credential-less GET of a public path; else None."""
    if settings.PORTAL_PAGE_CACHE_SECONDS <= 0 or request.method not in ("GET", "HEAD"):
        return None
    if request.path.startswith(SKIP_PREFIXES) or "HTTP_AUTHORIZATION" in request.META:
        return None
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or CookieStorage.cookie_name in cookies:
        return None  # maybe signed in, or a message to show: render for this visitor
    raw = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return f"cms:page:{get_language()}:{hashlib.sha256(raw.encode()).hexdigest()}"


def _public(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, public=True, max_age=settings.PORTAL_PUBLIC_MAX_AGE)
    patch_vary_headers(response, ("Cookie",))
    return response


class PublicPageCacheMiddleware:
    """Last in ``MIDDLEWARE``: a hit returns before any view, so the outer middleware (security
    headers, CSP, language) still applies to it, and nothing touches the database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = _page_key(request)
        version = None
        if key is not None:
            # one round trip: the entry and the current version together
            found = cache.get_many([key, VERSION_KEY])
            entry, version = found.get(key), found.get(VERSION_KEY)
            if entry is not None and version is not None and entry["version"] == version:
                response = HttpResponse(entry["content"], status=entry["status"])
                for name, value in entry["headers"]:  # Cache-Control and Vary included: set as stored
                    response[name] = value
                response["X-Page-Cache"] = "hit"
                return response
            # read before rendering: a publish while this page renders leaves the entry stale
            version = version if version is not None else content_version()
        response = self.get_response(request)
        if not getattr(response, MARK, False):
            return response
        if key is None or response.status_code != 200 or response.streaming or response.cookies:
            patch_cache_control(response, private=True, no_cache=True)
            return response
        _public(response)
        cache.set(
            key,
            {
                "version": version,
                "status": response.status_code,
                "content": response.content,
                "headers": [(name, response[name]) for name in KEPT_HEADERS if response.has_header(name)],
            },
            timeout=settings.PORTAL_PAGE_CACHE_SECONDS,
        )
        response["X-Page-Cache"] = "miss"
        return response
