"""注册 and 登录 — the enterprise site's and the admin's (SPEC F-10, F-14).

Every way into a session goes through ``authenticate_with_sms``: password *and* the SMS code sent
to the account's bound phone, django-axes' lockout keyed on the resolved account
(``backends.axes_username``), and an audience — ``ENTERPRISE`` (``/accounts/login/``) refuses
accounts with admin access, ``STAFF`` (``/admin/login/``) refuses everybody else. An enterprise
account therefore never gets a session from the admin's login, and staff always pass the second
factor, whatever ``ACCOUNTS_LOGIN_SMS_REQUIRED`` says for the enterprise site.
"""

from __future__ import annotations

import logging

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from portal.accounts import throttles
from portal.accounts.backends import account_key, find_user_by_login_name
from portal.accounts.codes import check_sms_code, issue_sms_code
from portal.accounts.models import Account, SmsCode
from portal.core.identity import is_id_number
from portal.core.masking import mask_phone

logger = logging.getLogger(__name__)

ENTERPRISE = "enterprise"
STAFF = "staff"
PURPOSES = {ENTERPRISE: SmsCode.Purpose.LOGIN, STAFF: SmsCode.Purpose.ADMIN_LOGIN}
PHONE_TAKEN_MESSAGE = _("该手机号已注册，请直接登录或使用【账号找回】。")


def has_admin_access(user) -> bool:
    return user.is_active and (user.is_superuser or user.has_perm("wagtailadmin.access_admin"))


def _phone_registered(phone: str) -> bool:
    return Account.objects.filter(phone=phone).exists()


def send_registration_code(*, phone: str, ip: str | None) -> None:
    """【获取验证码】 of 注册. Raises ValidationError ``phone_taken``, SmsThrottledError, SmsSendError."""
    if _phone_registered(phone):
        raise ValidationError(PHONE_TAKEN_MESSAGE, code="phone_taken")
    issue_sms_code(phone=phone, purpose=SmsCode.Purpose.REGISTER, ip=ip)


def register_account(*, phone: str, code: str, username: str, password: str):
    """Create a user and its Account after checking the registration code.

    Raises ValidationError: the code errors of ``check_sms_code``, ``phone_taken``, ``username_taken``.
    """
    User = get_user_model()
    with transaction.atomic():
        if _phone_registered(phone):
            raise ValidationError(PHONE_TAKEN_MESSAGE, code="phone_taken")
        if User._default_manager.filter(username__iexact=username).exists():
            raise ValidationError(_("该登录名已被使用。"), code="username_taken")
        check_sms_code(phone=phone, purpose=SmsCode.Purpose.REGISTER, code=code)
        try:
            with transaction.atomic():
                user = User._default_manager.create_user(username=username, password=password)
                Account.objects.create(user=user, phone=phone)
        except IntegrityError:
            raise ValidationError(_("该手机号或登录名已被注册。"), code="phone_taken") from None
    logger.info("account %s registered with phone %s", user.pk, mask_phone(phone))
    return user


def _in_audience(user, audience: str) -> bool:
    return has_admin_access(user) if audience == STAFF else not has_admin_access(user)


def send_login_code(*, login_name: str, audience: str, ip: str | None) -> None:
    """【获取短信验证码】: a code to the bound phone of the account ``login_name`` designates.

    Sends nothing — and says the same — for unknown names, accounts without a phone and accounts
    of the other audience, so names cannot be enumerated. Raises SmsThrottledError, SmsSendError.
    """
    user = find_user_by_login_name(login_name)
    account = getattr(user, "account", None) if user is not None else None
    if account is None or not _in_audience(user, audience):
        return
    issue_sms_code(phone=account.phone, purpose=PURPOSES[audience], ip=ip)


def remaining_login_tries(request, login_name: str) -> int:
    """Failures left before django-axes locks this account from this address (还剩 N 次)."""
    if not settings.AXES_ENABLED:
        return settings.AXES_FAILURE_LIMIT
    failures = AxesProxyHandler.get_failures(request, {"username": login_name})
    return max(settings.AXES_FAILURE_LIMIT - failures, 0)


def _failed(request, login_name: str, key: str, error: ValidationError, *, counted: bool) -> ValidationError:
    throttles.record_login_failure(request, key)
    if not counted:  # authenticate() already told django-axes about a wrong password
        user_login_failed.send(sender=__name__, credentials={"username": login_name}, request=request)
    if error.code in ("invalid_login", "staff_only", "enterprise_only") or error.code.startswith("code_"):
        left = remaining_login_tries(request, login_name)
        if 0 < left < settings.AXES_FAILURE_LIMIT:
            error = ValidationError(
                _("%(message)s 还剩 %(left)s 次尝试机会，之后账号将被锁定 %(minutes)s 分钟。"),
                code=error.code,
                params={
                    "message": error.messages[0],
                    "left": left,
                    "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
                },
            )
    return error


def authenticate_with_sms(
    *, request, login_name: str, password: str, code: str | None, audience: str = ENTERPRISE
):
    """登录名 (or USCC / ID number) + 密码 + 短信验证码 → user, for ``audience``.

    Every failure counts for django-axes (a wrong code and a wrong audience included).
    Raises ValidationError ``invalid_login``, ``staff_only`` (a staff account on the enterprise
    site: 请从管理端登录), ``no_phone`` or a code error of ``check_sms_code``.
    """
    key = account_key(login_name)
    user = authenticate(request, username=login_name, password=password)
    if user is None:
        message = _("登录名或密码不正确，请重新输入。")
        if is_id_number(login_name) and audience == ENTERPRISE:
            # format-based, so it reveals nothing about which numbers exist
            message = _(
                "登录名或密码不正确。身份证号仅可登录已实名认证的自然人账号，法人账号请使用登录名或统一社会信用代码。"
            )
        raise _failed(request, login_name, key, ValidationError(message, code="invalid_login"), counted=True)
    try:
        if not _in_audience(user, audience):
            if audience == STAFF:
                # the same answer as a wrong password: the admin's login says nothing about other accounts
                raise ValidationError(_("登录名或密码不正确，请重新输入。"), code="invalid_login")
            raise ValidationError(_("工作人员账号请从管理端登录。"), code="staff_only")
        if audience == STAFF or settings.ACCOUNTS_LOGIN_SMS_REQUIRED:
            account = Account.objects.filter(user=user).first()
            if account is None:
                raise ValidationError(
                    _("该账号未绑定手机号，无法接收短信验证码，请联系系统管理员。"), code="no_phone"
                )
            check_sms_code(phone=account.phone, purpose=PURPOSES[audience], code=code or "")
    except ValidationError as exc:
        raise _failed(request, login_name, key, exc, counted=False) from None
    throttles.clear_login_failures(request, key)
    return user
