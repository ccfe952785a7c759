"""Views of the core app: the not-open-yet page of planned features and a health check."""

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from portal.core.features import PlannedFeature


def feature_not_open(request: HttpRequest, *, feature: PlannedFeature, rest: str = "") -> HttpResponse:
    return render(request, "core/feature_not_open.html", {"feature": feature})


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
