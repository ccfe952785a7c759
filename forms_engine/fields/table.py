"""Repeating rows: ``table`` (columns of the types marked ``column``, at most 200 rows)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms

from forms_engine.fields import field_types
from forms_engine.fields.base import AnswerError, FieldType, blank

MAX_TABLE_ROWS = 200


class TableWidget(forms.Widget):
    """Repeating rows of typed cells. Posted as ``<name>-<row>-<column>``."""

    template_name = "forms_engine/widgets/table.html"

    def __init__(self, spec, attrs: dict | None = None):
        self.spec = spec
        super().__init__(attrs)

    def value_from_datadict(self, data: Mapping[str, Any], files: Any, name: str) -> list[dict[str, Any]]:
        rows = []
        for index in range(self.spec.max_rows + 1):
            row = {c.key: data.get(f"{name}-{index}-{c.key}") or None for c in self.spec.columns}
            rows.append(row)
        # keep blank rows in the middle so messages name the row the person sees ("第 3 行");
        # trailing blank rows are the spare rows of the widget
        while rows and all(v is None for v in rows[-1].values()):
            rows.pop()
        return rows

    def value_omitted_from_data(self, data, files, name) -> bool:
        return not any(key.startswith(f"{name}-") for key in data)

    def format_value(self, value: Any) -> Any:
        return value

    def get_context(self, name: str, value: Any, attrs: dict | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        rows = list(value or [])
        shown = max(self.spec.min_rows, len(rows) + 1, 1)
        shown = min(shown, self.spec.max_rows)
        context["widget"].update(
            {
                "columns": self.spec.columns,
                "rows": [(index, rows[index] if index < len(rows) else {}) for index in range(shown)],
                "max_rows": self.spec.max_rows,
            }
        )
        return context


@field_types.register
class TableType(FieldType):
    name = "table"
    label = "表格（可重复行）"
    order = 70
    attributes = frozenset({"columns", "min_rows", "max_rows"})
    attribute_labels = {"columns": "表格列", "min_rows": "最少行数", "max_rows": "最多行数"}
    designer_inputs = ("min_rows", "max_rows")
    countable = True
    free_text = True  # rows may hold names and texts

    def parse(self, parser, raw, place):
        from forms_engine.schema.nodes import Place

        columns, seen = [], set()
        columns_raw = parser.items(raw, "columns", place, required=True)
        if raw.get("columns") is not None and not columns_raw:
            parser.issue("empty", "表格至少需要一列", place)
        for i, column_raw in enumerate(columns_raw):
            cplace = Place(step=place.step, section=place.section, field=place.field, part=f"columns[{i}]")
            column = parser.field(column_raw, cplace, seen, column=True)
            if column is not None:
                columns.append(column)
        min_rows = parser.integer(raw, "min_rows", place, 0, maximum=MAX_TABLE_ROWS)
        max_rows = parser.integer(raw, "max_rows", place, 20, minimum=1, maximum=MAX_TABLE_ROWS)
        if min_rows is not None and max_rows is not None and min_rows > max_rows:
            parser.issue("invalid_bounds", "min_rows 不能大于 max_rows", place)
        return {"columns": tuple(columns), "min_rows": min_rows or 0, "max_rows": max_rows or 20}

    def coerce(self, field, raw):
        if not isinstance(raw, list) or not all(isinstance(r, Mapping) for r in raw):
            raise AnswerError("invalid", "表格数据格式不正确")
        if len(raw) > MAX_TABLE_ROWS * 2:
            raise AnswerError("max_rows", f"最多填写 {field.max_rows} 行")
        rows = []
        for index, row in enumerate(raw, start=1):
            if all(blank(row.get(c.key)) for c in field.columns):
                continue  # empty rows are ignored, as a person expects
            clean_row = {}
            for column in field.columns:
                value = row.get(column.key)
                if blank(value):
                    if column.required:
                        raise AnswerError("required", f"第 {index} 行“{column.label}”不能为空")
                    clean_row[column.key] = None
                    continue
                try:
                    clean_row[column.key] = column.kind.coerce(column, value)
                except AnswerError as exc:
                    raise AnswerError(exc.code, f"第 {index} 行“{column.label}”{exc.message}") from None
            rows.append(clean_row)
        if len(rows) < field.min_rows:
            raise AnswerError("min_rows", f"至少填写 {field.min_rows} 行")
        if len(rows) > field.max_rows:
            raise AnswerError("max_rows", f"最多填写 {field.max_rows} 行")
        return rows

    def to_json(self, field, value):
        return [
            {
                c.key: (None if row.get(c.key) is None else c.kind.to_json(c, row[c.key]))
                for c in field.columns
            }
            for row in value
        ]

    def display(self, field, value):
        lines = []
        for index, row in enumerate(value, start=1):
            cells = [
                f"{c.label}：{c.kind.display(c, row[c.key]) if row.get(c.key) is not None else '—'}"
                for c in field.columns
            ]
            lines.append(f"第 {index} 行：" + "；".join(cells))
        return "\n".join(lines) if lines else "（无）"

    def formfield(self, field):
        from forms_engine.fields.base import SpecField

        return SpecField(field, widget=TableWidget(field))
