"""Scoring as data: pure functions from (schema, answers) to an immutable, explained result.

No database, no Django: :func:`score` reads the schema's ``scoring`` part — option scores,
numeric bands with explicit inclusive/exclusive bounds, formulas, counts, best-of parts, group
subtotals with maxima and minima, a total threshold, direct-qualification alternatives, threshold
conditions and outcome levels from score bands and counts of scenario self-ratings — and
explains every point: which rule, which band, which answer.

Honest by construction: the result carries every issue of the answers (missing, invalid,
cross-field rules — the same checks as a submit) and is *incomplete* when one of them touches an
input of the score; its outcome is then 待补充 with the fields to fix, never a verdict.

Each schema's scorer is worked out once (:mod:`forms_engine.scoring.scorer`) and its rules are
compiled closures, so re-scoring a whole round is fast.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from forms_engine.rules import UNDEFINED, bounded
from forms_engine.schema.nodes import Level, Schema
from forms_engine.scoring.results import (
    INCOMPLETE,
    INCOMPLETE_LABEL,
    ZERO,
    ConditionResult,
    GroupScore,
    ItemScore,
    OutcomeResult,
    ScoreResult,
    build,
    fmt,
)
from forms_engine.scoring.scorer import Plan, plan_of, score_inputs
from forms_engine.values import AnswerIssue, CleanedAnswers, clean_in_bounds, expression_names

__all__ = [
    "INCOMPLETE",
    "SCENARIO_LEVEL_NAMES",
    "ConditionResult",
    "GroupScore",
    "ItemScore",
    "OutcomeResult",
    "ScoreResult",
    "score",
    "score_cleaned",
    "level_shortfall",
    "score_inputs",
    "score_values",
]


def level_shortfall(level: Level, total: Decimal, scenarios: tuple[tuple[str, int, str], ...]) -> list[str]:
    """Reasons a level is not reached (empty list: reached). ``scenarios`` are (field key, self-rated
    level, scene type) as in ``ScoreResult.scenario_levels``; a host shows what the next level asks."""
    missing = []
    if level.min_total is not None:
        ok = total >= level.min_total if level.min_total_inclusive else total > level.min_total
        if not ok:
            missing.append(f"总分需{'≥' if level.min_total_inclusive else '>'}{fmt(level.min_total)}分")
    for rule in level.scenario_counts:
        count = sum(
            1
            for _, lvl, kind in scenarios
            if lvl >= rule.min_level and (rule.scene_type is None or kind == rule.scene_type)
        )
        if count < rule.count:
            kind = {"constraint": "约束性", "guidance": "指导性"}.get(rule.scene_type or "", "")
            reached = SCENARIO_LEVEL_NAMES.get(rule.min_level, f"{rule.min_level}级")
            missing.append(f"达到{reached}及以上的{kind}场景需≥{rule.count}个（现有{count}个）")
    return missing


# scenario self-ratings are 一级…四级 in the questionnaires' own words
SCENARIO_LEVEL_NAMES = {1: "一级", 2: "二级", 3: "三级", 4: "四级"}


def _qualification(
    schema: Schema,
    plan: Plan,
    total: Decimal,
    group_points: tuple[Decimal, ...],
    conditions: tuple[tuple[bool, bool], ...],
    direct: tuple[tuple[bool, bool], ...],
) -> OutcomeResult:
    spec = schema.scoring.outcome
    reasons = []
    for condition, (met, _undetermined) in zip(spec.conditions, conditions, strict=True):
        if not met:
            reasons.append(f"未满足：{condition.label}")
    unmet = bool(reasons)
    short_groups = ()
    if spec.use_group_minima:
        short_groups = [
            (label, points, minimum)
            for (_g, _i, _k, label, _max, minimum), points in zip(plan.groups, group_points, strict=True)
            if minimum is not None and points < minimum
        ]
    score_ok = None if spec.min_total is None else total >= spec.min_total and not short_groups
    direct_ok = False
    for met, _undetermined in direct:
        if met:
            direct_ok = True
            break
    path_ok = True if score_ok is None and not direct else bool(score_ok) or direct_ok
    if not path_ok:
        detail = []
        if spec.min_total is not None:
            detail.append(f"总分 {fmt(total)} 分，需≥{fmt(spec.min_total)} 分")
            detail += [
                f"{label} {fmt(points)} 分，需≥{fmt(minimum)} 分" for label, points, minimum in short_groups
            ]
        if direct:
            detail.append("且不满足任一直通条件")
        reasons.append("；".join(detail))
    qualified = not unmet and path_ok
    if qualified and score_ok is False and direct_ok:
        # the direct path is a reason only for a result it decided
        reasons.append(
            "通过直通条件："
            + "、".join(d.label for d, (met, _u) in zip(spec.direct_paths, direct, strict=True) if met)
        )
    return build(
        OutcomeResult,
        {
            "type": "qualification",
            "key": "qualified" if qualified else "not_qualified",
            "label": spec.qualified_label if qualified else spec.not_qualified_label,
            "qualified": qualified,
            "reasons": tuple(r for r in reasons if r) if reasons else (),
        },
    )


def _levels(schema: Schema, total: Decimal, scenarios: tuple[tuple[str, int, str], ...]) -> OutcomeResult:
    spec = schema.scoring.outcome
    for level in spec.levels:
        if not level_shortfall(level, total, scenarios):
            return OutcomeResult("levels", level.key, level.label, None)
    lowest = spec.levels[-1] if spec.levels else None
    reasons = tuple(level_shortfall(lowest, total, scenarios)) if lowest is not None else ()
    return OutcomeResult("levels", "none", spec.none_label, None, reasons)


def _incomplete(schema: Schema, blocking: list[AnswerIssue]) -> OutcomeResult:
    """待补充, saying which inputs of the score are missing and which are wrong (and why)."""
    missing = [i.label for i in blocking if i.code == "required"]
    wrong = [i for i in blocking if i.code != "required"]
    reasons = []
    if wrong:
        more = f"等 {len(wrong)} 项" if len(wrong) > 3 else ""
        reasons.append("需修改：" + "；".join(f"「{i.label}」{i.message}" for i in wrong[:3]) + more)
    if missing:
        more = f"等 {len(missing)} 项" if len(missing) > 3 else ""
        reasons.append("尚未填写：" + "".join(f"「{label}」" for label in missing[:3]) + more)
    return OutcomeResult(schema.scoring.outcome.type, INCOMPLETE, INCOMPLETE_LABEL, None, tuple(reasons))


def _scenario_levels(plan: Plan, values: Mapping[str, Any]) -> tuple[tuple[str, int, str], ...]:
    levels = []
    for key, scene_type in plan.scenarios:
        value = values.get(key)
        if value is not None and str(value).isdigit():
            levels.append((key, int(value), scene_type))
    return tuple(levels)


def _group_points(plan: Plan, raw_items: tuple) -> tuple[Decimal, ...]:
    """Each group's subtotal (its items' points, capped at the group's maximum)."""
    subtotals = []
    for _group, indexes, _key, _label, maximum, _minimum in plan.groups:
        subtotal = ZERO
        for i in indexes:
            subtotal += raw_items[i][0]
        subtotals.append(maximum if maximum is not None and subtotal > maximum else subtotal)
    return tuple(subtotals)


_NOT_APPLICABLE = (ZERO, False, False, None)


def _items(
    plan: Plan, names: Mapping[str, Any], values: Mapping[str, Any], by_field: dict, memo: Mapping[str, Any]
) -> tuple[tuple[Decimal, bool, bool, Any], ...]:
    """Each item's (points capped at its maximum and never negative, applicable, capped, detail),
    as :func:`~forms_engine.scoring.scorer.item_fn` gives it, with one call fewer per item."""
    raw_items = []
    append = raw_items.append
    for when, body, capped_at, maximum in plan.items:
        if when is not None:
            applies = when(names)
            if applies is UNDEFINED or not applies:  # truthy(), inline
                append(_NOT_APPLICABLE)
                continue
        points, detail = body(names, values, by_field, memo)
        if capped_at is not None and points > capped_at:
            append((maximum, True, True, detail))
        elif points < ZERO:
            append((ZERO, True, False, detail))
        else:
            append((points, True, False, detail))
    return tuple(raw_items)


def _score(
    schema: Schema,
    values: Mapping[str, Any],
    names: Mapping[str, Any],
    issues: list[AnswerIssue],
    memo: Mapping[str, Any],
    warnings: list[AnswerIssue] = (),
) -> ScoreResult:
    plan = plan_of(schema)
    scoring = schema.scoring
    by_field: dict[str, AnswerIssue] = {}
    for issue in issues:
        by_field.setdefault(issue.field, issue)
    raw_items = _items(plan, names, values, by_field, memo)
    group_points = _group_points(plan, raw_items) if plan.groups else ()
    total = ZERO
    for subtotal in group_points:
        total += subtotal
    for i in plan.ungrouped:
        total += raw_items[i][0]
    if scoring.max_total is not None and total > scoring.max_total:
        total = scoring.max_total
    conditions = tuple([fn(names) for fn in plan.conditions])
    direct = tuple([fn(names) for fn in plan.direct_paths])
    scenarios = _scenario_levels(plan, values) if plan.scenarios else ()
    blocking = (
        [i for i in issues if i.field in plan.inputs or i.code in plan.blocking_rules] if issues else []
    )
    kind = scoring.outcome.type
    if blocking:
        outcome = _incomplete(schema, blocking)
    elif kind == "qualification":
        outcome = _qualification(schema, plan, total, group_points, conditions, direct)
    elif kind == "levels":
        outcome = _levels(schema, total, scenarios)
    else:
        outcome = OutcomeResult("none", "", "已计分" if raw_items else "", None)
    return build(
        ScoreResult,
        {
            "total": total,
            "max_total": scoring.max_total,
            "group_specs": plan.groups,
            "group_points": group_points,
            "raw_conditions": conditions,
            "raw_direct": direct,
            "outcome": outcome,
            "condition_specs": scoring.outcome.conditions,
            "direct_specs": scoring.outcome.direct_paths,
            "scenario_levels": scenarios,
            "issues": tuple(issues),
            "complete": not blocking,
            "warnings": tuple(warnings),
            "specs": scoring.items,
            "raw_items": raw_items,
            "values": values,
            "issues_by_field": by_field,
        },
    )


def score_values(
    schema: Schema, values: Mapping[str, Any], *, context: Mapping[str, Any] | None = None
) -> ScoreResult:
    """Score already-cleaned, valid typed values (see values.clean_answers), e.g. at submit."""
    with bounded():
        return _score(schema, values, expression_names(values, context), [], {})


def score_cleaned(schema: Schema, cleaned: CleanedAnswers) -> ScoreResult:
    """Score the result of :func:`~forms_engine.values.clean_answers` (issues included)."""
    with bounded():
        return _score(schema, cleaned.values, cleaned.names, cleaned.issues, cleaned.memo, cleaned.warnings)


def score(
    schema: Schema, answers: Mapping[str, Any], *, context: Mapping[str, Any] | None = None
) -> ScoreResult:
    """Score raw (JSON) answers: coerce, apply visibility and computed values, check, then score.

    Invalid or missing answers never raise: they score as unanswered, the result lists them, and
    when they are inputs of the score the outcome is 待补充 (``outcome.key == "incomplete"``).
    """
    with bounded():
        cleaned = clean_in_bounds(schema, answers, context, True, None)
        return _score(schema, cleaned.values, cleaned.names, cleaned.issues, cleaned.memo, cleaned.warnings)
