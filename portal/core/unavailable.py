"""What a request that hits an unreachable database answers (issue 13.7): 503 系统繁忙, never a bare 500.

PostgreSQL restarting (a failover, an upgrade, ``pg_ctl restart``) breaks the connections of every
app server and refuses new ones for a few seconds. The request that meets it raises
``OperationalError`` / ``InterfaceError`` somewhere — in a view, in the session middleware, while
saving the session — and Django turns any of them into a call of ``handler500``
(:func:`portal.core.views.server_error`), which answers here instead:

- a request of the page's scripts (``Accept: application/json``, e.g. wizard.js's 【暂存】 in place)
  gets ``{"saved": false, "unavailable": true, "message": …}``: the script shows the message and
  the page stays as typed;
- a form posted the classic way gets the 503 page with what was typed kept in a form that posts it
  again to the same address (【重新提交】), so nothing typed is lost even without JavaScript;
- anything else gets the 503 page asking to try again in a moment.

Nothing here touches the database, and nothing half-written is left behind: every write is one
transaction, which the database rolls back when its connection breaks. Connections are checked
before reuse (``CONN_HEALTH_CHECKS``), so the next request after the restart is served normally.
"""

from __future__ import annotations

import re

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

RETRY_AFTER_SECONDS = 5
# values never written back into a page (a password, a one-time code or captcha answer)
SECRET_FIELD = re.compile(r"password|passwd|secret|sms|otp|captcha|token", re.IGNORECASE)
KEPT_FIELDS_LIMIT = 500  # fields re-posted at most (a wizard step has far fewer)


def database_unavailable(exc: BaseException | None) -> bool:
    """True if ``exc`` (or what it was raised from) says the database could not be reached."""
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, OperationalError | InterfaceError):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def _wants_json(request: HttpRequest) -> bool:
    return request.headers.get("Accept", "").startswith("application/json")


def _kept_fields(request: HttpRequest) -> tuple[list[tuple[str, str]], bool]:
    """The posted fields to post again (name, value), and whether files were posted (not kept)."""
    try:
        posted, files = request.POST, request.FILES
    except Exception:  # noqa: BLE001 - a body that cannot be read again: nothing to keep
        return [], False
    kept = [
        (name, value)
        for name, values in posted.lists()
        if name == "csrfmiddlewaretoken" or not SECRET_FIELD.search(name)
        for value in values
    ]
    return kept[:KEPT_FIELDS_LIMIT], bool(files)


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """The 503 answer of a request that met an unreachable database (see the module docstring)."""
    if _wants_json(request):
        response: HttpResponse = JsonResponse(
            {
                "saved": False,
                "unavailable": True,
                "message": _(
                    "系统繁忙，本次未能暂存，请稍后再点【暂存】。已填写的内容都还在页面上，不会丢失。"
                ),
            },
            status=503,
            json_dumps_params={"ensure_ascii": False},
        )
    else:
        kept, had_files = _kept_fields(request) if request.method == "POST" else ([], False)
        shown = [value for name, value in kept if name != "csrfmiddlewaretoken" and value.strip()]
        body = loader.get_template("503.html").render(
            {
                "posted": request.method == "POST",
                "kept": kept,
                "shown": shown,
                "had_files": had_files,
            }
        )
        response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"  # the typed values stay out of caches
    return response
