"""The deciding level's verbs (SPEC F-42), one class each on :class:`forms_engine.actions.Action`.

- :class:`CreatePublicityAction` — 公示: 审核通过 filings of one level, one deciding level and one
  province → a :class:`~portal.recognition.models.Publicity` with a draft notice page in the CMS;
  the filings go 公示中 (``apply_transition``) and each enterprise hears of it (申报提醒).
- :class:`RecogniseFilingAction` — 认定 one filing of a 公示 once its period is over (refused before,
  with the date): a numbered recognition with its validity, the profile synced, the filing 已认定,
  the 认定通知 message, the certificate rendered after the commit.
- :func:`recognise_publicity` — 批量认定: one :class:`RecogniseFilingAction` per filing.
- :class:`CancelRecognitionAction` — 取消认定 (F-44): a recognition in force ends with a reason and a
  category; 数据造假 bars new applications for the years of the settings (117号: 3); the profile
  synced, the enterprise gets a 取消认定 message, the public query reads 已取消.

Permission: a reviewer whose scope is the deciding level of the filings' chains and covers their
region, or a superuser (:func:`portal.recognition.selectors.can_decide`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from forms_engine.actions import Action, ActionError
from portal.core.dates import chinese_date
from portal.filings import services as filing_services
from portal.filings import states
from portal.filings.models import Filing, FilingEvent
from portal.filings.states import ReviewLevel, State
from portal.reference.models import Region
from portal.review import notifications as review_notifications
from portal.review.selectors import scope_of

from . import notices, selectors, services
from .models import CancelCategory, Level, Publicity, PublicityEntry, Recognition, RecognitionStatus

ActorRole = FilingEvent.ActorRole
TITLE_MAX = 200


class CreatePublicityAction(Action):
    """公示 ``filings`` (审核通过, at the user's deciding level); ``title`` defaults to one built from
    the province, the level and the year."""

    log_action = "recognition.publicity_create"

    def __init__(
        self, filings: Sequence[Filing], *, user: Any, title: str = "", skip_permission_checks: bool = False
    ):
        super().__init__(None, user=user, skip_permission_checks=skip_permission_checks)
        self.filings = list(filings)
        self.title = (title or "").strip()

    def check_perms(self) -> None:
        scope = scope_of(self.user)
        if scope is None or not all(selectors.can_decide(self.user, f, scope) for f in self.filings):
            raise PermissionDenied

    def check(self) -> None:
        if not self.filings:
            raise ActionError(_("请先勾选要公示的申报。"), code="nothing_selected")
        for filing in self.filings:
            if filing.state != State.APPROVED:
                raise ActionError(
                    _("“%(name)s”的申报当前状态为“%(state)s”，只有审核通过的申报可以公示。")
                    % {"name": filing.enterprise.name, "state": filing.state_label},
                    code="not_approved",
                )
        if len({f.level for f in self.filings}) > 1:
            raise ActionError(_("一次公示只能包含同一认定级别的申报。"), code="mixed_levels")
        deciders = {selectors.deciding_level(f) for f in self.filings}
        if len(deciders) > 1 or "" in deciders:
            raise ActionError(_("所选申报的认定层级不同，请分别公示。"), code="mixed_deciders")
        self.deciding_level = deciders.pop()
        provinces = {f.province_code for f in self.filings}
        if self.deciding_level != ReviewLevel.MINISTRY and len(provinces) > 1:
            raise ActionError(_("一次公示只能包含同一省份的申报。"), code="mixed_provinces")
        self.province_code = "" if self.deciding_level == ReviewLevel.MINISTRY else provinces.pop()
        if len(self.title) > TITLE_MAX:
            raise ActionError(_("公示标题不能超过 %(n)s 个字。") % {"n": TITLE_MAX}, code="title_too_long")
        if notices.notice_index() is None:
            raise ActionError(
                _("公告栏目不存在，无法生成公示公告，请联系编辑创建公告栏目。"), code="no_notice_index"
            )

    def lock(self) -> list[Filing]:
        return list(
            Filing.objects.select_for_update(of=("self",))
            .select_related("enterprise", "window")
            .filter(pk__in=[f.pk for f in self.filings])
            .order_by("pk")
        )

    def _default_title(self, level: str, year: int) -> str:
        where = Region.objects.filter(code=self.province_code).values_list("name", flat=True).first() or ""
        return _("%(where)s%(year)s年拟认定%(level)s名单公示") % {
            "where": where,
            "year": year,
            "level": Level(level).label,
        }

    def _region_prefix(self) -> str:
        scope = scope_of(self.user)
        if scope is not None and scope.level:
            return scope.prefix
        return self.province_code[:2]

    def _execute(self, filings: list[Filing]) -> Publicity:
        if len(filings) != len(self.filings) or any(f.state != State.APPROVED for f in filings):
            raise ActionError(_("所选申报已由他人处理，请刷新后重试。"), code="stale")
        level = filings[0].level
        year = max(f.year for f in filings)
        province = Region.objects.filter(code=self.province_code).first() if self.province_code else None
        publicity = Publicity.objects.create(
            title=self.title or self._default_title(level, year),
            level=level,
            province=province,
            deciding_level=self.deciding_level,
            region_prefix=self._region_prefix(),
            period_days=selectors.publicity_days_for(self.province_code),
            created_by=self.user,
        )
        PublicityEntry.objects.bulk_create(
            PublicityEntry(publicity=publicity, filing=filing, position=i)
            for i, filing in enumerate(filings, 1)
        )
        for filing in filings:
            filing_services.apply_transition(
                filing=filing,
                action=states.Action.PUBLICISE,
                actor=self.user,
                actor_role=ActorRole.REVIEWER,
                data={"publicity": publicity.pk, "title": publicity.title},
            )
        authority = selectors.authority_for(
            deciding_level=self.deciding_level, province_code=self.province_code
        )
        publicity.notice = notices.draft_publicity_notice(
            publicity=publicity, filings=filings, authority=authority, user=self.user
        )
        publicity.save(update_fields=["notice"])
        return publicity

    def log_instance(self, locked: list[Filing], result: Publicity) -> Publicity:
        return result

    def log_data(self, locked: list[Filing], result: Publicity) -> dict[str, Any]:
        return {
            "filings": [f.pk for f in locked],
            "level": result.level,
            "province": self.province_code,
            "notice": result.notice_id,
            "period_days": result.period_days,
        }

    def notify(self, locked: list[Filing], result: Publicity) -> None:
        for filing in locked:
            body = _(
                "您的%(level)s申报（%(round)s）已列入公示。公示期为 %(days)s 天，自公示公告发布之日起计算；"
                "公示期满后进行认定。"
            ) % {
                "level": filing.get_level_display(),
                "round": filing.round_label,
                "days": result.period_days,
            }
            review_notifications.filing_message(filing, title=_("申报进入公示"), body=body)


class RecogniseFilingAction(Action):
    """认定 ``filing`` (公示中, its 公示 over) with validity from ``valid_from`` (default: today)."""

    log_action = "recognition.recognise"

    def __init__(
        self,
        filing: Filing,
        *,
        user: Any,
        valid_from: dt.date | None = None,
        skip_permission_checks: bool = False,
    ):
        super().__init__(filing, user=user, skip_permission_checks=skip_permission_checks)
        self.valid_from = valid_from

    def check_perms(self) -> None:
        if not selectors.can_decide(self.user, self.object):
            raise PermissionDenied

    def check(self) -> None:
        entry = PublicityEntry.objects.select_related("publicity").filter(filing=self.object).first()
        if entry is None:
            raise ActionError(_("该申报尚未公示，公示期满后方可认定。"), code="publicity_required")
        publicity = entry.publicity
        today = timezone.localdate()
        if publicity.period_start is None:
            raise ActionError(
                _("公示公告“%(title)s”尚未发布，公示期尚未开始，不能认定。") % {"title": publicity.title},
                code="publicity_not_started",
            )
        first_day = publicity.period_end + dt.timedelta(days=1)
        if today < first_day:
            raise ActionError(
                _("公示期至 %(end)s，公示期满后（%(first)s 起）方可认定。")
                % {"end": chinese_date(publicity.period_end), "first": chinese_date(first_day)},
                code="publicity_not_ended",
            )
        self.valid_from = self.valid_from or today
        if self.valid_from < first_day:
            raise ActionError(
                _("有效期起始日期不能早于公示期满的次日（%(first)s）。") % {"first": chinese_date(first_day)},
                code="start_before_period_end",
            )
        if self.valid_from > today:
            raise ActionError(_("有效期起始日期不能晚于今天。"), code="start_in_future")
        self.publicity = publicity

    def lock(self) -> Filing:
        return (
            Filing.objects.select_for_update(of=("self",))
            .select_related("enterprise__region", "window")
            .get(pk=self.object.pk)
        )

    def _execute(self, filing: Filing) -> Recognition:
        if filing.state != State.PUBLICISING:
            raise ActionError(
                _("“%(name)s”的申报当前状态为“%(state)s”，不能认定。")
                % {"name": filing.enterprise.name, "state": filing.state_label},
                code="stale",
            )
        recognition = services.record_recognition(
            enterprise=filing.enterprise,
            level=filing.level,
            year=filing.year,
            valid_from=self.valid_from,
            user=self.user,
            filing=filing,
            publicity=self.publicity,
            deciding_level=selectors.deciding_level(filing),
        )
        filing_services.apply_transition(
            filing=filing,
            action=states.Action.RECOGNISE,
            actor=self.user,
            actor_role=ActorRole.REVIEWER,
            data={
                "number": recognition.number,
                "valid_from": recognition.valid_from.isoformat(),
                "valid_until": recognition.valid_until.isoformat(),
            },
        )
        # locked after the number: every recognition takes filing → sequence → 公示, never a cycle
        services.close_publicity_if_done(Publicity.objects.select_for_update().get(pk=self.publicity.pk))
        return recognition

    def log_instance(self, filing: Filing, result: Recognition) -> Recognition:
        return result

    def log_data(self, filing: Filing, result: Recognition) -> dict[str, Any]:
        return {
            "filing": filing.pk,
            "number": result.number,
            "level": result.level,
            "valid_from": result.valid_from.isoformat(),
            "valid_until": result.valid_until.isoformat(),
        }

    def notify(self, filing: Filing, result: Recognition) -> None:
        from portal.inbox.services import notify

        from .tasks import render_certificate

        notify(
            enterprise=filing.enterprise,
            category="recognition",
            title=_("认定通知：%(level)s") % {"level": result.get_level_display()},
            body=_(
                "经公示，贵企业已被认定为%(level)s。认定编号：%(number)s；有效期：%(start)s 至 %(end)s；"
                "认定机关：%(authority)s。认定证书可在“企业申报信息”的申报【详情】页或“企业信息”页下载。"
            )
            % {
                "level": result.get_level_display(),
                "number": result.number,
                "start": chinese_date(result.valid_from),
                "end": chinese_date(result.valid_until),
                "authority": result.authority,
            },
            link=reverse("filings:detail", args=[filing.pk]),
            dedupe_key=f"recognition:{result.pk}",
        )
        recognition_id = result.pk
        transaction.on_commit(lambda: render_certificate.enqueue(recognition_id), robust=True)


def recognise_publicity(
    publicity: Publicity,
    *,
    user: Any,
    filings: Iterable[Filing] | None = None,
    valid_from: dt.date | None = None,
) -> tuple[list[Recognition], list[tuple[Filing, str]]]:
    """批量认定: each filing of ``publicity`` still 公示中 (or the chosen ``filings``) on its own, so one
    refusal undoes none of the others. Returns the recognitions and the refused filings with the reason."""
    if filings is None:
        filings = [entry.filing for entry in selectors.publicity_entries(publicity)]
    done, refused = [], []
    for filing in filings:
        if filing.state != State.PUBLICISING:
            continue
        try:
            done.append(RecogniseFilingAction(filing, user=user, valid_from=valid_from).execute())
        except PermissionDenied:
            refused.append((filing, _("不在您的认定范围内")))
        except ActionError as exc:
            refused.append((filing, exc.message))
    return done, refused


CANCEL_REASON_MAX = 2000


class CancelRecognitionAction(Action):
    """取消认定 ``recognition`` (in force) for ``reason`` of ``category`` (a :class:`CancelCategory`)."""

    log_action = "recognition.cancel"

    def __init__(
        self,
        recognition: Recognition,
        *,
        user: Any,
        reason: str,
        category: str,
        skip_permission_checks: bool = False,
    ):
        super().__init__(recognition, user=user, skip_permission_checks=skip_permission_checks)
        self.reason = (reason or "").strip()
        self.category = category

    def check_perms(self) -> None:
        if not selectors.can_cancel(self.user, self.object):
            raise PermissionDenied

    def check(self) -> None:
        if not self.reason:
            raise ActionError(_("请填写取消认定的原因。"), code="reason_required")
        if len(self.reason) > CANCEL_REASON_MAX:
            raise ActionError(
                _("取消原因不能超过 %(n)s 个字。") % {"n": CANCEL_REASON_MAX}, code="reason_too_long"
            )
        if self.category not in CancelCategory.values:
            raise ActionError(_("请选择取消类别。"), code="category_required")

    def lock(self) -> Recognition:
        return (
            Recognition.objects.select_for_update(of=("self",))
            .select_related("enterprise")
            .get(pk=self.object.pk)
        )

    def _execute(self, recognition: Recognition) -> Recognition:
        today = timezone.localdate()
        if recognition.status_on(today) != RecognitionStatus.VALID:
            raise ActionError(
                _("该认定当前状态为“%(status)s”，不能取消。")
                % {"status": RecognitionStatus(recognition.status_on(today)).label},
                code="not_in_force",
            )
        recognition.status = RecognitionStatus.CANCELLED
        recognition.cancel_category = self.category
        recognition.cancel_reason = self.reason
        recognition.cancelled_at = timezone.now()
        recognition.cancelled_by = self.user
        years = selectors.recognition_settings().fraud_bar_years
        if self.category == CancelCategory.FRAUD and years:
            # "3 年内不得再次申报": barred until the day before the anniversary, free from the anniversary
            recognition.barred_until = services.valid_until(today, years) + dt.timedelta(days=1)
        recognition.save(
            update_fields=[
                "status",
                "cancel_category",
                "cancel_reason",
                "cancelled_at",
                "cancelled_by",
                "barred_until",
            ]
        )
        services.sync_enterprise_recognition(enterprise=recognition.enterprise)
        return recognition

    def log_data(self, recognition: Recognition, result: Recognition) -> dict[str, Any]:
        return {
            "number": result.number,
            "category": result.cancel_category,
            "reason": result.cancel_reason,
            "barred_until": result.barred_until.isoformat() if result.barred_until else "",
        }

    def notify(self, recognition: Recognition, result: Recognition) -> None:
        from portal.inbox.services import notify

        body = _(
            "贵企业的%(level)s认定（认定编号：%(number)s）已于 %(date)s 被取消。取消类别：%(category)s；"
            "原因：%(reason)s"
        ) % {
            "level": result.get_level_display(),
            "number": result.number,
            "date": chinese_date(timezone.localdate(result.cancelled_at)),
            "category": result.get_cancel_category_display(),
            "reason": result.cancel_reason,
        }
        if result.barred_until:
            body += _("。%(until)s前不得提出新的申报，%(until)s起可再次申报。") % {
                "until": chinese_date(result.barred_until)
            }
        notify(
            enterprise=result.enterprise,
            category="cancellation",
            title=_("取消认定：%(level)s") % {"level": result.get_level_display()},
            body=body,
            link=reverse("renewals:index"),
            dedupe_key=f"cancellation:{result.pk}",
        )
