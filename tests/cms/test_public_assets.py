"""The public site's styles obey its CSP (no inline styles), /favicon.ico exists, the admin
loads nothing from gravatar (issue 9.20)."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client

from tests.enterprises.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_favicon_is_served_at_the_site_root(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] in {"image/x-icon", "image/vnd.microsoft.icon"}
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO header


def test_project_templates_carry_no_inline_styles():
    """The CSP (style-src 'self') would block them: the notice signature and the score card lost
    their layout that way."""
    offenders = []
    for directory in (settings.BASE_DIR / "templates", settings.BASE_DIR / "portal"):
        for path in directory.rglob("*.html"):
            if "wagtailadmin" in path.parts or "designer" in path.parts:
                continue  # the admin has its own policy (CSP excludes /admin/)
            if re.search(r"\sstyle=", path.read_text(encoding="utf-8")):
                offenders.append(str(path.relative_to(settings.BASE_DIR)))
    assert not offenders


def test_admin_never_loads_gravatar(client):
    staff = UserFactory(username="editor_avatar", is_staff=True, is_superuser=True, email="editor@example.cn")
    client.force_login(staff)
    body = client.get("/admin/").content.decode()
    assert "gravatar.com" not in body and "default-user-avatar" in body
    assert settings.WAGTAIL_GRAVATAR_PROVIDER_URL is None


def test_public_page_csp_forbids_inline_styles(client):
    policy = Client().get("/accounts/login/")["Content-Security-Policy"]
    assert "style-src 'self'" in policy and "unsafe-inline" not in policy
