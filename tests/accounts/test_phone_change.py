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
    error_codes,
    last_code,
    make_uscc,
    other_code,
    pdf_upload,
    staff,
    staff_with_phone,
)

pytestmark = pytest.mark.django_db
URL = "/accounts/phone-change/"
NEW = "13700001111"


def send_code(client, phone=NEW, login_name="qiyephone"):
    return client.post(
        URL,
        {
            "login_name": login_name,
            "new_phone": phone,
            "captcha_0": "x",
            "captcha_1": "PASSED",
            "action": "send_code",
            "method": "email",
        },
    )


def submit(client, method="email", code=None, login_name="qiyephone", **extra):
    data = {
        "login_name": login_name,
        "new_phone": NEW,
        "code": code or last_code(NEW),
        "method": method,
        "action": "submit",
        **extra,
    }
    return client.post(URL, data)


def email_link() -> str:
    return re.search(r"http://testserver(/accounts/phone-change/confirm/\S+/)", mail.outbox[-1].body).group(1)


@pytest.fixture
def account():
    return VerifiedLegalAccountFactory(
        user__username="qiyephone", email="zhang@example.com", uscc=make_uscc(region="320582")
    )


def test_login_page_links_phone_change_and_recover(client):
    html = client.get("/accounts/login/").content.decode()
    assert 'href="/accounts/phone-change/"' in html and 'href="/accounts/recover/"' in html


def test_email_verification_happy_path_sends_login_name_to_new_phone(
    client, account, django_capture_on_commit_callbacks
):
    send_code(client)
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client)
    assert response.status_code == 200 and response.context["change"].method == "email"
    link = email_link()
    page = client.get(link)
    assert page.status_code == 200 and page.context["token"]
    assert Account.objects.get(pk=account.pk).phone != NEW  # GET does not apply it
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link)
    assert response.context["done"]
    assert Account.objects.get(pk=account.pk).phone == NEW
    assert sms.outbox[-1].phone == NEW and "登录名为 qiyephone" in sms.outbox[-1].text
    entry = ModelLogEntry.objects.get(action="accounts.phone_changed")
    assert NEW not in str(entry.data) and "137****1111" in str(entry.data)
    # the link works once, and says so at once when opened again
    assert client.post(link).status_code == 400
    used = client.get(link)
    assert used.status_code == 400 and used.context["error_code"] == "link_invalid"
    assert "确认修改手机号" not in used.content.decode()


def test_no_mail_leaves_when_the_request_is_not_saved(client, account, django_capture_on_commit_callbacks):
    send_code(client)
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, code=other_code(last_code(NEW)))
    assert mail.outbox == [] and not PhoneChangeRequest.objects.exists()


def test_the_verification_mail_is_throttled_per_account(client, account, django_capture_on_commit_callbacks):
    """Whoever holds phones can ask for links to the account's mailbox: one a minute (and a few a
    day) per account, as for the recovery mail."""
    other_phone = "13700002222"
    with django_capture_on_commit_callbacks(execute=True):
        send_code(client)
        submit(client)
        send_code(client, phone=other_phone)
        response = client.post(
            URL,
            {
                "login_name": "qiyephone",
                "new_phone": other_phone,
                "code": last_code(other_phone),
                "method": "email",
                "action": "submit",
            },
        )
    assert error_codes(response, "method") == {"email_too_soon"}
    assert len(mail.outbox) == 1 and PhoneChangeRequest.objects.count() == 1


def test_expired_email_link_is_refused_at_once(client, account, settings):
    send_code(client)
    submit(client)
    change = PhoneChangeRequest.objects.get()
    token = signing.dumps({"id": change.pk, "new": NEW}, salt=PHONE_CHANGE_SALT)
    settings.ACCOUNTS_EMAIL_LINK_MAX_AGE = -1
    page = client.get(f"/accounts/phone-change/confirm/{token}/")
    assert page.status_code == 400 and page.context["error_code"] == "link_expired"
    response = client.post(f"/accounts/phone-change/confirm/{token}/")
    assert response.status_code == 400 and response.context["error_code"] == "link_expired"


def test_garbage_link_says_invalid_without_a_button(client, account):
    page = client.get("/accounts/phone-change/confirm/not-a-token/")
    assert page.status_code == 400 and page.context["error_code"] == "link_invalid"
    assert "确认修改手机号" not in page.content.decode()
    assert client.post("/accounts/phone-change/confirm/not-a-token/").context["error_code"] == "link_invalid"


def test_email_method_needs_a_bound_email(client):
    AccountFactory(user__username="qiyephone", email="")
    send_code(client)
    assert error_codes(submit(client), "method") == {"email_missing"}


def test_send_code_does_not_reveal_a_phone_bound_elsewhere(client, account):
    """Same answer for a free and a bound phone until the code proved the phone is the user's."""
    AccountFactory(phone=NEW)
    response = send_code(client)
    assert error_codes(response) == set() and sms.outbox[-1].phone == NEW
    assert error_codes(submit(client), "new_phone") == {"phone_taken"}


def test_final_submit_answers_the_same_for_every_account_until_the_code_passed(client, account):
    """Unknown login name, no email, phone bound elsewhere: a wrong code is all anyone learns."""
    AccountFactory(user__username="qiyenomail", email="")
    send_code(client)
    wrong = other_code(last_code(NEW))
    answers = [
        error_codes(submit(client, code=wrong, login_name=name))
        for name in ("qiyephone", "nobody", "qiyenomail")
    ]
    assert answers == [{"code_invalid"}] * 3


def test_unknown_login_name_once_the_code_passed(client):
    send_code(client)
    assert error_codes(submit(client), "login_name") == {"account_missing"}


def test_staff_phones_are_not_changed_here(client):
    staff_with_phone(username="qiyephone", phone="13700000002", email="s@example.com")
    send_code(client)
    assert error_codes(submit(client), "login_name") == {"account_missing"}


def test_sixth_phone_change_guess_is_refused_even_when_right(client, account):
    send_code(client)
    code = last_code(NEW)
    for _ in range(4):
        assert error_codes(submit(client, code=other_code(code))) == {"code_invalid"}
    assert error_codes(submit(client, code=other_code(code))) == {"code_burned"}
    assert error_codes(submit(client, code=code)) == {"code_burned"}
    assert not PhoneChangeRequest.objects.exists()


def test_manual_verification_requires_evidence(client, account):
    send_code(client)
    response = submit(client, method="manual", name="张三", id_number=account.uscc)
    assert error_codes(response, "evidence") == {"required"}


def test_manual_fields_are_shown_only_for_manual_review(client):
    html = client.get(URL).content.decode()
    for name in ("name", "id_number", "evidence", "note"):
        assert re.search(rf'name="{name}"[^>]*data-show-when="method=manual"', html), name
    assert "accounts/js/show-when.js" in html


def test_manual_verification_approved_by_province_staff(client, account, django_capture_on_commit_callbacks):
    send_code(client)
    response = submit(client, method="manual", name="张三", id_number=account.uscc, evidence=pdf_upload())
    assert response.context["change"].method == "manual"
    change = PhoneChangeRequest.objects.get()
    assert change.province_code == "320000" and change.status == "pending"
    client.force_login(staff("440000", "广东省"))
    assert "qiyephone" not in client.get("/admin/account-reviews/phone/").content.decode()
    reviewer = staff("320000", "江苏省")
    client.force_login(reviewer)
    listing = client.get("/admin/account-reviews/phone/").content.decode()
    assert "qiyephone" in listing and NEW not in listing and "137****1111" in listing
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/account-reviews/phone/{change.pk}/approve/", {"reason": ""})
    assert Account.objects.get(pk=account.pk).phone == NEW
    assert "登录名为 qiyephone" in sms.outbox[-1].text
    assert ModelLogEntry.objects.get(action="accounts.phone_changed").user_id == reviewer.pk


def test_manual_request_of_an_unverified_account_goes_to_the_uscc_province(client):
    """The typed 「统一社会信用代码或身份证号」 holds a USCC: its region decides, never its first two
    characters (issue 9, item 8: the request used to land in “910000”)."""
    AccountFactory(user__username="qiyephone")
    send_code(client)
    submit(client, method="manual", name="张三", id_number=make_uscc(region="330106"), evidence=pdf_upload())
    assert PhoneChangeRequest.objects.get().province_code == "330000"


def test_manual_request_of_an_enterprise_goes_to_its_registered_province(client, account):
    """注册地 first: an enterprise registered in 浙江 whose USCC was issued in 江苏."""
    from portal.enterprises.services import register_verified_enterprise
    from portal.reference.models import Region

    province = Region.objects.get_or_create(code="330000", defaults={"name": "浙江省", "level": "province"})[
        0
    ]
    county = Region.objects.get_or_create(
        code="330106", defaults={"name": "西湖区", "level": "county", "parent": province}
    )[0]
    enterprise = register_verified_enterprise(
        user=account.user,
        name="测试",
        uscc=account.uscc,
        legal_representative="张三",
        legal_representative_id="11010519491231002X",
    )
    enterprise.region = county
    enterprise.save()
    send_code(client)
    submit(client, method="manual", name="张三", id_number=account.uscc, evidence=pdf_upload())
    assert PhoneChangeRequest.objects.get().province_code == "330000"


def test_manual_verification_rejected_with_reason(client, account):
    send_code(client)
    submit(client, method="manual", name="张三", id_number=account.uscc, evidence=pdf_upload())
    change = PhoneChangeRequest.objects.get()
    client.force_login(staff("320000", "江苏省"))
    client.post(f"/admin/account-reviews/phone/{change.pk}/reject/", {"reason": "材料不符"})
    change.refresh_from_db()
    assert change.status == "rejected" and change.reason == "材料不符"
    assert Account.objects.get(pk=account.pk).phone != NEW


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_rejection_without_a_reason_is_refused(client, account, reason):
    from django.core.exceptions import ValidationError

    from portal.accounts.services import decide_phone_change

    send_code(client)
    submit(client, method="manual", name="张三", id_number=account.uscc, evidence=pdf_upload())
    change = PhoneChangeRequest.objects.get()
    reviewer = staff("320000", "江苏省")
    with pytest.raises(ValidationError) as exc:
        decide_phone_change(change=change, reviewer=reviewer, approve=False, reason=reason)
    assert exc.value.code == "reason_required"
    client.force_login(reviewer)
    client.post(f"/admin/account-reviews/phone/{change.pk}/reject/", {"reason": reason})
    assert PhoneChangeRequest.objects.get().status == "pending"


def test_wrong_code_keeps_input(client, account):
    send_code(client)
    response = client.post(
        URL,
        {
            "login_name": "qiyephone",
            "new_phone": NEW,
            "code": other_code(last_code(NEW)),
            "method": "email",
            "action": "submit",
        },
    )
    assert error_codes(response, "code") == {"code_invalid"}
    html = response.content.decode()
    assert 'value="qiyephone"' in html and f'value="{NEW}"' in html


def test_evidence_is_kept_when_another_field_fails(client, account):
    send_code(client)
    submit(
        client,
        method="manual",
        name="张三",
        id_number=account.uscc,
        evidence=pdf_upload(),
        code=other_code(last_code(NEW)),
    )
    client.post(
        URL,
        {
            "login_name": "qiyephone",
            "new_phone": NEW,
            "captcha_0": "x",
            "captcha_1": "PASSED",
            "action": "send_code",
            "method": "manual",
        },
        REMOTE_ADDR="10.9.9.9",
    )
    from django.core.cache import cache

    cache.delete(f"accounts:sms:resend:phone_change:{NEW}")
    send_code(client)
    response = submit(client, method="manual", name="张三", id_number=account.uscc)  # no file chosen again
    assert response.status_code == 200 and PhoneChangeRequest.objects.get().evidence
