"""Who may touch evidence: the signed-in, verified 法人 account of the enterprise that owns it.

Pages answer anonymous users with the login redirect and others with the page explaining what
to do (FAQ 2); JSON and tus endpoints answer 401/403/404 with a JSON body instead, because a
script cannot follow a login page. Objects are always looked up through the user's own
enterprise (:mod:`.selectors`), so someone else's archive is simply not found (404).
"""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from portal.accounts.access import MESSAGES, UNVERIFIED, filing_block, render_filing_block
from portal.enterprises.selectors import enterprise_for_user


def json_error(status: int, code: str, message: str, **headers: str) -> JsonResponse:
    response = JsonResponse(
        {"code": code, "message": message}, status=status, json_dumps_params={"ensure_ascii": False}
    )
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    response["Cache-Control"] = "no-store"
    return response


class EvidenceOwnerMixin:
    """Sets ``self.enterprise`` for a verified 法人 with an enterprise, or answers for them."""

    json_api = False

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            if self.json_api:
                return json_error(401, "login_required", _("请先登录。"))
            return redirect_to_login(request.get_full_path())
        reason = filing_block(request.user)
        self.enterprise = None if reason else enterprise_for_user(request.user)
        if self.enterprise is None:
            reason = reason or UNVERIFIED
            if self.json_api:
                return json_error(403, reason, str(MESSAGES[reason]))
            return render_filing_block(request, reason)
        return super().dispatch(request, *args, **kwargs)
