"""The home page's notice lists are cached and made stale by publish, unpublish and delete."""

import pytest

from cms.models import NoticePage

pytestmark = pytest.mark.django_db


def test_home_notice_lists_are_served_from_the_cache(client, make_notice):
    notice = make_notice(title="原标题通知")
    assert "原标题通知" in client.get("/").content.decode()
    # a change that bypasses publishing is not seen: the list comes from the cache
    NoticePage.objects.filter(pk=notice.pk).update(title="改后标题")
    assert "原标题通知" in client.get("/").content.decode()


def test_publishing_a_notice_invalidates_the_home_lists(client, make_notice):
    make_notice(title="先前的通知")
    client.get("/")
    notice = make_notice(title="新发布的通知")
    assert "新发布的通知" not in client.get("/").content.decode()  # created without publishing: cached
    notice.save_revision().publish()
    assert "新发布的通知" in client.get("/").content.decode()


def test_unpublishing_a_notice_removes_it_from_the_home_page(client, make_notice):
    notice = make_notice(title="将撤下的通知")
    assert "将撤下的通知" in client.get("/").content.decode()
    notice.unpublish()
    assert "将撤下的通知" not in client.get("/").content.decode()


def test_deleting_a_notice_removes_it_from_the_home_page(client, make_notice):
    notice = make_notice(title="将删除的通知")
    assert "将删除的通知" in client.get("/").content.decode()
    notice.delete()
    assert "将删除的通知" not in client.get("/").content.decode()
