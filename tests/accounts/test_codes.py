import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from portal.accounts import sms
from portal.accounts.codes import SmsThrottledError, check_sms_code, issue_sms_code
from portal.accounts.models import SmsCode
from portal.accounts.sms import SmsSendError
from tests.accounts.factories import last_code

pytestmark = pytest.mark.django_db
PHONE = "13912345678"


def test_issue_sms_code_sends_six_digits_and_stores_only_a_hash():
    record = issue_sms_code(phone=PHONE, purpose="register", ip="10.0.0.1")
    code = last_code(PHONE)
    assert len(code) == 6 and code.isdigit()
    assert code not in record.code_hash and len(record.code_hash) == 64
    assert "5 分钟内有效" in sms.outbox[-1].text and "注册" in sms.outbox[-1].text


def test_check_sms_code_accepts_the_right_code_once():
    issue_sms_code(phone=PHONE, purpose="register")
    code = last_code(PHONE)
    check_sms_code(phone=PHONE, purpose="register", code=code)
    with pytest.raises(ValidationError) as exc:
        check_sms_code(phone=PHONE, purpose="register", code=code)
    assert exc.value.code == "code_used"


def test_check_sms_code_rejects_wrong_code():
    issue_sms_code(phone=PHONE, purpose="register")
    wrong = f"{(int(last_code(PHONE)) + 1) % 10**6:06d}"
    with pytest.raises(ValidationError) as exc:
        check_sms_code(phone=PHONE, purpose="register", code=wrong)
    assert exc.value.code == "code_invalid"


def test_check_sms_code_rejects_expired_code():
    issue_sms_code(phone=PHONE, purpose="register")
    SmsCode.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    with pytest.raises(ValidationError) as exc:
        check_sms_code(phone=PHONE, purpose="register", code=last_code(PHONE))
    assert exc.value.code == "code_expired"


def test_check_sms_code_is_bound_to_purpose_and_phone():
    issue_sms_code(phone=PHONE, purpose="register")
    code = last_code(PHONE)
    with pytest.raises(ValidationError) as exc:
        check_sms_code(phone=PHONE, purpose="login", code=code)
    assert exc.value.code == "code_missing"
    with pytest.raises(ValidationError):
        check_sms_code(phone="13900000000", purpose="register", code=code)


def test_wrong_tries_burn_the_code(settings):
    settings.SMS_CODE_MAX_ATTEMPTS = 3
    issue_sms_code(phone=PHONE, purpose="login")
    code = last_code(PHONE)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(2):
        with pytest.raises(ValidationError) as exc:
            check_sms_code(phone=PHONE, purpose="login", code=wrong)
        assert exc.value.code == "code_invalid"
    with pytest.raises(ValidationError) as exc:
        check_sms_code(phone=PHONE, purpose="login", code=wrong)
    assert exc.value.code == "code_burned"
    with pytest.raises(ValidationError) as exc:
        check_sms_code(phone=PHONE, purpose="login", code=code)
    assert exc.value.code == "code_burned"


def test_a_new_code_replaces_the_previous_one(settings):
    settings.SMS_RESEND_SECONDS = 0
    issue_sms_code(phone=PHONE, purpose="register")
    first = last_code(PHONE)
    issue_sms_code(phone=PHONE, purpose="register")
    second = last_code(PHONE)
    if first != second:
        with pytest.raises(ValidationError):
            check_sms_code(phone=PHONE, purpose="register", code=first)
    check_sms_code(phone=PHONE, purpose="register", code=second)


def test_resend_within_60_seconds_is_refused():
    issue_sms_code(phone=PHONE, purpose="register")
    with pytest.raises(SmsThrottledError) as exc:
        issue_sms_code(phone=PHONE, purpose="register")
    assert exc.value.code == "resend_too_soon"
    assert len(sms.outbox) == 1


def test_daily_cap_per_phone(settings):
    settings.SMS_RESEND_SECONDS = 1
    settings.SMS_DAILY_LIMIT_PER_PHONE = 2
    from django.core.cache import cache

    for _ in range(2):
        issue_sms_code(phone=PHONE, purpose="register")
        cache.delete(f"accounts:sms:resend:register:{PHONE}")
    with pytest.raises(SmsThrottledError) as exc:
        issue_sms_code(phone=PHONE, purpose="register")
    assert exc.value.code == "phone_daily_limit"


def test_hourly_cap_per_ip(settings):
    settings.SMS_HOURLY_LIMIT_PER_IP = 2
    issue_sms_code(phone="13900000001", purpose="register", ip="10.0.0.9")
    issue_sms_code(phone="13900000002", purpose="register", ip="10.0.0.9")
    with pytest.raises(SmsThrottledError) as exc:
        issue_sms_code(phone="13900000003", purpose="register", ip="10.0.0.9")
    assert exc.value.code == "ip_hourly_limit"
    issue_sms_code(phone="13900000003", purpose="register", ip="10.0.0.10")


def test_gateway_failure_discards_the_code_and_allows_an_immediate_retry(settings, monkeypatch):
    from portal.accounts.sms.backends import locmem

    def fail(self, message):
        raise SmsSendError("down")

    monkeypatch.setattr(locmem.SmsBackend, "send", fail)
    with pytest.raises(SmsSendError):
        issue_sms_code(phone=PHONE, purpose="register")
    assert not SmsCode.objects.exists()
    monkeypatch.undo()
    issue_sms_code(phone=PHONE, purpose="register")
    assert SmsCode.objects.count() == 1


def test_resend_wait_is_per_purpose_but_daily_cap_counts_all(settings):
    settings.SMS_DAILY_LIMIT_PER_PHONE = 2
    issue_sms_code(phone=PHONE, purpose="register")
    issue_sms_code(phone=PHONE, purpose="login")
    with pytest.raises(SmsThrottledError) as exc:
        issue_sms_code(phone=PHONE, purpose="recover")
    assert exc.value.code == "phone_daily_limit"
