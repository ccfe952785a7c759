"""Compare two form schemas: a readable diff and the key-freezing check. Pure, no database.

:func:`diff_schemas` lists what changed between two versions as rows a policy-staff member can
read — fields added, removed, moved or changed (label, type, required, bounds, visibility …),
options added/removed and their score changes, numeric-band changes, score items, groups,
outcome rules and levels, cross-field validations and metadata.

:func:`frozen_key_violations` enforces that a field key used by a published (or retired)
version keeps its meaning in a new draft: stored answers refer to it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from forms_engine.fields import field_types
from forms_engine.schema import Place, SchemaIssue, upgrade_schema

CATEGORY_LABELS = {
    "structure": "步骤与分组",
    "field": "字段",
    "option": "选项",
    "band": "分档",
    "score_item": "计分项",
    "group": "得分组",
    "outcome": "结果判定",
    "level": "等级",
    "validation": "校验规则",
    "metadata": "元数据",
}
CHANGE_LABELS = {"added": "新增", "removed": "删除", "changed": "修改"}

ATTRIBUTE_LABELS = {
    "label": "题目",
    "title": "标题",
    "type": "类型",
    "required": "必填",
    "help": "说明",
    "default": "默认值",
    "prefill": "预填来源",
    "visible_if": "显示条件",
    "readonly": "只读",
    "min": "最小值",
    "max": "最大值",
    "unit": "单位",
    "decimal_places": "小数位数",
    "min_length": "最少字数",
    "max_length": "最多字数",
    "pattern": "格式（正则）",
    "pattern_message": "格式提示",
    "widget": "控件",
    "min_selected": "最少选择",
    "max_selected": "最多选择",
    "scenario": "场景",
    "min_level": "区划级别",
    "accept": "文件类型",
    "max_size_mb": "文件大小上限",
    "columns": "表格列",
    "min_rows": "最少行数",
    "max_rows": "最多行数",
    "expression": "公式",
    "text": "说明文字",
    "score": "分值",
    "exclusive": "互斥",
    "points": "得分",
    "method": "计分方式",
    "group": "所属组",
    "field": "字段",
    "value": "计量值",
    "value_label": "计量值名称",
    "per_item": "每项得分",
    "parts": "子项",
    "when": "适用条件",
    "check": "校验条件",
    "fields": "关联字段",
    "message": "提示",
    "min_total": "总分门槛",
    "min_total_inclusive": "含门槛分",
    "use_group_minima": "检查组最低分",
    "qualified_label": "符合时结论",
    "not_qualified_label": "不符合时结论",
    "none_label": "未达等级时结论",
    "scenario_counts": "场景数量要求",
    "description": "说明",
    "max_total": "满分",
    "position": "位置",
    "severity": "类型（错误/提醒）",
    "purpose": "适用情形",
}


@dataclass(frozen=True)
class DiffRow:
    """One readable change. ``where`` names the thing (e.g. "字段 network_build（网络建设）")."""

    category: str
    change: str  # added | removed | changed
    where: str
    attribute: str = ""
    old: str = ""
    new: str = ""
    label: str = ""  # the attribute's name as its field type calls it (e.g. a date's min is 最早日期)

    @property
    def category_label(self) -> str:
        return CATEGORY_LABELS.get(self.category, self.category)

    @property
    def change_label(self) -> str:
        return CHANGE_LABELS.get(self.change, self.change)

    @property
    def attribute_label(self) -> str:
        return self.label or ATTRIBUTE_LABELS.get(self.attribute, self.attribute)


@dataclass(frozen=True)
class SchemaDiff:
    rows: tuple[DiffRow, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.rows

    def of(self, category: str, change: str | None = None) -> list[DiffRow]:
        return [r for r in self.rows if r.category == category and (change is None or r.change == change)]

    def summary(self) -> dict[str, dict[str, int]]:
        counts: dict[str, dict[str, int]] = {}
        for row in self.rows:
            counts.setdefault(row.category, {}).setdefault(row.change, 0)
            counts[row.category][row.change] += 1
        return counts

    def by_category(self) -> list[tuple[str, list[DiffRow]]]:
        return [(CATEGORY_LABELS[c], self.of(c)) for c in CATEGORY_LABELS if self.of(c)]


def show(value: Any) -> str:
    """A value as policy staff read it."""
    if value is None:
        return "（无）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


@dataclass
class _Differ:
    rows: list[DiffRow] = field(default_factory=list)

    def add(
        self,
        category: str,
        change: str,
        where: str,
        attribute: str = "",
        old: Any = None,
        new: Any = None,
        label: str = "",
    ) -> None:
        if attribute == "type" and category == "field":
            old, new = type_label(old), type_label(new)
        self.rows.append(
            DiffRow(
                category,
                change,
                where,
                attribute,
                "" if change == "added" else show(old) if attribute else "",
                "" if change == "removed" else show(new) if attribute else "",
                label,
            )
        )

    def attrs(
        self,
        category: str,
        where: str,
        old: Mapping[str, Any],
        new: Mapping[str, Any],
        skip: Iterable[str] = (),
        labels: Mapping[str, str] | None = None,
    ) -> None:
        skipped = set(skip) | {"key"}
        for name in sorted(
            set(old) | set(new),
            key=lambda n: (list(ATTRIBUTE_LABELS).index(n) if n in ATTRIBUTE_LABELS else 999, n),
        ):
            if name in skipped:
                continue
            if _norm(old.get(name)) != _norm(new.get(name)):
                self.add(
                    category,
                    "changed",
                    where,
                    name,
                    old.get(name),
                    new.get(name),
                    label=(labels or {}).get(name, ""),
                )

    def keyed(
        self,
        category: str,
        old: list,
        new: list,
        name: Any,
        *,
        skip: Iterable[str] = (),
        inner: Any = None,
        key: str = "key",
    ) -> None:
        """Diff two lists of objects matched by ``key``; ``name(obj)`` labels an object."""
        old_map = {o.get(key): o for o in old if isinstance(o, dict)}
        new_map = {o.get(key): o for o in new if isinstance(o, dict)}
        for k, obj in new_map.items():
            if k not in old_map:
                self.add(category, "added", name(obj))
        for k, obj in old_map.items():
            if k not in new_map:
                self.add(category, "removed", name(obj))
        for k, obj in new_map.items():
            if k in old_map:
                self.attrs(category, name(obj), old_map[k], obj, skip)
                if inner is not None:
                    inner(old_map[k], obj)


def _norm(value: Any) -> Any:
    """Numbers compare by value (20 == 20.0); everything else as is."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, list):
        return [_norm(v) for v in value]
    if isinstance(value, dict):
        return {k: _norm(v) for k, v in value.items()}
    return value


def _field_name(raw: Mapping[str, Any]) -> str:
    label = raw.get("label") or raw.get("text") or ""
    return f"字段 {raw.get('key')}（{label[:30]}）" if label else f"字段 {raw.get('key')}"


def _fields(schema: Mapping[str, Any]) -> dict[str, tuple[dict, str, str]]:
    found: dict[str, tuple[dict, str, str]] = {}
    for step in schema.get("steps") or []:
        for section in step.get("sections") or []:
            for raw in section.get("fields") or []:
                if isinstance(raw, dict) and raw.get("key"):
                    found[raw["key"]] = (raw, step.get("key", ""), section.get("key", ""))
    return found


def _band_name(item_name: str, band: Mapping[str, Any]) -> str:
    lower = (
        "" if band.get("min") is None else f"{'≥' if band.get('min_inclusive') else '>'}{show(band['min'])}"
    )
    upper = (
        "" if band.get("max") is None else f"{'≤' if band.get('max_inclusive') else '<'}{show(band['max'])}"
    )
    bounds = " 且 ".join(b for b in (lower, upper) if b) or "任意值"
    return f"{item_name} · 分档 {band.get('label') or bounds}"


def _band_key(band: Mapping[str, Any]) -> tuple:
    return (
        _norm(band.get("min")),
        bool(band.get("min_inclusive")),
        _norm(band.get("max")),
        bool(band.get("max_inclusive")),
    )


def _step_name(raw: Mapping[str, Any]) -> str:
    return f"步骤 {raw.get('key')}（{raw.get('title', '')}）"


def _diff_structure(d: _Differ, old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
    def sections(old_step: Mapping[str, Any], new_step: Mapping[str, Any]) -> None:
        d.keyed(
            "structure",
            old_step.get("sections") or [],
            new_step.get("sections") or [],
            lambda s: f"{_step_name(new_step)} / 分组 {s.get('key')}（{s.get('title', '')}）",
            skip={"fields"},
        )

    d.keyed(
        "structure",
        old.get("steps") or [],
        new.get("steps") or [],
        _step_name,
        skip={"sections"},
        inner=sections,
    )


def _diff_fields(d: _Differ, old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
    """Fields wherever they are: added, removed, moved, changed, and their options."""
    old_fields, new_fields = _fields(old), _fields(new)
    for key, (raw, step, section) in new_fields.items():
        if key not in old_fields:
            d.add("field", "added", _field_name(raw) + f" 于 {step}/{section}")
    for key, (raw, _step, _section) in old_fields.items():
        if key not in new_fields:
            d.add("field", "removed", _field_name(raw))
    for key, (raw, step, section) in new_fields.items():
        if key not in old_fields:
            continue
        old_raw, old_step, old_section = old_fields[key]
        name = _field_name(raw)
        if (old_step, old_section) != (step, section):
            d.add("field", "changed", name, "position", f"{old_step}/{old_section}", f"{step}/{section}")
        d.attrs("field", name, old_raw, raw, skip={"options"}, labels=_type_attribute_labels(raw.get("type")))
        d.keyed(
            "option",
            old_raw.get("options") or [],
            raw.get("options") or [],
            lambda o, name=name: f"{name} · 选项 {o.get('value')}（{o.get('label', '')}）",
            key="value",
        )


def _item_name(raw: Mapping[str, Any]) -> str:
    return f"计分项 {raw.get('key')}（{raw.get('label', '')}）"


def _diff_bands(d: _Differ, name: str, old_item: Mapping[str, Any], new_item: Mapping[str, Any]) -> None:
    old_bands = {_band_key(b): b for b in old_item.get("bands") or []}
    new_bands = {_band_key(b): b for b in new_item.get("bands") or []}
    for k, band in new_bands.items():
        if k not in old_bands:
            d.add("band", "added", _band_name(name, band) + f"：{show(band.get('points'))} 分")
    for k, band in old_bands.items():
        if k not in new_bands:
            d.add("band", "removed", _band_name(name, band) + f"：{show(band.get('points'))} 分")
    for k, band in new_bands.items():
        if k in old_bands:
            d.attrs(
                "band",
                _band_name(name, band),
                old_bands[k],
                band,
                skip={"min", "max", "min_inclusive", "max_inclusive"},
            )


def _diff_scoring(d: _Differ, old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
    old_scoring, new_scoring = old.get("scoring") or {}, new.get("scoring") or {}
    d.attrs(
        "score_item",
        "计分",
        {"max_total": old_scoring.get("max_total")},
        {"max_total": new_scoring.get("max_total")},
    )
    d.keyed(
        "group",
        old_scoring.get("groups") or [],
        new_scoring.get("groups") or [],
        lambda g: f"得分组 {g.get('key')}（{g.get('label', '')}）",
    )

    def item_inner(old_item: Mapping[str, Any], new_item: Mapping[str, Any]) -> None:
        name = _item_name(new_item)
        _diff_bands(d, name, old_item, new_item)
        d.keyed(
            "score_item",
            old_item.get("parts") or [],
            new_item.get("parts") or [],
            lambda p: f"{name} · 子项 {p.get('key')}（{p.get('label', '')}）",
            skip={"bands", "parts"},
            inner=item_inner,
        )

    d.keyed(
        "score_item",
        old_scoring.get("items") or [],
        new_scoring.get("items") or [],
        _item_name,
        skip={"bands", "parts"},
        inner=item_inner,
    )
    old_outcome, new_outcome = old_scoring.get("outcome") or {}, new_scoring.get("outcome") or {}
    d.attrs("outcome", "结果判定", old_outcome, new_outcome, skip={"conditions", "direct_paths", "levels"})
    d.keyed(
        "outcome",
        old_outcome.get("conditions") or [],
        new_outcome.get("conditions") or [],
        lambda c: f"必要条件 {c.get('key')}（{c.get('label', '')}）",
    )
    d.keyed(
        "outcome",
        old_outcome.get("direct_paths") or [],
        new_outcome.get("direct_paths") or [],
        lambda c: f"直通条件 {c.get('key')}（{c.get('label', '')}）",
    )
    d.keyed(
        "level",
        old_outcome.get("levels") or [],
        new_outcome.get("levels") or [],
        lambda level: f"等级 {level.get('key')}（{level.get('label', '')}）",
    )


def diff_schemas(old: Mapping[str, Any], new: Mapping[str, Any]) -> SchemaDiff:
    """Readable differences from ``old`` to ``new`` (raw schema JSON of two versions).

    Raises SchemaFormatError if either schema has an unknown format.
    """
    old, new = upgrade_schema(dict(old)), upgrade_schema(dict(new))
    d = _Differ()
    d.attrs(
        "metadata",
        "表单",
        {k: old.get(k) for k in ("title", "description")},
        {k: new.get(k) for k in ("title", "description")},
    )
    d.attrs("metadata", "元数据", old.get("metadata") or {}, new.get("metadata") or {})
    _diff_structure(d, old, new)
    _diff_fields(d, old, new)
    _diff_scoring(d, old, new)
    d.keyed(
        "validation",
        old.get("validations") or [],
        new.get("validations") or [],
        lambda v: f"校验规则 {v.get('key')}（{v.get('message', '')[:30]}）",
    )
    return SchemaDiff(tuple(d.rows))


def _type_attribute_labels(type_key: Any) -> Mapping[str, str]:
    """The field type's own names of its attributes (the registry's ``attribute_labels``)."""
    return field_types.get(type_key).attribute_labels if type_key in field_types else {}


def type_label(type_key: Any) -> str:
    return field_types.get(type_key).label if type_key in field_types else str(type_key)


FROZEN_KEY_MESSAGE = "该字段已在已发布版本中使用，标识不能修改，否则已保存的答案将无法对应"


def frozen_field_keys(published_schemas: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Field key → field type for every field of the given (published or retired) schemas."""
    frozen: dict[str, str] = {}
    for schema in published_schemas:
        for key, (raw, _step, _section) in _fields(upgrade_schema(dict(schema))).items():
            frozen.setdefault(key, raw.get("type", ""))
    return frozen


def frozen_key_violations(
    published_schemas: Iterable[Mapping[str, Any]], draft_schema: Mapping[str, Any]
) -> list[SchemaIssue]:
    """Issues where the draft gives a field key used by a published version another meaning.

    A key keeps its meaning when it keeps its type (stored answers of that key stay readable).
    Removing a field is allowed: old submissions keep their own version. Renaming is prevented
    by the editor (the key of a frozen field is read-only); a rename done in JSON shows up as a
    removed plus an added field in the diff.
    """
    frozen = frozen_field_keys(published_schemas)
    issues = []
    for key, (raw, step, section) in _fields(upgrade_schema(dict(draft_schema))).items():
        if key in frozen and raw.get("type") != frozen[key]:
            issues.append(
                SchemaIssue(
                    "frozen_key_type_changed",
                    f"{FROZEN_KEY_MESSAGE}：已发布版本中“{key}”是{type_label(frozen[key])}，"
                    f"不能改为{type_label(raw.get('type'))}；请新建一个标识不同的字段",
                    Place(step=step, section=section, field=key, part="type"),
                )
            )
    return issues
