"""Browser: a verified enterprise user opens 企业信息, 【编辑】s it with the cascading region picker
and the industry picker, saves, and finds the values and a dated version in the history."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from portal.reference.models import Industry, Region
from tests.enterprises.factories import EnterpriseFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def reference_rows(transactional_db):
    gd = Region.objects.create(code="440000", name="广东省", level="province")
    Region.objects.create(code="330000", name="浙江省", level="province")
    sz = Region.objects.create(code="440300", name="深圳市", level="prefecture", parent=gd)
    Region.objects.create(code="440100", name="广州市", level="prefecture", parent=gd)
    Region.objects.create(code="440305", name="南山区", level="county", parent=sz)
    Region.objects.create(code="440304", name="福田区", level="county", parent=sz)
    section = Industry.objects.create(
        code="C", name="制造业", level="section", questionnaire_category="manufacturing"
    )
    Industry.objects.create(
        code="39",
        name="计算机、通信和其他电子设备制造业",
        level="division",
        parent=section,
        questionnaire_category="manufacturing",
    )


@pytest.fixture
def signed_in_page(page, live_server, reference_rows):
    """The enterprise user's session, set as a cookie (independent of the login form's factors)."""
    user = UserFactory(username="qiye_e2e_profile")
    EnterpriseFactory(owner=user, name="深圳市浏览器测试科技有限公司")
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return page


def test_edit_profile_with_cascading_region_and_industry(signed_in_page):
    page = signed_in_page
    page.goto("/enterprise/")
    expect(page.get_by_role("heading", name=re.compile("企业信息"), level=1)).to_be_visible()
    expect(page.get_by_text("深圳市浏览器测试科技有限公司")).to_be_visible()
    expect(page.get_by_test_id("missing-fields")).to_be_visible()

    page.get_by_role("link", name="编辑", exact=True).click()
    expect(page.get_by_role("heading", name="编辑企业信息")).to_be_visible()

    page.get_by_label("请选择省份").select_option(label="广东省")
    page.get_by_label("请选择城市").select_option(label="深圳市")  # filled from /reference/regions/children/
    page.get_by_label("请选择区县").select_option(label="南山区")
    page.get_by_label("所属行业").select_option(label="39 计算机、通信和其他电子设备制造业")
    page.get_by_label("成立日期").fill("2015-06-01")
    page.get_by_label("注册资本（万元）").fill("1200.5")
    page.get_by_label("企业规模").select_option(label="小型")
    page.get_by_label("从业人员数（人）").fill("120")
    page.get_by_label("主要产品（服务）").fill("工业传感器")
    page.get_by_label("联系人").fill("李四")
    page.get_by_label("联系电话").fill("13812345678")
    page.get_by_label("联系邮箱").fill("li@example.cn")
    page.get_by_label("通讯地址").fill("深圳市南山区科技园1号")
    page.get_by_role("button", name="保存").click()

    expect(page.get_by_text("企业信息已保存")).to_be_visible()
    expect(page.get_by_test_id("region")).to_have_text("广东省 深圳市 南山区")
    expect(page.get_by_test_id("industry")).to_contain_text("39 计算机、通信和其他电子设备制造业")
    expect(page.get_by_test_id("industry")).to_contain_text("数字化水平评测：制造业")
    expect(page.get_by_test_id("missing-fields")).to_have_count(0)

    page.get_by_role("link", name="历史版本").click()
    version = page.get_by_test_id("version-1")
    expect(version).to_contain_text("编辑")
    expect(version).to_contain_text("qiye_e2e_profile")
    expect(version).to_contain_text("广东省 深圳市 南山区")
    expect(version).to_contain_text(re.compile(r"\d{4}年\d{1,2}月\d{1,2}日"))


def test_bad_input_keeps_everything_typed(signed_in_page):
    page = signed_in_page
    page.goto("/enterprise/edit/")
    page.get_by_label("请选择省份").select_option(label="广东省")
    page.get_by_label("请选择城市").select_option(label="深圳市")
    page.get_by_label("请选择区县").select_option(label="福田区")
    page.get_by_label("联系人").fill("王小二")
    page.get_by_label("联系电话").fill("12345")
    page.get_by_role("button", name="保存").click()

    expect(page.get_by_text("联系电话格式不正确")).to_be_visible()
    expect(page.get_by_text("请填写“通讯地址”。")).to_be_visible()
    expect(page.get_by_label("联系人")).to_have_value("王小二")
    expect(page.get_by_label("联系电话")).to_have_value("12345")
    expect(page.get_by_label("请选择区县")).to_have_value("440304")
