"""Browser: an enterprise logs in and lands on the 企业申报页面 of the centre; moves around with the
side navigation (desktop) and its menu (phone); an incomplete profile asked for by 【申请】 创新型中小企业
is completed through 【编辑】 and the enterprise is returned to the self-test (issue 9.6, 9.7, 11)."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.helpers import sign_in, tree_root
from tests.factories.filings import nationwide_requirements

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(transactional_db, settings):
    from forms_engine.services import import_definition_document

    tree_root()
    call_command("load_reference_data", verbosity=0)
    call_command("seed_demo_content", verbosity=0)
    call_command("seed_demo_enterprises", verbosity=0)
    path = settings.BASE_DIR / "fixtures" / "forms" / "innovation_self_test.json"
    import_definition_document(document=json.loads(path.read_text(encoding="utf-8")))
    call_command("seed_demo_filing_windows", verbosity=0)  # open 申报时间 in the demo provinces
    nationwide_requirements()  # flushed by the transactional tests before this one


def log_in(page, username: str, phone: str) -> None:
    """The real login form: 登录名, 图形验证码, 【获取短信验证码】, 密码 + 短信验证码."""
    from tests.accounts.factories import last_code

    page.goto("/accounts/login/")
    page.get_by_label("登录名").fill(username)
    page.get_by_role("textbox", name="图形验证码").fill("PASSED")
    page.get_by_role("button", name="获取短信验证码").click()
    page.get_by_label("密码").fill("Qiye-Demo-2026")
    page.get_by_label("短信验证码").fill(last_code(phone))
    page.get_by_role("button", name="登录", exact=True).click()


def test_login_lands_on_the_centre_and_the_side_navigation_leads_everywhere(page, demo):
    log_in(page, "qiye_demo_sz", "13900000101")
    page.wait_for_url("**/enterprise/home/")
    expect(page.get_by_role("heading", name="企业申报页面", level=1)).to_be_visible()
    for module in ("企业最新消息", "数字化水平评测", "企业申报"):
        expect(page.get_by_role("heading", name=module, level=2)).to_be_visible()
    expect(page.get_by_role("heading", name="广东省省级公告")).to_be_visible()
    page.screenshot(path=str(settings.BASE_DIR / ".test-media" / "centre-home-desktop.png"), full_page=True)

    nav = page.get_by_role("navigation", name="企业信息管理")
    for label, heading in (
        ("我的消息", "我的消息"),
        ("企业申报信息", "企业申报信息"),
        ("企业重大变更", "企业重大变更"),
        ("认证到期管理", "认证到期管理"),
        ("数字化水平评测", "数字化水平评测"),
        ("企业信息", "企业信息"),
    ):
        nav.get_by_role("link", name=label, exact=True).click()
        expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
        expect(nav.get_by_role("link", name=label, exact=True)).to_have_attribute("aria-current", "page")
    expect(page.get_by_test_id("recognition")).to_contain_text("专精特新中小企业")

    # the help pages are reached from the centre and from every page's footer (issue 9.17)
    for where in (nav, page.get_by_role("contentinfo")):
        for label in ("平台使用指南", "申报指南"):
            page.goto("/enterprise/home/")
            where.get_by_role("link", name=label, exact=True).click()
            expect(page.get_by_role("heading", level=1)).to_contain_text(label)

    # the user menu reaches the same pages
    page.get_by_role("button", name="qiye_demo_sz").click()
    page.get_by_role("link", name="认证到期管理").last.click()
    expect(page.get_by_role("heading", name="认证到期管理", level=1)).to_be_visible()
    # built now (issue 13): the recognised demo enterprise sees its recognition and its validity
    expect(page.get_by_test_id("recognition-row").first).to_contain_text("专精特新中小企业")
    expect(page.get_by_test_id("validity").first).to_contain_text("至")


def test_incomplete_profile_is_completed_and_the_self_test_follows(page, live_server, demo):
    sign_in(page, live_server, "qiye_demo_bj")
    page.goto("/enterprise/home/")
    page.get_by_role("link", name="【申请】 创新型中小企业").click()
    expect(page.get_by_test_id("refusal")).to_contain_text("注册地")
    page.get_by_role("link", name="【编辑】企业信息").click()
    expect(page.get_by_text("保存后将返回您刚才要填写的表单")).to_be_visible()
    page.get_by_label("请选择省份").select_option(label="北京市")
    page.get_by_label("请选择城市").select_option(label="市辖区")
    page.get_by_label("请选择区县").select_option(label="海淀区")
    page.get_by_label("所属行业").select_option(label="30 非金属矿物制品业")
    page.get_by_label("成立日期").fill("2018-03-01")
    page.get_by_label("注册资本（万元）").fill("800")
    page.get_by_label("企业规模").select_option(label="小型")
    page.get_by_label("从业人员数（人）").fill("45")
    page.get_by_label("主要产品（服务）").fill("特种陶瓷材料")
    page.get_by_label("联系人").fill("郑十")
    page.get_by_label("联系电话").fill("010-62000000")
    page.get_by_label("联系邮箱").fill("bj@example.cn")
    page.get_by_label("通讯地址").fill("北京市海淀区示例路3号")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", name="创新型中小企业自测表")).to_be_visible()
    assert page.url.endswith("/fill/")


def test_centre_on_a_phone(browser, live_server, demo):
    context = browser.new_context(
        locale="zh-CN",
        base_url=live_server.url,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
    )
    try:
        phone = context.new_page()
        sign_in(phone, live_server, "qiye_demo_hz")
        phone.goto("/enterprise/home/")
        link = phone.get_by_role("navigation", name="企业信息管理").get_by_role("link", name="我的消息")
        expect(link).to_be_hidden()
        phone.get_by_role("button", name="展开菜单").click()
        link.click()
        expect(phone.get_by_role("heading", name="我的消息", level=1)).to_be_visible()
        assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        phone.screenshot(
            path=str(settings.BASE_DIR / ".test-media" / "centre-messages-phone.png"), full_page=True
        )
    finally:
        context.close()
