"""inbox.E001: INBOX_SMS_CATEGORIES names only message categories."""

from __future__ import annotations

from portal.inbox.checks import check_sms_categories


def test_the_default_setting_passes():
    assert check_sms_categories() == []


def test_an_unknown_category_is_an_error(settings):
    settings.INBOX_SMS_CATEGORIES = ["recognition", "recognise"]
    [error] = check_sms_categories()
    assert error.id == "inbox.E001" and "recognise" in error.msg
