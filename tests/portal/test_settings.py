"""Settings: production passes Django's deployment checklist; environment parsing."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings

from portal.settings.base import cache_from_url

ROOT = settings.BASE_DIR


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # a clean environment: the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process,
    # which check --deploy rightly warns about
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "portal.settings.production",
    "SECRET_KEY": "x7#Kq2!pZr9vL0mN4sT8wY1bC6dF3gH5jA-long-random-production-key",
    "ALLOWED_HOSTS": "portal.example.cn",
    "CACHE_URL": "redis://127.0.0.1:6379/0",
    # never connected to by `check --deploy`: only its engine is checked (portal.E006)
    "DATABASE_URL": "postgres://portal@127.0.0.1:5432/portal",
}


def test_production_settings_pass_check_deploy_without_warnings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_fails_without_a_shared_cache():
    """Throttles in a per-process cache multiply by the workers and reset on restart (issue 8, item 6)."""
    result = run_manage("check", "--deploy", **{**PRODUCTION, "CACHE_URL": "locmem://"})
    assert result.returncode != 0 and "portal.E001" in result.stderr


def test_check_deploy_warns_when_identities_are_approved_by_format():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", **{**PRODUCTION, "ACCOUNTS_LOCAL_RULES_APPROVE": "1"}
    )
    assert result.returncode != 0 and "accounts.W001" in result.stderr


def test_check_refuses_a_malformed_trusted_proxy():
    result = run_manage("check", **{**PRODUCTION, "TRUSTED_PROXIES": "127.0.0.1,nginx"})
    assert result.returncode != 0 and "portal.E002" in result.stderr


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = run_manage(
        "check",
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        SECRET_KEY="",
        ALLOWED_HOSTS="portal.example.cn",
    )
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


def test_production_sessions_expire_at_browser_close_and_when_idle():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings as s; print(s.SESSION_EXPIRE_AT_BROWSER_CLOSE, "
        "s.SESSION_COOKIE_AGE, s.SESSION_REFRESH_SECONDS, s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS)",
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        SECRET_KEY="k" * 60,
        ALLOWED_HOSTS="portal.example.cn",
        SESSION_IDLE_MINUTES="15",
    )
    assert result.stdout.strip().splitlines()[-1].split() == ["True", "900", "60", "True", "31536000"], (
        result.stderr
    )


def test_language_and_time_zone_are_chinese():
    assert settings.LANGUAGE_CODE == "zh-hans" and settings.TIME_ZONE == "Asia/Shanghai"


@pytest.mark.parametrize(
    ("url", "backend"),
    [
        ("locmem://", "django.core.cache.backends.locmem.LocMemCache"),
        ("redis://127.0.0.1:6379/1", "django.core.cache.backends.redis.RedisCache"),
        ("dummy://", "django.core.cache.backends.dummy.DummyCache"),
    ],
)
def test_cache_url_selects_the_backend(url, backend):
    assert cache_from_url(url)["BACKEND"] == backend


def test_unknown_cache_url_is_an_error():
    with pytest.raises(ValueError):
        cache_from_url("memcached://x")


def test_check_deploy_fails_on_sqlite():
    production = {k: v for k, v in PRODUCTION.items() if k != "DATABASE_URL"}
    result = run_manage(
        "check", "--deploy", **{**production, "DATABASE_URL": "sqlite:////tmp/portal.sqlite3"}
    )
    assert result.returncode != 0 and "portal.E006" in result.stderr


def test_check_deploy_fails_with_several_app_servers_on_local_storage():
    """F-63: an upload received by one app server must be readable on every other one."""
    result = run_manage("check", "--deploy", **{**PRODUCTION, "PORTAL_APP_SERVERS": "3"})
    assert result.returncode != 0 and "portal.E004" in result.stderr


def test_check_deploy_accepts_several_app_servers_on_a_declared_shared_filesystem():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **{**PRODUCTION, "PORTAL_APP_SERVERS": "3", "PORTAL_SHARED_FILESYSTEM": "1"},
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_fails_without_a_task_worker():
    result = run_manage("check", "--deploy", **{**PRODUCTION, "TASKS_BACKEND": "immediate"})
    assert result.returncode != 0 and "portal.E005" in result.stderr
