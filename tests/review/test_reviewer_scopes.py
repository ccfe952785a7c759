"""审核人员范围 replaces the province-only 工作人员所属省份 (issue 12 item 1): the staff region every
admin screen asks for (``staff_region_code``) is the ReviewerScope's, the old rows became 省级
scopes, and a 省级管理员 manages the scopes of their own province only."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group

from portal.core.scopes import ALL_REGIONS, staff_region_code
from portal.review.models import ReviewerScope
from tests.accounts.factories import UserFactory
from tests.factories.recognition import region

pytestmark = pytest.mark.django_db
ADMIN = "/admin/review/reviewerscope/"


@pytest.fixture
def places():
    gd = region("440000", "广东省", "province")
    sz = region("440300", "深圳市", "prefecture", gd)
    js = region("320000", "江苏省", "province")
    return {
        "gd": gd,
        "sz": sz,
        "ns": region("440305", "南山区", "county", sz),
        "js": js,
        "zjg": region("320582", "张家港市", "county", region("320500", "苏州市", "prefecture", js)),
    }


def staff_with(level, place, *, provincial_admin=False):
    user = UserFactory(is_staff=True)
    if provincial_admin:
        user.groups.add(Group.objects.get(name="省级管理员"))
    if level:
        ReviewerScope.objects.create(user=user, level=level, region=place)
    return type(user).objects.get(pk=user.pk)


@pytest.mark.parametrize(
    ("level", "place", "expected"),
    [
        ("county", "ns", "440305"),
        ("city", "sz", "440300"),
        ("province", "gd", "440000"),
        ("ministry", None, None),
    ],
)
def test_the_staff_region_is_the_reviewer_scope(places, level, place, expected):
    user = staff_with(level, places[place] if place else None)
    assert staff_region_code(user) == (ALL_REGIONS if expected is None else expected)


def test_staff_without_a_scope_have_no_region(places):
    assert staff_region_code(staff_with(None, None)) == ""
    outsider = UserFactory(is_staff=False)  # a scope of a non-staff account grants nothing
    ReviewerScope.objects.create(user=outsider, level="province", region=places["gd"])
    assert staff_region_code(type(outsider).objects.get(pk=outsider.pk)) == ""


def test_each_staff_region_became_a_province_scope(places, django_user_model):
    """The data migration, on rows shaped like the old StaffRegion."""
    import importlib

    migration = importlib.import_module("portal.review.migrations.0003_staff_regions_to_reviewer_scopes")
    moved, kept = UserFactory(is_staff=True), staff_with("county", places["ns"])
    old_rows = [
        SimpleNamespace(user_id=moved.pk, province_id=places["js"].pk),
        SimpleNamespace(user_id=kept.pk, province_id=places["gd"].pk),
    ]
    old_model = SimpleNamespace(
        objects=SimpleNamespace(all=lambda: SimpleNamespace(iterator=lambda: old_rows))
    )
    models = {("accounts", "StaffRegion"): old_model, ("review", "ReviewerScope"): ReviewerScope}
    migration.forwards(SimpleNamespace(get_model=lambda app, name: models[(app, name)]), None)
    scope = ReviewerScope.objects.get(user=moved)
    assert (scope.level, scope.region.code) == ("province", "320000")
    assert ReviewerScope.objects.get(user=kept).region.code == "440305"  # an existing scope is kept


def test_a_provincial_admin_manages_only_their_province(client, places):
    admin = staff_with("province", places["gd"], provincial_admin=True)
    in_gd = staff_with("county", places["ns"])
    in_js = staff_with("county", places["zjg"])
    client.force_login(admin)
    listing = client.get(ADMIN).content.decode()
    assert in_gd.username in listing and in_js.username not in listing
    assert client.get(f"{ADMIN}edit/{in_js.reviewer_scope.pk}/").status_code == 404
    newcomer = UserFactory(is_staff=True)
    refused = client.post(
        f"{ADMIN}create/", {"user": newcomer.pk, "level": "county", "region": places["zjg"].pk}
    )
    assert refused.status_code == 200 and not ReviewerScope.objects.filter(user=newcomer).exists()
    ministry = client.post(f"{ADMIN}create/", {"user": newcomer.pk, "level": "ministry", "region": ""})
    assert ministry.status_code == 200 and not ReviewerScope.objects.filter(user=newcomer).exists()
    client.post(f"{ADMIN}create/", {"user": newcomer.pk, "level": "county", "region": places["ns"].pk})
    assert ReviewerScope.objects.get(user=newcomer).region.code == "440305"


def test_a_provincial_admin_neither_lists_nor_takes_another_provinces_staff(client, places):
    admin = staff_with("province", places["gd"], provincial_admin=True)
    in_gd, in_js, unscoped = (
        staff_with("county", places["ns"]),
        staff_with("province", places["js"]),
        staff_with(None, None),
    )
    client.force_login(admin)
    form = client.get(f"{ADMIN}create/").content.decode()
    assert in_gd.username in form and unscoped.username in form
    assert in_js.username not in form  # Jiangsu's staff are not Guangdong's to see
    # moving Jiangsu's reviewer into Guangdong by editing a Guangdong scope is refused as well
    scope = in_gd.reviewer_scope
    response = client.post(
        f"{ADMIN}edit/{scope.pk}/", {"user": in_js.pk, "level": "county", "region": places["ns"].pk}
    )
    assert response.status_code == 200
    assert ReviewerScope.objects.get(pk=scope.pk).user_id == in_gd.pk
    assert ReviewerScope.objects.get(user=in_js).region.code == "320000"


def test_a_city_scope_in_the_provincial_group_manages_no_scope(client, places):
    city_admin = staff_with("city", places["sz"], provincial_admin=True)
    in_city = staff_with("county", places["ns"])
    client.force_login(city_admin)
    assert in_city.username not in client.get(ADMIN).content.decode()
