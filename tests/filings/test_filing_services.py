"""The writes of 企业申报 (portal.filings.services): 【申请】, 【确认提交】 with the engine's submit hook,
【撤回】 and the one transition primitive. A happy path each, then one test per error code."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from wagtail.models import ModelLogEntry

from forms_engine import services as engine
from forms_engine.host import SubmissionRefusedError
from forms_engine.models import FormDefinition, FormSubmission
from portal.accounts.models import Account
from portal.enterprises.models import Enterprise
from portal.filings import services
from portal.filings.models import EvidenceArchive, Filing, FilingEvent, FilingLevel, FilingWindow
from portal.filings.states import Action, State
from tests.accounts.factories import AccountFactory
from tests.assessments.conftest import take
from tests.factories.filings import (
    EvidenceArchiveFactory,
    FilingEnterpriseFactory,
    FilingRequirementFactory,
    FilingWindowFactory,
    answer,
    filing_forms,
    submitted_filing,
)

pytestmark = pytest.mark.django_db

INNOVATIVE = FilingLevel.INNOVATIVE
SPECIALIZED = FilingLevel.SPECIALIZED
LITTLE_GIANT = FilingLevel.LITTLE_GIANT


def start(enterprise, level=INNOVATIVE, user=None):
    return services.start_filing(enterprise=enterprise, user=user or enterprise.owner, level=level)


def refused_code(call, *args, **kwargs) -> str:
    with pytest.raises(services.FilingRefusedError) as refused:
        call(*args, **kwargs)
    return refused.value.code


def submit(filing, evidence="passed", **kwargs):
    if evidence == "passed":
        evidence = EvidenceArchiveFactory(enterprise=filing.enterprise)
    return services.submit_filing(filing=filing, user=filing.enterprise.owner, evidence=evidence, **kwargs)


def close_window(window: FilingWindow) -> None:
    now = timezone.now()
    FilingWindow.objects.filter(pk=window.pk).update(
        opens_at=now - dt.timedelta(days=10), closes_at=now - dt.timedelta(minutes=1)
    )


def return_for_changes(filing: Filing) -> Filing:
    """What the reviewers' 退回 does: the filing goes back to the enterprise, its answers reopen."""
    services.apply_transition(
        filing=filing,
        action=Action.RETURN,
        actor=None,
        actor_role=FilingEvent.ActorRole.REVIEWER,
        comment="补充",
    )
    engine.reopen_submission(submission=filing.submission, user=None, reason="补充")
    filing.refresh_from_db()
    return filing


@pytest.fixture(autouse=True)
def forms(db):
    filing_forms()


@pytest.fixture
def enterprise():
    return FilingEnterpriseFactory()


@pytest.fixture
def window():
    return FilingWindowFactory()


# --- 【申请】 ---------------------------------------------------------------------------------------


def test_start_filing_creates_a_draft_on_the_levels_form_in_the_open_window(enterprise, window):
    filing = start(enterprise)
    assert (filing.state, filing.level, filing.window) == (State.DRAFT, INNOVATIVE, window)
    assert filing.submission.version.definition.key == "innovation_self_test"
    assert filing.submission.owner == enterprise.owner and filing.submission.is_draft
    assert (filing.region_code, filing.province_code) == ("440305", "440000")


def test_start_filing_records_the_start_on_the_timeline_and_in_the_log(enterprise, window):
    filing = start(enterprise)
    assert [(e.action, e.to_state, e.actor) for e in filing.events.all()] == [
        ("create", State.DRAFT, enterprise.owner)
    ]
    assert ModelLogEntry.objects.filter(action="filings.create", object_id=str(filing.pk)).exists()


def test_start_filing_twice_resumes_the_same_draft(enterprise, window):
    first = start(enterprise)
    assert start(enterprise) == first
    assert Filing.objects.count() == 1 and FormSubmission.objects.count() == 1


def test_start_filing_after_withdrawing_starts_a_new_one(enterprise, window):
    first = start(enterprise)
    services.withdraw_filing(filing=first, user=enterprise.owner)
    second = start(enterprise)
    assert second != first and second.state == State.DRAFT


def test_start_filing_of_another_level_is_independent(enterprise, window):
    FilingWindowFactory(level=LITTLE_GIANT, batch=window.batch)
    Enterprise.objects.filter(pk=enterprise.pk).update(
        is_recognised=True, recognition_level=SPECIALIZED, recognition_valid_until=None
    )
    enterprise.refresh_from_db()
    assert start(enterprise).level == INNOVATIVE and start(enterprise, LITTLE_GIANT).level == LITTLE_GIANT


def test_start_filing_shows_the_submitted_filing_after_its_window_closed(enterprise, window):
    filing = submit(answer(start(enterprise)))
    close_window(window)
    assert start(enterprise) == filing


@pytest.mark.parametrize(
    ("opens", "closes", "code"),
    [
        (dt.timedelta(days=1), dt.timedelta(days=9), "not_yet_open"),
        (dt.timedelta(days=-9), dt.timedelta(days=-1), "closed"),
    ],
)
def test_start_filing_is_refused_outside_the_window(enterprise, opens, closes, code):
    now = timezone.now()
    FilingWindowFactory(opens_at=now + opens, closes_at=now + closes)
    assert refused_code(start, enterprise) == code
    assert not Filing.objects.exists() and not FormSubmission.objects.exists()


def test_start_filing_is_refused_when_the_province_set_no_window(enterprise):
    assert refused_code(start, enterprise) == "no_window"


def test_start_filing_is_refused_when_the_enterprise_has_no_province(enterprise, window):
    Enterprise.objects.filter(pk=enterprise.pk).update(region=None, uscc="")
    enterprise.refresh_from_db()
    assert refused_code(start, enterprise) == "no_province"


def test_start_filing_of_a_closed_window_draft_is_refused(enterprise, window):
    start(enterprise)
    close_window(window)
    assert refused_code(start, enterprise) == "closed"


def test_start_filing_is_refused_for_an_unverified_account(enterprise, window):
    Account.objects.filter(user=enterprise.owner).update(verification_status="pending")
    assert refused_code(start, enterprise) == "unverified"


def test_start_filing_is_refused_for_a_natural_person(enterprise, window):
    natural = AccountFactory(user_type="natural", verification_status="verified").user
    assert refused_code(start, enterprise, user=natural) == "natural_person"


def test_start_filing_is_refused_with_an_incomplete_profile(enterprise, window):
    Enterprise.objects.filter(pk=enterprise.pk).update(industry=None)
    enterprise.refresh_from_db()
    with pytest.raises(services.FilingRefusedError) as refused:
        start(enterprise)
    assert refused.value.code == "profile_incomplete"
    assert [u.code for u in refused.value.unmet] == ["profile_incomplete"]


def test_start_filing_of_specialized_is_refused_without_an_assessment(enterprise):
    FilingWindowFactory(level=SPECIALIZED)
    assert refused_code(start, enterprise, SPECIALIZED) == "assessment_required"


def test_start_filing_of_specialized_starts_after_the_assessment(enterprise, questionnaires):
    FilingWindowFactory(level=SPECIALIZED)
    take(enterprise)
    assert start(enterprise, SPECIALIZED).submission.version.definition.key == "specialized_filing"


def test_start_filing_of_little_giant_is_refused_without_recognition(enterprise):
    FilingWindowFactory(level=LITTLE_GIANT)
    assert refused_code(start, enterprise, LITTLE_GIANT) == "recognition_required"


def test_start_filing_is_refused_when_already_recognised_at_the_level(enterprise, window):
    Enterprise.objects.filter(pk=enterprise.pk).update(is_recognised=True, recognition_level=INNOVATIVE)
    enterprise.refresh_from_db()
    assert refused_code(start, enterprise) == "already_recognised"


def test_start_filing_is_refused_while_a_filing_of_the_level_is_in_review(enterprise, window):
    submit(answer(start(enterprise)))
    close_window(window)
    FilingWindowFactory(batch=window.batch + 1)
    assert refused_code(start, enterprise) == "filing_in_review"


def test_start_filing_is_refused_when_the_levels_form_is_not_loaded(enterprise, window):
    FormDefinition.objects.filter(key="innovation_self_test").update(key="innovation_retired")
    assert refused_code(start, enterprise) == "form_unavailable"


def test_start_filing_uses_the_provinces_own_form(enterprise, window, questionnaires):
    FilingRequirementFactory(level=INNOVATIVE, definition_key="digital_manufacturing")
    assert start(enterprise).submission.version.definition.key == "digital_manufacturing"


# --- 【确认提交】 -----------------------------------------------------------------------------------


def test_submit_filing_moves_the_filing_into_review_at_the_first_step(enterprise, window):
    filing = submit(answer(start(enterprise)))
    assert (filing.state, filing.step, filing.current_level) == (State.PENDING, 0, "county")
    assert [step["level"] for step in filing.chain] == ["county", "city", "province"]
    assert filing.submission.state == FormSubmission.State.SUBMITTED


def test_submit_filing_keeps_the_score_and_the_outcome(enterprise, window):
    filing = submit(answer(start(enterprise)))
    assert (filing.self_score, filing.qualified) == (Decimal("85"), True)
    assert filing.outcome_label and filing.score_text == "85"
    assert filing.submitted_at and filing.first_submitted_at == filing.submitted_at


def test_submit_filing_keeps_and_locks_the_evidence(enterprise, window):
    archive = EvidenceArchiveFactory(enterprise=enterprise)
    filing = submit(answer(start(enterprise)), evidence=archive)
    archive.refresh_from_db()
    assert filing.evidence == archive and archive.is_locked


def test_submit_filing_records_the_submit_with_the_answers_revision(enterprise, window):
    filing = submit(answer(start(enterprise)))
    event = filing.events.get(action=Action.SUBMIT)
    assert (event.from_state, event.to_state, event.to_level) == (State.DRAFT, State.PENDING, "county")
    assert event.submission_revision == filing.submission.revisions.latest("number").number
    assert ModelLogEntry.objects.filter(action="filings.submit", object_id=str(filing.pk)).exists()


def test_submit_filing_twice_is_harmless(enterprise, window):
    filing = answer(start(enterprise))
    archive = EvidenceArchiveFactory(enterprise=enterprise)
    submit(filing, evidence=archive)
    again = submit(filing, evidence=archive)
    assert again.state == State.PENDING
    assert again.events.filter(action=Action.SUBMIT).count() == 1


def test_submit_filing_without_a_zip_is_refused_when_the_requirement_asks_for_one(enterprise, window):
    filing = answer(start(enterprise))
    assert refused_code(submit, filing, evidence=None) == "evidence_required"


def test_submit_filing_without_a_zip_is_accepted_when_the_province_does_not_ask_for_one(enterprise, window):
    FilingRequirementFactory(level=INNOVATIVE, requires_evidence=False)
    assert submit(answer(start(enterprise)), evidence=None).state == State.PENDING


def test_submit_filing_with_a_zip_still_being_checked_is_refused(enterprise, window):
    checking = EvidenceArchiveFactory(enterprise=enterprise, state=EvidenceArchive.State.CHECKING)
    assert refused_code(submit, answer(start(enterprise)), evidence=checking) == "evidence_not_passed"


def test_submit_filing_with_another_enterprises_zip_is_refused(enterprise, window):
    theirs = EvidenceArchiveFactory()
    assert refused_code(submit, answer(start(enterprise)), evidence=theirs) == "evidence_not_found"


def test_submit_filing_refused_changes_nothing(enterprise, window):
    filing = answer(start(enterprise))
    checking = EvidenceArchiveFactory(enterprise=enterprise, state=EvidenceArchive.State.CHECKING)
    refused_code(submit, filing, evidence=checking)
    filing.refresh_from_db()
    assert (filing.state, filing.evidence, filing.submitted_at) == (State.DRAFT, None, None)
    assert filing.submission.is_draft and not filing.submission.revisions.exists()
    assert not filing.events.filter(action=Action.SUBMIT).exists()


def test_submit_filing_is_refused_when_the_window_closed_after_the_page_was_opened(enterprise, window):
    filing = answer(start(enterprise))
    close_window(window)
    assert refused_code(submit, filing) == "window_closed"
    filing.refresh_from_db()
    assert filing.state == State.DRAFT and filing.submission.is_draft


def test_submit_filing_rechecks_the_profile(enterprise, window):
    filing = answer(start(enterprise))
    Enterprise.objects.filter(pk=enterprise.pk).update(industry=None)  # 所属行业 cleared since 【申请】
    assert refused_code(submit, filing) == "profile_incomplete"


def test_submit_filing_rechecks_the_account(enterprise, window):
    filing = answer(start(enterprise))
    Account.objects.filter(user=enterprise.owner).update(verification_status="pending")
    assert refused_code(submit, filing) == "unverified"


def test_submit_filing_rechecks_the_requirement_in_force(enterprise, window):
    filing = answer(start(enterprise))
    FilingRequirementFactory(level=INNOVATIVE, requires_assessment=True)  # the province asks for more
    with pytest.raises(services.FilingRefusedError) as refused:
        submit(filing)
    assert refused.value.code == "assessment_required"
    assert [u.code for u in refused.value.unmet] == ["assessment_required"]


def test_submit_filing_rechecks_the_assessment(enterprise, questionnaires):
    from portal.assessments.models import Assessment

    FilingWindowFactory(level=SPECIALIZED)
    # the province files 专精特新 on a form these tests can answer completely
    FilingRequirementFactory(
        level=SPECIALIZED, definition_key="innovation_self_test", requires_assessment=True
    )
    take(enterprise)
    filing = answer(start(enterprise, SPECIALIZED))
    Assessment.objects.filter(enterprise=enterprise).delete()  # no submitted assessment any more
    assert refused_code(submit, filing) == "assessment_required"


def test_submit_filing_rechecks_the_recognition(enterprise):
    FilingWindowFactory(level=LITTLE_GIANT)
    # the province files 小巨人 on a form these tests can answer completely
    FilingRequirementFactory(
        level=LITTLE_GIANT, definition_key="innovation_self_test", requires_recognition=SPECIALIZED
    )
    Enterprise.objects.filter(pk=enterprise.pk).update(is_recognised=True, recognition_level=SPECIALIZED)
    enterprise.refresh_from_db()
    filing = answer(start(enterprise, LITTLE_GIANT))
    Enterprise.objects.filter(pk=enterprise.pk).update(recognition_valid_until=dt.date(2020, 1, 1))
    assert refused_code(submit, filing) == "recognition_required"


def test_submit_filing_with_answers_to_fix_is_refused_by_the_engine(enterprise, window):
    filing = start(enterprise)  # nothing answered yet
    with pytest.raises(engine.SubmissionInvalidError):
        submit(filing)
    filing.refresh_from_db()
    assert filing.state == State.DRAFT


def test_submit_filing_with_a_stale_revision_is_a_conflict(enterprise, window):
    filing = start(enterprise)
    stale = filing.submission.revision
    answer(filing)
    with pytest.raises(engine.SubmissionConflictError):
        submit(filing, expected_revision=stale)


def test_submit_filing_is_refused_once_withdrawn(enterprise, window):
    filing = answer(start(enterprise))
    services.withdraw_filing(filing=filing, user=enterprise.owner)
    assert refused_code(submit, filing) == "filing_closed"


def test_submit_filing_after_a_return_resubmits_to_the_step_that_returned_it(enterprise, window):
    filing = submit(answer(start(enterprise)))
    services.apply_transition(
        filing=filing, action=Action.PASS, actor=None, actor_role=FilingEvent.ActorRole.REVIEWER
    )
    filing = return_for_changes(filing)
    resubmitted = submit(filing, evidence=filing.evidence)
    assert (resubmitted.state, resubmitted.step, resubmitted.current_level) == (State.PENDING, 1, "city")
    assert resubmitted.events.filter(action=Action.RESUBMIT).exists()
    assert resubmitted.first_submitted_at < resubmitted.submitted_at


def test_submit_filing_after_a_return_with_another_zip_unlocks_the_previous_one(enterprise, window):
    first_zip = EvidenceArchiveFactory(enterprise=enterprise)
    filing = return_for_changes(submit(answer(start(enterprise)), evidence=first_zip))
    second_zip = EvidenceArchiveFactory(enterprise=enterprise)
    assert submit(filing, evidence=second_zip).evidence == second_zip
    first_zip.refresh_from_db()
    second_zip.refresh_from_db()
    assert not first_zip.is_locked and second_zip.is_locked


def test_submit_hook_refuses_a_filing_form_submitted_outside_a_filing(enterprise, window):
    version = FormDefinition.objects.get(key="innovation_self_test").versions.latest("number")
    draft = engine.start_submission(version=version, owner=enterprise.owner, context={"province": "440000"})
    with pytest.raises(SubmissionRefusedError) as refused:
        engine.submit_submission(
            submission=draft, answers={**draft.answers, **answer_set()}, user=draft.owner
        )
    assert refused.value.code == "filing_not_started"
    draft.refresh_from_db()
    assert draft.is_draft


def answer_set():
    from tests.factories.filings import INNOVATION_ANSWERS

    return INNOVATION_ANSWERS


def test_submit_hook_lets_other_forms_through(enterprise, questionnaires):
    assessment = take(enterprise)
    assert assessment.submitted_at is not None


# --- 【撤回】 ---------------------------------------------------------------------------------------


def test_withdraw_filing_ends_a_draft(enterprise, window):
    filing = services.withdraw_filing(filing=start(enterprise), user=enterprise.owner)
    assert filing.state == State.WITHDRAWN and filing.decided_at is not None
    assert filing.events.filter(action=Action.WITHDRAW, actor=enterprise.owner).exists()


def test_withdraw_filing_twice_is_harmless(enterprise, window):
    filing = start(enterprise)
    services.withdraw_filing(filing=filing, user=enterprise.owner)
    again = services.withdraw_filing(filing=filing, user=enterprise.owner)
    assert again.state == State.WITHDRAWN and again.events.filter(action=Action.WITHDRAW).count() == 1


def test_withdraw_filing_in_review_is_refused(enterprise, window):
    filing = submit(answer(start(enterprise)))
    assert refused_code(services.withdraw_filing, filing=filing, user=enterprise.owner) == (
        "filing_not_withdrawable"
    )


def test_withdraw_filing_after_a_return_unlocks_its_zip(enterprise, window):
    archive = EvidenceArchiveFactory(enterprise=enterprise)
    filing = return_for_changes(submit(answer(start(enterprise)), evidence=archive))
    services.withdraw_filing(filing=filing, user=enterprise.owner)
    archive.refresh_from_db()
    assert not archive.is_locked


def test_withdraw_filing_keeps_a_zip_another_filing_in_review_holds(enterprise, window, questionnaires):
    archive = EvidenceArchiveFactory(enterprise=enterprise)
    submit(answer(start(enterprise)), evidence=archive)
    take(enterprise)
    FilingWindowFactory(level=SPECIALIZED)
    other = start(enterprise, SPECIALIZED)
    Filing.objects.filter(pk=other.pk).update(evidence=archive)
    services.withdraw_filing(filing=other, user=enterprise.owner)
    archive.refresh_from_db()
    assert archive.is_locked


# --- apply_transition ------------------------------------------------------------------------------


def test_apply_transition_moves_the_level_and_writes_timeline_and_log(enterprise, window):
    filing = submitted_filing(enterprise=enterprise, window=window)
    event = services.apply_transition(
        filing=filing,
        action=Action.PASS,
        actor=None,
        actor_role=FilingEvent.ActorRole.REVIEWER,
        comment="同意",
    )
    filing.refresh_from_db()
    assert (filing.state, filing.step, filing.current_level) == (State.PENDING, 1, "city")
    assert (event.from_level, event.to_level, event.comment) == ("county", "city", "同意")
    assert ModelLogEntry.objects.filter(action="filings.pass", object_id=str(filing.pk)).exists()


def test_apply_transition_refuses_an_edge_the_graph_does_not_have(enterprise, window):
    from portal.filings.states import TransitionNotAllowedError

    filing = start(enterprise)
    with pytest.raises(TransitionNotAllowedError):
        services.apply_transition(
            filing=filing, action=Action.PASS, actor=None, actor_role=FilingEvent.ActorRole.REVIEWER
        )
    assert not filing.events.filter(action=Action.PASS).exists()
