import pytest


@pytest.fixture
def world(db, django_user_model, settings, tmp_path):
    from tests.security.world import build_world

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "portal.filings.evidence.storage.PrivateEvidenceStorage",
            "OPTIONS": {"location": str(tmp_path / "evidence")},
        },
        "filing_documents": {
            "BACKEND": "portal.filings.evidence.storage.PrivateEvidenceStorage",
            "OPTIONS": {"location": str(tmp_path / "filing-documents")},
        },
    }
    return build_world(django_user_model)
