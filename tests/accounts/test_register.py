import pytest
from django.contrib.auth import get_user_model

from portal.accounts import sms
from portal.accounts.models import Account
from portal.accounts.sms import SmsSendError
from tests.accounts.factories import AccountFactory, error_codes, last_code, other_code

pytestmark = pytest.mark.django_db
URL = "/accounts/register/"
PHONE = "13912345678"


def send_code(client, **extra):
    return client.post(
        URL,
        {
            "phone": PHONE,
            "captcha_0": "x",
            "captcha_1": "PASSED",
            "action": "send_code",
            "username": "qiyezhang",
            **extra,
        },
    )


def register(client, **overrides):
    data = {
        "phone": PHONE,
        "code": last_code(PHONE),
        "username": "qiyezhang",
        "password1": "Sme-Portal-2026",
        "password2": "Sme-Portal-2026",
        "action": "register",
        **overrides,
    }
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


def test_send_code_requires_the_captcha_and_shows_the_error(client):
    response = client.post(
        URL, {"phone": PHONE, "captcha_0": "x", "captcha_1": "WRONG", "action": "send_code"}
    )
    assert error_codes(response, "captcha") == {"captcha_invalid"}
    # visible: the answer box is marked invalid, so Bootstrap shows the message under it
    html = response.content.decode()
    assert 'gap-2 is-invalid">' in html and 'class="form-control is-invalid"' in html
    assert sms.outbox == []


def test_send_code_refuses_a_registered_phone(client):
    AccountFactory(phone=PHONE)
    response = send_code(client)
    assert error_codes(response, "phone") == {"phone_taken"}
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
    response = register(client, code=other_code(last_code(PHONE)))
    assert error_codes(response, "code") == {"code_invalid"}
    html = response.content.decode()
    assert 'value="qiyezhang"' in html and "Sme-Portal-2026" not in html
    assert not Account.objects.exists()


def test_sixth_registration_guess_is_refused_even_when_right(client):
    """register_account checks the code inside its transaction: the wrong tries must still count."""
    send_code(client)
    code = last_code(PHONE)
    for _ in range(4):
        assert error_codes(register(client, code=other_code(code)), "code") == {"code_invalid"}
    assert error_codes(register(client, code=other_code(code)), "code") == {"code_burned"}
    assert error_codes(register(client, code=code), "code") == {"code_burned"}
    assert not Account.objects.exists()


def test_register_double_submit_creates_one_account(client):
    send_code(client)
    code = last_code(PHONE)
    register(client, code=code)
    client.logout()
    response = register(client, code=code)
    assert error_codes(response, "phone") == {"phone_taken"}
    assert Account.objects.count() == 1


def test_register_applies_password_validators(client):
    send_code(client)
    response = register(client, password1="12345678", password2="12345678")
    assert {"password_entirely_numeric", "password_too_common"} <= error_codes(response, "password1")
    assert not Account.objects.exists()


def test_register_rejects_mismatched_passwords(client):
    send_code(client)
    response = register(client, password2="Other-Pass-2026")
    assert error_codes(response, "password2") == {"password_mismatch"}


def test_register_rejects_taken_username(client):
    AccountFactory(user__username="qiyezhang")
    send_code(client)
    response = register(client)
    assert error_codes(response, "username") == {"username_taken"}


def test_throttled_resend_is_reported(client):
    send_code(client)
    response = send_code(client)
    assert error_codes(response) == {"resend_too_soon"}
    assert len(sms.outbox) == 1


def test_gateway_failure_shows_message_and_keeps_input(client, monkeypatch):
    from portal.accounts.sms.backends import locmem

    def fail(self, message):
        raise SmsSendError("down")

    monkeypatch.setattr(locmem.SmsBackend, "send", fail)
    response = send_code(client)
    assert error_codes(response) == {"sms_send_failed"}
    html = response.content.decode()
    assert f'value="{PHONE}"' in html and 'value="qiyezhang"' in html
