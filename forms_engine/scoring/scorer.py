"""The scorer of one schema, worked out once: a closure per score item, group sums, the outcome.

:func:`plan_of` builds (and keeps on the immutable schema) everything scoring needs: for each
item a closure over its compiled expressions, option scores and bands; the group each item adds
to; the inputs of the score (fields the points or the outcome depend on, through computed values
and visibility) so that a missing or invalid input makes the result incomplete instead of wrong.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from forms_engine.rules import EVALUATION_ERRORS, UNDEFINED, CompiledExpression, mode, runner, truthy
from forms_engine.schema.nodes import Field, Level, Schema, ScoreGroup, ScoreItem
from forms_engine.scoring.results import ZERO
from forms_engine.values import AnswerIssue

ItemFn = Callable[
    [Mapping[str, Any], Mapping[str, Any], Mapping[str, AnswerIssue], Mapping[str, Any]],
    tuple[Decimal, bool, bool, Any],
]
Body = Callable[
    [Mapping[str, Any], Mapping[str, Any], Mapping[str, AnswerIssue], Mapping[str, Any]], tuple[Decimal, Any]
]
ItemStep = tuple[Callable[[Mapping[str, Any]], Any] | None, Body, Decimal | None, Decimal]
_MISSING = object()


def finite(value: Any) -> Decimal | None:
    """A finite Decimal from a rule result, or None for undefined and non-numbers."""
    if value.__class__ is Decimal:
        return value if value.is_finite() else None
    if isinstance(value, bool) or not isinstance(value, (Decimal, int, float)):
        return None
    number = Decimal(value) if not isinstance(value, float) else Decimal(repr(value))
    return number if number.is_finite() else None


def _evaluator(expression: CompiledExpression | None) -> Callable[[Mapping[str, Any]], Any]:
    """UNDEFINED-on-error evaluation of an expression in the plan's mode (inside bounded())."""
    if expression is None:
        return lambda names: UNDEFINED
    run = runner(expression)

    def evaluate_one(names):
        try:
            return run(names)
        except EVALUATION_ERRORS:
            return UNDEFINED

    return evaluate_one


def _option_body(item: ScoreItem, fields: Mapping[str, Field]) -> Body:
    field = fields[item.field]
    scores = {o.value: o.score or ZERO for o in field.options}
    key = item.field

    def body(names, values, issues, memo):
        value = values.get(key)
        if value is None:
            return ZERO, (value, ZERO, field)
        if value.__class__ is list:
            raw = ZERO
            for v in value:
                raw += scores.get(v, ZERO)
        else:
            raw = scores.get(value, ZERO)
        return raw, (value, raw, field)

    return body


def _count_body(item: ScoreItem, fields: Mapping[str, Field]) -> Body:
    key, per_item = item.field, item.per_item or ZERO

    def body(names, values, issues, memo):
        count = Decimal(len(values.get(key) or ()))
        raw = count * per_item
        return raw, (count, raw)

    return body


def _bands_body(item: ScoreItem, fields: Mapping[str, Field]) -> Body:
    measure = runner(item.value) if item.value is not None else _evaluator(None)
    source = item.value.source if item.value is not None else None
    # Band.contains, unrolled: (min, min inclusive, max, max inclusive, band)
    bounds = tuple((b.min, b.min_inclusive, b.max, b.max_inclusive, b) for b in item.bands)

    def body(names, values, issues, memo):
        # a computed field evaluated the same expression on the same names: reuse its result
        value = memo.get(source, _MISSING)
        if value is _MISSING:
            try:
                value = measure(names)
            except EVALUATION_ERRORS:
                value = UNDEFINED
        if value.__class__ is not Decimal or not value.is_finite():
            value = finite(value)
            if value is None:
                return ZERO, (None, None)
        for low, low_in, high, high_in, band in bounds:
            if low is not None and (value < low or (not low_in and value == low)):
                continue
            if high is not None and (value > high or (not high_in and value == high)):
                continue
            return band.points, (value, band)
        return ZERO, (value, None)

    return body


def _formula_body(item: ScoreItem, fields: Mapping[str, Field]) -> Body:
    formula = runner(item.expression) if item.expression is not None else _evaluator(None)

    def body(names, values, issues, memo):
        try:
            value = formula(names)
        except EVALUATION_ERRORS:
            value = UNDEFINED
        if value.__class__ is Decimal and value.is_finite():
            return value, value
        points = Decimal(int(value)) if isinstance(value, bool) else finite(value)
        return (ZERO, None) if points is None else (points, points)

    return body


def _max_of_body(item: ScoreItem, fields: Mapping[str, Field]) -> Body:
    parts = [(part, item_fn(part, fields)) for part in item.parts]

    def body(names, values, issues, memo):
        scored, best = [], ZERO
        for spec, fn in parts:
            raw = fn(names, values, issues, memo)
            scored.append((spec, raw))
            if raw[0] > best:
                best = raw[0]
        return best, (tuple(scored), best)

    return body


_BODIES = {
    "option": _option_body,
    "count": _count_body,
    "bands": _bands_body,
    "formula": _formula_body,
    "max_of": _max_of_body,
}


def item_fn(item: ScoreItem, fields: Mapping[str, Field]) -> ItemFn:
    """The closure scoring one item: (points capped at its maximum and never negative, applicable,
    capped, detail for the explanation)."""
    body = _BODIES[item.method](item, fields)
    when, maximum = (_evaluator(item.when) if item.when is not None else None), item.max
    capped_at = maximum if maximum else None  # a maximum of 0 means "no cap"

    def run(names, values, issues, memo):
        if when is not None and not truthy(when(names)):
            return ZERO, False, False, None
        points, detail = body(names, values, issues, memo)
        if capped_at is not None and points > capped_at:
            return maximum, True, True, detail
        if points < ZERO:
            return ZERO, True, False, detail
        return points, True, False, detail

    return run


def item_step(item: ScoreItem, fields: Mapping[str, Field]) -> ItemStep:
    """What :func:`item_fn` runs, for the scorer's own loop (one call per item fewer): the ``when``
    evaluator (or None), the body, the cap (None: no cap) and the maximum."""
    when = _evaluator(item.when) if item.when is not None else None
    return when, _BODIES[item.method](item, fields), (item.max if item.max else None), item.max


def condition_fn(expression: CompiledExpression) -> Callable[[Mapping[str, Any]], tuple[bool, bool]]:
    """(met, undetermined) of a condition (inside bounded(), see scoring._score)."""
    check = runner(expression)

    def run(names):
        try:
            value = check(names)
        except EVALUATION_ERRORS:
            return _UNDETERMINED
        if value is UNDEFINED:
            return _UNDETERMINED
        return _MET if value else _UNMET

    return run


_MET, _UNMET, _UNDETERMINED = (True, False), (False, False), (False, True)


def _item_names(item: ScoreItem) -> set[str]:
    names = {item.field} if item.field else set()
    for expression in (item.value, item.expression, item.when):
        if expression is not None:
            names |= expression.names
    for part in item.parts:
        names |= _item_names(part)
    return names


def score_inputs(schema: Schema) -> frozenset[str]:
    """Field keys the points or the outcome depend on (through computed values and visibility)."""
    scoring = schema.scoring
    names: set[str] = set()
    for item in scoring.items:
        names |= _item_names(item)
    for condition in (*scoring.outcome.conditions, *scoring.outcome.direct_paths):
        names |= condition.expression.names
    if any(level.scenario_counts for level in scoring.outcome.levels):
        names |= {f.key for f in schema.scenario_fields}
    fields = schema.field_map()
    pending, found = list(names), set()
    while pending:
        key = pending.pop()
        if key in found or key not in fields:
            continue
        found.add(key)
        field = fields[key]
        for expression in (field.expression, field.visible_if):
            if expression is not None:
                pending.extend(expression.names)
    return frozenset(found)


@dataclass(frozen=True)
class Plan:
    items: tuple[ItemStep, ...]  # see item_step
    # per group: the group, the indexes of its items, its key, label, max, min
    groups: tuple[tuple[ScoreGroup, tuple[int, ...], str, str, Decimal | None, Decimal | None], ...]
    ungrouped: tuple[int, ...]
    conditions: tuple[Callable[[Mapping[str, Any]], tuple[bool, bool]], ...]
    direct_paths: tuple[Callable[[Mapping[str, Any]], tuple[bool, bool]], ...]
    scenarios: tuple[tuple[str, str], ...]  # field key, scene type
    levels: tuple[Level, ...]
    inputs: frozenset[str]
    blocking_rules: frozenset[str]  # codes of cross-field rules over inputs of the score


def plan_of(schema: Schema) -> Plan:
    """The scorer of a schema for the current evaluation mode (kept on the schema)."""
    slot = "scoring:interpreted" if mode() == "interpreted" else "scoring:compiled"
    plan = schema.derived.get(slot)
    if plan is not None:
        return plan
    scoring, fields = schema.scoring, schema.field_map()
    group_keys = [g.key for g in scoring.groups]
    inputs = score_inputs(schema)
    outcome = scoring.outcome
    plan = schema.derived[slot] = Plan(
        items=tuple(item_step(item, fields) for item in scoring.items),
        groups=tuple(
            (
                g,
                tuple(i for i, item in enumerate(scoring.items) if item.group == g.key),
                g.key,
                g.label,
                g.max,
                g.min,
            )
            for g in scoring.groups
        ),
        ungrouped=tuple(i for i, item in enumerate(scoring.items) if item.group not in group_keys),
        conditions=tuple(condition_fn(c.expression) for c in outcome.conditions),
        direct_paths=tuple(condition_fn(c.expression) for c in outcome.direct_paths),
        scenarios=tuple((f.key, f.scenario["scene_type"]) for f in schema.scenario_fields),
        levels=outcome.levels,
        inputs=inputs,
        blocking_rules=frozenset(
            f"rule_{v.key}"
            for v in schema.validations
            if inputs.intersection({*v.fields, *v.check.names, *(v.when.names if v.when else ())})
        ),
    )
    return plan
