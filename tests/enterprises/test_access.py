"""F-31 / the manual's 企业申报 step 1: a form starts only with a complete profile; an incomplete
one is told what is missing, gets 【编辑】, and is returned to the form once saved (issue 9.7)."""

from __future__ import annotations

import pytest

from forms_engine.models import FormSubmission
from portal.enterprises.models import Enterprise
from tests.accounts.factories import VerifiedLegalAccountFactory

from .conftest import form_post
from .factories import CompleteEnterpriseFactory, EnterpriseFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("innovation_self_test")]

FILL = "/forms/fill/innovation_self_test/"
EDIT_WITH_NEXT = "/enterprise/edit/?next=%2Fforms%2Ffill%2Finnovation_self_test%2F"


@pytest.fixture
def legal_person():
    return VerifiedLegalAccountFactory().user


def test_incomplete_profile_is_told_to_complete_it_first(client, legal_person):
    EnterpriseFactory(owner=legal_person)
    client.force_login(legal_person)
    response = client.get(FILL)
    body = response.content.decode()
    assert response.status_code == 403
    assert 'data-testid="profile-required"' in body and "注册地、所属行业" in body
    assert f'href="{EDIT_WITH_NEXT}"' in body
    assert FormSubmission.objects.count() == 0


def test_complete_profile_starts_the_form(client, legal_person):
    CompleteEnterpriseFactory(owner=legal_person)
    client.force_login(legal_person)
    response = client.get(FILL)
    assert response.status_code == 302 and response["Location"].startswith("/forms/s/")


def test_saving_the_profile_returns_to_the_form(client, legal_person, regions, industries):
    EnterpriseFactory(owner=legal_person)
    client.force_login(legal_person)
    assert (
        'name="next" value="/forms/fill/innovation_self_test/"' in client.get(EDIT_WITH_NEXT).content.decode()
    )
    response = client.post("/enterprise/edit/", form_post(next=FILL))
    assert response.status_code == 302 and response["Location"] == FILL
    assert client.get(FILL)["Location"].startswith("/forms/s/")


@pytest.mark.parametrize("next_url", ["https://evil.example.com/", "//evil.example.com/"])
def test_saving_ignores_a_next_on_another_site(client, legal_person, regions, industries, next_url):
    EnterpriseFactory(owner=legal_person)
    client.force_login(legal_person)
    response = client.post("/enterprise/edit/", form_post(next=next_url))
    assert response.status_code == 302 and response["Location"] == "/enterprise/"
    assert Enterprise.objects.get(owner=legal_person).contact_name == "李四"
