"""Selectors: update window, completeness, questionnaire mapping, history, region scoping."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.enterprises.models import Enterprise, ProfileUpdateWindow
from portal.enterprises.selectors import (
    enterprise_for_user,
    enterprises_in_region,
    is_profile_complete,
    list_profile_versions,
    missing_profile_fields,
    profile_edit_state,
    questionnaire_key_for,
    update_window_status,
    window_status,
)
from portal.enterprises.services import update_enterprise_profile

from .conftest import profile_data
from .factories import EnterpriseFactory

D = dt.date


# --- window (pure) ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2026, 1, 1), (True, D(2026, 1, 1), D(2026, 4, 30))),
        (D(2026, 4, 30), (True, D(2026, 1, 1), D(2026, 4, 30))),
        (D(2026, 5, 1), (False, D(2027, 1, 1), D(2027, 4, 30))),
        (D(2026, 12, 31), (False, D(2027, 1, 1), D(2027, 4, 30))),
    ],
)
def test_window_status_default_window(today, expected):
    assert tuple(window_status(today, (1, 1), (4, 30))) == expected


def test_window_status_before_a_later_window_points_at_this_year():
    assert tuple(window_status(D(2026, 2, 1), (3, 1), (4, 30))) == (False, D(2026, 3, 1), D(2026, 4, 30))


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2026, 1, 15), (True, D(2025, 12, 1), D(2026, 2, 28))),
        (D(2026, 12, 1), (True, D(2026, 12, 1), D(2027, 2, 28))),
        (D(2026, 3, 1), (False, D(2026, 12, 1), D(2027, 2, 28))),
    ],
)
def test_window_status_wrapping_the_new_year(today, expected):
    assert tuple(window_status(today, (12, 1), (2, 28))) == expected


def test_window_status_clamps_february_29_in_common_years():
    assert window_status(D(2027, 2, 28), (1, 1), (2, 29)).end == D(2027, 2, 28)
    assert window_status(D(2028, 2, 29), (1, 1), (2, 29)).is_open


@pytest.mark.django_db
def test_update_window_status_reads_the_admin_setting():
    window = ProfileUpdateWindow.load()
    window.start_month, window.start_day, window.end_month, window.end_day = 3, 1, 3, 31
    window.save()

    is_open, start, end = update_window_status(D(2026, 3, 31))

    assert (is_open, start, end) == (True, D(2026, 3, 1), D(2026, 3, 31))


@pytest.mark.django_db
def test_window_setting_rejects_impossible_day():
    from django.core.exceptions import ValidationError

    window = ProfileUpdateWindow(start_month=2, start_day=30, end_month=4, end_day=31)
    with pytest.raises(ValidationError) as info:
        window.clean()
    assert set(info.value.message_dict) == {"start_day", "end_day"}


# --- edit state -------------------------------------------------------------------------------


def test_edit_state_not_recognised_is_always_editable(enterprise):
    state = profile_edit_state(enterprise, D(2026, 8, 1))
    assert (state.can_edit, state.mode) == (True, "edit")


@pytest.mark.parametrize(("today", "can_edit"), [(D(2026, 4, 30), True), (D(2026, 5, 1), False)])
def test_edit_state_recognised_follows_window(enterprise, today, can_edit):
    enterprise.is_recognised = True
    state = profile_edit_state(enterprise, today)
    assert (state.can_edit, state.mode) == (can_edit, "annual_update")


# --- completeness and questionnaire ------------------------------------------------------------


def test_new_enterprise_lists_missing_fields_in_chinese(enterprise):
    missing = missing_profile_fields(enterprise)

    assert missing[:3] == ["注册地", "所属行业", "成立日期"]
    assert "联系电话" in missing and "主要产品（服务）" in missing
    assert not is_profile_complete(enterprise)


def test_filled_profile_is_complete(enterprise, owner, regions, industries):
    update_enterprise_profile(enterprise=enterprise, user=owner, data=profile_data(regions, industries))
    enterprise.refresh_from_db()

    assert missing_profile_fields(enterprise) == []
    assert is_profile_complete(enterprise)


def test_blank_text_counts_as_missing(enterprise, owner, regions, industries):
    update_enterprise_profile(
        enterprise=enterprise, user=owner, data=profile_data(regions, industries, address="   ")
    )
    enterprise.refresh_from_db()

    assert missing_profile_fields(enterprise) == ["通讯地址"]


def test_no_enterprise_is_not_complete():
    assert not is_profile_complete(None)


@pytest.mark.parametrize(
    ("industry", "key"),
    [("39", "digital_manufacturing"), ("65", "digital_services"), ("62", "digital_other")],
)
def test_questionnaire_key_follows_industry_category(enterprise, industries, industry, key):
    enterprise.industry = industries[industry]
    assert questionnaire_key_for(enterprise) == key


def test_questionnaire_key_follows_staff_edited_category(enterprise, industries):
    industries["65"].questionnaire_category = "manufacturing"
    industries["65"].save()
    enterprise.industry = industries["65"]
    assert questionnaire_key_for(enterprise) == "digital_manufacturing"


def test_questionnaire_key_is_none_without_industry(enterprise):
    assert questionnaire_key_for(enterprise) is None


# --- ownership, history, region scoping ---------------------------------------------------------


def test_enterprise_for_user_returns_only_own(enterprise, owner, other_enterprise, other_owner):
    assert enterprise_for_user(owner) == enterprise
    assert enterprise_for_user(other_owner) == other_enterprise


def test_enterprise_for_user_none_for_anonymous_and_unverified(db):
    from django.contrib.auth.models import AnonymousUser

    from .factories import UserFactory

    assert enterprise_for_user(AnonymousUser()) is None
    assert enterprise_for_user(UserFactory()) is None


def test_history_lists_newest_first_with_before_and_after(enterprise, owner, regions, industries):
    update_enterprise_profile(enterprise=enterprise, user=owner, data=profile_data(regions, industries))
    update_enterprise_profile(
        enterprise=enterprise, user=owner, data={"region": regions["440304"], "employees": 130}
    )

    entries = list_profile_versions(enterprise)

    assert [e.version.number for e in entries] == [2, 1]
    changes = {c.name: (c.label, c.before, c.after) for c in entries[0].changes}
    assert changes["region"] == ("注册地", "广东省 深圳市 南山区", "广东省 深圳市 福田区")
    assert changes["employees"] == ("从业人员数（人）", "120", "130")


def test_enterprises_in_region_scopes_by_code_prefix(regions, industries):
    in_sz = EnterpriseFactory(region=regions["440305"])
    in_hz = EnterpriseFactory(region=regions["330106"])
    EnterpriseFactory()

    assert list(enterprises_in_region("440000")) == [in_sz]
    assert list(enterprises_in_region("440300")) == [in_sz]
    assert list(enterprises_in_region("330106")) == [in_hz]
    assert Enterprise.objects.count() == 3
