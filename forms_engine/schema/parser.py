"""The only reader of raw schema JSON: :func:`parse_schema` turns it into typed objects.

Every problem is collected (not just the first) as a :class:`SchemaIssue` with a stable
``code`` and the :class:`Place` it refers to; :class:`SchemaValidationError` carries them all.
Old schema formats are first upgraded by the chained converters of
:mod:`forms_engine.schema.converters`.
"""

from __future__ import annotations

import datetime as dt
import keyword
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from forms_engine.rules import (
    CONTEXT_PREFIX,
    FUNCTIONS,
    CompiledExpression,
    ExpressionError,
    check_expression,
    compile_expression,
)
from forms_engine.schema.converters import CURRENT_FORMAT, SchemaFormatError, upgrade_schema
from forms_engine.schema.nodes import (
    CHOICE_TYPES,
    FIELD_TYPES,
    NUMERIC_TYPES,
    TABLE_COLUMN_TYPES,
    Band,
    Condition,
    Field,
    Level,
    Option,
    Outcome,
    Place,
    ScenarioCount,
    Schema,
    ScoreGroup,
    ScoreItem,
    Scoring,
    Section,
    Step,
    Validation,
)

ISO_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
# Python keywords cannot be names in expressions; "total" is kept for future use by scoring.
RESERVED_KEYS = set(FUNCTIONS) | set(keyword.kwlist) | {"true", "false", "none", "total"}
MAX_TABLE_ROWS = 200
SCORE_METHODS = ("option", "bands", "formula", "count", "max_of")
OUTCOME_TYPES = ("none", "qualification", "levels")

COMMON_FIELD_ATTRS = {"key", "type", "label", "help", "required", "default", "prefill", "visible_if", "readonly"}
FIELD_ATTRS: dict[str, set[str]] = {
    "text": {"min_length", "max_length", "pattern", "pattern_message"},
    "textarea": {"min_length", "max_length"},
    "integer": {"min", "max", "unit"},
    "decimal": {"min", "max", "unit", "decimal_places"},
    "percentage": {"min", "max", "decimal_places"},
    "money": {"min", "max", "decimal_places"},
    "date": {"min", "max"},
    "year": {"min", "max"},
    "single_choice": {"options", "widget", "scenario"},
    "multiple_choice": {"options", "min_selected", "max_selected"},
    "yes_no": set(),
    "region": {"min_level"},
    "industry": set(),
    "file": {"accept", "max_size_mb"},
    "table": {"columns", "min_rows", "max_rows"},
    "computed": {"expression", "unit", "decimal_places"},
    "help": {"text"},
}


@dataclass(frozen=True)
class SchemaIssue:
    code: str
    message: str
    place: Place

    def __str__(self) -> str:
        return f"{self.place}: {self.message} [{self.code}]"

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "place": self.place.as_dict(), "where": str(self.place)}


class SchemaValidationError(ValueError):
    """The schema has problems; ``issues`` lists every one of them."""

    def __init__(self, issues: list[SchemaIssue]):
        self.issues = issues
        super().__init__("; ".join(str(i) for i in issues[:20]) + (" …" if len(issues) > 20 else ""))


class _Parser:
    def __init__(self) -> None:
        self.issues: list[SchemaIssue] = []
        self.field_keys: list[str] = []
        self.deferred: list[Callable[[], None]] = []  # name checks run once every key is known

    # -- helpers -----------------------------------------------------------------------
    def issue(self, code: str, message: str, place: Place) -> None:
        self.issues.append(SchemaIssue(code, message, place))

    def obj(self, raw: Any, place: Place, what: str) -> dict[str, Any] | None:
        if not isinstance(raw, dict):
            self.issue("invalid_type", f"{what}必须是对象", place)
            return None
        return raw

    def items(self, raw: dict, name: str, place: Place, *, required: bool = False) -> list:
        value = raw.get(name)
        if value is None:
            if required:
                self.issue("missing", f"缺少 {name}", place)
            return []
        if not isinstance(value, list):
            self.issue("invalid_type", f"{name} 必须是列表", place)
            return []
        return value

    def text(self, raw: dict, name: str, place: Place, *, required: bool = False, default: str = "") -> str:
        value = raw.get(name)
        if value is None or value == "":
            if required:
                self.issue("missing", f"缺少 {name}", place)
            return default
        if not isinstance(value, str):
            self.issue("invalid_type", f"{name} 必须是文本", place)
            return default
        return value

    def boolean(self, raw: dict, name: str, place: Place, default: bool = False) -> bool:
        value = raw.get(name, default)
        if not isinstance(value, bool):
            self.issue("invalid_type", f"{name} 必须是 true 或 false", place)
            return default
        return value

    def number(self, raw: dict, name: str, place: Place, *, required: bool = False) -> Decimal | None:
        value = raw.get(name)
        if value is None:
            if required:
                self.issue("missing", f"缺少 {name}", place)
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            self.issue("invalid_number", f"{name} 必须是数字", place)
            return None
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            self.issue("invalid_number", f"{name} 必须是数字", place)
            return None
        if not number.is_finite():
            self.issue("invalid_number", f"{name} 必须是有限数字", place)
            return None
        return number

    def integer(self, raw: dict, name: str, place: Place, default: int | None = None,
                *, minimum: int = 0, maximum: int = 10**6) -> int | None:
        value = raw.get(name)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
            self.issue("invalid_number", f"{name} 必须是 {minimum}–{maximum} 之间的整数", place)
            return default
        return value

    def key(self, raw: dict, place: Place, seen: set[str], what: str) -> str:
        key = raw.get("key")
        if not isinstance(key, str) or not key:
            self.issue("missing", f"{what}缺少 key", place)
            return ""
        if not KEY_RE.match(key) or key in RESERVED_KEYS or key.startswith(CONTEXT_PREFIX):
            self.issue("invalid_key", f"key “{key}” 只能由小写字母、数字和下划线组成，以字母开头，且不能是保留字", place)
        if key in seen:
            self.issue("duplicate_key", f"key “{key}” 重复", place)
        seen.add(key)
        return key

    def unknown_attrs(self, raw: dict, allowed: Iterable[str], place: Place) -> None:
        for name in sorted(set(raw) - set(allowed)):
            self.issue("unknown_attribute", f"未知属性 {name}", place)

    def expression(self, source: Any, place: Place, *, names: Callable[[], Iterable[str]] | None = None
                   ) -> CompiledExpression | None:
        """Compile now; check names later (once every field key is known)."""
        if not isinstance(source, str):
            self.issue("invalid_type", "表达式必须是文本", place)
            return None
        try:
            compiled = compile_expression(source)
        except ExpressionError as exc:
            self.issue(f"expression_{exc.code}", exc.message, place)
            return None

        def check_names() -> None:
            known = names() if names else self.field_keys
            try:
                check_expression(source, known)
            except ExpressionError as exc:
                self.issue(f"expression_{exc.code}", exc.message, place)

        self.deferred.append(check_names)
        return compiled

    # -- structure ---------------------------------------------------------------------
    def parse(self, raw: dict) -> Schema | None:
        self.unknown_attrs(raw, {"format", "title", "description", "steps", "validations", "scoring", "metadata"},
                           Place())
        title = self.text(raw, "title", Place(), required=True)
        metadata = raw.get("metadata") or {}
        if not isinstance(metadata, dict):
            self.issue("invalid_type", "metadata 必须是对象", Place(part="metadata"))
            metadata = {}
        steps_raw = self.items(raw, "steps", Place(), required=True)
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
            sections = []
            sections_raw = self.items(step_raw, "sections", place, required=True)
            if not sections_raw:
                self.issue("empty", "步骤至少需要一个分组", place)
            for j, section_raw in enumerate(sections_raw):
                splace = Place(step=place.step, part=f"sections[{j}]")
                section_raw = self.obj(section_raw, splace, "分组")
                if section_raw is None:
                    continue
                skey = self.key(section_raw, splace, section_keys, "分组")
                splace = Place(step=place.step, section=skey or f"#{j + 1}")
                self.unknown_attrs(section_raw, {"key", "title", "help", "fields"}, splace)
                fields = []
                for k, field_raw in enumerate(self.items(section_raw, "fields", splace, required=True)):
                    fplace = Place(step=splace.step, section=splace.section, part=f"fields[{k}]")
                    parsed = self.field(field_raw, fplace, field_keys)
                    if parsed is not None:
                        fields.append(parsed)
                sections.append(Section(key=skey, title=self.text(section_raw, "title", splace),
                                        help=self.text(section_raw, "help", splace), place=splace,
                                        fields=tuple(fields)))
            steps.append(Step(key=key, title=self.text(step_raw, "title", place, required=True),
                              help=self.text(step_raw, "help", place), place=place, sections=tuple(sections)))
        self.field_keys = [f.key for s in steps for f in s.fields if f.has_value]
        field_map = {f.key: f for s in steps for f in s.fields}
        validations = self.validations(raw.get("validations"), field_map)
        scoring = self.scoring(raw.get("scoring"), field_map)
        self.computed_cycles(field_map)
        for check in self.deferred:
            check()
        return Schema(format=CURRENT_FORMAT, title=title, description=self.text(raw, "description", Place()),
                      steps=tuple(steps), validations=validations, scoring=scoring, metadata=metadata)

    def field(self, raw: Any, place: Place, seen: set[str], *, column: bool = False) -> Field | None:
        raw = self.obj(raw, place, "字段")
        if raw is None:
            return None
        key = self.key(raw, place, seen, "字段")
        place = Place(step=place.step, section=place.section, field=key or place.part,
                      part=place.part if not key else None)
        ftype = raw.get("type")
        allowed_types = TABLE_COLUMN_TYPES if column else FIELD_TYPES
        if ftype not in allowed_types:
            self.issue("unknown_field_type", f"未知字段类型 “{ftype}”" + ("（表格列不支持该类型）" if column else ""), place)
            return None
        self.unknown_attrs(raw, COMMON_FIELD_ATTRS | FIELD_ATTRS[ftype] | ({"text"} if ftype == "help" else set()),
                           place)
        label = self.text(raw, "label", place, required=ftype != "help")
        kwargs: dict[str, Any] = {
            "key": key, "type": ftype, "label": label, "place": place,
            "help": self.text(raw, "help", place),
            "required": self.boolean(raw, "required", place),
            "readonly": self.boolean(raw, "readonly", place),
            "prefill": self.text(raw, "prefill", place) or None,
        }
        if raw.get("visible_if") is not None:
            kwargs["visible_if"] = self.expression(raw["visible_if"], Place(**{**place.as_dict(), "part": "visible_if"}))
        if ftype in NUMERIC_TYPES or ftype in ("decimal", "computed"):
            kwargs.update(self.numeric_attrs(raw, ftype, place))
        if ftype in ("text", "textarea"):
            kwargs["min_length"] = self.integer(raw, "min_length", place)
            kwargs["max_length"] = self.integer(raw, "max_length", place, 200 if ftype == "text" else 5000,
                                                minimum=1, maximum=100_000)
            if kwargs["min_length"] and kwargs["max_length"] and kwargs["min_length"] > kwargs["max_length"]:
                self.issue("invalid_bounds", "min_length 不能大于 max_length", place)
            pattern = self.text(raw, "pattern", place) or None
            if pattern:
                try:
                    re.compile(pattern)
                except re.error as exc:
                    self.issue("invalid_pattern", f"正则表达式无效：{exc}", place)
                kwargs["pattern"] = pattern
                kwargs["pattern_message"] = self.text(raw, "pattern_message", place)
        if ftype == "date":
            for name in ("min", "max"):
                value = raw.get(name)
                if value is not None:
                    try:
                        if not isinstance(value, str) or not ISO_DATE_RE.fullmatch(value):
                            raise ValueError(value)
                        dt.date.fromisoformat(value)
                    except (TypeError, ValueError):
                        self.issue("invalid_date", f"{name} 必须是 YYYY-MM-DD 格式的日期", place)
                        value = None
                kwargs[f"{name}_date"] = value
        if ftype in CHOICE_TYPES:
            kwargs["options"] = self.options(raw, place)
            if ftype == "single_choice":
                kwargs["widget"] = raw.get("widget", "radio")
                if kwargs["widget"] not in ("radio", "select"):
                    self.issue("invalid_widget", "widget 只能是 radio 或 select", place)
                if raw.get("scenario") is not None:
                    kwargs["scenario"] = self.scenario(raw["scenario"], kwargs["options"], place)
            else:
                kwargs["min_selected"] = self.integer(raw, "min_selected", place)
                kwargs["max_selected"] = self.integer(raw, "max_selected", place)
                if kwargs["min_selected"] and kwargs["max_selected"] and kwargs["min_selected"] > kwargs["max_selected"]:
                    self.issue("invalid_bounds", "min_selected 不能大于 max_selected", place)
        if ftype == "region":
            kwargs["min_level"] = raw.get("min_level", "county")
            if kwargs["min_level"] not in ("province", "prefecture", "county"):
                self.issue("invalid_level", "min_level 只能是 province、prefecture 或 county", place)
        if ftype == "file":
            accept = raw.get("accept", [])
            if not isinstance(accept, list) or not all(isinstance(a, str) and a.startswith(".") for a in accept):
                self.issue("invalid_accept", "accept 必须是以点开头的扩展名列表，如 [\".pdf\"]", place)
                accept = []
            kwargs["accept"] = tuple(a.lower() for a in accept)
            kwargs["max_size_mb"] = self.number(raw, "max_size_mb", place)
        if ftype == "table":
            kwargs.update(self.table(raw, place))
        if ftype == "computed":
            if "expression" not in raw:
                self.issue("missing", "计算字段缺少 expression", place)
            else:
                kwargs["expression"] = self.expression(raw["expression"],
                                                       Place(**{**place.as_dict(), "part": "expression"}))
        if ftype == "help":
            kwargs["text"] = self.text(raw, "text", place, required=True)
        field = Field(**kwargs)
        if "default" in raw:
            field = self.with_default(field, raw["default"])
        return field

    def numeric_attrs(self, raw: dict, ftype: str, place: Place) -> dict[str, Any]:
        attrs: dict[str, Any] = {}
        low, high = self.number(raw, "min", place), self.number(raw, "max", place)
        if ftype == "percentage":
            attrs["unit"] = "%"
            low = Decimal(0) if low is None and "min" not in raw else low
        elif ftype == "money":
            attrs["unit"] = "万元"
            low = Decimal(0) if low is None and "min" not in raw else low
        else:
            attrs["unit"] = self.text(raw, "unit", place)
        if ftype == "year":
            low = Decimal(1900) if low is None else low
            high = Decimal(2100) if high is None else high
        if low is not None and high is not None and low > high:
            self.issue("invalid_bounds", "min 不能大于 max", place)
        attrs["min"], attrs["max"] = low, high
        if ftype in ("decimal", "percentage", "money", "computed"):
            attrs["decimal_places"] = self.integer(raw, "decimal_places", place, 4 if ftype == "money" else 2,
                                                   maximum=6)
        else:
            attrs["decimal_places"] = 0
        return attrs

    def options(self, raw: dict, place: Place) -> tuple[Option, ...]:
        options_raw = self.items(raw, "options", place, required=True)
        if raw.get("options") is not None and not options_raw:
            self.issue("empty", "选择题至少需要一个选项", place)
        options, seen = [], set()
        for i, option_raw in enumerate(options_raw):
            oplace = Place(**{**place.as_dict(), "part": f"options[{i}]"})
            option_raw = self.obj(option_raw, oplace, "选项")
            if option_raw is None:
                continue
            self.unknown_attrs(option_raw, {"value", "label", "score", "help", "exclusive"}, oplace)
            value = option_raw.get("value")
            if not isinstance(value, str) or not value:
                self.issue("missing", "选项缺少 value（文本）", oplace)
                continue
            if value in seen:
                self.issue("duplicate_option", f"选项值 “{value}” 重复", oplace)
            seen.add(value)
            options.append(Option(value=value, label=self.text(option_raw, "label", oplace, required=True),
                                  score=self.number(option_raw, "score", oplace),
                                  help=self.text(option_raw, "help", oplace),
                                  exclusive=self.boolean(option_raw, "exclusive", oplace)))
        return tuple(options)

    def scenario(self, raw: Any, options: tuple[Option, ...], place: Place) -> dict[str, str] | None:
        raw = self.obj(raw, place, "scenario")
        if raw is None:
            return None
        self.unknown_attrs(raw, {"scene_type", "group"}, place)
        scene_type = raw.get("scene_type", "guidance")
        if scene_type not in ("constraint", "guidance"):
            self.issue("invalid_scenario", "scene_type 只能是 constraint（约束性）或 guidance（指导性）", place)
        for option in options:
            if not option.value.isdigit():
                self.issue("invalid_scenario", "场景选项的 value 必须是等级数字，如 \"1\"…\"4\"", place)
                break
        return {"scene_type": scene_type, "group": str(raw.get("group", ""))}

    def table(self, raw: dict, place: Place) -> dict[str, Any]:
        columns, seen = [], set()
        columns_raw = self.items(raw, "columns", place, required=True)
        if raw.get("columns") is not None and not columns_raw:
            self.issue("empty", "表格至少需要一列", place)
        for i, column_raw in enumerate(columns_raw):
            cplace = Place(step=place.step, section=place.section, field=place.field, part=f"columns[{i}]")
            column = self.field(column_raw, cplace, seen, column=True)
            if column is not None:
                columns.append(column)
        min_rows = self.integer(raw, "min_rows", place, 0, maximum=MAX_TABLE_ROWS)
        max_rows = self.integer(raw, "max_rows", place, 20, minimum=1, maximum=MAX_TABLE_ROWS)
        if min_rows is not None and max_rows is not None and min_rows > max_rows:
            self.issue("invalid_bounds", "min_rows 不能大于 max_rows", place)
        return {"columns": tuple(columns), "min_rows": min_rows or 0, "max_rows": max_rows or 20}

    def with_default(self, field: Field, default: Any) -> Field:
        from forms_engine.values import AnswerError, coerce_value  # values imports nodes only

        try:
            value = coerce_value(field, default)
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
        for i, item in enumerate(raw):
            place = Place(part=f"validations[{i}]")
            item = self.obj(item, place, "校验规则")
            if item is None:
                continue
            key = self.key(item, place, seen, "校验规则")
            place = Place(part=f"validations.{key or i}")
            self.unknown_attrs(item, {"key", "check", "when", "message", "fields"}, place)
            check = self.expression(item.get("check"), place) if "check" in item else None
            if check is None and "check" not in item:
                self.issue("missing", "校验规则缺少 check", place)
            fields = item.get("fields", [])
            if not isinstance(fields, list) or not fields:
                self.issue("missing", "校验规则需要 fields（错误显示在哪些字段旁）", place)
                fields = []
            for name in fields:
                if name not in field_map:
                    self.issue("unknown_field", f"引用了不存在的字段：{name}", place)
            when = self.expression(item["when"], place) if item.get("when") is not None else None
            if check is not None:
                result.append(Validation(key=key, check=check, when=when, fields=tuple(fields), place=place,
                                         message=self.text(item, "message", place, required=True)))
        return tuple(result)

    # -- scoring -----------------------------------------------------------------------
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
            groups.append(ScoreGroup(key=key, label=self.text(group_raw, "label", gplace, required=True),
                                     max=self.number(group_raw, "max", gplace),
                                     min=self.number(group_raw, "min", gplace)))
        items, item_keys = [], set()
        for i, item_raw in enumerate(self.items(raw, "items", place)):
            item = self.score_item(item_raw, Place(part=f"scoring.items[{i}]"), field_map, item_keys, group_keys)
            if item is not None:
                items.append(item)
        return Scoring(items=tuple(items), groups=tuple(groups), max_total=self.number(raw, "max_total", place),
                       outcome=self.outcome(raw.get("outcome"), field_map, group_keys))

    def score_item(self, raw: Any, place: Place, field_map: dict[str, Field], seen: set[str],
                   group_keys: set[str], *, nested: bool = False) -> ScoreItem | None:
        raw = self.obj(raw, place, "评分项")
        if raw is None:
            return None
        key = self.key(raw, place, seen, "评分项")
        place = Place(part=f"{place.part.rsplit('[', 1)[0]}.{key}" if key else place.part)
        method = raw.get("method")
        self.unknown_attrs(raw, {"key", "label", "method", "max", "group", "field", "value", "value_label", "bands",
                                 "expression", "per_item", "parts", "when", "help"}, place)
        if method not in SCORE_METHODS:
            self.issue("unknown_method", f"未知计分方式 “{method}”，可选：{'、'.join(SCORE_METHODS)}", place)
            return None
        maximum = self.number(raw, "max", place, required=not nested)
        group = raw.get("group")
        if group is not None and group not in group_keys:
            self.issue("unknown_group", f"评分分组 “{group}” 不存在", place)
        kwargs: dict[str, Any] = {
            "key": key, "label": self.text(raw, "label", place, required=not nested) or key, "method": method,
            "max": maximum if maximum is not None else Decimal(0), "place": place, "group": group,
            "help": self.text(raw, "help", place),
        }
        if raw.get("when") is not None:
            kwargs["when"] = self.expression(raw["when"], place)
        if method in ("option", "count"):
            field_key = raw.get("field")
            field = field_map.get(field_key) if isinstance(field_key, str) else None
            if field is None:
                self.issue("unknown_field", f"引用了不存在的字段：{field_key}", place)
            elif method == "option" and field.type not in CHOICE_TYPES:
                self.issue("wrong_field_type", f"按选项计分只能用于选择题，字段 {field_key} 是 {field.type}", place)
            elif method == "option" and any(o.score is None for o in field.options):
                self.issue("missing_option_score", f"字段 {field_key} 的每个选项都需要 score", place)
            elif method == "count" and field.type not in ("multiple_choice", "table"):
                self.issue("wrong_field_type", f"按个数计分只能用于多选题或表格，字段 {field_key} 是 {field.type}", place)
            kwargs["field"] = field_key
            if method == "count":
                kwargs["per_item"] = self.number(raw, "per_item", place, required=True)
        if method == "bands":
            if "value" not in raw:
                self.issue("missing", "分档计分需要 value（字段或公式）", place)
            else:
                kwargs["value"] = self.expression(raw["value"], place)
            kwargs["value_label"] = self.text(raw, "value_label", place)
            kwargs["bands"] = self.bands(raw, place)
        if method == "formula":
            if "expression" not in raw:
                self.issue("missing", "公式计分需要 expression", place)
            else:
                kwargs["expression"] = self.expression(raw["expression"], place)
        if method == "max_of":
            parts, part_keys = [], set()
            for i, part_raw in enumerate(self.items(raw, "parts", place, required=True)):
                part = self.score_item(part_raw, Place(part=f"{place.part}.parts[{i}]"), field_map, part_keys,
                                       group_keys, nested=True)
                if part is not None:
                    parts.append(part)
            kwargs["parts"] = tuple(parts)
        return ScoreItem(**kwargs)

    def bands(self, raw: dict, place: Place) -> tuple[Band, ...]:
        bands = []
        for i, band_raw in enumerate(self.items(raw, "bands", place, required=True)):
            bplace = Place(part=f"{place.part}.bands[{i}]")
            band_raw = self.obj(band_raw, bplace, "分档")
            if band_raw is None:
                continue
            self.unknown_attrs(band_raw, {"min", "max", "min_inclusive", "max_inclusive", "points", "label"}, bplace)
            low, high = self.number(band_raw, "min", bplace), self.number(band_raw, "max", bplace)
            # Boundaries must say which side they fall on: policy tables differ (以上/以下含本数).
            for name, bound in (("min_inclusive", low), ("max_inclusive", high)):
                if bound is not None and name not in band_raw:
                    self.issue("bound_inclusivity_missing", f"设置了边界值就必须写明 {name}（是否含本数）", bplace)
            if low is not None and high is not None and low > high:
                self.issue("invalid_bounds", "分档下限不能大于上限", bplace)
            bands.append(Band(points=self.number(band_raw, "points", bplace, required=True) or Decimal(0),
                              min=low, max=high,
                              min_inclusive=self.boolean(band_raw, "min_inclusive", bplace, True),
                              max_inclusive=self.boolean(band_raw, "max_inclusive", bplace, False),
                              label=self.text(band_raw, "label", bplace)))
        for i, a in enumerate(bands):
            for b in bands[i + 1:]:
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
        self.unknown_attrs(raw, {"type", "conditions", "min_total", "use_group_minima", "direct_paths",
                                 "qualified_label", "not_qualified_label", "levels", "none_label"}, place)
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
                self.unknown_attrs(level_raw, {"key", "label", "min_total", "min_total_inclusive",
                                               "scenario_counts", "description"}, lplace)
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
                    counts.append(ScenarioCount(min_level=self.integer(count_raw, "min_level", cplace, 1,
                                                                       minimum=1, maximum=10) or 1,
                                                count=self.integer(count_raw, "count", cplace, 0) or 0,
                                                scene_type=scene_type))
                levels.append(Level(key=self.key(level_raw, lplace, seen, "等级"),
                                    label=self.text(level_raw, "label", lplace, required=True),
                                    min_total=self.number(level_raw, "min_total", lplace),
                                    min_total_inclusive=self.boolean(level_raw, "min_total_inclusive", lplace, True),
                                    scenario_counts=tuple(counts),
                                    description=self.text(level_raw, "description", lplace)))
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
                result.append(Condition(key=key, label=self.text(item, "label", cplace, required=True),
                                        expression=expression, place=cplace))
        return tuple(result)

    def computed_cycles(self, field_map: dict[str, Field]) -> None:
        """Computed fields may use other computed fields, but not in a cycle."""
        deps = {k: set(f.expression.names) & set(field_map) for k, f in field_map.items()
                if f.type == "computed" and f.expression is not None}
        visiting: set[str] = set()
        done: set[str] = set()

        def visit(key: str, trail: list[str]) -> None:
            if key in done or key not in deps:
                return
            if key in visiting:
                self.issue("computed_cycle", "计算字段循环引用：" + " → ".join(trail + [key]), field_map[key].place)
                return
            visiting.add(key)
            for dep in deps[key]:
                visit(dep, trail + [key])
            visiting.discard(key)
            done.add(key)

        for key in deps:
            visit(key, [])


def _bands_overlap(a: Band, b: Band) -> bool:
    """True if some value falls in both bands (bounds and inclusivity considered)."""

    def lower_ok(band_low: Decimal | None, inclusive: bool, other_high: Decimal | None, other_incl: bool) -> bool:
        if band_low is None or other_high is None:
            return True
        if band_low < other_high:
            return True
        return band_low == other_high and inclusive and other_incl

    return lower_ok(a.min, a.min_inclusive, b.max, b.max_inclusive) and \
        lower_ok(b.min, b.min_inclusive, a.max, a.max_inclusive)


def parse_schema(raw: Any) -> Schema:
    """Upgrade ``raw`` to the current format and parse it.

    Raises SchemaValidationError listing every issue found.
    """
    if not isinstance(raw, dict):
        raise SchemaValidationError([SchemaIssue("invalid_type", "表单定义必须是 JSON 对象", Place())])
    try:
        upgraded = upgrade_schema(raw)
    except SchemaFormatError as exc:
        raise SchemaValidationError([SchemaIssue(exc.code, str(exc), Place(part="format"))]) from None
    parser = _Parser()
    schema = parser.parse(upgraded)
    if parser.issues or schema is None:
        raise SchemaValidationError(parser.issues)
    return schema


def validate_schema(raw: Any) -> list[SchemaIssue]:
    """Every issue of ``raw`` (empty list if it is valid)."""
    try:
        parse_schema(raw)
    except SchemaValidationError as exc:
        return exc.issues
    return []
