"""Views of the core app: the not-open-yet page of planned features, a health check and the
server-error handler (503 系统繁忙 when the database is unreachable)."""

import sys

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views import defaults

from portal.core.features import PlannedFeature
from portal.core.unavailable import database_unavailable, unavailable_response


def feature_not_open(request: HttpRequest, *, feature: PlannedFeature, rest: str = "") -> HttpResponse:
    return render(request, "core/feature_not_open.html", {"feature": feature})


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """``handler500``: a request that met an unreachable database (PostgreSQL restarting) answers
    503 系统繁忙 and keeps what was posted (:mod:`portal.core.unavailable`); anything else is the
    usual 500 page. Django calls this while handling the exception, so it is ``sys.exc_info()``."""
    if database_unavailable(sys.exc_info()[1]):
        return unavailable_response(request)
    return defaults.server_error(request, template_name)


def bad_request(request: HttpRequest, exception: Exception, template_name: str = "400.html") -> HttpResponse:
    """``handler400``: Django reports a session it could not write as SessionInterrupted (a 400);
    when the database was unreachable that is 503 系统繁忙 as well."""
    if database_unavailable(exception):
        return unavailable_response(request)
    return defaults.bad_request(request, exception, template_name)
