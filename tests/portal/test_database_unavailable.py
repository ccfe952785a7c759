"""A request that meets an unreachable database (PostgreSQL restarting, issue 13.7) answers 503
系统繁忙 in Chinese — never the bare 500 — and keeps what was typed: a posted form comes back in a
form that posts it again (【重新提交】), a request of the page's script gets JSON it shows."""

from __future__ import annotations

import html
import re

import pytest
from django.db import OperationalError, connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

from portal.core.unavailable import database_unavailable
from tests.enterprises.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.portal.error_urls")]

URL = "/test-errors/database/"
HIDDEN = re.compile(r'<input type="hidden" name="([^"]*)" value="([^"]*)">')


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


def kept_fields(body: str) -> list[tuple[str, str]]:
    return [(html.unescape(k), html.unescape(v)) for k, v in HIDDEN.findall(body)]


def test_a_page_that_meets_the_restart_says_busy_in_chinese(client):
    response = client.get(URL)
    body = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"]
    assert '<html lang="zh-CN">' in body and "错误代码 503" in body
    assert "系统繁忙" in body and "刷新本页" in body


def test_a_posted_form_comes_back_with_every_typed_value_to_post_again(client):
    typed = {
        "csrfmiddlewaretoken": "x" * 64,
        "basic-main_product": '工业"传感器"<b>',
        "finance-revenue": "5200.00",
        "password": "Secret-2026",
    }
    response = client.post(URL + "?step=2", typed)
    body = response.content.decode()
    assert response.status_code == 503 and response["Cache-Control"] == "no-store"
    assert "您提交的内容尚未保存" in body and "已保留在本页" in body and "重新提交" in body
    # posted again to the address it was posted to (the page's own: no action, never one from the URL)
    assert '<form method="post" class="mb-3" data-kept-form>' in body
    assert set(kept_fields(body)) == {
        ("csrfmiddlewaretoken", "x" * 64),
        ("basic-main_product", '工业"传感器"<b>'),  # escaped in the page, intact when posted again
        ("finance-revenue", "5200.00"),
    }
    assert "Secret-2026" not in body and "<b>" not in body  # a password is never written back


def test_the_page_script_gets_json_it_shows_instead_of_leaving_the_page(client):
    response = client.post(URL, {"basic-main_product": "传感器"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 503 and response["Retry-After"]
    payload = response.json()
    assert payload["saved"] is False and payload["unavailable"] is True
    assert "系统繁忙" in payload["message"] and "不会丢失" in payload["message"]


def test_a_database_refusing_connections_is_a_503_too(client, monkeypatch):
    client.force_login(UserFactory(username="qiye_restart"))

    def refuse(self):
        raise OperationalError("connection refused")

    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", refuse)
    # the session and the user are read first: the failure is in the middleware, not the view
    response = client.get("/enterprise/filings/")
    assert response.status_code == 503 and "系统繁忙" in response.content.decode()


def test_any_other_error_is_still_the_500_page(client):
    response = client.get("/test-errors/500/")
    assert response.status_code == 500 and "系统繁忙" not in response.content.decode().split("错误代码")[1]


def test_an_error_raised_while_handling_a_database_error_counts_as_one():
    from django.db import InterfaceError

    try:
        try:
            raise InterfaceError("connection already closed")
        except InterfaceError:
            raise RuntimeError("while rendering") from None
    except RuntimeError as exc:
        assert database_unavailable(exc)
    assert not database_unavailable(ValueError("unrelated"))


def test_a_changed_session_that_cannot_be_written_is_a_503_not_a_bad_request(client):
    client.force_login(UserFactory(username="qiye_session"))

    def refuse_session_writes(execute, sql, params, many, context):
        if sql.startswith('UPDATE "django_session"'):
            raise OperationalError("the database system is shutting down")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse_session_writes):
        response = client.get("/test-errors/session/")
    assert response.status_code == 503 and "系统繁忙" in response.content.decode()
