"""Scoring as data: pure functions from (schema, answers) to an immutable, explained result.

No database, no Django: :func:`score` reads the schema's ``scoring`` part — option scores,
numeric bands with explicit inclusive/exclusive bounds, formulas, counts, best-of parts, group
subtotals with maxima and minima, a total threshold, direct-qualification alternatives, threshold
conditions and outcome levels from score bands and counts of scenario self-ratings — and
explains every point: which rule, which band, which answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from forms_engine.rules import UNDEFINED, evaluate, truthy
from forms_engine.schema.nodes import Condition, Level, Schema, ScoreItem
from forms_engine.values import clean_answers, expression_names

ZERO = Decimal(0)


def _num(value: Decimal) -> int | float:
    value = value.normalize()
    return int(value) if value == value.to_integral_value() else float(value)


def _fmt(value: Any) -> str:
    if isinstance(value, Decimal):
        value = value.normalize()
        return f"{value:f}" if value == value.to_integral_value() else f"{value.quantize(Decimal('0.0001')).normalize():f}"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(str(v) for v in value) or "（未选）"
    return "（未填）" if value is None else str(value)


def _finite(value: Any) -> Decimal | None:
    """A finite Decimal from a rule result, or None for undefined, non-numbers and NaN/inf."""
    if isinstance(value, bool) or not isinstance(value, (Decimal, int, float)):
        return None
    number = Decimal(value) if not isinstance(value, float) else Decimal(repr(value))
    return number if number.is_finite() else None


@dataclass(frozen=True)
class ItemScore:
    key: str
    label: str
    group: str | None
    method: str
    points: Decimal
    max: Decimal
    explanation: str
    rule: str = ""
    applicable: bool = True
    capped: bool = False
    inputs: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class GroupScore:
    key: str
    label: str
    points: Decimal
    max: Decimal | None
    min: Decimal | None
    meets_min: bool


@dataclass(frozen=True)
class ConditionResult:
    key: str
    label: str
    met: bool
    undetermined: bool = False


@dataclass(frozen=True)
class OutcomeResult:
    type: str
    key: str
    label: str
    qualified: bool | None
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class ScoreResult:
    total: Decimal
    max_total: Decimal | None
    items: tuple[ItemScore, ...]
    groups: tuple[GroupScore, ...]
    conditions: tuple[ConditionResult, ...]
    direct_paths: tuple[ConditionResult, ...]
    outcome: OutcomeResult
    scenario_levels: tuple[tuple[str, int, str], ...] = ()  # (field key, level, scene_type)

    def explanation(self) -> list[str]:
        lines = [f"{item.label}：{item.explanation}" for item in self.items]
        for group in self.groups:
            bound = f"（最低 {_fmt(group.min)} 分，{'达到' if group.meets_min else '未达到'}）" if group.min is not None else ""
            lines.append(f"{group.label} 小计 {_fmt(group.points)} 分{bound}")
        for cond in self.conditions:
            lines.append(f"条件“{cond.label}”：{'满足' if cond.met else ('无法判断（数据不全）' if cond.undetermined else '不满足')}")
        for path in self.direct_paths:
            lines.append(f"直通条件“{path.label}”：{'满足' if path.met else '不满足'}")
        if self.max_total is not None or self.items:
            lines.append(f"总分 {_fmt(self.total)} 分" + (f"（满分 {_fmt(self.max_total)}）" if self.max_total else ""))
        lines.append(f"结果：{self.outcome.label}" + (f"（{'；'.join(self.outcome.reasons)}）" if self.outcome.reasons else ""))
        return lines

    def as_dict(self) -> dict[str, Any]:
        """JSON-storable form (numbers as JSON numbers)."""

        def convert(value: Any) -> Any:
            if isinstance(value, Decimal):
                return _num(value)
            if isinstance(value, dict):
                return {k: convert(v) for k, v in value.items()}
            if isinstance(value, (list, tuple)):
                return [convert(v) for v in value]
            return value

        data = convert(asdict(self))
        data["explanation"] = self.explanation()
        data["groups"] = {g["key"]: g for g in data["groups"]}
        return data


class _Scorer:
    def __init__(self, schema: Schema, values: Mapping[str, Any], context: Mapping[str, Any] | None):
        self.schema = schema
        self.values = values
        self.names = expression_names(values, context)
        self.fields = schema.field_map()

    def item(self, item: ScoreItem) -> ItemScore:
        if item.when is not None and not truthy(evaluate(item.when, self.names)):
            return ItemScore(item.key, item.label, item.group, item.method, ZERO, item.max,
                             "不适用，不计分", applicable=False)
        points, explanation, rule, inputs = self.raw_points(item)
        capped = False
        if item.max and points > item.max:
            points, capped = item.max, True
            explanation += f"，超过满分按 {_fmt(item.max)} 分计"
        if points < ZERO:
            points = ZERO
        return ItemScore(item.key, item.label, item.group, item.method, points, item.max, explanation,
                         rule=rule, capped=capped, inputs=inputs)

    def raw_points(self, item: ScoreItem) -> tuple[Decimal, str, str, tuple[tuple[str, str], ...]]:
        method = item.method
        if method == "option":
            field = self.fields[item.field]
            value = self.values.get(item.field)
            inputs = ((item.field, _fmt(value)),)
            if value is None or value == []:
                return ZERO, "未作答，得 0 分", "", inputs
            chosen = value if isinstance(value, list) else [value]
            options = [field.option(v) for v in chosen]
            points = sum((o.score or ZERO for o in options if o), ZERO)
            labels = "、".join(f"“{o.label}”（{_fmt(o.score or ZERO)} 分）" for o in options if o)
            return points, f"选择 {labels}，得 {_fmt(points)} 分", labels, inputs
        if method == "count":
            value = self.values.get(item.field) or []
            count = Decimal(len(value))
            points = count * (item.per_item or ZERO)
            return points, f"{_fmt(count)} 项 × {_fmt(item.per_item)} 分 = {_fmt(points)} 分", "", \
                ((item.field, _fmt(count)),)
        if method == "bands":
            value = evaluate(item.value, self.names) if item.value else UNDEFINED
            name = item.value_label or (item.value.source if item.value else "")
            inputs = tuple((n, _fmt(self.values.get(n))) for n in sorted(item.value.names)) if item.value else ()
            value = _finite(value)
            if value is None:
                return ZERO, f"{name} 无法计算（数据缺失或除数为 0），得 0 分", "", inputs
            for band in item.bands:
                if band.contains(value):
                    rule = band.describe()
                    return band.points, f"{name} = {_fmt(value)}，属于“{rule}”档，得 {_fmt(band.points)} 分", \
                        rule, inputs
            return ZERO, f"{name} = {_fmt(value)}，不在任何分档内，得 0 分", "", inputs
        if method == "formula":
            value = evaluate(item.expression, self.names) if item.expression else UNDEFINED
            inputs = tuple((n, _fmt(self.values.get(n))) for n in sorted(item.expression.names)) \
                if item.expression else ()
            points = Decimal(int(value)) if isinstance(value, bool) else _finite(value)
            if points is None:
                return ZERO, f"公式 {item.expression.source if item.expression else ''} 无法计算，得 0 分", "", inputs
            return points, f"按公式 {item.expression.source} 计算，得 {_fmt(points)} 分", item.expression.source, inputs
        if method == "max_of":
            parts = [self.item(part) for part in item.parts]
            if not parts:
                return ZERO, "无计分规则，得 0 分", "", ()
            best = max(parts, key=lambda p: p.points)
            detail = "；".join(f"{p.label}：{p.explanation}" for p in parts)
            return best.points, f"取各口径最高分 {_fmt(best.points)} 分（{detail}）", best.rule, \
                tuple(i for p in parts for i in p.inputs)
        raise ValueError(method)  # the parser admits no other method

    def condition(self, condition: Condition) -> ConditionResult:
        value = evaluate(condition.expression, self.names)
        return ConditionResult(condition.key, condition.label, met=truthy(value), undetermined=value is UNDEFINED)

    def scenario_levels(self) -> tuple[tuple[str, int, str], ...]:
        levels = []
        for field in self.schema.scenario_fields:
            value = self.values.get(field.key)
            if value is not None and str(value).isdigit():
                levels.append((field.key, int(value), field.scenario["scene_type"]))
        return tuple(levels)

    def level_met(self, level: Level, total: Decimal, scenarios: tuple[tuple[str, int, str], ...]) -> list[str]:
        """Reasons a level is not reached (empty list: reached)."""
        missing = []
        if level.min_total is not None:
            ok = total >= level.min_total if level.min_total_inclusive else total > level.min_total
            if not ok:
                missing.append(f"总分需{'≥' if level.min_total_inclusive else '>'}{_fmt(level.min_total)}")
        for rule in level.scenario_counts:
            count = sum(1 for _, lvl, kind in scenarios
                        if lvl >= rule.min_level and (rule.scene_type is None or kind == rule.scene_type))
            if count < rule.count:
                kind = {"constraint": "约束性", "guidance": "指导性"}.get(rule.scene_type or "", "")
                missing.append(f"达到{rule.min_level}级及以上的{kind}场景需≥{rule.count}个（现有{count}个）")
        return missing


def score_values(schema: Schema, values: Mapping[str, Any], *, context: Mapping[str, Any] | None = None
                 ) -> ScoreResult:
    """Score already-cleaned typed values (see values.clean_answers)."""
    scorer = _Scorer(schema, values, context)
    scoring = schema.scoring
    items = tuple(scorer.item(item) for item in scoring.items)
    groups = []
    for group in scoring.groups:
        points = sum((i.points for i in items if i.group == group.key), ZERO)
        if group.max is not None and points > group.max:
            points = group.max
        groups.append(GroupScore(group.key, group.label, points, group.max, group.min,
                                 meets_min=group.min is None or points >= group.min))
    grouped = {g.key for g in scoring.groups}
    total = sum((g.points for g in groups), ZERO) + sum((i.points for i in items if i.group not in grouped), ZERO)
    if scoring.max_total is not None and total > scoring.max_total:
        total = scoring.max_total
    outcome_spec = scoring.outcome
    conditions = tuple(scorer.condition(c) for c in outcome_spec.conditions)
    direct = tuple(scorer.condition(c) for c in outcome_spec.direct_paths)
    scenarios = scorer.scenario_levels()
    if outcome_spec.type == "qualification":
        reasons = [f"未满足：{c.label}" for c in conditions if not c.met]
        score_ok = None
        if outcome_spec.min_total is not None:
            score_ok = total >= outcome_spec.min_total
            failing_groups = [g for g in groups if not g.meets_min] if outcome_spec.use_group_minima else []
            score_ok = score_ok and not failing_groups
        direct_ok = any(d.met for d in direct)
        path_ok = True if score_ok is None and not direct else bool(score_ok) or direct_ok
        if not path_ok:
            detail = []
            if outcome_spec.min_total is not None:
                detail.append(f"总分 {_fmt(total)} 分，需≥{_fmt(outcome_spec.min_total)} 分")
                if outcome_spec.use_group_minima:
                    detail += [f"{g.label} {_fmt(g.points)} 分，需≥{_fmt(g.min)} 分" for g in groups if not g.meets_min]
            if direct:
                detail.append("且不满足任一直通条件")
            reasons.append("；".join(detail))
        elif score_ok is False and direct_ok:
            reasons.append("通过直通条件：" + "、".join(d.label for d in direct if d.met))
        qualified = not [c for c in conditions if not c.met] and path_ok
        outcome = OutcomeResult("qualification", "qualified" if qualified else "not_qualified",
                                outcome_spec.qualified_label if qualified else outcome_spec.not_qualified_label,
                                qualified, tuple(r for r in reasons if r))
    elif outcome_spec.type == "levels":
        outcome = OutcomeResult("levels", "none", outcome_spec.none_label, None)
        for level in outcome_spec.levels:
            missing = scorer.level_met(level, total, scenarios)
            if not missing:
                outcome = OutcomeResult("levels", level.key, level.label, None)
                break
        else:
            lowest = outcome_spec.levels[-1] if outcome_spec.levels else None
            if lowest is not None:
                outcome = OutcomeResult("levels", "none", outcome_spec.none_label, None,
                                        tuple(scorer.level_met(lowest, total, scenarios)))
    else:
        outcome = OutcomeResult("none", "", "已计分" if items else "", None)
    return ScoreResult(total=total, max_total=scoring.max_total, items=items, groups=tuple(groups),
                       conditions=conditions, direct_paths=direct, outcome=outcome, scenario_levels=scenarios)


def score(schema: Schema, answers: Mapping[str, Any], *, context: Mapping[str, Any] | None = None) -> ScoreResult:
    """Score raw (JSON) answers: coerce, apply visibility and computed values, then score.

    Invalid or missing answers never raise; they score as unanswered and the explanation says so.
    """
    cleaned = clean_answers(schema, answers, context=context, require_complete=False)
    return score_values(schema, cleaned.values, context=context)
