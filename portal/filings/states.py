"""The filing's state machine: the one place that says which state may follow which (pure, no DB).

A filing is a position — a :class:`State` and, while it is under review, the index of its *step*
in the review chain it was submitted into. Chains are lists of :class:`ChainStep` (a review
level and its role); a filing keeps the chain in force when it was submitted (SPEC F-40).

::

    草稿 ──submit──▶ 待审核@step0 ──pass──▶ 待审核@step1 … ──pass (deciding step)──▶ 审核通过
      │               │    ▲                                                        │
      │            return  │ resubmit (back to the step that returned it)      publicise
      │               ▼    │                                                        ▼
      ├──withdraw── 已退回 ─┘                                       公示中 ──recognise──▶ 已认定
      ▼               │
    已撤回 ◀─withdraw──┘            待审核@any ──reject──▶ 未通过

:func:`transition` answers the next position or raises :class:`TransitionNotAllowedError`. What
*may* act (the enterprise, which reviewer, while the window is open) is decided by the services and
the review actions; this module only knows the graph.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PENDING = "pending", _("待审核")
    RETURNED = "returned", _("已退回")
    APPROVED = "approved", _("审核通过")
    PUBLICISING = "publicising", _("公示中")
    RECOGNISED = "recognised", _("已认定")
    REJECTED = "rejected", _("未通过")
    WITHDRAWN = "withdrawn", _("已撤回")


class ReviewLevel(models.TextChoices):
    """The administrative level a review step is taken at (F-40)."""

    COUNTY = "county", _("县/区")
    CITY = "city", _("市")
    PROVINCE = "province", _("省")
    MINISTRY = "ministry", _("部")


class StepRole(models.TextChoices):
    REVIEW = "review", _("审核")
    RECOMMEND = "recommend", _("推荐")
    DECIDE = "decide", _("认定")


class Action(models.TextChoices):
    SUBMIT = "submit", _("提交申报")
    RESUBMIT = "resubmit", _("修改后重新提交")
    WITHDRAW = "withdraw", _("撤回")
    PASS = "pass", _("通过")
    RETURN = "return", _("退回")
    REJECT = "reject", _("不通过")
    PUBLICISE = "publicise", _("公示")
    RECOGNISE = "recognise", _("认定")


# The enterprise may still change what it filed: 【暂存】 and 【提交】 work in these states.
EDITABLE_STATES = frozenset({State.DRAFT, State.RETURNED})
# States in which a filing still counts as "the open filing" of its level and window (F-37);
# a withdrawn filing makes room for a new 【申请】.
OPEN_STATES = frozenset(set(State) - {State.WITHDRAWN})
# The filing left the enterprise's hands and nobody can change it any more.
FINAL_STATES = frozenset({State.RECOGNISED, State.REJECTED, State.WITHDRAWN})


@dataclass(frozen=True)
class ChainStep:
    level: str  # a ReviewLevel value
    role: str = StepRole.REVIEW

    def as_dict(self) -> dict[str, str]:
        return {"level": self.level, "role": self.role}

    @classmethod
    def from_dict(cls, raw: dict[str, str]) -> ChainStep:
        return cls(level=raw["level"], role=raw.get("role", StepRole.REVIEW))

    @property
    def label(self) -> str:
        return f"{ReviewLevel(self.level).label}级{StepRole(self.role).label}"


Chain = Sequence[ChainStep]


@dataclass(frozen=True)
class Position:
    state: str
    step: int | None = None  # index into the chain while 待审核; the returning step while 已退回


class TransitionNotAllowedError(Exception):
    """``action`` is not possible from ``position``; ``code`` is stable."""

    def __init__(self, action: str, position: Position, code: str = "transition_not_allowed"):
        super().__init__(f"{action} not allowed from {position.state}@{position.step}")
        self.action = action
        self.position = position
        self.code = code


class ChainInvalidError(ValueError):
    """A chain that cannot be followed: empty, a level twice, or not ending with a deciding step."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.code = code


LEVEL_ORDER = [ReviewLevel.COUNTY, ReviewLevel.CITY, ReviewLevel.PROVINCE, ReviewLevel.MINISTRY]


def level_rank(level: str) -> int:
    """1 县/区, 2 市, 3 省, 4 部 (0 for none)."""
    return LEVEL_ORDER.index(ReviewLevel(level)) + 1 if level else 0


def check_chain(chain: Chain) -> None:
    """Raise ChainInvalidError unless ``chain`` goes strictly up the levels and ends deciding."""
    if not chain:
        raise ChainInvalidError(str(_("审核流程至少需要一个审核层级。")), "chain_empty")
    ranks = [LEVEL_ORDER.index(ReviewLevel(step.level)) for step in chain]
    if ranks != sorted(set(ranks)):
        raise ChainInvalidError(str(_("审核层级须自下而上排列，且每一级只出现一次。")), "chain_order")
    if chain[-1].role != StepRole.DECIDE or any(step.role == StepRole.DECIDE for step in chain[:-1]):
        raise ChainInvalidError(str(_("审核流程的最后一级（且只有最后一级）为认定层级。")), "chain_decider")


def _require(condition: bool, action: str, position: Position, code: str = "transition_not_allowed") -> None:
    if not condition:
        raise TransitionNotAllowedError(action, position, code)


def transition(position: Position, action: str, chain: Chain) -> Position:
    """The position after ``action``; raises TransitionNotAllowedError."""
    state, step = position.state, position.step
    if action == Action.SUBMIT:
        _require(state == State.DRAFT, action, position)
        _require(bool(chain), action, position, "chain_empty")
        return Position(State.PENDING, 0)
    if action == Action.RESUBMIT:
        _require(state == State.RETURNED and step is not None, action, position)
        return Position(State.PENDING, step)
    if action == Action.WITHDRAW:
        _require(state in EDITABLE_STATES, action, position)
        return Position(State.WITHDRAWN, None)
    if action in (Action.PASS, Action.RETURN, Action.REJECT):
        _require(state == State.PENDING and step is not None and 0 <= step < len(chain), action, position)
        if action == Action.RETURN:
            return Position(State.RETURNED, step)
        if action == Action.REJECT:
            return Position(State.REJECTED, step)
        if step == len(chain) - 1:
            return Position(State.APPROVED, step)
        return Position(State.PENDING, step + 1)
    if action == Action.PUBLICISE:
        _require(state == State.APPROVED, action, position)
        return Position(State.PUBLICISING, step)
    if action == Action.RECOGNISE:
        _require(state in (State.APPROVED, State.PUBLICISING), action, position)
        return Position(State.RECOGNISED, step)
    raise TransitionNotAllowedError(action, position, "unknown_action")


def allowed_actions(position: Position, chain: Chain) -> list[str]:
    """Every action the graph allows from ``position`` (who may take it is another question)."""
    allowed = []
    for action in Action:
        try:
            transition(position, action, chain)
        except TransitionNotAllowedError:
            continue
        allowed.append(str(action))
    return allowed


def state_label(state: str, step: int | None, chain: Chain) -> str:
    """How a person reads a position: ``待审核（市级审核）``, ``已退回``, ``已认定`` …"""
    label = str(State(state).label)
    if state == State.PENDING and step is not None and 0 <= step < len(chain):
        return f"{label}（{chain[step].label}）"
    return label
