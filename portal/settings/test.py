"""Tests: fast hashing, in-memory cache and email, DEBUG off like production."""

import os

from .base import *  # noqa: F403

SECRET_KEY = "test-insecure-key"
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Tests render templates without running collectstatic.
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "forms_engine_uploads": STORAGES["forms_engine_uploads"],  # noqa: F405
}
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
CACHES = {"default": cache_from_url(os.environ.get("CACHE_URL", "locmem://tests"))}  # noqa: F405
WHITENOISE_USE_FINDERS = True  # no collectstatic needed for tests

# --- accounts ---
SMS_BACKEND = "portal.accounts.sms.backends.locmem.SmsBackend"
SMS_FILE_PATH = BASE_DIR / ".test-media" / "sms-outbox"  # noqa: F405
PRIVATE_MEDIA_ROOT = BASE_DIR / ".test-private"  # noqa: F405
CAPTCHA_TEST_MODE = True  # the answer "PASSED" is accepted
# Axes is off by default in tests so Client.login() (which passes no request) keeps working;
# the lockout tests switch it on with override_settings(AXES_ENABLED=True).
AXES_ENABLED = False
# Most tests verify by format like the demo; the manual-review default has its own tests.
ACCOUNTS_LOCAL_RULES_APPROVE = True
PORTAL_DEMO_DATA = True

# --- background tasks and evidence ---
# Tasks run inline unless TASKS_BACKEND is set: the worker tests start `manage.py db_worker` with
# TASKS_BACKEND=database against the test database (tests/filings/worker.py).
TASKS = {"default": task_backend(os.environ.get("TASKS_BACKEND", "immediate"))}  # noqa: F405
STORAGES["evidence"] = {  # noqa: F405
    "BACKEND": "portal.filings.evidence.storage.PrivateEvidenceStorage",
    "OPTIONS": {
        "location": os.environ.get(
            "EVIDENCE_STORAGE_ROOT",
            str(PRIVATE_MEDIA_ROOT / "evidence-archives"),  # noqa: F405
        )
    },
}
STORAGES["filing_documents"] = {  # noqa: F405
    "BACKEND": "portal.filings.evidence.storage.PrivateEvidenceStorage",
    "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT / "filing-documents")},  # noqa: F405
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not :memory:, so a worker subprocess sees the same test database.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / ".test-db.sqlite3")}  # noqa: F405
