"""The project's catalogs in locale/: placeholders kept, compiled by `make setup` without msgfmt."""

from __future__ import annotations

import gettext
import re
import shutil

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

LOCALE = settings.BASE_DIR / "locale"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")
CATALOGS = sorted(LOCALE.glob("*/LC_MESSAGES/*.po"))


def test_there_are_catalogs():
    assert {path.name for path in CATALOGS} == {"django.po", "djangojs.po"}


@pytest.mark.parametrize("path", CATALOGS, ids=lambda path: path.name)
def test_every_translation_keeps_its_placeholders(path):
    for entry in polib.pofile(str(path)):
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            assert text, entry.msgid
            # Chinese has one plural form, used for every count: it follows the plural msgid
            expected = entry.msgid_plural or entry.msgid
            assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(expected)), (
                entry.msgid,
                text,
            )


def test_compile_translations_writes_loadable_mo_files(tmp_path, settings):
    shutil.copytree(LOCALE, tmp_path / "locale", ignore=shutil.ignore_patterns("*.mo"))
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    call_command("compile_translations", verbosity=0)
    catalog = gettext.translation("django", localedir=tmp_path / "locale", languages=["zh_Hans"])
    assert catalog.gettext("Search all pages…") == "搜索全部页面……"
    assert catalog.ngettext(
        '%(total)s Image <span class="w-sr-only">created in %(site_name)s</span>',
        '%(total)s Images <span class="w-sr-only">created in %(site_name)s</span>',
        41,
    ).startswith("%(total)s 张图片")


def test_relative_times_read_naturally_in_chinese():
    """Issue 9.21: Wagtail's lists said “11 分钟 之前”."""
    import datetime

    from django.utils import timezone, translation
    from wagtail.admin.templatetags.wagtailadmin_tags import timesince_simple

    with translation.override("zh-hans"):
        assert timesince_simple(timezone.now() - datetime.timedelta(minutes=11)) == "11\xa0分钟前"
