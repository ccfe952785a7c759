"""Fixtures of the evidence tests: verified 法人 users with enterprises, a private evidence storage
per test, and a small tus client over Django's test client."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from django.test import Client

from portal.filings.models import EvidenceArchive
from tests.accounts.factories import AccountFactory, VerifiedLegalAccountFactory
from tests.assessments.conftest import questionnaires  # noqa: F401 - the fixture, for the filing tests
from tests.enterprises.factories import EnterpriseFactory

TUS = {"HTTP_TUS_RESUMABLE": "1.0.0"}
OFFSET_STREAM = "application/offset+octet-stream"


@pytest.fixture(autouse=True)
def evidence_root(tmp_path, settings) -> Path:
    root = tmp_path / "evidence"
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "portal.filings.evidence.storage.PrivateEvidenceStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    return root


def make_legal_user(**enterprise):
    account = VerifiedLegalAccountFactory()
    EnterpriseFactory(owner=account.user, uscc=account.uscc, **enterprise)
    return account.user


@pytest.fixture
def legal_user(db):
    return make_legal_user(name="深圳市证据测试科技有限公司")


@pytest.fixture
def other_legal_user(db):
    return make_legal_user(name="杭州市另一家软件有限公司")


@pytest.fixture
def natural_user(db):
    return AccountFactory(user_type="natural", verification_status="verified", real_name="李四").user


@pytest.fixture
def owner_client(legal_user) -> Client:
    client = Client()
    client.force_login(legal_user)
    return client


@pytest.fixture
def other_client(other_legal_user) -> Client:
    client = Client()
    client.force_login(other_legal_user)
    return client


def metadata(**values: str) -> str:
    return ",".join(f"{key} {base64.b64encode(value.encode()).decode()}" for key, value in values.items())


def tus_create(client: Client, filename: str, length: int, **extra_metadata: str):
    return client.post(
        "/enterprise/filings/evidence/uploads/",
        HTTP_UPLOAD_LENGTH=str(length),
        HTTP_UPLOAD_METADATA=metadata(filename=filename, **extra_metadata),
        **TUS,
    )


def tus_patch(client: Client, url: str, offset: int, data: bytes, **headers):
    return client.generic(
        "PATCH", url, data=data, content_type=OFFSET_STREAM, HTTP_UPLOAD_OFFSET=str(offset), **TUS, **headers
    )


def tus_upload(
    client: Client, data: bytes, filename: str = "申报材料.zip", chunk: int = 64 * 1024, **extra_metadata: str
) -> EvidenceArchive:
    """Create and send ``data`` in chunks; returns the archive (refreshed)."""
    created = tus_create(client, filename, len(data), **extra_metadata)
    assert created.status_code == 201, created.content
    url = created["Location"]
    offset = 0
    while offset < len(data):
        response = tus_patch(client, url, offset, data[offset : offset + chunk])
        assert response.status_code == 204, response.content
        offset = int(response["Upload-Offset"])
    return EvidenceArchive.objects.get(public_id=url.rstrip("/").rsplit("/", 1)[-1])


@pytest.fixture(autouse=True)
def filing_documents_root(tmp_path, settings) -> Path:
    """The rendered filing PDFs of one test only (their names derive from the filing's id, which a
    rolled-back test database hands out again)."""
    root = tmp_path / "filing-documents"
    settings.STORAGES = {
        **settings.STORAGES,
        "filing_documents": {
            "BACKEND": "portal.filings.evidence.storage.PrivateEvidenceStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    return root
