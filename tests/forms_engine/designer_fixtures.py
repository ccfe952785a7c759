"""Shared set-up of the designer tests: the digital questionnaire and policy-staff users."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from tests.forms_engine.conftest import load_document

POLICY_STAFF = "政策人员"
PASSWORD = "Zhengce-Pass-2026"


def make_staff(django_user_model, username: str, group: str | None = POLICY_STAFF):
    user = django_user_model.objects.create_user(username=username, password=PASSWORD, is_staff=True)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def digital(db):
    from forms_engine.models import FormDefinition
    from forms_engine.services import import_definition_document

    import_definition_document(document=load_document("digital_manufacturing"))
    return FormDefinition.objects.get(key="digital_manufacturing")


@pytest.fixture
def author(django_user_model):
    return make_staff(django_user_model, "zhengce_a")


@pytest.fixture
def approver(django_user_model):
    return make_staff(django_user_model, "zhengce_b")


@pytest.fixture
def draft(digital, author):
    from forms_engine.services import create_draft_from_version

    return create_draft_from_version(source=digital.versions.get(number=1), created_by=author)
