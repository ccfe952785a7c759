"""Services: register_verified_enterprise and update_enterprise_profile, every path and error."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import ModelLogEntry

from portal.enterprises.models import Enterprise, EnterpriseProfileVersion, ProfileUpdateWindow
from portal.enterprises.services import (
    EnterpriseAlreadyClaimedError,
    EnterpriseIdentityMismatchError,
    EnterpriseRegistrationError,
    ProfileAccessDeniedError,
    ProfileFieldNotEditableError,
    ProfileLockedError,
    register_verified_enterprise,
    reveal_legal_representative_id,
    update_enterprise_profile,
)

from .conftest import profile_data
from .factories import make_id_number, make_uscc

pytestmark = pytest.mark.django_db

IDENTITY = {
    "name": "深圳市甲科技有限公司",
    "uscc": make_uscc(9001),
    "legal_representative": "张三",
    "legal_representative_id": make_id_number(901),
}


# --- register_verified_enterprise ----------------------------------------------------------


def test_register_creates_enterprise_owned_by_user_with_first_version(owner):
    enterprise = register_verified_enterprise(user=owner, **IDENTITY)

    assert enterprise.owner == owner
    assert (enterprise.name, enterprise.uscc, enterprise.legal_representative_id) == (
        IDENTITY["name"],
        IDENTITY["uscc"],
        IDENTITY["legal_representative_id"],
    )
    version = enterprise.versions.get()
    assert version.number == 1
    assert version.kind == EnterpriseProfileVersion.Kind.VERIFICATION
    assert version.created_by == owner
    assert version.data["uscc"] == IDENTITY["uscc"]


def test_register_keeps_id_number_out_of_version_and_audit_log(owner):
    enterprise = register_verified_enterprise(user=owner, **IDENTITY)

    assert IDENTITY["legal_representative_id"] not in str(enterprise.versions.get().data)
    entries = ModelLogEntry.objects.filter(object_id=str(enterprise.pk))
    assert entries.filter(action="wagtail.create").exists()
    assert all(IDENTITY["legal_representative_id"] not in str(e.data) for e in entries)


def test_register_normalises_uscc_and_id_number(owner):
    identity = {
        **IDENTITY,
        "uscc": " " + IDENTITY["uscc"].lower() + " ",
        "legal_representative_id": IDENTITY["legal_representative_id"].lower(),
    }
    enterprise = register_verified_enterprise(user=owner, **identity)

    assert enterprise.uscc == IDENTITY["uscc"]


def test_register_returns_existing_enterprise_when_called_again(owner):
    first = register_verified_enterprise(user=owner, **IDENTITY)
    again = register_verified_enterprise(user=owner, **IDENTITY)

    assert again.pk == first.pk
    assert Enterprise.objects.count() == 1
    assert first.versions.count() == 1  # nothing changed, no new version


def test_register_again_refreshes_changed_legal_representative_with_a_version(owner):
    register_verified_enterprise(user=owner, **IDENTITY)
    enterprise = register_verified_enterprise(
        user=owner,
        **{**IDENTITY, "legal_representative": "王五", "legal_representative_id": make_id_number(902)},
    )

    assert enterprise.legal_representative == "王五"
    latest = enterprise.versions.order_by("-number").first()
    assert latest.number == 2
    assert latest.changed_fields == ["legal_representative", "legal_representative_id"]


def test_register_refuses_uscc_claimed_by_another_account(owner, other_owner):
    register_verified_enterprise(user=other_owner, **IDENTITY)

    with pytest.raises(EnterpriseAlreadyClaimedError):
        register_verified_enterprise(user=owner, **IDENTITY)
    assert not Enterprise.objects.filter(owner=owner).exists()


def test_register_refuses_second_enterprise_for_the_same_account(owner):
    register_verified_enterprise(user=owner, **IDENTITY)

    with pytest.raises(EnterpriseIdentityMismatchError) as info:
        register_verified_enterprise(user=owner, **{**IDENTITY, "uscc": make_uscc(9002)})
    assert isinstance(info.value, EnterpriseRegistrationError)


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("uscc", "91440305MA5D8XXX1", "uscc_format"),
        ("uscc", make_uscc(9001)[:17] + ("0" if make_uscc(9001)[17] != "0" else "1"), "uscc_checksum"),
        ("legal_representative_id", "44030519800101001", "id_format"),
        ("name", "  ", "name_required"),
        ("legal_representative", "", "legal_representative_required"),
    ],
)
def test_register_rejects_invalid_identity(owner, field, value, code):
    with pytest.raises(ValidationError) as info:
        register_verified_enterprise(user=owner, **{**IDENTITY, field: value})
    assert info.value.code == code
    assert not Enterprise.objects.exists()


# --- update_enterprise_profile ---------------------------------------------------------------


def test_update_saves_profile_and_records_edit_version(enterprise, owner, regions, industries):
    updated = update_enterprise_profile(
        enterprise=enterprise, user=owner, data=profile_data(regions, industries)
    )

    updated.refresh_from_db()
    assert updated.region.code == "440305"
    assert updated.industry.code == "39"
    assert updated.registered_capital == Decimal("1200.5")
    version = updated.versions.get()
    assert version.kind == EnterpriseProfileVersion.Kind.EDIT
    assert version.number == 1
    assert version.created_by == owner and version.created_by_name == "qiye_a"
    assert set(version.changed_fields) == set(profile_data(regions, industries))
    assert version.data["region"] == "440305"
    assert version.data["region_label"] == "广东省 深圳市 南山区"
    assert version.data["registered_capital"] == "1200.5"


def test_update_accepts_region_and_industry_codes(enterprise, owner, regions, industries):
    update_enterprise_profile(enterprise=enterprise, user=owner, data={"region": "330106", "industry": "65"})

    enterprise.refresh_from_db()
    assert (enterprise.region.code, enterprise.industry.code) == ("330106", "65")


def test_update_records_only_changed_fields_in_next_version(enterprise, owner, regions, industries):
    update_enterprise_profile(enterprise=enterprise, user=owner, data=profile_data(regions, industries))
    update_enterprise_profile(
        enterprise=enterprise,
        user=owner,
        data=profile_data(regions, industries, employees=130, address="新地址"),
    )

    latest = enterprise.versions.order_by("-number").first()
    assert latest.number == 2
    assert latest.changed_fields == ["employees", "address"]


def test_update_without_changes_stores_no_version(enterprise, owner, regions, industries):
    update_enterprise_profile(enterprise=enterprise, user=owner, data=profile_data(regions, industries))
    update_enterprise_profile(enterprise=enterprise, user=owner, data=profile_data(regions, industries))

    assert enterprise.versions.count() == 1


def test_update_writes_audit_entry_without_values(enterprise, owner, regions, industries):
    update_enterprise_profile(enterprise=enterprise, user=owner, data=profile_data(regions, industries))

    entry = ModelLogEntry.objects.get(action="enterprises.update_profile", object_id=str(enterprise.pk))
    assert entry.user_id == owner.pk
    assert entry.data["changed_fields"]
    assert "13812345678" not in str(entry.data)


def test_update_by_another_user_is_refused(enterprise, other_owner, regions, industries):
    with pytest.raises(ProfileAccessDeniedError):
        update_enterprise_profile(
            enterprise=enterprise, user=other_owner, data=profile_data(regions, industries)
        )
    assert not enterprise.versions.exists()


@pytest.mark.parametrize(
    "field", ["name", "uscc", "legal_representative", "legal_representative_id", "owner", "is_recognised"]
)
def test_update_refuses_identity_and_unknown_fields(enterprise, owner, field):
    with pytest.raises(ProfileFieldNotEditableError) as info:
        update_enterprise_profile(enterprise=enterprise, user=owner, data={field: "x"})
    assert info.value.fields == [field]


def test_update_validates_values_given_directly(enterprise, owner):
    with pytest.raises(ValidationError) as info:
        update_enterprise_profile(enterprise=enterprise, user=owner, data={"contact_phone": "12345"})
    assert "联系电话" in str(info.value.message_dict["contact_phone"])
    assert not enterprise.versions.exists()


def test_update_rejects_unknown_region_code(enterprise, owner):
    with pytest.raises(ValidationError) as info:
        update_enterprise_profile(enterprise=enterprise, user=owner, data={"region": "999999"})
    assert "region" in info.value.message_dict


# --- the yearly window for recognised enterprises ---------------------------------------------


@pytest.mark.parametrize("today", [dt.date(2026, 1, 1), dt.date(2026, 2, 15), dt.date(2026, 4, 30)])
def test_recognised_enterprise_updates_inside_window_as_annual_update(
    enterprise, owner, regions, industries, today
):
    Enterprise.objects.filter(pk=enterprise.pk).update(is_recognised=True)
    enterprise.refresh_from_db()

    update_enterprise_profile(
        enterprise=enterprise, user=owner, data=profile_data(regions, industries), today=today
    )

    assert enterprise.versions.get().kind == EnterpriseProfileVersion.Kind.ANNUAL_UPDATE


@pytest.mark.parametrize("today", [dt.date(2026, 5, 1), dt.date(2026, 12, 31)])
def test_recognised_enterprise_is_locked_outside_window(enterprise, owner, regions, industries, today):
    Enterprise.objects.filter(pk=enterprise.pk).update(is_recognised=True)
    enterprise.refresh_from_db()

    with pytest.raises(ProfileLockedError) as info:
        update_enterprise_profile(
            enterprise=enterprise, user=owner, data=profile_data(regions, industries), today=today
        )
    assert info.value.opens_on == dt.date(2027, 1, 1)
    assert info.value.closes_on == dt.date(2027, 4, 30)
    enterprise.refresh_from_db()
    assert enterprise.region_id is None
    assert not enterprise.versions.exists()


def test_not_recognised_enterprise_edits_outside_window(enterprise, owner, regions, industries):
    update_enterprise_profile(
        enterprise=enterprise, user=owner, data=profile_data(regions, industries), today=dt.date(2026, 8, 1)
    )

    assert enterprise.versions.get().kind == EnterpriseProfileVersion.Kind.EDIT


def test_window_edited_in_admin_setting_applies(enterprise, owner, regions, industries):
    window = ProfileUpdateWindow.load()
    window.end_month, window.end_day = 5, 31
    window.save()
    Enterprise.objects.filter(pk=enterprise.pk).update(is_recognised=True)
    enterprise.refresh_from_db()

    update_enterprise_profile(
        enterprise=enterprise, user=owner, data=profile_data(regions, industries), today=dt.date(2026, 5, 1)
    )

    assert enterprise.versions.count() == 1


def test_update_uses_local_date_when_today_not_given(enterprise, owner, regions, industries, monkeypatch):
    from django.utils import timezone

    Enterprise.objects.filter(pk=enterprise.pk).update(is_recognised=True)
    enterprise.refresh_from_db()
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2026, 5, 1))

    with pytest.raises(ProfileLockedError):
        update_enterprise_profile(enterprise=enterprise, user=owner, data=profile_data(regions, industries))


def test_version_numbers_are_per_enterprise(
    enterprise, owner, other_enterprise, other_owner, regions, industries
):
    update_enterprise_profile(enterprise=other_enterprise, user=other_owner, data={"employees": 11})
    update_enterprise_profile(enterprise=enterprise, user=owner, data={"employees": 5})

    assert enterprise.versions.get().number == 1
    assert other_enterprise.versions.get().number == 1


def test_recognised_enterprise_cannot_change_region_or_industry_through_the_update(
    enterprise, owner, regions, industries
):
    update_enterprise_profile(
        enterprise=enterprise, user=owner, data=profile_data(regions, industries), today=dt.date(2026, 2, 1)
    )
    Enterprise.objects.filter(pk=enterprise.pk).update(is_recognised=True)
    enterprise.refresh_from_db()
    with pytest.raises(ProfileFieldNotEditableError) as info:
        update_enterprise_profile(
            enterprise=enterprise,
            user=owner,
            today=dt.date(2026, 2, 1),
            data=profile_data(regions, industries, region=regions["330106"]),
        )
    assert info.value.fields == ["region"]
    enterprise.refresh_from_db()
    assert enterprise.region.code == "440305"


@pytest.mark.parametrize(
    ("field", "value"),
    [("size_class", "large"), ("employees", 999_999_999_999), ("employees", 100_001)],
)
def test_update_enforces_sme_limits_on_save(enterprise, owner, regions, industries, field, value):
    """Issue 9.14: 大型 is no SME class and the employee count is bounded, whatever the caller."""
    with pytest.raises(ValidationError) as error:
        update_enterprise_profile(
            enterprise=enterprise, user=owner, data=profile_data(regions, industries, **{field: value})
        )
    assert field in error.value.message_dict
    assert not enterprise.versions.exists()


def test_reveal_id_number_is_for_the_owner_only(enterprise, other_owner):
    with pytest.raises(ProfileAccessDeniedError):
        reveal_legal_representative_id(enterprise=enterprise, user=other_owner)
    assert not ModelLogEntry.objects.filter(action="enterprises.reveal_legal_representative_id").exists()
