"""The admin as staff use it, walked from the menu once per module (lists, inspect and edit views
of every register, page editors of every page type, settings, users, groups, reports, the form
designer) under production's static storage (whitenoise's CompressedManifestStaticFilesStorage
after collectstatic):

- no screen is a 500 (issue 9.2);
- no screen shows a Wagtail or Django msgid untranslated while the language is zh-hans, nor the
  English defaults Wagtail's migrations and templates bring (issue 9.9).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import polib
import pytest
import wagtail
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.test.utils import override_settings
from wagtail.models import Page

from .crawl import crawl
from .untranslated import untranslated_texts

pytestmark = pytest.mark.django_db

PRODUCTION_STATIC = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# English that is data or template text rather than a msgid: group, workflow and root names from
# Wagtail's migrations, Django's permission names, the unlabelled login field, Wagtail's branding
ENGLISH_DEFAULTS = re.compile(
    r"^(Editors|Moderators|Moderators approval|Root|Password|Actions)$|^Can (add|change|delete|view|choose) "
    r"|\| Can |- Wagtail$"
)


def page_editors() -> list[str]:
    """The edit view of one page of each page type (the crawl keeps one URL per shape)."""
    seen, urls = set(), []
    for page in Page.objects.filter(depth__gt=1).specific():
        if type(page) not in seen:
            seen.add(type(page))
            urls.append(f"/admin/pages/{page.pk}/edit/")
    return urls


@pytest.fixture(scope="module")
def screens(seeded_portal, django_db_blocker, tmp_path_factory):
    root = tmp_path_factory.mktemp("staticfiles")
    with override_settings(STATIC_ROOT=root, STORAGES=PRODUCTION_STATIC), django_db_blocker.unblock():
        call_command("collectstatic", interactive=False, verbosity=0)
        client = Client()
        client.force_login(seeded_portal)
        walked = crawl(client, ["/admin/", *page_editors()])
        walked += crawl(Client(), ["/admin/login/"])
    return walked


def test_every_admin_screen_opens_under_production_static_storage(screens):
    broken = [(screen.status, screen.url) for screen in screens if screen.status >= 500]
    assert not broken, broken
    opened = {screen.url for screen in screens if screen.status == 200}
    # the registers of issue 9.2 and one inspect view of each, reached from the menu
    for prefix in (
        "/admin/forms_engine/formversion/",
        "/admin/forms_engine/formdefinition/",
        "/admin/enterprises/enterprise/",
        "/admin/reference/industry/",
        "/admin/forms_engine/formversion/inspect/",
        "/admin/enterprises/enterprise/inspect/",
        "/admin/account-reviews/realname/inspect/",
        "/admin/reference/industry/edit/",
        "/admin/settings/cms/portalsettings/",
        "/admin/form-designer/",
        "/admin/groups/edit/",
    ):
        assert any(url.startswith(prefix) for url in opened), prefix
    assert len(opened) > 60


def test_admin_screens_show_no_untranslated_wagtail_or_django_text(screens):
    found = {}
    for screen in screens:
        for text in untranslated_texts(screen.html):
            found.setdefault(text, screen.url)
    assert not found, found


def test_admin_screens_show_no_english_defaults(screens):
    found = {}
    for screen in screens:
        soup = BeautifulSoup(screen.html, "html.parser")
        for tag in soup(["script", "style", "noscript"]):
            tag.decompose()
        texts = [
            *soup.stripped_strings,
            *(e["aria-label"] for e in soup.find_all(attrs={"aria-label": True})),
        ]
        if soup.title:
            texts.append(" ".join(soup.title.get_text().split()))
        for text in texts:
            if ENGLISH_DEFAULTS.search(text.strip()):
                found.setdefault(text.strip(), screen.url)
    assert not found, found


def test_admin_javascript_strings_are_translated(client, seeded_portal):
    """The sidebar, editor and dialogs take their text from the admin's JavaScript catalog."""
    client.force_login(seeded_portal)
    body = client.get("/admin/jsi18n/").content.decode()
    catalog = json.loads(re.search(r"const newcatalog = (\{.*?\});", body, re.S).group(1))
    source = Path(wagtail.__file__).parent / "admin/locale/en/LC_MESSAGES/djangojs.po"
    missing = [entry.msgid for entry in polib.pofile(str(source)) if entry.msgid not in catalog]
    assert not missing, missing
