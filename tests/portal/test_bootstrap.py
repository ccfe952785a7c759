"""`bootstrap_portal`: demo users (public passwords) only where settings allow them (issue 8, item 12)."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from portal.accounts.models import Account

pytestmark = pytest.mark.django_db


def bootstrap(*args: str) -> str:
    out = io.StringIO()
    call_command("bootstrap_portal", *args, stdout=out)
    return out.getvalue()


def test_production_settings_create_no_demo_users(settings):
    settings.PORTAL_DEMO_DATA = False
    output = bootstrap()
    assert not get_user_model().objects.filter(username__in=["admin", "qiye_demo_sz"]).exists()
    assert "--demo" in output  # says how to ask for them


def test_demo_users_when_asked_explicitly_and_the_admin_has_a_phone(settings):
    settings.PORTAL_DEMO_DATA = False
    output = bootstrap("--demo")
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and Account.objects.get(user=admin).phone == "13900000100"
    assert "13900000100" in output  # where the admin login's SMS code goes
    bootstrap("--demo")  # idempotent
    assert get_user_model().objects.filter(username="admin").count() == 1


def test_the_production_settings_do_not_allow_demo_data():
    """What the first test simulates is what production settings say (unless an operator sets
    PORTAL_DEMO_DATA=1 on purpose)."""
    from tests.portal.test_settings import PRODUCTION, run_manage

    result = run_manage(
        "shell", "-c", "from django.conf import settings; print(settings.PORTAL_DEMO_DATA)", **PRODUCTION
    )
    assert result.stdout.strip().splitlines()[-1] == "False", result.stderr
