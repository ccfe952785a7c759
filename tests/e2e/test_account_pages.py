"""Browser: what a newcomer hits on the account pages (issue 9, items 3, 11, 13, 16) and the
admin's login refusing an enterprise account (issue 8, item 2)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.accounts.factories import PASSWORD, AccountFactory, make_id_number, make_uscc, wrong_check
from tests.e2e.helpers import field, licence_png

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = Path(__file__).resolve().parent.parent.parent / ".test-media" / "screenshots"


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def fresh(settings, tmp_path):
    from django.core.cache import cache

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    cache.clear()


def sign_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_a_wrong_captcha_is_shown_and_a_failed_login_calls_no_captcha_wrong(page, fresh, settings):
    page.goto("/accounts/register/")
    field(page, "手机号").fill("13912340001")
    field(page, "图形验证码").fill("WRONG")
    page.get_by_role("button", name="获取验证码").click()
    expect(page.get_by_text("图形验证码不正确")).to_be_visible()
    shot(page, "register-captcha-error")

    settings.ACCOUNTS_LOGIN_CAPTCHA_AFTER = 1
    AccountFactory(user__username="qiyecaptcha")
    page.goto("/accounts/login/")
    field(page, "登录名").fill("qiyecaptcha")
    field(page, "图形验证码").fill("PASSED")
    field(page, "密码").fill("wrong-password")
    field(page, "短信验证码").fill("123456")
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page.get_by_text(re.compile("登录名或密码不正确"))).to_be_visible()
    expect(page.get_by_text("登录失败次数较多，请同时输入图形验证码。")).to_be_visible()
    expect(page.get_by_text("图形验证码不正确")).to_have_count(0)
    expect(field(page, "登录名")).to_have_value("qiyecaptcha")
    shot(page, "login-after-failure")


def test_realname_as_legal_person_keeps_the_licence_and_links_onward(page, live_server, fresh):
    account = AccountFactory(user__username="qiyerealname")
    sign_in(page, live_server, account.user)
    page.goto("/accounts/realname/")
    # the 法人-only fields carry the manual's *, and step aside for 自然人
    for label in ("企业名称", "统一社会信用代码", "营业执照"):
        expect(page.locator(f"label:has-text('{label}') .asteriskField")).to_be_visible()
    page.get_by_label("自然人", exact=True).check()
    expect(field(page, "企业名称")).to_be_hidden()
    page.get_by_label("法人", exact=True).check()
    expect(field(page, "企业名称")).to_be_visible()

    field(page, "企业名称").fill("苏州浏览器精密机械有限公司")
    field(page, "统一社会信用代码").fill(make_uscc(region="320582"))
    field(page, "法定代表人姓名").fill("张三")
    field(page, "法定代表人身份证号").fill(wrong_check(make_id_number()))
    field(page, "营业执照").set_input_files(licence_png())
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_text("身份证号校验位不正确，请核对后重新输入。")).to_be_visible()
    expect(page.get_by_text("已上传：营业执照.png（如需更换，请重新选择文件）")).to_be_visible()
    shot(page, "realname-kept-licence")

    field(page, "法定代表人身份证号").fill(make_id_number())
    page.get_by_role("button", name="提交").click()  # the licence is not chosen again
    expect(page.get_by_text("实名认证成功")).to_be_visible()
    expect(page.get_by_role("link", name="进入企业中心")).to_have_attribute(
        "href", re.compile(r"/enterprise/home/$")
    )
    shot(page, "realname-success")
    page.get_by_role("link", name="完善企业信息").click()
    expect(page).to_have_url(re.compile(r"/enterprise/$"))
    expect(page.get_by_text("苏州浏览器精密机械有限公司")).to_be_visible()


def test_phone_change_shows_manual_fields_only_for_manual_review_and_says_a_used_link_is_dead(page, fresh):
    page.goto("/accounts/phone-change/")
    expect(page.get_by_label("邮箱核验")).to_be_checked()
    expect(field(page, "证明材料")).to_be_hidden()
    expect(field(page, "法定代表人姓名")).to_be_hidden()
    page.get_by_label("人工核验").check()
    expect(field(page, "证明材料")).to_be_visible()
    expect(field(page, "法定代表人姓名")).to_be_visible()
    shot(page, "phone-change-manual")

    page.goto("/accounts/phone-change/confirm/not-a-real-token/")
    expect(page.get_by_text("链接无效或已使用。")).to_be_visible()
    expect(page.get_by_role("button", name="确认修改手机号")).to_have_count(0)
    expect(page.get_by_role("link", name="重新申请手机号修改")).to_be_visible()


def test_the_admin_login_refuses_an_enterprise_account(page, fresh):
    AccountFactory(user__username="qiyeadmin", phone="13912340002")
    page.goto("/admin/login/")
    page.get_by_label(re.compile(r"^\s*登录名")).fill("qiyeadmin")
    page.get_by_label(re.compile(r"^\s*图形验证码")).fill("PASSED")
    page.get_by_role("button", name="获取短信验证码").click()
    expect(page.get_by_text("短信验证码已发送")).to_be_visible()  # the same answer as for staff …
    from portal.accounts import sms

    assert [message.phone for message in sms.outbox] == []  # … but nothing was sent
    page.get_by_label(re.compile(r"^\s*密码")).fill(PASSWORD)
    page.get_by_label(re.compile(r"^\s*短信验证码")).fill("123456")
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page.get_by_text(re.compile("登录名或密码不正确"))).to_be_visible()
    page.wait_for_timeout(1500)  # the admin fades its messages in
    shot(page, "admin-login-refused")
    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/admin/login/"))


# Each page with a 图形验证码, how to reach the button that checks it, and what to type first.
CAPTCHA_PAGES = {
    "register": ("/accounts/register/", {"手机号": "13912340011"}, "获取验证码"),
    "login": ("/accounts/login/", {"登录名": "qiyecaptcha2"}, "获取短信验证码"),
    "recover": (
        "/accounts/recover/",
        {"统一社会信用代码或身份证号": "91320582MA1XXXXXX0", "法定代表人姓名": "张三"},
        "下一步",
    ),
    "phone_change": (
        "/accounts/phone-change/",
        {"登录名": "qiyecaptcha2", "新手机号": "13912340012"},
        "获取验证码",
    ),
}


@pytest.mark.parametrize("answer", ["WRONG", ""], ids=["wrong", "empty"])
@pytest.mark.parametrize("name", list(CAPTCHA_PAGES))
def test_a_wrong_or_empty_captcha_is_said_visibly_on_every_page_that_asks_for_one(page, fresh, name, answer):
    AccountFactory(user__username="qiyecaptcha2")
    url, typed, button = CAPTCHA_PAGES[name]
    page.goto(url)
    for label, value in typed.items():
        field(page, label).fill(value)
    field(page, "图形验证码").fill(answer)
    page.get_by_role("button", name=button, exact=True).click()
    message = "图形验证码不正确。" if answer else "请输入图形验证码。"
    feedback = page.locator(".invalid-feedback", has_text=message)
    expect(feedback).to_be_visible()
    expect(field(page, "图形验证码")).to_have_attribute("aria-invalid", "true")
    expect(field(page, "图形验证码")).to_have_value("")  # a new image: the answer is typed again
    for label, value in typed.items():
        expect(field(page, label)).to_have_value(value)  # nothing else typed is lost
    shot(page, f"captcha-{name}-{answer or 'empty'}")


def test_the_login_page_says_what_a_legal_person_logs_in_with(page, fresh):
    """Issue 9, item 12: the hint names what is accepted, and the legal representative's ID number
    typed as a 法人's login name gets an error that says what to use instead."""
    from tests.accounts.factories import VerifiedLegalAccountFactory

    account = VerifiedLegalAccountFactory(real_name="张三")
    from portal.enterprises.services import register_verified_enterprise

    legal_rep_id = make_id_number()
    register_verified_enterprise(
        user=account.user,
        name="深圳登录提示有限公司",
        uscc=account.uscc,
        legal_representative="张三",
        legal_representative_id=legal_rep_id,
    )
    page.goto("/accounts/login/")
    expect(page.get_by_text("法定代表人的身份证号不能用于登录法人账号")).to_be_visible()
    field(page, "登录名").fill(legal_rep_id)
    field(page, "图形验证码").fill("PASSED")
    page.get_by_role("button", name="获取短信验证码").click()
    field(page, "密码").fill(PASSWORD)
    field(page, "短信验证码").fill("123456")
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("法人账号请使用登录名或统一社会信用代码")
    shot(page, "login-legal-representative-id")
