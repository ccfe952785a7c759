"""The enterprise's half of the portal's ``FORMS_ENGINE_START_GUARD``: a complete profile (F-31,
the manual's 企业申报 step 1: “提示完成企业基本信息维护”).

The guard itself (``portal.core.engine_host.form_start_guard``) asks the accounts app first — a
verified 法人 account (FAQ 2) — and then :func:`profile_guard`: an incomplete profile gets a page
naming the missing fields with 【编辑】, which returns to the form once saved. Composed there, so
enterprises does not import accounts (accounts imports enterprises to link a verified enterprise).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from .centre import centre_context
from .selectors import enterprise_for_user, missing_profile_fields


def profile_guard(request: HttpRequest, definition) -> HttpResponse | None:
    """None when the user's enterprise profile is complete; else the page that asks for it."""
    enterprise = enterprise_for_user(request.user)
    missing = missing_profile_fields(enterprise) if enterprise is not None else []
    if enterprise is not None and not missing:
        return None
    edit_url = reverse("enterprises:edit") + "?" + urlencode({"next": request.get_full_path()})
    # the centre's item the form belongs to: the questionnaires are 数字化水平评测's, the rest 企业申报's
    context = centre_context(enterprise, "assessment" if definition.category == "assessment" else "filings")
    context.update(
        {"definition": definition, "missing_fields": missing, "edit_url": edit_url, "enterprise": enterprise}
    )
    return render(request, "enterprises/profile_required.html", context, status=403)
