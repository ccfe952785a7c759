"""The admin's 企业申报 → 申报时间 and 申报条件 (portal.filings.wagtail_hooks, forms): a 省级管理员 keeps
their own province's windows and requirements only; windows of one province and level never overlap;
the nationwide 申报条件 are read-only for them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group

from portal.filings.models import FilingRequirement, FilingWindow
from portal.review.models import ReviewerScope
from tests.accounts.factories import UserFactory
from tests.factories.filings import FilingRequirementFactory, FilingWindowFactory, county, province

pytestmark = pytest.mark.django_db

WINDOWS = "/admin/filings/filingwindow/"
REQUIREMENTS = "/admin/filings/filingrequirement/"
BEIJING = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def guangdong():
    return province("440000", "广东省")


@pytest.fixture
def zhejiang():
    return province("330000", "浙江省")


def provincial_admin(region):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="省级管理员"))  # created by the migration
    ReviewerScope.objects.create(user=user, level="province", region=region)
    return user


@pytest.fixture
def gd_admin(client, guangdong):
    client.force_login(provincial_admin(guangdong))
    return client


@pytest.fixture
def superuser(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def window_post(region, **overrides):
    data = {
        "province": region.pk,
        "level": "innovative",
        "year": "2026",
        "batch": "1",
        "opens_at": "2026-03-01 09:00",
        "closes_at": "2026-03-31 17:30",
        "note": "",
    }
    data.update(overrides)
    return data


def form_error_codes(response, field) -> set[str]:
    return {error.code for error in response.context["form"].errors.as_data().get(field, [])}


def at(day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, 0, tzinfo=BEIJING)


# --- 申报时间 ----------------------------------------------------------------------------------------


def test_provincial_admin_lists_only_their_provinces_windows(gd_admin, guangdong, zhejiang):
    FilingWindowFactory(province=guangdong, note="广东第一批")
    FilingWindowFactory(province=zhejiang, note="浙江第一批")
    body = gd_admin.get(WINDOWS).content.decode()
    assert "广东省" in body and "浙江省" not in body


def test_superuser_lists_every_provinces_windows(superuser, guangdong, zhejiang):
    FilingWindowFactory(province=guangdong)
    FilingWindowFactory(province=zhejiang)
    body = superuser.get(WINDOWS).content.decode()
    assert "广东省" in body and "浙江省" in body


def test_provincial_admin_edits_a_window_of_their_province(gd_admin, guangdong):
    window = FilingWindowFactory(province=guangdong, opens_at=at(1), closes_at=at(31))
    response = gd_admin.post(
        f"{WINDOWS}edit/{window.pk}/", window_post(guangdong, note="延期至4月", batch="2")
    )
    assert response.status_code == 302
    window.refresh_from_db()
    assert (window.note, window.batch) == ("延期至4月", 2)


@pytest.mark.parametrize("action", ["edit", "delete", "inspect", "history"])
def test_provincial_admin_cannot_open_another_provinces_window(gd_admin, zhejiang, action):
    window = FilingWindowFactory(province=zhejiang)
    assert gd_admin.get(f"{WINDOWS}{action}/{window.pk}/").status_code == 404


def test_provincial_admin_cannot_change_another_provinces_window(gd_admin, zhejiang):
    window = FilingWindowFactory(province=zhejiang, note="")
    gd_admin.post(f"{WINDOWS}edit/{window.pk}/", window_post(zhejiang, note="改掉"))
    gd_admin.post(f"{WINDOWS}delete/{window.pk}/")
    window.refresh_from_db()
    assert window.note == ""


def test_provincial_admin_creates_a_window_of_their_province_in_beijing_time(gd_admin, guangdong):
    response = gd_admin.post(f"{WINDOWS}create/", window_post(guangdong))
    assert response.status_code == 302
    window = FilingWindow.objects.get()
    assert (window.province, window.opens_at, window.closes_at) == (
        guangdong,
        at(1),
        at(31, 17) + dt.timedelta(minutes=30),
    )


def test_provincial_admin_is_offered_only_their_province(gd_admin, guangdong, zhejiang):
    field = gd_admin.get(f"{WINDOWS}create/").context["form"].fields["province"]
    assert list(field.queryset) == [guangdong]


def test_provincial_admin_cannot_create_a_window_for_another_province(gd_admin, zhejiang):
    response = gd_admin.post(f"{WINDOWS}create/", window_post(zhejiang))
    assert response.status_code == 200 and form_error_codes(response, "province") == {"invalid_choice"}
    assert not FilingWindow.objects.exists()


def test_overlapping_window_is_refused_naming_the_other_batch(gd_admin, guangdong):
    FilingWindowFactory(province=guangdong, year=2026, batch=1, opens_at=at(1), closes_at=at(20))
    response = gd_admin.post(
        f"{WINDOWS}create/", window_post(guangdong, batch="2", opens_at="2026-03-15 09:00")
    )
    assert form_error_codes(response, "opens_at") == {"window_overlap"}
    message = response.context["form"].errors["opens_at"][0]
    assert "2026年第1批" in message and "2026-03-01 09:00" in message
    assert FilingWindow.objects.count() == 1


def test_windows_of_another_level_may_overlap(gd_admin, guangdong):
    FilingWindowFactory(province=guangdong, level="specialized", opens_at=at(1), closes_at=at(20))
    assert gd_admin.post(f"{WINDOWS}create/", window_post(guangdong)).status_code == 302


def test_a_window_may_open_when_the_previous_one_closes(gd_admin, guangdong):
    FilingWindowFactory(province=guangdong, year=2026, batch=1, opens_at=at(1), closes_at=at(10))
    response = gd_admin.post(
        f"{WINDOWS}create/", window_post(guangdong, batch="2", opens_at="2026-03-10 09:00")
    )
    assert response.status_code == 302 and FilingWindow.objects.count() == 2


def test_window_closing_before_it_opens_is_refused(gd_admin, guangdong):
    response = gd_admin.post(f"{WINDOWS}create/", window_post(guangdong, closes_at="2026-02-01 09:00"))
    assert form_error_codes(response, "closes_at") == {"closes_before_opens"}


# --- 申报条件 ----------------------------------------------------------------------------------------


def nationwide(level="innovative") -> FilingRequirement:
    return FilingRequirement.objects.get(level=level, province__isnull=True)


def requirement_post(region, **overrides):
    data = {
        "level": "innovative",
        "province": region.pk if region is not None else "",
        "definition_key": "innovation_self_test",
        "version_purpose": "",
        "requires_complete_profile": "on",
        "requires_recognition": "",
        "requires_evidence": "on",
    }
    data.update(overrides)
    return data


@pytest.fixture
def self_test(db):
    from tests.factories.filings import filing_forms

    filing_forms("innovative")


def test_provincial_admin_lists_the_nationwide_requirements_for_reference(gd_admin):
    body = gd_admin.get(REQUIREMENTS).content.decode()
    assert "全国（默认）" in body and "innovation_self_test" in body


def test_provincial_admin_inspects_a_nationwide_requirement(gd_admin):
    assert gd_admin.get(f"{REQUIREMENTS}inspect/{nationwide().pk}/").status_code == 200


@pytest.mark.parametrize("action", ["edit", "delete"])
def test_provincial_admin_cannot_open_a_nationwide_requirement_to_change_it(gd_admin, action):
    assert gd_admin.get(f"{REQUIREMENTS}{action}/{nationwide().pk}/").status_code == 404


def test_provincial_admin_cannot_change_a_nationwide_requirement(gd_admin, self_test):
    row = nationwide()
    gd_admin.post(f"{REQUIREMENTS}edit/{row.pk}/", requirement_post(None, requires_evidence=""))
    row.refresh_from_db()
    assert row.requires_evidence


def test_provincial_admin_is_not_offered_edit_on_a_nationwide_requirement(gd_admin):
    body = gd_admin.get(REQUIREMENTS).content.decode()
    assert f"{REQUIREMENTS}edit/{nationwide().pk}/" not in body


def test_provincial_admin_creates_their_provinces_requirement(gd_admin, guangdong, self_test):
    response = gd_admin.post(f"{REQUIREMENTS}create/", requirement_post(guangdong, requires_evidence=""))
    assert response.status_code == 302
    assert FilingRequirement.objects.get(level="innovative", province=guangdong).requires_evidence is False


def test_provincial_admin_cannot_create_a_nationwide_requirement(gd_admin, self_test):
    FilingRequirement.objects.filter(province__isnull=True, level="innovative").delete()
    response = gd_admin.post(f"{REQUIREMENTS}create/", requirement_post(None))
    assert form_error_codes(response, "province") == {"province_required"}


def test_provincial_admin_cannot_create_another_provinces_requirement(gd_admin, zhejiang, self_test):
    response = gd_admin.post(f"{REQUIREMENTS}create/", requirement_post(zhejiang))
    assert form_error_codes(response, "province") == {"invalid_choice"}


def test_provincial_admin_cannot_open_another_provinces_requirement(gd_admin, zhejiang):
    row = FilingRequirementFactory(province=zhejiang)
    assert gd_admin.get(f"{REQUIREMENTS}edit/{row.pk}/").status_code == 404


def test_requirement_naming_an_unknown_form_is_refused(gd_admin, guangdong):
    response = gd_admin.post(
        f"{REQUIREMENTS}create/", requirement_post(guangdong, definition_key="no_such_form")
    )
    assert form_error_codes(response, "definition_key") == {"unknown_definition"}


def test_requirement_asking_for_its_own_level_is_refused(gd_admin, guangdong, self_test):
    response = gd_admin.post(
        f"{REQUIREMENTS}create/", requirement_post(guangdong, requires_recognition="innovative")
    )
    assert form_error_codes(response, "requires_recognition") == {"same_level"}


def test_superuser_edits_a_nationwide_requirement(superuser, self_test):
    row = nationwide()
    response = superuser.post(f"{REQUIREMENTS}edit/{row.pk}/", requirement_post(None, requires_evidence=""))
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.requires_evidence is False


# --- a 省级管理员 whose review scope is narrower than a province ------------------------------------


@pytest.mark.parametrize("level", ["county", "city"])
def test_a_provincial_admin_scoped_below_a_province_keeps_no_provinces_settings(client, guangdong, level):
    """Group membership alone does not give a province: a member whose ReviewerScope is a county or
    a city keeps no province's 申报时间 or 申报条件 (before, the first two digits of the scope did)."""
    region = (
        county("440305", "南山区", ("440300", "深圳市"), guangdong)
        if level == "county"
        else county("440305", "南山区", ("440300", "深圳市"), guangdong).parent
    )
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="省级管理员"))
    ReviewerScope.objects.create(user=user, level=level, region=region)
    client.force_login(user)
    window = FilingWindowFactory(province=guangdong, note="广东第一批")
    FilingRequirementFactory(province=guangdong)
    assert "广东省" not in client.get(WINDOWS).content.decode()
    assert "广东省" not in client.get(REQUIREMENTS).content.decode()
    assert client.get(f"{WINDOWS}edit/{window.pk}/").status_code == 404
    response = client.post(f"{WINDOWS}create/", window_post(guangdong, note="越权"))
    assert not FilingWindow.objects.filter(note="越权").exists()
    assert response.status_code in (200, 403)
