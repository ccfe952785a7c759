"""统计概览 (F-46): counts of the reviewer's own scope by region, level, window and state, each
linking to the queue filtered to the same rows; a constant number of SQL queries."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.filings.states import ReviewLevel, State

from .conftest import client_for, pending_filing

pytestmark = pytest.mark.django_db

URL = "/admin/reports/dashboard/"


def count_of(html: str, bucket: str) -> tuple[int, str]:
    match = re.search(rf'<a href="([^"]+)" data-bucket="{re.escape(bucket)}">(\d+)</a>', html)
    assert match, bucket
    return int(match.group(2)), match.group(1).replace("&amp;", "&")


@pytest.fixture
def filings(regions):
    return {
        "ns_county": [pending_filing(regions["440305"]) for _ in range(2)],
        "ft_county": [pending_filing(regions["440304"])],
        "ns_city": [pending_filing(regions["440305"], at=ReviewLevel.CITY, level="specialized")],
        "ns_province_2025": [pending_filing(regions["440305"], at=ReviewLevel.PROVINCE, year=2025)],
        "xh": [pending_filing(regions["330106"])],
    }


def test_a_city_reviewer_sees_counts_of_the_filings_that_reached_the_city(filings, sz_city_reviewer):
    html = client_for(sz_city_reviewer).get(URL).content.decode()
    # reached the city: the 南山 city and province filings (the county ones have not)
    assert re.search(r'data-testid="total">2<', html) and re.search(r'data-testid="todo">1<', html)
    assert "按区县" in html and "南山区" in html and "西湖区" not in html
    count, url = count_of(html, "region:440305")
    assert count == 2 and url == "/admin/review/?view=all&region=440305"
    count, url = count_of(html, "level:specialized")
    assert count == 1 and url == "/admin/review/?view=all&level=specialized"
    assert count_of(html, "window:2025-1")[0] == 1 and "2025年第1批" in html
    assert count_of(html, "state:pending")[0] == 2 and count_of(html, "state:approved")[0] == 0
    assert "待审核" in html and "专精特新中小企业" in html
    assert "specialized</td>" not in html and ">pending<" not in html  # labels, never codes


def test_each_number_is_the_number_of_rows_its_link_shows(filings, gd_reviewer):
    client = client_for(gd_reviewer)
    html = client.get(URL).content.decode()
    for bucket in ("region:4403", "level:innovative", "window:2025-1", "state:pending"):
        count, url = count_of(html, bucket)
        export = client.get(url + "&export=csv")
        rows = b"".join(export.streaming_content).decode("utf-8-sig").strip().splitlines()
        assert len(rows) - 1 == count, (bucket, url)


def test_the_superuser_sees_the_country_by_province(filings, superuser):
    html = client_for(superuser).get(URL).content.decode()
    assert "按省份" in html
    assert count_of(html, "region:44")[0] == 5 and count_of(html, "region:33")[0] == 1
    assert count_of(html, "region:44")[1] == "/admin/review/?view=all&region=440000"
    assert re.search(r'data-testid="todo">6<', html)


def test_a_county_reviewer_sees_only_their_county(filings, regions, county_reviewer):
    html = client_for(county_reviewer).get(URL).content.decode()
    assert re.search(r'data-testid="total">4<', html) and re.search(r'data-testid="todo">2<', html)
    assert "福田区" not in html and "西湖区" not in html


def test_the_page_has_the_charts_and_vendored_echarts(filings, ministry_reviewer):
    response = client_for(ministry_reviewer).get(URL)
    html = response.content.decode()
    assert 'id="dashboard-data"' in html and 'data-chart="region"' in html
    assert "/static/vendor/echarts-6.1.0/echarts.simple.min.js" in html
    assert not re.findall(r'<script[^>]+src="(?!/)', html)  # no script from another host


def test_the_dashboard_is_for_reviewers_only(regions, django_user_model):
    staff = django_user_model.objects.create_user("editor_like", password="x", is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename="access_admin"))
    client = client_for(staff)
    assert client.get(URL).status_code in (302, 403)
    assert "统计概览" not in client.get("/admin/").content.decode()


def test_the_menu_shows_the_dashboard_to_reviewers(sz_city_reviewer):
    assert "/admin/reports/dashboard/" in client_for(sz_city_reviewer).get("/admin/").content.decode()


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL).status_code == 200
    return len(ctx.captured_queries)


def test_the_dashboard_makes_the_same_queries_whatever_the_number_of_filings(regions, gd_reviewer):
    client = client_for(gd_reviewer)
    pending_filing(regions["440305"], at=ReviewLevel.PROVINCE)
    client.get(URL)  # warm caches (session, site)
    few = _queries(client)
    for code in ("440304", "440305", "440304"):
        for year in (2024, 2025):
            pending_filing(regions[code], at=ReviewLevel.PROVINCE, year=year, level="specialized")
    filing = pending_filing(regions["440304"], at=ReviewLevel.PROVINCE)
    filing.state = State.REJECTED
    filing.save()
    assert _queries(client) == few
