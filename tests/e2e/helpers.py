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


def tree_root():
    """Wagtail's tree root (and root collection), re-created when a transactional test flushed the
    rows its migrations made."""
    from wagtail.models import Collection, Locale, Page

    root = Page.get_first_root_node()
    if root is None:
        locale, _ = Locale.objects.get_or_create(language_code="zh-hans")
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    return root
