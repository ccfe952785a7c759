"""Steps, sections and fields (through the field-type registry) and cross-field validations."""

from __future__ import annotations

import dataclasses
import graphlib
from typing import Any

from forms_engine.fields import COMMON_ATTRIBUTES, AnswerError, field_types
from forms_engine.schema.nodes import Field, Place, Section, Step, Validation
from forms_engine.schema.parser.base import MAX_FIELDS, MAX_OPTIONS, MAX_SECTIONS, MAX_STEPS, BaseParser

FIELD_ATTRIBUTES = frozenset(f.name for f in dataclasses.fields(Field))


class StructureParser(BaseParser):
    def steps(self, raw: dict) -> tuple[Step, ...]:
        steps_raw = self.items(raw, "steps", Place(), required=True, limit=MAX_STEPS)
        if not steps_raw and raw.get("steps") is not None:
            self.issue("empty", "表单至少需要一个步骤", Place())
        step_keys: set[str] = set()
        section_keys: set[str] = set()
        field_keys: set[str] = set()
        steps = []
        for i, step_raw in enumerate(steps_raw):
            place = Place(part=f"steps[{i}]")
            step_raw = self.obj(step_raw, place, "步骤")
            if step_raw is None:
                continue
            key = self.key(step_raw, place, step_keys, "步骤")
            place = Place(step=key or f"#{i + 1}")
            self.unknown_attrs(step_raw, {"key", "title", "help", "sections"}, place)
            sections_raw = self.items(step_raw, "sections", place, required=True, limit=MAX_SECTIONS)
            if not sections_raw:
                self.issue("empty", "步骤至少需要一个分组", place)
            sections = [
                self.section(
                    section_raw, Place(step=place.step, part=f"sections[{j}]"), section_keys, field_keys
                )
                for j, section_raw in enumerate(sections_raw)
            ]
            steps.append(
                Step(
                    key=key,
                    title=self.text(step_raw, "title", place, required=True, limit=200),
                    help=self.text(step_raw, "help", place),
                    place=place,
                    sections=tuple(s for s in sections if s is not None),
                )
            )
        return tuple(steps)

    def section(self, raw: Any, place: Place, seen: set[str], field_keys: set[str]) -> Section | None:
        raw = self.obj(raw, place, "分组")
        if raw is None:
            return None
        key = self.key(raw, place, seen, "分组")
        place = Place(step=place.step, section=key or f"#{place.part}")
        self.unknown_attrs(raw, {"key", "title", "help", "fields"}, place)
        fields = []
        for k, field_raw in enumerate(self.items(raw, "fields", place, required=True, limit=MAX_FIELDS)):
            parsed = self.field(
                field_raw, Place(step=place.step, section=place.section, part=f"fields[{k}]"), field_keys
            )
            if parsed is not None:
                fields.append(parsed)
        return Section(
            key=key,
            title=self.text(raw, "title", place, limit=200),
            help=self.text(raw, "help", place),
            place=place,
            fields=tuple(fields),
        )

    def field(self, raw: Any, place: Place, seen: set[str], *, column: bool = False) -> Field | None:
        self.field_count += 1
        if self.field_count == MAX_FIELDS + 1:
            self.issue("too_many", f"表单最多 {MAX_FIELDS} 个字段（含表格列）", place)
        if self.field_count > MAX_FIELDS:
            return None
        raw = self.obj(raw, place, "字段")
        if raw is None:
            return None
        key = self.key(raw, place, seen, "字段")
        place = Place(
            step=place.step,
            section=place.section,
            field=key or place.part,
            part=place.part if not key else None,
        )
        ftype = raw.get("type")
        kind = field_types.get(ftype) if isinstance(ftype, str) and ftype in field_types else None
        if kind is None or (column and not kind.column):
            shown = str(ftype)[:40]
            self.issue(
                "unknown_field_type",
                f"未知字段类型 “{shown}”" + ("（表格列不支持该类型）" if column else ""),
                place,
            )
            return None
        self.unknown_attrs(raw, COMMON_ATTRIBUTES | kind.attributes, place)
        kwargs: dict[str, Any] = {
            "key": key,
            "type": ftype,
            "kind": kind,
            "place": place,
            "label": self.text(raw, "label", place, required=kind.has_value, limit=500),
            "help": self.text(raw, "help", place),
            "required": self.boolean(raw, "required", place),
            "readonly": self.boolean(raw, "readonly", place),
            "prefill": self.text(raw, "prefill", place, limit=100) or None,
            "unit": kind.unit,
        }
        if raw.get("visible_if") is not None:
            kwargs["visible_if"] = self.expression(
                raw["visible_if"], Place(**{**place.as_dict(), "part": "visible_if"})
            )
        if isinstance(raw.get("options"), list) and len(raw["options"]) > MAX_OPTIONS:
            self.issue("too_many", f"选项最多 {MAX_OPTIONS} 个", place)
            raw = {**raw, "options": raw["options"][:MAX_OPTIONS]}
        for name, value in kind.parse(self, raw, place).items():
            if name in FIELD_ATTRIBUTES:
                kwargs[name] = value
            else:  # an attribute only this type has: kept in ``extra``, read as field.<name>
                kwargs.setdefault("extra", {})[name] = value
        field = Field(**kwargs)
        if "default" in raw:
            field = self.with_default(field, raw["default"])
        return field

    def with_default(self, field: Field, default: Any) -> Field:
        try:
            value = (
                None
                if default in (None, "", [], {}) or not field.has_value
                else field.kind.coerce(field, default)
            )
        except AnswerError as exc:
            self.issue("invalid_default", f"默认值无效：{exc.message}", field.place)
            return field
        return Field(**{**field.__dict__, "default": value})

    def validations(self, raw: Any, field_map: dict[str, Field]) -> tuple[Validation, ...]:
        if raw is None:
            return ()
        if not isinstance(raw, list):
            self.issue("invalid_type", "validations 必须是列表", Place(part="validations"))
            return ()
        result, seen = [], set()
        for i, item in enumerate(self.items({"validations": raw}, "validations", Place(part="validations"))):
            place = Place(part=f"validations[{i}]")
            item = self.obj(item, place, "校验规则")
            if item is None:
                continue
            key = self.key(item, place, seen, "校验规则")
            place = Place(part=f"validations.{key or i}")
            self.unknown_attrs(item, {"key", "check", "when", "message", "fields", "severity"}, place)
            severity = item.get("severity", "error")
            if severity not in ("error", "warning"):
                self.issue("invalid_severity", "severity 只能是 error（不能提交）或 warning（只提示）", place)
                severity = "error"
            check = self.expression(item.get("check"), place) if "check" in item else None
            if check is None and "check" not in item:
                self.issue("missing", "校验规则缺少 check", place)
            fields = item.get("fields", [])
            if not isinstance(fields, list) or not fields or not all(isinstance(f, str) for f in fields):
                self.issue("missing", "校验规则需要 fields（错误显示在哪些字段旁）", place)
                fields = []
            for name in fields:
                if name not in field_map:
                    self.issue("unknown_field", f"引用了不存在的字段：{name[:64]}", place)
            when = self.expression(item["when"], place) if item.get("when") is not None else None
            if check is not None:
                result.append(
                    Validation(
                        key=key,
                        check=check,
                        when=when,
                        fields=tuple(fields),
                        place=place,
                        message=self.text(item, "message", place, required=True, limit=500),
                        severity=severity,
                    )
                )
        return tuple(result)

    def computed_cycles(self, field_map: dict[str, Field]) -> None:
        """Computed fields may use other computed fields, but not in a cycle."""
        graph = {
            k: set(f.expression.names) & set(field_map)
            for k, f in field_map.items()
            if not f.stored and f.has_value and f.expression is not None
        }
        try:
            graphlib.TopologicalSorter({k: deps & set(graph) for k, deps in graph.items()}).prepare()
        except graphlib.CycleError as exc:
            cycle = exc.args[1]  # [a, b, …, a]
            self.issue("computed_cycle", "计算字段循环引用：" + " → ".join(cycle), field_map[cycle[0]].place)
