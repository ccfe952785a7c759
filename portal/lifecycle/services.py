"""Every write of the lifecycle after recognition (keyword-only, transactional, audited).

- :func:`start_renewal` — 【去复核】: the recognition's open 复核 filing, or a new one (kind
  ``renewal``, linked to the recognition, on the level's 复核 form) after :func:`renewal_state`
  allowed it. It is then filled, submitted and reviewed like any filing.
- :func:`renewal_submitted` / :func:`renewal_passed` / :func:`renewal_failed` /
  :func:`renewal_withdrawn` — what the filing's submit hook and the review actions call for a 复核:
  the recognition stays in force while under review; passing gives a new recognition (3 more
  years, its own number and certificate); failing lets it end at its last day.
- :func:`refresh_annual_updates` — the 信息更新 record of each recognised enterprise for a year:
  updated, pending, or (after the window's end) 逾期未更新.
- :func:`review_annual_update` — staff 【审阅】 / 【退回】 an update.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from forms_engine import services as engine
from forms_engine.models import FormDefinition
from portal.core.dates import chinese_date
from portal.enterprises.models import Enterprise, EnterpriseProfileVersion
from portal.enterprises.selectors import enterprise_province_code
from portal.filings import services as filing_services
from portal.filings import states
from portal.filings.models import Filing, FilingEvent
from portal.filings.services import FilingRefusedError
from portal.recognition import services as recognition_services
from portal.recognition.models import Recognition

from . import selectors
from .models import AnnualUpdate

ActorRole = FilingEvent.ActorRole


# --- 复核 ----------------------------------------------------------------------------------------


def start_renewal(*, recognition: Recognition, user: Any) -> Filing:
    """【去复核】 on ``recognition`` (of the user's enterprise): its open 复核, or a new draft.

    Raises FilingRefusedError with the renewal state's code (``not_yet_open``, ``expired``,
    ``cancelled``, ``ineligible``, ``barred``, ``renewed``, ``failed``), a prerequisite's code
    (``unverified``, ``profile_incomplete`` …) or ``form_unavailable``.
    """
    from portal.filings import selectors as filing_selectors

    enterprise = recognition.enterprise
    with transaction.atomic():
        Enterprise.objects.select_for_update().filter(pk=enterprise.pk).first()
        state = selectors.renewal_state(recognition)
        if state.code == "in_progress":
            return state.filing
        if not state.can_start:
            raise FilingRefusedError(state.message, code=state.code)
        province = enterprise_province_code(enterprise)
        requirement = filing_selectors.requirement_for(recognition.level, province)
        unmet = [
            u
            for u in filing_selectors.unmet_prerequisites(
                enterprise=enterprise, user=user, requirement=requirement
            )
            if u.code != "no_requirement"
        ]
        if unmet:
            raise FilingRefusedError(unmet[0].message, code=unmet[0].code, unmet=unmet)
        rule = selectors.renewal_rule(recognition.level, province)
        definition = FormDefinition.objects.filter(key=rule.definition_key).first()
        version = engine.current_version(definition, "") if definition else None
        if version is None:
            raise FilingRefusedError(
                _("复核表单暂无可填写的版本，请稍后再试或联系管理员。"), code="form_unavailable"
            )
        return filing_services.create_draft(
            enterprise=enterprise,
            user=user,
            definition=definition,
            version=version,
            context={"province": province, "filing_level": str(recognition.level), "renewal": True},
            concurrent=lambda: selectors.open_renewal(recognition),
            log_action="lifecycle.renewal_start",
            log_data={
                "recognition": recognition.number,
                "definition": definition.key,
                "version": version.number,
            },
            event_data={"renewal_of": recognition.number},
            level=recognition.level,
            kind=Filing.Kind.RENEWAL,
            renewal_of=recognition,
        )


def renewal_submitted(filing: Filing) -> None:
    """The 复核 went into review: the recognition stays in force until it is decided."""
    recognition_services.set_renewal_pending(filing.renewal_of, True)


def renewal_passed(*, filing: Filing, user: Any, deciding_level: str) -> Recognition:
    """The deciding level passed the 复核 (审核通过): the recognition is renewed — a new one from the
    day after the old one's last day — and the filing is 已认定. No 公示: the sources describe none
    for 复核 (standards.md §4, G1 粤5号 art. 13: "复核通过的，有效期延长3年")."""
    old = Recognition.objects.select_for_update().get(pk=filing.renewal_of_id)
    new = recognition_services.renew_recognition(
        old=old, filing=filing, user=user, deciding_level=deciding_level
    )
    filing_services.apply_transition(
        filing=filing,
        action=states.Action.RECOGNISE,
        actor=user,
        actor_role=ActorRole.REVIEWER,
        data={
            "number": new.number,
            "valid_from": new.valid_from.isoformat(),
            "valid_until": new.valid_until.isoformat(),
            "renewal_of": old.number,
        },
    )
    log(
        instance=new,
        action="lifecycle.renewal_passed",
        user=user,
        data={
            "filing": filing.pk,
            "old": old.number,
            "number": new.number,
            "valid_until": new.valid_until.isoformat(),
        },
    )
    from portal.inbox.services import notify
    from portal.recognition.tasks import render_certificate

    notify(
        enterprise=filing.enterprise,
        category="recognition",
        title=_("复核通过：%(level)s") % {"level": new.get_level_display()},
        body=_(
            "贵企业的%(level)s复核已通过，有效期延续至 %(end)s。新认定编号：%(number)s；有效期：%(start)s 至 %(end)s。"
            "新的认定证书可在“认证到期管理”或申报【详情】页下载。"
        )
        % {
            "level": new.get_level_display(),
            "number": new.number,
            "start": chinese_date(new.valid_from),
            "end": chinese_date(new.valid_until),
        },
        link=reverse("renewals:index"),
        dedupe_key=f"renewal:{new.pk}",
    )
    recognition_id = new.pk
    transaction.on_commit(lambda: render_certificate.enqueue(recognition_id), robust=True)
    return new


def renewal_failed(filing: Filing) -> None:
    """不通过: the recognition is no longer 复核中 and ends at its last day (now, if that is past)."""
    recognition_services.set_renewal_pending(filing.renewal_of, False)


def renewal_withdrawn(filing: Filing) -> None:
    recognition_services.set_renewal_pending(filing.renewal_of, False)


# --- 信息更新 ------------------------------------------------------------------------------------------


def _updates_in(cycle: selectors.Cycle) -> QuerySet[EnterpriseProfileVersion]:
    """信息更新 versions saved inside ``cycle``'s window (its first day to its last, Beijing time)."""
    start = timezone.make_aware(dt.datetime.combine(cycle.start, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(cycle.end + dt.timedelta(days=1), dt.time.min))
    return EnterpriseProfileVersion.objects.filter(
        kind=EnterpriseProfileVersion.Kind.ANNUAL_UPDATE, created_at__gte=start, created_at__lt=end
    )


def _latest_updates_in(cycle: selectors.Cycle) -> dict[int, EnterpriseProfileVersion]:
    """Each enterprise's latest 信息更新 inside ``cycle``'s window, by enterprise id (one query)."""
    return {v.enterprise_id: v for v in _updates_in(cycle).order_by("enterprise_id", "number")}


def enterprises_updated_in(cycle: selectors.Cycle) -> set[int]:
    """Ids of the enterprises that saved a 信息更新 inside ``cycle``'s window (one query)."""
    return set(_updates_in(cycle).values_list("enterprise_id", flat=True))


def refresh_annual_updates(
    *, year: int, today: dt.date | None = None, dry_run: bool = False
) -> dict[str, int]:
    """Bring the 信息更新 records of ``year`` up to date: one per enterprise taking part, 已更新 when
    an update was saved inside the window, 逾期未更新 once the window's end has passed without one.
    Idempotent; a record once 已更新 or 逾期未更新 does not move again."""
    today = today or timezone.localdate()
    cycle = selectors.update_cycle(year)
    counts = {"created": 0, "updated": 0, "missed": 0}
    if today < cycle.start:
        return counts
    records = {r.enterprise_id: r for r in AnnualUpdate.objects.filter(year=year)}
    versions = _latest_updates_in(cycle)
    for enterprise in selectors.enterprises_in_cycle(cycle):
        record = records.get(enterprise.pk)
        if record is None:
            if today > cycle.end:
                # first seen after the window (the portal was not running then, or the job was
                # not): nobody was reminded, so nobody is marked 逾期 for this cycle
                continue
            counts["created"] += 1
            if dry_run:
                record = AnnualUpdate(enterprise=enterprise, year=year, deadline=cycle.end)
            else:
                record, _created = AnnualUpdate.objects.get_or_create(
                    enterprise=enterprise,
                    year=year,
                    defaults={
                        "deadline": cycle.end,
                        "region_code": enterprise.region.code if enterprise.region_id else "",
                    },
                )
        if record.state != AnnualUpdate.State.PENDING:
            continue
        version = versions.get(enterprise.pk)
        if version is not None:
            counts["updated"] += 1
            if not dry_run:
                AnnualUpdate.objects.filter(pk=record.pk, state=AnnualUpdate.State.PENDING).update(
                    state=AnnualUpdate.State.UPDATED, version=version, updated_at=version.created_at
                )
        elif today > cycle.end:
            counts["missed"] += 1
            if not dry_run:
                with transaction.atomic():
                    changed = AnnualUpdate.objects.filter(
                        pk=record.pk, state=AnnualUpdate.State.PENDING
                    ).update(state=AnnualUpdate.State.MISSED)
                    if changed:
                        log(instance=record, action="lifecycle.update_missed", user=None, data={"year": year})
                        _missed_message(enterprise, record)
    return counts


def _missed_message(enterprise: Enterprise, record: AnnualUpdate) -> None:
    from portal.inbox.services import notify

    blocks = selectors.lifecycle_settings().missed_update_blocks_renewal
    body = _("贵企业未在 %(deadline)s 前完成%(year)s年度信息更新。") % {
        "deadline": chinese_date(record.deadline),
        "year": record.year,
    }
    if blocks:
        body += _("依据规定，本周期内不具备复核资格。")
    notify(
        enterprise=enterprise,
        category="info_update",
        title=_("%(year)s年度信息更新已逾期") % {"year": record.year},
        body=body,
        link=reverse("renewals:index"),
        dedupe_key=f"info_update_missed:{record.year}",
    )


def review_annual_update(*, record: AnnualUpdate, user: Any, decision: str, note: str = "") -> AnnualUpdate:
    """Staff 【审阅】 (``confirmed``) or 【退回】 (``returned``, with a note: the enterprise is asked to
    update again) a 信息更新 of their region."""
    from portal.inbox.services import notify

    note = (note or "").strip()
    if decision not in (AnnualUpdate.Review.CONFIRMED, AnnualUpdate.Review.RETURNED):
        raise ValueError(decision)
    with transaction.atomic():
        locked = AnnualUpdate.objects.select_for_update().select_related("enterprise").get(pk=record.pk)
        locked.review, locked.review_note = decision, note
        locked.reviewed_by, locked.reviewed_at = user, timezone.now()
        if decision == AnnualUpdate.Review.RETURNED and locked.state == AnnualUpdate.State.UPDATED:
            # the update is not accepted: it is pending again until the window's end
            locked.state = (
                AnnualUpdate.State.PENDING
                if timezone.localdate() <= locked.deadline
                else AnnualUpdate.State.MISSED
            )
            locked.version = None
        locked.save()
        log(
            instance=locked,
            action=f"lifecycle.update_{decision}",
            user=user,
            data={"year": locked.year, "note": note},
        )
        if decision == AnnualUpdate.Review.RETURNED:
            notify(
                enterprise=locked.enterprise,
                category="info_update",
                title=_("%(year)s年度信息更新被退回") % {"year": locked.year},
                body=_("请按意见在 %(deadline)s 前重新进行信息更新。意见：%(note)s")
                % {"deadline": chinese_date(locked.deadline), "note": note},
                link=reverse("enterprises:profile"),
            )
    return locked
