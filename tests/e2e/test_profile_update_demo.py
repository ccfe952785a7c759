"""Browser: every demo enterprise saves its profile — the recognised ones through 【信息更新】 (with
注册地 and 所属行业 locked), the others through 【编辑】 (issue 9.1: no recognised enterprise could)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from portal.enterprises.models import Enterprise, ProfileUpdateWindow
from tests.e2e.helpers import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_enterprises(transactional_db):
    call_command("load_reference_data", verbosity=0)
    call_command("seed_demo_enterprises", verbosity=0)
    # the whole year open, so the test does not depend on today's date
    window = ProfileUpdateWindow.load()
    window.start_month, window.start_day, window.end_month, window.end_day = 1, 1, 12, 31
    window.save()


@pytest.mark.parametrize(
    ("username", "button", "region", "industry"),
    [
        ("qiye_demo_sz", "信息更新", "广东省 深圳市 南山区", "34 通用设备制造业"),
        ("qiye_demo_cd", "信息更新", "四川省 成都市 武侯区", "62 餐饮业"),
        ("qiye_demo_hz", "编辑", "浙江省 杭州市 西湖区", "65 软件和信息技术服务业"),
    ],
)
def test_demo_enterprise_saves_an_update(
    page, live_server, demo_enterprises, username, button, region, industry
):
    sign_in(page, live_server, username)
    page.goto("/enterprise/")
    expect(page.get_by_test_id("region")).to_have_text(region)
    page.get_by_role("link", name=button, exact=True).click()
    page.get_by_label("联系人").fill("钱十一")
    page.get_by_role("button", name="保存").click()

    expect(page.get_by_text("企业信息已保存")).to_be_visible()
    expect(page.get_by_test_id("region")).to_have_text(region)
    expect(page.get_by_test_id("industry")).to_contain_text(industry)
    enterprise = Enterprise.objects.get(owner__username=username)
    assert enterprise.contact_name == "钱十一"
    assert enterprise.versions.order_by("-number").first().changed_fields == ["contact_name"]


def test_unchanged_annual_update_saves_without_error(page, live_server, demo_enterprises):
    sign_in(page, live_server, "qiye_demo_sz")
    page.goto("/enterprise/edit/")
    expect(page.get_by_label("请选择区县")).to_have_value("440305")
    expect(page.get_by_label("所属行业")).to_be_disabled()
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("企业信息已保存")).to_be_visible()
    expect(page.get_by_test_id("industry")).to_contain_text("34 通用设备制造业")


def test_incomplete_demo_enterprise_completes_its_profile(page, live_server, demo_enterprises):
    sign_in(page, live_server, "qiye_demo_bj")
    page.goto("/enterprise/")
    expect(page.get_by_test_id("missing-fields")).to_be_visible()
    page.get_by_role("link", name="编辑", exact=True).click()
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
    expect(page.get_by_text("企业信息已保存")).to_be_visible()
    expect(page.get_by_test_id("region")).to_have_text("北京市 海淀区")
    expect(page.get_by_test_id("missing-fields")).to_have_count(0)


def test_region_error_is_visible_next_to_the_picker(page, live_server, demo_enterprises):
    sign_in(page, live_server, "qiye_demo_bj")
    page.goto("/enterprise/edit/")
    page.get_by_label("请选择省份").select_option(label="北京市")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("“注册地”请选择到区县一级")).to_be_visible()
