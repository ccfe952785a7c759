"""Helpers shared by the browser tests."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.test import Client


def sign_in(page, live_server, username: str) -> None:
    """Give the page a session of ``username`` (the login form's factors have their own tests)."""
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
