"""Fixtures of the review tests: private storages per test, 广东's regions, an innovation filing of
a 南山区 enterprise submitted into the default chain (县/区 → 市 → 省), and its reviewers."""

from __future__ import annotations

import pytest

from tests.factories import recognition as rec


@pytest.fixture(autouse=True)
def private_storages(tmp_path, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        **{
            name: {
                "BACKEND": "portal.filings.evidence.storage.PrivateEvidenceStorage",
                "OPTIONS": {"location": str(tmp_path / name)},
            }
            for name in ("evidence", "filing_documents")
        },
    }


@pytest.fixture
def regions(db):
    return rec.gd_regions()


@pytest.fixture
def reviewers(regions):
    return {
        "county": rec.reviewer_user(level="county", region=regions["440305"]),
        "other_county": rec.reviewer_user(level="county", region=regions["440304"]),
        "city": rec.reviewer_user(level="city", region=regions["440300"]),
        "province": rec.reviewer_user(level="province", region=regions["440000"]),
    }


@pytest.fixture
def filing(regions):
    from tests.factories.filings import FilingEnterpriseFactory, submitted_filing

    enterprise = FilingEnterpriseFactory(name="深圳市审核测试科技有限公司", region=regions["440305"])
    return submitted_filing(enterprise=enterprise)
