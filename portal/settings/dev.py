"""Development: DEBUG on, a fixed insecure key, SQLite by default."""

import os

os.environ.setdefault("DEBUG", "1")

from .base import *  # noqa: E402,F403

DEBUG = env_bool("DEBUG", True)  # noqa: F405
SECRET_KEY = SECRET_KEY or "dev-insecure-key-change-me"  # noqa: F405
ALLOWED_HOSTS = ALLOWED_HOSTS + ["*"] if DEBUG else ALLOWED_HOSTS  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Codes of `make run` land as files in sms-outbox/ (SPEC F-65)
SMS_BACKEND = os.environ.get("SMS_BACKEND", "portal.accounts.sms.backends.file.SmsBackend")

# The demo verifies identities on their format alone (a deploy check warns if production does)
ACCOUNTS_LOCAL_RULES_APPROVE = env_bool("ACCOUNTS_LOCAL_RULES_APPROVE", True)  # noqa: F405
PORTAL_DEMO_DATA = True
