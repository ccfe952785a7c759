"""Scoring: groups, score items (option, bands, formula, count, max_of), the outcome."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from forms_engine.schema.nodes import (
    Band,
    Condition,
    Field,
    Level,
    Outcome,
    Place,
    ScenarioCount,
    ScoreGroup,
    ScoreItem,
    Scoring,
)
from forms_engine.schema.parser.base import BaseParser

SCORE_METHODS = ("option", "bands", "formula", "count", "max_of")
ITEM_ATTRIBUTES = {
    "key",
    "label",
    "method",
    "max",
    "group",
    "field",
    "value",
    "value_label",
    "bands",
    "expression",
    "per_item",
    "parts",
    "when",
    "help",
}
OUTCOME_TYPES = ("none", "qualification", "levels")


class ScoringParser(BaseParser):
    def scoring(self, raw: Any, field_map: dict[str, Field]) -> Scoring:
        if raw is None:
            return Scoring()
        place = Place(part="scoring")
        raw = self.obj(raw, place, "scoring")
        if raw is None:
            return Scoring()
        self.unknown_attrs(raw, {"items", "groups", "max_total", "outcome"}, place)
        groups, group_keys = [], set()
        for i, group_raw in enumerate(self.items(raw, "groups", place)):
            gplace = Place(part=f"scoring.groups[{i}]")
            group_raw = self.obj(group_raw, gplace, "分组")
            if group_raw is None:
                continue
            self.unknown_attrs(group_raw, {"key", "label", "max", "min"}, gplace)
            key = self.key(group_raw, gplace, group_keys, "评分分组")
            groups.append(
                ScoreGroup(
                    key=key,
                    label=self.text(group_raw, "label", gplace, required=True),
                    max=self.number(group_raw, "max", gplace),
                    min=self.number(group_raw, "min", gplace),
                )
            )
        items, item_keys = [], set()
        for i, item_raw in enumerate(self.items(raw, "items", place)):
            item = self.score_item(
                item_raw, Place(part=f"scoring.items[{i}]"), field_map, item_keys, group_keys
            )
            if item is not None:
                items.append(item)
        return Scoring(
            items=tuple(items),
            groups=tuple(groups),
            max_total=self.number(raw, "max_total", place),
            outcome=self.outcome(raw.get("outcome"), field_map, group_keys),
        )

    def score_item(
        self,
        raw: Any,
        place: Place,
        field_map: dict[str, Field],
        seen: set[str],
        group_keys: set[str],
        *,
        nested: bool = False,
    ) -> ScoreItem | None:
        raw = self.obj(raw, place, "评分项")
        if raw is None:
            return None
        key = self.key(raw, place, seen, "评分项")
        place = Place(part=f"{place.part.rsplit('[', 1)[0]}.{key}" if key else place.part)
        method = raw.get("method")
        self.unknown_attrs(raw, ITEM_ATTRIBUTES, place)
        if method not in SCORE_METHODS:
            self.issue("unknown_method", f"未知计分方式 “{method}”，可选：{'、'.join(SCORE_METHODS)}", place)
            return None
        maximum = self.number(raw, "max", place, required=not nested)
        group = raw.get("group")
        if group is not None and group not in group_keys:
            self.issue("unknown_group", f"评分分组 “{group}” 不存在", place)
        kwargs: dict[str, Any] = {
            "key": key,
            "label": self.text(raw, "label", place, required=not nested) or key,
            "method": method,
            "max": maximum if maximum is not None else Decimal(0),
            "place": place,
            "group": group,
            "help": self.text(raw, "help", place),
        }
        if raw.get("when") is not None:
            kwargs["when"] = self.expression(raw["when"], place)
        method_attrs = {
            "option": self._field_item,
            "count": self._field_item,
            "bands": self._bands_item,
            "formula": self._formula_item,
            "max_of": self._max_of_item,
        }[method]
        kwargs.update(method_attrs(raw, place, method, field_map, group_keys))
        return ScoreItem(**kwargs)

    def _field_item(
        self, raw: dict, place: Place, method: str, field_map: dict[str, Field], group_keys: set[str]
    ) -> dict[str, Any]:
        """``option`` and ``count``: the field they score, of a type they can score."""
        field_key = raw.get("field")
        field = field_map.get(field_key) if isinstance(field_key, str) else None
        if field is None:
            self.issue("unknown_field", f"引用了不存在的字段：{field_key}", place)
        elif method == "option" and not field.kind.choice:
            self.issue(
                "wrong_field_type", f"按选项计分只能用于选择题，字段 {field_key} 是{field.kind.label}", place
            )
        elif method == "option" and any(o.score is None for o in field.options):
            self.issue("missing_option_score", f"字段 {field_key} 的每个选项都需要 score", place)
        elif method == "count" and not field.kind.countable:
            self.issue(
                "wrong_field_type",
                f"按个数计分只能用于多选题或表格，字段 {field_key} 是{field.kind.label}",
                place,
            )
        attrs: dict[str, Any] = {"field": field_key}
        if method == "count":
            attrs["per_item"] = self.number(raw, "per_item", place, required=True)
        return attrs

    def _bands_item(
        self, raw: dict, place: Place, method: str, field_map: dict[str, Field], group_keys: set[str]
    ) -> dict[str, Any]:
        attrs: dict[str, Any] = {
            "value_label": self.text(raw, "value_label", place),
            "bands": self.bands(raw, place),
        }
        if "value" not in raw:
            self.issue("missing", "分档计分需要 value（字段或公式）", place)
        else:
            attrs["value"] = self.expression(raw["value"], place)
        return attrs

    def _formula_item(
        self, raw: dict, place: Place, method: str, field_map: dict[str, Field], group_keys: set[str]
    ) -> dict[str, Any]:
        if "expression" not in raw:
            self.issue("missing", "公式计分需要 expression", place)
            return {}
        return {"expression": self.expression(raw["expression"], place)}

    def _max_of_item(
        self, raw: dict, place: Place, method: str, field_map: dict[str, Field], group_keys: set[str]
    ) -> dict[str, Any]:
        parts, part_keys = [], set()
        for i, part_raw in enumerate(self.items(raw, "parts", place, required=True)):
            part = self.score_item(
                part_raw,
                Place(part=f"{place.part}.parts[{i}]"),
                field_map,
                part_keys,
                group_keys,
                nested=True,
            )
            if part is not None:
                parts.append(part)
        return {"parts": tuple(parts)}

    def bands(self, raw: dict, place: Place) -> tuple[Band, ...]:
        bands = []
        for i, band_raw in enumerate(self.items(raw, "bands", place, required=True)):
            bplace = Place(part=f"{place.part}.bands[{i}]")
            band_raw = self.obj(band_raw, bplace, "分档")
            if band_raw is None:
                continue
            self.unknown_attrs(
                band_raw, {"min", "max", "min_inclusive", "max_inclusive", "points", "label"}, bplace
            )
            low, high = self.number(band_raw, "min", bplace), self.number(band_raw, "max", bplace)
            # Boundaries must say which side they fall on: policy tables differ (以上/以下含本数).
            for name, bound in (("min_inclusive", low), ("max_inclusive", high)):
                if bound is not None and name not in band_raw:
                    self.issue(
                        "bound_inclusivity_missing", f"设置了边界值就必须写明 {name}（是否含本数）", bplace
                    )
            if low is not None and high is not None and low > high:
                self.issue("invalid_bounds", "分档下限不能大于上限", bplace)
            bands.append(
                Band(
                    points=self.number(band_raw, "points", bplace, required=True) or Decimal(0),
                    min=low,
                    max=high,
                    min_inclusive=self.boolean(band_raw, "min_inclusive", bplace, True),
                    max_inclusive=self.boolean(band_raw, "max_inclusive", bplace, False),
                    label=self.text(band_raw, "label", bplace),
                )
            )
        for i, a in enumerate(bands):
            for b in bands[i + 1 :]:
                if _bands_overlap(a, b):
                    self.issue("band_overlap", f"分档 “{a.describe()}” 与 “{b.describe()}” 重叠", place)
        return tuple(bands)

    def outcome(self, raw: Any, field_map: dict[str, Field], group_keys: set[str]) -> Outcome:
        if raw is None:
            return Outcome()
        place = Place(part="scoring.outcome")
        raw = self.obj(raw, place, "outcome")
        if raw is None:
            return Outcome()
        self.unknown_attrs(
            raw,
            {
                "type",
                "conditions",
                "min_total",
                "use_group_minima",
                "direct_paths",
                "qualified_label",
                "not_qualified_label",
                "levels",
                "none_label",
            },
            place,
        )
        otype = raw.get("type", "none")
        if otype not in OUTCOME_TYPES:
            self.issue("unknown_outcome", f"未知结果类型 “{otype}”", place)
            return Outcome()
        kwargs: dict[str, Any] = {"type": otype}
        if otype == "qualification":
            kwargs["conditions"] = self.conditions(raw, "conditions", place)
            kwargs["direct_paths"] = self.conditions(raw, "direct_paths", place)
            kwargs["min_total"] = self.number(raw, "min_total", place)
            kwargs["use_group_minima"] = self.boolean(raw, "use_group_minima", place, True)
            kwargs["qualified_label"] = self.text(raw, "qualified_label", place, default="符合条件")
            kwargs["not_qualified_label"] = self.text(raw, "not_qualified_label", place, default="不符合条件")
        elif otype == "levels":
            levels, seen = [], set()
            scenario_types = {f.scenario["scene_type"] for f in field_map.values() if f.scenario}
            for i, level_raw in enumerate(self.items(raw, "levels", place, required=True)):
                lplace = Place(part=f"scoring.outcome.levels[{i}]")
                level_raw = self.obj(level_raw, lplace, "等级")
                if level_raw is None:
                    continue
                self.unknown_attrs(
                    level_raw,
                    {"key", "label", "min_total", "min_total_inclusive", "scenario_counts", "description"},
                    lplace,
                )
                counts = []
                for j, count_raw in enumerate(self.items(level_raw, "scenario_counts", lplace)):
                    cplace = Place(part=f"{lplace.part}.scenario_counts[{j}]")
                    count_raw = self.obj(count_raw, cplace, "场景条件")
                    if count_raw is None:
                        continue
                    self.unknown_attrs(count_raw, {"min_level", "count", "scene_type"}, cplace)
                    scene_type = count_raw.get("scene_type")
                    if scene_type is not None and scene_type not in scenario_types:
                        self.issue("invalid_scenario", f"没有 scene_type 为 {scene_type} 的场景字段", cplace)
                    if not scenario_types:
                        self.issue("invalid_scenario", "按场景计数的等级需要场景字段（scenario）", cplace)
                    counts.append(
                        ScenarioCount(
                            min_level=self.integer(count_raw, "min_level", cplace, 1, minimum=1, maximum=10)
                            or 1,
                            count=self.integer(count_raw, "count", cplace, 0) or 0,
                            scene_type=scene_type,
                        )
                    )
                levels.append(
                    Level(
                        key=self.key(level_raw, lplace, seen, "等级"),
                        label=self.text(level_raw, "label", lplace, required=True),
                        min_total=self.number(level_raw, "min_total", lplace),
                        min_total_inclusive=self.boolean(level_raw, "min_total_inclusive", lplace, True),
                        scenario_counts=tuple(counts),
                        description=self.text(level_raw, "description", lplace),
                    )
                )
            kwargs["levels"] = tuple(levels)
            kwargs["none_label"] = self.text(raw, "none_label", place, default="未达到最低等级")
        return Outcome(**kwargs)

    def conditions(self, raw: dict, name: str, place: Place) -> tuple[Condition, ...]:
        result, seen = [], set()
        for i, item in enumerate(self.items(raw, name, place)):
            cplace = Place(part=f"scoring.outcome.{name}[{i}]")
            item = self.obj(item, cplace, "条件")
            if item is None:
                continue
            self.unknown_attrs(item, {"key", "label", "expression"}, cplace)
            key = self.key(item, cplace, seen, "条件")
            expression = self.expression(item.get("expression"), cplace)
            if expression is not None:
                result.append(
                    Condition(
                        key=key,
                        label=self.text(item, "label", cplace, required=True),
                        expression=expression,
                        place=cplace,
                    )
                )
        return tuple(result)


def _bands_overlap(a: Band, b: Band) -> bool:
    """True if some value falls in both bands (bounds and inclusivity considered)."""

    def lower_ok(
        band_low: Decimal | None, inclusive: bool, other_high: Decimal | None, other_incl: bool
    ) -> bool:
        if band_low is None or other_high is None:
            return True
        if band_low < other_high:
            return True
        return band_low == other_high and inclusive and other_incl

    return lower_ok(a.min, a.min_inclusive, b.max, b.max_inclusive) and lower_ok(
        b.min, b.min_inclusive, a.max, a.max_inclusive
    )
