"""The admin's login: password + SMS code to the staff member's phone, staff only (issue 8, item 2)."""

import pytest
from django.test import override_settings
from django.urls import resolve

from portal.accounts import sms
from portal.accounts.views import StaffLoginView
from tests.accounts.factories import (
    PASSWORD,
    AccountFactory,
    VerifiedLegalAccountFactory,
    error_codes,
    last_code,
    other_code,
    staff_with_phone,
)

pytestmark = pytest.mark.django_db
URL = "/admin/login/"
CAPTCHA = {"captcha_0": "x", "captcha_1": "PASSED"}
STAFF_PHONE = "13700000001"


def send_code(client, username):
    return client.post(URL, {"username": username, **CAPTCHA, "action": "send_code"})


def log_in(client, username, password=PASSWORD, code="", **extra):
    return client.post(
        URL, {"username": username, "password": password, "sms_code": code, "action": "login", **extra}
    )


@pytest.fixture
def reviewer():
    return staff_with_phone(username="shenhe", phone=STAFF_PHONE)


def test_the_admin_login_url_is_ours():
    assert resolve(URL).func.view_class is StaffLoginView


def test_staff_log_in_with_password_and_the_code_sent_to_their_phone(client, reviewer):
    page = client.get(URL)
    assert page.status_code == 200 and "工作人员登录" in page.content.decode()
    send_code(client, "shenhe")
    assert sms.outbox[-1].phone == STAFF_PHONE and "管理端登录" in sms.outbox[-1].text
    response = log_in(client, "shenhe", code=last_code(STAFF_PHONE))
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.session["_auth_user_id"] == str(reviewer.pk)
    assert client.get("/admin/").status_code == 200


def test_password_alone_gets_no_admin_session(client, reviewer):
    response = log_in(client, "shenhe")
    assert error_codes(response, "sms_code") == {"required"} and "_auth_user_id" not in client.session
    send_code(client, "shenhe")
    response = log_in(client, "shenhe", code=other_code(last_code(STAFF_PHONE)))
    assert error_codes(response, "sms_code") == {"code_invalid"} and "_auth_user_id" not in client.session


def test_sixth_admin_code_guess_is_refused_even_when_right(client, reviewer):
    send_code(client, "shenhe")
    code = last_code(STAFF_PHONE)
    answers = [
        error_codes(log_in(client, "shenhe", code=other_code(code), **CAPTCHA), "sms_code") for _ in range(5)
    ]
    assert answers == [{"code_invalid"}] * 4 + [{"code_burned"}]
    assert error_codes(log_in(client, "shenhe", code=code, **CAPTCHA), "sms_code") == {"code_burned"}
    assert "_auth_user_id" not in client.session


@override_settings(ACCOUNTS_LOGIN_SMS_REQUIRED=False)
def test_staff_need_the_code_even_when_the_site_login_does_not(client, reviewer):
    assert error_codes(log_in(client, "shenhe"), "sms_code") == {"required"}
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("identifier", ["username", "uscc"])
def test_an_enterprise_account_never_gets_an_admin_session(client, identifier):
    account = VerifiedLegalAccountFactory(user__username="qiyeadmin")
    login_name = account.uscc if identifier == "uscc" else "qiyeadmin"
    send_code(client, login_name)
    assert sms.outbox == []  # and no code is sent for it
    # even holding a valid enterprise login code
    from portal.accounts.codes import issue_sms_code

    issue_sms_code(phone=account.phone, purpose="login")
    response = log_in(client, login_name, code=last_code(account.phone))
    assert error_codes(response) == {"invalid_login"}
    assert "_auth_user_id" not in client.session


def test_a_code_for_the_enterprise_site_is_not_an_admin_code(client, reviewer):
    from portal.accounts.codes import issue_sms_code

    issue_sms_code(phone=STAFF_PHONE, purpose="login")
    response = log_in(client, "shenhe", code=last_code(STAFF_PHONE))
    assert error_codes(response, "sms_code") == {"code_missing"}


def test_staff_without_a_bound_phone_cannot_log_in(client, django_user_model):
    django_user_model.objects.create_superuser("nophone", "x@example.com", PASSWORD)
    response = log_in(client, "nophone", code="123456")
    assert error_codes(response) == {"no_phone"} and "_auth_user_id" not in client.session


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_the_admin_login_locks_out_like_the_site_login(client, reviewer):
    for _ in range(2):
        assert log_in(client, "shenhe", password="wrong", code="000000", **CAPTCHA).status_code == 200
    assert log_in(client, "shenhe", password="wrong", code="000000", **CAPTCHA).status_code == 429
    send_code(client, "shenhe")
    assert log_in(client, "shenhe", code=last_code(STAFF_PHONE), **CAPTCHA).status_code == 429


def test_unknown_names_get_the_same_answer_and_no_sms(client, reviewer):
    unknown = send_code(client, "nobody")
    known = send_code(client, "shenhe")
    assert [m.message for m in unknown.context["messages"]] == [m.message for m in known.context["messages"]]
    assert [message.phone for message in sms.outbox] == [STAFF_PHONE]


def test_wagtail_front_end_login_is_not_a_way_in(client):
    AccountFactory(user__username="qiyefront")
    response = client.post("/_util/login/", {"username": "qiyefront", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session


def test_admin_password_reset_by_email_is_off(client):
    assert client.get("/admin/password_reset/").status_code == 404


def test_a_superuser_binds_a_staff_phone_in_the_admin(client, admin_user, django_user_model):
    from wagtail.models import ModelLogEntry

    from portal.accounts.models import Account

    newcomer = django_user_model.objects.create_user("xinren", password=PASSWORD, is_staff=True)
    client.force_login(admin_user)
    bad = client.post("/admin/accounts/account/create/", {"user": newcomer.pk, "phone": "12345"})
    assert bad.status_code == 200 and not Account.objects.filter(user=newcomer).exists()
    response = client.post("/admin/accounts/account/create/", {"user": newcomer.pk, "phone": "13700000077"})
    assert response.status_code == 302
    assert Account.objects.get(user=newcomer).phone == "13700000077"
    assert ModelLogEntry.objects.filter(action="wagtail.create", content_type__model="account").exists()
    listing = client.get("/admin/accounts/account/").content.decode()
    assert "137****0077" in listing and "13700000077" not in listing


def test_staff_phones_register_lists_staff_only(client, admin_user):
    AccountFactory(user__username="qiyenotstaff", phone="13700000088")
    client.force_login(admin_user)
    assert "qiyenotstaff" not in client.get("/admin/accounts/account/").content.decode()
