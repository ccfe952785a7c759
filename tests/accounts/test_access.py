"""User A can never read or change B's verification or uploads."""

import pytest

from portal.accounts.models import RealNameVerification
from tests.accounts.factories import AccountFactory, make_id_number, make_uscc, pdf_upload, png_upload, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def verification_of_b(client):
    b = AccountFactory()
    client.force_login(b.user)
    client.post(
        "/accounts/realname/manual/",
        {
            "user_type": "legal",
            "enterprise_name": "乙公司",
            "uscc": make_uscc(region="320582"),
            "name": "乙",
            "id_number": make_id_number(),
            "licence": png_upload(),
            "evidence": pdf_upload(),
        },
    )
    client.logout()
    return RealNameVerification.objects.get(user=b.user)


@pytest.mark.parametrize("field", ["licence", "evidence"])
def test_owner_can_read_own_uploads(client, verification_of_b, field):
    client.force_login(verification_of_b.user)
    response = client.get(f"/accounts/files/realname/{verification_of_b.pk}/{field}/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("field", ["licence", "evidence"])
def test_other_user_cannot_read_uploads(client, verification_of_b, field):
    client.force_login(AccountFactory().user)
    assert client.get(f"/accounts/files/realname/{verification_of_b.pk}/{field}/").status_code == 404


def test_anonymous_cannot_read_uploads(client, verification_of_b):
    response = client.get(f"/accounts/files/realname/{verification_of_b.pk}/licence/")
    assert response.status_code == 302


def test_staff_of_the_province_can_read_uploads_others_cannot(client, verification_of_b):
    client.force_login(staff("320000", "江苏省"))
    assert client.get(f"/accounts/files/realname/{verification_of_b.pk}/licence/").status_code == 200
    client.force_login(staff("440000", "广东省"))
    assert client.get(f"/accounts/files/realname/{verification_of_b.pk}/licence/").status_code == 404


def test_uploads_are_not_under_media_url(verification_of_b, settings):
    path = verification_of_b.licence.path
    assert str(settings.PRIVATE_MEDIA_ROOT) in path and str(settings.MEDIA_ROOT) not in path


def test_other_user_sees_only_own_verification_status(client, verification_of_b):
    a = AccountFactory()
    client.force_login(a.user)
    html = client.get("/accounts/realname/").content.decode()
    assert "乙公司" not in html and "审核中" not in html


def test_other_user_cannot_decide(client, verification_of_b):
    client.force_login(AccountFactory().user)
    client.post(f"/admin/account-reviews/realname/{verification_of_b.pk}/approve/", {"reason": ""})
    assert RealNameVerification.objects.get().status == "pending"


def test_unknown_file_field_is_404(client, verification_of_b):
    client.force_login(verification_of_b.user)
    assert client.get(f"/accounts/files/realname/{verification_of_b.pk}/id_number/").status_code == 404
