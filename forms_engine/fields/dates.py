"""Dates: ``date`` (YYYY-MM-DD, optional bounds)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms

from forms_engine.fields import field_types
from forms_engine.fields.base import AnswerError, FieldType

ISO_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


@field_types.register
class DateType(FieldType):
    name = "date"
    label = "日期"
    order = 30
    attributes = frozenset({"min", "max"})
    attribute_labels = {"min": "最早日期", "max": "最晚日期"}
    designer_inputs = ("min", "max")
    column = True

    def parse(self, parser, raw, place):
        attrs: dict[str, Any] = {}
        for name in ("min", "max"):
            value = raw.get(name)
            if value is not None:
                try:
                    if not isinstance(value, str) or not ISO_DATE_RE.fullmatch(value):
                        raise ValueError(value)
                    dt.date.fromisoformat(value)
                except (TypeError, ValueError):
                    parser.issue("invalid_date", f"{name} 必须是 YYYY-MM-DD 格式的日期", place)
                    value = None
            attrs[f"{name}_date"] = value
        return attrs

    def coerce(self, field, raw):
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
                raise AnswerError(
                    "invalid_date", "请输入有效日期，格式为 年-月-日（如 2026-01-31）"
                ) from None
        if field.min_date and value < dt.date.fromisoformat(field.min_date):
            raise AnswerError("date_min", f"不能早于 {field.min_date}")
        if field.max_date and value > dt.date.fromisoformat(field.max_date):
            raise AnswerError("date_max", f"不能晚于 {field.max_date}")
        return value

    def to_json(self, field, value):
        return value.isoformat()

    def display(self, field, value):
        return f"{value.year}年{value.month}月{value.day}日"

    def widget(self, field):
        attrs = {"type": "date"}
        if field.min_date:
            attrs["min"] = field.min_date
        if field.max_date:
            attrs["max"] = field.max_date
        return forms.DateInput(attrs=attrs, format="%Y-%m-%d")
