"""Fixtures: the three digital questionnaires, verified enterprises of each questionnaire category,
answer sets built from the schema, an attempt submitted through the engine."""

from __future__ import annotations

from typing import Any

import pytest

from forms_engine import services as engine
from forms_engine.schema import Schema
from portal.accounts.models import Account
from portal.assessments import services
from portal.assessments.models import Assessment
from portal.reference.models import Industry
from tests.enterprises.factories import CompleteEnterpriseFactory, UserFactory
from tests.forms_engine.conftest import load_document

QUESTIONNAIRES = ("digital_manufacturing", "digital_services", "digital_other")


@pytest.fixture
def questionnaires(db):
    for key in QUESTIONNAIRES:
        engine.import_definition_document(document=load_document(key))


def industry(category: str) -> Industry:
    """A division of the questionnaire category (manufacturing: 39, services: 65, other: 62)."""
    sections = {
        "manufacturing": ("C", "制造业", "39", "计算机、通信和其他电子设备制造业"),
        "producer_services": ("I", "信息传输、软件和信息技术服务业", "65", "软件和信息技术服务业"),
        "other": ("H", "住宿和餐饮业", "62", "餐饮业"),
    }
    code, name, division, division_name = sections[category]
    section, _ = Industry.objects.get_or_create(
        code=code, defaults={"name": name, "level": "section", "questionnaire_category": category}
    )
    return Industry.objects.get_or_create(
        code=division,
        defaults={
            "name": division_name,
            "level": "division",
            "parent": section,
            "questionnaire_category": category,
        },
    )[0]


def verified_owner(username: str, phone: str):
    user = UserFactory(username=username)
    Account.objects.create(
        user=user, phone=phone, user_type="legal", verification_status="verified", real_name="张三"
    )
    return user


@pytest.fixture
def owner(db):
    return verified_owner("qiye_pg", "13900000301")


@pytest.fixture
def enterprise(owner):
    """A verified manufacturing enterprise with a complete profile (as the start guard asks)."""
    return CompleteEnterpriseFactory(
        owner=owner, name="深圳市甲智能装备有限公司", industry=industry("manufacturing")
    )


@pytest.fixture
def other_owner(db):
    return verified_owner("qiye_other", "13900000302")


@pytest.fixture
def other_enterprise(other_owner):
    return CompleteEnterpriseFactory(
        owner=other_owner, name="深圳市乙电子有限公司", industry=industry("manufacturing")
    )


def answers_for(schema: Schema, *, best: bool = True, scenario_level: int = 4, **overrides: Any) -> dict:
    """Every required answer: each scored question at its best (or worst) option, every scenario
    self-rated ``scenario_level``, the pledge given."""
    answers: dict[str, Any] = {}
    fields = schema.field_map()
    for item in schema.scoring.items:
        field = fields[item.field]
        if field.type == "multiple_choice":
            exclusive = [o.value for o in field.options if o.exclusive]
            answers[field.key] = (
                [o.value for o in field.options if not o.exclusive] if best else exclusive[:1]
            )
        else:
            answers[field.key] = (max if best else min)(field.options, key=lambda o: o.score).value
    answers.update({f.key: str(scenario_level) for f in schema.scenario_fields})
    for field in schema.value_fields:
        if field.required and field.key not in answers and field.type == "yes_no":
            answers[field.key] = True
    answers.update(overrides)
    return answers


def submit(assessment: Assessment, answers: dict | None = None, **kwargs: Any) -> Assessment:
    """Submit the attempt through the engine (its submit hook stores the result)."""
    submission = assessment.submission
    engine.submit_submission(
        submission=submission,
        answers=answers or answers_for(submission.version.parsed, **kwargs),
        user=submission.owner,
    )
    assessment.refresh_from_db()
    return assessment


def take(enterprise, **kwargs: Any) -> Assessment:
    """【去自评】 and submit: one finished attempt."""
    return submit(services.start_assessment(enterprise=enterprise, user=enterprise.owner), **kwargs)
