"""Browser (issue 12 item 8, F-23): an enterprise with messages in two categories sees the unread
count beside 我的消息 in the side navigation and on the 企业申报页面, opens the 认定通知 tab, clicks a
title, reads the text with its line breaks and the link, and the count drops; 【全部标为已读】
clears it. On a phone the collapsed navigation's 【展开菜单】 carries the count.

Screenshots (desktop 1280×900 and phone 390×844) go to ``INBOX_SCREENSHOTS`` (default
/tmp/inbox-shots/)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path(os.environ.get("INBOX_SCREENSHOTS", "/tmp/inbox-shots"))
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
RECOGNISED_TITLE = "您已被认定为专精特新中小企业"
RECOGNISED_BODY = [
    "认定编号：粤专精特新〔2026〕0001号",
    "有效期：2026年3月1日至2029年2月28日",
    "请登录平台下载认定证书。",
]


@pytest.fixture
def enterprise(transactional_db):
    from portal.inbox.services import notify
    from tests.enterprises.factories import CompleteEnterpriseFactory
    from tests.inbox.conftest import legal_owner

    owner = legal_owner("qiye_inbox_e2e", "13900000451")
    enterprise = CompleteEnterpriseFactory(owner=owner, name="深圳市甲智能装备有限公司")
    notify(
        enterprise=enterprise,
        category="filing",
        title="创新型中小企业申报已提交，请等待审核",
        body="您的创新型中小企业申报已提交至南山区工业和信息化局审核。",
        link="/enterprise/filings/",
    )
    notify(
        enterprise=enterprise,
        category="filing",
        title="您的专精特新中小企业申报已被退回，请按审核意见修改后重新提交",
        body="退回原因：营业收入与财务报表不一致。\n请在申报期内修改后重新提交。",
        link="/enterprise/filings/",
    )
    notify(
        enterprise=enterprise,
        category="recognition",
        title=RECOGNISED_TITLE,
        body="\n".join(RECOGNISED_BODY),
        link="/enterprise/",
    )
    return enterprise


def messages_nav_link(page):
    return page.get_by_role("navigation", name="企业信息管理").get_by_role(
        "link", name=re.compile("^我的消息")
    )


def test_reading_a_message_lowers_the_unread_count(page, live_server, enterprise):
    SHOTS.mkdir(parents=True, exist_ok=True)
    sign_in(page, live_server, "qiye_inbox_e2e")
    page.goto("/enterprise/home/")
    expect(messages_nav_link(page)).to_contain_text("3")
    expect(page.get_by_test_id("unread-messages")).to_contain_text("您有 3 条未读消息。")
    page.screenshot(path=str(SHOTS / "inbox-centre-home-desktop.png"), full_page=True)

    messages_nav_link(page).click()
    expect(page.get_by_role("heading", name="我的消息", level=1)).to_be_visible()
    tabs = page.get_by_role("navigation", name="消息类型")
    for label in ("全部", "认定到期", "信息更新", "认定通知", "取消认定", "申报提醒"):
        expect(tabs.get_by_role("link", name=re.compile(f"^{label}"))).to_be_visible()
    expect(page.get_by_test_id("message-list").get_by_role("listitem")).to_have_count(3)
    page.screenshot(path=str(SHOTS / "inbox-index-desktop.png"), full_page=True)

    tabs.get_by_role("link", name=re.compile("^认定通知")).click()
    expect(tabs.get_by_role("link", name=re.compile("^认定通知"))).to_have_attribute("aria-current", "page")
    items = page.get_by_test_id("message-list").get_by_role("listitem")
    expect(items).to_have_count(1)
    expect(items.first).to_contain_text("未读")
    items.first.get_by_role("link", name=re.compile(RECOGNISED_TITLE)).click()

    expect(page.get_by_role("heading", name=RECOGNISED_TITLE, level=1)).to_be_visible()
    body = page.get_by_test_id("message-body")
    for line in RECOGNISED_BODY:
        expect(body).to_contain_text(line)
    assert body.inner_text().splitlines() == RECOGNISED_BODY  # the line breaks are kept
    expect(page.get_by_test_id("message-link")).to_have_attribute("href", "/enterprise/")
    expect(messages_nav_link(page)).to_contain_text("2")
    page.screenshot(path=str(SHOTS / "inbox-detail-desktop.png"), full_page=True)

    page.get_by_role("link", name="返回我的消息").click()
    expect(page).to_have_url(re.compile(r"/enterprise/messages/\?category=recognition$"))
    expect(page.get_by_test_id("message-list").get_by_role("listitem").first).not_to_contain_text("未读")

    tabs.get_by_role("link", name=re.compile("^全部")).click()
    page.get_by_role("button", name="【全部标为已读】").click()
    expect(page.get_by_text("已将 2 条消息标为已读。")).to_be_visible()
    expect(messages_nav_link(page)).to_have_text(re.compile(r"^\s*我的消息\s*$"))
    expect(page.get_by_role("button", name="【全部标为已读】")).to_have_count(0)


def test_on_a_phone_the_menu_button_carries_the_unread_count(page, live_server, enterprise):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "qiye_inbox_e2e")
    page.goto("/enterprise/messages/")
    expect(page.get_by_role("button", name=re.compile("^展开菜单"))).to_contain_text("3")
    page.screenshot(path=str(SHOTS / "inbox-index-phone.png"), full_page=True)
    page.get_by_role("link", name=re.compile("被退回")).click()
    expect(page.get_by_test_id("message-body")).to_contain_text("退回原因：营业收入与财务报表不一致。")
    expect(page.get_by_role("button", name=re.compile("^展开菜单"))).to_contain_text("2")
    page.screenshot(path=str(SHOTS / "inbox-detail-phone.png"), full_page=True)
    page.goto("/enterprise/home/")
    page.screenshot(path=str(SHOTS / "inbox-centre-home-phone.png"), full_page=True)
    page.get_by_role("button", name=re.compile("^展开菜单")).click()
    expect(page.locator("#centre-nav-links")).to_have_class(re.compile(r"\bcollapse show\b"))  # opened
    expect(messages_nav_link(page)).to_contain_text("2")
    page.screenshot(path=str(SHOTS / "inbox-nav-open-phone.png"), full_page=False)
