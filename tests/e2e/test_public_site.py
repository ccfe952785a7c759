"""A visitor opens the home page, follows 【更多】 to the notice listing and opens a notice."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Site

from cms.models import HomePage, NoticeAttachment, NoticeIndexPage, NoticePage
from tests.e2e.helpers import tree_root

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def public_site(live_server):
    home = tree_root().add_child(instance=HomePage(title="首页", slug="portal-home"))
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={
            "hostname": "localhost",
            "port": 80,
            "root_page": home,
            "site_name": "优质中小企业梯度培育平台",
        },
    )
    index = home.add_child(instance=NoticeIndexPage(title="通知公告", slug="notices"))
    notices = []
    for number in range(3):
        notice = index.add_child(
            instance=NoticePage(
                title=f"工业和信息化部关于开展2026年度专精特新中小企业梯度培育工作的第{number + 1}号通知",
                slug=f"miit-{number}",
                level="ministry",
                publish_date=datetime.date(2026, 3, 1 + number),
                summary="部署梯度培育工作。",
                body="<p>各有关单位：现将梯度培育工作有关事项通知如下。</p>",
            )
        )
        document = get_document_model()(title="申报材料清单")
        document.file.save(f"checklist-{number}.txt", ContentFile("申报材料清单".encode()), save=False)
        document.save()
        NoticeAttachment.objects.create(page=notice, document=document, title="附件1：申报材料清单")
        notices.append(notice)
    index.add_child(
        instance=NoticePage(
            title="广东省工业和信息化厅关于组织开展2026年创新型中小企业评价工作的通知",
            slug="gd-1",
            level="provincial",
            province="440000",
            publish_date=datetime.date(2026, 2, 1),
            body="<p>广东。</p>",
        )
    )
    return notices


def test_visitor_follows_more_to_the_listing_and_opens_a_notice(page, public_site):
    page.goto("/")
    page.get_by_role("heading", name="部级公告").wait_for()
    page.get_by_role("link", name="更多").first.click()
    page.wait_for_url("**/notices/?level=ministry")
    page.get_by_role("heading", name="通知公告", level=1).wait_for()
    newest = public_site[-1]
    page.get_by_role("link", name=newest.title).click()
    page.get_by_role("heading", name=newest.title, level=1).wait_for()
    assert page.get_by_text("现将梯度培育工作有关事项通知如下").is_visible()
    attachment = page.get_by_role("link", name="附件1：申报材料清单")
    assert attachment.is_visible()
    assert "/documents/" in attachment.get_attribute("href")


def test_listing_filters_stay_in_the_url(page, public_site):
    page.goto("/notices/")
    page.get_by_label("级别").select_option("provincial")
    page.get_by_label("省份").select_option("440000")
    page.get_by_role("button", name="查询").click()
    page.wait_for_url("**/notices/?*level=provincial*")
    assert "province=440000" in page.url
    assert page.get_by_role(
        "link", name="广东省工业和信息化厅关于组织开展2026年创新型中小企业评价工作的通知"
    ).is_visible()
    assert page.get_by_label("省份").input_value() == "440000"


def test_navigation_collapses_on_a_phone(browser, live_server, public_site):
    context = browser.new_context(
        locale="zh-CN",
        base_url=live_server.url,
        viewport={"width": 375, "height": 740},
        is_mobile=True,
        has_touch=True,
    )
    try:
        phone = context.new_page()
        phone.goto("/")
        toggler = phone.get_by_role("button", name="展开导航")
        assert toggler.is_visible()
        notices_link = phone.locator("#portal-nav-links").get_by_role("link", name="通知公告")
        assert not notices_link.is_visible()
        toggler.click()
        notices_link.wait_for(state="visible")
        # no horizontal scrolling on a phone
        assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    finally:
        context.close()


def csp_violations(page) -> list[str]:
    """What Chromium reports as blocked by the Content-Security-Policy while ``page`` is open."""
    seen: list[str] = []
    page.on(
        "console",
        lambda message: seen.append(message.text) if "Content Security Policy" in message.text else None,
    )
    return seen


def test_the_notice_signature_is_right_aligned_under_the_csp(page, public_site):
    """Issue 9 item 20: the layout comes from the stylesheet, so the CSP (style-src 'self') blocks
    nothing and 发文单位 with its date stands at the right as on a printed notice."""
    notice = public_site[0]
    notice.issuer = "工业和信息化部"
    notice.save_revision().publish()
    blocked = csp_violations(page)
    page.goto(notice.url)
    signature = page.get_by_test_id("notice-signature")
    signature.wait_for()
    assert "工业和信息化部" in signature.inner_text()
    assert signature.evaluate("e => getComputedStyle(e).textAlign") == "right"
    text_right = signature.evaluate(
        "e => { const r = document.createRange(); r.selectNodeContents(e); return r.getBoundingClientRect().right; }"
    )
    box = signature.bounding_box()
    assert abs(box["x"] + box["width"] - text_right) < 2  # the text ends at the right edge
    assert page.evaluate("document.querySelectorAll('[style]').length") == 0
    assert blocked == []
