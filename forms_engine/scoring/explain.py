"""The sentences that explain a score: which rule, which band, which answer gave each point.

Values are shown exactly as they were compared (see :func:`~forms_engine.scoring.results.fmt`),
so a ratio of 2.9999997 % is never printed as "3" beside the lower band. An input that was
rejected is named with the reason instead of being passed off as unanswered.
"""

from __future__ import annotations

from forms_engine.scoring.results import ZERO, ItemScore, ScoreResult, fmt, make_item


def _invalid_inputs(item: ItemScore, names: list[str]) -> str:
    """ "「营业收入」答案无效：不能小于 0万元" for inputs of the item that were rejected."""
    found = [item.issues[n] for n in names if n in item.issues and item.issues[n].code != "required"]
    return "；".join(f"「{i.label}」答案无效：{i.message}" for i in found)


def _names(item: ItemScore) -> list[str]:
    spec = item.spec
    if spec is None:
        return []
    if spec.field:
        return [spec.field]
    expression = spec.value if spec.method == "bands" else spec.expression
    return sorted(expression.names) if expression is not None else []


def _explain_option(item: ItemScore) -> str:
    value, raw, _field = item.detail
    if value is None or value == []:
        invalid = _invalid_inputs(item, _names(item))
        return f"{invalid}，按未作答计 0 分" if invalid else "未作答，得 0 分"
    return f"选择 {item_rule(item)}，得 {fmt(raw)} 分"


def _explain_bands(item: ItemScore) -> str:
    spec = item.spec
    name = spec.value_label or (spec.value.source if spec.value else "")
    value, band = item.detail
    if value is None:
        invalid = _invalid_inputs(item, _names(item))
        return f"{name} 无法计算（{invalid or '数据缺失或除数为 0'}），得 0 分"
    if band is None:
        return f"{name} = {fmt(value)}，不在任何分档内，得 0 分"
    return f"{name} = {fmt(value)}，属于“{band.describe()}”档，得 {fmt(band.points)} 分"


def _explain_formula(item: ItemScore) -> str:
    source = item.spec.expression.source if item.spec.expression else ""
    if item.detail is None:
        invalid = _invalid_inputs(item, _names(item))
        return (
            f"公式 {source} 无法计算（{invalid}），得 0 分" if invalid else f"公式 {source} 无法计算，得 0 分"
        )
    return f"按公式 {source} 计算，得 {fmt(item.detail)} 分"


def _explain_count(item: ItemScore) -> str:
    count, raw = item.detail
    invalid = _invalid_inputs(item, _names(item))
    if invalid:
        return f"{invalid}，按 0 项计 0 分"
    return f"{fmt(count)} 项 × {fmt(item.spec.per_item)} 分 = {fmt(raw)} 分"


def _parts(item: ItemScore) -> list[ItemScore]:
    """The parts of a max_of item as ItemScores (built when the explanation is read)."""
    return [make_item(spec, raw, item.values, item.issues) for spec, raw in item.detail[0]]


def _explain_max_of(item: ItemScore) -> str:
    parts, best = _parts(item), item.detail[1]
    if not parts:
        return "无计分规则，得 0 分"
    detail = "；".join(f"{p.label}：{p.explanation}" for p in parts)
    return f"取各口径最高分 {fmt(best)} 分（{detail}）"


_EXPLAIN = {
    "option": _explain_option,
    "bands": _explain_bands,
    "formula": _explain_formula,
    "count": _explain_count,
    "max_of": _explain_max_of,
}


def explain_item(item: ItemScore) -> str:
    if not item.applicable:
        return "不适用，不计分"
    text = _EXPLAIN[item.method](item)
    if item.capped:
        text += f"，超过满分按 {fmt(item.max)} 分计"
    return text


def item_rule(item: ItemScore) -> str:
    if not item.applicable or item.spec is None:
        return ""
    method = item.method
    if method == "option":
        value, _raw, field = item.detail
        if value is None or value == []:
            return ""
        chosen = value if isinstance(value, list) else [value]
        options = [o for o in (field.option(v) for v in chosen) if o is not None]
        return "、".join(f"“{o.label}”（{fmt(o.score or ZERO)} 分）" for o in options)
    if method == "bands":
        return item.detail[1].describe() if item.detail[1] is not None else ""
    if method == "formula":
        return item.spec.expression.source if item.detail is not None and item.spec.expression else ""
    if method == "max_of":
        best = item.detail[1]
        return next((p.rule for p in _parts(item) if p.points == best), "")
    return ""


def item_inputs(item: ItemScore) -> tuple[tuple[str, str], ...]:
    if not item.applicable or item.spec is None:
        return ()
    if item.method == "option":
        return ((item.spec.field, fmt(item.detail[0])),)
    if item.method == "count":
        return ((item.spec.field, fmt(item.detail[0])),)
    if item.method == "max_of":
        return tuple(pair for part in _parts(item) for pair in part.inputs)
    return tuple((name, fmt(item.values.get(name))) for name in _names(item))


def explain_result(result: ScoreResult) -> list[str]:
    lines = [f"{item.label}：{item.explanation}" for item in result.items]
    for group in result.groups:
        bound = (
            f"（最低 {fmt(group.min)} 分，{'达到' if group.meets_min else '未达到'}）"
            if group.min is not None
            else ""
        )
        lines.append(f"{group.label} 小计 {fmt(group.points)} 分{bound}")
    for cond in result.conditions:
        state = "满足" if cond.met else ("无法判断（数据不全）" if cond.undetermined else "不满足")
        lines.append(f"条件“{cond.label}”：{state}")
    for path in result.direct_paths:
        lines.append(f"直通条件“{path.label}”：{'满足' if path.met else '不满足'}")
    if result.max_total is not None or result.items:
        lines.append(
            f"总分 {fmt(result.total)} 分" + (f"（满分 {fmt(result.max_total)}）" if result.max_total else "")
        )
    outcome = result.outcome
    lines.append(f"结果：{outcome.label}" + (f"（{'；'.join(outcome.reasons)}）" if outcome.reasons else ""))
    return lines
