"""Typed, immutable objects of a form schema (the output of :func:`forms_engine.schema.parse_schema`).

Nothing here reads JSON; :mod:`forms_engine.schema.parser` builds these objects and is the only
module that does.
"""

from __future__ import annotations

import graphlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, Any

from forms_engine.rules import CompiledExpression

if TYPE_CHECKING:
    from forms_engine.fields.base import FieldType


_PART_WORDS = (
    (re.compile(r"^scoring\.items(?:\[(\d+)\]|\.(\w+))"), lambda m: f"计分项 {m[2] or int(m[1]) + 1}"),
    (re.compile(r"^scoring\.groups\[(\d+)\]"), lambda m: f"第 {int(m[1]) + 1} 个得分组"),
    (
        re.compile(r"^scoring\.outcome\.(conditions|direct_paths|levels)\[(\d+)\]"),
        lambda m: (
            f"{ {'conditions': '必要条件', 'direct_paths': '直通条件', 'levels': '等级'}[m[1]] } {int(m[2]) + 1}"
        ),
    ),
    (re.compile(r"^scoring\.outcome"), lambda m: "结果判定"),
    (re.compile(r"^scoring"), lambda m: "计分"),
    (re.compile(r"^validations(?:\[(\d+)\]|\.(\w+))"), lambda m: f"校验规则 {m[2] or int(m[1]) + 1}"),
    (re.compile(r"^options\[(\d+)\]"), lambda m: f"第 {int(m[1]) + 1} 个选项"),
    (re.compile(r"^columns\[(\d+)\]"), lambda m: f"第 {int(m[1]) + 1} 列"),
    (re.compile(r"^bands\[(\d+)\]"), lambda m: f"第 {int(m[1]) + 1} 档"),
    (re.compile(r"^parts\[(\d+)\]"), lambda m: f"第 {int(m[1]) + 1} 个子项"),
    (re.compile(r"^scenario_counts\[(\d+)\]"), lambda m: f"第 {int(m[1]) + 1} 个场景条件"),
    (re.compile(r"^(?:steps|sections|fields)\[(\d+)\]"), lambda m: f"第 {int(m[1]) + 1} 项"),
)
_PART_NAMES = {
    "visible_if": "显示条件",
    "expression": "计算公式",
    "format": "格式号",
    "metadata": "元数据",
    "checksum": "校验和",
    "type": "题型",
}


def part_label(part: str) -> str:
    """A schema part (``scoring.items[3]``, ``visible_if`` …) as policy staff read it."""
    if part in _PART_NAMES:
        return _PART_NAMES[part]
    for pattern, label in _PART_WORDS:
        match = pattern.match(part)
        if match:
            rest = part[match.end() :].lstrip(".")
            return label(match) + (f" · {part_label(rest)}" if rest else "")
    return part


@dataclass(frozen=True)
class Place:
    """Where in a schema something is: used in every error and in the designer's links."""

    step: str | None = None
    section: str | None = None
    field: str | None = None
    part: str | None = None  # e.g. "scoring.items[3]" or "options[2]"

    def __str__(self) -> str:
        bits = []
        if self.step:
            bits.append(f"步骤 {self.step}")
        if self.section:
            bits.append(f"分组 {self.section}")
        if self.field:
            bits.append(f"字段 {self.field}")
        if self.part:
            bits.append(part_label(self.part))
        return " / ".join(bits) or "表单"

    def as_dict(self) -> dict[str, str | None]:
        return {"step": self.step, "section": self.section, "field": self.field, "part": self.part}


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    score: Decimal | None = None
    help: str = ""
    exclusive: bool = False  # e.g. "无": cannot be combined with other options


@dataclass(frozen=True)
class Field:
    key: str
    type: str
    label: str
    place: Place
    help: str = ""
    required: bool = False
    default: Any = None
    prefill: str | None = None
    readonly: bool = False
    visible_if: CompiledExpression | None = None
    # numbers
    min: Decimal | None = None
    max: Decimal | None = None
    unit: str = ""
    decimal_places: int = 2
    # text
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    pattern_message: str = ""
    # dates (ISO strings kept as text; checked by the parser)
    min_date: str | None = None
    max_date: str | None = None
    # choices
    options: tuple[Option, ...] = ()
    widget: str = ""
    min_selected: int | None = None
    max_selected: int | None = None
    # region
    min_level: str = "county"
    # file
    accept: tuple[str, ...] = ()
    max_size_mb: Decimal | None = None
    # table
    columns: tuple[Field, ...] = ()
    min_rows: int = 0
    max_rows: int = 20
    # computed
    expression: CompiledExpression | None = None
    # help text block
    text: str = ""
    # digital questionnaire scenario self-rating (single choice of levels 1..4)
    scenario: dict[str, str] | None = None

    # the type plugin (see forms_engine.fields), set by the parser from ``type``
    kind: FieldType = field(default=None, compare=False, repr=False)
    # what a type's ``parse`` returns beyond the attributes above (a new type's own attributes,
    # see docs/forms-engine.md "How to add a field type"), read as ``field.<name>``
    extra: Mapping[str, Any] = field(default_factory=dict, hash=False, repr=False)

    def __getattr__(self, name: str) -> Any:  # only for names that are not attributes of Field
        extra = self.__dict__.get("extra") or {}
        if name in extra:
            return extra[name]
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    @property
    def has_value(self) -> bool:
        return self.kind.has_value

    @property
    def stored(self) -> bool:
        """An answer the person gives (not a computed value or a help block)."""
        return self.kind.stored

    def option(self, value: str) -> Option | None:
        for option in self.options:
            if option.value == value:
                return option
        return None


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    place: Place
    help: str = ""
    fields: tuple[Field, ...] = ()


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    place: Place
    help: str = ""
    sections: tuple[Section, ...] = ()

    @cached_property
    def fields(self) -> tuple[Field, ...]:
        return tuple(f for s in self.sections for f in s.fields)


@dataclass(frozen=True)
class Validation:
    """A cross-field rule: when ``when`` holds (default always), ``check`` must hold.

    ``severity`` "error" (default) stops a submit; "warning" is a consistency hint shown beside
    the field (answers that contradict each other but may be right) and never blocks.
    """

    key: str
    check: CompiledExpression
    message: str
    fields: tuple[str, ...]
    place: Place
    when: CompiledExpression | None = None
    severity: str = "error"


@dataclass(frozen=True)
class Band:
    points: Decimal
    min: Decimal | None = None
    min_inclusive: bool = True
    max: Decimal | None = None
    max_inclusive: bool = False
    label: str = ""

    def contains(self, value: Decimal) -> bool:
        if self.min is not None:
            if value < self.min or (value == self.min and not self.min_inclusive):
                return False
        if self.max is not None:
            if value > self.max or (value == self.max and not self.max_inclusive):
                return False
        return True

    def describe(self) -> str:
        if self.label:
            return self.label
        lower = "" if self.min is None else f"{'≥' if self.min_inclusive else '>'}{self.min.normalize():f}"
        upper = "" if self.max is None else f"{'≤' if self.max_inclusive else '<'}{self.max.normalize():f}"
        return " 且 ".join(b for b in (lower, upper) if b) or "任意值"


@dataclass(frozen=True)
class ScoreItem:
    """One scored indicator. ``method`` is option | bands | formula | count | max_of."""

    key: str
    label: str
    method: str
    max: Decimal
    place: Place
    group: str | None = None
    field: str | None = None  # option / count
    value: CompiledExpression | None = None  # bands: the measured value (a formula)
    value_label: str = ""
    bands: tuple[Band, ...] = ()
    expression: CompiledExpression | None = None  # formula
    per_item: Decimal | None = None  # count
    parts: tuple[ScoreItem, ...] = ()  # max_of
    when: CompiledExpression | None = None  # item applies only if this holds
    help: str = ""


@dataclass(frozen=True)
class ScoreGroup:
    key: str
    label: str
    max: Decimal | None = None
    min: Decimal | None = None


@dataclass(frozen=True)
class Condition:
    key: str
    label: str
    expression: CompiledExpression
    place: Place


@dataclass(frozen=True)
class ScenarioCount:
    min_level: int
    count: int
    scene_type: str | None = None  # None: all scenarios


@dataclass(frozen=True)
class Level:
    key: str
    label: str
    min_total: Decimal | None = None
    min_total_inclusive: bool = True
    scenario_counts: tuple[ScenarioCount, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class Outcome:
    """How the result is decided: ``qualification`` (pass / not) or ``levels`` (一级…四级)."""

    type: str = "none"
    conditions: tuple[Condition, ...] = ()
    min_total: Decimal | None = None
    use_group_minima: bool = True
    direct_paths: tuple[Condition, ...] = ()
    qualified_label: str = "符合条件"
    not_qualified_label: str = "不符合条件"
    levels: tuple[Level, ...] = ()
    none_label: str = "未达到最低等级"


@dataclass(frozen=True)
class Scoring:
    items: tuple[ScoreItem, ...] = ()
    groups: tuple[ScoreGroup, ...] = ()
    max_total: Decimal | None = None
    outcome: Outcome = field(default_factory=Outcome)

    @property
    def enabled(self) -> bool:
        return bool(self.items) or self.outcome.type != "none"


@dataclass(frozen=True)
class Schema:
    format: int
    title: str
    steps: tuple[Step, ...]
    validations: tuple[Validation, ...] = ()
    scoring: Scoring = field(default_factory=Scoring)
    metadata: dict[str, Any] = field(default_factory=dict)
    description: str = ""
    # what other modules work out once per schema (cleaning plans, score inputs …); schemas are
    # immutable, so these never go stale
    derived: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    # Schemas are immutable, so derived views are computed once (cached_property writes to
    # __dict__ directly, which a frozen dataclass allows).
    @cached_property
    def fields(self) -> tuple[Field, ...]:
        return tuple(f for step in self.steps for f in step.fields)

    @cached_property
    def value_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.has_value)

    @cached_property
    def _field_map(self) -> dict[str, Field]:
        return {f.key: f for f in self.fields}

    def field(self, key: str) -> Field:
        return self._field_map[key]

    def field_map(self) -> dict[str, Field]:
        return dict(self._field_map)

    @cached_property
    def step_of_field(self) -> dict[str, str]:
        return {f.key: step.key for step in self.steps for f in step.fields}

    @cached_property
    def computed_order(self) -> tuple[Field, ...]:
        """Computed fields ordered so that each comes after the computed fields it uses."""
        computed = {
            f.key: f for f in self.value_fields if not f.stored and f.has_value and f.expression is not None
        }
        graph = {key: set(f.expression.names) & set(computed) for key, f in computed.items()}
        # cycles are rejected by the parser; schema order breaks ties so the order is stable
        sorter = graphlib.TopologicalSorter()
        for key in computed:
            sorter.add(key, *sorted(graph[key], key=list(computed).index))
        return tuple(computed[key] for key in sorter.static_order())

    def step_of(self, key: str) -> Step:
        for step in self.steps:
            if any(f.key == key for f in step.fields):
                return step
        raise KeyError(key)

    @cached_property
    def scenario_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.scenario is not None)

    @property
    def provisional(self) -> bool:
        return bool(self.metadata.get("provisional"))
