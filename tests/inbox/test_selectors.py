"""Reads of the inbox: the badge count, the tabs' counts, the list and one message."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from portal.inbox import selectors
from tests.factories.inbox import MessageFactory

pytestmark = pytest.mark.django_db


def at(day: int) -> dt.datetime:
    return dt.datetime(2026, 3, day, 9, 0, tzinfo=dt.UTC)


def test_count_unread_counts_the_enterprises_unread_messages_in_one_query(
    enterprise, other_enterprise, django_assert_num_queries
):
    MessageFactory.create_batch(2, enterprise=enterprise, category="filing")
    MessageFactory(enterprise=enterprise, category="recognition")
    MessageFactory(enterprise=enterprise, read_at=timezone.now())
    MessageFactory(enterprise=other_enterprise)
    with django_assert_num_queries(1):
        assert selectors.count_unread(enterprise) == 3


def test_category_counts_are_all_then_the_five_in_the_manuals_order(enterprise, django_assert_num_queries):
    MessageFactory.create_batch(2, enterprise=enterprise, category="filing")
    MessageFactory(enterprise=enterprise, category="filing", read_at=timezone.now())
    MessageFactory(enterprise=enterprise, category="recognition", read_at=timezone.now())
    with django_assert_num_queries(1):
        tabs = selectors.category_counts(enterprise)
    assert [(tab.key, tab.label, tab.total, tab.unread) for tab in tabs] == [
        ("", "全部", 4, 2),
        ("expiry", "认定到期", 0, 0),
        ("info_update", "信息更新", 0, 0),
        ("recognition", "认定通知", 1, 0),
        ("cancellation", "取消认定", 0, 0),
        ("filing", "申报提醒", 3, 2),
    ]


def test_the_list_is_newest_first_and_filtered_by_category(enterprise, other_enterprise):
    old = MessageFactory(enterprise=enterprise, category="filing", created_at=at(1))
    new = MessageFactory(enterprise=enterprise, category="filing", created_at=at(3))
    recognised = MessageFactory(enterprise=enterprise, category="recognition", created_at=at(2))
    MessageFactory(enterprise=other_enterprise, created_at=at(4))
    assert list(selectors.list_messages(enterprise)) == [new, recognised, old]
    assert list(selectors.list_messages(enterprise, category="filing")) == [new, old]


def test_a_page_holds_twenty_messages_and_a_bad_number_gives_the_nearest_page(enterprise):
    MessageFactory.create_batch(25, enterprise=enterprise)
    first = selectors.messages_page(enterprise, page_number="x")
    last = selectors.messages_page(enterprise, page_number=9)
    assert first.number == 1 and len(first.object_list) == 20
    assert last.number == 2 and len(last.object_list) == 5


@pytest.mark.parametrize(
    ("value", "tab"), [("recognition", "recognition"), ("", ""), (None, ""), ("messages", ""), ("FILING", "")]
)
def test_tab_key_names_a_category_or_all(value, tab):
    assert selectors.tab_key(value) == tab


def test_message_of_answers_the_owner_only(enterprise, other_enterprise):
    message = MessageFactory(enterprise=enterprise)
    assert selectors.message_of(enterprise, message.pk) == message
    assert selectors.message_of(other_enterprise, message.pk) is None
    assert selectors.message_of(None, message.pk) is None
    assert selectors.message_of(enterprise, message.pk + 1000) is None


def test_owner_phone_is_the_bound_phone(enterprise):
    from tests.inbox.conftest import OWNER_PHONE

    assert selectors.owner_phone(enterprise) == OWNER_PHONE


def test_a_page_with_its_known_total_costs_one_query(enterprise, django_assert_num_queries):
    MessageFactory.create_batch(3, enterprise=enterprise)
    with django_assert_num_queries(1):
        page = selectors.messages_page(enterprise, total=3)
        assert len(page.object_list) == 3 and page.paginator.num_pages == 1
