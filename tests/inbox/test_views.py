"""我的消息 pages: the owner's messages only, tabs, read marking, 【全部标为已读】, the badges."""

from __future__ import annotations

import pytest
from django.utils import timezone

from portal.inbox.models import Message
from tests.enterprises.factories import UserFactory
from tests.factories.inbox import MessageFactory

pytestmark = pytest.mark.django_db

INDEX = "/enterprise/messages/"
NAV_BADGE = '<span class="badge rounded-pill text-bg-danger">{}<span class="visually-hidden">条未读</span>'


def detail(message) -> str:
    return f"/enterprise/messages/{message.pk}/"


@pytest.fixture
def signed_in(client, owner):
    client.force_login(owner)
    return client


def nav(body: str) -> str:
    start = body.index('id="centre-nav-links"')
    return body[start : body.index("</nav>", start)]


@pytest.mark.parametrize("url", [INDEX, f"{INDEX}?category=filing", "/enterprise/messages/1/"])
def test_anonymous_visitor_is_sent_to_login_and_back(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")


def test_anonymous_mark_all_read_changes_nothing(client, enterprise):
    MessageFactory(enterprise=enterprise)
    response = client.post("/enterprise/messages/read-all/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert Message.objects.filter(read_at__isnull=True).count() == 1


def test_the_index_is_in_the_centre_frame_with_its_nav_item_active(signed_in, enterprise):
    response = signed_in.get(INDEX)
    assert response.status_code == 200
    assert [entry.key for entry in response.context["centre_nav"] if entry.active] == ["messages"]
    assert 'data-testid="no-messages"' in response.content.decode()


def test_the_index_shows_the_tabs_with_their_unread_counts(signed_in, enterprise):
    MessageFactory.create_batch(2, enterprise=enterprise, category="filing")
    MessageFactory(enterprise=enterprise, category="recognition", read_at=timezone.now())
    body = signed_in.get(INDEX).content.decode()
    tabs = body[
        body.index('data-testid="inbox-tabs"') : body.index("</ul>", body.index('data-testid="inbox-tabs"'))
    ]
    for label in ("全部", "认定到期", "信息更新", "认定通知", "取消认定", "申报提醒"):
        assert label in tabs
    assert tabs.count("条未读") == 2  # 全部 (2) and 申报提醒 (2)
    assert 'href="/enterprise/messages/?category=filing"' in tabs


def test_unread_messages_are_bold_and_marked(signed_in, enterprise):
    unread = MessageFactory(enterprise=enterprise, title="未读的提醒")
    read = MessageFactory(enterprise=enterprise, title="已读的提醒", read_at=timezone.now())
    body = signed_in.get(INDEX).content.decode()
    unread_item = body[body.index(f'data-message="{unread.pk}"') - 80 : body.index("未读的提醒")]
    read_item = body[body.index(f'data-message="{read.pk}"') - 80 : body.index("已读的提醒")]
    assert "inbox-unread" in unread_item and ">未读</span>" in unread_item
    assert "inbox-unread" not in read_item and ">未读</span>" not in read_item


def test_a_tab_shows_its_category_only(signed_in, enterprise):
    MessageFactory(enterprise=enterprise, category="filing", title="申报已退回")
    MessageFactory(enterprise=enterprise, category="recognition", title="已认定")
    response = signed_in.get(f"{INDEX}?category=recognition")
    body = response.content.decode()
    assert "已认定" in body and "申报已退回" not in body
    assert 'aria-current="page" data-tab="recognition"' in body
    assert f'href="/enterprise/messages/{Message.objects.get(title="已认定").pk}/?tab=recognition"' in body


def test_an_empty_tab_says_so(signed_in, enterprise):
    MessageFactory(enterprise=enterprise, category="filing")
    body = signed_in.get(f"{INDEX}?category=cancellation").content.decode()
    assert "暂无【取消认定】消息。" in body


def test_an_unknown_category_shows_all(signed_in, enterprise):
    MessageFactory(enterprise=enterprise, category="filing", title="申报已退回")
    body = signed_in.get(f"{INDEX}?category=nonsense").content.decode()
    assert "申报已退回" in body and 'aria-current="page" data-tab="all"' in body


def test_the_list_is_paginated(signed_in, enterprise):
    MessageFactory.create_batch(23, enterprise=enterprise)
    first = signed_in.get(INDEX)
    second = signed_in.get(f"{INDEX}?page=2")
    assert len(first.context["page_obj"].object_list) == 20
    assert len(second.context["page_obj"].object_list) == 3
    assert 'aria-label="第 2 页"' in first.content.decode()


def test_the_index_queries_do_not_grow_with_messages(signed_in, enterprise, django_assert_max_num_queries):
    MessageFactory.create_batch(3, enterprise=enterprise)
    signed_in.get(INDEX)
    with django_assert_max_num_queries(11) as few:
        signed_in.get(INDEX)
    MessageFactory.create_batch(30, enterprise=enterprise, category="recognition")
    with django_assert_max_num_queries(len(few.captured_queries)):
        signed_in.get(INDEX)


def test_opening_a_message_shows_it_and_marks_it_read(signed_in, enterprise):
    message = MessageFactory(
        enterprise=enterprise,
        title="您的申报已被退回",
        body="退回原因：<b>营业收入</b>不一致。\n请修改后重新提交。",
        link="/enterprise/filings/12/",
    )
    response = signed_in.get(detail(message))
    body = response.content.decode()
    assert response.status_code == 200
    assert "您的申报已被退回" in body
    assert (
        "退回原因：&lt;b&gt;营业收入&lt;/b&gt;不一致。<br>请修改后重新提交。" in body
    )  # text, line breaks kept
    assert 'href="/enterprise/filings/12/" data-testid="message-link"' in body
    assert Message.objects.get(pk=message.pk).read_at is not None


def test_a_message_without_a_link_has_no_link_button(signed_in, enterprise):
    body = signed_in.get(detail(MessageFactory(enterprise=enterprise))).content.decode()
    assert 'data-testid="message-link"' not in body


def test_the_message_page_leads_back_to_the_tab_it_was_opened_from(signed_in, enterprise):
    message = MessageFactory(enterprise=enterprise, category="recognition")
    assert (
        'href="/enterprise/messages/?category=recognition"'
        in signed_in.get(f"{detail(message)}?tab=recognition").content.decode()
    )
    assert 'href="/enterprise/messages/">返回我的消息' in signed_in.get(detail(message)).content.decode()


def test_reading_a_message_lowers_the_navigation_badge(signed_in, enterprise):
    first, _second = MessageFactory.create_batch(2, enterprise=enterprise)
    assert NAV_BADGE.format(2) in nav(signed_in.get(INDEX).content.decode())
    assert NAV_BADGE.format(1) in nav(signed_in.get(detail(first)).content.decode())


@pytest.mark.parametrize("who", ["other_owner", "no_enterprise"])
def test_someone_elses_message_is_a_404_and_stays_unread(
    client, enterprise, other_enterprise, other_owner, who
):
    message = MessageFactory(enterprise=enterprise)
    client.force_login(other_owner if who == "other_owner" else UserFactory(username="qiye_none"))
    assert client.get(detail(message)).status_code == 404
    assert Message.objects.get(pk=message.pk).read_at is None


def test_an_id_that_does_not_exist_is_a_404(signed_in, enterprise):
    assert signed_in.get("/enterprise/messages/999999/").status_code == 404


def test_mark_all_read_reads_the_tabs_messages_and_goes_back_to_the_tab(
    signed_in, enterprise, other_enterprise
):
    MessageFactory.create_batch(2, enterprise=enterprise, category="filing")
    MessageFactory(enterprise=enterprise, category="recognition")
    MessageFactory(enterprise=other_enterprise, category="filing")
    response = signed_in.post("/enterprise/messages/read-all/", {"category": "filing"})
    assert response.status_code == 302 and response["Location"] == "/enterprise/messages/?category=filing"
    unread = Message.objects.filter(read_at__isnull=True)
    assert sorted(unread.values_list("enterprise", "category")) == sorted(
        [(other_enterprise.pk, "filing"), (enterprise.pk, "recognition")]
    )
    page = signed_in.get(response["Location"]).content.decode()
    assert "已将 2 条消息标为已读。" in page


def test_mark_all_read_on_all_reads_every_message(signed_in, enterprise):
    MessageFactory(enterprise=enterprise, category="filing")
    MessageFactory(enterprise=enterprise, category="recognition")
    response = signed_in.post("/enterprise/messages/read-all/")
    assert response["Location"] == "/enterprise/messages/"
    assert not Message.objects.filter(read_at__isnull=True).exists()


def test_mark_all_read_is_offered_only_where_something_is_unread(signed_in, enterprise):
    MessageFactory(enterprise=enterprise, category="filing")
    assert "【全部标为已读】" in signed_in.get(INDEX).content.decode()
    assert "【全部标为已读】" not in signed_in.get(f"{INDEX}?category=recognition").content.decode()


def test_mark_all_read_answers_get_with_405(signed_in, enterprise):
    assert signed_in.get("/enterprise/messages/read-all/").status_code == 405


def test_the_centre_home_shows_the_unread_count(signed_in, enterprise):
    assert 'data-testid="unread-messages"' not in signed_in.get("/enterprise/home/").content.decode()
    MessageFactory.create_batch(3, enterprise=enterprise)
    body = signed_in.get("/enterprise/home/").content.decode()
    assert "您有 3 条未读消息。" in body and 'data-testid="centre-nav-toggle-badge"' in body
