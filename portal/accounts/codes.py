"""SMS verification codes: issue, throttle and check.

- A code is 6 random digits (``secrets``), valid ``SMS_CODE_TTL_SECONDS`` (5 min), single use,
  bound to a phone and a purpose. Only ``HMAC-SHA256(SECRET_KEY, purpose:phone:code)`` is stored:
  a slow password hash would not protect a 10^6 space against someone holding the table anyway,
  while the keyed HMAC makes the table useless without the secret key and costs microseconds.
- Tries are counted in the shared cache with an atomic ``incr`` *before* the code is compared, so
  the count survives any rollback of the caller's transaction (a service that raises on a wrong
  code rolls its own writes back, never the count) and parallel guesses each take a numbered
  try: the ``SMS_CODE_MAX_ATTEMPTS``-th wrong try burns the code and a later try is refused even
  when it is right. (A counter in the code's own row would be undone by exactly that rollback.)
- Throttles (``throttles.reserve_sms``) are checked before anything is sent.

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
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.accounts import throttles
from portal.accounts.models import SmsCode
from portal.accounts.sms import SmsSendError, send_sms
from portal.accounts.throttles import SmsThrottledError
from portal.core.masking import mask_phone

logger = logging.getLogger(__name__)

SMS_SEND_FAILED_MESSAGE = _("短信发送失败，请稍后重试")

__all__ = ["SMS_SEND_FAILED_MESSAGE", "SmsThrottledError", "check_sms_code", "hash_code", "issue_sms_code"]


def hash_code(*, phone: str, purpose: str, code: str) -> str:
    message = f"{purpose}:{phone}:{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def issue_sms_code(*, phone: str, purpose: str, ip: str | None = None) -> SmsCode:
    """Create a code for ``phone``/``purpose``, replace earlier ones, and send it by SMS.

    Raises SmsThrottledError when a throttle refuses, SmsSendError when the SMS backend fails
    (the code is then discarded and the resend wait released, so the user may retry at once).
    """
    reservation = throttles.reserve_sms(phone=phone, purpose=purpose, ip=ip)
    code = f"{secrets.randbelow(10**6):06d}"
    now = timezone.now()
    with transaction.atomic():
        SmsCode.objects.filter(phone=phone, purpose=purpose, used_at__isnull=True).update(used_at=now)
        record = SmsCode.objects.create(
            phone=phone,
            purpose=purpose,
            code_hash=hash_code(phone=phone, purpose=purpose, code=code),
            expires_at=now + timedelta(seconds=settings.SMS_CODE_TTL_SECONDS),
        )
    # the code row is committed before the message leaves: a code the user receives always exists
    try:
        send_sms(
            phone,
            "code",
            {
                "code": code,
                "purpose": SmsCode.Purpose(purpose).label,
                "minutes": settings.SMS_CODE_TTL_SECONDS // 60,
            },
        )
    except SmsSendError:
        record.delete()
        reservation.release()
        logger.warning("SMS code to %s not sent", mask_phone(phone))
        raise
    logger.info("SMS code (%s) sent to %s", purpose, mask_phone(phone))
    return record


def _burned() -> ValidationError:
    return ValidationError(_("验证码错误次数过多已失效，请重新获取。"), code="code_burned")


def check_sms_code(*, phone: str, purpose: str, code: str) -> None:
    """Consume the latest code of ``phone``/``purpose`` if ``code`` matches; raises ValidationError."""
    record = SmsCode.objects.filter(phone=phone, purpose=purpose).order_by("-created_at", "-pk").first()
    if record is None:
        raise ValidationError(_("请先获取验证码。"), code="code_missing")
    limit = settings.SMS_CODE_MAX_ATTEMPTS
    now = timezone.now()
    if record.used_at is not None:
        if throttles.code_tries(record.pk) >= limit or record.attempts >= limit:
            raise _burned()
        raise ValidationError(_("验证码已使用，请重新获取。"), code="code_used")
    if record.expires_at <= now:
        raise ValidationError(_("验证码已过期，请重新获取。"), code="code_expired")
    # take a numbered try first: counted whatever happens to the caller's transaction afterwards
    attempt = throttles.take_code_try(record.pk, expires_at=record.expires_at)
    if attempt > limit:
        SmsCode.objects.filter(pk=record.pk, used_at__isnull=True).update(used_at=now)
        raise _burned()
    expected = hash_code(phone=phone, purpose=purpose, code=(code or "").strip())
    if not hmac.compare_digest(expected, record.code_hash):
        # the row's copy of the count is for staff reading the table; the cache count decides
        SmsCode.objects.filter(pk=record.pk).update(attempts=attempt)
        if attempt >= limit:
            SmsCode.objects.filter(pk=record.pk, used_at__isnull=True).update(used_at=now)
            raise _burned()
        raise ValidationError(
            _("验证码不正确，还可尝试 %(left)s 次。"), code="code_invalid", params={"left": limit - attempt}
        )
    # the conditional update makes a double submit (or a race) consume the code once only
    if not SmsCode.objects.filter(pk=record.pk, used_at__isnull=True).update(used_at=now):
        raise ValidationError(_("验证码已使用，请重新获取。"), code="code_used")
