"""Every write of recognition (keyword-only; each runs in the caller's transaction or its own).

- :func:`sync_enterprise_recognition` — **the only writer** of the enterprise profile's recognition
  fields (``is_recognised``, ``recognition_level``, ``recognition_year``, ``recognition_valid_from``,
  ``recognition_valid_until``): it derives them from the enterprise's recognitions in force.
- :func:`record_recognition` — a recognition with its number (allocated from the pattern unless one
  is given), validity and the facts of its certificate, then the profile synced. The 【认定】 action
  (:mod:`portal.recognition.actions`) calls it for a filing on a 公示; :func:`import_recognition`
  for recognitions made before the portal (migrated or demo data, no filing).
- :func:`start_publicity_period` — the 公示 period starts on the day its notice is published.
- :func:`close_publicity_if_done` — a 公示 whose filings are all recognised is 已认定.
- :func:`expire_recognitions` — mark recognitions past their last day 已到期 and sync the profiles
  (for the scheduled expiry job of F-43).
- :func:`valid_until` — the last day of a validity of ``years`` years.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from wagtail.log_actions import log

from portal.enterprises.models import Enterprise
from portal.filings.states import ReviewLevel

from . import numbers, selectors
from .models import Level, Publicity, PublicityEntry, Recognition, RecognitionStatus

LEVEL_RANK = {Level.INNOVATIVE: 1, Level.SPECIALIZED: 2, Level.LITTLE_GIANT: 3}
PROFILE_FIELDS = (
    "is_recognised",
    "recognition_level",
    "recognition_year",
    "recognition_valid_from",
    "recognition_valid_until",
)


def valid_until(valid_from: dt.date, years: int) -> dt.date:
    """The day before the ``years``-th anniversary: 2024-12-20 + 3 years → 2027-12-19. A validity
    from 29 February ends on 28 February (the anniversary falls on 1 March)."""
    try:
        anniversary = valid_from.replace(year=valid_from.year + years)
    except ValueError:  # 29 February in a common year
        anniversary = dt.date(valid_from.year + years, 3, 1)
    return anniversary - dt.timedelta(days=1)


def _in_force(enterprise: Enterprise, today: dt.date) -> Recognition | None:
    rows = (
        Recognition.objects.filter(enterprise=enterprise, status=RecognitionStatus.VALID)
        .filter(Q(valid_until__gte=today) | Q(renewal_pending=True))
        .order_by("-valid_until", "-pk")
    )
    return max(rows, key=lambda row: LEVEL_RANK[Level(row.level)], default=None)


def sync_enterprise_recognition(*, enterprise: Enterprise, today: dt.date | None = None) -> Enterprise:
    """Set the profile's recognition fields from the recognitions in force on ``today``: the highest
    level held (小巨人 over 专精特新 over 创新型), its year and validity; none → not recognised.

    The one writer of those fields (``tests/recognition/test_only_writer.py`` keeps it so).
    """
    today = today or timezone.localdate()
    best = _in_force(enterprise, today)
    values: dict[str, Any] = {
        "is_recognised": best is not None,
        "recognition_level": best.level if best else "",
        "recognition_year": best.year if best else None,
        "recognition_valid_from": best.valid_from if best else None,
        "recognition_valid_until": best.valid_until if best else None,
    }
    Enterprise.objects.filter(pk=enterprise.pk).update(**values)
    for name, value in values.items():
        setattr(enterprise, name, value)
    return enterprise


def record_recognition(
    *,
    enterprise: Enterprise,
    level: str,
    year: int,
    valid_from: dt.date,
    user: Any,
    filing: Any = None,
    publicity: Publicity | None = None,
    deciding_level: str = "",
    number: str = "",
) -> Recognition:
    """A recognition of ``enterprise`` at ``level`` from ``valid_from`` (validity from the settings),
    numbered from the pattern unless ``number`` is given; the profile synced. Call it inside the
    transaction that decides (the number is allocated on a locked sequence row).

    Raises numbers.NumberPatternError (the pattern in the settings is broken).
    """
    config = selectors.recognition_settings()
    level = Level(level)
    province_code = selectors.province_code_of(enterprise)
    pattern = ""
    with transaction.atomic():
        if not number:
            pattern = config.number_pattern
            number = numbers.allocate_number(
                pattern=pattern,
                values=numbers.NumberValues.of(
                    province_code=province_code, level_code=config.level_code(level), year=year
                ),
            )
        recognition = Recognition.objects.create(
            enterprise=enterprise,
            level=level,
            filing=filing,
            publicity=publicity,
            number=number,
            number_pattern=pattern,
            year=year,
            valid_from=valid_from,
            valid_until=valid_until(valid_from, config.validity_years(level)),
            enterprise_name=enterprise.name,
            uscc=enterprise.uscc.upper(),
            region_code=enterprise.region.code if enterprise.region_id else "",
            authority=selectors.authority_for(deciding_level=deciding_level, province_code=province_code),
            deciding_level=deciding_level,
            created_by=user,
        )
        sync_enterprise_recognition(enterprise=enterprise)
    return recognition


def import_recognition(
    *,
    enterprise: Enterprise,
    level: str,
    year: int,
    valid_from: dt.date,
    number: str = "",
    deciding_level: str = ReviewLevel.PROVINCE,
    user: Any = None,
) -> Recognition:
    """A recognition made before the portal (migrated records, the demo data): no filing, no 公示.
    Idempotent per enterprise, level and year. Logged as ``recognition.import``."""
    with transaction.atomic():
        Enterprise.objects.select_for_update().filter(pk=enterprise.pk).first()
        existing = Recognition.objects.filter(enterprise=enterprise, level=level, year=year).first()
        if existing is not None:
            return existing
        recognition = record_recognition(
            enterprise=enterprise,
            level=level,
            year=year,
            valid_from=valid_from,
            user=user,
            deciding_level=deciding_level,
            number=number,
        )
        log(
            instance=recognition,
            action="recognition.import",
            user=user,
            data={"number": recognition.number, "level": level, "year": year},
        )
    return recognition


def start_publicity_period(*, publicity: Publicity, on: dt.date) -> Publicity:
    """The 公示 starts on ``on`` (the day its notice was first published) and lasts its
    ``period_days`` calendar days, ``on`` included. A 公示 already started keeps its dates."""
    with transaction.atomic():
        locked = Publicity.objects.select_for_update().get(pk=publicity.pk)
        if locked.state != Publicity.State.DRAFT:
            return locked
        locked.period_start = on
        locked.period_end = on + dt.timedelta(days=locked.period_days - 1)
        locked.state = Publicity.State.PUBLICISING
        locked.save(update_fields=["period_start", "period_end", "state"])
        log(
            instance=locked,
            action="recognition.publicity_started",
            user=None,
            data={"period_start": on.isoformat(), "period_end": locked.period_end.isoformat()},
        )
    return locked


def close_publicity_if_done(publicity: Publicity) -> Publicity:
    """已认定 once no filing of the 公示 is still 公示中 (call with the 公示 row locked)."""
    from portal.filings.states import State

    pending = PublicityEntry.objects.filter(publicity=publicity, filing__state=State.PUBLICISING)
    if publicity.state != Publicity.State.RECOGNISED and not pending.exists():
        publicity.state = Publicity.State.RECOGNISED
        publicity.recognised_at = timezone.now()
        publicity.save(update_fields=["state", "recognised_at"])
    return publicity


def expire_recognitions(*, today: dt.date | None = None, dry_run: bool = False) -> int:
    """Mark every valid recognition past its last day 已到期 (except those whose 复核 is under
    review: they stay in force until it is decided) and sync those enterprises' profiles; returns
    how many were marked. Idempotent (the scheduled job ``expire_recognitions``)."""
    today = today or timezone.localdate()
    if dry_run:
        return Recognition.objects.filter(
            status=RecognitionStatus.VALID, valid_until__lt=today, renewal_pending=False
        ).count()
    with transaction.atomic():
        expired = list(
            Recognition.objects.select_for_update()
            .filter(status=RecognitionStatus.VALID, valid_until__lt=today, renewal_pending=False)
            .select_related("enterprise")
        )
        for recognition in expired:
            recognition.status = RecognitionStatus.EXPIRED
            recognition.save(update_fields=["status"])
            log(
                instance=recognition,
                action="recognition.expire",
                user=None,
                data={"number": recognition.number},
            )
        for enterprise in {recognition.enterprise for recognition in expired}:
            sync_enterprise_recognition(enterprise=enterprise, today=today)
    return len(expired)


def remember_certificate(*, recognition: Recognition, name: str) -> None:
    """Keep the storage name of the rendered certificate with the recognition."""
    Recognition.objects.filter(pk=recognition.pk).update(certificate_name=name)
    recognition.certificate_name = name


def renew_recognition(*, old: Recognition, filing: Any, user: Any, deciding_level: str) -> Recognition:
    """复核通过 (F-26): a new recognition of ``old``'s level following it without a gap (from the day
    after its last day, for the validity years of the settings: 3), numbered and with its own
    certificate; ``old`` keeps its validity and is no longer 复核中. Call inside the deciding
    transaction."""
    with transaction.atomic():
        recognition = record_recognition(
            enterprise=old.enterprise,
            level=old.level,
            year=filing.year,
            valid_from=old.valid_until + dt.timedelta(days=1),
            user=user,
            filing=filing,
            deciding_level=deciding_level,
        )
        set_renewal_pending(old, False)
        sync_enterprise_recognition(enterprise=old.enterprise)
    return recognition


def set_renewal_pending(recognition: Recognition, pending: bool, *, today: dt.date | None = None) -> None:
    """A 复核 of ``recognition`` went under review (True) or was decided or withdrawn (False). When it
    ends after the recognition's last day, the recognition expires now and the profile follows."""
    Recognition.objects.filter(pk=recognition.pk).update(renewal_pending=pending)
    recognition.renewal_pending = pending
    if pending:
        sync_enterprise_recognition(enterprise=recognition.enterprise, today=today)
    else:
        expire_recognitions(today=today)
