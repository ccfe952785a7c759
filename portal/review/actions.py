"""The reviewers' verbs (SPEC F-41), one class each on :class:`forms_engine.actions.Action`.

- :class:`PassFilingAction` — 通过: up to the next step, or 审核通过 at the deciding one.
- :class:`ReturnFilingAction` — 退回 to the enterprise with a reason and notes anchored to fields or
  the evidence; only by the current processing level and only while the window is open (FAQ 7).
  The submission is reopened on its pinned version and the evidence unlocked.
- :class:`RejectFilingAction` — 不通过, with a reason.
- :class:`AdjustScoreAction` — a verified score of one indicator beside the self-score.
- :func:`pass_filings` — 批量通过: one :class:`PassFilingAction` per filing.

Each runs permission check, the state machine (``portal.filings.services.apply_transition``: the
timeline entry and the audit log) and the enterprise's message in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from forms_engine import services as engine
from forms_engine.actions import Action, ActionError
from portal.filings import services as filing_services
from portal.filings import states
from portal.filings.models import Filing, FilingEvent, ReturnNote, ScoreAdjustment
from portal.filings.states import ChainStep, State

from . import notifications, selectors

ActorRole = FilingEvent.ActorRole
MAX_COMMENT = 2000


def _step(filing: Filing) -> ChainStep | None:
    steps = filing.chain_steps
    return steps[filing.step] if filing.step is not None and 0 <= filing.step < len(steps) else None


class FilingReviewAction(Action):
    """What every review verb shares: the reviewer must be the filing's current processing level,
    and the filing must still be where the reviewer saw it when the row is locked."""

    transition: ClassVar[str] = ""
    comment_required: ClassVar[bool] = False

    def __init__(self, filing: Filing, *, user: Any, comment: str = "", skip_permission_checks: bool = False):
        super().__init__(filing, user=user, skip_permission_checks=skip_permission_checks)
        self.comment = (comment or "").strip()
        self.seen_level = filing.current_level
        self.seen_step = filing.step

    def check_perms(self) -> None:
        if not selectors.can_act(self.user, self.object):
            raise PermissionDenied

    def check(self) -> None:
        if self.comment_required and not self.comment:
            raise ActionError(_("请填写理由。"), code="reason_required")
        if len(self.comment) > MAX_COMMENT:
            raise ActionError(_("意见不能超过 %(n)s 个字。") % {"n": MAX_COMMENT}, code="comment_too_long")

    def lock(self) -> Filing:
        return (
            Filing.objects.select_for_update(of=("self",))
            .select_related("enterprise", "window", "submission", "evidence")
            .get(pk=self.object.pk)
        )

    def _check_still_here(self, filing: Filing) -> None:
        if (
            filing.state != State.PENDING
            or filing.step != self.seen_step
            or filing.current_level != self.seen_level
        ):
            raise ActionError(
                _("该申报已由他人处理（当前状态：%(state)s），请刷新后查看。")
                % {"state": filing.state_label},
                code="stale",
            )

    def _execute(self, filing: Filing) -> FilingEvent:
        self._check_still_here(filing)
        step = _step(filing)
        event = filing_services.apply_transition(
            filing=filing,
            action=self.transition,
            actor=self.user,
            actor_role=ActorRole.REVIEWER,
            comment=self.comment,
            data={"step": step.label if step else ""},
        )
        self.after_transition(filing, event, step)
        return event

    def after_transition(self, filing: Filing, event: FilingEvent, step: ChainStep | None) -> None:
        """Further writes in the same transaction (reopen, notes, scores)."""


class PassFilingAction(FilingReviewAction):
    transition = states.Action.PASS

    def after_transition(self, filing: Filing, event: FilingEvent, step: ChainStep | None) -> None:
        if filing.state == State.APPROVED:
            total = selectors.verified_total(filing, None)
            filing.verified_score = total if total is not None else filing.self_score
            filing.save(update_fields=["verified_score", "updated_at"])
            if filing.is_renewal:  # 复核 passed at the deciding step: the recognition is renewed
                from portal.lifecycle.services import renewal_passed

                renewal_passed(filing=filing, user=self.user, deciding_level=step.level if step else "")

    def notify(self, filing: Filing, event: FilingEvent) -> None:
        if filing.state == State.RECOGNISED:
            return  # a 复核 passed: renewal_passed sent the 复核通过 message
        if filing.state == State.APPROVED:
            body = _("您的%(level)s申报（%(round)s）已通过审核，等待公示和认定。") % {
                "level": filing.get_level_display(),
                "round": filing.round_label,
            }
        else:
            next_step = _step(filing)
            body = _("您的%(level)s申报（%(round)s）已通过审核，进入%(next)s。") % {
                "level": filing.get_level_display(),
                "round": filing.round_label,
                "next": next_step.label if next_step else "",
            }
        notifications.filing_message(filing, title=_("申报审核进度"), body=body, comment=self.comment)


class ReturnFilingAction(FilingReviewAction):
    """退回 with a reason and ``notes``: ``[{"kind": "field"|"evidence"|"general", "field_key": …,
    "comment": …}, …]`` (field keys of the filing's form)."""

    transition = states.Action.RETURN
    comment_required = True

    def __init__(
        self, filing: Filing, *, user: Any, comment: str = "", notes: Sequence[dict] = (), **kwargs: Any
    ):
        super().__init__(filing, user=user, comment=comment, **kwargs)
        self.notes = [dict(note) for note in notes if (note.get("comment") or "").strip()]

    def check(self) -> None:
        super().check()
        if not self.object.accepts_submission():
            raise ActionError(
                _("本批次申报已截止，不能退回（常见问题 7：退回只能在申报开放时间内进行）。"),
                code="window_closed",
            )
        fields = {f.key: f.label for f in self.object.submission.version.parsed.value_fields}
        for note in self.notes:
            kind = note.get("kind") or ReturnNote.Kind.FIELD
            if kind not in ReturnNote.Kind.values:
                raise ActionError(_("退回意见的类型不正确。"), code="note_kind")
            if kind == ReturnNote.Kind.FIELD and note.get("field_key") not in fields:
                raise ActionError(_("退回意见指向的填报项不存在。"), code="note_field")
            if len(note["comment"]) > MAX_COMMENT:
                raise ActionError(
                    _("意见不能超过 %(n)s 个字。") % {"n": MAX_COMMENT}, code="comment_too_long"
                )
            note["field_label"] = fields.get(note.get("field_key", ""), "")
            note["kind"] = kind

    def after_transition(self, filing: Filing, event: FilingEvent, step: ChainStep | None) -> None:
        engine.reopen_submission(submission=filing.submission, user=self.user, reason=self.comment)
        ReturnNote.objects.bulk_create(
            ReturnNote(
                filing=filing,
                event=event,
                kind=note["kind"],
                field_key=note.get("field_key", "") if note["kind"] == ReturnNote.Kind.FIELD else "",
                field_label=note.get("field_label", ""),
                comment=note["comment"].strip(),
            )
            for note in self.notes
        )
        if filing.evidence is not None:
            filing_services.release_evidence(filing.evidence, keep_for=filing)

    def notify(self, filing: Filing, event: FilingEvent) -> None:
        body = _(
            "您的%(level)s申报（%(round)s）被%(by)s退回修改，请在申报截止前按审核意见修改后重新提交。"
        ) % {
            "level": filing.get_level_display(),
            "round": filing.round_label,
            "by": event.data.get("step", ""),
        }
        notifications.filing_message(filing, title=_("申报被退回修改"), body=body, comment=self.comment)


class RejectFilingAction(FilingReviewAction):
    transition = states.Action.REJECT
    comment_required = True

    def after_transition(self, filing: Filing, event: FilingEvent, step: ChainStep | None) -> None:
        if filing.is_renewal:  # 复核 failed: the recognition ends at its last day
            from portal.lifecycle.services import renewal_failed

            renewal_failed(filing)

    def notify(self, filing: Filing, event: FilingEvent) -> None:
        body = _("很遗憾，您的%(level)s申报（%(round)s）未通过%(by)s。") % {
            "level": filing.get_level_display(),
            "round": filing.round_label,
            "by": event.data.get("step", ""),
        }
        notifications.filing_message(filing, title=_("申报未通过"), body=body, comment=self.comment)


class AdjustScoreAction(FilingReviewAction):
    """A verified score of indicator ``item_key`` at the reviewer's level, with the reason."""

    comment_required = True

    def __init__(
        self, filing: Filing, *, user: Any, item_key: str, points: Any, comment: str = "", **kwargs: Any
    ):
        super().__init__(filing, user=user, comment=comment, **kwargs)
        self.item_key = item_key
        self.raw_points = points

    def check(self) -> None:
        super().check()
        score = selectors.latest_score(self.object)
        item = next((i for i in (score or {}).get("items") or [] if i.get("key") == self.item_key), None)
        if item is None:
            raise ActionError(_("没有这个评价指标。"), code="unknown_item")
        try:
            points = Decimal(str(self.raw_points).strip())
        except (InvalidOperation, ValueError):
            raise ActionError(_("核定得分须为数字。"), code="points_invalid") from None
        maximum = Decimal(str(item.get("max") or 0))
        if not points.is_finite() or points < 0 or points > maximum:
            raise ActionError(
                _("核定得分须在 0 到 %(max)s 分之间。") % {"max": f"{maximum.normalize():f}"},
                code="points_range",
            )
        self.points = points
        self.item = item

    def _execute(self, filing: Filing) -> FilingEvent:
        self._check_still_here(filing)
        ScoreAdjustment.objects.create(
            filing=filing,
            level=filing.current_level,
            item_key=self.item_key,
            item_label=self.item["label"],
            self_points=Decimal(str(self.item.get("points") or 0)),
            verified_points=self.points,
            reason=self.comment,
            reviewer=self.user,
        )
        total = selectors.verified_total(filing, None)
        filing.verified_score = total
        filing.save(update_fields=["verified_score", "updated_at"])
        return filing_services.record_event(
            filing=filing,
            action="adjust_score",
            actor=self.user,
            actor_role=ActorRole.REVIEWER,
            comment=self.comment,
            data={
                "item": self.item["label"],
                "self": f"{Decimal(str(self.item.get('points') or 0)).normalize():f}",
                "verified": f"{self.points.normalize():f}",
            },
        )


def pass_filings(
    filings: Iterable[Filing], *, user: Any, comment: str = ""
) -> tuple[list[Filing], list[tuple[Filing, str]]]:
    """批量通过: each filing on its own (one refusal undoes none of the others). Returns the passed
    filings and the refused ones with the reason."""
    passed, refused = [], []
    for filing in filings:
        try:
            PassFilingAction(filing, user=user, comment=comment).execute()
        except PermissionDenied:
            refused.append((filing, _("不在您的当前处理范围内")))
        except ActionError as exc:
            refused.append((filing, exc.message))
        else:
            passed.append(filing)
    return passed, refused
