"""Fixtures of the recognition tests: the notice site, certificates per test, the inbox's notify()
(regions and reviewers are the root conftest's)."""

from __future__ import annotations

import pytest

from tests.factories import recognition as factories

from . import fake_inbox


@pytest.fixture(autouse=True)
def inbox(monkeypatch):
    """The inbox's notify(): the real one once the inbox branch is merged, else a recording fake."""
    return fake_inbox.install(monkeypatch)


@pytest.fixture(autouse=True)
def certificate_root(tmp_path, settings):
    """The certificates of one test only (their names derive from ids a rolled-back database reuses)."""
    root = tmp_path / "filing-documents"
    settings.STORAGES = {
        **settings.STORAGES,
        "filing_documents": {
            "BACKEND": "portal.filings.evidence.storage.PrivateEvidenceStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    return root


@pytest.fixture
def site(db):
    return factories.notice_site()
