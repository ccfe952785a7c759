"""Validity dates, the profile's recognition fields (derived from the rows), imports and expiry."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from portal.enterprises.models import Enterprise
from portal.recognition import services
from portal.recognition.models import Recognition, RecognitionSettings, RecognitionStatus
from tests.factories import recognition as factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("start", "years", "until"),
    [
        (dt.date(2024, 12, 20), 3, dt.date(2027, 12, 19)),
        (dt.date(2026, 1, 1), 3, dt.date(2028, 12, 31)),
        (dt.date(2024, 2, 29), 3, dt.date(2027, 2, 28)),  # no 29 February in 2027
        (dt.date(2024, 3, 1), 4, dt.date(2028, 2, 29)),
        (dt.date(2026, 6, 30), 1, dt.date(2027, 6, 29)),
    ],
)
def test_validity_ends_the_day_before_the_anniversary(start, years, until):
    assert services.valid_until(start, years) == until


def test_validity_years_are_a_setting_per_level(regions):
    config = RecognitionSettings.load()
    config.little_giant_years = 5
    config.save()
    enterprise = factories.enterprise(region=regions["440305"])
    start = timezone.localdate()
    giant = services.import_recognition(
        enterprise=enterprise, level="little_giant", year=start.year, valid_from=start
    )
    innovative = services.import_recognition(
        enterprise=enterprise, level="innovative", year=start.year, valid_from=start
    )
    assert giant.valid_until == services.valid_until(start, 5)
    assert innovative.valid_until == services.valid_until(start, 3)


def test_the_profile_shows_the_highest_level_in_force(regions):
    enterprise = factories.enterprise(region=regions["440305"])
    today = timezone.localdate()
    services.import_recognition(enterprise=enterprise, level="innovative", year=today.year, valid_from=today)
    services.import_recognition(
        enterprise=enterprise,
        level="specialized",
        year=today.year - 1,
        valid_from=today - dt.timedelta(days=300),
    )
    enterprise.refresh_from_db()
    assert enterprise.is_recognised and enterprise.recognition_level == "specialized"
    assert enterprise.recognition_year == today.year - 1


def test_expiry_marks_the_recognition_and_clears_the_profile(regions):
    enterprise = factories.enterprise(region=regions["440305"])
    recognition = services.import_recognition(
        enterprise=enterprise, level="innovative", year=2020, valid_from=dt.date(2020, 1, 1)
    )  # until 2022-12-31: never in force today
    enterprise.refresh_from_db()
    assert not enterprise.is_recognised and enterprise.recognition_level == ""
    Enterprise.objects.filter(pk=enterprise.pk).update(is_recognised=True)  # as if synced back then
    assert services.expire_recognitions(today=dt.date(2023, 1, 1)) == 1
    assert services.expire_recognitions(today=dt.date(2023, 1, 1)) == 0  # idempotent
    recognition.refresh_from_db()
    enterprise.refresh_from_db()
    assert recognition.status == RecognitionStatus.EXPIRED and not enterprise.is_recognised


def test_a_valid_recognition_past_its_last_day_reads_expired():
    recognition = Recognition(status=RecognitionStatus.VALID, valid_until=dt.date(2025, 1, 1))
    assert recognition.status_on(dt.date(2025, 1, 1)) == RecognitionStatus.VALID
    assert recognition.status_on(dt.date(2025, 1, 2)) == RecognitionStatus.EXPIRED
    recognition.status = RecognitionStatus.CANCELLED
    assert recognition.status_on(dt.date(2024, 1, 1)) == RecognitionStatus.CANCELLED


def test_an_import_is_idempotent_and_keeps_a_given_number(regions):
    enterprise = factories.enterprise(region=regions["330106"])
    first = services.import_recognition(
        enterprise=enterprise,
        level="specialized",
        year=2025,
        valid_from=dt.date(2025, 6, 1),
        number="浙专精2025-0088",
    )
    again = services.import_recognition(
        enterprise=enterprise, level="specialized", year=2025, valid_from=dt.date(2025, 6, 1), number="other"
    )
    assert first.pk == again.pk and first.number == "浙专精2025-0088" and first.number_pattern == ""
    assert first.authority == "浙江省中小企业主管部门" and first.filing is None
