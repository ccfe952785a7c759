"""Audit log retention (issue 12 item 12): older entries go, younger ones never, and the setting
cannot go below 180 days."""

import datetime as dt

import pytest
from django.core.checks import run_checks
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from portal.core.audit import purge_audit_log
from portal.reference.models import Region

pytestmark = pytest.mark.django_db


def _entry(days_ago: int) -> ModelLogEntry:
    region = Region.objects.create(code=f"99{days_ago:04d}"[:6], name="测试", level="province")
    entry = log(instance=region, action="wagtail.edit")
    ModelLogEntry.objects.filter(pk=entry.pk).update(timestamp=timezone.now() - dt.timedelta(days=days_ago))
    return entry


@override_settings(AUDIT_LOG_RETENTION_DAYS=200)
def test_purge_deletes_entries_older_than_the_retention_only():
    old, young = _entry(201), _entry(199)
    counts = purge_audit_log()
    assert counts["wagtailcore.ModelLogEntry"] == 1
    assert not ModelLogEntry.objects.filter(pk=old.pk).exists()
    assert ModelLogEntry.objects.filter(pk=young.pk).exists()


@override_settings(AUDIT_LOG_RETENTION_DAYS=30)
def test_a_retention_below_180_days_still_keeps_180_days():
    kept = _entry(179)
    purge_audit_log()
    assert ModelLogEntry.objects.filter(pk=kept.pk).exists()


@override_settings(AUDIT_LOG_RETENTION_DAYS=30)
def test_a_retention_below_180_days_fails_the_system_check():
    assert "portal.E003" in [message.id for message in run_checks()]


@override_settings(AUDIT_LOG_RETENTION_DAYS=200)
def test_dry_run_counts_and_deletes_nothing(capsys):
    entry = _entry(400)
    call_command("purge_audit_log", "--dry-run")
    assert "would delete 1" in capsys.readouterr().out
    assert ModelLogEntry.objects.filter(pk=entry.pk).exists()
