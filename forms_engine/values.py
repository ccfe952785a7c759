"""Answer values: one validator per field type, and whole-answer cleaning.

Answers are stored as JSON. :func:`coerce_value` turns a stored (or submitted) JSON value into
the typed value rules and scoring use (numbers become :class:`~decimal.Decimal`, dates
:class:`datetime.date`, yes/no ``bool``…) and enforces the field's own constraints;
:func:`to_json` does the reverse. :func:`clean_answers` applies visibility, computed values and
cross-field validations to a whole answer set and collects every error. The Django form fields
of :mod:`forms_engine.rendering` call the same validators, so the wizard and the service agree.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from forms_engine.lookups import lookups
from forms_engine.rules import UNDEFINED, evaluate, truthy
from forms_engine.schema.nodes import Field, Schema

ISO_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


class AnswerError(ValueError):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class AnswerIssue:
    field: str
    label: str
    code: str
    message: str
    step: str | None = None

    def __str__(self) -> str:
        return f"「{self.label}」{self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.field, "label": self.label, "code": self.code, "message": self.message,
                "step": self.step}


@dataclass
class CleanedAnswers:
    values: dict[str, Any]  # typed values of visible fields (computed included); hidden → absent
    visible: set[str]
    issues: list[AnswerIssue] = dataclass_field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.issues

    def issues_for(self, key: str) -> list[AnswerIssue]:
        return [i for i in self.issues if i.field == key]


def _fmt(number: Decimal) -> str:
    return f"{number.normalize():f}"


def _blank(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _number(field: Field, raw: Any, *, integral: bool) -> Decimal:
    if isinstance(raw, bool):
        raise AnswerError("invalid", "请输入数字")
    try:
        number = Decimal(str(raw).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise AnswerError("invalid", "请输入数字") from None
    if not number.is_finite():
        raise AnswerError("invalid", "请输入数字")
    if integral and number != number.to_integral_value():
        raise AnswerError("invalid", "请输入整数")
    if abs(number.adjusted()) > 15:  # also keeps normalize() below clear of overflow
        raise AnswerError("max_value", "数值过大") if number.adjusted() > 0 else AnswerError("invalid", "数值过小")
    if not integral:
        exponent = number.normalize().as_tuple().exponent
        if isinstance(exponent, int) and -exponent > field.decimal_places:
            raise AnswerError("decimal_places", f"最多保留 {field.decimal_places} 位小数")
    if abs(number) >= Decimal(10) ** 15:
        raise AnswerError("max_value", "数值过大")
    unit = field.unit
    if field.min is not None and number < field.min:
        raise AnswerError("min_value", f"不能小于 {_fmt(field.min)}{unit}")
    if field.max is not None and number > field.max:
        raise AnswerError("max_value", f"不能大于 {_fmt(field.max)}{unit}")
    return number


def _text(field: Field, raw: Any) -> str:
    if not isinstance(raw, str):
        raw = str(raw)
    value = raw.strip()
    if field.max_length is not None and len(value) > field.max_length:
        raise AnswerError("max_length", f"最多 {field.max_length} 个字")
    if field.min_length is not None and len(value) < field.min_length:
        raise AnswerError("min_length", f"至少 {field.min_length} 个字")
    if field.pattern and not re.fullmatch(field.pattern, value):
        raise AnswerError("pattern", field.pattern_message or "格式不正确")
    return value


def _date(field: Field, raw: Any) -> dt.date:
    if isinstance(raw, dt.datetime):
        value = raw.date()
    elif isinstance(raw, dt.date):
        value = raw
    else:
        try:
            text = str(raw).strip()
            if not ISO_DATE_RE.fullmatch(text):
                raise ValueError(text)
            value = dt.date.fromisoformat(text)
        except ValueError:
            raise AnswerError("invalid_date", "请输入有效日期，格式为 年-月-日（如 2026-01-31）") from None
    if field.min_date and value < dt.date.fromisoformat(field.min_date):
        raise AnswerError("date_min", f"不能早于 {field.min_date}")
    if field.max_date and value > dt.date.fromisoformat(field.max_date):
        raise AnswerError("date_max", f"不能晚于 {field.max_date}")
    return value


def _single(field: Field, raw: Any) -> str:
    value = str(raw)
    if field.option(value) is None:
        raise AnswerError("invalid_choice", "请选择列表中的选项")
    return value


def _multiple(field: Field, raw: Any) -> list[str]:
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, (list, tuple)):
        raise AnswerError("invalid_choice", "请选择列表中的选项")
    chosen = {str(v) for v in raw}
    unknown = [v for v in chosen if field.option(v) is None]
    if unknown:
        raise AnswerError("invalid_choice", "请选择列表中的选项")
    exclusive = [o for o in field.options if o.exclusive and o.value in chosen]
    if exclusive and len(chosen) > 1:
        raise AnswerError("exclusive_choice", f"选择“{exclusive[0].label}”时不能同时选择其他选项")
    if field.min_selected and len(chosen) < field.min_selected:
        raise AnswerError("min_selected", f"至少选择 {field.min_selected} 项")
    if field.max_selected and len(chosen) > field.max_selected:
        raise AnswerError("max_selected", f"最多选择 {field.max_selected} 项")
    return [o.value for o in field.options if o.value in chosen]


def _yes_no(field: Field, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in ("true", "yes", "1", "是", "on"):
        return True
    if text in ("false", "no", "0", "否", "off"):
        return False
    raise AnswerError("invalid", "请选择“是”或“否”")


def _lookup_code(name: str, pattern: str) -> Any:
    def coerce(field: Field, raw: Any) -> str:
        value = str(raw).strip()
        if name in lookups:
            if not lookups.get(name).is_valid(value):
                raise AnswerError("unknown_code", "请选择有效的选项")
        elif not re.fullmatch(pattern, value):
            raise AnswerError("unknown_code", "请选择有效的选项")
        return value

    return coerce


def _region(field: Field, raw: Any) -> str:
    value = _lookup_code("region", r"\d{6}")(field, raw)
    if field.min_level == "county" and value.endswith("00"):
        # county codes never end in 00; a province (xx0000) or prefecture (xxxx00) is too coarse
        raise AnswerError("region_level", "请选择到区/县一级")
    if field.min_level == "prefecture" and value.endswith("0000"):
        raise AnswerError("region_level", "请选择到地市一级")
    return value


def _file(field: Field, raw: Any) -> dict[str, Any]:
    if not isinstance(raw, Mapping) or not raw.get("name") or not raw.get("path"):
        raise AnswerError("invalid", "附件信息不完整，请重新上传")
    name = str(raw["name"])
    if field.accept and not name.lower().endswith(field.accept):
        raise AnswerError("file_type", "只能上传以下类型的文件：" + "、".join(field.accept))
    size = raw.get("size") or 0
    if isinstance(size, bool) or not isinstance(size, int) or size < 0:
        raise AnswerError("invalid", "附件信息不完整，请重新上传")
    if field.max_size_mb is not None and Decimal(size) > field.max_size_mb * 1024 * 1024:
        raise AnswerError("file_size", f"文件不能超过 {_fmt(field.max_size_mb)} MB")
    return {"name": name, "path": str(raw["path"]), "size": int(size),
            "content_type": str(raw.get("content_type") or "")}


def _table(field: Field, raw: Any) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or not all(isinstance(r, Mapping) for r in raw):
        raise AnswerError("invalid", "表格数据格式不正确")
    rows = []
    for index, row in enumerate(raw, start=1):
        if all(_blank(row.get(c.key)) for c in field.columns):
            continue  # empty rows are ignored, as a person expects
        clean_row = {}
        for column in field.columns:
            value = row.get(column.key)
            if _blank(value):
                if column.required:
                    raise AnswerError("required", f"第 {index} 行“{column.label}”不能为空")
                clean_row[column.key] = None
                continue
            try:
                clean_row[column.key] = COERCERS[column.type](column, value)
            except AnswerError as exc:
                raise AnswerError(exc.code, f"第 {index} 行“{column.label}”{exc.message}") from None
        rows.append(clean_row)
    if len(rows) < field.min_rows:
        raise AnswerError("min_rows", f"至少填写 {field.min_rows} 行")
    if len(rows) > field.max_rows:
        raise AnswerError("max_rows", f"最多填写 {field.max_rows} 行")
    return rows


COERCERS: dict[str, Any] = {
    "text": _text,
    "textarea": _text,
    "integer": lambda f, raw: _number(f, raw, integral=True),
    "year": lambda f, raw: _number(f, raw, integral=True),
    "decimal": lambda f, raw: _number(f, raw, integral=False),
    "percentage": lambda f, raw: _number(f, raw, integral=False),
    "money": lambda f, raw: _number(f, raw, integral=False),
    "computed": lambda f, raw: _number(f, raw, integral=False) if not isinstance(raw, (bool, str)) else raw,
    "date": _date,
    "single_choice": _single,
    "multiple_choice": _multiple,
    "yes_no": _yes_no,
    "region": _region,
    "industry": _lookup_code("industry", r"[A-T]|\d{2,4}"),
    "file": _file,
    "table": _table,
}


def coerce_value(field: Field, raw: Any) -> Any:
    """Typed value of one answer, or None when blank.

    Raises AnswerError(code, message) when the value breaks the field's type or constraints.
    Does not check ``required`` (that depends on visibility, see clean_answers).
    """
    if _blank(raw) or not field.has_value:
        return None
    return COERCERS[field.type](field, raw)


def to_json(field: Field, value: Any) -> Any:
    """JSON-storable form of a typed value."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        if field.type in ("integer", "year") or value == value.to_integral_value():
            return int(value)
        return float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if field.type == "table":
        return [{c.key: to_json(c, row.get(c.key)) for c in field.columns} for row in value]
    return value


def expression_names(values: Mapping[str, Any], context: Mapping[str, Any] | None) -> dict[str, Any]:
    names = dict(values)
    for key, value in (context or {}).items():
        names[f"ctx_{key}"] = value
    return names


def _compute(schema: Schema, names: dict[str, Any], values: dict[str, Any], visible: set[str] | None) -> None:
    """Evaluate computed fields in dependency order (one pass), rounding half up."""
    for field in schema.computed_order:
        if visible is not None and field.key not in visible:
            values[field.key] = names[field.key] = None
            continue
        result = evaluate(field.expression, names)
        if isinstance(result, Decimal):
            try:
                result = result.quantize(Decimal(1).scaleb(-field.decimal_places), rounding=ROUND_HALF_UP)
            except ArithmeticError:
                result = None  # too large to represent: treated as undefined
        elif result is UNDEFINED or isinstance(result, (str, list, dict)):
            result = None
        values[field.key] = names[field.key] = result


def clean_answers(schema: Schema, answers: Mapping[str, Any], *, context: Mapping[str, Any] | None = None,
                  require_complete: bool = True, steps: set[str] | None = None) -> CleanedAnswers:
    """Coerce, apply visibility and computed values, and check a whole answer set.

    ``require_complete`` False skips "required" checks (for drafts and score previews).
    ``steps`` limits required/cross-field checks to fields of those steps (one wizard step).
    Never raises for bad answers: every problem is an AnswerIssue.
    """
    values: dict[str, Any] = {}
    issues: list[AnswerIssue] = []
    visible: set[str] = set()
    step_of = schema.step_of_field
    fields = schema.value_fields
    for field in fields:
        if field.type == "computed":
            continue
        try:
            values[field.key] = coerce_value(field, answers.get(field.key))
        except AnswerError as exc:
            values[field.key] = None
            if steps is None or step_of[field.key] in steps:
                issues.append(AnswerIssue(field.key, field.label, exc.code, exc.message, step_of[field.key]))
    # Computed values first (a visibility condition may use one), then visibility in schema
    # order (hidden fields count as unanswered), then computed values again without hidden input.
    names = expression_names(values, context)
    _compute(schema, names, values, None)
    for field in fields:
        if field.visible_if is not None and not truthy(evaluate(field.visible_if, names)):
            values[field.key] = names[field.key] = None
            issues = [i for i in issues if i.field != field.key]
            continue
        visible.add(field.key)
    _compute(schema, names, values, visible)
    if require_complete:
        for field in fields:
            in_scope = steps is None or step_of[field.key] in steps
            if (in_scope and field.required and field.type != "computed" and field.key in visible
                    and _blank(values.get(field.key)) and not any(i.field == field.key for i in issues)):
                issues.append(AnswerIssue(field.key, field.label, "required", "此项为必填项", step_of[field.key]))
        by_key = schema.field_map()
        for validation in schema.validations:
            targets = [k for k in validation.fields if k in visible]
            if not targets or (steps is not None and not any(step_of.get(k) in steps for k in targets)):
                continue
            if any(i.field in validation.fields for i in issues):
                continue  # the field is already wrong on its own; one message at a time
            if validation.when is not None and not truthy(evaluate(validation.when, names)):
                continue
            result = evaluate(validation.check, names)
            if result is UNDEFINED:
                continue  # not enough answers to judge yet; "required" covers the gaps
            if not result:
                target = targets[0]
                issues.append(AnswerIssue(target, by_key[target].label, f"rule_{validation.key}",
                                          validation.message, step_of.get(target)))
    return CleanedAnswers(values={k: v for k, v in values.items() if k in visible}, visible=visible, issues=issues)
