"""Whole anonymous public pages from the shared cache (cms.cache): zero SQL on a hit, stale at once
on publish, unpublish, move, delete and settings changes; never for signed-in users, previews or
private pages; Cache-Control for a front proxy."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from cms.models import FAQPage, HelpPage, PortalSettings
from tests.enterprises.factories import UserFactory

pytestmark = pytest.mark.django_db

PUBLIC_URLS = [
    "/",
    "/notices/",
    "/notices/?level=provincial&province=440000",
    "/notices/?q=专精特新",
    "/notices/?date_from=2026-01-01&date_to=2026-12-31&page=2",
    "/faq/",
    "/help/",
]


@pytest.fixture
def site(home, notice_index, make_notice):
    home.add_child(instance=FAQPage(title="常见问题解答", slug="faq"))
    home.add_child(instance=HelpPage(title="平台使用指南", slug="help"))
    notice = make_notice(title="关于开展专精特新中小企业认定工作的通知")
    make_notice(title="广东省关于创新型中小企业评价的通知", level="provincial", province="440000")
    return notice


def get_twice(client, url):
    first = client.get(url)
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url)
    return first, second, queries


@pytest.mark.parametrize("url", [*PUBLIC_URLS, "notice"])
def test_anonymous_page_is_served_from_the_cache_without_sql(client, site, url):
    url = site.url if url == "notice" else url
    first, second, queries = get_twice(client, url)
    assert first.status_code == second.status_code == 200
    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert len(queries) == 0, [q["sql"] for q in queries.captured_queries]


def test_cached_page_tells_a_front_proxy_it_is_public_and_varies_on_cookie(client, site):
    for response in get_twice(client, "/")[:2]:
        assert "public" in response["Cache-Control"] and "max-age=60" in response["Cache-Control"]
        assert "Cookie" in response["Vary"] and "Accept-Language" in response["Vary"]
        assert "Content-Security-Policy" in response  # the outer middleware still applies on a hit


def test_filters_are_part_of_the_key(client, site):
    client.get("/notices/?level=ministry")
    provincial = client.get("/notices/?level=provincial").content.decode()
    assert "广东省关于创新型中小企业评价的通知" in provincial
    assert "关于开展专精特新中小企业认定工作的通知" not in provincial


def test_publishing_a_notice_shows_it_on_the_next_request(client, site, make_notice):
    for url in ("/", "/notices/"):
        client.get(url)
    notice = make_notice(title="新发布的通知", publish_date=datetime.date(2030, 1, 1), live=False)
    assert "新发布的通知" not in client.get("/notices/").content.decode()  # a draft: the cached page stands
    notice.save_revision().publish()
    for url in ("/", "/notices/"):
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss" and "新发布的通知" in response.content.decode()


def test_unpublishing_removes_the_page_and_its_listing_entry(client, site):
    assert client.get(site.url).status_code == 200
    assert site.title in client.get("/notices/").content.decode()
    site.unpublish()
    assert client.get(site.url).status_code == 404
    assert site.title not in client.get("/notices/").content.decode()


def test_moving_a_page_makes_cached_pages_stale(client, home, site):
    help_page = HelpPage.objects.get()
    guide = home.add_child(instance=HelpPage(title="材料准备须知", slug="materials"))
    assert "材料准备须知" not in client.get("/help/").content.decode()
    guide.move(help_page, pos="last-child")
    assert "材料准备须知" in client.get("/help/").content.decode()  # listed under 相关指南 now


def test_deleting_a_page_makes_cached_pages_stale(client, site):
    assert site.title in client.get("/").content.decode()
    site.delete()
    assert site.title not in client.get("/").content.decode()


def test_settings_change_makes_cached_pages_stale(client, home, site):
    client.get("/")
    settings_row = PortalSettings.for_site(home.get_site())
    settings_row.maker_contest_title = "第十一届创客中国大赛"
    settings_row.save()
    assert "第十一届创客中国大赛" in client.get("/").content.decode()


def test_a_page_made_private_is_no_longer_served_from_the_cache(client, site):
    assert site.title in client.get(site.url).content.decode()
    PageViewRestriction.objects.create(page=site, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(site.url)
    assert response.status_code == 302 and "login" in response["Location"]


def test_signed_in_user_is_never_served_or_stored(client, site):
    anonymous = client.get("/")
    client.force_login(UserFactory(username="qiye_cache"))
    signed_in = client.get("/")
    assert "X-Page-Cache" not in signed_in
    assert "qiye_cache" in signed_in.content.decode() and signed_in.content != anonymous.content
    assert "private" in signed_in["Cache-Control"] and "public" not in signed_in["Cache-Control"]
    client.logout()
    assert "qiye_cache" not in client.get("/").content.decode()


def test_a_visitor_with_a_message_to_see_gets_the_page_rendered(client, site):
    client.get("/")
    client.cookies["messages"] = "pending"
    assert "X-Page-Cache" not in client.get("/")


def test_preview_is_never_cached(client, site, django_user_model):
    admin = django_user_model.objects.create_superuser("editor", "e@example.cn", "x")
    client.force_login(admin)
    site.title = "草稿标题"
    site.save_revision()
    preview = client.post(f"/admin/pages/{site.pk}/edit/preview/", {"title": "草稿标题", "slug": site.slug})
    assert preview.status_code == 200
    client.logout()
    assert "草稿标题" not in client.get(site.url).content.decode()


def test_page_cache_can_be_turned_off(client, site, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    assert "X-Page-Cache" not in client.get("/")
    assert "X-Page-Cache" not in client.get("/")
