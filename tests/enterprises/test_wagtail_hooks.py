"""Admin registers: masked numbers in lists, full ID only with the permission, search, filters."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission

from portal.core.masking import mask_id_number, mask_phone
from portal.enterprises.services import update_enterprise_profile

from .factories import EnterpriseFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST = "/admin/enterprises/enterprise/"
VERSIONS = "/admin/enterprises/enterpriseprofileversion/"


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


def regional_staff(username: str, province):
    """Staff of one province who may list and inspect enterprises, without the full-ID permission."""
    from portal.review.models import ReviewerScope

    user = UserFactory(username=username, is_staff=True)
    group, _created = Group.objects.get_or_create(name="企业信息查看")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_enterprise"),
        Permission.objects.get(codename="view_enterpriseprofileversion"),
    )
    user.groups.add(group)
    ReviewerScope.objects.create(user=user, level="province", region=province)
    return user


@pytest.fixture
def staff(regions):
    return regional_staff("staff1", regions["330000"])  # 浙江: other_enterprise is in 杭州


def test_list_masks_id_number_and_phone(client, superuser, other_enterprise):
    client.force_login(superuser)
    body = client.get(LIST).content.decode()
    assert other_enterprise.name in body
    assert mask_id_number(other_enterprise.legal_representative_id) in body
    assert other_enterprise.legal_representative_id not in body
    assert mask_phone("13912345678") in body and "13912345678" not in body


def test_list_searches_by_name_and_uscc(client, superuser, enterprise, other_enterprise):
    client.force_login(superuser)
    by_name = client.get(LIST, {"q": "乙软件"}).content.decode()
    assert other_enterprise.name in by_name and enterprise.name not in by_name
    by_uscc = client.get(LIST, {"q": enterprise.uscc}).content.decode()
    assert enterprise.name in by_uscc and other_enterprise.name not in by_uscc


def test_list_filters_by_province_and_recognised(client, superuser, regions, other_enterprise):
    in_gd = EnterpriseFactory(name="广东丙公司", region=regions["440305"], is_recognised=True)
    client.force_login(superuser)
    body = client.get(LIST, {"province": "440000"}).content.decode()
    assert in_gd.name in body and other_enterprise.name not in body
    body = client.get(LIST, {"is_recognised__exact": "1"}).content.decode()
    assert in_gd.name in body and other_enterprise.name not in body


def test_inspect_shows_full_id_to_superuser(client, superuser, other_enterprise):
    client.force_login(superuser)
    body = client.get(f"{LIST}inspect/{other_enterprise.pk}/").content.decode()
    assert other_enterprise.legal_representative_id in body
    assert "杭州市 西湖区" in body
    assert "13912345678" not in body


def test_inspect_masks_id_for_staff_without_permission(client, staff, other_enterprise):
    client.force_login(staff)
    list_body = client.get(LIST).content.decode()
    assert other_enterprise.name in list_body
    response = client.get(f"{LIST}inspect/{other_enterprise.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert other_enterprise.legal_representative_id not in body
    assert mask_id_number(other_enterprise.legal_representative_id) in body


def test_inspect_shows_full_id_to_staff_with_permission(client, staff, other_enterprise):
    staff.user_permissions.add(Permission.objects.get(codename="view_legal_representative_id"))
    client.force_login(staff)
    body = client.get(f"{LIST}inspect/{other_enterprise.pk}/").content.decode()
    assert other_enterprise.legal_representative_id in body


def test_register_is_read_only(client, superuser, other_enterprise):
    client.force_login(superuser)
    assert client.get(f"{LIST}edit/{other_enterprise.pk}/").status_code in (302, 403)
    assert client.get(f"{LIST}create/").status_code in (302, 403)


def test_enterprise_user_cannot_open_the_admin(client, owner, other_enterprise):
    client.force_login(owner)
    response = client.get(f"{LIST}inspect/{other_enterprise.pk}/")
    assert response.status_code in (302, 403)
    assert other_enterprise.legal_representative_id not in response.content.decode()


def test_versions_are_listed_and_inspectable_with_masked_phone(
    client, superuser, other_enterprise, other_owner
):
    update_enterprise_profile(enterprise=other_enterprise, user=other_owner, data={"employees": 11})
    version = other_enterprise.versions.get()
    client.force_login(superuser)
    list_body = client.get(VERSIONS).content.decode()
    assert other_enterprise.name in list_body and "从业人员数（人）" in list_body
    body = client.get(f"{VERSIONS}inspect/{version.pk}/").content.decode()
    assert "杭州市 西湖区" in body
    assert mask_phone("13912345678") in body and "13912345678" not in body


def test_window_setting_is_editable_in_admin(client, superuser):
    client.force_login(superuser)
    response = client.get("/admin/settings/enterprises/profileupdatewindow/", follow=True)
    assert response.status_code == 200
    assert "开放开始月份" in response.content.decode()


def test_staff_of_another_province_see_neither_the_list_nor_the_objects(
    client, regions, other_enterprise, other_owner
):
    """Every admin view is scoped like its list: inspect and history by id included (issue 8, item 9)."""
    update_enterprise_profile(enterprise=other_enterprise, user=other_owner, data={"employees": 11})
    version = other_enterprise.versions.get()
    client.force_login(regional_staff("gdstaff", regions["440000"]))
    assert other_enterprise.name not in client.get(LIST).content.decode()
    assert other_enterprise.name not in client.get(VERSIONS).content.decode()
    for url in (
        f"{LIST}inspect/{other_enterprise.pk}/",
        f"{LIST}history/{other_enterprise.pk}/",
        f"{VERSIONS}inspect/{version.pk}/",
        f"{VERSIONS}history/{version.pk}/",
    ):
        assert client.get(url).status_code == 404, url


def test_staff_of_the_province_see_the_history(client, staff, other_enterprise):
    client.force_login(staff)
    assert client.get(f"{LIST}history/{other_enterprise.pk}/").status_code == 200


def test_enterprise_without_a_region_is_scoped_by_its_uscc(client, regions):
    """No 注册地 yet: the registration authority in the USCC decides (characters 3–4), as everywhere."""
    from portal.core.identity import uscc_check_character

    first17 = "91330106MA2DEM002"
    unregistered = EnterpriseFactory(
        name="未填注册地公司", uscc=first17 + uscc_check_character(first17), region=None
    )
    client.force_login(regional_staff("zjstaff", regions["330000"]))
    assert unregistered.name in client.get(LIST).content.decode()
    client.force_login(regional_staff("gdstaff", regions["440000"]))
    assert unregistered.name not in client.get(LIST).content.decode()


def test_the_province_filter_follows_the_one_province_rule(client, superuser, regions):
    """Issue 9 item 8: without 注册地 an enterprise is in the province of its USCC's registration
    authority (characters 3–4), as every other list and queue decides — not left out."""
    from tests.factories.identity import make_uscc

    no_region = EnterpriseFactory(name="广东未填注册地公司", uscc=make_uscc("MA5D8XX91", region="440305"))
    elsewhere = EnterpriseFactory(name="浙江未填注册地公司", uscc=make_uscc("MA5D8XX92", region="330106"))
    client.force_login(superuser)
    body = client.get(LIST, {"province": "440000"}).content.decode()
    assert no_region.name in body and elsewhere.name not in body
