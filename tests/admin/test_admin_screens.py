"""Every admin screen staff reach from the menu opens (no 500) under production's static storage
(whitenoise's CompressedManifestStaticFilesStorage after collectstatic): lists, inspect and edit
views of every register, page editors of every page type, settings, users and groups (issue 9.2)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.test.utils import override_settings
from wagtail.models import Page

from .crawl import crawl

pytestmark = pytest.mark.django_db

PRODUCTION_STATIC = {**settings.STORAGES,
                     "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}


@pytest.fixture(scope="module")
def production_static(tmp_path_factory):
    root = tmp_path_factory.mktemp("staticfiles")
    with override_settings(STATIC_ROOT=root, STORAGES=PRODUCTION_STATIC):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield root


def page_editors() -> list[str]:
    """The edit view of one page of each page type (the crawl keeps one URL per shape)."""
    seen, urls = set(), []
    for page in Page.objects.filter(depth__gt=1).specific():
        if type(page) not in seen:
            seen.add(type(page))
            urls.append(f"/admin/pages/{page.pk}/edit/")
    return urls


def test_every_admin_screen_opens_under_production_static_storage(production_static, seeded_portal):
    client = Client()
    client.force_login(seeded_portal)
    screens = crawl(client, ["/admin/", *page_editors()])
    broken = [(screen.status, screen.url) for screen in screens if screen.status >= 500]
    assert not broken, broken
    opened = {screen.url for screen in screens if screen.status == 200}
    # the registers of issue 9.2 and one inspect view of each, reached from the menu
    for prefix in ("/admin/forms_engine/formversion/", "/admin/forms_engine/formdefinition/",
                   "/admin/enterprises/enterprise/", "/admin/reference/industry/",
                   "/admin/forms_engine/formversion/inspect/", "/admin/enterprises/enterprise/inspect/",
                   "/admin/accounts/realnameverification/inspect/", "/admin/reference/industry/edit/",
                   "/admin/settings/cms/portalsettings/"):
        assert any(url.startswith(prefix) for url in opened), prefix
    assert len(opened) > 60
