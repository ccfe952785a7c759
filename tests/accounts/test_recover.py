import re

import pytest
from django.core import mail
from wagtail.models import ModelLogEntry

from portal.accounts import sms
from tests.accounts.factories import VerifiedLegalAccountFactory, error_codes, last_code, other_code

pytestmark = pytest.mark.django_db
URL = "/accounts/recover/"
RESET = "/accounts/recover/reset/"
NEW_PASSWORD = "New-Sme-Pass-2026"


@pytest.fixture
def account():
    return VerifiedLegalAccountFactory(user__username="qiyelost", real_name="张三", email="zhang@example.com")


def identify(client, account, name="张三", identifier=None):
    return client.post(
        URL, {"identifier": identifier or account.uscc, "name": name, "captcha_0": "x", "captcha_1": "PASSED"}
    )


def send_code(client):
    return client.post(RESET, {"captcha_0": "x", "captcha_1": "PASSED", "action": "send_code"})


def reset(client, code):
    return client.post(
        RESET, {"code": code, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD, "action": "reset"}
    )


def test_recover_by_uscc_and_phone_code(client, account, django_capture_on_commit_callbacks):
    assert identify(client, account).status_code == 302
    page = client.get(RESET).content.decode()
    assert "138****" in page and account.phone not in page and "z***@example.com" in page
    send_code(client)
    assert sms.outbox[-1].phone == account.phone
    with django_capture_on_commit_callbacks(execute=True):
        response = reset(client, last_code(account.phone))
    assert response.context["username"] == "qiyelost"
    account.user.refresh_from_db()
    assert account.user.check_password(NEW_PASSWORD)
    assert ModelLogEntry.objects.filter(action="accounts.account_recovered").exists()
    assert sms.outbox[-1].template_name == "password_reset" and "登录名为 qiyelost" in sms.outbox[-1].text


def test_recover_wrong_name_says_information_wrong_and_points_to_manual(client, account):
    response = identify(client, account, name="李四")
    assert response.context["mismatch_code"] == "info_mismatch"
    assert "/accounts/phone-change/?method=manual" in response.content.decode()


def test_recover_reset_without_step_one_redirects(client):
    assert client.get(RESET)["Location"] == "/accounts/recover/"


def test_recover_reset_wrong_code(client, account):
    identify(client, account)
    send_code(client)
    response = reset(client, other_code(last_code(account.phone)))
    assert error_codes(response, "code") == {"code_invalid"}
    account.user.refresh_from_db()
    assert not account.user.check_password(NEW_PASSWORD)


def test_sixth_recovery_guess_is_refused_even_when_right(client, account):
    """The takeover of issue 8: 30 wrong guesses, then the right one, used to reset any password."""
    identify(client, account)
    send_code(client)
    code = last_code(account.phone)
    for _ in range(4):
        assert error_codes(reset(client, other_code(code)), "code") == {"code_invalid"}
    assert error_codes(reset(client, other_code(code)), "code") == {"code_burned"}
    assert error_codes(reset(client, code), "code") == {"code_burned"}
    account.user.refresh_from_db()
    assert not account.user.check_password(NEW_PASSWORD)


def test_recover_by_email_link(client, account, django_capture_on_commit_callbacks):
    identify(client, account)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(RESET, {"action": "email"}).context["email_sent"]
    link = re.search(r"http://testserver(/accounts/recover/email/\S+/)", mail.outbox[-1].body).group(1)
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    account.user.refresh_from_db()
    assert account.user.check_password(NEW_PASSWORD)
    assert ModelLogEntry.objects.filter(action="accounts.account_recovered").exists()


def test_a_password_reset_by_email_is_kept_only_with_its_audit_entry(
    client, account, django_capture_on_commit_callbacks, monkeypatch
):
    from portal.accounts import services

    identify(client, account)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(RESET, {"action": "email"})
    link = re.search(r"http://testserver(/accounts/recover/email/\S+/)", mail.outbox[-1].body).group(1)
    form_url = client.get(link)["Location"]

    def fail(**kwargs):
        raise RuntimeError("audit log down")

    monkeypatch.setattr(services, "record_password_reset_by_email", fail)
    with pytest.raises(RuntimeError):
        client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    account.user.refresh_from_db()
    assert not account.user.check_password(NEW_PASSWORD)


def test_recovery_email_is_throttled(client, account, django_capture_on_commit_callbacks):
    """Twenty mails in two seconds used to go out; now one a minute (and five a day)."""
    identify(client, account)
    with django_capture_on_commit_callbacks(execute=True):
        responses = [client.post(RESET, {"action": "email"}) for _ in range(20)]
    assert len(mail.outbox) == 1
    assert {response.context.get("email_error_code") for response in responses[1:]} == {"email_too_soon"}
