"""Authentication by 登录名, or — once verified — by USCC (法人) or ID number (自然人) (SPEC F-14, FAQ 3).

What is accepted, precisely (FAQ 3: 已实名法人/自然人用户可使用统一社会信用代码/身份证号登录):
the 登录名 of any account; the USCC of a verified 法人 account; the ID number of a verified
自然人 account. The legal representative's ID number is *not* a login name: one person may
represent several enterprises, so it does not designate one account (``docs/accounts.md``).

``axes_username`` (``AXES_USERNAME_CALLABLE``) keys django-axes' failure counts on the account the
typed identifier resolves to, so the 登录名, the USCC and any upper/lower-case variant share one
count and one lock.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from portal.core.identity import normalize_uscc


def find_user_by_login_name(login_name: str):
    """The user a login name designates, or None. USCC / ID number only match verified accounts."""
    login_name = (login_name or "").strip()
    if not login_name or "\x00" in login_name:
        # no account's name holds a NUL, and PostgreSQL refuses it in a query (a 500 on the login)
        return None
    User = get_user_model()
    user = User._default_manager.filter(**{User.USERNAME_FIELD: login_name}).select_related("account").first()
    if user is not None:
        return user
    if len(login_name) == 18:
        key = normalize_uscc(login_name)
        verified = User._default_manager.filter(account__verification_status="verified").select_related(
            "account"
        )
        return (
            verified.filter(account__user_type="legal", account__uscc=key).first()
            or verified.filter(account__user_type="natural", account__id_number=key).first()
        )
    return None


def account_key(login_name: str) -> str:
    """The one key of whatever account ``login_name`` designates (its username), or the typed
    name normalised when it designates none (so unknown names cannot be varied for fresh tries)."""
    user = find_user_by_login_name(login_name)
    if user is not None:
        return user.get_username()
    name = (login_name or "").strip()
    return normalize_uscc(name) if len(name) == 18 else name.lower()


def axes_username(request, credentials: dict | None) -> str:
    credentials = credentials or {}
    name = credentials.get("username")
    if name is None and request is not None:
        name = request.POST.get("username", "")
    return account_key(name or "")


class LoginNameBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        user = find_user_by_login_name(username)
        if user is None:
            # same work as a real check, so timing does not reveal whether the name exists
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
