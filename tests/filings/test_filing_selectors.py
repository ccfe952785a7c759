"""The reads of 企业申报 (portal.filings.selectors): windows, requirements, prerequisites, chains and
the enterprise's own filings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from portal.core.dates import chinese_datetime
from portal.enterprises.models import Enterprise
from portal.filings import selectors, services
from portal.filings.models import FilingLevel
from portal.filings.states import ChainStep, ReviewLevel, StepRole
from tests.accounts.factories import AccountFactory
from tests.assessments.conftest import take
from tests.factories.filings import (
    FilingEnterpriseFactory,
    FilingFactory,
    FilingRequirementFactory,
    FilingWindowFactory,
    dongguan,
    filing_forms,
    province,
    submitted_filing,
    zhejiang_county,
)

pytestmark = pytest.mark.django_db

INNOVATIVE = FilingLevel.INNOVATIVE
SPECIALIZED = FilingLevel.SPECIALIZED
LITTLE_GIANT = FilingLevel.LITTLE_GIANT
NOW = dt.datetime(2026, 3, 10, 4, 0, tzinfo=dt.UTC)  # 12:00 in Beijing


def window(**kwargs):
    kwargs.setdefault("opens_at", dt.datetime(2026, 3, 1, 1, 0, tzinfo=dt.UTC))  # 09:00 Beijing
    kwargs.setdefault("closes_at", dt.datetime(2026, 3, 31, 9, 30, tzinfo=dt.UTC))  # 17:30 Beijing
    kwargs.setdefault("year", 2026)
    kwargs.setdefault("batch", 1)
    return FilingWindowFactory(**kwargs)


# --- window_state ----------------------------------------------------------------------------------


def test_when_writes_a_moment_in_beijing_time():
    assert chinese_datetime(dt.datetime(2026, 3, 1, 1, 0, tzinfo=dt.UTC)) == "2026年3月1日 09:00"


def test_window_state_is_open_inside_the_window_with_its_round_and_times():
    current = window()
    state = selectors.window_state(INNOVATIVE, "440000", now=NOW)
    assert (state.is_open, state.code, state.window) == (True, "open", current)
    assert "2026年第1批" in state.message and "2026年3月1日 09:00" in state.message
    assert "2026年3月31日 17:30" in state.message


def test_window_state_is_not_yet_open_before_the_window_with_its_opening_time():
    upcoming = window(opens_at=NOW + dt.timedelta(days=2), closes_at=NOW + dt.timedelta(days=9))
    state = selectors.window_state(INNOVATIVE, "440000", now=NOW)
    assert (state.is_open, state.code, state.window) == (False, "not_yet_open", upcoming)
    assert chinese_datetime(upcoming.opens_at) in state.message and "创新型中小企业" in state.message


def test_window_state_is_closed_after_the_last_window_with_its_closing_time():
    last = window(opens_at=NOW - dt.timedelta(days=9), closes_at=NOW - dt.timedelta(days=2))
    state = selectors.window_state(INNOVATIVE, "440000", now=NOW)
    assert (state.is_open, state.code, state.window) == (False, "closed", last)
    assert chinese_datetime(last.closes_at) in state.message and last.round_label in state.message


def test_window_state_is_closed_at_the_closing_moment():
    current = window()
    assert selectors.window_state(INNOVATIVE, "440000", now=current.closes_at).code == "closed"


def test_window_state_is_open_at_the_opening_moment():
    current = window()
    assert selectors.window_state(INNOVATIVE, "440000", now=current.opens_at).code == "open"


def test_window_state_has_no_window_when_the_province_set_none_for_the_level():
    window(level=SPECIALIZED)
    window(province=province("330000", "浙江省"))
    state = selectors.window_state(INNOVATIVE, "440000", now=NOW)
    assert (state.is_open, state.code, state.window) == (False, "no_window", None)
    assert "创新型中小企业" in state.message


def test_window_state_has_no_province_when_the_enterprise_has_none():
    state = selectors.window_state(INNOVATIVE, "", now=NOW)
    assert (state.is_open, state.code) == (False, "no_province")


def test_window_state_names_the_next_window_between_two_rounds():
    window(batch=1, opens_at=NOW - dt.timedelta(days=9), closes_at=NOW - dt.timedelta(days=2))
    upcoming = window(batch=2, opens_at=NOW + dt.timedelta(days=2), closes_at=NOW + dt.timedelta(days=9))
    state = selectors.window_state(INNOVATIVE, "440000", now=NOW)
    assert (state.code, state.window) == ("not_yet_open", upcoming)


# --- filing_window_state (the filing's own round) --------------------------------------------------


def test_filing_window_state_is_open_with_the_closing_time():
    filing = FilingFactory()
    state = selectors.filing_window_state(filing)
    assert (state.is_open, state.code) == (True, "open")
    assert chinese_datetime(filing.window.closes_at) in state.message


def test_filing_window_state_is_closed_after_the_rounds_end():
    filing = FilingFactory()
    state = selectors.filing_window_state(filing, now=filing.window.closes_at + dt.timedelta(minutes=1))
    assert (state.is_open, state.code) == (False, "closed")
    assert filing.window.round_label in state.message


def test_filing_window_state_is_not_yet_open_before_the_round():
    filing = FilingFactory()
    state = selectors.filing_window_state(filing, now=filing.window.opens_at - dt.timedelta(minutes=1))
    assert (state.is_open, state.code) == (False, "not_yet_open")


# --- requirement_for -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "key", "assessment", "recognition"),
    [
        (INNOVATIVE, "innovation_self_test", False, ""),
        (SPECIALIZED, "specialized_filing", True, ""),
        (LITTLE_GIANT, "little_giant_filing", False, SPECIALIZED),
    ],
)
def test_requirement_for_is_the_nationwide_row_seeded_by_the_migration(level, key, assessment, recognition):
    row = selectors.requirement_for(level, "440000")
    assert row.province is None and row.definition_key == key
    assert (row.requires_assessment, row.requires_recognition) == (assessment, recognition)
    assert row.requires_complete_profile and row.requires_evidence


def test_requirement_for_prefers_the_provinces_own_row():
    own = FilingRequirementFactory(level=INNOVATIVE, requires_evidence=False)
    assert selectors.requirement_for(INNOVATIVE, "440000") == own


def test_requirement_for_ignores_another_provinces_row():
    FilingRequirementFactory(level=INNOVATIVE, province=province("330000", "浙江省"), requires_evidence=False)
    assert selectors.requirement_for(INNOVATIVE, "440000").province is None


def test_filing_definition_keys_are_the_forms_of_every_requirement():
    FilingRequirementFactory(level=INNOVATIVE, definition_key="gd_innovation")
    assert selectors.filing_definition_keys() == {
        "innovation_self_test",
        "specialized_filing",
        "little_giant_filing",
        "gd_innovation",
    }


# --- unmet_prerequisites ---------------------------------------------------------------------------


def unmet_codes(enterprise, level, user=None):
    return [
        item.code
        for item in selectors.unmet_prerequisites(
            enterprise=enterprise,
            user=user or enterprise.owner,
            requirement=selectors.requirement_for(level, "440000"),
        )
    ]


def test_unmet_prerequisites_is_empty_when_every_prerequisite_is_met():
    assert unmet_codes(FilingEnterpriseFactory(), INNOVATIVE) == []


def test_unmet_prerequisites_asks_an_unverified_account_to_verify_with_a_link():
    enterprise = FilingEnterpriseFactory()
    enterprise.owner.account.__class__.objects.filter(user=enterprise.owner).update(
        verification_status="pending"
    )
    [unmet] = selectors.unmet_prerequisites(
        enterprise=enterprise, user=enterprise.owner, requirement=selectors.requirement_for(INNOVATIVE, "")
    )
    assert unmet.code == "unverified" and unmet.fix_url == "/accounts/realname/"


def test_unmet_prerequisites_refuses_a_natural_person_account():
    natural = AccountFactory(user_type="natural", verification_status="verified").user
    assert unmet_codes(FilingEnterpriseFactory(), INNOVATIVE, user=natural) == ["natural_person"]


def test_unmet_prerequisites_has_no_enterprise_when_the_user_has_none():
    user = FilingEnterpriseFactory().owner
    unmet = selectors.unmet_prerequisites(
        enterprise=None, user=user, requirement=selectors.requirement_for(INNOVATIVE, "")
    )
    assert [item.code for item in unmet] == ["no_enterprise"]


def test_unmet_prerequisites_has_no_requirement_when_the_level_is_not_configured():
    enterprise = FilingEnterpriseFactory()
    unmet = selectors.unmet_prerequisites(enterprise=enterprise, user=enterprise.owner, requirement=None)
    assert [item.code for item in unmet] == ["no_requirement"]


def test_unmet_prerequisites_names_the_missing_profile_fields_and_returns_after_editing():
    enterprise = FilingEnterpriseFactory()
    Enterprise.objects.filter(pk=enterprise.pk).update(contact_email="", main_products="")
    enterprise.refresh_from_db()
    [unmet] = selectors.unmet_prerequisites(
        enterprise=enterprise,
        user=enterprise.owner,
        requirement=selectors.requirement_for(INNOVATIVE, "440000"),
        return_to="/enterprise/filings/",
    )
    assert unmet.code == "profile_incomplete"
    assert unmet.fix_url == "/enterprise/edit/?next=%2Fenterprise%2Ffilings%2F"


def test_unmet_prerequisites_asks_for_the_assessment_before_a_specialized_filing():
    [unmet] = selectors.unmet_prerequisites(
        enterprise=(enterprise := FilingEnterpriseFactory()),
        user=enterprise.owner,
        requirement=selectors.requirement_for(SPECIALIZED, "440000"),
    )
    assert unmet.code == "assessment_required" and unmet.fix_url == "/assessment/"
    assert unmet.fix_label == "【去自评】"


def test_unmet_prerequisites_accepts_a_submitted_assessment(questionnaires):
    enterprise = FilingEnterpriseFactory()
    take(enterprise)
    assert unmet_codes(enterprise, SPECIALIZED) == []


def test_unmet_prerequisites_asks_a_non_recognised_enterprise_for_recognition():
    assert unmet_codes(FilingEnterpriseFactory(), LITTLE_GIANT) == ["recognition_required"]


def test_unmet_prerequisites_accepts_a_specialized_recognition_in_force_for_little_giant():
    enterprise = FilingEnterpriseFactory(
        is_recognised=True,
        recognition_level=SPECIALIZED,
        recognition_valid_until=timezone.localdate() + dt.timedelta(days=30),
    )
    assert unmet_codes(enterprise, LITTLE_GIANT) == []


def test_unmet_prerequisites_asks_for_recognition_when_it_expired():
    enterprise = FilingEnterpriseFactory(
        is_recognised=True,
        recognition_level=SPECIALIZED,
        recognition_valid_until=timezone.localdate() - dt.timedelta(days=1),
    )
    assert unmet_codes(enterprise, LITTLE_GIANT) == ["recognition_required"]


def test_unmet_prerequisites_asks_for_recognition_when_it_is_of_a_lower_level():
    enterprise = FilingEnterpriseFactory(is_recognised=True, recognition_level=INNOVATIVE)
    assert unmet_codes(enterprise, LITTLE_GIANT) == ["recognition_required"]


def test_unmet_prerequisites_follows_the_provinces_own_requirement():
    FilingRequirementFactory(level=SPECIALIZED, requires_assessment=False)
    assert unmet_codes(FilingEnterpriseFactory(), SPECIALIZED) == []


def test_unmet_prerequisites_lists_every_unmet_prerequisite_in_order():
    enterprise = FilingEnterpriseFactory()
    Enterprise.objects.filter(pk=enterprise.pk).update(main_products="")
    enterprise.refresh_from_db()
    FilingRequirementFactory(level=LITTLE_GIANT, requires_assessment=True, requires_recognition=SPECIALIZED)
    assert unmet_codes(enterprise, LITTLE_GIANT) == [
        "profile_incomplete",
        "assessment_required",
        "recognition_required",
    ]


# --- chain_for -------------------------------------------------------------------------------------

COUNTY_CHAIN = [
    ChainStep(ReviewLevel.COUNTY),
    ChainStep(ReviewLevel.CITY),
    ChainStep(ReviewLevel.PROVINCE, StepRole.DECIDE),
]


@pytest.mark.parametrize("level", [INNOVATIVE, SPECIALIZED])
def test_chain_for_an_enterprise_of_a_county_goes_county_city_province(level):
    assert selectors.chain_for(level, FilingEnterpriseFactory()) == COUNTY_CHAIN


def test_chain_for_little_giant_ends_at_the_ministry_after_the_provinces_recommendation():
    assert selectors.chain_for(LITTLE_GIANT, FilingEnterpriseFactory()) == [
        ChainStep(ReviewLevel.COUNTY),
        ChainStep(ReviewLevel.CITY),
        ChainStep(ReviewLevel.PROVINCE, StepRole.RECOMMEND),
        ChainStep(ReviewLevel.MINISTRY, StepRole.DECIDE),
    ]


def test_chain_for_an_enterprise_of_dongguan_has_no_county_step():
    enterprise = FilingEnterpriseFactory(region=dongguan())
    assert selectors.chain_for(INNOVATIVE, enterprise) == COUNTY_CHAIN[1:]


# --- recognition_in_force --------------------------------------------------------------------------


def test_recognition_in_force_is_empty_without_recognition():
    assert selectors.recognition_in_force(FilingEnterpriseFactory()) == ""


def test_recognition_in_force_is_the_level_until_the_last_valid_day():
    today = dt.date(2026, 3, 10)
    enterprise = FilingEnterpriseFactory(
        is_recognised=True, recognition_level=SPECIALIZED, recognition_valid_until=today
    )
    assert selectors.recognition_in_force(enterprise, today=today) == SPECIALIZED


# --- the enterprise's own filings ------------------------------------------------------------------


def test_filing_of_finds_the_enterprises_own_filing():
    filing = FilingFactory()
    assert selectors.filing_of(filing.enterprise, filing.pk) == filing


def test_filing_of_is_none_for_another_enterprises_filing():
    filing = FilingFactory()
    assert selectors.filing_of(FilingEnterpriseFactory(), filing.pk) is None


def test_filings_of_enterprise_lists_only_its_own_newest_first():
    first = FilingFactory()
    enterprise = first.enterprise
    services.withdraw_filing(filing=first, user=enterprise.owner)
    second = services.start_filing(enterprise=enterprise, user=enterprise.owner, level=INNOVATIVE)
    FilingFactory(window=first.window)  # another enterprise's
    assert list(selectors.filings_of_enterprise(enterprise)) == [second, first]


def test_open_filing_ignores_a_withdrawn_one():
    filing = FilingFactory()
    services.withdraw_filing(filing=filing, user=filing.enterprise.owner)
    assert selectors.open_filing(filing.enterprise, INNOVATIVE, filing.window) is None


# --- level_entries ---------------------------------------------------------------------------------


def entry(enterprise, level=INNOVATIVE):
    return next(e for e in selectors.level_entries(enterprise, enterprise.owner) if e.level == level)


def test_level_entries_offers_apply_in_an_open_window():
    filing_forms(INNOVATIVE)
    FilingWindowFactory()
    assert entry(FilingEnterpriseFactory()).action == "apply"


def test_level_entries_says_closed_without_an_open_window():
    assert entry(FilingEnterpriseFactory()).action == "closed"


def test_level_entries_is_blocked_with_the_unmet_prerequisites():
    FilingWindowFactory(level=SPECIALIZED)
    found = entry(FilingEnterpriseFactory(), SPECIALIZED)
    assert found.action == "blocked" and [u.code for u in found.unmet] == ["assessment_required"]


def test_level_entries_continues_a_draft_in_its_open_window():
    filing = FilingFactory()
    found = entry(filing.enterprise)
    assert (found.action, found.filing) == ("continue", filing)


def test_level_entries_views_a_submitted_filing():
    filing = submitted_filing()
    found = entry(filing.enterprise)
    assert (found.action, found.filing) == ("view", filing)


def test_level_entries_only_shows_the_enterprises_province():
    FilingWindowFactory()
    assert entry(FilingEnterpriseFactory(region=zhejiang_county())).action == "closed"
