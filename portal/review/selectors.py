"""Every read of the review side: scopes, the queue, one filing as a reviewer sees it.

- :func:`reviewer_scope` — the staff member's :class:`ReviewerScope` row (cached on the user).
- :func:`staff_region` — ``PORTAL_STAFF_REGION_RESOLVER``: the region every staff screen is cut
  to (``portal.core.scopes.staff_region_code``), taken from the ReviewerScope.
- :func:`managed_province` — the province whose reviewer scopes a 省级管理员 manages.
- :func:`scope_of` — the user's review scope (a superuser's covers every level and region).
- :func:`filings_visible_to` — the filings a reviewer may see: registered inside the scope's region,
  having reached the scope's level. The queue (待审核 at my level) is a filter of it.
- :func:`can_view`, :func:`can_act` — per-object checks every review view makes.
- :func:`state_counts` — counts per state of a queryset (one grouped query).
- :func:`review_page` — everything the reviewer's page of one filing shows.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from forms_engine.answers import AnswerChange, answers_display, diff_answers
from forms_engine.models import FormSubmissionRevision
from portal.core.scopes import ALL_REGIONS
from portal.filings import states
from portal.filings.models import Filing, FilingEvent, ReturnNote, ScoreAdjustment
from portal.filings.presenters import ScoreView, Step, answer_steps, latest_submitted, points_text
from portal.filings.states import ReviewLevel, State

from .models import ReviewerScope


@dataclass(frozen=True)
class Scope:
    level: str  # a ReviewLevel, or "" for a superuser (every level)
    prefix: str  # the 注册地 code prefix covered; "" = the whole country
    label: str

    @property
    def rank(self) -> int:
        return states.level_rank(self.level) if self.level else 0

    @property
    def is_everything(self) -> bool:
        return not self.level and not self.prefix


_SCOPE_CACHE = "_portal_reviewer_scope"


def reviewer_scope(user) -> ReviewerScope | None:
    """The ReviewerScope of an active staff member (None: none, or not staff). Read once per user
    object: every staff screen asks several times per request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active or not user.is_staff:
        return None
    if not hasattr(user, _SCOPE_CACHE):
        setattr(user, _SCOPE_CACHE, ReviewerScope.objects.select_related("region").filter(user=user).first())
    return getattr(user, _SCOPE_CACHE)


def staff_region(user) -> str | None:
    """``PORTAL_STAFF_REGION_RESOLVER`` (asked by ``portal.core.scopes.staff_region_code`` for
    non-superusers): the region code of the user's scope — a county, a prefecture or a province —
    ``ALL_REGIONS`` (None) for a 部级 scope (the whole country), "" without a scope (sees no
    regional records)."""
    scope = reviewer_scope(user)
    if scope is None:
        return ""
    if scope.level == ReviewLevel.MINISTRY:
        return ALL_REGIONS
    return scope.region_code


def managed_province(user) -> str | None:
    """The province (``xx0000``) whose reviewer scopes ``user`` manages: ``ALL_REGIONS`` for a
    superuser, the region of a 省级 scope, else "" (nothing — a county or city scope never manages
    scopes, whatever groups the account is in)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ""
    if user.is_superuser:
        return ALL_REGIONS
    scope = reviewer_scope(user)
    if scope is None or scope.level != ReviewLevel.PROVINCE or not scope.region_id:
        return ""
    return scope.region_code


def scope_of(user) -> Scope | None:
    """The user's review scope of filings, or None (not a reviewer: no scope, or no
    ``filings.review_filing``)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.is_superuser:
        return Scope("", "", _("全国·全部层级"))
    if not user.has_perm("filings.review_filing"):
        return None
    scope = reviewer_scope(user)
    if scope is None:
        return None
    return Scope(scope.level, scope.prefix, scope.label)


def _in_region(queryset: QuerySet[Filing], prefix: str) -> QuerySet[Filing]:
    return queryset.filter(region_code__startswith=prefix) if prefix else queryset


def filings_visible_to(user, scope: Scope | None = None) -> QuerySet[Filing]:
    """Filings of enterprises registered inside the scope that reached the scope's level."""
    scope = scope if scope is not None else scope_of(user)
    if scope is None:
        return Filing.objects.none()
    queryset = _in_region(Filing.objects.all(), scope.prefix)
    if scope.level:
        queryset = queryset.filter(reached_rank__gte=scope.rank)
    else:
        queryset = queryset.exclude(state__in=[State.DRAFT, State.WITHDRAWN]).exclude(reached_rank=0)
    return queryset


def queue_for(user, scope: Scope | None = None) -> QuerySet[Filing]:
    """待审核 at the reviewer's level in their region (a superuser: 待审核 at any level)."""
    scope = scope if scope is not None else scope_of(user)
    queryset = filings_visible_to(user, scope).filter(state=State.PENDING)
    return queryset.filter(current_level=scope.level) if scope and scope.level else queryset


def can_view(user, filing: Filing) -> bool:
    scope = scope_of(user)
    if scope is None:
        return False
    if filing.reached_rank == 0:
        return False
    in_region = not scope.prefix or filing.region_code.startswith(scope.prefix)
    return in_region and (not scope.level or filing.reached_rank >= scope.rank)


def can_act(user, filing: Filing) -> bool:
    """Whether the user is the current processing level of this filing (F-41: only they act)."""
    scope = scope_of(user)
    if scope is None or filing.state != State.PENDING:
        return False
    in_region = not scope.prefix or filing.region_code.startswith(scope.prefix)
    return in_region and (not scope.level or scope.level == filing.current_level)


def state_counts(queryset: QuerySet[Filing]) -> dict[str, int]:
    rows = queryset.order_by().values("state").annotate(n=Count("pk"))
    counts = {state.value: 0 for state in State}
    counts.update({row["state"]: row["n"] for row in rows})
    return counts


# --- one filing --------------------------------------------------------------------------------


@dataclass
class ItemRow:
    key: str
    label: str
    group: str
    self_points: str
    max_points: str
    verified: str  # the verified points in force ("" = not adjusted)
    explanation: str
    adjustments: list[ScoreAdjustment] = field(default_factory=list)


@dataclass
class ReviewPage:
    filing: Filing
    steps: list[Step]
    score: ScoreView | None
    items: list[ItemRow]
    verified_total: str
    events: list[FilingEvent]
    notes: list[ReturnNote]  # of the latest return
    changes: list[AnswerChange]  # since the latest return (resubmitted filings)
    changes_since: FormSubmissionRevision | None
    earlier: list[Filing]
    can_act: bool
    can_return: bool
    fields: list[tuple[str, str]]  # (key, label) of the form's questions, for 退回 notes


def verified_points(filing: Filing) -> dict[str, ScoreAdjustment]:
    """Per indicator, the adjustment in force: the one of the highest level, latest first."""
    chosen: dict[str, ScoreAdjustment] = {}
    for adjustment in filing.score_adjustments.order_by("created_at", "pk"):
        current = chosen.get(adjustment.item_key)
        if current is None or states.level_rank(adjustment.level) >= states.level_rank(current.level):
            chosen[adjustment.item_key] = adjustment
    return chosen


def verified_total(filing: Filing, score: dict[str, Any] | None) -> Decimal | None:
    """The self-score with every adjustment in force applied (None without adjustments)."""
    chosen = verified_points(filing)
    if not chosen or filing.self_score is None:
        return None
    total = Decimal(filing.self_score)
    for adjustment in chosen.values():
        total += adjustment.verified_points - adjustment.self_points
    return total


def _changes(filing: Filing, submitted: FormSubmissionRevision | None):
    """What changed between the state that was returned and the latest submitted one."""
    if submitted is None or submitted.number < 2:
        return [], None
    returned = (
        filing.submission.revisions.filter(number__lt=submitted.number, reopened_at__isnull=False)
        .select_related("version")
        .order_by("-number")
        .first()
    )
    if returned is None:
        return [], None
    return diff_answers(submitted.version.parsed, returned.answers, submitted.answers), returned


def review_page(user, filing: Filing) -> ReviewPage:
    submitted = latest_submitted(filing)
    version = submitted.version if submitted is not None else filing.submission.version
    schema = version.parsed
    answers = submitted.answers if submitted is not None else filing.submission.answers
    context = submitted.context if submitted is not None else filing.submission.context
    raw_score = submitted.score if submitted is not None else None
    chosen = verified_points(filing)
    by_item = {
        key: list(group)
        for key, group in itertools.groupby(
            filing.score_adjustments.order_by("item_key", "-created_at", "-pk"), key=lambda a: a.item_key
        )
    }
    items = [
        ItemRow(
            key=item["key"],
            label=item["label"],
            group=item.get("group") or "",
            self_points=points_text(item.get("points")),
            max_points=points_text(item.get("max")),
            verified=points_text(chosen[item["key"]].verified_points) if item["key"] in chosen else "",
            explanation=item.get("explanation") or "",
            adjustments=by_item.get(item["key"], []),
        )
        for item in (raw_score or {}).get("items") or []
        if item.get("applicable", True)
    ]
    last_return = filing.events.filter(action=states.Action.RETURN).order_by("-created_at", "-pk").first()
    changes, since = _changes(filing, submitted)
    total = verified_total(filing, raw_score)
    return ReviewPage(
        filing=filing,
        steps=answer_steps(answers_display(schema, answers, context=context)),
        score=ScoreView.from_dict(raw_score),
        items=items,
        verified_total=points_text(total) if total is not None else "",
        events=list(filing.events.select_related("actor").order_by("created_at", "pk")),
        notes=list(last_return.notes.all()) if last_return is not None else [],
        changes=changes,
        changes_since=since,
        earlier=list(
            Filing.objects.filter(enterprise=filing.enterprise)
            .exclude(pk=filing.pk)
            .exclude(state=State.DRAFT)
            .select_related("window")
            .order_by("-created_at")
        ),
        can_act=can_act(user, filing),
        can_return=can_act(user, filing) and filing.accepts_submission(),
        fields=[(f.key, f.label) for f in schema.value_fields],
    )


def filing_for_reviewer(user, pk: Any) -> Filing | None:
    """Filing ``pk`` if the user may see it (None: the page answers 404)."""
    try:
        filing = (
            Filing.objects.select_related(
                "enterprise__region",
                "enterprise__industry",
                "window__province",
                "evidence",
                "submission__version__definition",
            )
            .filter(pk=int(pk))
            .first()
        )
    except (TypeError, ValueError):
        return None
    return filing if filing is not None and can_view(user, filing) else None


def level_label(level: str) -> str:
    return str(ReviewLevel(level).label) if level else ""


def latest_score(filing: Filing) -> dict[str, Any] | None:
    """The score of the filing's latest submitted state (what reviewers verify against)."""
    submitted = latest_submitted(filing)
    return submitted.score if submitted is not None else None
