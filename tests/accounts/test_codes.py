import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from portal.accounts import sms
from portal.accounts.codes import check_sms_code, issue_sms_code
from portal.accounts.models import SmsCode
from portal.accounts.sms import SmsSendError
from tests.accounts.factories import last_code, other_code

pytestmark = pytest.mark.django_db
PHONE = "13912345678"


def code_error(**kwargs) -> str:
    with pytest.raises(ValidationError) as exc:
        check_sms_code(**kwargs)
    return exc.value.code


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
    assert code_error(phone=PHONE, purpose="register", code=code) == "code_used"


def test_check_sms_code_rejects_wrong_code():
    issue_sms_code(phone=PHONE, purpose="register")
    assert code_error(phone=PHONE, purpose="register", code=other_code(last_code(PHONE))) == "code_invalid"


def test_check_sms_code_rejects_expired_code():
    issue_sms_code(phone=PHONE, purpose="register")
    SmsCode.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert code_error(phone=PHONE, purpose="register", code=last_code(PHONE)) == "code_expired"


def test_check_sms_code_is_bound_to_purpose_and_phone():
    issue_sms_code(phone=PHONE, purpose="register")
    code = last_code(PHONE)
    assert code_error(phone=PHONE, purpose="login", code=code) == "code_missing"
    assert code_error(phone="13900000000", purpose="register", code=code) == "code_missing"


def test_wrong_tries_burn_the_code(settings):
    settings.SMS_CODE_MAX_ATTEMPTS = 3
    issue_sms_code(phone=PHONE, purpose="login")
    code = last_code(PHONE)
    for _ in range(2):
        assert code_error(phone=PHONE, purpose="login", code=other_code(code)) == "code_invalid"
    assert code_error(phone=PHONE, purpose="login", code=other_code(code)) == "code_burned"
    assert code_error(phone=PHONE, purpose="login", code=code) == "code_burned"


@pytest.mark.parametrize("purpose", [choice.value for choice in SmsCode.Purpose])
def test_wrong_tries_count_even_when_the_caller_rolls_back(purpose):
    """The services check codes inside their own transaction and raise on a wrong code: the
    rollback must not give the guesser the try back (issue 8, critical 1)."""
    issue_sms_code(phone=PHONE, purpose=purpose)
    code = last_code(PHONE)
    for _ in range(5):
        with pytest.raises(ValidationError):
            with transaction.atomic():
                check_sms_code(phone=PHONE, purpose=purpose, code=other_code(code))
    with transaction.atomic():
        assert code_error(phone=PHONE, purpose=purpose, code=code) == "code_burned"


def test_a_new_code_replaces_the_previous_one(settings):
    settings.SMS_RESEND_SECONDS = 0
    issue_sms_code(phone=PHONE, purpose="register")
    first = last_code(PHONE)
    issue_sms_code(phone=PHONE, purpose="register")
    second = last_code(PHONE)
    if first != second:
        assert code_error(phone=PHONE, purpose="register", code=first) == "code_invalid"
    check_sms_code(phone=PHONE, purpose="register", code=second)


def test_gateway_failure_discards_the_code_and_allows_an_immediate_retry(monkeypatch):
    from portal.accounts.sms.backends import locmem

    def fail(self, message):
        raise SmsSendError("down")

    monkeypatch.setattr(locmem.SmsBackend, "send", fail)
    with pytest.raises(SmsSendError):
        issue_sms_code(phone=PHONE, purpose="register", ip="10.0.0.1")
    assert not SmsCode.objects.exists()
    monkeypatch.undo()
    issue_sms_code(phone=PHONE, purpose="register", ip="10.0.0.1")
    assert SmsCode.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_parallel_guesses_each_take_a_numbered_try(settings):
    """Eight guesses at once on separate connections, as eight app processes would make them: only
    five are compared, and the right code after them is refused."""
    issue_sms_code(phone=PHONE, purpose="recover")
    code = last_code(PHONE)
    barrier = threading.Barrier(8)
    results: list[str] = []
    lock = threading.Lock()

    def guess():
        barrier.wait()
        try:
            check_sms_code(phone=PHONE, purpose="recover", code=other_code(code))
        except ValidationError as exc:
            with lock:
                results.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=guess) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["code_burned"] * 4 + ["code_invalid"] * 4
    assert code_error(phone=PHONE, purpose="recover", code=code) == "code_burned"
