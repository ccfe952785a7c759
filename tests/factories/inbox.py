"""Factories of the inbox: messages of an enterprise, unread unless ``read_at`` is given.

    MessageFactory(enterprise=enterprise, category="recognition")
    MessageFactory(enterprise=enterprise, read_at=timezone.now(), created_at=dt.datetime(…))

Rows are written directly (no audit entry, no SMS); tests of ``notify`` call the service.
"""

from __future__ import annotations

import factory

from portal.inbox.models import Message, MessageCategory
from tests.enterprises.factories import EnterpriseFactory


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Message

    enterprise = factory.SubFactory(EnterpriseFactory)
    category = MessageCategory.FILING
    title = factory.Sequence(lambda n: f"申报提醒第{n}号")
    body = "您的申报已被退回。\n请按审核意见修改后重新提交。"
    link = ""
    read_at = None

    @classmethod
    def _create(cls, model_class, *args, created_at=None, **kwargs):
        message = super()._create(model_class, *args, **kwargs)
        if created_at is not None:  # auto_now_add ignores a given value
            model_class.objects.filter(pk=message.pk).update(created_at=created_at)
            message.created_at = created_at
        return message
