import re

import pytest
from django.core import mail
from wagtail.models import ModelLogEntry

from portal.accounts import sms
from tests.accounts.factories import VerifiedLegalAccountFactory, last_code

pytestmark = pytest.mark.django_db
URL = "/accounts/recover/"


@pytest.fixture
def account():
    return VerifiedLegalAccountFactory(user__username="qiyelost", real_name="张三", email="zhang@example.com")


def identify(client, account, name="张三", identifier=None):
    return client.post(URL, {"identifier": identifier or account.uscc, "name": name, "captcha_0": "x",
                             "captcha_1": "PASSED"})


def test_recover_by_uscc_and_phone_code(client, account):
    assert identify(client, account).status_code == 302
    page = client.get("/accounts/recover/reset/").content.decode()
    assert "138****" in page and account.phone not in page and "z***@example.com" in page
    client.post("/accounts/recover/reset/", {"captcha_0": "x", "captcha_1": "PASSED", "action": "send_code"})
    assert sms.outbox[-1].phone == account.phone
    response = client.post("/accounts/recover/reset/", {
        "code": last_code(account.phone), "new_password1": "New-Sme-Pass-2026", "new_password2": "New-Sme-Pass-2026",
        "action": "reset"})
    assert "您的登录名为 qiyelost" in response.content.decode()
    account.user.refresh_from_db()
    assert account.user.check_password("New-Sme-Pass-2026")
    assert ModelLogEntry.objects.filter(action="accounts.account_recovered").exists()
    assert "登录名为 qiyelost" in sms.outbox[-1].text


def test_recover_wrong_name_says_information_wrong_and_points_to_manual(client, account):
    response = identify(client, account, name="李四")
    html = response.content.decode()
    assert "信息有误" in html and "/accounts/phone-change/?method=manual" in html


def test_recover_reset_without_step_one_redirects(client):
    assert client.get("/accounts/recover/reset/")["Location"] == "/accounts/recover/"


def test_recover_reset_wrong_code(client, account):
    identify(client, account)
    client.post("/accounts/recover/reset/", {"captcha_0": "x", "captcha_1": "PASSED", "action": "send_code"})
    response = client.post("/accounts/recover/reset/", {
        "code": "000000" if last_code(account.phone) != "000000" else "111111",
        "new_password1": "New-Sme-Pass-2026", "new_password2": "New-Sme-Pass-2026", "action": "reset"})
    assert "验证码不正确" in response.content.decode()
    account.user.refresh_from_db()
    assert not account.user.check_password("New-Sme-Pass-2026")


def test_recover_by_email_link(client, account):
    identify(client, account)
    client.post("/accounts/recover/reset/", {"action": "email"})
    link = re.search(r"http://testserver(/accounts/recover/email/\S+/)", mail.outbox[-1].body).group(1)
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    response = client.post(form_url, {"new_password1": "New-Sme-Pass-2026", "new_password2": "New-Sme-Pass-2026"})
    assert response.status_code == 302
    account.user.refresh_from_db()
    assert account.user.check_password("New-Sme-Pass-2026")
    assert ModelLogEntry.objects.filter(action="accounts.account_recovered").exists()
