"""The notice listing: filters, Chinese keyword search, pagination and a constant query count."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return [notice.title for notice in response.context["notices"]]


def test_listing_filters_by_level(client, make_notice):
    make_notice(title="部级通知甲")
    make_notice(title="省级通知乙", level="provincial", province="440000")
    assert titles(client.get("/notices/?level=provincial")) == ["省级通知乙"]
    assert titles(client.get("/notices/?level=ministry")) == ["部级通知甲"]


def test_listing_filters_by_province(client, make_notice):
    make_notice(title="广东通知", level="provincial", province="440000")
    make_notice(title="江苏通知", level="provincial", province="320000")
    assert titles(client.get("/notices/?province=320000")) == ["江苏通知"]


def test_listing_filters_by_date_range_inclusive(client, make_notice):
    make_notice(title="一月通知", publish_date=datetime.date(2026, 1, 10))
    make_notice(title="三月通知", publish_date=datetime.date(2026, 3, 10))
    make_notice(title="五月通知", publish_date=datetime.date(2026, 5, 10))
    response = client.get("/notices/?date_from=2026-03-10&date_to=2026-05-09")
    assert titles(response) == ["三月通知"]


def test_listing_is_newest_first(client, make_notice):
    make_notice(title="旧", publish_date=datetime.date(2025, 1, 1))
    make_notice(title="新", publish_date=datetime.date(2026, 1, 1))
    assert titles(client.get("/notices/")) == ["新", "旧"]


def test_keyword_inside_a_longer_title_is_found(client, make_notice):
    make_notice(title="工业和信息化部关于开展2026年度专精特新中小企业梯度培育工作的通知")
    make_notice(title="关于举办创客中国中小企业创新创业大赛的通知")
    response = client.get("/notices/", {"q": "专精特新"})
    assert titles(response) == ["工业和信息化部关于开展2026年度专精特新中小企业梯度培育工作的通知"]


def test_keyword_found_in_the_body(client, make_notice):
    make_notice(title="通知一", body="<p>企业须完成数字化水平评测。</p>")
    make_notice(title="通知二")
    assert titles(client.get("/notices/", {"q": "水平评测"})) == ["通知一"]


def test_non_matching_keyword_finds_nothing(client, make_notice):
    make_notice(title="工业和信息化部关于开展2026年度专精特新中小企业梯度培育工作的通知")
    response = client.get("/notices/", {"q": "人工智能"})
    assert titles(response) == []
    assert "没有符合条件的公告" in response.content.decode()


def test_keyword_combines_with_filters(client, make_notice):
    make_notice(title="广东专精特新认定通知", level="provincial", province="440000")
    make_notice(title="江苏专精特新认定通知", level="provincial", province="320000")
    make_notice(title="部级专精特新通知")
    response = client.get("/notices/", {"q": "专精特新", "level": "provincial", "province": "440000"})
    assert titles(response) == ["广东专精特新认定通知"]


def test_listing_paginates_fifteen_per_page(client, make_notice):
    for _ in range(20):
        make_notice()
    assert len(client.get("/notices/").context["notices"]) == 15
    assert len(client.get("/notices/?page=2").context["notices"]) == 5
    assert len(client.get("/notices/?page=99").context["notices"]) == 5  # nearest valid page


def test_pagination_links_keep_the_filters(client, make_notice):
    for _ in range(20):
        make_notice(level="provincial", province="440000")
    html = client.get("/notices/?level=provincial&province=440000").content.decode()
    links = re.findall(r'class="page-link" href="([^"]+)"', html)
    assert "?level=provincial&amp;province=440000&amp;page=2" in links


def test_invalid_filter_input_shows_a_message_and_still_lists(client, make_notice):
    make_notice(title="一则通知")
    response = client.get("/notices/?level=zzz&date_from=2026-13-45")
    html = response.content.decode()
    assert response.status_code == 200
    assert "级别“zzz”无效" in html
    assert "请输入有效的日期" in html
    assert titles(response) == ["一则通知"]


def test_reversed_date_range_is_reported_and_filters_by_neither_date(client, make_notice):
    """Issue 9.21: the page said “共 0 条” and nothing else about the reversed range."""
    make_notice(title="三月的通知", publish_date=datetime.date(2026, 3, 1))
    response = client.get("/notices/?date_from=2026-12-01&date_to=2026-01-01")
    html = response.content.decode()
    assert response.context["filter_form"].has_error("date_to", "date_order")
    assert "日期范围颠倒" in html and 'data-testid="filter-errors"' in html
    assert titles(response) == ["三月的通知"]


def _count_queries(client, url: str) -> int:
    cache.clear()  # measure the uncached listing
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        "/notices/",
        "/notices/?level=provincial&province=440000",
        "/notices/?q=专精特新",
        "/notices/?page=2",
    ],
)
def test_listing_query_count_does_not_grow_with_the_number_of_notices(client, make_notice, url):
    def make_batch(count):
        for i in range(count):
            make_notice(
                title=f"广东省关于专精特新中小企业第{i}项工作的通知", level="provincial", province="440000"
            )

    make_batch(20)
    _count_queries(client, url)  # warm per-process caches (site root paths, content types)
    few = _count_queries(client, url)
    make_batch(40)
    assert _count_queries(client, url) == few


def test_cached_listing_page_runs_no_notice_query(client, make_notice, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0  # the rendered page, from the cached result page
    make_notice(title="缓存的通知")
    client.get("/notices/?level=ministry")
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/notices/?level=ministry")
    assert titles(response) == ["缓存的通知"]
    assert not any("cms_noticepage" in query["sql"] for query in ctx.captured_queries)


def test_publishing_makes_cached_listing_pages_stale(client, make_notice):
    make_notice(title="第一则")
    assert titles(client.get("/notices/")) == ["第一则"]
    notice = make_notice(title="第二则", publish_date=datetime.date(2030, 1, 1))
    notice.save_revision().publish()
    assert titles(client.get("/notices/")) == ["第二则", "第一则"]
