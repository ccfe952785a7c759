"""The lifecycle's scheduled jobs (issue 13 item 5): each recorded, each idempotent — a second run
for the same moment sends and changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from portal.enterprises.models import EnterpriseProfileVersion
from portal.filings.models import FilingWindow
from portal.inbox.models import Message
from portal.jobs.models import JobRun
from portal.jobs.services import run_job_now
from portal.lifecycle import selectors
from portal.lifecycle.models import AnnualUpdate
from portal.recognition.models import Recognition
from portal.recognition.services import import_recognition, set_renewal_pending

from .conftest import verified_enterprise

pytestmark = pytest.mark.django_db


def moment(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def recognised(region, *, valid_until: dt.date, level="specialized") -> Recognition:
    enterprise = verified_enterprise(region)
    valid_from = valid_until.replace(year=valid_until.year - 3) + dt.timedelta(days=1)
    return import_recognition(enterprise=enterprise, level=level, year=valid_from.year, valid_from=valid_from)


def snapshot():
    return sorted(Message.objects.values_list("enterprise_id", "category", "dedupe_key", "title"))


def test_expiry_reminders_at_the_tightest_day_reached_once(regions):
    today = timezone.localdate()
    in_25 = recognised(regions["440305"], valid_until=today + dt.timedelta(days=25))
    in_5 = recognised(regions["440304"], valid_until=today + dt.timedelta(days=5))
    recognised(regions["440305"], valid_until=today + dt.timedelta(days=120))

    run = run_job_now("expiry_reminders")
    assert run.state == JobRun.State.DONE and run.result["sent"] == 2
    first = Message.objects.get(enterprise=in_25.enterprise, category="expiry")
    assert first.dedupe_key == f"expiry:{in_25.pk}:30" and "还有 25 天到期" in first.body
    assert "【去复核】" in first.body and first.link == "/enterprise/renewals/"
    assert Message.objects.get(enterprise=in_5.enterprise).dedupe_key == f"expiry:{in_5.pk}:7"
    before = snapshot()

    again = run_job_now("expiry_reminders")
    assert again.result == {"sent": 0, "already_sent": 2, "in_renewal": 0}
    assert snapshot() == before
    # 20 days later the 25-day one reaches the 7-day reminder: one more message, not a repeat
    later = run_job_now("expiry_reminders", now=moment(today + dt.timedelta(days=20)))
    assert later.result["sent"] == 1
    assert Message.objects.filter(enterprise=in_25.enterprise, category="expiry").count() == 2


def test_a_dry_run_sends_nothing(regions):
    recognised(regions["440305"], valid_until=timezone.localdate() + dt.timedelta(days=10))
    run = run_job_now("expiry_reminders", dry_run=True)
    assert run.result["sent"] == 1 and not Message.objects.exists()


def test_expiry_marks_past_recognitions_once_but_not_those_in_renewal(regions):
    today = timezone.localdate()
    past = recognised(regions["440305"], valid_until=today - dt.timedelta(days=1))
    in_review = recognised(regions["440304"], valid_until=today - dt.timedelta(days=1))
    set_renewal_pending(in_review, True)
    Recognition.objects.filter(pk=past.pk).update(status="valid")

    assert run_job_now("expire_recognitions").result == {"expired": 1}
    assert Recognition.objects.get(pk=past.pk).status == "expired"
    in_review.refresh_from_db()
    assert in_review.status == "valid" and in_review.current_status == "valid"
    in_review.enterprise.refresh_from_db()
    assert in_review.enterprise.is_recognised  # still in force during its 复核
    assert run_job_now("expire_recognitions").result == {"expired": 0}


def test_info_update_reminders_before_the_end_to_those_not_updated(regions):
    today = timezone.localdate()
    cycle = selectors.update_cycle(today.year)
    lazy = recognised(regions["440305"], valid_until=cycle.start + dt.timedelta(days=700))
    diligent = recognised(regions["440304"], valid_until=cycle.start + dt.timedelta(days=700))
    version = EnterpriseProfileVersion.objects.create(
        enterprise=diligent.enterprise, number=1, kind="annual_update", data={}
    )
    EnterpriseProfileVersion.objects.filter(pk=version.pk).update(
        created_at=moment(cycle.start + dt.timedelta(days=30))
    )
    ten_days_before = moment(cycle.end - dt.timedelta(days=10))

    run = run_job_now("info_update_reminders", now=ten_days_before)
    assert run.result == {"sent": 1, "already_sent": 0, "updated": 1}
    message = Message.objects.get(category="info_update")
    assert message.enterprise_id == lazy.enterprise_id and "还有 10 天截止" in message.body
    assert run_job_now("info_update_reminders", now=ten_days_before).result["sent"] == 0
    assert Message.objects.filter(category="info_update").count() == 1


def test_missing_the_deadline_costs_renewal_eligibility_for_the_cycle(regions):
    today = timezone.localdate()
    cycle = selectors.update_cycle(today.year)
    lazy = recognised(regions["440305"], valid_until=cycle.end + dt.timedelta(days=40))
    after = moment(cycle.end + dt.timedelta(days=1))
    # first seen after the window: nobody was reminded, nobody is marked
    assert run_job_now("info_update_cycle", now=after).result == {"created": 0, "updated": 0, "missed": 0}
    assert (
        run_job_now("info_update_cycle", now=moment(cycle.end - dt.timedelta(days=3))).result["created"] == 1
    )

    run = run_job_now("info_update_cycle", now=after)
    assert run.result["missed"] == 1
    record = AnnualUpdate.objects.get(enterprise=lazy.enterprise, year=cycle.year)
    assert record.state == AnnualUpdate.State.MISSED
    assert Message.objects.filter(enterprise=lazy.enterprise, category="info_update").count() == 1
    before = snapshot()
    assert run_job_now("info_update_cycle", now=after).result == {"created": 0, "updated": 0, "missed": 0}
    assert snapshot() == before

    state = selectors.renewal_state(lazy, today=cycle.end + dt.timedelta(days=30))
    assert state.code == "ineligible" and f"{cycle.year}年度信息更新" in state.message


def test_window_reminders_to_eligible_enterprises_of_the_province_once(regions):
    now = timezone.now()
    eligible = verified_enterprise(regions["440305"])
    holder = recognised(
        regions["440304"], valid_until=timezone.localdate() + dt.timedelta(days=400), level="innovative"
    )
    elsewhere = verified_enterprise(regions["330106"])
    FilingWindow.objects.create(
        province=regions["440000"],
        level="innovative",
        year=now.year,
        batch=1,
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=30),
    )

    run = run_job_now("filing_window_reminders")
    assert run.result["sent"] == 1
    message = Message.objects.get(category="filing")
    assert message.enterprise_id == eligible.pk and "创新型中小企业申报已开放" in message.title
    assert not Message.objects.filter(enterprise__in=[holder.enterprise, elsewhere]).exists()
    before = snapshot()
    assert run_job_now("filing_window_reminders").result["sent"] == 0
    assert snapshot() == before


def test_a_reminder_run_reads_what_it_checks_once_whatever_the_number_of_enterprises(regions):
    """A second run (every message already sent) costs the same queries for 2 recognitions as for 6:
    the sent messages and the recognitions in 复核 are read once per run, not once per enterprise."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    today = timezone.localdate()

    def second_run_queries() -> int:
        run_job_now("expiry_reminders")
        with CaptureQueriesContext(connection) as queries:
            assert run_job_now("expiry_reminders").result["sent"] == 0
        return len(queries)

    for _ in range(2):
        recognised(regions["440305"], valid_until=today + dt.timedelta(days=25))
    few = second_run_queries()
    for _ in range(4):
        recognised(regions["440304"], valid_until=today + dt.timedelta(days=5))
    assert second_run_queries() == few
