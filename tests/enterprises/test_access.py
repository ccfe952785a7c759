"""F-31 / the manual's 企业申报 step 1: a filing starts only with a complete profile; an incomplete
one is told what is missing, gets 【编辑】, and is returned to the form once saved (issue 9.7; the
self-test is filled only as a 创新型中小企业 filing since issue 11)."""

from __future__ import annotations

import pytest

from forms_engine.models import FormSubmission
from portal.enterprises.models import Enterprise
from portal.filings.models import Filing
from tests.accounts.factories import VerifiedLegalAccountFactory
from tests.factories.filings import FilingWindowFactory, filing_forms

from .conftest import form_post
from .factories import CompleteEnterpriseFactory, EnterpriseFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("innovation_self_test")]

APPLY = "/enterprise/filings/apply/innovative/"
EDIT_WITH_NEXT = "/enterprise/edit/?next=%2Fenterprise%2Ffilings%2Fapply%2Finnovative%2F"


@pytest.fixture(autouse=True)
def self_test_window(regions):
    """The self-test and an open 创新型中小企业 window in 广东 (the factories' USCC province)."""
    filing_forms("innovative")
    FilingWindowFactory(level="innovative")


@pytest.fixture
def legal_person():
    return VerifiedLegalAccountFactory().user


def test_incomplete_profile_is_told_to_complete_it_first(client, legal_person):
    EnterpriseFactory(owner=legal_person)
    client.force_login(legal_person)
    response = client.get(APPLY)
    body = response.content.decode()
    assert response.status_code == 403 and response.context["code"] == "profile_incomplete"
    assert "注册地、所属行业" in body
    assert f'href="{EDIT_WITH_NEXT}"' in body
    assert FormSubmission.objects.count() == 0


def test_complete_profile_starts_the_form(client, legal_person):
    CompleteEnterpriseFactory(owner=legal_person)
    client.force_login(legal_person)
    response = client.get(APPLY)
    filing = Filing.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/enterprise/filings/{filing.pk}/fill/"


def test_saving_the_profile_returns_to_the_form(client, legal_person, industries):
    EnterpriseFactory(owner=legal_person)
    client.force_login(legal_person)
    assert f'name="next" value="{APPLY}"' in client.get(EDIT_WITH_NEXT).content.decode()
    response = client.post("/enterprise/edit/", form_post(next=APPLY))
    assert response.status_code == 302 and response["Location"] == APPLY
    assert client.get(APPLY)["Location"] == f"/enterprise/filings/{Filing.objects.get().pk}/fill/"


@pytest.mark.parametrize("next_url", ["https://evil.example.com/", "//evil.example.com/"])
def test_saving_ignores_a_next_on_another_site(client, legal_person, industries, next_url):
    EnterpriseFactory(owner=legal_person)
    client.force_login(legal_person)
    response = client.post("/enterprise/edit/", form_post(next=next_url))
    assert response.status_code == 302 and response["Location"] == "/enterprise/"
    assert Enterprise.objects.get(owner=legal_person).contact_name == "李四"
