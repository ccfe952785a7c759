import pytest
from django.contrib.auth import get_user_model

from portal.accounts import sms
from portal.accounts.models import Account
from portal.accounts.sms import SmsSendError
from tests.accounts.factories import AccountFactory, last_code

pytestmark = pytest.mark.django_db
URL = "/accounts/register/"
PHONE = "13912345678"


def send_code(client, **extra):
    return client.post(URL, {"phone": PHONE, "captcha_0": "x", "captcha_1": "PASSED", "action": "send_code",
                             "username": "qiyezhang", **extra})


def register(client, **overrides):
    data = {"phone": PHONE, "code": last_code(PHONE), "username": "qiyezhang", "password1": "Sme-Portal-2026",
            "password2": "Sme-Portal-2026", "action": "register", **overrides}
    return client.post(URL, data)


def test_register_page_shows_the_manual_fields(client):
    html = client.get(URL).content.decode()
    for label in ("手机号", "获取验证码", "验证码", "登录名", "密码", "图形验证码", "注册"):
        assert label in html


def test_send_code_keeps_what_was_typed(client):
    response = send_code(client)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'value="{PHONE}"' in html and 'value="qiyezhang"' in html
    assert len(sms.outbox) == 1


def test_send_code_requires_the_captcha(client):
    response = client.post(URL, {"phone": PHONE, "captcha_0": "x", "captcha_1": "WRONG", "action": "send_code"})
    assert "图形验证码不正确" in response.content.decode()
    assert sms.outbox == []


def test_send_code_refuses_a_registered_phone(client):
    AccountFactory(phone=PHONE)
    response = send_code(client)
    assert "该手机号已注册" in response.content.decode()
    assert sms.outbox == []


def test_register_happy_path_logs_in_and_offers_verification(client):
    send_code(client)
    response = register(client)
    assert response.status_code == 302 and response["Location"] == "/accounts/register/done/"
    user = get_user_model().objects.get(username="qiyezhang")
    assert user.account.phone == PHONE and user.check_password("Sme-Portal-2026")
    page = client.get(response["Location"]).content.decode()
    assert "立即认证" in page and "/accounts/realname/" in page


def test_register_rejects_wrong_code_and_keeps_input_but_not_password(client):
    send_code(client)
    wrong = f"{(int(last_code(PHONE)) + 1) % 10**6:06d}"
    response = register(client, code=wrong)
    html = response.content.decode()
    assert "验证码不正确" in html
    assert 'value="qiyezhang"' in html and "Sme-Portal-2026" not in html
    assert not Account.objects.exists()


def test_register_double_submit_creates_one_account(client):
    send_code(client)
    code = last_code(PHONE)
    register(client, code=code)
    client.logout()
    response = register(client, code=code)
    assert response.status_code == 200
    assert Account.objects.count() == 1


def test_register_applies_password_validators(client):
    send_code(client)
    response = register(client, password1="12345678", password2="12345678")
    assert response.status_code == 200 and not Account.objects.exists()
    assert "errorlist" in response.content.decode() or "invalid-feedback" in response.content.decode()


def test_register_rejects_mismatched_passwords(client):
    send_code(client)
    response = register(client, password2="Other-Pass-2026")
    assert "两次输入的密码不一致" in response.content.decode()


def test_register_rejects_taken_username(client):
    AccountFactory(user__username="qiyezhang")
    send_code(client)
    response = register(client)
    assert "该登录名已被使用" in response.content.decode()


def test_throttled_resend_is_reported(client):
    send_code(client)
    response = send_code(client)
    assert "验证码发送过于频繁" in response.content.decode()
    assert len(sms.outbox) == 1


def test_gateway_failure_shows_message_and_keeps_input(client, monkeypatch):
    from portal.accounts.sms.backends import locmem

    def fail(self, message):
        raise SmsSendError("down")

    monkeypatch.setattr(locmem.SmsBackend, "send", fail)
    response = send_code(client)
    html = response.content.decode()
    assert "短信发送失败，请稍后重试" in html
    assert f'value="{PHONE}"' in html and 'value="qiyezhang"' in html
