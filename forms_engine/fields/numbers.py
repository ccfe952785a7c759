"""Numbers: ``integer``, ``decimal`` (with a free unit), ``percentage`` (%), ``money`` (万元), ``year``.

Answers are exact decimals. Magnitudes are kept within ±10^15 so that arithmetic in rules stays
within the rule language's decimal context. The unit is shown beside the input, in messages and
in the readable answers, so a 元/万元 slip is visible.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms

from forms_engine.fields import field_types
from forms_engine.fields.base import AnswerError, FieldType, fmt_number

MAX_MAGNITUDE = Decimal(10) ** 15
MAX_INT = 10**15


def parse_number(raw: Any) -> Decimal:
    """A finite Decimal from a JSON number or typed text (thousands separators allowed)."""
    kind = raw.__class__
    if kind is int:
        number = Decimal(raw)
    elif kind is Decimal:
        number = raw
    elif kind is float:
        number = Decimal(repr(raw)) if raw == raw and raw not in (float("inf"), float("-inf")) else None
    elif kind is str:
        try:
            number = Decimal(raw.strip().replace(",", "").replace("，", ""))
        except (InvalidOperation, ValueError):
            number = None
    else:
        number = None
    if number is None or not number.is_finite():
        raise AnswerError("invalid", "请输入数字")
    return number


class NumberWidget(forms.NumberInput):
    """A number input with its unit shown after it (万元, %, 人 …)."""

    template_name = "forms_engine/widgets/number_unit.html"

    def __init__(self, *, unit: str = "", attrs: dict | None = None):
        self.unit = unit
        super().__init__(attrs)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        widget["unit"] = self.unit
        if self.unit and widget["attrs"].get("id"):
            # screen readers announce the unit with the input (after its help text)
            widget["unit_id"] = f"{widget['attrs']['id']}_unit"
            described = widget["attrs"].get("aria-describedby", "")
            widget["attrs"]["aria-describedby"] = f"{described} {widget['unit_id']}".strip()
        return context


class NumberType(FieldType):
    """Shared by every numeric type; subclasses fix the unit, bounds and decimal places."""

    name = "decimal"
    label = "小数（带单位）"
    order = 22
    attributes = frozenset({"min", "max", "unit", "decimal_places"})
    attribute_labels = {"min": "最小值", "max": "最大值", "unit": "单位", "decimal_places": "小数位数"}
    designer_inputs = ("min", "max", "unit", "decimal_places")
    numeric = True
    column = True
    integral = False
    default_places = 2
    default_min: Decimal | None = None
    default_max: Decimal | None = None

    def parse(self, parser, raw, place):
        low, high = parser.number(raw, "min", place), parser.number(raw, "max", place)
        if low is None and "min" not in raw:
            low = self.default_min
        if high is None and "max" not in raw:
            high = self.default_max
        if low is not None and high is not None and low > high:
            parser.issue("invalid_bounds", "min 不能大于 max", place)
        attrs: dict[str, Any] = {"min": low, "max": high}
        attrs["unit"] = self.unit if "unit" not in self.attributes else parser.text(raw, "unit", place)
        if self.integral:
            attrs["decimal_places"] = 0
        else:
            attrs["decimal_places"] = parser.integer(
                raw, "decimal_places", place, self.default_places, maximum=6
            )
        return attrs

    def coerce(self, field, raw):
        if isinstance(raw, bool):
            raise AnswerError("invalid", "请输入数字")
        number = parse_number(raw)
        if self.integral and number != number.to_integral_value():
            raise AnswerError("invalid", "请输入整数")
        if number and abs(number.adjusted()) > 15:  # also keeps normalize() below clear of overflow
            raise (
                AnswerError("max_value", "数值过大")
                if number.adjusted() > 0
                else AnswerError("invalid", "数值过小")
            )
        if not self.integral:
            exponent = number.normalize().as_tuple().exponent
            if isinstance(exponent, int) and -exponent > field.decimal_places:
                raise AnswerError("decimal_places", f"最多保留 {field.decimal_places} 位小数")
        if abs(number) >= MAX_MAGNITUDE:
            raise AnswerError("max_value", "数值过大")
        if field.min is not None and number < field.min:
            raise AnswerError("min_value", f"不能小于 {fmt_number(field.min)}{field.unit}")
        if field.max is not None and number > field.max:
            raise AnswerError("max_value", f"不能大于 {fmt_number(field.max)}{field.unit}")
        return number

    def coercer(self, field):
        """Fast path for JSON numbers within bounds; anything else (text, out of range, too many
        decimals, exponents) goes through :meth:`coerce`, which also gives the messages."""
        slow = super().coercer(field)
        low, high = field.min, field.max
        limit = field.decimal_places + 1  # characters from the "." on

        def coerce_number(raw):
            kind = raw.__class__
            if kind is float and -1e15 < raw < 1e15:
                text = repr(raw)  # the shortest text of the float: "1234.56", "100.0", "1e-05"
                if "e" in text or (len(text) - text.find(".") > limit and not text.endswith(".0")):
                    return slow(raw)
                number = Decimal(text)
            elif kind is int and -MAX_INT < raw < MAX_INT:
                number = Decimal(raw)
            else:
                return slow(raw)
            if (low is not None and number < low) or (high is not None and number > high):
                return slow(raw)
            return number

        return coerce_number

    def to_json(self, field, value):
        if self.integral or value == value.to_integral_value():
            return int(value)
        return float(value)

    def display(self, field, value):
        return display_number(value, field.unit, grouping=self.name != "year")

    def widget(self, field):
        step = "1" if field.decimal_places == 0 else str(Decimal(1).scaleb(-field.decimal_places))
        attrs = {"inputmode": "decimal" if field.decimal_places else "numeric", "step": step}
        if field.min is not None:
            attrs["min"] = str(field.min)
        if field.max is not None:
            attrs["max"] = str(field.max)
        if field.unit:
            attrs["data-unit"] = field.unit
        return NumberWidget(unit=field.unit, attrs=attrs)


def display_number(value: Decimal, unit: str = "", *, grouping: bool = True) -> str:
    """``1,234.5 万元``, ``3.5%``, ``120 人``: the number as written, no trailing zeros."""
    if not isinstance(value, Decimal):
        value = Decimal(str(value))
    normalized = value.normalize() if value else Decimal(0)
    text = f"{normalized:,f}" if grouping else f"{normalized:f}"
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


@field_types.register
class IntegerType(NumberType):
    name = "integer"
    label = "整数"
    order = 20
    attributes = frozenset({"min", "max", "unit"})
    designer_inputs = ("min", "max", "unit")
    integral = True


@field_types.register
class DecimalType(NumberType):
    pass


@field_types.register
class PercentageType(NumberType):
    name = "percentage"
    label = "百分比"
    order = 23
    attributes = frozenset({"min", "max", "decimal_places"})
    designer_inputs = ("min", "max", "decimal_places")
    unit = "%"
    default_min = Decimal(0)


@field_types.register
class MoneyType(NumberType):
    name = "money"
    label = "金额（万元）"
    order = 24
    attributes = frozenset({"min", "max", "decimal_places"})
    designer_inputs = ("min", "max", "decimal_places")
    unit = "万元"
    default_places = 4
    default_min = Decimal(0)


@field_types.register
class YearType(NumberType):
    name = "year"
    label = "年份"
    order = 31
    attributes = frozenset({"min", "max"})
    designer_inputs = ("min", "max")
    integral = True
    default_min = Decimal(1900)
    default_max = Decimal(2100)

    def parse(self, parser, raw, place):
        attrs = super().parse(parser, raw, place)
        # a year always has bounds: an explicit null keeps the default (as before)
        attrs["min"] = Decimal(1900) if attrs["min"] is None else attrs["min"]
        attrs["max"] = Decimal(2100) if attrs["max"] is None else attrs["max"]
        return attrs

    def widget(self, field):
        widget = super().widget(field)
        widget.attrs["inputmode"] = "numeric"
        return widget
