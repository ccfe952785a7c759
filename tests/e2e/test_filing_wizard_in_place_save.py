"""Browser (issue 11, "Benchmarks"): 【暂存】 on a filing's wizard saves in place — the page stays
as typed, says "已暂存", and the next save carries the new revision; when another tab saved first,
the page falls back to the classic POST and shows the conflict with what was typed."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.test_innovation_self_test import enterprise, log_in  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def filing(transactional_db, enterprise):  # noqa: F811
    from forms_engine.services import import_definition_document
    from portal.enterprises.models import Enterprise
    from portal.filings import services
    from portal.filings.models import FilingWindow
    from tests.factories.filings import nationwide_requirements

    nationwide_requirements()  # flushed by the transactional tests before this one
    path = settings.BASE_DIR / "fixtures" / "forms" / "innovation_self_test.json"
    import_definition_document(document=json.loads(path.read_text(encoding="utf-8")))
    company = Enterprise.objects.select_related("region__parent__parent").get(owner=enterprise)
    now = timezone.now()
    FilingWindow.objects.create(
        province=company.region.parent.parent,
        level="innovative",
        year=now.year,
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=30),
    )
    return services.start_filing(enterprise=company, user=enterprise, level="innovative")


def test_save_in_place_keeps_the_page_and_a_stale_tab_gets_the_conflict(filing, page):
    url = f"/enterprise/filings/{filing.pk}/fill/"
    log_in(page, url)
    product = page.get_by_label("主导产品名称")
    product.fill("工业压力传感器")
    page.evaluate("window.stillTheSamePage = true")  # gone if the browser loaded a new page
    page.get_by_role("button", name="暂存").click()
    expect(page.get_by_role("status").get_by_text("已暂存")).to_be_visible()
    assert page.evaluate("window.stillTheSamePage === true")

    product.fill("工业温度传感器")  # the second save carries the revision the first one answered
    page.get_by_role("button", name="暂存").click()
    # the click replaced the first save's "已暂存" with 正在暂存… (wizard.js), so this waits for the second
    expect(page.locator("#wizard-save-status")).to_contain_text("已暂存")
    expect(page.locator("#conflict")).to_have_count(0)
    assert page.evaluate("window.stillTheSamePage === true")
    filing.submission.refresh_from_db()
    assert filing.submission.answers["main_product"] == "工业温度传感器"

    other = page.context.new_page()  # a second tab saves in between
    other.goto(url)
    other.get_by_label("主导产品名称").fill("另一个标签页")
    other.get_by_role("button", name="暂存").click()
    expect(other.locator("#wizard-save-status")).to_contain_text("已暂存")

    product.fill("本标签页的内容")
    page.get_by_role("button", name="暂存").click()
    expect(page.locator("#conflict")).to_contain_text("其他窗口或设备上保存过")  # the classic page
    expect(page.get_by_label("主导产品名称")).to_have_value("本标签页的内容")
    filing.submission.refresh_from_db()
    assert filing.submission.answers["main_product"] == "另一个标签页"


def test_a_save_while_the_database_restarts_keeps_the_page_and_says_busy(filing, page):
    """The server's own 503 answer (portal.core.unavailable, as a request that meets a restarting
    PostgreSQL gets it) is given to the page's 【暂存】: wizard.js shows 系统繁忙 and keeps the page as
    typed instead of posting the classic way; the next 【暂存】, the database back, stores it."""
    from django.test import RequestFactory

    from portal.core.unavailable import unavailable_response

    url = f"/enterprise/filings/{filing.pk}/fill/"
    busy = unavailable_response(RequestFactory().post(url, HTTP_ACCEPT="application/json"))
    posts = []

    def restarting(route):
        request = route.request
        if request.method == "POST" and request.headers.get("accept", "").startswith("application/json"):
            posts.append(request.url)
            route.fulfill(status=busy.status_code, headers=dict(busy.items()), body=busy.content)
        else:
            route.continue_()  # a classic POST would reach the server (and is counted there)

    log_in(page, url)
    page.route("**/fill/", restarting)
    product = page.get_by_label("主导产品名称")
    product.fill("重启时填写的产品")
    page.evaluate("window.stillTheSamePage = true")
    page.get_by_role("button", name="暂存").click()
    expect(page.locator("#wizard-save-status")).to_contain_text("系统繁忙")
    expect(page.locator("#wizard-save-status")).to_contain_text("不会丢失")
    assert page.evaluate("window.stillTheSamePage === true") and len(posts) == 1
    expect(product).to_have_value("重启时填写的产品")
    filing.submission.refresh_from_db()
    assert filing.submission.answers.get("main_product") != "重启时填写的产品"

    page.unroute("**/fill/")  # the database is back
    page.get_by_role("button", name="暂存").click()
    expect(page.locator("#wizard-save-status")).to_contain_text("已暂存")
    filing.submission.refresh_from_db()
    assert filing.submission.answers["main_product"] == "重启时填写的产品"
