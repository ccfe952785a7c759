"""The enterprise's side: the certificate on the filing's 【详情】 and on the profile, owner only."""

from __future__ import annotations

import pytest
from django.test import Client

from portal.recognition.actions import CreatePublicityAction, RecogniseFilingAction
from tests.factories import recognition as factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def recognised(regions, site, gd_reviewer):
    filing = factories.approved_filing(region=regions["440305"])
    publicity = CreatePublicityAction([filing], user=gd_reviewer).execute()
    factories.end_publicity(publicity)
    filing.refresh_from_db()
    return RecogniseFilingAction(filing, user=gd_reviewer).execute()


def owner_client(recognition) -> Client:
    client = Client()
    client.force_login(recognition.enterprise.owner)
    return client


def test_the_owner_downloads_the_certificate(recognised):
    response = owner_client(recognised).get(f"/enterprise/recognitions/{recognised.pk}/certificate/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "private" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_nobody_else_gets_the_certificate(recognised, regions, gd_reviewer):
    other = factories.enterprise(region=regions["440305"])
    client = Client()
    client.force_login(other.owner)
    assert client.get(f"/enterprise/recognitions/{recognised.pk}/certificate/").status_code == 404
    client.force_login(gd_reviewer)  # staff use the register's own download
    assert client.get(f"/enterprise/recognitions/{recognised.pk}/certificate/").status_code == 404
    anonymous = Client().get(f"/enterprise/recognitions/{recognised.pk}/certificate/")
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")


def test_the_filing_detail_shows_the_recognition_and_its_certificate(recognised):
    html = owner_client(recognised).get(f"/enterprise/filings/{recognised.filing_id}/").content.decode()
    assert "认定结果" in html and recognised.number in html
    assert f"/enterprise/recognitions/{recognised.pk}/certificate/" in html
    assert "已认定" in html


def test_the_profile_shows_the_recognition_and_its_certificate(recognised):
    html = owner_client(recognised).get("/enterprise/").content.decode()
    assert "已认定" in html and "创新型中小企业" in html and recognised.number in html
    assert f"/enterprise/recognitions/{recognised.pk}/certificate/" in html
