"""What filings read (latest_assessment, assessment_block, the prefill source assessment.digital_level)
and what the pages read (overview, result), with constant query counts."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forms_engine import services as engine
from forms_engine.models import FormVersion
from forms_engine.prefill import prefill_sources, resolve_prefill
from forms_engine.schema import parse_schema
from portal.assessments import selectors, services
from portal.assessments.models import Assessment
from portal.enterprises.models import Enterprise
from tests.assessments.conftest import industry, submit, take
from tests.factories.forms import FormVersionFactory, make_schema
from tests.forms_engine.conftest import load_document
from tests.forms_engine.test_shipped_scoring import FOUNDATION_MAX, ZERO, scenes

pytestmark = pytest.mark.django_db

SPECIALIZED_V1 = parse_schema(load_document("specialized_filing")["versions"][0]["schema"])


def aged(assessment: Assessment, days: int) -> Assessment:
    """Move an attempt's submission time ``days`` into the past."""
    Assessment.objects.filter(pk=assessment.pk).update(submitted_at=timezone.now() - dt.timedelta(days=days))
    assessment.refresh_from_db()
    return assessment


def test_latest_assessment_is_the_latest_submitted_attempt(questionnaires, enterprise):
    assert selectors.latest_assessment(enterprise) is None
    older = aged(take(enterprise), 30)
    newer = take(enterprise, best=False, scenario_level=1)
    services.start_assessment(enterprise=enterprise, user=enterprise.owner)  # an open draft does not count
    latest = selectors.latest_assessment(enterprise)
    assert latest.pk == newer.pk != older.pk
    assert (latest.level, latest.level_label, latest.total) == (0, "未达到一级", 0)
    assert (latest.category, latest.definition_key) == ("manufacturing", "digital_manufacturing")
    assert latest.submitted_at > older.submitted_at


def test_latest_assessment_is_per_enterprise(questionnaires, enterprise, other_enterprise):
    take(other_enterprise)
    assert selectors.latest_assessment(enterprise) is None


def test_assessment_block_until_an_assessment_is_submitted(questionnaires, enterprise):
    assert selectors.assessment_block(enterprise) == "请先完成数字化水平评测"
    draft = services.start_assessment(enterprise=enterprise, user=enterprise.owner)
    assert selectors.assessment_block(enterprise) == "请先完成数字化水平评测"
    submit(draft, best=False, scenario_level=1)  # even 未达到一级 is a completed assessment
    assert selectors.assessment_block(enterprise) is None


@pytest.mark.parametrize(
    ("level", "value"), [(4, "4"), (3, "3"), (2, "2"), (1, "1"), (0, "none"), (None, None)]
)
def test_digital_level_value_is_the_specialized_filing_option(level, value):
    assert selectors.digital_level_value(level) == value
    if value is not None:
        assert value in {o.value for o in SPECIALIZED_V1.field_map()["digital_level"].options}


def prefill(user):
    return resolve_prefill("assessment.digital_level", user=user, context={})


def test_prefill_source_gives_the_latest_level_and_nothing_without_an_attempt(questionnaires, enterprise):
    assert "assessment.digital_level" in prefill_sources and prefill_sources.is_locked(
        "assessment.digital_level"
    )
    assert prefill(enterprise.owner) is None
    aged(take(enterprise), 1)
    assert prefill(enterprise.owner) == "4"
    answers = {
        **ZERO,
        **FOUNDATION_MAX,
        "energy_change": "C",
        "revenue_per_employee_change": "C",
        **scenes(3, 10, 6),
        "pledge_truthful": True,
    }
    submit(services.start_assessment(enterprise=enterprise, user=enterprise.owner), answers)
    assert prefill(enterprise.owner) == "3"  # the latest attempt counts, not the best


def test_specialized_filing_indicator_5_is_prefilled_from_the_latest_assessment(questionnaires, enterprise):
    """The shipped specialized_filing v1 names the source on its digital_level field (v1 is retired
    by v2, which has no points table; prefilling reads the schema only)."""
    engine.import_definition_document(document=load_document("specialized_filing"))
    version = FormVersion.objects.get(definition__key="specialized_filing", number=1)
    take(enterprise, best=False, scenario_level=1)
    answers = engine.prefilled_answers(version=version, owner=enterprise.owner, context={})
    assert answers["digital_level"] == "none"


def test_a_filing_draft_takes_the_newest_level_at_every_save_whatever_was_posted(questionnaires, enterprise):
    """Registered locked: indicator 5 follows the latest assessment until the filing is submitted."""
    version = FormVersionFactory(
        schema=make_schema(
            {
                "key": "digital_level",
                "type": "single_choice",
                "label": "数字化水平",
                "prefill": "assessment.digital_level",
                "options": [{"value": v, "label": v} for v in ("4", "3", "2", "1", "none")],
            }
        )
    )
    take(enterprise, best=False, scenario_level=1)
    filing = engine.start_submission(version=version, owner=enterprise.owner)
    assert filing.answers["digital_level"] == "none"
    take(enterprise)
    filing = engine.save_submission_progress(
        submission=filing, expected_revision=filing.revision, wizard_state={}, answers={"digital_level": "1"}
    )
    assert filing.answers["digital_level"] == "4"


def test_overview_of_an_enterprise_without_attempts(questionnaires, enterprise):
    overview = selectors.assessment_overview(enterprise)
    assert overview.latest is None and overview.open_draft is None and overview.history == []
    q = overview.questionnaire
    assert (q.key, q.title, q.version, q.provisional) == (
        "digital_manufacturing",
        "中小企业数字化水平评测（制造业）",
        1,
        False,
    )


@pytest.mark.parametrize("category", ["producer_services", "other"])
def test_overview_says_the_services_and_other_questionnaires_are_provisional(
    questionnaires, enterprise, category
):
    Enterprise.objects.filter(pk=enterprise.pk).update(industry=industry(category))
    enterprise.refresh_from_db()
    q = selectors.assessment_overview(enterprise).questionnaire
    assert q.provisional is True and "未能获取" in q.provisional_reason


def test_overview_history_newest_first_with_the_latest_marked(questionnaires, enterprise):
    first = aged(take(enterprise), 2)
    second = take(enterprise, best=False, scenario_level=1)
    draft = services.start_assessment(enterprise=enterprise, user=enterprise.owner)
    overview = selectors.assessment_overview(enterprise)
    assert [e.assessment.pk for e in overview.history] == [second.pk, first.pk]
    assert [e.is_latest for e in overview.history] == [True, False]
    assert overview.latest.pk == second.pk and overview.open_draft.pk == draft.pk
    assert (
        overview.history[0].title == "中小企业数字化水平评测（制造业）" and overview.history[0].version == 1
    )


def test_overview_does_not_offer_a_draft_of_a_questionnaire_the_industry_no_longer_gives(
    questionnaires, enterprise
):
    services.start_assessment(enterprise=enterprise, user=enterprise.owner)
    Enterprise.objects.filter(pk=enterprise.pk).update(industry=industry("other"))
    enterprise.refresh_from_db()
    overview = selectors.assessment_overview(enterprise)
    assert overview.open_draft is None and overview.questionnaire.key == "digital_other"


def queries(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


def test_overview_runs_a_constant_number_of_queries(questionnaires, enterprise):
    take(enterprise)
    services.start_assessment(enterprise=enterprise, user=enterprise.owner)
    one = queries(lambda: selectors.assessment_overview(enterprise))
    Assessment.objects.filter(enterprise=enterprise, submitted_at__isnull=True).delete()
    for _ in range(5):
        take(enterprise, best=False, scenario_level=2)
    services.start_assessment(enterprise=enterprise, user=enterprise.owner)
    assert queries(lambda: selectors.assessment_overview(enterprise)) == one


def test_assessment_of_another_enterprise_is_none(questionnaires, enterprise, other_enterprise):
    theirs = take(other_enterprise)
    assert selectors.assessment_of(enterprise, theirs.pk) is None
    assert selectors.assessment_of(None, theirs.pk) is None
    assert selectors.assessment_of(other_enterprise, theirs.pk).pk == theirs.pk


def test_result_has_the_dimensions_scenarios_rule_and_readable_answers(questionnaires, enterprise):
    answers = {
        **ZERO,
        **FOUNDATION_MAX,
        "energy_change": "C",
        "revenue_per_employee_change": "B",
        **scenes(3, 6, 2, low=2),
        "pledge_truthful": True,
    }  # 58.5 points, 8 scenarios at 三级
    assessment = submit(services.start_assessment(enterprise=enterprise, user=enterprise.owner), answers)
    result = selectors.assessment_result(assessment)
    assert assessment.level_label == "二级" and result.is_latest
    assert [(d.label, d.points, d.max, d.percent, d.width) for d in result.dimensions] == [
        ("数字化基础", "50", "50", "100", "100.0"),
        ("数字化管理", "0", "30", "0", "0.0"),
        ("数字化成效", "8.5", "20", "43", "42.5"),  # 7 + 1.5
    ]
    assert [i.points for i in result.dimensions[2].items] == ["7", "0", "1.5", "0"]
    assert [(s.level_label, s.count, s.constraint) for s in result.scenarios] == [
        ("四级", 0, 0),
        ("三级", 8, 6),
        ("二级", 16, 10),
        ("一级", 16, 10),
    ]
    assert (
        result.level_rules[0] == "四级：总分≥80分，达到四级及以上的场景≥10个，达到四级及以上的约束性场景≥6个"
    )
    assert result.next_level == "三级" and result.next_level_needs == ["总分需≥60分"]
    assert result.level_rule_unverified and not result.provisional
    steps = [step for step, _rows in result.answer_steps]
    assert steps == [
        "数字化基础（50分）",
        "数字化经营（场景等级自评，不计分）",
        "数字化管理（30分）",
        "数字化成效（20分）",
    ]
    texts = [row.text for _step, rows in result.answer_steps for row in rows]
    raw = re.compile(r"^([A-Z](、[A-Z])*|[1-4]|True|False|\[.*\])$")
    assert texts and not [t for t in texts if raw.match(t)]
    assert "是" in texts  # the pledge reads 是, not True


def test_result_of_an_older_attempt_is_not_the_latest(questionnaires, enterprise):
    older = aged(take(enterprise), 3)
    take(enterprise)
    assert selectors.assessment_result(older).is_latest is False


def test_result_at_the_top_level_asks_for_nothing_more(questionnaires, enterprise):
    result = selectors.assessment_result(take(enterprise))
    assert result.next_level == "" and result.next_level_needs == []
