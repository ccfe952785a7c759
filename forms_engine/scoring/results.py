"""The immutable result of scoring one answer set, and how it reads.

Points and outcomes are decided when the result is built; the sentences that explain them are
written only when someone reads them (the result page, the CLI, a stored score), so re-scoring a
whole round for the impact preview or an export does not format thousands of lines.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from functools import cached_property
from typing import Any

from forms_engine.schema.nodes import Condition, ScoreItem
from forms_engine.values import AnswerIssue

ZERO = Decimal(0)
SHOWN_PLACES = 8  # decimals shown of a compared value; more are cut, marked with "…"
_SHOWN = Decimal(1).scaleb(-SHOWN_PLACES)
INCOMPLETE = "incomplete"
INCOMPLETE_LABEL = "待补充"


def number_json(value: Decimal) -> int | float:
    value = value.normalize()
    return int(value) if value == value.to_integral_value() else float(value)


def build(cls: type, values: dict[str, Any]) -> Any:
    """An instance of a frozen result dataclass without its per-field ``__setattr__`` calls.

    Scoring a round builds tens of thousands of these; the result is as immutable as one built
    by ``__init__`` (assigning a field afterwards raises FrozenInstanceError). ``values`` becomes
    the instance's ``__dict__``: it must give every field.
    """
    obj = _new(cls)
    _set(obj, "__dict__", values)
    return obj


_new, _set = object.__new__, object.__setattr__


def fmt(value: Any) -> str:
    """A value as it was compared: exact up to 8 decimals, cut (never rounded up) beyond."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        value = value.normalize() if value else ZERO
        if value == value.to_integral_value():
            return f"{value:f}"
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > SHOWN_PLACES:
            return f"{value.quantize(_SHOWN, rounding=ROUND_DOWN).normalize():f}…"
        return f"{value:f}"
    if isinstance(value, list):
        return "、".join(str(v) for v in value) or "（未选）"
    return "（未填）" if value is None else str(value)


@dataclass(frozen=True)
class ItemScore:
    """Points of one score item. ``explanation``, ``rule`` and ``inputs`` are worked out when read."""

    key: str
    label: str
    group: str | None
    method: str
    points: Decimal
    max: Decimal
    applicable: bool = True
    capped: bool = False
    # what the explanation is written from (method-specific), the item, the answers, the issues
    detail: Any = field(default=None, compare=False, repr=False)
    spec: ScoreItem | None = field(default=None, compare=False, repr=False)
    values: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    issues: Mapping[str, AnswerIssue] = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def explanation(self) -> str:
        from forms_engine.scoring.explain import explain_item

        return explain_item(self)

    @cached_property
    def rule(self) -> str:
        from forms_engine.scoring.explain import item_rule

        return item_rule(self)

    @cached_property
    def inputs(self) -> tuple[tuple[str, str], ...]:
        from forms_engine.scoring.explain import item_inputs

        return item_inputs(self)

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "group": self.group,
            "method": self.method,
            "points": number_json(self.points),
            "max": number_json(self.max),
            "explanation": self.explanation,
            "rule": self.rule,
            "applicable": self.applicable,
            "capped": self.capped,
            "inputs": [list(pair) for pair in self.inputs],
        }


@dataclass(frozen=True)
class GroupScore:
    key: str
    label: str
    points: Decimal
    max: Decimal | None
    min: Decimal | None
    meets_min: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "points": number_json(self.points),
            "max": None if self.max is None else number_json(self.max),
            "min": None if self.min is None else number_json(self.min),
            "meets_min": self.meets_min,
        }


@dataclass(frozen=True)
class ConditionResult:
    key: str
    label: str
    met: bool
    undetermined: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "met": self.met, "undetermined": self.undetermined}


@dataclass(frozen=True)
class OutcomeResult:
    """``key`` is the level or qualified / not_qualified, or ``incomplete`` (待补充: inputs of the
    score are missing or invalid — never a verdict then)."""

    type: str
    key: str
    label: str
    qualified: bool | None
    reasons: tuple[str, ...] = ()

    @property
    def incomplete(self) -> bool:
        return self.key == INCOMPLETE

    def as_dict(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "key": self.key,
            "label": self.label,
            "qualified": self.qualified,
            "reasons": list(self.reasons),
        }


def make_item(
    spec: ScoreItem,
    raw: tuple[Decimal, bool, bool, Any],
    values: Mapping[str, Any],
    issues: Mapping[str, AnswerIssue],
) -> ItemScore:
    """The ItemScore of an item from what the scorer computed: (points, applicable, capped, detail)."""
    points, applicable, capped, detail = raw
    return build(
        ItemScore,
        {
            "key": spec.key,
            "label": spec.label,
            "group": spec.group,
            "method": spec.method,
            "max": spec.max,
            "points": points,
            "applicable": applicable,
            "capped": capped,
            "detail": detail,
            "spec": spec,
            "values": values,
            "issues": issues,
        },
    )


@dataclass(frozen=True)
class ScoreResult:
    """The score of one answer set. ``items`` (one ItemScore per score item) are built when first
    read: re-scoring a round needs only totals, groups and outcomes."""

    total: Decimal
    max_total: Decimal | None
    outcome: OutcomeResult
    # each group's subtotal (capped at its maximum), and the scorer's (group, item indexes, key,
    # label, max, min) of each: ``groups`` is built from them when read
    group_points: tuple[Decimal, ...] = ()
    group_specs: tuple[tuple[Any, ...], ...] = field(default=(), compare=False, repr=False)
    scenario_levels: tuple[tuple[str, int, str], ...] = ()  # (field key, level, scene_type)
    # every problem of the answers (required missing, invalid values, cross-field rules); the
    # result is complete when none of them touches an input of the score
    issues: tuple[AnswerIssue, ...] = ()
    complete: bool = True
    warnings: tuple[AnswerIssue, ...] = ()  # consistency hints (never affect the outcome)
    # what ``items`` are built from: the score items, the scorer's raw results, the answers
    specs: tuple[ScoreItem, ...] = field(default=(), compare=False, repr=False)
    raw_items: tuple[tuple[Decimal, bool, bool, Any], ...] = field(default=(), compare=False, repr=False)
    values: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    issues_by_field: Mapping[str, AnswerIssue] = field(default_factory=dict, compare=False, repr=False)
    # conditions and direct paths: their specs and (met, undetermined) of each
    condition_specs: tuple[Condition, ...] = field(default=(), compare=False, repr=False)
    raw_conditions: tuple[tuple[bool, bool], ...] = field(default=(), compare=False, repr=False)
    direct_specs: tuple[Condition, ...] = field(default=(), compare=False, repr=False)
    raw_direct: tuple[tuple[bool, bool], ...] = field(default=(), compare=False, repr=False)

    @cached_property
    def items(self) -> tuple[ItemScore, ...]:
        return tuple(
            make_item(spec, raw, self.values, self.issues_by_field)
            for spec, raw in zip(self.specs, self.raw_items, strict=True)
        )

    @cached_property
    def groups(self) -> tuple[GroupScore, ...]:
        return tuple(
            GroupScore(key, label, points, maximum, minimum, minimum is None or points >= minimum)
            for (_group, _indexes, key, label, maximum, minimum), points in zip(
                self.group_specs, self.group_points, strict=True
            )
        )

    @cached_property
    def conditions(self) -> tuple[ConditionResult, ...]:
        return tuple(
            ConditionResult(c.key, c.label, met, undetermined)
            for c, (met, undetermined) in zip(self.condition_specs, self.raw_conditions, strict=True)
        )

    @cached_property
    def direct_paths(self) -> tuple[ConditionResult, ...]:
        return tuple(
            ConditionResult(c.key, c.label, met, undetermined)
            for c, (met, undetermined) in zip(self.direct_specs, self.raw_direct, strict=True)
        )

    def explanation(self) -> list[str]:
        from forms_engine.scoring.explain import explain_result

        return explain_result(self)

    def as_dict(self) -> dict[str, Any]:
        """JSON-storable form (numbers as JSON numbers), with the explanation."""
        return {
            "total": number_json(self.total),
            "max_total": None if self.max_total is None else number_json(self.max_total),
            "items": [i.as_dict() for i in self.items],
            "groups": {g.key: g.as_dict() for g in self.groups},
            "conditions": [c.as_dict() for c in self.conditions],
            "direct_paths": [c.as_dict() for c in self.direct_paths],
            "outcome": self.outcome.as_dict(),
            "scenario_levels": [list(s) for s in self.scenario_levels],
            "issues": [i.as_dict() for i in self.issues],
            "warnings": [i.as_dict() for i in self.warnings],
            "complete": self.complete,
            "explanation": self.explanation(),
        }
