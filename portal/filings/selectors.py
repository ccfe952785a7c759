"""Every non-trivial read of filings: windows, requirements, prerequisites, the enterprise's filings.

- :func:`window_state` — is a level open for filing in a province now, and if not, why (F-30, FAQ 4).
- :func:`requirement_for` — the level's form and prerequisites for a province (the province's row
  over the nationwide one).
- :func:`unmet_prerequisites` — what stands between an enterprise and a filing, each with its reason
  and where to fix it (F-31, F-33, F-34; checked at 【申请】 and again at 【提交】).
- :func:`chain_for` — the review chain a filing of the enterprise is submitted into (F-40).
- :func:`level_entries` — the three levels as the centre and the filings page show them.
- :func:`filings_of_enterprise`, :func:`filing_of`, :func:`filing_for_owner` — the enterprise's own
  filings (owner-only).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from portal.accounts.access import MESSAGES as ACCOUNT_MESSAGES
from portal.accounts.access import filing_block
from portal.core.dates import chinese_date, chinese_datetime
from portal.enterprises.models import Enterprise
from portal.enterprises.selectors import enterprise_province_code, missing_profile_fields

from . import states
from .models import Filing, FilingEvent, FilingLevel, FilingRequirement, FilingWindow, ReviewChain
from .states import ChainStep, ReviewLevel, StepRole

LEVEL_RANK = {FilingLevel.INNOVATIVE: 1, FilingLevel.SPECIALIZED: 2, FilingLevel.LITTLE_GIANT: 3}
LEVEL_DESCRIPTIONS = {
    FilingLevel.INNOVATIVE: _("填写创新型中小企业自测表，提交前可查看得分与是否达标。"),
    FilingLevel.SPECIALIZED: _("申报前需先完成数字化水平评测。"),
    FilingLevel.LITTLE_GIANT: _("国家级认定，由省级主管部门推荐、工业和信息化部认定。"),
}


# --- windows ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WindowState:
    is_open: bool
    code: str  # open | not_yet_open | closed | no_window | no_province
    message: str
    window: FilingWindow | None = None  # the open one, else the next one, else the last one


def window_state(level: str, province_code: str, *, now: dt.datetime | None = None) -> WindowState:
    """Whether ``level`` is open for filing in province ``province_code`` (``xx0000``) at ``now``."""
    now = now or timezone.now()
    label = FilingLevel(level).label
    if not province_code:
        return WindowState(False, "no_province", _("请先在企业信息中填写注册地，系统据此确定申报省份。"))
    windows = FilingWindow.objects.filter(province__code=province_code, level=level)
    current = windows.filter(opens_at__lte=now, closes_at__gt=now).order_by("opens_at").first()
    if current is not None:
        return WindowState(
            True,
            "open",
            _("%(round)s申报时间：%(start)s 至 %(end)s")
            % {
                "round": current.round_label,
                "start": chinese_datetime(current.opens_at),
                "end": chinese_datetime(current.closes_at),
            },
            current,
        )
    upcoming = windows.filter(opens_at__gt=now).order_by("opens_at").first()
    if upcoming is not None:
        return WindowState(
            False,
            "not_yet_open",
            _("本省%(level)s申报尚未开放，开放时间为 %(start)s 至 %(end)s。")
            % {
                "level": label,
                "start": chinese_datetime(upcoming.opens_at),
                "end": chinese_datetime(upcoming.closes_at),
            },
            upcoming,
        )
    last = windows.order_by("-closes_at").first()
    if last is not None:
        return WindowState(
            False,
            "closed",
            _("本省%(round)s%(level)s申报已于 %(end)s 截止，下一批次开放时间请关注通知公告。")
            % {"round": last.round_label, "level": label, "end": chinese_datetime(last.closes_at)},
            last,
        )
    return WindowState(False, "no_window", _("本省尚未设置%(level)s申报时间。") % {"level": label})


# --- requirements and prerequisites -----------------------------------------------------------------


def requirement_for(level: str, province_code: str) -> FilingRequirement | None:
    """The province's own requirement of ``level`` if it has one, else the nationwide one."""
    rows = FilingRequirement.objects.filter(level=level).filter(
        Q(province__isnull=True) | Q(province__code=province_code)
    )
    rows = sorted(rows.select_related("province"), key=lambda row: row.province_id is None)
    return rows[0] if rows else None


def filing_definition_keys() -> set[str]:
    """Keys of every form that is filed only through a filing (a submit outside one is refused)."""
    return set(FilingRequirement.objects.values_list("definition_key", flat=True))


@dataclass(frozen=True)
class Unmet:
    code: str
    message: str
    fix_url: str = ""
    fix_label: str = ""


def recognition_in_force(enterprise: Enterprise, *, today: dt.date | None = None) -> str:
    """The level of the enterprise's recognition in force ("" if none).

    Reads the profile's recognition fields, which the recognition work is the only writer of.
    """
    today = today or timezone.localdate()
    if not enterprise.is_recognised or not enterprise.recognition_level:
        return ""
    if enterprise.recognition_valid_until is not None and enterprise.recognition_valid_until < today:
        return ""
    return enterprise.recognition_level


def unmet_prerequisites(
    *, enterprise: Enterprise | None, user, requirement: FilingRequirement | None, return_to: str = ""
) -> list[Unmet]:
    """Every prerequisite of ``requirement`` the enterprise does not meet, in the order a person
    meets them: account, profile, assessment, recognition."""
    unmet: list[Unmet] = []
    block = filing_block(user)
    if block is not None:
        unmet.append(
            Unmet(block, str(ACCOUNT_MESSAGES[block]), reverse("accounts:realname"), _("去实名认证"))
        )
        return unmet
    if enterprise is None:
        return [Unmet("no_enterprise", _("未找到本账号的企业信息。"))]
    from portal.recognition.selectors import application_bar

    bar = application_bar(enterprise)
    if bar is not None:
        # F-44: 数据造假 bars new applications (117号); the date is the first day it may apply again
        return [
            Unmet(
                "barred",
                _(
                    "本企业的%(level)s认定已于%(cancelled)s因“%(category)s”被取消，%(until)s前不得申报，"
                    "%(until)s起可再次申报。"
                )
                % {
                    "level": bar.get_level_display(),
                    "cancelled": chinese_date(timezone.localdate(bar.cancelled_at)),
                    "category": bar.get_cancel_category_display(),
                    "until": chinese_date(bar.barred_until),
                },
            )
        ]
    if requirement is None:
        return [Unmet("no_requirement", _("该级别暂未配置申报条件，请联系管理员。"))]
    if requirement.requires_complete_profile:
        missing = missing_profile_fields(enterprise)
        if missing:
            edit_url = reverse("enterprises:edit") + (
                "?" + urlencode({"next": return_to}) if return_to else ""
            )
            unmet.append(
                Unmet(
                    "profile_incomplete",
                    _("请先完善企业基本信息：%(fields)s。") % {"fields": "、".join(missing)},
                    edit_url,
                    _("【编辑】企业信息"),
                )
            )
    if requirement.requires_assessment:
        from portal.assessments.selectors import assessment_block

        if assessment_block(enterprise) is not None:
            unmet.append(
                Unmet(
                    "assessment_required",
                    _("请先完成数字化水平评测，完成后才可进行%(level)s申报。")
                    % {"level": FilingLevel(requirement.level).label},
                    reverse("assessments:index"),
                    _("【去自评】"),
                )
            )
    if requirement.requires_recognition:
        held = recognition_in_force(enterprise)
        needed = requirement.requires_recognition
        if not held or LEVEL_RANK[FilingLevel(held)] < LEVEL_RANK[FilingLevel(needed)]:
            unmet.append(
                Unmet(
                    "recognition_required",
                    _("申报%(level)s须为有效期内的%(needed)s，本企业暂不满足。")
                    % {"level": FilingLevel(requirement.level).label, "needed": FilingLevel(needed).label},
                )
            )
    return unmet


# --- the review chain -----------------------------------------------------------------------------

DEFAULT_CHAINS: dict[str, tuple[ChainStep, ...]] = {
    FilingLevel.INNOVATIVE: (
        ChainStep(ReviewLevel.COUNTY),
        ChainStep(ReviewLevel.CITY),
        ChainStep(ReviewLevel.PROVINCE, StepRole.DECIDE),
    ),
    FilingLevel.SPECIALIZED: (
        ChainStep(ReviewLevel.COUNTY),
        ChainStep(ReviewLevel.CITY),
        ChainStep(ReviewLevel.PROVINCE, StepRole.DECIDE),
    ),
    FilingLevel.LITTLE_GIANT: (
        ChainStep(ReviewLevel.COUNTY),
        ChainStep(ReviewLevel.CITY),
        ChainStep(ReviewLevel.PROVINCE, StepRole.RECOMMEND),
        ChainStep(ReviewLevel.MINISTRY, StepRole.DECIDE),
    ),
}


MUNICIPALITIES = frozenset({"110000", "120000", "310000", "500000"})


def configured_chain(level: str, province_code: str) -> list[ChainStep]:
    """The province's 审核流程 of ``level``, else the nationwide one, else the built-in default."""
    rows = ReviewChain.objects.filter(level=level).filter(
        Q(province__isnull=True) | Q(province__code=province_code)
    )
    row = sorted(rows, key=lambda r: r.province_id is None)[0] if rows else None
    return row.chain_steps if row is not None else list(DEFAULT_CHAINS[FilingLevel(level)])


def chain_for(level: str, enterprise: Enterprise) -> list[ChainStep]:
    """The review chain a filing of ``enterprise`` at ``level`` is submitted into.

    An enterprise registered in a prefecture without counties (东莞市 441900, 中山市 442000) has no
    county step; one in a municipality (北京, 天津, 上海, 重庆) no city step — its districts report
    to the municipality itself.
    """
    province = enterprise_province_code(enterprise)
    chain = configured_chain(level, province)
    region = enterprise.region
    if region is not None and region.level != "county":
        chain = [step for step in chain if step.level != ReviewLevel.COUNTY]
    if province in MUNICIPALITIES:
        chain = [step for step in chain if step.level != ReviewLevel.CITY]
    return chain


# --- the enterprise's filings ---------------------------------------------------------------------


def filings_of_enterprise(enterprise: Enterprise | None) -> QuerySet[Filing]:
    """The enterprise's filings, newest first, with what the history list shows."""
    if enterprise is None:
        return Filing.objects.none()
    return (
        Filing.objects.filter(enterprise=enterprise)
        .select_related("window__province", "renewal_of", "evidence", "submission__version")
        .defer(
            "submission__answers",
            "submission__wizard_state",
            "submission__score",
            "submission__version__schema",
        )
        .order_by("-created_at", "-pk")
    )


def filing_of(enterprise: Enterprise | None, pk: int) -> Filing | None:
    """Filing ``pk`` if it belongs to ``enterprise`` (None otherwise: the page answers 404)."""
    if enterprise is None:
        return None
    return (
        Filing.objects.filter(enterprise=enterprise, pk=pk)
        .select_related("window__province", "evidence", "submission__version__definition", "enterprise")
        .prefetch_related(
            Prefetch(
                "events", queryset=FilingEvent.objects.order_by("created_at", "pk").prefetch_related("notes")
            )
        )
        .first()
    )


# what the filing's pages show of it (the enterprise's region decides the province and the chain)
_PAGE_RELATED = (
    "window__province",
    "renewal_of",
    "evidence",
    "submission__version__definition",
    "enterprise__region",
    "enterprise__industry",
)
# the wizard (every 【暂存】 comes through it) shows neither the evidence nor the province's name
_WIZARD_RELATED = (
    "window",
    "renewal_of",
    "submission__version__definition",
    "enterprise__region",
    "enterprise__industry",
)

# 【暂存】 in place answers with the revision and the step's notes, no page: neither the window nor
# the recognition being renewed (each join cost PostgreSQL about 0.1 ms of planning per save)
_SAVE_RELATED = (
    "submission__version__definition",
    "enterprise__region",
    "enterprise__industry",
)


def filing_for_owner(
    user, pk: int, *, with_timeline: bool = False, for_wizard: bool = False, in_place: bool = False
) -> Filing | None:
    """Filing ``pk`` if it belongs to the enterprise ``user`` owns (None otherwise: the page
    answers 404), with the enterprise, window, submission and version the filing's pages show: one
    query for every request of those pages (the wizard's pages, ``for_wizard``: fewer joins; its
    【暂存】 in place, ``in_place``: fewer still), plus one for the timeline when asked."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    related = _SAVE_RELATED if in_place else _WIZARD_RELATED if for_wizard else _PAGE_RELATED
    queryset = Filing.objects.filter(pk=pk, enterprise__owner_id=user.pk).select_related(*related)
    if with_timeline:
        queryset = queryset.prefetch_related(
            Prefetch("events", queryset=FilingEvent.objects.order_by("created_at", "pk"))
        )
    try:
        # get(), not first(): a lookup by pk needs no ORDER BY (compiling it cost a third of a
        # millisecond of every 【暂存】)
        filing = queryset.get()
    except Filing.DoesNotExist:
        return None
    filing.enterprise.owner = user  # the filter made sure: no second read of the user
    return filing


def open_filing(enterprise: Enterprise, level: str, window: FilingWindow | None) -> Filing | None:
    if window is None:
        return None
    return (
        Filing.objects.filter(enterprise=enterprise, level=level, window=window)
        .exclude(state=states.State.WITHDRAWN)
        .first()
    )


@dataclass
class LevelEntry:
    level: str
    label: str
    description: str
    window: WindowState
    filing: Filing | None = None  # the filing of the open window, else the latest one in review
    unmet: list[Unmet] = field(default_factory=list)

    @property
    def action(self) -> str:
        """apply | continue | view | closed | blocked"""
        if self.filing is not None and self.filing.is_editable and self.window.is_open:
            return "continue"
        if self.filing is not None and not self.filing.is_editable:
            return "view"
        if not self.window.is_open:
            return "closed"
        return "blocked" if self.unmet else "apply"


def level_entries(enterprise: Enterprise | None, user, *, now: dt.datetime | None = None) -> list[LevelEntry]:
    """The three levels for the centre and the filings page: window state, the current filing and
    what is unmet. A handful of queries whatever the history holds."""
    province = enterprise_province_code(enterprise) if enterprise is not None else ""
    entries = []
    recent = {}
    if enterprise is not None:
        for filing in (
            Filing.objects.filter(enterprise=enterprise, kind=Filing.Kind.APPLICATION)
            .exclude(state=states.State.WITHDRAWN)
            .select_related("window")
            .only(
                "pk",
                "level",
                "state",
                "step",
                "chain",
                "window",
                "window__year",
                "window__batch",
                "submitted_at",
                "created_at",
            )
            .order_by("-created_at")
        ):
            recent.setdefault(filing.level, []).append(filing)
    for level in FilingLevel:
        state = window_state(level, province, now=now)
        candidates = recent.get(level, [])
        filing = next(
            (f for f in candidates if state.window is not None and f.window_id == state.window.pk), None
        )
        if filing is None:
            filing = next((f for f in candidates if f.state not in states.FINAL_STATES), None)
        unmet = []
        if filing is None and state.is_open:
            unmet = unmet_prerequisites(
                enterprise=enterprise,
                user=user,
                requirement=requirement_for(level, province),
                return_to=reverse("filings:index"),
            )
        entries.append(
            LevelEntry(level, str(level.label), str(LEVEL_DESCRIPTIONS[level]), state, filing, unmet)
        )
    return entries


def field_annotations(filing: Filing) -> dict[str, list[str]]:
    """Notes beside fields of the filing's form: where a prefilled value comes from (indicator 5
    数字化水平 from the latest assessment, with its date: refreshed until 【提交】, FAQ 6)."""
    from portal.assessments.prefill import SOURCE as ASSESSMENT_SOURCE
    from portal.assessments.selectors import latest_assessment

    keys = [f.key for f in filing.submission.version.parsed.value_fields if f.prefill == ASSESSMENT_SOURCE]
    if not keys:
        return {}
    latest = latest_assessment(filing.enterprise)
    if latest is None:
        note = _("尚无数字化水平评测结果：请先完成数字化水平评测，结果将自动填入此处。")
    else:
        note = _(
            "取自 %(when)s 提交的数字化水平评测（%(level)s，%(total)s 分）；提交申报前如重新评测，将自动更新为最新一次结果。"
        ) % {
            "when": chinese_datetime(latest.submitted_at),
            "level": latest.level_label,
            "total": latest.total_text,
        }
    return {key: [note] for key in keys}


def filing_window_state(filing: Filing, *, now: dt.datetime | None = None) -> WindowState:
    """The state of the filing's own window (a filing is submitted in the round it was started in)."""
    window = filing.window
    now = now or timezone.now()
    if window is None:  # a 复核: open until the recognition's last day
        if filing.accepts_submission(now):
            return WindowState(
                True,
                "open",
                _("复核提交截止日期：%(end)s（原认定有效期最后一天）") % {"end": filing.deadline_label},
            )
        return WindowState(
            False,
            "closed",
            _("原认定已于 %(end)s 到期，复核不能再提交。") % {"end": filing.deadline_label},
        )
    if window.is_open(now):
        return WindowState(
            True, "open", _("本批次截止时间：%(end)s") % {"end": chinese_datetime(window.closes_at)}, window
        )
    if now < window.opens_at:
        return WindowState(
            False,
            "not_yet_open",
            _("本批次开放时间为 %(start)s。") % {"start": chinese_datetime(window.opens_at)},
            window,
        )
    return WindowState(
        False,
        "closed",
        _("%(round)s申报已于 %(end)s 截止，不能再提交。")
        % {"round": window.round_label, "end": chinese_datetime(window.closes_at)},
        window,
    )


@dataclass
class ReturnInfo:
    event: FilingEvent
    field_notes: dict[str, list[str]]  # field key → the reviewer's notes
    evidence_notes: list[str]
    general: str  # the return's reason
    by: str  # the step that returned it: 市级审核 …


def latest_return(filing: Filing) -> ReturnInfo | None:
    """The latest 退回 of a filing that is 已退回 now (None otherwise), with its anchored notes."""
    if filing.state != states.State.RETURNED:
        return None
    event = (
        filing.events.filter(action=states.Action.RETURN)
        .prefetch_related("notes")
        .order_by("-created_at", "-pk")
        .first()
    )
    if event is None:
        return None
    field_notes: dict[str, list[str]] = {}
    evidence_notes = []
    for note in event.notes.all():
        if note.kind == "field" and note.field_key:
            field_notes.setdefault(note.field_key, []).append(note.comment)
        elif note.kind == "evidence":
            evidence_notes.append(note.comment)
    return ReturnInfo(event, field_notes, evidence_notes, event.comment, str(event.data.get("step", "")))
