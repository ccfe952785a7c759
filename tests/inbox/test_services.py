"""notify(), mark_read(), mark_all_read() and the SMS that follows a committed message."""

from __future__ import annotations

import logging

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from wagtail.models import ModelLogEntry

from portal.accounts import sms
from portal.accounts.models import Account
from portal.accounts.sms import SmsSendError
from portal.inbox import services
from portal.inbox.models import Message
from portal.inbox.services import MessageNotOwnedError, deliver_sms, mark_all_read, mark_read, notify
from tests.factories.inbox import MessageFactory
from tests.inbox.conftest import OWNER_PHONE

pytestmark = pytest.mark.django_db

RETURNED = {
    "category": "filing",
    "title": "您的专精特新中小企业申报已被退回",
    "body": "退回原因：营业收入与财务报表不一致。\n请修改后在申报期内重新提交。",
    "link": "/enterprise/filings/12/",
}
RECOGNISED = {
    "category": "recognition",
    "title": "您已被认定为专精特新中小企业",
    "body": "认定编号：粤专精特新〔2026〕0001号。",
}


class FailingGateway:
    def send(self, message) -> None:
        raise SmsSendError("gateway timed out")


class BrokenGateway:
    def send(self, message) -> None:
        raise RuntimeError("a bug in a gateway adapter")


# --- notify -----------------------------------------------------------------------------------


def test_notify_creates_an_unread_message(enterprise):
    message = notify(enterprise=enterprise, **RETURNED)
    message.refresh_from_db()
    assert message.enterprise == enterprise and message.category == "filing"
    assert message.title == RETURNED["title"] and message.body == RETURNED["body"]
    assert message.link == "/enterprise/filings/12/"
    assert message.read_at is None and message.sms_sent_at is None and message.dedupe_key == ""


def test_notify_is_in_the_audit_log(enterprise):
    message = notify(enterprise=enterprise, **RETURNED, dedupe_key="return:12:1")
    entry = ModelLogEntry.objects.get(action="inbox.notify", object_id=str(message.pk))
    assert entry.user is None
    assert entry.data == {
        "enterprise": enterprise.pk,
        "category": "filing",
        "dedupe_key": "return:12:1",
        "sms": False,
    }


def test_notify_without_a_dedupe_key_creates_a_message_each_time(enterprise):
    notify(enterprise=enterprise, **RETURNED)
    notify(enterprise=enterprise, **RETURNED)
    assert Message.objects.filter(enterprise=enterprise).count() == 2


def test_notify_with_a_used_dedupe_key_returns_the_existing_message_unchanged(
    enterprise, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = notify(enterprise=enterprise, **RECOGNISED, dedupe_key="recognition:7")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = notify(
            enterprise=enterprise,
            category="recognition",
            title="另一个标题",
            body="",
            dedupe_key="recognition:7",
        )
    assert again.pk == first.pk and again.title == RECOGNISED["title"]
    assert Message.objects.filter(enterprise=enterprise).count() == 1
    assert ModelLogEntry.objects.filter(action="inbox.notify").count() == 1
    assert callbacks == [] and len(sms.outbox) == 1  # texted once


def test_a_dedupe_key_is_per_enterprise(enterprise, other_enterprise):
    mine = notify(enterprise=enterprise, **RETURNED, dedupe_key="info_update:2026")
    theirs = notify(enterprise=other_enterprise, **RETURNED, dedupe_key="info_update:2026")
    assert mine.pk != theirs.pk and theirs.enterprise == other_enterprise


def test_notify_returns_a_twin_committed_concurrently_and_the_callers_transaction_goes_on(
    enterprise, monkeypatch
):
    """Two runs of one job: the other run's message appears between the look-up and the insert."""
    twin = MessageFactory(enterprise=enterprise, dedupe_key="expiry:7:90d")
    real = services._deduplicated
    calls = []

    def missed_once(enterprise, key):
        calls.append(key)
        return None if len(calls) == 1 else real(enterprise, key)

    monkeypatch.setattr(services, "_deduplicated", missed_once)
    with transaction.atomic():
        message = notify(enterprise=enterprise, **RETURNED, dedupe_key="expiry:7:90d")
        assert message.pk == twin.pk
        assert Message.objects.filter(enterprise=enterprise).count() == 1  # the block is still usable


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"category": "messages"}, "unknown_category"),
        ({"title": "  "}, "title_required"),
        ({"title": "长" * 201}, "title_too_long"),
        ({"link": "https://evil.example/phish"}, "link_not_local"),
        ({"link": "//evil.example/phish"}, "link_not_local"),
        ({"link": "/\\evil.example"}, "link_not_local"),
        ({"link": "javascript:alert(1)"}, "link_not_local"),
        ({"link": "enterprise/filings/12/"}, "link_not_local"),
        ({"dedupe_key": "k" * 201}, "dedupe_key_too_long"),
    ],
)
def test_notify_refuses_what_no_event_should_send(enterprise, changes, code):
    with pytest.raises(ValidationError) as raised:
        notify(enterprise=enterprise, **{**RETURNED, **changes})
    assert raised.value.code == code
    assert not Message.objects.exists()


# --- the SMS ------------------------------------------------------------------------------------


def test_the_sms_goes_to_the_owners_phone_after_commit_naming_only_the_category(
    enterprise, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = notify(enterprise=enterprise, **RECOGNISED)
    [text] = sms.outbox
    assert text.phone == OWNER_PHONE
    assert "您有一条新的【认定通知】消息，请登录平台查看。" in text.text
    assert RECOGNISED["title"] not in text.text and "粤专精特新" not in text.text
    message.refresh_from_db()
    assert message.sms_sent_at is not None


def test_no_sms_before_the_transaction_commits(enterprise, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(enterprise=enterprise, **RECOGNISED)
    assert len(callbacks) == 1 and sms.outbox == []


def test_no_message_and_no_sms_when_the_callers_transaction_rolls_back(
    enterprise, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            notify(enterprise=enterprise, **RECOGNISED)
            raise RuntimeError("the review action failed after notify")
    assert callbacks == [] and sms.outbox == []
    assert not Message.objects.exists()


@pytest.mark.parametrize(
    ("category", "texted"),
    [
        ("expiry", True),
        ("info_update", False),
        ("recognition", True),
        ("cancellation", True),
        ("filing", False),
    ],
)
def test_by_default_only_recognition_cancellation_and_expiry_are_texted(
    enterprise, django_capture_on_commit_callbacks, category, texted
):
    with django_capture_on_commit_callbacks(execute=True):
        notify(enterprise=enterprise, category=category, title="标题", body="内容")
    assert len(sms.outbox) == (1 if texted else 0)


def test_the_setting_decides_which_categories_are_texted(
    enterprise, settings, django_capture_on_commit_callbacks
):
    settings.INBOX_SMS_CATEGORIES = ["filing"]
    with django_capture_on_commit_callbacks(execute=True):
        notify(enterprise=enterprise, **RECOGNISED)
        notify(enterprise=enterprise, **RETURNED)
    assert [text.text.count("【申报提醒】") for text in sms.outbox] == [1]


@pytest.mark.parametrize(("fields", "override", "texted"), [(RETURNED, True, 1), (RECOGNISED, False, 0)])
def test_the_caller_may_decide_for_one_message(
    enterprise, django_capture_on_commit_callbacks, fields, override, texted
):
    with django_capture_on_commit_callbacks(execute=True):
        notify(enterprise=enterprise, **fields, sms=override)
    assert len(sms.outbox) == texted


@pytest.mark.parametrize("gateway", ["FailingGateway", "BrokenGateway"])
def test_a_failing_gateway_is_logged_and_breaks_nothing(
    enterprise, settings, caplog, django_capture_on_commit_callbacks, gateway
):
    settings.SMS_BACKEND = f"tests.inbox.test_services.{gateway}"
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        message = notify(enterprise=enterprise, **RECOGNISED)
    message.refresh_from_db()
    assert message.sms_sent_at is None and message.read_at is None  # the message stands, unsent
    if gateway == "FailingGateway":
        assert "inbox SMS for message" in caplog.text and "139****0401" in caplog.text
    assert OWNER_PHONE not in caplog.text


def test_an_owner_without_a_bound_phone_gets_the_message_without_sms(
    enterprise, django_capture_on_commit_callbacks
):
    Account.objects.filter(user=enterprise.owner).delete()
    with django_capture_on_commit_callbacks(execute=True):
        message = notify(enterprise=enterprise, **RECOGNISED)
    assert sms.outbox == [] and Message.objects.filter(pk=message.pk).exists()


def test_the_sms_task_run_twice_texts_once(enterprise):
    message = MessageFactory(enterprise=enterprise, category="recognition")
    assert deliver_sms(message_id=message.pk) is True
    assert deliver_sms(message_id=message.pk) is False
    assert len(sms.outbox) == 1


def test_the_sms_goes_to_the_phone_bound_when_it_is_sent(enterprise):
    message = MessageFactory(enterprise=enterprise, category="recognition")
    Account.objects.filter(user=enterprise.owner).update(phone="13900000499")
    deliver_sms(message_id=message.pk)
    assert [text.phone for text in sms.outbox] == ["13900000499"]


# --- reading ------------------------------------------------------------------------------------


def test_mark_read_records_the_first_reading_only(enterprise, owner):
    message = MessageFactory(enterprise=enterprise)
    mark_read(message=message, user=owner)
    first = Message.objects.get(pk=message.pk).read_at
    assert first is not None
    mark_read(message=Message.objects.get(pk=message.pk), user=owner)
    assert Message.objects.get(pk=message.pk).read_at == first


def test_mark_read_refuses_anyone_but_the_owner(enterprise, other_owner):
    message = MessageFactory(enterprise=enterprise)
    with pytest.raises(MessageNotOwnedError):
        mark_read(message=message, user=other_owner)
    assert Message.objects.get(pk=message.pk).read_at is None


def test_mark_all_read_reads_every_unread_message_of_the_enterprise(enterprise, other_enterprise, owner):
    MessageFactory.create_batch(2, enterprise=enterprise, category="filing")
    MessageFactory(enterprise=enterprise, category="recognition")
    MessageFactory(enterprise=enterprise, read_at=timezone.now())
    MessageFactory(enterprise=other_enterprise)
    assert mark_all_read(enterprise=enterprise, user=owner) == 3
    assert not Message.objects.filter(enterprise=enterprise, read_at__isnull=True).exists()
    assert Message.objects.filter(enterprise=other_enterprise, read_at__isnull=True).count() == 1


def test_mark_all_read_of_one_category_leaves_the_others_unread(enterprise, owner):
    MessageFactory.create_batch(2, enterprise=enterprise, category="filing")
    MessageFactory(enterprise=enterprise, category="recognition")
    assert mark_all_read(enterprise=enterprise, user=owner, category="filing") == 2
    assert list(Message.objects.filter(read_at__isnull=True).values_list("category", flat=True)) == [
        "recognition"
    ]


def test_mark_all_read_refuses_anyone_but_the_owner(enterprise, other_owner):
    MessageFactory(enterprise=enterprise)
    with pytest.raises(MessageNotOwnedError):
        mark_all_read(enterprise=enterprise, user=other_owner)
