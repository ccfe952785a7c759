"""Recognition numbers: the pattern, the sequences, uniqueness and no gaps — also under concurrency."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from portal.recognition import numbers
from portal.recognition.models import RecognitionSequence, RecognitionSettings
from portal.recognition.numbers import NumberPatternError, NumberValues, allocate_number, check_pattern

GD_2026 = NumberValues.of(province_code="440000", level_code="CX", year=2026)


def test_the_default_pattern_renders_province_level_year_and_sequence():
    assert numbers.render(RecognitionSettings._meta.get_field("number_pattern").default, GD_2026, 7) == (
        "粤CX202600007"
    )


def test_the_sequence_key_is_the_number_without_its_sequence():
    assert (
        numbers.sequence_key("{province_abbr}-{level_code}-{year}-{seq:04d}", GD_2026) == "粤-CX-2026-{seq}"
    )
    assert numbers.sequence_key("NO.{seq}/{year}", GD_2026) == "NO.{seq}/2026"


@pytest.mark.parametrize(
    ("pattern", "code"),
    [
        ("{province_abbr}{year}", "pattern_seq"),
        ("{seq}{seq}", "pattern_seq"),
        ("{city}{seq}", "pattern_unknown_placeholder"),
        ("{year}{seq", "pattern_syntax"),
        ("{year}{seq:x>999}", "pattern_too_long"),
        ("{year:q}{seq}", "pattern_format"),
    ],
)
def test_a_pattern_that_cannot_number_is_refused(pattern, code):
    with pytest.raises(NumberPatternError) as refused:
        check_pattern(pattern)
    assert refused.value.code == code


def test_the_settings_refuse_a_bad_pattern(db):
    from django.core.exceptions import ValidationError

    config = RecognitionSettings.load()
    config.number_pattern = "{province_abbr}{year}"
    with pytest.raises(ValidationError) as refused:
        config.full_clean()
    assert "number_pattern" in refused.value.message_dict


@pytest.mark.django_db
def test_numbers_count_per_sequence():
    pattern = "{province_abbr}{level_code}{year}{seq:05d}"
    zj = NumberValues.of(province_code="330000", level_code="CX", year=2026)
    assert [allocate_number(pattern=pattern, values=GD_2026) for _ in range(2)] == [
        "粤CX202600001",
        "粤CX202600002",
    ]
    assert allocate_number(pattern=pattern, values=zj) == "浙CX202600001"
    assert allocate_number(pattern=pattern, values=GD_2026) == "粤CX202600003"


@pytest.mark.django_db
def test_a_rolled_back_recognition_gives_its_number_back():
    pattern = "{province_abbr}{level_code}{year}{seq:05d}"
    allocate_number(pattern=pattern, values=GD_2026)
    with pytest.raises(RuntimeError), transaction.atomic():
        allocate_number(pattern=pattern, values=GD_2026)
        raise RuntimeError("the recognition failed after numbering")
    assert allocate_number(pattern=pattern, values=GD_2026) == "粤CX202600002"


# --- concurrency (PostgreSQL) ------------------------------------------------------------------

WORKERS = 6


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason=(
        "SQLite has no row locks: two deferred transactions that both read the sequence and then "
        "write fail with 'database is locked' instead of waiting (the unique number constraint still "
        "refuses a duplicate). Production runs PostgreSQL, where this test runs."
    ),
)
def test_concurrent_recognitions_get_unique_gap_free_numbers(site_for_threads):
    """Six reviewers' 【认定】 at the same moment, each in its own connection: six numbers, 1 to 6."""
    from portal.recognition.actions import RecogniseFilingAction

    filings, reviewer = site_for_threads
    barrier = threading.Barrier(WORKERS)
    results, errors = [], []

    def recognise(filing):
        try:
            barrier.wait(timeout=30)
            results.append(RecogniseFilingAction(filing, user=reviewer).execute().number)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=recognise, args=(f,)) for f in filings]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    year = filings[0].window.year
    assert sorted(results) == [f"粤CX{year}{n:05d}" for n in range(1, WORKERS + 1)]
    assert RecognitionSequence.objects.get().last_value == WORKERS


@pytest.fixture
def site_for_threads(transactional_db):
    from portal.recognition.actions import CreatePublicityAction
    from tests.factories import recognition as factories

    factories.notice_site()
    regions = factories.gd_regions()
    reviewer = factories.reviewer_user(level=factories.PROVINCE, region=regions["440000"])
    filings = [factories.approved_filing(region=regions["440305"]) for _ in range(WORKERS)]
    publicity = CreatePublicityAction(filings, user=reviewer).execute()
    factories.end_publicity(publicity)
    for filing in filings:
        filing.refresh_from_db()
    return filings, reviewer
