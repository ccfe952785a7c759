"""Login failure counters in the shared cache: they decide when the login form asks for the
图形验证码 (``ACCOUNTS_LOGIN_CAPTCHA_AFTER``). Lockout itself is django-axes' job."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache


def client_ip(request) -> str:
    # Behind a load balancer, configure it to set REMOTE_ADDR (e.g. gunicorn --forwarded-allow-ips).
    return request.META.get("REMOTE_ADDR", "") or ""


def _keys(request, login_name: str) -> list[str]:
    keys = [f"accounts:login-fail:ip:{client_ip(request)}"]
    if login_name:
        keys.append(f"accounts:login-fail:name:{login_name.strip().lower()}")
    return keys


def record_login_failure(request, login_name: str) -> None:
    for key in _keys(request, login_name):
        cache.add(key, 0, settings.ACCOUNTS_LOGIN_FAILURE_WINDOW_SECONDS)
        try:
            cache.incr(key)
        except ValueError:
            cache.add(key, 1, settings.ACCOUNTS_LOGIN_FAILURE_WINDOW_SECONDS)


def clear_login_failures(request, login_name: str) -> None:
    cache.delete_many(_keys(request, login_name))


def login_captcha_required(request, login_name: str) -> bool:
    limit = settings.ACCOUNTS_LOGIN_CAPTCHA_AFTER
    return any((cache.get(key) or 0) >= limit for key in _keys(request, login_name))
