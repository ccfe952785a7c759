"""Computed values: ``computed`` — read-only, recomputed from the other answers (never stored).

The value is the expression's result rounded half up to ``decimal_places``; the wizard shows it
while the person types (the page asks the server, which computes it exactly as the score does).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from forms_engine.fields import field_types
from forms_engine.fields.base import FieldType, SpecField
from forms_engine.fields.numbers import NumberType, NumberWidget, display_number

_NUMBER = NumberType()


@field_types.register
class ComputedType(FieldType):
    name = "computed"
    label = "计算值（只读）"
    order = 80
    attributes = frozenset({"expression", "unit", "decimal_places"})
    attribute_labels = {"expression": "公式", "unit": "单位", "decimal_places": "小数位数"}
    designer_inputs = ("expression", "unit", "decimal_places")
    stored = False
    numeric = True

    def parse(self, parser, raw, place):
        from forms_engine.schema.nodes import Place

        attrs: dict[str, Any] = {
            "unit": parser.text(raw, "unit", place),
            "decimal_places": parser.integer(raw, "decimal_places", place, 2, maximum=6),
        }
        if "expression" not in raw:
            parser.issue("missing", "计算字段缺少 expression", place)
        else:
            attrs["expression"] = parser.expression(
                raw["expression"], Place(**{**place.as_dict(), "part": "expression"})
            )
        return attrs

    def coerce(self, field, raw):
        # computed values are recomputed, never taken from input; a stored number is read back
        if isinstance(raw, (bool, str)):
            return raw
        return _NUMBER.coerce(field, raw)

    def to_json(self, field, value):
        if isinstance(value, (bool, str)):
            return value
        return int(value) if value == value.to_integral_value() else float(value)

    def display(self, field, value):
        return display_number(value, field.unit) if not isinstance(value, (bool, str)) else str(value)

    def formfield(self, field):
        widget = NumberWidget(
            unit=field.unit, attrs={"readonly": "readonly", "tabindex": "-1", "data-computed": field.key}
        )
        widget.input_type = "text"
        formfield = SpecField(field, widget=widget, disabled=True)
        formfield.help_text = field.help or _("根据已填数据自动计算")
        return formfield

    def initial(self, field, value):
        return "" if value is None else f"{value:f}"
