"""FAQ 2: only a verified legal-person account starts the self-test or a questionnaire."""

from __future__ import annotations

import pytest

from forms_engine.models import FormSubmission
from tests.accounts.factories import AccountFactory, VerifiedLegalAccountFactory
from tests.enterprises.factories import CompleteEnterpriseFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("innovation_self_test")]


def test_natural_person_is_told_to_register_a_legal_person_account(client):
    account = AccountFactory(user_type="natural", verification_status="verified")
    client.force_login(account.user)
    response = client.get("/forms/fill/innovation_self_test/")
    assert response.status_code == 403
    assert "需通过【法人账户】完成申报" in response.content.decode()
    assert FormSubmission.objects.count() == 0


def test_unverified_account_is_asked_to_verify_first(client):
    account = AccountFactory()
    client.force_login(account.user)
    response = client.get("/forms/fill/innovation_self_test/")
    assert response.status_code == 403 and "请先完成法人实名认证" in response.content.decode()


def test_verified_legal_person_starts_the_self_test(client):
    account = VerifiedLegalAccountFactory()
    CompleteEnterpriseFactory(owner=account.user)  # F-31: the profile is complete
    client.force_login(account.user)
    response = client.get("/forms/fill/innovation_self_test/")
    assert response.status_code == 302 and response["Location"].startswith("/forms/s/")
    assert FormSubmission.objects.get().owner == account.user
