"""Scheduled jobs of the lifecycle (docs/jobs.md): each idempotent — a second run for the same
moment sends and changes nothing (messages carry dedupe keys, states are checked before they
move) — and recorded by portal.jobs.

| job | when (Beijing) | what |
|---|---|---|
| ``expire_recognitions`` | daily 00:10 | recognitions past their last day → 已到期 (not those in 复核) |
| ``expiry_reminders`` | daily 08:00 | 认定到期 messages at 90/30/7 days before the last day (a setting) |
| ``info_update_cycle`` | daily 00:20 | the year's 信息更新 records; 逾期未更新 after the window's end |
| ``info_update_reminders`` | daily 08:10 | 信息更新 messages before the window's end to those not updated |
| ``filing_window_reminders`` | every 30 min | 申报提醒 to eligible enterprises when a window opens in their province |
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.dates import chinese_date, chinese_datetime
from portal.jobs.registry import register_job

from . import selectors


def _messaged(keys: Iterable[str]) -> set[tuple[int, str]]:
    """(enterprise, dedupe key) of the messages already sent with these keys: one query for a job's
    run, not one per enterprise."""
    from portal.inbox.models import Message

    return set(Message.objects.filter(dedupe_key__in=set(keys)).values_list("enterprise_id", "dedupe_key"))


def _threshold(days: list[int], left: int) -> int | None:
    """The tightest reminder day reached: with 90/30/7 and 25 days left, the 30-day reminder (one
    message, not all reached ones at once after a pause of the scheduler)."""
    reached = [day for day in days if day >= left]
    return min(reached) if reached else None


@register_job("expire_recognitions", "认定到期处理", at="00:10")
def expire_recognitions(*, now: dt.datetime, dry_run: bool) -> dict:
    from portal.recognition.services import expire_recognitions as expire

    return {"expired": expire(today=timezone.localdate(now), dry_run=dry_run)}


@register_job("expiry_reminders", "认定到期提醒", at="08:00")
def expiry_reminders(*, now: dt.datetime, dry_run: bool) -> dict:
    from django.db.models import Exists, OuterRef

    from portal.filings.models import Filing
    from portal.filings.states import State
    from portal.inbox.services import notify
    from portal.recognition.models import Recognition, RecognitionStatus

    today = timezone.localdate(now)
    days = selectors.lifecycle_settings().expiry_days
    counts = {"sent": 0, "already_sent": 0, "in_renewal": 0}
    if not days:
        return counts
    rows = (
        Recognition.objects.filter(
            status=RecognitionStatus.VALID,
            valid_until__gte=today,
            valid_until__lte=today + dt.timedelta(days=max(days)),
        )
        .annotate(
            in_renewal=Exists(
                Filing.objects.filter(renewal_of=OuterRef("pk")).exclude(
                    state__in=[State.DRAFT, State.WITHDRAWN]
                )
            )
        )
        .select_related("enterprise__region")
        .order_by("valid_until", "pk")
    )
    due = [(r, t) for r in rows if (t := _threshold(days, (r.valid_until - today).days)) is not None]
    sent = _messaged(f"expiry:{r.pk}:{t}" for r, t in due)
    for recognition, threshold in due:
        if recognition.in_renewal:
            counts["in_renewal"] += 1
            continue
        key = f"expiry:{recognition.pk}:{threshold}"
        if (recognition.enterprise_id, key) in sent:
            counts["already_sent"] += 1
            continue
        counts["sent"] += 1
        if dry_run:
            continue
        opens_on = selectors.renewal_opens_on(recognition)
        left = (recognition.valid_until - today).days
        notify(
            enterprise=recognition.enterprise,
            category="expiry",
            title=_("认定到期提醒：%(level)s将于%(end)s到期")
            % {
                "level": recognition.get_level_display(),
                "end": chinese_date(recognition.valid_until),
            },
            body=_(
                "贵企业的%(level)s认定（认定编号：%(number)s）有效期至 %(end)s，还有 %(left)s 天到期。"
                "复核自 %(opens)s 起开放，请在有效期届满前到“认证到期管理”中【去复核】；复核期间原认定继续有效。"
            )
            % {
                "level": recognition.get_level_display(),
                "number": recognition.number,
                "end": chinese_date(recognition.valid_until),
                "left": left,
                "opens": chinese_date(opens_on),
            },
            link=reverse("renewals:index"),
            dedupe_key=key,
        )
    return counts


@register_job("info_update_cycle", "信息更新周期", at="00:20")
def info_update_cycle(*, now: dt.datetime, dry_run: bool) -> dict:
    from .services import refresh_annual_updates

    today = timezone.localdate(now)
    counts = refresh_annual_updates(year=today.year, today=today, dry_run=dry_run)
    # the previous year's cycle too, on the first runs after a window that wraps the new year
    last = selectors.last_closed_cycle(today)
    if last.year != today.year:
        for name, value in refresh_annual_updates(year=last.year, today=today, dry_run=dry_run).items():
            counts[name] += value
    return counts


@register_job("info_update_reminders", "信息更新提醒", at="08:10")
def info_update_reminders(*, now: dt.datetime, dry_run: bool) -> dict:
    from portal.inbox.services import notify

    from .services import enterprises_updated_in

    today = timezone.localdate(now)
    cycle = selectors.update_cycle(today.year)
    counts = {"sent": 0, "already_sent": 0, "updated": 0}
    if not cycle.start <= today <= cycle.end:
        return counts
    settings = selectors.lifecycle_settings()
    threshold = _threshold(settings.info_update_days, (cycle.end - today).days)
    if threshold is None:
        return counts
    key = f"info_update:{cycle.year}:{threshold}"
    updated, sent = enterprises_updated_in(cycle), _messaged([key])
    blocks = settings.missed_update_blocks_renewal
    for enterprise in selectors.enterprises_in_cycle(cycle):
        if enterprise.pk in updated:
            counts["updated"] += 1
            continue
        if (enterprise.pk, key) in sent:
            counts["already_sent"] += 1
            continue
        counts["sent"] += 1
        if dry_run:
            continue
        notify(
            enterprise=enterprise,
            category="info_update",
            title=_("请在%(end)s前完成%(year)s年度信息更新")
            % {"end": chinese_date(cycle.end), "year": cycle.year},
            body=_(
                "已认定企业须每年更新企业信息。本年度信息更新开放期为 %(start)s 至 %(end)s，还有 %(left)s 天截止。"
            )
            % {
                "start": chinese_date(cycle.start),
                "end": chinese_date(cycle.end),
                "left": (cycle.end - today).days,
            }
            + (_("逾期未更新的，本周期内不具备复核资格。") if blocks else ""),
            link=reverse("enterprises:profile"),
            dedupe_key=key,
        )
    return counts


@register_job("filing_window_reminders", "申报开放提醒", every_minutes=30)
def filing_window_reminders(*, now: dt.datetime, dry_run: bool) -> dict:
    """申报提醒 to the enterprises of a province whose window of a level is open and that may file it:
    an account that may file, not barred, holding the recognition the level requires, not already
    holding the level (or a higher one), without a filing in that window."""
    from portal.enterprises.models import Enterprise
    from portal.filings.models import Filing, FilingWindow
    from portal.inbox.services import notify

    counts = {"sent": 0, "already_sent": 0, "not_eligible": 0}
    if not selectors.lifecycle_settings().window_open_reminders:
        return counts
    windows = FilingWindow.objects.filter(opens_at__lte=now, closes_at__gt=now).select_related("province")
    for window in windows:
        enterprises = Enterprise.objects.filter(
            region__code__startswith=window.province.code[:2]
        ).select_related("region", "owner")
        filed = set(Filing.objects.filter(window=window).values_list("enterprise_id", flat=True))
        key = f"window_open:{window.pk}"
        sent = _messaged([key])
        for enterprise in enterprises:
            if enterprise.pk in filed or not _eligible(enterprise, window.level):
                counts["not_eligible"] += 1
                continue
            if (enterprise.pk, key) in sent:
                counts["already_sent"] += 1
                continue
            counts["sent"] += 1
            if dry_run:
                continue
            notify(
                enterprise=enterprise,
                category="filing",
                title=_("%(round)s%(level)s申报已开放")
                % {"round": window.round_label, "level": window.get_level_display()},
                body=_("本省%(round)s%(level)s申报时间：%(start)s 至 %(end)s。请在“企业申报信息”中【申请】。")
                % {
                    "round": window.round_label,
                    "level": window.get_level_display(),
                    "start": chinese_datetime(window.opens_at),
                    "end": chinese_datetime(window.closes_at),
                },
                link=reverse("filings:index"),
                dedupe_key=key,
            )
    return counts


def _eligible(enterprise, level: str) -> bool:
    from portal.accounts.access import filing_block
    from portal.enterprises.selectors import enterprise_province_code
    from portal.filings.models import FilingLevel
    from portal.filings.selectors import LEVEL_RANK, recognition_in_force, requirement_for
    from portal.recognition.selectors import application_bar

    if enterprise.owner is None or filing_block(enterprise.owner) is not None:
        return False
    if application_bar(enterprise) is not None:
        return False
    held = recognition_in_force(enterprise)
    if held and LEVEL_RANK[FilingLevel(held)] >= LEVEL_RANK[FilingLevel(level)]:
        return False
    requirement = requirement_for(level, enterprise_province_code(enterprise))
    needed = requirement.requires_recognition if requirement is not None else ""
    return not needed or (bool(held) and LEVEL_RANK[FilingLevel(held)] >= LEVEL_RANK[FilingLevel(needed)])
