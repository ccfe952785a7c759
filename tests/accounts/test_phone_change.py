import re

import pytest
from django.core import mail, signing
from wagtail.models import ModelLogEntry

from portal.accounts import sms
from portal.accounts.models import Account, PhoneChangeRequest
from portal.accounts.services import PHONE_CHANGE_SALT
from tests.accounts.factories import (
    AccountFactory,
    VerifiedLegalAccountFactory,
    last_code,
    make_uscc,
    pdf_upload,
    staff,
)

pytestmark = pytest.mark.django_db
URL = "/accounts/phone-change/"
NEW = "13700001111"


def send_code(client, phone=NEW):
    return client.post(URL, {"login_name": "qiyephone", "new_phone": phone, "captcha_0": "x", "captcha_1": "PASSED",
                             "action": "send_code", "method": "email"})


def submit(client, method="email", **extra):
    data = {"login_name": "qiyephone", "new_phone": NEW, "code": last_code(NEW), "method": method,
            "action": "submit", **extra}
    return client.post(URL, data)


@pytest.fixture
def account():
    return VerifiedLegalAccountFactory(user__username="qiyephone", email="zhang@example.com",
                                       uscc=make_uscc(region="320582"))


def test_login_page_links_phone_change_and_recover(client):
    html = client.get("/accounts/login/").content.decode()
    assert 'href="/accounts/phone-change/"' in html and 'href="/accounts/recover/"' in html


def test_email_verification_happy_path_sends_login_name_to_new_phone(client, account,
                                                                    django_capture_on_commit_callbacks):
    send_code(client)
    response = submit(client)
    assert response.status_code == 200 and "核验邮件已发送" in response.content.decode()
    link = re.search(r"http://testserver(/accounts/phone-change/confirm/\S+/)", mail.outbox[-1].body).group(1)
    assert client.get(link).status_code == 200
    assert Account.objects.get(pk=account.pk).phone != NEW  # GET does not apply it
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link)
    assert "手机号修改成功" in response.content.decode()
    assert Account.objects.get(pk=account.pk).phone == NEW
    assert sms.outbox[-1].phone == NEW and "登录名为 qiyephone" in sms.outbox[-1].text
    entry = ModelLogEntry.objects.get(action="accounts.phone_changed")
    assert NEW not in str(entry.data) and "137****1111" in str(entry.data)
    # the link works once
    assert client.post(link).status_code == 400


def test_expired_email_link_is_refused(client, account, settings):
    send_code(client)
    submit(client)
    change = PhoneChangeRequest.objects.get()
    token = signing.dumps({"id": change.pk, "new": NEW}, salt=PHONE_CHANGE_SALT)
    settings.ACCOUNTS_EMAIL_LINK_MAX_AGE = -1
    response = client.post(f"/accounts/phone-change/confirm/{token}/")
    assert response.status_code == 400 and "链接已过期" in response.content.decode()


def test_tampered_link_is_refused(client, account):
    response = client.post("/accounts/phone-change/confirm/not-a-token/")
    assert response.status_code == 400 and "链接无效" in response.content.decode()


def test_email_method_needs_a_bound_email(client):
    AccountFactory(user__username="qiyephone", email="")
    send_code(client)
    response = submit(client)
    assert "该账号未绑定邮箱，请选择人工核验" in response.content.decode()


def test_new_phone_must_be_free(client, account):
    AccountFactory(phone=NEW)
    response = send_code(client)
    assert "新手机号已绑定其他账号" in response.content.decode()
    assert sms.outbox == []


def test_unknown_login_name(client):
    send_code(client)
    response = submit(client)
    assert "登录名不存在" in response.content.decode()


def test_manual_verification_requires_evidence(client, account):
    send_code(client)
    response = submit(client, method="manual", name="张三", id_number=account.uscc)
    assert "人工核验必须填写此项" in response.content.decode()


def test_manual_verification_approved_by_province_staff(client, account, django_capture_on_commit_callbacks):
    send_code(client)
    response = submit(client, method="manual", name="张三", id_number=account.uscc, evidence=pdf_upload())
    assert "人工核验申请已提交" in response.content.decode()
    change = PhoneChangeRequest.objects.get()
    assert change.province_code == "320000" and change.status == "pending"
    client.force_login(staff("440000", "广东省"))
    assert "qiyephone" not in client.get("/admin/accounts/phonechangerequest/").content.decode()
    reviewer = staff("320000", "江苏省")
    client.force_login(reviewer)
    listing = client.get("/admin/accounts/phonechangerequest/").content.decode()
    assert "qiyephone" in listing and NEW not in listing and "137****1111" in listing
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/accounts/decide/phone-change/{change.pk}/", {"decision": "approve"})
    assert Account.objects.get(pk=account.pk).phone == NEW
    assert "登录名为 qiyephone" in sms.outbox[-1].text
    assert ModelLogEntry.objects.get(action="accounts.phone_changed").user_id == reviewer.pk


def test_manual_verification_rejected_with_reason(client, account):
    send_code(client)
    submit(client, method="manual", name="张三", id_number=account.uscc, evidence=pdf_upload())
    change = PhoneChangeRequest.objects.get()
    client.force_login(staff("320000", "江苏省"))
    client.post(f"/admin/accounts/decide/phone-change/{change.pk}/", {"decision": "reject", "reason": "材料不符"})
    change.refresh_from_db()
    assert change.status == "rejected" and change.reason == "材料不符"
    assert Account.objects.get(pk=account.pk).phone != NEW


def test_wrong_code_keeps_input(client, account):
    send_code(client)
    wrong = f"{(int(last_code(NEW)) + 1) % 10**6:06d}"
    response = client.post(URL, {"login_name": "qiyephone", "new_phone": NEW, "code": wrong, "method": "email",
                                 "action": "submit"})
    html = response.content.decode()
    assert "验证码不正确" in html and 'value="qiyephone"' in html and f'value="{NEW}"' in html
