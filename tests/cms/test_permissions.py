"""The 编辑 group (created by a migration) edits pages and nothing else."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import Site

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(db):
    user = get_user_model().objects.create_user(username="bianji", password="x-Password-1")
    user.groups.add(Group.objects.get(name="编辑"))
    return user


def test_editor_can_open_the_page_editor_of_a_notice(client, editor, make_notice):
    notice = make_notice()
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200
    assert client.get(f"/admin/pages/{notice.pk}/edit/").status_code == 200
    assert client.get(f"/admin/pages/add/cms/noticepage/{notice.get_parent().pk}/").status_code == 200


def test_editor_cannot_manage_users(client, editor):
    client.force_login(editor)
    response = client.get("/admin/users/")
    assert response.status_code in (302, 403)


def test_editor_cannot_open_the_portal_settings(client, editor, home, admin_user):
    site = Site.objects.get(is_default_site=True)
    url = f"/admin/settings/cms/portalsettings/{site.pk}/"
    client.force_login(admin_user)
    assert client.get(url).status_code == 200  # the URL is right
    client.force_login(editor)
    assert client.get(url).status_code in (302, 403)


def test_editor_group_has_only_admin_access_as_global_permission():
    group = Group.objects.get(name="编辑")
    assert list(group.permissions.values_list("codename", flat=True)) == ["access_admin"]
    codenames = set(group.collection_permissions.values_list("permission__codename", flat=True))
    assert codenames == {
        "add_document",
        "change_document",
        "choose_document",
        "add_image",
        "change_image",
        "choose_image",
    }
