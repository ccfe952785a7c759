"""The review queue's SQL queries do not grow with the data (issue 12, "Benchmarks"): the first
page and a filtered page make the same number of queries over 2 filings and over 30."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.filings.states import ReviewLevel

from .conftest import client_for, pending_filing

pytestmark = pytest.mark.django_db

PAGES = [
    {},
    {"view": "all", "level": "specialized"},
    {"view": "all", "region": "440300", "q": "认定测试"},
    {"view": "all", "state": "pending", "ordering": "-self_score"},
]


def _queries(client, params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/admin/review/", params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _seed(regions, n: int) -> None:
    for i in range(n):
        pending_filing(
            regions["440305" if i % 2 else "440304"],
            at=ReviewLevel.PROVINCE,
            level="specialized" if i % 3 else "innovative",
            year=2024 + i % 3,
        )


@pytest.mark.parametrize("params", PAGES, ids=["first", "level", "region+keyword", "state+sorted"])
def test_the_queue_makes_the_same_queries_for_2_and_30_filings(regions, gd_reviewer, params):
    client = client_for(gd_reviewer)
    _seed(regions, 2)
    client.get("/admin/review/")  # warm the session and the site caches
    few = _queries(client, params)
    _seed(regions, 28)
    many = _queries(client, params)
    assert many == few, f"{few} queries over 2 filings, {many} over 30"


def test_the_first_page_counts_what_it_lists(regions, gd_reviewer):
    """待我审核's length comes from the grouped counts: the same number as the list's rows."""
    _seed(regions, 7)
    pending_filing(regions["440305"], at=ReviewLevel.CITY)  # not at my level: not in 待我审核
    response = client_for(gd_reviewer).get("/admin/review/")
    html = response.content.decode()
    assert 'data-testid="todo-count">7<' in html
    assert re.search(r"共有\s*7\s*个", html)
    assert len(response.context["object_list"]) == 7
