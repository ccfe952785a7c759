import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings

from portal.accounts import sms
from tests.accounts.factories import PASSWORD, AccountFactory, VerifiedLegalAccountFactory, last_code

pytestmark = pytest.mark.django_db
URL = "/accounts/login/"


def send_code(client, login_name, captcha="PASSED"):
    return client.post(URL, {"username": login_name, "captcha_0": "x", "captcha_1": captcha, "action": "send_code"})


def log_in(client, login_name, password=PASSWORD, code=None, **extra):
    return client.post(URL, {"username": login_name, "password": password, "sms_code": code or "", "action": "login",
                             **extra})


@pytest.fixture
def account():
    return AccountFactory(user__username="qiyelogin")


def test_login_with_password_and_sms_code(client, account):
    send_code(client, "qiyelogin")
    assert sms.outbox[-1].phone == account.phone
    response = log_in(client, "qiyelogin", code=last_code(account.phone), next="/faq/")
    assert response.status_code == 302 and response["Location"] == "/faq/"
    assert client.session["_auth_user_id"] == str(account.user.pk)


def test_login_by_uscc_once_verified(client):
    account = VerifiedLegalAccountFactory()
    send_code(client, account.uscc.lower())
    response = log_in(client, account.uscc, code=last_code(account.phone))
    assert response.status_code == 302


def test_login_by_id_number_for_verified_natural_person(client):
    account = AccountFactory(user_type="natural", verification_status="verified", id_number="11010519491231002X",
                             real_name="李四")
    send_code(client, "11010519491231002X")
    assert log_in(client, "11010519491231002x", code=last_code(account.phone)).status_code == 302


def test_uscc_of_unverified_account_is_not_a_login_name(client):
    account = AccountFactory(uscc="91350100M000100Y43")
    send_code(client, "91350100M000100Y43")
    assert sms.outbox == []
    response = log_in(client, "91350100M000100Y43", code="123456")
    assert response.status_code == 200 and account.user.pk


def test_send_code_for_unknown_name_answers_the_same_and_sends_nothing(client):
    response = send_code(client, "nobody")
    assert "短信验证码已发送" in response.content.decode()
    assert sms.outbox == []


def test_login_refuses_wrong_password(client, account):
    send_code(client, "qiyelogin")
    response = log_in(client, "qiyelogin", password="wrong", code=last_code(account.phone))
    html = response.content.decode()
    assert "登录名或密码不正确" in html and 'value="qiyelogin"' in html
    assert "_auth_user_id" not in client.session


def test_login_refuses_wrong_sms_code(client, account):
    send_code(client, "qiyelogin")
    wrong = f"{(int(last_code(account.phone)) + 1) % 10**6:06d}"
    response = log_in(client, "qiyelogin", code=wrong)
    assert "验证码不正确" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_refuses_without_sms_code(client, account):
    response = log_in(client, "qiyelogin")
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_login_refuses_a_reused_code(client, account):
    send_code(client, "qiyelogin")
    code = last_code(account.phone)
    assert log_in(client, "qiyelogin", code=code).status_code == 302
    client.post("/accounts/logout/")
    response = log_in(client, "qiyelogin", code=code)
    assert "验证码已使用" in response.content.decode()


def test_captcha_is_required_after_failures(client, account, settings):
    settings.ACCOUNTS_LOGIN_CAPTCHA_AFTER = 2
    for _ in range(2):
        log_in(client, "qiyelogin", password="wrong", code="000000")
    send_code(client, "qiyelogin")
    response = log_in(client, "qiyelogin", code=last_code(account.phone))
    assert response.status_code == 200 and "登录失败次数较多" in response.content.decode()
    send_code_response = log_in(client, "qiyelogin", code=last_code(account.phone), captcha_0="x", captcha_1="PASSED")
    assert send_code_response.status_code == 302


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_repeated_failures_lock_out_with_unlock_time(client, account):
    captcha = {"captcha_0": "x", "captcha_1": "PASSED"}
    for _ in range(2):
        assert log_in(client, "qiyelogin", password="wrong", code="000000", **captcha).status_code == 200
    response = log_in(client, "qiyelogin", password="wrong", code="000000", **captcha)
    assert response.status_code == 429
    html = response.content.decode()
    assert "账号已锁定" in html and "30 分钟" in html and "后再试" in html
    # the right password does not help while locked
    send_code(client, "qiyelogin")
    response = log_in(client, "qiyelogin", code=last_code(account.phone), captcha_0="x", captcha_1="PASSED")
    assert response.status_code == 429 and "_auth_user_id" not in client.session


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=2)
def test_wrong_sms_codes_count_towards_lockout(client, account):
    for _ in range(2):
        send_code(client, "qiyelogin")
        from django.core.cache import cache

        cache.delete(f"accounts:sms:resend:login:{account.phone}")
        response = log_in(client, "qiyelogin", code="000000", captcha_0="x", captcha_1="PASSED")
    assert response.status_code == 429


def test_logout_is_a_post(client, account):
    client.force_login(account.user)
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and "_auth_user_id" not in client.session


def test_authenticated_user_is_redirected_from_login(client, account):
    client.force_login(account.user)
    assert client.get(URL).status_code == 302


def test_session_ends_at_browser_close_and_after_idle_timeout(settings):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_MINUTES * 60


def test_client_login_still_works_for_other_tests(client):
    user = get_user_model().objects.create_user(username="plain", password=PASSWORD)
    assert client.login(username="plain", password=PASSWORD)
    assert user.pk
