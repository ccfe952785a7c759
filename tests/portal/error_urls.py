"""The portal's URLs plus views that fail on purpose, for the error-page tests."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from portal.urls import handler500  # noqa: F401 - Django looks it up in the root URLconf
from portal.urls import urlpatterns as portal_urlpatterns


def server_error(request):
    raise RuntimeError("boom")


def bad_request(request):
    raise SuspiciousOperation("bad")


def forbidden(request):
    raise PermissionDenied


urlpatterns = [
    path("test-errors/500/", server_error),
    path("test-errors/400/", bad_request),
    path("test-errors/403/", forbidden),
    *portal_urlpatterns,
]
