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

from forms_engine.rules import UNDEFINED, CompiledExpression, evaluate, truthy
from forms_engine.schema.nodes import Field, Level, Schema, ScoreItem
from forms_engine.scoring.results import ZERO, ConditionResult, ItemScore, build
from forms_engine.values import AnswerIssue

ItemFn = Callable[[Mapping[str, Any], Mapping[str, Any], Mapping[str, AnswerIssue], Mapping[str, Any]], ItemScore]
Body = Callable[[Mapping[str, Any], Mapping[str, Any], Mapping[str, AnswerIssue], Mapping[str, Any]],
                tuple[Decimal, Any]]
_MISSING = object()


def finite(value: Any) -> Decimal | None:
    """A finite Decimal from a rule result, or None for undefined and non-numbers."""
    if value.__class__ is Decimal:
        return value if value.is_finite() else None
    if isinstance(value, bool) or not isinstance(value, (Decimal, int, float)):
        return None
    number = Decimal(value) if not isinstance(value, float) else Decimal(repr(value))
    return number if number.is_finite() else None


def _measured(expression: CompiledExpression, names: Mapping[str, Any], memo: Mapping[str, Any]) -> Any:
    """The value of an expression; one a computed field already evaluated is reused (same names)."""
    value = memo.get(expression.source, _MISSING)
    return evaluate(expression, names) if value is _MISSING else value


def _option_body(item: ScoreItem, fields: Mapping[str, Field]) -> Body:
    field = fields[item.field]
    scores = {o.value: o.score or ZERO for o in field.options}
    key = item.field

    def body(names, values, issues, memo):
        value = values.get(key)
        if value is None or value == []:
            return ZERO, (value, ZERO, field)
        raw = sum((scores.get(v, ZERO) for v in value), ZERO) if value.__class__ is list else scores.get(value, ZERO)
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
    expression, bands = item.value, item.bands

    def body(names, values, issues, memo):
        value = finite(_measured(expression, names, memo)) if expression is not None else None
        if value is None:
            return ZERO, (None, None)
        for band in bands:
            if band.contains(value):
                return band.points, (value, band)
        return ZERO, (value, None)

    return body


def _formula_body(item: ScoreItem, fields: Mapping[str, Field]) -> Body:
    expression = item.expression

    def body(names, values, issues, memo):
        value = evaluate(expression, names) if expression is not None else UNDEFINED
        points = Decimal(int(value)) if isinstance(value, bool) else finite(value)
        return (ZERO, None) if points is None else (points, points)

    return body


def _max_of_body(item: ScoreItem, fields: Mapping[str, Field]) -> Body:
    parts = [item_fn(part, fields) for part in item.parts]

    def body(names, values, issues, memo):
        scored = tuple(part(names, values, issues, memo) for part in parts)
        best = max((p.points for p in scored), default=ZERO)
        return best, (scored, best)

    return body


_BODIES = {"option": _option_body, "count": _count_body, "bands": _bands_body, "formula": _formula_body,
           "max_of": _max_of_body}


def item_fn(item: ScoreItem, fields: Mapping[str, Field]) -> ItemFn:
    """The closure scoring one item: applicability, points capped at its maximum, never negative."""
    body = _BODIES[item.method](item, fields)
    when, maximum = item.when, item.max
    fixed = {"key": item.key, "label": item.label, "group": item.group, "method": item.method, "max": maximum,
             "spec": item}

    def run(names, values, issues, memo):
        if when is not None and not truthy(evaluate(when, names)):
            return build(ItemScore, points=ZERO, applicable=False, capped=False, detail=None, values=values,
                         issues=issues, **fixed)
        points, detail = body(names, values, issues, memo)
        capped = False
        if maximum and points > maximum:
            points, capped = maximum, True
        elif points < ZERO:
            points = ZERO
        return build(ItemScore, points=points, applicable=True, capped=capped, detail=detail, values=values,
                     issues=issues, **fixed)

    return run


def condition_fn(key: str, label: str, expression: CompiledExpression) -> Callable[[Mapping[str, Any]], Any]:
    def run(names):
        value = evaluate(expression, names)
        return build(ConditionResult, key=key, label=label, met=truthy(value), undetermined=value is UNDEFINED)

    return run


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
    items: tuple[ItemFn, ...]
    group_items: tuple[tuple[int, ...], ...]  # per group, the indexes of its items
    ungrouped: tuple[int, ...]
    conditions: tuple[Callable[[Mapping[str, Any]], ConditionResult], ...]
    direct_paths: tuple[Callable[[Mapping[str, Any]], ConditionResult], ...]
    scenarios: tuple[tuple[str, str], ...]  # field key, scene type
    levels: tuple[Level, ...]
    inputs: frozenset[str]
    blocking_rules: frozenset[str]  # codes of cross-field rules over inputs of the score


def plan_of(schema: Schema) -> Plan:
    plan = schema.derived.get("scoring")
    if plan is not None:
        return plan
    scoring, fields = schema.scoring, schema.field_map()
    group_keys = [g.key for g in scoring.groups]
    inputs = score_inputs(schema)
    outcome = scoring.outcome
    plan = schema.derived["scoring"] = Plan(
        items=tuple(item_fn(item, fields) for item in scoring.items),
        group_items=tuple(tuple(i for i, item in enumerate(scoring.items) if item.group == key) for key in group_keys),
        ungrouped=tuple(i for i, item in enumerate(scoring.items) if item.group not in group_keys),
        conditions=tuple(condition_fn(c.key, c.label, c.expression) for c in outcome.conditions),
        direct_paths=tuple(condition_fn(c.key, c.label, c.expression) for c in outcome.direct_paths),
        scenarios=tuple((f.key, f.scenario["scene_type"]) for f in schema.scenario_fields),
        levels=outcome.levels,
        inputs=inputs,
        blocking_rules=frozenset(
            f"rule_{v.key}" for v in schema.validations
            if inputs.intersection({*v.fields, *v.check.names, *(v.when.names if v.when else ())})),
    )
    return plan
