"""Every read of the lifecycle after recognition: renewal windows and eligibility, the 信息更新 cycle.

- :func:`renewal_rule` — a level's renewal window (days before expiry) and 复核 form for a province.
- :func:`renewal_state` — for one recognition: may 【去复核】 be pressed, and if not, why (the reason
  the enterprise reads): not open yet (with the date), expired, cancelled, 不具备复核资格 (the missed
  信息更新), barred (数据造假), or the 复核 already started.
- :func:`update_cycle` — the 信息更新 window of a year (the 信息更新开放期 setting, default 1-1 – 4-30).
- :func:`missed_update` — the missed 信息更新 that costs the enterprise its 复核 eligibility now.
- :func:`renewals_of_enterprise` — its 复核 filings, newest first (the history with 【详情】).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.dates import chinese_date
from portal.enterprises.models import Enterprise, ProfileUpdateWindow
from portal.enterprises.selectors import _day, enterprise_province_code
from portal.filings.models import Filing
from portal.filings.selectors import filings_of_enterprise
from portal.filings.states import State
from portal.recognition.models import Recognition, RecognitionStatus

from .models import DEFAULT_RENEWAL_FORMS, AnnualUpdate, LifecycleSettings, RenewalRule


def lifecycle_settings() -> LifecycleSettings:
    return LifecycleSettings.load()


# --- renewal ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    opens_days: int
    definition_key: str


def renewal_rule(level: str, province_code: str) -> Rule:
    rows = RenewalRule.objects.filter(level=level).filter(
        Q(province__isnull=True) | Q(province__code=province_code)
    )
    row = sorted(rows, key=lambda r: r.province_id is None)[0] if rows else None
    opens = row.opens_days if row is not None else lifecycle_settings().renewal_opens_days
    key = (row.definition_key if row is not None else "") or DEFAULT_RENEWAL_FORMS[
        Enterprise.RecognitionLevel(level)
    ]
    return Rule(opens, key)


def renewal_opens_on(recognition: Recognition) -> dt.date:
    rule = renewal_rule(recognition.level, enterprise_province_code(recognition.enterprise))
    return recognition.valid_until - dt.timedelta(days=rule.opens_days)


def open_renewal(recognition: Recognition) -> Filing | None:
    return Filing.objects.filter(renewal_of=recognition).exclude(state=State.WITHDRAWN).first()


@dataclass(frozen=True)
class RenewalState:
    recognition: Recognition
    code: str  # open | in_progress | renewed | not_yet_open | expired | cancelled | ineligible | barred | failed
    message: str
    opens_on: dt.date
    filing: Filing | None = None

    @property
    def can_start(self) -> bool:
        return self.code == "open"


def renewal_state(recognition: Recognition, *, today: dt.date | None = None) -> RenewalState:
    today = today or timezone.localdate()
    opens_on = renewal_opens_on(recognition)
    filing = open_renewal(recognition)
    status = recognition.status_on(today)

    def state(code: str, message: str) -> RenewalState:
        return RenewalState(recognition, code, message, opens_on, filing)

    if status == RecognitionStatus.CANCELLED:
        return state("cancelled", _("该认定已被取消，不能申请复核。"))
    if filing is not None:
        if filing.state == State.RECOGNISED:
            return state("renewed", _("复核已通过，有效期已延续。"))
        if filing.state == State.REJECTED:
            return state("failed", _("复核未通过，原认定有效期届满后终止。"))
        return state(
            "in_progress",
            _("复核进行中（%(state)s）；复核期间原认定继续有效。") % {"state": filing.state_label},
        )
    if status == RecognitionStatus.EXPIRED:
        return state(
            "expired",
            _("该认定已于 %(end)s 到期，不能再申请复核。") % {"end": chinese_date(recognition.valid_until)},
        )
    if today < opens_on:
        return state(
            "not_yet_open",
            _("复核将于 %(start)s 开放（有效期届满前 %(days)s 天），请届时申请。")
            % {"start": chinese_date(opens_on), "days": (recognition.valid_until - opens_on).days},
        )
    from portal.recognition.selectors import application_bar

    bar = application_bar(recognition.enterprise, today=today)
    if bar is not None:
        return state(
            "barred",
            _("本企业有认定因“%(category)s”被取消，%(until)s前不得申报或复核。")
            % {"category": bar.get_cancel_category_display(), "until": chinese_date(bar.barred_until)},
        )
    missed = missed_update(recognition.enterprise, today=today)
    if missed is not None:
        return state(
            "ineligible",
            _("不具备复核资格：本企业未在 %(deadline)s 前完成%(year)s年度信息更新。")
            % {"deadline": chinese_date(missed.deadline), "year": missed.year},
        )
    return state(
        "open",
        _("复核开放中，请在 %(end)s（有效期最后一天）前提交；复核期间原认定继续有效。")
        % {"end": chinese_date(recognition.valid_until)},
    )


def renewals_of_enterprise(enterprise: Enterprise | None) -> QuerySet[Filing]:
    """The enterprise's 复核, newest first (its filing history, of that kind)."""
    return filings_of_enterprise(enterprise).filter(kind=Filing.Kind.RENEWAL)


# --- 信息更新 -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cycle:
    year: int
    start: dt.date
    end: dt.date


def update_cycle(year: int) -> Cycle:
    """The 信息更新 window of ``year`` (a window wrapping the new year belongs to the year it ends)."""
    window = ProfileUpdateWindow.load()
    end = _day(year, window.end_month, window.end_day)
    start_year = (
        year if (window.start_month, window.start_day) <= (window.end_month, window.end_day) else year - 1
    )
    return Cycle(year, _day(start_year, window.start_month, window.start_day), end)


def last_closed_cycle(today: dt.date) -> Cycle:
    cycle = update_cycle(today.year)
    return cycle if cycle.end < today else update_cycle(today.year - 1)


def missed_update(enterprise: Enterprise, *, today: dt.date | None = None) -> AnnualUpdate | None:
    """The 逾期未更新 of the last closed cycle when the setting makes it cost 复核 eligibility."""
    if not lifecycle_settings().missed_update_blocks_renewal:
        return None
    today = today or timezone.localdate()
    cycle = last_closed_cycle(today)
    return AnnualUpdate.objects.filter(
        enterprise=enterprise, year=cycle.year, state=AnnualUpdate.State.MISSED
    ).first()


def must_update(enterprise: Enterprise, cycle: Cycle) -> bool:
    """Whether ``enterprise`` takes part in ``cycle``: a recognition in force on the window's first
    day (one recognised later in the window starts with the next year)."""
    return (
        Recognition.objects.filter(
            enterprise=enterprise,
            valid_from__lte=cycle.start,
            valid_until__gte=cycle.start,
        )
        .exclude(status=RecognitionStatus.CANCELLED)
        .exists()
    )


def enterprises_in_cycle(cycle: Cycle) -> QuerySet[Enterprise]:
    ids = (
        Recognition.objects.filter(valid_from__lte=cycle.start, valid_until__gte=cycle.start)
        .exclude(status=RecognitionStatus.CANCELLED)
        .values("enterprise_id")
    )
    return Enterprise.objects.filter(pk__in=ids).select_related("region")


def annual_updates_visible_to(user) -> QuerySet[AnnualUpdate]:
    """The 信息更新 records of enterprises registered inside the staff member's review region."""
    from portal.review.selectors import scope_of

    scope = scope_of(user)
    if scope is None:
        return AnnualUpdate.objects.none()
    queryset = AnnualUpdate.objects.select_related("enterprise", "version", "reviewed_by")
    if scope.prefix:
        queryset = queryset.filter(region_code__startswith=scope.prefix)
    return queryset


def annual_update_for_staff(user, pk) -> AnnualUpdate | None:
    try:
        return annual_updates_visible_to(user).filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        return None
