"""Browser: register with an SMS code read from the file backend → 实名认证 as 法人 → log in with
登录名 + 密码 + 短信验证码 → edit the enterprise profile (企业信息) with the cascading pickers."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import make_id_number, make_uscc
from tests.e2e.helpers import field, licence_png

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = "13912340000"
PASSWORD = "Sme-Portal-2026"


@pytest.fixture
def sms_files(settings, tmp_path):
    settings.SMS_BACKEND = "portal.accounts.sms.backends.file.SmsBackend"
    settings.SMS_FILE_PATH = tmp_path / "sms-outbox"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    from django.core.cache import cache

    cache.clear()
    return settings.SMS_FILE_PATH


def latest_code(folder, phone: str) -> str:
    files = sorted(folder.glob(f"*-{phone}-*.txt"))
    assert files, "no SMS file written"
    text = files[-1].read_text(encoding="utf-8")
    assert f"phone: {phone}" in text
    return re.search(r"验证码为 (\d{6})", text).group(1)


@pytest.fixture
def reference_rows(transactional_db):
    from portal.reference.models import Industry, Region

    js = Region.objects.create(code="320000", name="江苏省", level="province")
    sz = Region.objects.create(code="320500", name="苏州市", level="prefecture", parent=js)
    Region.objects.create(code="320582", name="张家港市", level="county", parent=sz)
    section = Industry.objects.create(
        code="C", name="制造业", level="section", questionnaire_category="manufacturing"
    )
    Industry.objects.create(
        code="34",
        name="通用设备制造业",
        level="division",
        parent=section,
        questionnaire_category="manufacturing",
    )


def fill_profile(page) -> None:
    page.goto("/enterprise/")
    page.get_by_role("link", name="编辑", exact=True).click()
    page.get_by_label("请选择省份").select_option(label="江苏省")
    page.get_by_label("请选择城市").select_option(label="苏州市")
    page.get_by_label("请选择区县").select_option(label="张家港市")
    page.get_by_label("所属行业").select_option(label="34 通用设备制造业")
    page.get_by_label("成立日期").fill("2012-03-15")
    page.get_by_label("注册资本（万元）").fill("3000")
    page.get_by_label("企业规模").select_option(label="中型")
    page.get_by_label("从业人员数（人）").fill("260")
    page.get_by_label("主要产品（服务）").fill("精密减速机")
    page.get_by_label("联系人").fill("王五")
    page.get_by_label("联系电话").fill("13912340000")
    page.get_by_label("联系邮箱").fill("wangwu@example.cn")
    page.get_by_label("通讯地址").fill("江苏省张家港市经济开发区1号")
    page.get_by_role("button", name="保存").click()


def test_register_verify_as_legal_person_and_log_in(page, new_context, sms_files, reference_rows):
    uscc = make_uscc(region="320582")

    # 注册: 手机号 → 【获取验证码】 → 验证码, 登录名, 密码 → 注册
    page.goto("/accounts/register/")
    field(page, "手机号").fill(PHONE)
    field(page, "图形验证码").fill("PASSED")
    field(page, "登录名").fill("suzhoujingmi")
    page.get_by_role("button", name="获取验证码").click()
    expect(page.get_by_text("验证码已发送至 139****0000")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("获取验证码"))).to_be_disabled()  # resend countdown
    expect(field(page, "登录名")).to_have_value("suzhoujingmi")
    field(page, "验证码").fill(latest_code(sms_files, PHONE))
    field(page, "密码").fill(PASSWORD)
    field(page, "确认密码").fill(PASSWORD)
    page.get_by_role("button", name="注册", exact=True).click()
    expect(page.get_by_role("heading", name="注册成功")).to_be_visible()

    # 【立即认证】 → 实名认证 as 法人
    page.get_by_role("link", name="立即认证").click()
    expect(page.get_by_role("heading", name="实名认证")).to_be_visible()
    page.get_by_label("法人", exact=True).check()
    field(page, "企业名称").fill("苏州测试精密机械有限公司")
    field(page, "统一社会信用代码").fill(uscc)
    field(page, "法定代表人姓名").fill("张三")
    field(page, "法定代表人身份证号").fill(make_id_number())
    field(page, "营业执照").set_input_files(licence_png())
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_text("实名认证成功")).to_be_visible()
    expect(page.get_by_text("已完成实名认证（法人）")).to_be_visible()

    # another browser: 登录名 + 密码 + 短信验证码
    other = new_context().new_page()
    other.goto("/accounts/login/")
    field(other, "登录名").fill("suzhoujingmi")
    field(other, "图形验证码").fill("PASSED")
    other.get_by_role("button", name="获取短信验证码").click()
    expect(other.get_by_text("短信验证码已发送")).to_be_visible()
    field(other, "密码").fill(PASSWORD)
    field(other, "短信验证码").fill(latest_code(sms_files, PHONE))
    other.get_by_role("button", name="登录", exact=True).click()
    other.wait_for_url(re.compile(r"/$"))
    other.goto("/accounts/settings/")
    expect(other.get_by_role("heading", name="账号设置")).to_be_visible()
    expect(other.get_by_text("139****0000")).to_be_visible()
    expect(other.get_by_text("已实名认证（法人）")).to_be_visible()

    # 企业信息: name and USCC come from the verification; 【编辑】 the rest
    fill_profile(other)
    expect(other.get_by_text("企业信息已保存")).to_be_visible()
    expect(other.get_by_text("苏州测试精密机械有限公司")).to_be_visible()
    expect(other.get_by_test_id("region")).to_have_text("江苏省 苏州市 张家港市")
    expect(other.get_by_test_id("industry")).to_contain_text("数字化水平评测：制造业")

    # and by USCC as the login name, now that the account is verified
    third = new_context().new_page()
    third.goto("/accounts/login/")
    field(third, "登录名").fill(uscc)
    field(third, "图形验证码").fill("PASSED")
    from django.core.cache import cache

    cache.delete(f"accounts:sms:resend:login:{PHONE}")
    third.get_by_role("button", name="获取短信验证码").click()
    expect(third.get_by_text("短信验证码已发送")).to_be_visible()
    field(third, "密码").fill(PASSWORD)
    field(third, "短信验证码").fill(latest_code(sms_files, PHONE))
    third.get_by_role("button", name="登录", exact=True).click()
    third.wait_for_url(re.compile(r"/$"))
    third.goto("/accounts/settings/")
    expect(third.get_by_text("suzhoujingmi").first).to_be_visible()


def test_gateway_failure_keeps_what_was_typed(page, sms_files, settings):
    settings.SMS_BACKEND = "portal.accounts.sms.backends.http.SmsBackend"
    settings.SMS_HTTP_URL = "http://127.0.0.1:9/send"
    settings.SMS_HTTP_TIMEOUT = 0.5
    page.goto("/accounts/register/")
    field(page, "手机号").fill(PHONE)
    field(page, "图形验证码").fill("PASSED")
    field(page, "登录名").fill("suzhoujingmi")
    page.get_by_role("button", name="获取验证码").click()
    expect(page.get_by_text("短信发送失败，请稍后重试")).to_be_visible()
    expect(field(page, "手机号")).to_have_value(PHONE)
    expect(field(page, "登录名")).to_have_value("suzhoujingmi")
