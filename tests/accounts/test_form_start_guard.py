"""FAQ 2: only a verified legal-person account starts the self-test (as a 创新型中小企业 filing) or
a self-service form of the engine."""

from __future__ import annotations

import pytest

from forms_engine.models import FormSubmission
from portal.filings.models import Filing
from tests.accounts.factories import AccountFactory, VerifiedLegalAccountFactory
from tests.enterprises.factories import CompleteEnterpriseFactory
from tests.factories.filings import FilingWindowFactory, filing_forms
from tests.factories.forms import FormDefinitionFactory, FormVersionFactory

pytestmark = pytest.mark.django_db

APPLY = "/enterprise/filings/apply/innovative/"


@pytest.fixture(autouse=True)
def self_test_window():
    filing_forms("innovative")
    FilingWindowFactory(level="innovative")


def test_natural_person_is_told_to_register_a_legal_person_account(client):
    account = AccountFactory(user_type="natural", verification_status="verified")
    client.force_login(account.user)
    response = client.get(APPLY)
    assert "需通过【法人账户】完成申报" in response.content.decode()
    assert FormSubmission.objects.count() == 0


def test_unverified_account_is_asked_to_verify_first(client):
    account = AccountFactory()
    client.force_login(account.user)
    body = client.get(APPLY).content.decode()
    assert "尚未完成法人实名认证" in body and 'href="/accounts/realname/"' in body
    assert FormSubmission.objects.count() == 0


def test_verified_legal_person_starts_the_self_test(client):
    account = VerifiedLegalAccountFactory()
    CompleteEnterpriseFactory(owner=account.user)  # F-31: the profile is complete
    client.force_login(account.user)
    response = client.get(APPLY)
    filing = Filing.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/enterprise/filings/{filing.pk}/fill/"
    assert FormSubmission.objects.get().owner == account.user


@pytest.fixture
def self_service_form():
    return FormVersionFactory(definition=FormDefinitionFactory(key="guard_probe", self_service=True))


def test_self_service_form_refuses_a_natural_person(client, self_service_form):
    client.force_login(AccountFactory(user_type="natural", verification_status="verified").user)
    response = client.get("/forms/fill/guard_probe/")
    assert response.status_code == 403 and "需通过【法人账户】完成申报" in response.content.decode()


def test_self_service_form_asks_an_unverified_account_to_verify(client, self_service_form):
    client.force_login(AccountFactory().user)
    response = client.get("/forms/fill/guard_probe/")
    assert response.status_code == 403 and "请先完成法人实名认证" in response.content.decode()


def test_self_service_form_starts_for_a_verified_legal_person(client, self_service_form):
    account = VerifiedLegalAccountFactory()
    CompleteEnterpriseFactory(owner=account.user)
    client.force_login(account.user)
    response = client.get("/forms/fill/guard_probe/")
    assert response.status_code == 302 and response["Location"].startswith("/forms/s/")
