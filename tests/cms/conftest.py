"""Fixtures of the CMS tests: a minimal site tree built in code (never the seed command)."""

from __future__ import annotations

import pytest
from wagtail.models import Page, Site

from cms.models import HomePage, NoticeIndexPage

from .factories import NoticePageFactory


@pytest.fixture
def home(db) -> HomePage:
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="首页", slug="portal-home"))
    site = Site.objects.get(is_default_site=True)
    site.root_page = home
    site.save()
    return home


@pytest.fixture
def notice_index(home) -> NoticeIndexPage:
    return home.add_child(instance=NoticeIndexPage(title="通知公告", slug="notices"))


@pytest.fixture
def make_notice(notice_index):
    def make(**kwargs):
        return NoticePageFactory(parent=notice_index, **kwargs)

    return make
