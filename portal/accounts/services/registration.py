"""注册 and 登录 (SPEC F-10, F-14)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from portal.accounts.codes import check_sms_code
from portal.accounts.masking import mask_phone
from portal.accounts.models import (
    Account,
    SmsCode,
)

logger = logging.getLogger(__name__)


def register_account(*, phone: str, code: str, username: str, password: str):
    """Create a user and its Account after checking the registration code.

    Raises ValidationError: the code errors of ``check_sms_code``, ``phone_taken``, ``username_taken``.
    """
    User = get_user_model()
    with transaction.atomic():
        if Account.objects.filter(phone=phone).exists():
            raise ValidationError(_("该手机号已注册，请直接登录或使用【账号找回】。"), code="phone_taken")
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


def authenticate_with_sms(*, request, login_name: str, password: str, code: str | None):
    """登录名 (or USCC / ID number) + 密码 + 短信验证码 → user.

    Every failure is counted by django-axes (wrong code included, via ``user_login_failed``).
    Raises ValidationError ``invalid_login``, ``no_phone`` or a code error of ``check_sms_code``.
    """
    from django.contrib.auth import authenticate
    from django.contrib.auth.signals import user_login_failed

    from portal.accounts import throttles

    user = authenticate(request, username=login_name, password=password)
    if user is None:
        throttles.record_login_failure(request, login_name)
        raise ValidationError(_("登录名或密码不正确，请重新输入。"), code="invalid_login")
    if settings.ACCOUNTS_LOGIN_SMS_REQUIRED:
        account = Account.objects.filter(user=user).first()
        try:
            if account is None:
                raise ValidationError(_("该账号未绑定手机号，无法接收短信验证码。"), code="no_phone")
            check_sms_code(phone=account.phone, purpose=SmsCode.Purpose.LOGIN, code=code or "")
        except ValidationError:
            throttles.record_login_failure(request, login_name)
            user_login_failed.send(sender=__name__, credentials={"username": login_name}, request=request)
            raise
    throttles.clear_login_failures(request, login_name)
    return user
