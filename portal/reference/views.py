"""JSON endpoint behind the region picker."""

from __future__ import annotations

import re

from django.http import Http404, HttpRequest, JsonResponse
from django.utils.cache import patch_cache_control
from django.views import View

from .selectors import RegionNotFoundError, list_region_children

CODE_PATTERN = re.compile(r"^\d{6}$")


class RegionChildrenView(View):
    """``GET ?parent=<6-digit code>`` → the children; no ``parent`` → the provinces.

    400 for a malformed code, 404 for an unknown one.
    """

    def get(self, request: HttpRequest) -> JsonResponse:
        parent = request.GET.get("parent", "").strip() or None
        if parent is not None and not CODE_PATTERN.match(parent):
            return JsonResponse({"error": "parent must be a 6-digit GB/T 2260 code"}, status=400)
        try:
            children = list_region_children(parent)
        except RegionNotFoundError as exc:
            raise Http404("unknown region code") from exc
        response = JsonResponse(
            {
                "parent": parent,
                "items": [
                    {"code": c.code, "name": c.name, "level": c.level, "has_children": c.has_children}
                    for c in children
                ],
            }
        )
        patch_cache_control(response, public=True, max_age=3600)
        return response
