"""The message row: same-site links, one message per (enterprise, dedupe key), known categories."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from portal.inbox.models import Message, is_same_site_path
from tests.factories.inbox import MessageFactory


@pytest.mark.parametrize(
    ("link", "local"),
    [
        ("/enterprise/filings/12/", True),
        ("/enterprise/messages/?category=filing", True),
        ("https://evil.example/", False),
        ("//evil.example/", False),
        ("/\\evil.example/", False),
        ("javascript:alert(1)", False),
        ("enterprise/", False),
        ("", False),
    ],
)
def test_is_same_site_path(link, local):
    assert is_same_site_path(link) is local


@pytest.mark.django_db
def test_full_clean_refuses_a_link_to_another_site(enterprise):
    message = MessageFactory.build(enterprise=enterprise, link="https://evil.example/")
    with pytest.raises(ValidationError) as raised:
        message.full_clean()
    assert raised.value.error_dict["link"][0].code == "link_not_local"


@pytest.mark.django_db
def test_a_dedupe_key_is_unique_per_enterprise_when_not_empty(enterprise):
    MessageFactory(enterprise=enterprise, dedupe_key="")
    MessageFactory(enterprise=enterprise, dedupe_key="")
    MessageFactory(enterprise=enterprise, dedupe_key="expiry:1:90d")
    with pytest.raises(IntegrityError), transaction.atomic():
        MessageFactory(enterprise=enterprise, dedupe_key="expiry:1:90d")


@pytest.mark.django_db
def test_an_unknown_category_is_refused_by_the_database(enterprise):
    with pytest.raises(IntegrityError), transaction.atomic():
        Message.objects.create(enterprise=enterprise, category="messages", title="x")


def test_categories_keep_their_keys_and_the_manuals_order():
    assert [(c.value, str(c.label)) for c in Message.Category] == [
        ("expiry", "认定到期"),
        ("info_update", "信息更新"),
        ("recognition", "认定通知"),
        ("cancellation", "取消认定"),
        ("filing", "申报提醒"),
    ]
