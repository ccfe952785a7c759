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

from forms_engine.rules import bounded
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
from forms_engine.values import AnswerIssue, CleanedAnswers, clean_answers, expression_names

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
    total: Decimal,
    groups: tuple[GroupScore, ...],
    conditions: tuple[tuple[bool, bool], ...],
    direct: tuple[tuple[bool, bool], ...],
) -> OutcomeResult:
    spec = schema.scoring.outcome
    unmet = [c.label for c, (met, _u) in zip(spec.conditions, conditions, strict=True) if not met]
    reasons = [f"未满足：{label}" for label in unmet]
    score_ok = None
    if spec.min_total is not None:
        score_ok = total >= spec.min_total and not (
            spec.use_group_minima and any(not g.meets_min for g in groups)
        )
    direct_ok = any(met for met, _u in direct)
    path_ok = True if score_ok is None and not direct else bool(score_ok) or direct_ok
    if not path_ok:
        detail = []
        if spec.min_total is not None:
            detail.append(f"总分 {fmt(total)} 分，需≥{fmt(spec.min_total)} 分")
            if spec.use_group_minima:
                detail += [
                    f"{g.label} {fmt(g.points)} 分，需≥{fmt(g.min)} 分" for g in groups if not g.meets_min
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
            "reasons": tuple(r for r in reasons if r),
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


def _group_scores(plan: Plan, points: list[Decimal]) -> tuple[GroupScore, ...]:
    groups = []
    new, state = object.__new__, object.__setattr__  # see results.build
    for _group, indexes, key, label, maximum, minimum in plan.groups:
        subtotal = sum([points[i] for i in indexes], ZERO)
        if maximum is not None and subtotal > maximum:
            subtotal = maximum
        group = new(GroupScore)
        state(
            group,
            "__dict__",
            {
                "key": key,
                "label": label,
                "points": subtotal,
                "max": maximum,
                "min": minimum,
                "meets_min": minimum is None or subtotal >= minimum,
            },
        )
        groups.append(group)
    return tuple(groups)


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
    raw_items = tuple([fn(names, values, by_field, memo) for fn in plan.items])
    points = [raw[0] for raw in raw_items]
    groups = _group_scores(plan, points) if plan.groups else ()
    total = ZERO
    for group in groups:
        total += group.points
    for i in plan.ungrouped:
        total += points[i]
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
        outcome = _qualification(schema, total, groups, conditions, direct)
    elif kind == "levels":
        outcome = _levels(schema, total, scenarios)
    else:
        outcome = OutcomeResult("none", "", "已计分" if raw_items else "", None)
    return build(
        ScoreResult,
        {
            "total": total,
            "max_total": scoring.max_total,
            "groups": groups,
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
        cleaned = clean_answers(schema, answers, context=context, require_complete=True)
        return _score(schema, cleaned.values, cleaned.names, cleaned.issues, cleaned.memo, cleaned.warnings)
