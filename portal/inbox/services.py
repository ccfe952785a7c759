"""Every write of the inbox (我的消息, SPEC F-23).

- :func:`notify` — the ONE way anything leaves a message for an enterprise: review actions
  (退回, 通过, 不通过 → 申报提醒), recognition (认定通知), cancellation (取消认定) and the scheduled
  reminders (认定到期, 信息更新) all call it. Its signature is a contract (docs/inbox.md).
- :func:`mark_read` / :func:`mark_all_read` — the owner reading a message, or 【全部标为已读】.
- :func:`deliver_sms` — the SMS that tells the owner a message is waiting (run by the task
  :func:`portal.inbox.tasks.send_message_sms` once the message is committed).
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from portal.accounts.sms import SmsSendError, send_sms
from portal.core.masking import mask_phone
from portal.enterprises.models import Enterprise

from .models import (
    DEDUPE_KEY_MAX_LENGTH,
    LINK_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Message,
    MessageCategory,
    is_same_site_path,
)
from .selectors import owner_phone

logger = logging.getLogger(__name__)

SMS_TEMPLATE = "inbox_notice"  # templates/accounts/sms/inbox_notice.txt: the category, never the text


class MessageNotOwnedError(PermissionDenied):
    """The user is not the owner of the message's enterprise (views answer 404 before this)."""


def sms_wanted(category: str, sms: bool | None) -> bool:
    """``sms`` when the caller decided, else whether the category is in ``INBOX_SMS_CATEGORIES``."""
    if sms is not None:
        return sms
    return category in settings.INBOX_SMS_CATEGORIES


def _validate(*, category: str, title: str, link: str, dedupe_key: str) -> None:
    if category not in MessageCategory.values:
        raise ValidationError(f"unknown message category {category!r}", code="unknown_category")
    if not title.strip():
        raise ValidationError("a message needs a title", code="title_required")
    if len(title) > TITLE_MAX_LENGTH:
        raise ValidationError(f"title longer than {TITLE_MAX_LENGTH} characters", code="title_too_long")
    if link and (len(link) > LINK_MAX_LENGTH or not is_same_site_path(link)):
        raise ValidationError(f"link {link!r} is not a path on this site", code="link_not_local")
    if len(dedupe_key) > DEDUPE_KEY_MAX_LENGTH:
        raise ValidationError(
            f"dedupe_key longer than {DEDUPE_KEY_MAX_LENGTH} characters", code="dedupe_key_too_long"
        )


def notify(
    *,
    enterprise: Enterprise,
    category: str,
    title: str,
    body: str,
    link: str = "",
    dedupe_key: str = "",
    sms: bool | None = None,
) -> Message:
    """Leave a message in ``enterprise``'s inbox and return it.

    - ``category``: a :class:`~portal.inbox.models.MessageCategory` key — ``expiry`` 认定到期,
      ``info_update`` 信息更新, ``recognition`` 认定通知, ``cancellation`` 取消认定, ``filing`` 申报提醒.
    - ``title`` (≤ 200 characters) and ``body`` (plain text; line breaks are kept on the page).
    - ``link``: a path on this site the message points at (the filing's 【详情】), or "".
    - ``dedupe_key``: for jobs that may run twice (scheduled reminders): a key already used for this
      enterprise returns the message it created, unchanged, and nothing is logged or sent again.
    - ``sms``: None follows ``settings.INBOX_SMS_CATEGORIES``; True / False decides for this message.
      The SMS names only the category (“您有一条新的【认定通知】消息”), never title or body; it is sent
      to the owner's bound phone by a background task once the transaction commits — never when
      it rolls back — and a failing gateway is logged without undoing anything.

    Runs inside the caller's transaction (its own when there is none): a review action that fails
    after calling ``notify`` leaves no message and sends no SMS. The message is in Wagtail's audit
    log as ``inbox.notify``. Raises ValidationError (codes ``unknown_category``,
    ``title_required``, ``title_too_long``, ``link_not_local``, ``dedupe_key_too_long``): these
    are mistakes of the calling code, not of a user.
    """
    _validate(category=category, title=title, link=link, dedupe_key=dedupe_key)
    with transaction.atomic():
        existing = _deduplicated(enterprise, dedupe_key)
        if existing is not None:
            return existing
        try:
            with transaction.atomic():  # savepoint: a concurrent twin must not break the caller's block
                message = Message.objects.create(
                    enterprise=enterprise,
                    category=category,
                    title=title,
                    body=body,
                    link=link,
                    dedupe_key=dedupe_key,
                )
        except IntegrityError:
            # a concurrent run of the same job committed its twin between the look-up and here
            twin = _deduplicated(enterprise, dedupe_key)
            if twin is None:
                raise
            return twin
        send = sms_wanted(category, sms)
        log(
            instance=message,
            action="inbox.notify",
            user=None,
            data={"enterprise": enterprise.pk, "category": category, "dedupe_key": dedupe_key, "sms": send},
        )
        if send:
            _sms_after_commit(message.pk)
    return message


def _deduplicated(enterprise: Enterprise, dedupe_key: str) -> Message | None:
    if not dedupe_key:
        return None
    return Message.objects.filter(enterprise=enterprise, dedupe_key=dedupe_key).first()


def _sms_after_commit(message_id: int) -> None:
    from .tasks import send_message_sms

    # robust: whatever the task backend does, the caller's committed work stands
    transaction.on_commit(lambda: send_message_sms.enqueue(message_id), robust=True)


def deliver_sms(*, message_id: int) -> bool:
    """Text the owner's bound phone that a message is waiting; records ``sms_sent_at``.

    Returns False, sending nothing, when the message is gone or was already texted (a task run
    twice) or the owner has no bound phone; and when the gateway fails (logged, phone masked).
    """
    message = Message.objects.select_related("enterprise").filter(pk=message_id).first()
    if message is None or message.sms_sent_at is not None:
        return False
    phone = owner_phone(message.enterprise)
    if not phone:
        logger.info("inbox message %s: the enterprise's owner has no bound phone, no SMS", message_id)
        return False
    try:
        send_sms(phone, SMS_TEMPLATE, {"category": message.get_category_display()})
    except SmsSendError as exc:
        logger.warning("inbox SMS for message %s to %s failed: %s", message_id, mask_phone(phone), exc)
        return False
    Message.objects.filter(pk=message_id, sms_sent_at__isnull=True).update(sms_sent_at=timezone.now())
    return True


def _check_owner(enterprise: Enterprise, user: Any) -> None:
    if user is None or enterprise.owner_id != user.pk:
        raise MessageNotOwnedError(_("只能查看本企业的消息。"))


def mark_read(*, message: Message, user: Any) -> Message:
    """The owner opened the message: ``read_at`` is set once (the first reading) and kept.
    Raises MessageNotOwnedError for anyone but the owner of the message's enterprise."""
    _check_owner(message.enterprise, user)
    if message.read_at is None:
        now = timezone.now()
        Message.objects.filter(pk=message.pk, read_at__isnull=True).update(read_at=now)
        message.read_at = now
    return message


def mark_all_read(*, enterprise: Enterprise, user: Any, category: str | None = None) -> int:
    """【全部标为已读】: every unread message of the enterprise (of one category when given) is read
    now; returns how many. Raises MessageNotOwnedError for anyone but the owner."""
    _check_owner(enterprise, user)
    unread = Message.objects.filter(enterprise=enterprise, read_at__isnull=True)
    if category:
        unread = unread.filter(category=category)
    return unread.update(read_at=timezone.now())
