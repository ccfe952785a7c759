"""Settings of the benchmarks: production settings, DEBUG off, served over plain HTTP on 127.0.0.1.

Adds /bench/trivial/ (the ceiling: a view that does nothing) through tests.bench.urls, so the
production URLconf never exposes it.
"""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "bench-insecure-secret-key-not-for-production")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench")
os.environ.setdefault("LOG_LEVEL", "WARNING")

from portal.settings.production import *  # noqa: E402,F403

DEBUG = False
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
ROOT_URLCONF = "tests.bench.urls"
# Benchmarks request HTML only and never run collectstatic.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "forms_engine_uploads": STORAGES["forms_engine_uploads"],  # noqa: F405
}
MEDIA_ROOT = Path(tempfile.gettempdir()) / "portal-bench-media"  # demo attachments; outside the repo

# The form-engine bench measures the engine; the portal's FAQ 2 start guard has its own tests.
FORMS_ENGINE_START_GUARD = None

# Evidence archives of the bench go to a temporary directory, outside the repository.
STORAGES["evidence"] = {
    "BACKEND": "portal.filings.evidence.storage.PrivateEvidenceStorage",
    "OPTIONS": {
        "location": os.environ.get(
            "EVIDENCE_STORAGE_ROOT", str(Path(tempfile.gettempdir()) / "portal-bench-evidence")
        )
    },
}
