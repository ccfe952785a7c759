"""Counters that defend against guessing and flooding, all in the shared cache (Redis in
production, enforced by a deploy check): atomic ``add``/``incr`` across app processes, untouched
by any database rollback.

- ``client_ip(request)``: the client's address. ``REMOTE_ADDR`` is the peer of the app server —
  behind nginx that is nginx itself (gunicorn's ``--forwarded-allow-ips`` only decides which peers
  may set the *scheme* headers; it never rewrites REMOTE_ADDR). So the address comes from
  ``X-Forwarded-For`` only when the peer is one of ``TRUSTED_PROXIES``, read from the right,
  skipping our own proxies: a client cannot forge it by sending the header itself.
- ``network_of(ip)``: what counts as one network (an IPv4 address, an IPv6 /64).
- ``reserve_sms``: the SMS throttles (see ``docs/security.md`` for the numbers and the reasoning).
- ``take_code_try`` / ``code_tries``: the numbered tries of one SMS code.
- ``reserve_email``: the e-mail throttles (recovery and phone-change links).
- ``increment``: a counter for other apps' throttles (the 企业认定查询 per address).
- ``record_login_failure`` / ``login_captcha_required``: when the login forms ask for the
  图形验证码. Lockout itself is django-axes' job (``backends.axes_username`` keys it).
"""

from __future__ import annotations

import functools
import hashlib
import ipaddress
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SmsThrottledError(ValidationError):
    """Too many codes: ``resend_too_soon``, ``phone_network_daily_limit``, ``phone_backoff``,
    ``ip_hourly_limit``."""


class EmailThrottledError(ValidationError):
    """Too many e-mails: ``email_too_soon``, ``email_daily_limit``."""


# --- client address -----------------------------------------------------------------------


@functools.lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or ""
    if not settings.TRUSTED_PROXIES or not _trusted(remote):
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _trusted(hop):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return remote  # garbage in the header: fall back to the proxy's address
    return remote


def network_of(ip: str | None) -> str | None:
    """What the throttles count as one network: an IPv4 address, or the /64 of an IPv6 address —
    one client (a household, a rented server) holds a whole /64 and could otherwise take a fresh
    allowance with every address in it."""
    if not ip:
        return ip
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if address.version == 6:
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


# --- counters ----------------------------------------------------------------------------


def _counter(key: str, timeout: int) -> int:
    cache.add(key, 0, timeout)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout)
        return 1


def increment(key: str, timeout: int) -> int:
    """One more hit on counter ``key`` (kept ``timeout`` seconds from its first hit), atomic across
    app processes; returns the count. For other apps' throttles (the recognition query)."""
    return _counter(key, timeout)


@dataclass
class Reservation:
    """Keys a refused or failed send gives back, so the user may retry at once."""

    keys: list[str] = field(default_factory=list)

    def release(self) -> None:
        cache.delete_many(self.keys)


def _today(now: datetime) -> str:
    return f"{timezone.localdate(now):%Y%m%d}"


def reserve_sms(*, phone: str, purpose: str, ip: str | None) -> Reservation:
    """Reserve one SMS code for ``phone``; raises SmsThrottledError.

    - one code per phone and purpose every ``SMS_RESEND_SECONDS``;
    - ``SMS_HOURLY_LIMIT_PER_IP`` codes an hour from one network, whatever the phones;
    - ``SMS_DAILY_LIMIT_PER_PHONE_IP`` codes a day for one phone from one network: someone who
      knows a victim's login name can use up only *their own* network's allowance;
    - past ``SMS_DAILY_LIMIT_PER_PHONE`` codes a day for one phone (all networks — a cost
      ceiling), each network still gets one code for it every ``SMS_PHONE_BACKOFF_SECONDS``
      instead of a stop until midnight, so flooding from elsewhere never locks the owner out.
    """
    now = timezone.now()
    reservation = Reservation()
    resend_key = f"accounts:sms:resend:{purpose}:{phone}"
    if not cache.add(resend_key, 1, settings.SMS_RESEND_SECONDS):
        raise SmsThrottledError(
            _("验证码发送过于频繁，请%(seconds)s秒后再试。"),
            code="resend_too_soon",
            params={"seconds": settings.SMS_RESEND_SECONDS},
        )
    reservation.keys.append(resend_key)
    network = network_of(ip) or "-"
    try:
        if (
            ip
            and _counter(f"accounts:sms:ip:{network}:{now:%Y%m%d%H}", 3600) > settings.SMS_HOURLY_LIMIT_PER_IP
        ):
            raise SmsThrottledError(_("当前网络获取验证码次数过多，请一小时后再试。"), code="ip_hourly_limit")
        pair = _counter(f"accounts:sms:pair:{phone}:{network}:{_today(now)}", 24 * 3600)
        if pair > settings.SMS_DAILY_LIMIT_PER_PHONE_IP:
            raise SmsThrottledError(
                _("该手机号今日在当前网络获取验证码次数已达上限，请明天再试或更换网络。"),
                code="phone_network_daily_limit",
            )
        if (
            _counter(f"accounts:sms:day:{phone}:{_today(now)}", 24 * 3600)
            > settings.SMS_DAILY_LIMIT_PER_PHONE
        ):
            backoff = settings.SMS_PHONE_BACKOFF_SECONDS
            if not cache.add(f"accounts:sms:backoff:{phone}:{network}", 1, backoff):
                raise SmsThrottledError(
                    _("该手机号今日获取验证码次数较多，请%(minutes)s分钟后再试。"),
                    code="phone_backoff",
                    params={"minutes": max(1, backoff // 60)},
                )
    except SmsThrottledError:
        reservation.release()
        raise
    return reservation


def take_code_try(code_id: int, *, expires_at: datetime) -> int:
    """The number of this try of SMS code ``code_id`` (1, 2, …), counted atomically."""
    lifetime = int((expires_at - timezone.now()).total_seconds()) + 60
    return _counter(f"accounts:sms:tries:{code_id}", max(lifetime, 60))


def code_tries(code_id: int) -> int:
    return cache.get(f"accounts:sms:tries:{code_id}") or 0


def reserve_email(*, account_id: int, kind: str) -> None:
    """One e-mail of ``kind`` per account every ``ACCOUNTS_EMAIL_RESEND_SECONDS``, at most
    ``ACCOUNTS_EMAIL_DAILY_LIMIT`` a day; raises EmailThrottledError."""
    now = timezone.now()
    wait = settings.ACCOUNTS_EMAIL_RESEND_SECONDS
    if not cache.add(f"accounts:email:resend:{kind}:{account_id}", 1, wait):
        raise EmailThrottledError(
            _("邮件发送过于频繁，请%(seconds)s秒后再试。"), code="email_too_soon", params={"seconds": wait}
        )
    if (
        _counter(f"accounts:email:day:{account_id}:{_today(now)}", 24 * 3600)
        > settings.ACCOUNTS_EMAIL_DAILY_LIMIT
    ):
        raise EmailThrottledError(_("该账号今日发送邮件次数已达上限，请明天再试。"), code="email_daily_limit")


# --- login failures (when the login forms ask for the 图形验证码) -------------------------


def _login_keys(request, account_key: str) -> list[str]:
    keys = [f"accounts:login-fail:ip:{network_of(client_ip(request))}"]
    if account_key:
        # a digest: a name that designates nobody is whatever was typed (spaces, NUL, any length)
        digest = hashlib.sha256(account_key.encode()).hexdigest()[:32]
        keys.append(f"accounts:login-fail:account:{digest}")
    return keys


def record_login_failure(request, account_key: str) -> None:
    for key in _login_keys(request, account_key):
        _counter(key, settings.ACCOUNTS_LOGIN_FAILURE_WINDOW_SECONDS)


def clear_login_failures(request, account_key: str) -> None:
    cache.delete_many(_login_keys(request, account_key))


def login_captcha_required(request, account_key: str) -> bool:
    limit = settings.ACCOUNTS_LOGIN_CAPTCHA_AFTER
    return any((cache.get(key) or 0) >= limit for key in _login_keys(request, account_key))
