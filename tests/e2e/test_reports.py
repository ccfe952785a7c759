"""Browser (issue 12 item 11, F-46): a city reviewer opens 统计概览, sees the four charts drawn by the
vendored ECharts and the counts of their city only, follows a number to the review queue showing
exactly those filings, and downloads the queue as Excel from 【导出 Excel】. Screenshots in
``$REPORTS_SHOTS`` (default /tmp/shots-reports/)."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from portal.filings.states import ReviewLevel
from tests.e2e.helpers import sign_in, tree_root
from tests.factories import recognition as factories
from tests.reports.conftest import pending_filing

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path(os.environ.get("REPORTS_SHOTS", "/tmp/shots-reports"))


def test_the_dashboard_draws_its_charts_and_links_to_the_queue(page, live_server):
    tree_root()
    regions = factories.gd_regions()
    factories.reviewer_user(level=ReviewLevel.CITY, region=regions["440300"], username="e2e_sz_city")
    for _ in range(3):
        pending_filing(regions["440305"], at=ReviewLevel.CITY)
    pending_filing(regions["440304"], at=ReviewLevel.CITY, level="specialized")
    pending_filing(regions["330106"], at=ReviewLevel.CITY)  # 杭州: not the reviewer's
    sign_in(page, live_server, "e2e_sz_city")

    page.goto("/admin/")
    page.get_by_role("link", name="统计概览").click()
    expect(page.get_by_role("heading", name="统计概览")).to_be_visible()
    expect(page.get_by_test_id("total")).to_have_text("4")
    expect(page.locator("[data-chart] canvas")).to_have_count(4)  # ECharts drew every chart
    expect(page.get_by_text("西湖区")).to_have_count(0)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "e2e-dashboard.png"))

    page.locator('a[data-bucket="region:440305"]').click()
    expect(page).to_have_url(re.compile(r"/admin/review/\?view=all&region=440305$"))
    expect(page.get_by_text(re.compile(r"共有\s*3\s*个"))).to_be_visible()

    page.locator("header .w-dropdown__toggle").first.click()  # the header's 【…】 menu
    with page.expect_download() as info:
        page.get_by_text("导出 Excel").click()
    download = info.value
    assert download.suggested_filename == "申报审核.xlsx"
    rows = list(
        load_workbook(io.BytesIO(Path(download.path()).read_bytes())).active.iter_rows(values_only=True)
    )
    assert len(rows) == 1 + 3 and {row[4] for row in rows[1:]} == {"南山区"}
