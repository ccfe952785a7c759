"""SMS verification codes: issue, throttle and check.

- A code is 6 random digits (``secrets``), valid ``SMS_CODE_TTL_SECONDS`` (5 min), single use,
  bound to a phone and a purpose. Only ``HMAC-SHA256(SECRET_KEY, purpose:phone:code)`` is stored:
  a slow password hash would not protect a 10^6 space against someone holding the table anyway,
  while the keyed HMAC makes the table useless without the secret key and costs microseconds.
- ``SMS_CODE_MAX_ATTEMPTS`` wrong tries burn the code.
- Throttles live in the shared cache (Redis in production) with atomic ``add``/``incr``, so they
  hold across app processes: one send per phone and purpose per ``SMS_RESEND_SECONDS``, at most
  ``SMS_DAILY_LIMIT_PER_PHONE`` a day per phone and ``SMS_HOURLY_LIMIT_PER_IP`` an hour per address.

``issue_sms_code`` raises ``SmsThrottledError`` or ``SmsSendError``; ``check_sms_code`` raises
``ValidationError`` with code ``code_missing``, ``code_expired``, ``code_used``, ``code_burned`` or
``code_invalid``.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.accounts.masking import mask_phone
from portal.accounts.models import SmsCode
from portal.accounts.sms import SmsSendError, send_sms

logger = logging.getLogger(__name__)

SMS_SEND_FAILED_MESSAGE = _("短信发送失败，请稍后重试")


class SmsThrottledError(ValidationError):
    """Too many codes: ``code`` is ``resend_too_soon``, ``phone_daily_limit`` or ``ip_hourly_limit``."""


def hash_code(*, phone: str, purpose: str, code: str) -> str:
    message = f"{purpose}:{phone}:{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _counter(key: str, timeout: int) -> int:
    cache.add(key, 0, timeout)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout)
        return 1


def _check_throttles(*, phone: str, purpose: str, ip: str | None) -> str:
    """Reserve one send; returns the resend key to release if sending fails."""
    now = timezone.now()
    # the resend wait is per phone and purpose (a user who just registered may log in at once);
    # the daily cap per phone bounds the total whatever the purpose
    resend_key = f"accounts:sms:resend:{purpose}:{phone}"
    if not cache.add(resend_key, 1, settings.SMS_RESEND_SECONDS):
        raise SmsThrottledError(
            _("验证码发送过于频繁，请%(seconds)s秒后再试。"),
            code="resend_too_soon", params={"seconds": settings.SMS_RESEND_SECONDS},
        )
    if ip:
        ip_key = f"accounts:sms:ip:{ip}:{now:%Y%m%d%H}"
        if _counter(ip_key, 3600) > settings.SMS_HOURLY_LIMIT_PER_IP:
            cache.delete(resend_key)
            raise SmsThrottledError(_("当前网络获取验证码次数过多，请一小时后再试。"), code="ip_hourly_limit")
    day_key = f"accounts:sms:day:{phone}:{timezone.localdate(now):%Y%m%d}"
    if _counter(day_key, 24 * 3600) > settings.SMS_DAILY_LIMIT_PER_PHONE:
        cache.delete(resend_key)
        raise SmsThrottledError(_("该手机号今日获取验证码次数已达上限，请明天再试。"), code="phone_daily_limit")
    return resend_key


def issue_sms_code(*, phone: str, purpose: str, ip: str | None = None) -> SmsCode:
    """Create a code for ``phone``/``purpose``, replace earlier ones, and send it by SMS.

    Raises SmsThrottledError when a throttle refuses, SmsSendError when the SMS backend fails
    (the code is then discarded and the resend wait released, so the user may retry at once).
    """
    resend_key = _check_throttles(phone=phone, purpose=purpose, ip=ip)
    code = f"{secrets.randbelow(10**6):06d}"
    now = timezone.now()
    with transaction.atomic():
        SmsCode.objects.filter(phone=phone, purpose=purpose, used_at__isnull=True).update(used_at=now)
        record = SmsCode.objects.create(
            phone=phone, purpose=purpose, code_hash=hash_code(phone=phone, purpose=purpose, code=code),
            expires_at=now + timedelta(seconds=settings.SMS_CODE_TTL_SECONDS),
        )
    try:
        send_sms(phone, "code", {"code": code, "purpose": SmsCode.Purpose(purpose).label,
                                 "minutes": settings.SMS_CODE_TTL_SECONDS // 60})
    except SmsSendError:
        record.delete()
        cache.delete(resend_key)
        logger.warning("SMS code to %s not sent", mask_phone(phone))
        raise
    logger.info("SMS code (%s) sent to %s", purpose, mask_phone(phone))
    return record


def check_sms_code(*, phone: str, purpose: str, code: str) -> None:
    """Consume the latest code of ``phone``/``purpose`` if ``code`` matches; raises ValidationError."""
    record = SmsCode.objects.filter(phone=phone, purpose=purpose).order_by("-created_at", "-pk").first()
    if record is None:
        raise ValidationError(_("请先获取验证码。"), code="code_missing")
    now = timezone.now()
    if record.used_at is not None:
        if record.attempts >= settings.SMS_CODE_MAX_ATTEMPTS:
            raise ValidationError(_("验证码错误次数过多已失效，请重新获取。"), code="code_burned")
        raise ValidationError(_("验证码已使用，请重新获取。"), code="code_used")
    if record.expires_at <= now:
        raise ValidationError(_("验证码已过期，请重新获取。"), code="code_expired")
    expected = hash_code(phone=phone, purpose=purpose, code=(code or "").strip())
    if not hmac.compare_digest(expected, record.code_hash):
        SmsCode.objects.filter(pk=record.pk).update(attempts=F("attempts") + 1)
        burned = SmsCode.objects.filter(
            pk=record.pk, used_at__isnull=True, attempts__gte=settings.SMS_CODE_MAX_ATTEMPTS
        ).update(used_at=now)
        if burned:
            raise ValidationError(_("验证码错误次数过多已失效，请重新获取。"), code="code_burned")
        raise ValidationError(_("验证码不正确。"), code="code_invalid")
    # the conditional update makes a double submit (or a race) consume the code once only
    if not SmsCode.objects.filter(pk=record.pk, used_at__isnull=True).update(used_at=now):
        raise ValidationError(_("验证码已使用，请重新获取。"), code="code_used")
