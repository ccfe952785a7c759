"""The filing (企业申报, SPEC F-31–F-37) and its timeline.

- :class:`Filing` — one enterprise's filing of one level in one window. It owns its engine
  submission 1:1 (PROTECT: the answers are the record), holds the evidence zip it was submitted
  with, the review chain in force when it was submitted and its position on it. Its state moves
  only through :func:`portal.filings.services.apply_transition` (the graph is
  :mod:`portal.filings.states`).
- :class:`FilingEvent` — one line of the timeline: who, when, from which position to which, why.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.dates import chinese_date, chinese_datetime
from portal.filings import states
from portal.filings.states import ChainStep, ReviewLevel, State

from .windows import FilingLevel

# what the review queue filters and sorts on besides its keys (portal.review.views.FilingQueueView)
QUEUE_COLUMNS = ["reached_rank", "level", "window", "submitted_at", "self_score", "verified_score", "id"]


class FilingKind(models.TextChoices):
    APPLICATION = "application", _("申报")
    # 复核 (F-26, F-43): a recognised enterprise's review before expiry; no 申报时间 window, linked to
    # the recognition it renews (portal.lifecycle)
    RENEWAL = "renewal", _("复核")


class Filing(models.Model):
    State = State
    Level = FilingLevel
    Kind = FilingKind

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="filings"
    )
    level = models.CharField(_("申报级别"), max_length=16, choices=FilingLevel.choices)
    kind = models.CharField(
        _("类型"), max_length=16, choices=FilingKind.choices, default=FilingKind.APPLICATION, db_index=True
    )
    # an application's 申报时间; empty for a 复核, whose time limit is its recognition's renewal window
    window = models.ForeignKey(
        "filings.FilingWindow",
        verbose_name=_("申报批次"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="filings",
    )
    renewal_of = models.ForeignKey(
        "recognition.Recognition",
        verbose_name=_("复核的认定"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="renewals",
    )
    submission = models.OneToOneField(
        "forms_engine.FormSubmission",
        verbose_name=_("申报表"),
        on_delete=models.PROTECT,
        related_name="filing",
    )
    evidence = models.ForeignKey(
        "filings.EvidenceArchive",
        verbose_name=_("其他材料"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="filings",
    )
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.DRAFT)
    # The chain in force when the filing was (first) submitted: [{"level": "county", "role": …}, …]
    chain = models.JSONField(_("审核流程"), default=list, blank=True)
    step = models.PositiveSmallIntegerField(_("当前审核步骤"), null=True, blank=True)
    current_level = models.CharField(
        _("当前处理层级"), max_length=16, choices=ReviewLevel.choices, blank=True, db_index=True
    )
    # Where the enterprise is registered (the review scope), kept with the filing for the queues
    region_code = models.CharField(_("注册地代码"), max_length=6, blank=True, db_index=True)
    province_code = models.CharField(_("省份代码"), max_length=6, blank=True)
    # the highest review level the filing has reached (0 none, 1 县/区 … 4 部): reviewers of a
    # level see the filings that reached it, whatever happened to them afterwards
    reached_rank = models.PositiveSmallIntegerField(_("已到达审核层级"), default=0)
    self_score = models.DecimalField(_("自评得分"), max_digits=10, decimal_places=4, null=True, blank=True)
    verified_score = models.DecimalField(
        _("核定得分"),
        max_digits=10,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("认定层级核定的总分；未核定时以自评得分为准。"),
    )
    max_score = models.DecimalField(_("满分"), max_digits=10, decimal_places=4, null=True, blank=True)
    qualified = models.BooleanField(_("自评达标"), null=True, blank=True)
    outcome_label = models.CharField(_("自评结论"), max_length=100, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    first_submitted_at = models.DateTimeField(_("首次提交时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("企业申报")
        verbose_name_plural = _("企业申报")
        ordering = ["-created_at", "-pk"]
        permissions = [("review_filing", _("可审核企业申报"))]
        constraints = [
            # F-37: one open filing per level per enterprise per round; 【申请】 again resumes it
            models.UniqueConstraint(
                fields=["enterprise", "level", "window"],
                condition=~Q(state=State.WITHDRAWN),
                name="filings_one_open_per_level_window",
            ),
            # one open 复核 per recognition: 【去复核】 twice resumes it
            models.UniqueConstraint(
                fields=["renewal_of"],
                condition=Q(renewal_of__isnull=False) & ~Q(state=State.WITHDRAWN),
                name="filings_one_open_renewal",
            ),
            models.CheckConstraint(
                condition=(Q(kind="application") & Q(window__isnull=False) & Q(renewal_of__isnull=True))
                | (Q(kind="renewal") & Q(window__isnull=True) & Q(renewal_of__isnull=False)),
                name="filings_kind_window_or_recognition",
            ),
        ]
        indexes = [
            models.Index(fields=["enterprise", "level"], name="filings_enterprise_level"),
            # the queues: "待审核 at my level in my region" and "everything that reached my level in my
            # region"; region_code is matched by prefix (LIKE '44%'), hence the pattern operator class
            # on PostgreSQL (ignored elsewhere)
            # Covering (INCLUDE, PostgreSQL; plain indexes elsewhere): the queue's counts, the
            # 统计概览's grouped count and the page of ids (ordered by any sortable column) are read
            # from the index alone; docs/reports.md "Benchmarks".
            models.Index(
                fields=["current_level", "state", "region_code"],
                name="filings_queue_cover",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops", "varchar_pattern_ops"],
                include=QUEUE_COLUMNS,
            ),
            models.Index(
                fields=["region_code", "reached_rank"],
                name="filings_reached_cover",
                opclasses=["varchar_pattern_ops", "int2_ops"],
                include=["state", "current_level", *QUEUE_COLUMNS[1:]],
            ),
            # the ministry's scope (no region): everything that reached a rank
            models.Index(
                fields=["reached_rank", "state"],
                name="filings_rank_cover",
                include=["current_level", "region_code", *QUEUE_COLUMNS[1:]],
            ),
            models.Index(fields=["province_code", "level", "state"], name="filings_dashboard"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.get_level_display()} · {self.round_label}"

    @property
    def is_renewal(self) -> bool:
        return self.kind == FilingKind.RENEWAL

    @property
    def chain_steps(self) -> list[ChainStep]:
        return [ChainStep.from_dict(step) for step in self.chain or []]

    @property
    def position(self) -> states.Position:
        return states.Position(self.state, self.step)

    @property
    def state_label(self) -> str:
        return states.state_label(self.state, self.step, self.chain_steps)

    @property
    def is_editable(self) -> bool:
        return self.state in states.EDITABLE_STATES

    @property
    def has_points(self) -> bool:
        """Whether the form scores in points (小巨人's form only checks conditions: a total of 0 and
        no maximum), as the engine's explanation decides."""
        if self.max_score is not None:
            return self.max_score > 0
        return bool(self.self_score)

    @property
    def score_text(self) -> str:
        return _points(self.self_score) if self.has_points else ""

    @property
    def verified_text(self) -> str:
        return _points(self.verified_score) if self.has_points else ""

    @property
    def score_cell(self) -> str:
        """The self-score as a list shows it: “85 分”, the outcome of a form without points, or —."""
        if self.score_text:
            return _("%(points)s 分") % {"points": self.score_text}
        return self.outcome_label or "—"

    @property
    def verified_cell(self) -> str:
        """The verified score as a list shows it: “80 分”, or — (none recorded, or no points)."""
        return _("%(points)s 分") % {"points": self.verified_text} if self.verified_text else "—"

    @property
    def round_label(self) -> str:
        if self.window_id is None:
            return str(_("复核（原认定有效期至 %(until)s）")) % {
                "until": f"{self.renewal_of.valid_until:%Y-%m-%d}" if self.renewal_of_id else ""
            }
        return self.window.round_label

    @property
    def year(self) -> int:
        """The filing's year: its round's, or for a 复核 the year it was started in."""
        if self.window_id is not None:
            return self.window.year
        return timezone.localtime(self.created_at).year if self.created_at else timezone.localdate().year

    def accepts_submission(self, now=None) -> bool:
        """Whether the enterprise may still (re)submit: its round is open, or for a 复核 the
        recognition has not expired (the renewal window ends on the last day of validity)."""
        now = now or timezone.now()
        if self.window_id is not None:
            return self.window.is_open(now)
        return self.renewal_of_id is not None and self.renewal_of.valid_until >= timezone.localdate(now)

    @property
    def deadline_label(self) -> str:
        if self.window_id is not None:
            return chinese_datetime(self.window.closes_at)
        return chinese_date(self.renewal_of.valid_until) if self.renewal_of_id else ""


def _points(value) -> str:
    if value is None:
        return ""
    number = Decimal(value).normalize()
    return f"{number.quantize(Decimal(1)) if number == number.to_integral_value() else number:f}"


class FilingEvent(models.Model):
    """One entry of a filing's timeline (F-41: who, when, from/to state, comment)."""

    class ActorRole(models.TextChoices):
        ENTERPRISE = "enterprise", _("企业")
        REVIEWER = "reviewer", _("审核人员")
        SYSTEM = "system", _("系统")

    filing = models.ForeignKey(
        Filing, verbose_name=_("申报"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("操作"), max_length=32)
    from_state = models.CharField(_("原状态"), max_length=16, blank=True)
    to_state = models.CharField(_("新状态"), max_length=16, blank=True)
    from_level = models.CharField(_("原处理层级"), max_length=16, blank=True)
    to_level = models.CharField(_("新处理层级"), max_length=16, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("操作人"), max_length=150, blank=True)
    actor_role = models.CharField(_("操作方"), max_length=16, choices=ActorRole.choices)
    comment = models.TextField(_("意见"), blank=True)
    # the submission's history entry this event produced or acted on (FormSubmissionRevision.number)
    submission_revision = models.PositiveIntegerField(_("答卷版本"), null=True, blank=True)
    data = models.JSONField(_("附加信息"), default=dict, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("申报记录")
        verbose_name_plural = _("申报记录")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.filing_id} {self.action} {self.from_state}→{self.to_state}"

    @property
    def action_label(self) -> str:
        labels = {**{a.value: a.label for a in states.Action}, **EVENT_LABELS}
        return str(labels.get(self.action, self.action))

    @property
    def to_label(self) -> str:
        if not self.to_state:
            return ""
        level = ReviewLevel(self.to_level).label if self.to_level else ""
        label = str(State(self.to_state).label)
        return f"{label}（{level}级）" if self.to_state == State.PENDING and level else label


# Timeline entries that are not transitions of the graph
EVENT_LABELS = {
    "create": _("开始填写"),
    "evidence": _("更换其他材料"),
    "adjust_score": _("核定得分"),
}
