"""Error pages with DEBUG off (issue 9.10): Chinese, in the site's layout (lang="zh-CN", the portal
header and footer), the 500 page rendered without the database; the CSRF failure page too."""

from __future__ import annotations

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

from tests.enterprises.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.portal.error_urls")]


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


def assert_portal_error_page(response, status: int) -> str:
    body = response.content.decode()
    assert response.status_code == status
    assert '<html lang="zh-CN">' in body
    assert "portal-header" in body and "portal-footer" in body  # the site's layout
    assert f"错误代码 {status}" in body
    return body


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/test-errors/400/", 400),
        ("/test-errors/403/", 403),
        ("/no-such-page/", 404),
        ("/test-errors/500/", 500),
    ],
)
def test_error_pages_are_chinese_in_the_site_layout(client, url, status, settings):
    assert settings.DEBUG is False
    assert_portal_error_page(client.get(url), status)


def test_unknown_notice_is_the_portal_404(client):
    assert_portal_error_page(client.get("/notices/no-such-notice/"), 404)


def test_500_page_renders_without_the_database(client, monkeypatch, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert_portal_error_page(client.get("/test-errors/500/"), 500)

    # and with the database unreachable altogether
    def refuse(self):
        raise OperationalError("database is down")

    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", refuse)
    assert_portal_error_page(client.get("/test-errors/500/"), 500)


def test_csrf_failure_is_explained_in_chinese():
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(username="qiye_csrf"))
    body = assert_portal_error_page(client.post("/enterprise/edit/", {"contact_name": "x"}), 403)
    assert "页面已过期" in body
