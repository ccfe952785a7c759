"""Every write of 企业重大变更 (keyword-only, transactional, audited).

- :func:`start_change` — 【新增变更】 of a type: a draft on the type's current change form, prefilled
  with the current values.
- :func:`delete_change` — 【删除】 a draft that was never submitted.
- :func:`record_change_submission` — the engine's submit hook (category “change”): the change goes to
  review in the enterprise's province (and the new one for a move across provinces), flagged when
  it is reported more than ``CHANGES_LATE_REPORT_MONTHS`` after it took effect.
- :func:`record_event` — a timeline entry with its audit log entry (the actions use it).
- :func:`apply_change` — an approved change's values into the profile (a dated version), and a new
  注册地 moves the enterprise's open filings to the new region's reviewers.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from forms_engine import services as engine
from forms_engine.host import SubmissionRefusedError
from forms_engine.models import FormDefinition, FormSubmission
from portal.accounts.access import MESSAGES as ACCOUNT_MESSAGES
from portal.accounts.access import filing_block
from portal.enterprises import services as enterprise_services
from portal.enterprises.models import Enterprise
from portal.enterprises.selectors import enterprise_province_code
from portal.filings import states as filing_states
from portal.filings.models import Filing

from .models import ChangeEvent, ChangeType, MajorChange, definition_key

State = MajorChange.State


class ChangeRefusedError(ValidationError):
    """【新增变更】 or 【删除】 refused; ``code`` is stable."""


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def record_event(
    *,
    change: MajorChange,
    action: str,
    actor: Any,
    from_state: str,
    comment: str = "",
    province: str = "",
    staff: bool = False,
) -> ChangeEvent:
    event = ChangeEvent.objects.create(
        change=change,
        action=action,
        from_state=from_state,
        to_state=change.state,
        province_code=province,
        actor=actor,
        actor_name=actor.get_username() if actor is not None else "",
        is_staff_action=staff,
        comment=comment,
    )
    log(
        instance=change,
        action=f"changes.{action}",
        user=actor,
        data={"from": from_state, "to": change.state, "province": province, "comment": comment},
    )
    return event


def start_change(*, enterprise: Enterprise, user: AbstractBaseUser, change_type: str) -> MajorChange:
    """A new draft of ``change_type``. Raises ChangeRefusedError: ``unverified`` / ``natural_person``,
    ``not_recognised`` (not-recognised enterprises edit their profile directly), ``unknown_type``,
    ``form_unavailable``."""
    if change_type not in ChangeType.values:
        raise ChangeRefusedError(_("没有这种变更类型。"), code="unknown_type")
    block = filing_block(user)
    if block is not None:
        raise ChangeRefusedError(str(ACCOUNT_MESSAGES[block]), code=block)
    if not enterprise.is_recognised:
        raise ChangeRefusedError(
            _("未认定的企业可在“企业信息”中直接【编辑】基本信息，无需报告重大变更。"), code="not_recognised"
        )
    definition = FormDefinition.objects.filter(key=definition_key(change_type)).first()
    version = engine.current_version(definition) if definition is not None else None
    if version is None:
        raise ChangeRefusedError(
            _("该变更类型暂无可填写的表单，请稍后再试或联系管理员。"), code="form_unavailable"
        )
    with transaction.atomic():
        submission = engine.start_submission(
            version=version, owner=user, context={"province": enterprise_province_code(enterprise)}
        )
        change = MajorChange.objects.create(
            enterprise=enterprise,
            change_type=change_type,
            submission=submission,
            region_code=enterprise.region.code if enterprise.region_id else "",
        )
        record_event(change=change, action="create", actor=user, from_state="")
    return change


def delete_change(*, change: MajorChange, user: AbstractBaseUser) -> None:
    """【删除】 a draft. Raises ChangeRefusedError ``not_draft`` for anything ever submitted."""
    with transaction.atomic():
        locked = MajorChange.objects.select_for_update().get(pk=change.pk)
        if locked.state != State.DRAFT or locked.submitted_at is not None:
            raise ChangeRefusedError(_("已提交过的变更不能删除。"), code="not_draft")
        submission = locked.submission
        log(instance=locked, action="changes.delete", user=user, data={"type": locked.change_type})
        locked.delete()
        submission.delete()


def record_change_submission(*, submission: FormSubmission, result: Any = None, **_kwargs: Any) -> None:
    """The engine's submit hook for category “change”. Raises SubmissionRefusedError
    ``change_not_started`` (submitted outside 企业重大变更) and ``not_recognised``."""
    change = (
        MajorChange.objects.select_for_update(of=("self",))
        .select_related("enterprise__region")
        .filter(submission=submission)
        .first()
    )
    if change is None:
        raise SubmissionRefusedError(
            _("请从“企业重大变更”页面【新增变更】后填写。"), code="change_not_started"
        )
    if not change.enterprise.is_recognised:
        raise SubmissionRefusedError(_("未认定的企业无需报告重大变更。"), code="not_recognised")
    answers = submission.answers
    effective = answers.get("effective_date")
    change.effective_date = (
        dt.date.fromisoformat(effective) if isinstance(effective, str) and effective else None
    )
    now = timezone.now()
    months = int(getattr(settings, "CHANGES_LATE_REPORT_MONTHS", 3))
    change.reported_late = bool(
        change.effective_date and timezone.localtime(now).date() > add_months(change.effective_date, months)
    )
    enterprise = change.enterprise
    province = enterprise_province_code(enterprise)
    change.region_code = enterprise.region.code if enterprise.region_id else ""
    target = ""
    if change.change_type == ChangeType.REGION:
        new_region = str(answers.get("new_region") or "")
        if new_region and new_region[:2] + "0000" != province:
            target = new_region[:2] + "0000"
    change.target_province_code = target
    change.provinces = [p for p in (province, target) if p]
    change.decisions = {}
    before = change.state
    change.state = State.PENDING
    change.submitted_at = now
    change.save()
    record_event(
        change=change,
        action="resubmit" if before == State.RETURNED else "submit",
        actor=submission.owner,
        from_state=before,
    )


def values_to_apply(change: MajorChange) -> dict[str, Any]:
    """What an approved change writes into the profile (nothing for the reported-only types)."""
    answers = change.submission.answers
    if change.change_type == ChangeType.RENAME:
        return {"name": answers.get("new_name", "")}
    if change.change_type == ChangeType.REGION:
        return {"region": answers.get("new_region"), "address": answers.get("new_address", "")}
    if change.change_type == ChangeType.BUSINESS:
        return {"main_products": answers.get("new_products", ""), "industry": answers.get("new_industry")}
    return {}


def apply_change(*, change: MajorChange, actor: Any) -> None:
    """Inside the approving action's transaction: the profile's new version, and the enterprise's
    open filings follow a new 注册地 to the new region's reviewers."""
    values = {k: v for k, v in values_to_apply(change).items() if v not in (None, "")}
    if values:
        change.applied_version = enterprise_services.apply_major_change(
            enterprise=change.enterprise,
            actor=actor,
            data=values,
            note=f"{change.get_change_type_display()} #{change.pk}",
        )
    if "region" in values:
        enterprise = Enterprise.objects.select_related("region").get(pk=change.enterprise_id)
        Filing.objects.filter(enterprise=enterprise).exclude(state__in=filing_states.FINAL_STATES).update(
            region_code=enterprise.region.code, province_code=enterprise_province_code(enterprise)
        )
