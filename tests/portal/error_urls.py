"""The portal's URLs plus views that fail on purpose, for the error-page tests."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import OperationalError
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from portal.urls import handler400, handler500  # noqa: F401 - Django looks them up in the root URLconf
from portal.urls import urlpatterns as portal_urlpatterns


def server_error(request):
    raise RuntimeError("boom")


def bad_request(request):
    raise SuspiciousOperation("bad")


def forbidden(request):
    raise PermissionDenied


@csrf_exempt
def database_down(request):
    raise OperationalError("connection failed: the database system is shutting down")


def remember(request):
    request.session["remembered"] = True  # the session changed: it must be written
    return HttpResponse("ok")


urlpatterns = [
    path("test-errors/session/", remember),
    path("test-errors/database/", database_down),
    path("test-errors/500/", server_error),
    path("test-errors/400/", bad_request),
    path("test-errors/403/", forbidden),
    *portal_urlpatterns,
]
