"""The 参考数据 admin: visible to permitted staff only; industries edit only the category."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from portal.reference.models import Industry, Region

REGION_INDEX = "/admin/reference/region/"
INDUSTRY_INDEX = "/admin/reference/industry/"


@pytest.fixture
def superuser():
    return get_user_model().objects.create_superuser("root", "root@example.com", "pw-Strong-1")


@pytest.fixture
def plain_staff():
    user = get_user_model().objects.create_user("staff", "staff@example.com", "pw-Strong-1", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


@pytest.mark.parametrize(
    "url", [REGION_INDEX, INDUSTRY_INDEX, REGION_INDEX + "?q=东城", INDUSTRY_INDEX + "?level=division"]
)
def test_admin_lists_load_for_superuser(client, superuser, url):
    client.force_login(superuser)
    assert client.get(url).status_code == 200


def test_region_search_finds_by_name(client, superuser):
    client.force_login(superuser)
    assert "110101" in client.get(REGION_INDEX, {"q": "东城区"}).content.decode()


@pytest.mark.parametrize("url", [REGION_INDEX, INDUSTRY_INDEX])
def test_admin_lists_refused_without_permission(client, plain_staff, url):
    client.force_login(plain_staff)
    assert client.get(url).status_code in (302, 403)


def test_menu_hidden_without_permission(client, plain_staff):
    client.force_login(plain_staff)
    assert "参考数据" not in client.get("/admin/").content.decode()


def test_regions_are_read_only(client, superuser):
    client.force_login(superuser)
    region_pk = Region.objects.get(code="110101").pk
    assert client.get(f"{REGION_INDEX}edit/{region_pk}/").status_code in (302, 403)
    assert client.get(f"{REGION_INDEX}create/").status_code in (302, 403)


def test_editing_an_industry_category_marks_it_as_staff_set(client, superuser):
    client.force_login(superuser)
    industry = Industry.objects.get(code="52")
    url = f"{INDUSTRY_INDEX}edit/{industry.pk}/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"questionnaire_category": "producer_services", "name": "改名"})
    assert response.status_code == 302
    industry.refresh_from_db()
    assert industry.questionnaire_category == "producer_services"
    assert industry.category_set_by_staff
    assert industry.name == "零售业"  # only the category is editable
