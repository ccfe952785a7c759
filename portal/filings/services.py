"""Every write of filings (keyword-only, transactional, audited in Wagtail's log).

- :func:`start_filing` — 【申请】: the open filing of the level in the open window, or a new one after
  the window and every prerequisite were checked.
- :func:`submit_filing` — 【确认提交】: the chosen evidence, then the engine's submit; inside it
  :func:`record_filing_submission` (the engine's submit hook) checks window, prerequisites and
  evidence again and moves the filing into review — atomically with the submission.
- :func:`withdraw_filing` — 【撤回】 a draft or a returned filing.
- :func:`apply_transition` — the one primitive that moves a filing along its state machine and writes
  the timeline entry and the audit log; the enterprise's steps above and the reviewers' actions use it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from forms_engine import services as engine
from forms_engine.host import SubmissionRefusedError
from forms_engine.models import FormDefinition, FormSubmission
from forms_engine.scoring import ScoreResult
from portal.enterprises.models import Enterprise
from portal.enterprises.selectors import enterprise_province_code

from . import selectors, states
from .evidence import services as evidence_services
from .models import EvidenceArchive, Filing, FilingEvent, FilingLevel
from .states import Action, State

ActorRole = FilingEvent.ActorRole


class FilingRefusedError(ValidationError):
    """【申请】 or 【提交】 refused: ``code`` is stable, ``unmet`` lists the prerequisites not met
    (each with its reason and where to fix it)."""

    def __init__(self, message: str, *, code: str, unmet: list[selectors.Unmet] | None = None):
        super().__init__(message, code=code)
        self.unmet = unmet or []


# --- the one transition primitive ---------------------------------------------------------------


def apply_transition(
    *,
    filing: Filing,
    action: str,
    actor: AbstractBaseUser | None,
    actor_role: str,
    comment: str = "",
    data: Mapping[str, Any] | None = None,
    chain: list[states.ChainStep] | None = None,
    submission_revision: int | None = None,
) -> FilingEvent:
    """Move ``filing`` (locked by the caller's transaction) by ``action`` and record it.

    ``chain`` is given on the first submit (it is kept with the filing from then on). Raises
    states.TransitionNotAllowedError.
    """
    if chain is not None:
        filing.chain = [step.as_dict() for step in chain]
    steps = filing.chain_steps
    before = filing.position
    from_level = filing.current_level
    after = states.transition(before, action, steps)
    filing.state, filing.step = after.state, after.step
    filing.current_level = steps[after.step].level if after.state == State.PENDING else ""
    filing.reached_rank = max(filing.reached_rank, states.level_rank(filing.current_level))
    now = timezone.now()
    if after.state in (State.APPROVED, State.REJECTED, State.RECOGNISED, State.WITHDRAWN):
        filing.decided_at = now
    filing.save()
    event = FilingEvent.objects.create(
        filing=filing,
        action=action,
        from_state=before.state,
        to_state=after.state,
        from_level=from_level,
        to_level=filing.current_level,
        actor=actor,
        actor_name=actor.get_username() if actor is not None else "",
        actor_role=actor_role,
        comment=comment,
        submission_revision=submission_revision,
        data=dict(data or {}),
    )
    log(
        instance=filing,
        action=f"filings.{action}",
        user=actor,
        data={
            "from": before.state,
            "to": after.state,
            "from_level": from_level,
            "to_level": filing.current_level,
            "comment": comment,
            **(data or {}),
        },
    )
    return event


# --- 【申请】 ---------------------------------------------------------------------------------------


def _refuse_unmet(unmet: list[selectors.Unmet]) -> None:
    if unmet:
        raise FilingRefusedError(unmet[0].message, code=unmet[0].code, unmet=unmet)


def _check_not_held_or_in_review(enterprise: Enterprise, level: str) -> None:
    if selectors.recognition_in_force(enterprise) == level:
        raise FilingRefusedError(
            _("本企业已是有效期内的%(level)s，认定到期前请在“认证到期管理”中申请复核。")
            % {"level": FilingLevel(level).label},
            code="already_recognised",
        )
    in_review = (
        Filing.objects.filter(enterprise=enterprise, level=level)
        .filter(state__in=[State.PENDING, State.APPROVED, State.PUBLICISING])
        .select_related("window")
        .first()
    )
    if in_review is not None:
        raise FilingRefusedError(
            _("本企业%(round)s的%(level)s申报正在审核中，审核结束前不能再次申报。")
            % {"round": in_review.round_label, "level": FilingLevel(level).label},
            code="filing_in_review",
        )


def start_filing(
    *,
    enterprise: Enterprise,
    user: AbstractBaseUser,
    level: str,
    return_to: str = "",
    now: dt.datetime | None = None,
) -> Filing:
    """The enterprise's open filing of ``level`` in the province's open window, or a new one.

    Raises FilingRefusedError: ``window_closed`` (with the window's reason: ``no_window``,
    ``not_yet_open``, ``closed``, ``no_province``), a prerequisite's code (``unverified``,
    ``natural_person``, ``profile_incomplete``, ``assessment_required``, ``recognition_required``),
    ``already_recognised``, ``filing_in_review``, ``form_unavailable``.
    """
    level = FilingLevel(level)
    province = enterprise_province_code(enterprise)
    window_state = selectors.window_state(level, province, now=now)
    with transaction.atomic():
        # two clicks on 【申请】 (two tabs) wait for each other here and the second resumes the first
        Enterprise.objects.select_for_update().filter(pk=enterprise.pk).first()
        existing = selectors.open_filing(enterprise, level, window_state.window)
        if existing is not None and (window_state.is_open or not existing.is_editable):
            return existing
        if not window_state.is_open:
            raise FilingRefusedError(window_state.message, code=window_state.code)
        requirement = selectors.requirement_for(level, province)
        _refuse_unmet(
            selectors.unmet_prerequisites(
                enterprise=enterprise, user=user, requirement=requirement, return_to=return_to
            )
        )
        _check_not_held_or_in_review(enterprise, level)
        definition = FormDefinition.objects.filter(key=requirement.definition_key).first()
        version = engine.current_version(definition, requirement.version_purpose) if definition else None
        if version is None:
            raise FilingRefusedError(
                _("%(level)s申报表暂无可填写的版本，请稍后再试或联系管理员。") % {"level": level.label},
                code="form_unavailable",
            )
        return create_draft(
            enterprise=enterprise,
            user=user,
            definition=definition,
            version=version,
            context={"province": province, "filing_level": str(level)},
            concurrent=lambda: selectors.open_filing(enterprise, level, window_state.window),
            log_action="filings.create",
            log_data={"level": str(level), "window": window_state.window.pk, "version": version.number},
            level=level,
            window=window_state.window,
        )


def create_draft(
    *,
    enterprise: Enterprise,
    user: AbstractBaseUser,
    definition: FormDefinition,
    version: Any,
    context: dict[str, Any],
    concurrent: Callable[[], Filing | None],
    log_action: str,
    log_data: dict[str, Any],
    event_data: Mapping[str, Any] | None = None,
    **fields: Any,
) -> Filing:
    """A new draft filing (an application, or a 复核 from portal.lifecycle) on a new engine submission
    of ``version``: the row (``fields``: level, window or renewal_of …), its 创建 timeline event and its
    audit entry. Called inside the caller's transaction with the enterprise locked; where a database
    without row locks (SQLite) let a second click through, the submission is dropped and the filing
    that click made (``concurrent()``) is returned instead."""
    submission = engine.start_submission(version=version, owner=user, context=context)
    try:
        with transaction.atomic():
            filing = Filing.objects.create(
                enterprise=enterprise,
                submission=submission,
                region_code=enterprise.region.code if enterprise.region_id else "",
                province_code=context["province"],
                **fields,
            )
    except IntegrityError:
        submission.delete()
        return concurrent()
    FilingEvent.objects.create(
        filing=filing,
        action="create",
        to_state=State.DRAFT,
        actor=user,
        actor_name=user.get_username(),
        actor_role=ActorRole.ENTERPRISE,
        data={"definition": definition.key, "version": version.number, **(event_data or {})},
    )
    log(instance=filing, action=log_action, user=user, data=log_data)
    return filing


# --- 【提交】 ---------------------------------------------------------------------------------------


def _evidence_for(filing: Filing, archive: EvidenceArchive | None) -> EvidenceArchive | None:
    if archive is None:
        return None
    if archive.enterprise_id != filing.enterprise_id:
        raise FilingRefusedError(_("所选压缩包不存在或已删除，请重新选择。"), code="evidence_not_found")
    return archive


def submit_filing(
    *,
    filing: Filing,
    user: AbstractBaseUser,
    evidence: EvidenceArchive | None,
    expected_revision: int | None = None,
) -> Filing:
    """【确认提交】: keep ``evidence`` with the filing, then submit its answers through the engine.

    Submitting twice is harmless. Raises FilingRefusedError (``filing_closed`` and everything
    :func:`record_filing_submission` refuses), engine.SubmissionInvalidError (answers to fix),
    engine.SubmissionConflictError (another tab saved in between).
    """
    with transaction.atomic():
        locked = Filing.objects.select_for_update().get(pk=filing.pk)
        if locked.state not in states.EDITABLE_STATES:
            if locked.submission.state == FormSubmission.State.SUBMITTED and locked.state == State.PENDING:
                return locked  # a double click: already in review
            raise FilingRefusedError(
                _("该申报当前状态为“%(state)s”，不能提交。") % {"state": locked.state_label},
                code="filing_closed",
            )
        chosen = _evidence_for(locked, evidence)
        if chosen is not None and locked.evidence_id != chosen.pk:
            previous = locked.evidence
            locked.evidence = chosen
            locked.save(update_fields=["evidence", "updated_at"])
            if previous is not None:
                _release_evidence(previous, keep_for=locked)
        try:
            engine.submit_submission(
                submission=locked.submission, expected_revision=expected_revision, user=user
            )
        except SubmissionRefusedError as exc:
            raise FilingRefusedError(exc.message, code=exc.code, unmet=getattr(exc, "unmet", [])) from exc
    locked.refresh_from_db()
    return locked


class _PrerequisiteRefusal(SubmissionRefusedError):
    def __init__(self, message: str, *, code: str, unmet: list[selectors.Unmet]):
        super().__init__(message, code=code)
        self.unmet = unmet


def record_filing_submission(
    *, submission: FormSubmission, result: ScoreResult | None, **_kwargs: Any
) -> None:
    """The engine's submit hook (every definition): the filing that owns ``submission`` goes into
    review — or the submit is refused and nothing changes.

    Raises SubmissionRefusedError: ``filing_not_started`` (a filing form submitted outside a
    filing), ``window_closed``, a prerequisite's code, ``evidence_required``,
    ``evidence_not_passed``.
    """
    filing = (
        Filing.objects.select_for_update(of=("self",))
        .select_related("window", "renewal_of", "enterprise__region", "evidence")
        .filter(submission=submission)
        .first()
    )
    if filing is None:
        if submission.version.definition.key in selectors.filing_definition_keys():
            raise SubmissionRefusedError(
                _("请从“企业申报信息”页面【申请】后填写申报表。"), code="filing_not_started"
            )
        return
    enterprise = filing.enterprise
    now = timezone.now()
    if not filing.accepts_submission(now):
        raise SubmissionRefusedError(
            _("%(round)s申报已于 %(end)s 截止，不能再提交。")
            % {"round": filing.round_label, "end": filing.deadline_label},
            code="window_closed",
        )
    province = enterprise_province_code(enterprise)
    requirement = selectors.requirement_for(filing.level, province)
    unmet = selectors.unmet_prerequisites(
        enterprise=enterprise, user=submission.owner, requirement=requirement
    )
    if unmet:
        raise _PrerequisiteRefusal(unmet[0].message, code=unmet[0].code, unmet=unmet)
    if filing.evidence is None:
        if requirement.requires_evidence:
            raise SubmissionRefusedError(
                _("请在“其他材料”中上传佐证材料压缩包（.zip），检查通过后再提交。"), code="evidence_required"
            )
    else:
        try:
            evidence_services.lock_evidence_archive(archive=filing.evidence, user=submission.owner)
        except evidence_services.ArchiveNotPassedError as exc:
            raise SubmissionRefusedError(
                _("其他材料“%(name)s”尚未通过检查（%(state)s），请等待检查完成或重新上传。")
                % {"name": filing.evidence.filename, "state": filing.evidence.get_state_display()},
                code="evidence_not_passed",
            ) from exc
    first = filing.state == State.DRAFT
    if result is not None:
        filing.self_score, filing.max_score = result.total, result.max_total
        filing.qualified = result.outcome.qualified
        filing.outcome_label = result.outcome.label[:100]
    filing.submitted_at = now
    filing.first_submitted_at = filing.first_submitted_at or now
    filing.region_code = enterprise.region.code if enterprise.region_id else filing.region_code
    filing.province_code = province
    revision = submission.revisions.aggregate(n=Max("number"))["n"]
    apply_transition(
        filing=filing,
        action=Action.SUBMIT if first else Action.RESUBMIT,
        actor=submission.owner,
        actor_role=ActorRole.ENTERPRISE,
        chain=selectors.chain_for(filing.level, enterprise) if first else None,
        submission_revision=revision,
        data={
            "version": submission.version.number,
            "score": None if result is None else f"{result.total.normalize():f}",
            "evidence": filing.evidence.filename if filing.evidence else "",
        },
    )
    if filing.is_renewal and first:
        from portal.lifecycle.services import renewal_submitted

        renewal_submitted(filing)


# --- 【撤回】 ---------------------------------------------------------------------------------------


def _release_evidence(archive: EvidenceArchive, *, keep_for: Filing | None = None) -> None:
    """Unlock ``archive`` unless another filing under review or decided still holds it."""
    others = archive.filings.exclude(state__in=[*states.EDITABLE_STATES, State.WITHDRAWN])
    if keep_for is not None:
        others = others.exclude(pk=keep_for.pk)
    if archive.is_locked and not others.exists():
        evidence_services.unlock_evidence_archive(archive=archive)


def withdraw_filing(*, filing: Filing, user: AbstractBaseUser, reason: str = "") -> Filing:
    """【撤回】 a draft or a returned filing: it ends, and 【申请】 may start a new one in the window.
    Raises FilingRefusedError ``filing_not_withdrawable``."""
    with transaction.atomic():
        # lock the filing row only: PostgreSQL refuses FOR UPDATE on the nullable side of the join
        locked = Filing.objects.select_for_update(of=("self",)).select_related("evidence").get(pk=filing.pk)
        if locked.state == State.WITHDRAWN:
            return locked
        try:
            apply_transition(
                filing=locked,
                action=Action.WITHDRAW,
                actor=user,
                actor_role=ActorRole.ENTERPRISE,
                comment=reason,
            )
        except states.TransitionNotAllowedError as exc:
            raise FilingRefusedError(
                _("已提交的申报不能撤回；如需修改，请联系当前处理层级退回。"), code="filing_not_withdrawable"
            ) from exc
        if locked.evidence is not None:
            _release_evidence(locked.evidence, keep_for=locked)
        if locked.is_renewal:
            from portal.lifecycle.services import renewal_withdrawn

            renewal_withdrawn(locked)
    return locked


def record_event(
    *,
    filing: Filing,
    action: str,
    actor: AbstractBaseUser | None,
    actor_role: str,
    comment: str = "",
    data: Mapping[str, Any] | None = None,
) -> FilingEvent:
    """A timeline entry that moves nothing (a verified score, a note); with its audit entry."""
    event = FilingEvent.objects.create(
        filing=filing,
        action=action,
        from_state=filing.state,
        to_state="",
        from_level=filing.current_level,
        actor=actor,
        actor_name=actor.get_username() if actor is not None else "",
        actor_role=actor_role,
        comment=comment,
        data=dict(data or {}),
    )
    log(instance=filing, action=f"filings.{action}", user=actor, data={"comment": comment, **(data or {})})
    return event


def release_evidence(archive: EvidenceArchive, *, keep_for: Filing | None = None) -> None:
    """Let the enterprise replace ``archive`` again unless another submitted filing holds it."""
    _release_evidence(archive, keep_for=keep_for)
