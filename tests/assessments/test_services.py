"""start_assessment and the submit hook: the questionnaire per industry category, one open draft,
the result stored with the submit, refusals, retakes and a changed industry (F-35, FAQ 6)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import ModelLogEntry

from forms_engine import services as engine
from forms_engine.host import SubmissionRefusedError
from forms_engine.models import FormDefinition, FormSubmission
from forms_engine.schema import parse_schema
from portal.assessments import services
from portal.assessments.models import Assessment
from portal.enterprises.models import Enterprise
from tests.assessments.conftest import answers_for, industry, submit, take
from tests.factories.forms import FormVersionFactory, make_schema
from tests.forms_engine.conftest import load_document
from tests.forms_engine.test_shipped_scoring import FOUNDATION_MAX, ZERO, scenes

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("category", "key"),
    [
        ("manufacturing", "digital_manufacturing"),
        ("producer_services", "digital_services"),
        ("other", "digital_other"),
    ],
)
def test_start_picks_the_questionnaire_of_the_industry_category(questionnaires, enterprise, category, key):
    Enterprise.objects.filter(pk=enterprise.pk).update(industry=industry(category))
    enterprise.refresh_from_db()
    assessment = services.start_assessment(enterprise=enterprise, user=enterprise.owner)
    assert (assessment.category, assessment.definition_key) == (category, key)
    submission = assessment.submission
    assert submission.version.definition.key == key and submission.is_draft
    assert submission.owner == enterprise.owner
    assert submission.context == {"province": "440000"}  # the enterprise's province, for staff scopes
    assert assessment.submitted_at is None and assessment.level is None


def test_starting_again_resumes_the_open_draft(questionnaires, enterprise):
    first = services.start_assessment(enterprise=enterprise, user=enterprise.owner)
    again = services.start_assessment(enterprise=enterprise, user=enterprise.owner)
    assert again.pk == first.pk
    assert Assessment.objects.count() == 1 and FormSubmission.objects.count() == 1


def test_the_database_refuses_a_second_open_draft_of_one_questionnaire(questionnaires, enterprise):
    from django.db import IntegrityError, transaction

    first = services.start_assessment(enterprise=enterprise, user=enterprise.owner)
    other = engine.start_submission(version=first.submission.version, owner=enterprise.owner)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.create(
            enterprise=enterprise,
            submission=other,
            category="manufacturing",
            definition_key="digital_manufacturing",
        )


def test_start_without_an_industry_is_refused(questionnaires, enterprise):
    Enterprise.objects.filter(pk=enterprise.pk).update(industry=None)
    enterprise.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.start_assessment(enterprise=enterprise, user=enterprise.owner)
    assert exc.value.code == "industry_missing"
    assert not Assessment.objects.exists()


def test_start_without_a_published_questionnaire_is_refused(enterprise):
    with pytest.raises(ValidationError) as exc:
        services.start_assessment(enterprise=enterprise, user=enterprise.owner)
    assert exc.value.code == "questionnaire_unavailable"
    assert not FormSubmission.objects.exists()


def test_start_is_logged(questionnaires, enterprise):
    assessment = services.start_assessment(enterprise=enterprise, user=enterprise.owner)
    entry = ModelLogEntry.objects.get(action="assessments.start")
    assert entry.object_id == str(assessment.pk) and entry.user_id == enterprise.owner.pk
    assert entry.data == {"definition": "digital_manufacturing", "version": 1}


def test_submit_stores_total_level_and_dimensions_in_the_same_transaction(questionnaires, enterprise):
    assessment = take(enterprise)  # every question at its best option, every scenario at 四级
    assert assessment.submitted_at == assessment.submission.submitted_at is not None
    assert (assessment.total, assessment.max_total, assessment.level) == (100, 100, 4)
    assert assessment.level_label == "四级"
    assert assessment.dimensions == [
        {"key": "foundation", "label": "数字化基础", "points": "50", "max": "50"},
        {"key": "management", "label": "数字化管理", "points": "30", "max": "30"},
        {"key": "results", "label": "数字化成效", "points": "20", "max": "20"},
    ]
    entry = ModelLogEntry.objects.get(action="assessments.submit")
    assert entry.data["total"] == "100" and entry.data["level"] == 4


@pytest.mark.parametrize(
    ("answers", "total", "level", "label"),
    [
        # the foundation at its maximum + 7 + 3 points of results = 60, scenarios at 三级 → 三级
        (
            {
                **ZERO,
                **FOUNDATION_MAX,
                "energy_change": "C",
                "revenue_per_employee_change": "C",
                **scenes(3, 10, 6),
            },
            Decimal("60"),
            3,
            "三级",
        ),
        # 58.5 points: below 60 → 二级 although the scenarios are at 三级
        (
            {
                **ZERO,
                **FOUNDATION_MAX,
                "energy_change": "C",
                "revenue_per_employee_change": "B",
                **scenes(3, 10, 6),
            },
            Decimal("58.5"),
            2,
            "二级",
        ),
        # nothing: 0 points → 未达到一级, stored as level 0
        ({**ZERO, **scenes(1, 10, 6)}, Decimal("0"), 0, "未达到一级"),
    ],
)
def test_submit_stores_the_level_the_questionnaire_decides(
    questionnaires, enterprise, answers, total, level, label
):
    assessment = services.start_assessment(enterprise=enterprise, user=enterprise.owner)
    assessment = submit(assessment, {**answers, "pledge_truthful": True})
    assert (assessment.total, assessment.level, assessment.level_label) == (total, level, label)


def test_an_invalid_submit_stores_no_result(questionnaires, enterprise):
    assessment = services.start_assessment(enterprise=enterprise, user=enterprise.owner)
    answers = answers_for(assessment.submission.version.parsed)
    del answers["scene_finance"]
    with pytest.raises(engine.SubmissionInvalidError):
        submit(assessment, answers)
    assessment.refresh_from_db()
    assert assessment.submitted_at is None and assessment.total is None
    assert assessment.submission.is_draft


def test_a_second_submit_changes_nothing(questionnaires, enterprise):
    assessment = take(enterprise)
    submitted_at = assessment.submitted_at
    engine.submit_submission(
        submission=assessment.submission,
        answers=answers_for(assessment.submission.version.parsed, best=False),
    )
    assessment.refresh_from_db()
    assert (assessment.submitted_at, assessment.total) == (submitted_at, 100)
    assert ModelLogEntry.objects.filter(action="assessments.submit").count() == 1


def test_after_a_submit_the_next_start_is_a_new_attempt(questionnaires, enterprise):
    first = take(enterprise)
    second = services.start_assessment(enterprise=enterprise, user=enterprise.owner)
    assert second.pk != first.pk and second.submission.pk != first.submission.pk
    assert second.submission.is_draft


def test_a_submission_not_started_from_the_assessment_page_is_refused(questionnaires, enterprise):
    definition = FormDefinition.objects.get(key="digital_manufacturing")
    submission = engine.resume_or_start_submission(definition=definition, owner=enterprise.owner)
    with pytest.raises(SubmissionRefusedError) as exc:
        engine.submit_submission(submission=submission, answers=answers_for(submission.version.parsed))
    assert exc.value.code == "assessment_not_started"
    submission.refresh_from_db()
    assert submission.is_draft and not submission.revisions.exists()  # the whole submit rolled back


def test_a_draft_of_a_questionnaire_the_industry_no_longer_gives_cannot_be_submitted(
    questionnaires, enterprise
):
    """The other questionnaires cannot be filled by the enterprise: a draft started before the
    industry changed is refused at submit, and nothing is stored."""
    assessment = services.start_assessment(enterprise=enterprise, user=enterprise.owner)
    Enterprise.objects.filter(pk=enterprise.pk).update(industry=industry("producer_services"))
    with pytest.raises(SubmissionRefusedError) as exc:
        submit(assessment)
    assert exc.value.code == "questionnaire_changed"
    assessment.refresh_from_db()
    assert assessment.submitted_at is None and assessment.submission.is_draft


def test_a_changed_industry_changes_the_next_attempt_never_the_stored_ones(questionnaires, enterprise):
    stored = take(enterprise)
    Enterprise.objects.filter(pk=enterprise.pk).update(industry=industry("other"))
    enterprise.refresh_from_db()
    following = services.start_assessment(enterprise=enterprise, user=enterprise.owner)
    assert (following.category, following.definition_key) == ("other", "digital_other")
    following = submit(following, scenario_level=1, best=False)
    stored.refresh_from_db()
    assert (stored.category, stored.definition_key, stored.total, stored.level) == (
        "manufacturing",
        "digital_manufacturing",
        100,
        4,
    )
    assert stored.submission.version.definition.key == "digital_manufacturing"
    assert following.level == 0


def test_an_open_draft_of_the_former_questionnaire_is_left_and_resumed_if_the_industry_comes_back(
    questionnaires, enterprise
):
    draft = services.start_assessment(enterprise=enterprise, user=enterprise.owner)
    Enterprise.objects.filter(pk=enterprise.pk).update(industry=industry("other"))
    enterprise.refresh_from_db()
    other = services.start_assessment(enterprise=enterprise, user=enterprise.owner)
    assert other.definition_key == "digital_other" and other.pk != draft.pk
    Enterprise.objects.filter(pk=enterprise.pk).update(industry=industry("manufacturing"))
    enterprise.refresh_from_db()
    assert services.start_assessment(enterprise=enterprise, user=enterprise.owner).pk == draft.pk


def test_a_questionnaire_without_a_level_rule_cannot_be_submitted(enterprise):
    """Policy staff replacing a questionnaire with one that decides no level get a refusal, not a
    result without a level."""
    version = FormVersionFactory(
        definition__key="digital_manufacturing",
        definition__category="assessment",
        schema=make_schema(
            {
                "key": "q",
                "type": "single_choice",
                "label": "问题",
                "required": True,
                "options": [{"value": "a", "label": "是", "score": 5}],
            },
            scoring={"items": [{"key": "q", "label": "问题", "max": 5, "method": "option", "field": "q"}]},
        ),
    )
    assert version.status == "published"
    assessment = services.start_assessment(enterprise=enterprise, user=enterprise.owner)
    with pytest.raises(SubmissionRefusedError) as exc:
        submit(assessment, {"q": "a"})
    assert exc.value.code == "assessment_without_levels"


@pytest.mark.parametrize(
    ("key", "number"),
    [
        ("level4", 4),
        ("level3", 3),
        ("level2", 2),
        ("level1", 1),
        ("none", 0),
        ("incomplete", None),
        ("level9", None),
    ],
)
def test_level_number_of_each_outcome(key, number):
    schema = parse_schema(load_document("digital_manufacturing")["versions"][0]["schema"])
    assert services.level_number(schema, key) == number
