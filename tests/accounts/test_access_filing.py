"""FAQ 2: natural persons can log in but every filing entry sends them to register a legal-person account."""

import pytest
from django.test import RequestFactory

from portal.accounts.access import filing_block, legal_person_required
from portal.accounts.prefill import register_prefill_sources
from tests.accounts.factories import AccountFactory, VerifiedLegalAccountFactory

pytestmark = pytest.mark.django_db


@legal_person_required
def filing_view(request):
    from django.http import HttpResponse

    return HttpResponse("filing")


def call(user):
    request = RequestFactory().get("/enterprise/filings/")
    request.user = user
    return filing_view(request)


def test_legal_person_may_file():
    assert call(VerifiedLegalAccountFactory().user).content == b"filing"


def test_natural_person_is_told_to_register_a_legal_person_account():
    account = AccountFactory(
        user_type="natural", verification_status="verified", id_number="11010519491231002X"
    )
    assert filing_block(account.user) == "natural_person"
    response = call(account.user)
    html = response.content.decode()
    assert response.status_code == 403 and "需通过【法人账户】完成申报" in html and "注册法人账户" in html


def test_unverified_account_is_sent_to_verification():
    response = call(AccountFactory().user)
    assert response.status_code == 403 and "立即认证" in response.content.decode()


def test_anonymous_is_sent_to_login():
    from django.contrib.auth.models import AnonymousUser

    response = call(AnonymousUser())
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_prefill_sources_read_the_account():
    from forms_engine.prefill import resolve_prefill

    register_prefill_sources()
    account = VerifiedLegalAccountFactory(email="zhang@example.com")
    assert resolve_prefill("account.phone", user=account.user, context={}) == account.phone
    assert resolve_prefill("account.real_name", user=account.user, context={}) == "张三"
