"""The idle timeout of a login session (docs/accounts.md): the session's expiry moves on with the
person's requests, at most once every SESSION_REFRESH_SECONDS — not with a database write per
request, which cost a fifth of a 【暂存】 (docs/filings.md)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.core import middleware
from tests.accounts.factories import AccountFactory

pytestmark = pytest.mark.django_db
CENTRE = "/enterprise/"


@pytest.fixture
def client(client):
    client.force_login(AccountFactory(user__username="idle_timer").user)
    return client


class Clock:
    """time.time() as the middleware sees it, moved on by hand."""

    def __init__(self, monkeypatch):
        self.now = 1_800_000_000.0
        monkeypatch.setattr(middleware.time, "time", lambda: self.now)


def session_writes(client, url=CENTRE) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return sum(1 for q in queries if q["sql"].startswith('UPDATE "django_session"'))


def expiry(client) -> dt.datetime:
    return Session.objects.get(session_key=client.cookies["sessionid"].value).expire_date


def test_requests_within_a_minute_do_not_write_the_session(client, monkeypatch, settings):
    clock = Clock(monkeypatch)
    assert session_writes(client) == 1  # the first request stamps the refresh
    stamped = clock.now
    for seconds in (1, 30, settings.SESSION_REFRESH_SECONDS - 1):
        clock.now = stamped + seconds
        assert session_writes(client) == 0
    clock.now = stamped + settings.SESSION_REFRESH_SECONDS
    assert session_writes(client) == 1


def test_a_request_after_the_refresh_interval_moves_the_expiry_on(client, monkeypatch, settings):
    clock = Clock(monkeypatch)
    session_writes(client)
    first = expiry(client)
    clock.now += settings.SESSION_REFRESH_SECONDS
    before = timezone.now()
    assert session_writes(client) == 1
    moved = expiry(client)
    assert moved > first
    # the new expiry is one idle period from now
    assert abs((moved - before).total_seconds() - settings.SESSION_IDLE_MINUTES * 60) < 5


def test_an_idle_session_ends(client):
    Session.objects.filter(session_key=client.cookies["sessionid"].value).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    response = client.get(CENTRE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_visitor_without_a_session_gets_none(db):
    from django.test import Client

    response = Client().get("/")
    assert "sessionid" not in response.cookies
    assert "Cookie" not in response.get("Vary", "")
