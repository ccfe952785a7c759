"""Authentication by 登录名, or — once verified — by USCC (法人) or ID number (自然人) (SPEC F-14, FAQ 3)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from portal.accounts.validators import normalize_uscc


def find_user_by_login_name(login_name: str):
    """The user a login name designates, or None. USCC / ID number only match verified accounts."""
    login_name = (login_name or "").strip()
    if not login_name:
        return None
    User = get_user_model()
    user = User._default_manager.filter(**{User.USERNAME_FIELD: login_name}).select_related("account").first()
    if user is not None:
        return user
    if len(login_name) == 18:
        key = normalize_uscc(login_name)
        return (
            User._default_manager.filter(account__verification_status="verified")
            .filter(account__uscc=key)
            .select_related("account").first()
            or User._default_manager.filter(account__verification_status="verified", account__id_number=key)
            .select_related("account").first()
        )
    return None


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
