"""Settings of `make soak`: the production settings, served over plain HTTP on 127.0.0.1.

tests/soak/soak.py sets DATABASE_URL (its own PostgreSQL cluster), CACHE_URL, MEDIA_ROOT and
PRIVATE_MEDIA_ROOT (a temporary directory) before these are read.
"""

import os

os.environ.setdefault("SECRET_KEY", "soak-insecure-secret-key-not-for-production")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("LOG_LEVEL", "WARNING")

from portal.settings.production import *  # noqa: E402,F403

DEBUG = False
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False  # plain HTTP on 127.0.0.1
CSRF_COOKIE_SECURE = False
# the soak requests HTML and JSON only and never runs collectstatic
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
