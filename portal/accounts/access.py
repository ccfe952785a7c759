"""Who may file (SPEC §1, FAQ 2): only a verified 法人 account. Filing entries (self-test, filings,
assessment) use ``legal_person_required`` on their views, or ``LegalPersonRequiredMixin``, or ask
``filing_block(user)`` and render ``accounts/legal_person_required.html`` themselves.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import Account, UserType

NATURAL_PERSON = "natural_person"
UNVERIFIED = "unverified"

MESSAGES = {
    NATURAL_PERSON: _(
        "自然人账号不能进行企业申报。需通过【法人账户】完成申报：请重新注册法人账户，完成法人实名认证后进行申报。"
    ),
    UNVERIFIED: _("请先完成法人实名认证，再进行申报。"),
}


def filing_block(user) -> str | None:
    """None when ``user`` may file; else ``natural_person`` or ``unverified``."""
    account = Account.objects.filter(user_id=user.pk).only("user_type", "verification_status").first()
    if account is not None and account.is_legal_person:
        return None
    if account is not None and account.is_verified and account.user_type == UserType.NATURAL:
        return NATURAL_PERSON
    return UNVERIFIED


def render_filing_block(request, reason: str):
    return render(
        request,
        "accounts/legal_person_required.html",
        {"reason": reason, "message": MESSAGES[reason]},
        status=403,
    )


def legal_person_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        reason = filing_block(request.user)
        if reason:
            return render_filing_block(request, reason)
        return view(request, *args, **kwargs)

    return wrapper


class LegalPersonRequiredMixin:
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        reason = filing_block(request.user)
        if reason:
            return render_filing_block(request, reason)
        return super().dispatch(request, *args, **kwargs)


def form_start_guard(request, definition):
    """``FORMS_ENGINE_START_GUARD``: only a verified 法人 account fills in the self-test and the
    questionnaires (FAQ 2); others get the page that explains what to do."""
    reason = filing_block(request.user)
    return render_filing_block(request, reason) if reason else None
