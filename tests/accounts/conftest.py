from __future__ import annotations

import pytest
from django.core.cache import cache

from portal.accounts import sms


@pytest.fixture(autouse=True)
def clean_outbox_and_cache(settings, tmp_path):
    sms.outbox.clear()
    cache.clear()
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.SMS_FILE_PATH = tmp_path / "sms-outbox"
    yield
    sms.outbox.clear()
    cache.clear()
