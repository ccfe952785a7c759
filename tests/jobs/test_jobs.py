"""Scheduled jobs (issue 13 item 5): slots, one run per slot, records, by hand, dry runs."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from portal.accounts.models import SmsCode
from portal.jobs import registry, services
from portal.jobs.models import JobRun

pytestmark = pytest.mark.django_db
BEIJING = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def counting_job():
    calls = []

    def job(*, now, dry_run):
        calls.append((now, dry_run))
        return {"calls": len(calls)}

    registry.JOBS["test_counting"] = registry.Job("test_counting", "测试", job, at="02:00")
    yield calls
    registry.JOBS.pop("test_counting", None)


def test_a_daily_slot_is_today_after_its_time_and_yesterday_before_it():
    job = registry.Job("x", "x", lambda **_: {}, at="02:00")
    assert job.slot(dt.datetime(2026, 12, 5, 2, 30, tzinfo=BEIJING))[0] == "2026-12-05"
    assert job.slot(dt.datetime(2026, 12, 5, 1, 59, tzinfo=BEIJING))[0] == "2026-12-04"


def test_an_interval_slot_starts_at_the_last_multiple():
    job = registry.Job("x", "x", lambda **_: {}, every_minutes=15)
    slot, due = job.slot(dt.datetime(2026, 12, 5, 13, 44, tzinfo=BEIJING))
    assert slot == "2026-12-05T13:30" and due.minute == 30


def test_due_jobs_are_queued_once_per_slot_and_run(counting_job, django_capture_on_commit_callbacks):
    now = dt.datetime(2026, 12, 5, 9, 0, tzinfo=BEIJING)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.enqueue_due_jobs(now=now)
    with django_capture_on_commit_callbacks(execute=True):
        second = services.enqueue_due_jobs(now=now + dt.timedelta(hours=1))
    assert [run.name for run in first if run.name == "test_counting"] == ["test_counting"]
    assert not [run for run in second if run.name == "test_counting"]
    run = JobRun.objects.get(name="test_counting")
    assert run.slot == "2026-12-05" and run.state == JobRun.State.DONE and run.result == {"calls": 1}
    assert len(counting_job) == 1


def test_a_run_delivered_twice_does_the_work_once(counting_job):
    run = JobRun.objects.create(name="test_counting", slot="2026-12-05")
    services.execute_run(run.pk)
    services.execute_run(run.pk)
    assert len(counting_job) == 1


def test_a_failing_job_is_recorded_with_its_error():
    def broken(*, now, dry_run):
        raise RuntimeError("数据库不可用")

    registry.JOBS["test_broken"] = registry.Job("test_broken", "坏", broken, at="01:00")
    try:
        run = services.run_job_now("test_broken")
    finally:
        registry.JOBS.pop("test_broken")
    assert run.state == JobRun.State.FAILED and "数据库不可用" in run.error


def test_run_job_by_hand_with_dry_run_changes_nothing(capsys):
    from django.utils import timezone

    SmsCode.objects.create(
        phone="13800000000",
        purpose="login",
        code_hash="x" * 64,
        expires_at=timezone.now() - dt.timedelta(days=3),
    )
    call_command("run_job", "purge_sms_codes", "--dry-run")
    assert '"sms_codes": 1' in capsys.readouterr().out
    assert SmsCode.objects.count() == 1
    call_command("run_job", "purge_sms_codes")
    assert SmsCode.objects.count() == 0
    assert JobRun.objects.filter(name="purge_sms_codes", manual=True).count() == 2


def test_an_unknown_job_is_refused_in_one_line():
    with pytest.raises(CommandError, match="没有名为"):
        call_command("run_job", "no_such_job")
