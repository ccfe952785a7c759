from __future__ import annotations

import pytest

from portal.accounts import sms


@pytest.fixture(autouse=True)
def clean_outbox(settings, tmp_path):
    """An empty SMS outbox and private media of its own (the cache is emptied by tests/conftest.py)."""
    sms.outbox.clear()
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.SMS_FILE_PATH = tmp_path / "sms-outbox"
    yield
    sms.outbox.clear()
