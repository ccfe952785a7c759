"""Bounded arithmetic and the whitelisted functions of the rule language.

Every number is a :class:`~decimal.Decimal` computed in :data:`CONTEXT` (made the current decimal
context by :func:`bounded` around every evaluation): 28 significant digits and exponents within
±40, with overflow, invalid operations and division by zero trapped. So no
operation can build a number of unbounded size (``number("1e999999")`` overflows at once instead
of allocating a million-digit integer), and an impossible result becomes *undefined*.

Nothing here formats or repeats strings: ``%`` and ``*`` are numeric only, and ``+`` on text or
lists stops at :data:`MAX_TEXT` characters / :data:`MAX_ITEMS` items. Functions that walk a list
refuse lists longer than :data:`MAX_ITEMS`. With at most 250 syntax nodes per expression (see
:mod:`forms_engine.rules.checks`) one evaluation is therefore bounded by construction.

The interpreted and the compiled evaluators share these functions, so they give the same results.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Iterable
from contextvars import ContextVar
from decimal import (
    ROUND_CEILING,
    ROUND_FLOOR,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    localcontext,
)
from typing import Any

from forms_engine.rules.undefined import UNDEFINED

CONTEXT = Context(
    prec=28, rounding=ROUND_HALF_EVEN, Emax=40, Emin=-40, traps=[InvalidOperation, DivisionByZero, Overflow]
)
MAX_POWER_EXPONENT = 64
MAX_POWER_BASE = Decimal(10) ** 12
MAX_ITEMS = 1000  # list items a function or ``+`` may handle
MAX_TEXT = 10_000  # characters ``+`` may build
MAX_LITERAL_DIGITS = 20  # significant digits of a number written in an expression
MAX_LITERAL = Decimal(10) ** 15  # magnitude of a number written in an expression (as of answers)


class LimitError(ValueError):
    """A value is larger than the rule language allows (the expression is then undefined)."""


_create = CONTEXT.create_decimal
_bounded: ContextVar[bool] = ContextVar("forms_engine_rules_bounded", default=False)


class bounded:  # noqa: N801 - used like a function: ``with bounded():``
    """Make :data:`CONTEXT` the decimal context of this block (once for a whole answer set).

    Rule arithmetic uses Python's operators on Decimals, which take the current context: every
    evaluation runs inside this block (``evaluate`` enters it when a caller has not). Nesting is
    free. A class, not a generator: it is entered once per answer set scored.
    """

    __slots__ = ("_local", "_token")

    def __enter__(self) -> None:
        if _bounded.get():
            self._token = None
            return
        self._token = _bounded.set(True)
        self._local = localcontext(CONTEXT)
        self._local.__enter__()

    def __exit__(self, *exc: object) -> None:
        if self._token is not None:
            self._local.__exit__(*exc)
            _bounded.reset(self._token)


is_bounded = _bounded.get  # True inside bounded()


def to_decimal(value: Any) -> Decimal:
    """A finite Decimal within the context's range; TypeError/ValueError/ArithmeticError otherwise."""
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, bool):
        return Decimal(int(value))
    elif isinstance(value, int):
        number = _create(value)
    elif isinstance(value, float):
        number = _create(repr(value))
    elif isinstance(value, str):
        if len(value) > 100:
            raise LimitError("number text too long")
        number = _create(value.strip())
    else:
        raise TypeError(f"not a number: {type(value).__name__}")
    if not number.is_finite():
        raise ValueError("not a finite number")
    return number


def _operand(value: Any) -> Decimal:
    """An arithmetic operand: numbers and yes/no only (text is never converted implicitly)."""
    if isinstance(value, (Decimal, int, float)):  # bool is an int
        return to_decimal(value)
    raise TypeError(f"unsupported operand: {type(value).__name__}")


# Each operation takes the fast path for two Decimals (the usual case: answers and literals are
# Decimals) and otherwise converts yes/no and host-supplied numbers; text is refused.


def add(a: Any, b: Any) -> Any:
    if a.__class__ is Decimal and b.__class__ is Decimal:
        return a + b
    if (isinstance(a, str) and isinstance(b, str)) or (isinstance(a, list) and isinstance(b, list)):
        if len(a) + len(b) > (MAX_TEXT if isinstance(a, str) else MAX_ITEMS):
            raise LimitError("too long")
        return a + b
    return _operand(a) + _operand(b)


def sub(a: Any, b: Any) -> Decimal:
    if a.__class__ is Decimal and b.__class__ is Decimal:
        return a - b
    return _operand(a) - _operand(b)


def mul(a: Any, b: Any) -> Decimal:
    # numbers only: there is no string or list repetition in the rule language
    if a.__class__ is Decimal and b.__class__ is Decimal:
        return a * b
    return _operand(a) * _operand(b)


def div(a: Any, b: Any) -> Decimal:
    if a.__class__ is Decimal and b.__class__ is Decimal:
        return a / b
    return _operand(a) / _operand(b)


def mod(a: Any, b: Any) -> Decimal:
    # numbers only: "%" never formats text (``'%999999999s' % 'x'`` would allocate gigabytes)
    return _operand(a) % _operand(b)


def power(base: Any, exponent: Any) -> Decimal:
    base, exponent = _operand(base), _operand(exponent)
    if abs(exponent) > MAX_POWER_EXPONENT or abs(base) > MAX_POWER_BASE:
        raise LimitError("power out of bounds")
    result = base**exponent
    if not result.is_finite():  # ``0 ** -1`` is Infinity, unsignalled by the decimal context
        raise ZeroDivisionError("power of zero")
    return result


def neg(value: Any) -> Decimal:
    return -_operand(value)


def pos(value: Any) -> Decimal:
    return +_operand(value)


def _container(value: Any) -> Any:
    if isinstance(value, (list, tuple)) and len(value) > MAX_ITEMS:
        raise LimitError("too many items")
    return value


def contains(item: Any, container: Any) -> bool:
    return item in _container(container)


def not_contains(item: Any, container: Any) -> bool:
    return item not in _container(container)


# operator name → function; the interpreter and the compiler map AST operator types onto these
BINARY = {"Add": add, "Sub": sub, "Mult": mul, "Div": div, "Mod": mod, "Pow": power}
UNARY = {"USub": neg, "UAdd": pos, "Not": operator.not_}
COMPARE = {
    "Eq": operator.eq,
    "NotEq": operator.ne,
    "Lt": operator.lt,
    "LtE": operator.le,
    "Gt": operator.gt,
    "GtE": operator.ge,
    "In": contains,
    "NotIn": not_contains,
    "Is": operator.is_,
    "IsNot": operator.is_not,
}


# --- functions available in expressions ---------------------------------------------------


def _items(values: Any) -> Any:
    if values is None:
        return ()
    if isinstance(values, (str, bytes)) or not hasattr(values, "__len__"):
        raise TypeError("not a list")
    if len(values) > MAX_ITEMS:
        raise LimitError("too many items")
    return values


def _fn_floor(value: Any) -> Decimal:
    return to_decimal(value).to_integral_value(rounding=ROUND_FLOOR)


def _fn_ceil(value: Any) -> Decimal:
    return to_decimal(value).to_integral_value(rounding=ROUND_CEILING)


_PLACES = [Decimal(1).scaleb(-places) for places in range(11)]


def _fn_round(value: Any, places: Any = 0) -> Decimal:
    places = int(to_decimal(places))
    if not 0 <= places <= 10:
        raise ValueError("round() places must be 0..10")
    return to_decimal(value).quantize(_PLACES[places], rounding=ROUND_HALF_UP)  # 四舍五入


def _fn_count(values: Any) -> Decimal:
    return Decimal(len(_items(values)))


def _fn_has(values: Any, item: Any) -> bool:
    return values is not None and item in _items(values)


def _fn_column(rows: Any, column: str) -> list:
    """Values of one column of a table answer, skipping empty cells."""
    if not rows:
        return []
    values = []
    for row in _items(rows):
        if not isinstance(row, dict):  # a multiple choice or a number is not a table
            raise TypeError("not a table")
        value = row.get(column)
        if value is not None:
            values.append(value)
    return values


def _fn_sum(values: Iterable[Any]) -> Decimal:
    total = Decimal(0)
    for value in _items(values):
        if value is not None:
            total += to_decimal(value)
    return total


def _fn_min(*args: Any) -> Any:
    return min(*args) if len(args) > 1 else min(_items(args[0]))


def _fn_max(*args: Any) -> Any:
    return max(*args) if len(args) > 1 else max(_items(args[0]))


def _fn_len(value: Any) -> Decimal:
    if value is None:
        return Decimal(0)
    if isinstance(value, (Decimal, int, float)):
        raise TypeError("a number has no length")
    return Decimal(len(value))


def _fn_abs(value: Any) -> Decimal:
    return abs(to_decimal(value))


def _fn_year(value: Any) -> Decimal:
    if isinstance(value, dt.date):
        return Decimal(value.year)
    return to_decimal(value)


def _fn_blank(value: Any) -> bool:
    return value is None or value == "" or value == [] or value is UNDEFINED


FUNCTIONS: dict[str, Any] = {
    "min": _fn_min,
    "max": _fn_max,
    "abs": _fn_abs,
    "round": _fn_round,
    "floor": _fn_floor,
    "ceil": _fn_ceil,
    "len": _fn_len,
    "count": _fn_count,
    "sum": _fn_sum,
    "has": _fn_has,
    "column": _fn_column,
    "year": _fn_year,
    "blank": _fn_blank,
    "number": to_decimal,
}

FUNCTION_HELP: dict[str, str] = {
    "min": "min(a, b, …) 最小值",
    "max": "max(a, b, …) 最大值",
    "abs": "abs(x) 绝对值",
    "round": "round(x, n) 四舍五入到 n 位小数",
    "floor": "floor(x) 向下取整",
    "ceil": "ceil(x) 向上取整",
    "len": "len(x) 选项或行的个数",
    "count": "count(x) 已选项个数（未答为 0）",
    "sum": "sum(列表) 求和",
    "has": 'has(多选题, "选项值") 是否选中',
    "column": 'column(表格, "列") 表格某列的值',
    "year": "year(日期) 年份",
    "blank": "blank(x) 是否未填写",
    "number": "number(x) 转为数字",
}
