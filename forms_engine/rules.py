"""The rule language: safe, bounded expressions over a form's answers.

Rules (visibility conditions, cross-field validations, computed values, score formulas,
qualification conditions) are written as small Python-syntax expressions, for example::

    rd_spend / revenue * 100
    has_award or equity_financing >= 500
    "B" in network_options and len(network_options) >= 2

Why simpleeval: it is a maintained library that evaluates a Python *expression* AST against
explicit whitelists of operators, functions and names, with no ``eval``; policy staff can read
and write the syntax (arithmetic, comparisons, ``and``/``or``, ``x if c else y``, ``in``). JSON
Logic would be as safe but far harder to read and write by hand.

On top of simpleeval this module adds, before anything is stored:

* a static check (:func:`check_expression`) that only whitelisted syntax is used, that every
  name is a known field key or context value, every function is whitelisted, and that the
  expression is short (length and node count limits) — unknown references are errors at save
  time, not at run time;
* bounded evaluation: no loops or comprehensions exist in the grammar, ``**`` is limited to
  small exponents, and sizes of lists are bounded by the schema (table max rows);
* exact decimal arithmetic: numbers are :class:`~decimal.Decimal` so that ``30 / 1000 * 100``
  is exactly ``3`` and band boundaries behave as the policy tables say.

An expression that cannot be evaluated on given answers (a missing answer, division by zero)
yields :data:`UNDEFINED` rather than raising, and callers explain that to the user.
"""

from __future__ import annotations

import ast
import datetime as dt
import math
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, DivisionByZero, InvalidOperation
from functools import lru_cache
from typing import Any

import simpleeval

MAX_EXPRESSION_LENGTH = 1000
MAX_EXPRESSION_NODES = 250
MAX_POWER_EXPONENT = 64
MAX_POWER_BASE = Decimal(10) ** 12

CONTEXT_PREFIX = "ctx_"
CONSTANT_NAMES = {"True": True, "False": False, "None": None}


class _Undefined:
    """Result of an expression that cannot be evaluated on the given answers."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "UNDEFINED"


UNDEFINED: Any = _Undefined()


class ExpressionError(ValueError):
    """An expression is not acceptable. ``code`` is stable; ``message`` is for people."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


# --- functions available in expressions -------------------------------------------------


def _to_decimal(value: Any) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        return Decimal(int(value))
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, str):
        return Decimal(value)
    raise TypeError(f"not a number: {value!r}")


def _fn_floor(value: Any) -> Decimal:
    return Decimal(math.floor(_to_decimal(value)))


def _fn_ceil(value: Any) -> Decimal:
    return Decimal(math.ceil(_to_decimal(value)))


def _fn_round(value: Any, places: Any = 0) -> Decimal:
    places = int(places)
    if not 0 <= places <= 10:
        raise ValueError("round() places must be 0..10")
    return _to_decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)  # 四舍五入


def _fn_count(values: Any) -> Decimal:
    if values is None:
        return Decimal(0)
    return Decimal(len(values))


def _fn_has(values: Any, item: Any) -> bool:
    return values is not None and item in values


def _fn_column(rows: Any, column: str) -> list:
    """Values of one column of a table answer, skipping empty cells."""
    if not rows:
        return []
    return [row.get(column) for row in rows if row.get(column) is not None]


def _fn_sum(values: Iterable[Any]) -> Decimal:
    return sum((_to_decimal(v) for v in values if v is not None), Decimal(0))


def _fn_min(*args: Any) -> Any:
    return min(*args) if len(args) > 1 else min(args[0])


def _fn_max(*args: Any) -> Any:
    return max(*args) if len(args) > 1 else max(args[0])


def _fn_len(value: Any) -> Decimal:
    return Decimal(len(value)) if value is not None else Decimal(0)


def _fn_abs(value: Any) -> Decimal:
    return abs(_to_decimal(value))


def _fn_year(value: Any) -> Decimal:
    if isinstance(value, dt.date):
        return Decimal(value.year)
    return _to_decimal(value)


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
    "number": _to_decimal,
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
    "has": "has(多选题, \"选项值\") 是否选中",
    "column": "column(表格, \"列\") 表格某列的值",
    "year": "year(日期) 年份",
    "blank": "blank(x) 是否未填写",
    "number": "number(x) 转为数字",
}


def _bounded_pow(base: Any, exponent: Any) -> Decimal:
    base, exponent = _to_decimal(base), _to_decimal(exponent)
    if abs(exponent) > MAX_POWER_EXPONENT or abs(base) > MAX_POWER_BASE:
        raise simpleeval.NumberTooHigh("power out of bounds")
    return base**exponent


def _safe_div(a: Any, b: Any) -> Decimal:
    return _to_decimal(a) / _to_decimal(b)


OPERATORS = dict(simpleeval.DEFAULT_OPERATORS)
OPERATORS[ast.Pow] = _bounded_pow
OPERATORS[ast.Div] = _safe_div
# Bit operations and floor division have no use in policy rules.
for _op in (ast.BitAnd, ast.BitOr, ast.BitXor, ast.LShift, ast.RShift, ast.FloorDiv, ast.Invert):
    OPERATORS.pop(_op, None)

ALLOWED_NODES: tuple[type[ast.AST], ...] = (
    ast.Expression, ast.BoolOp, ast.BinOp, ast.UnaryOp, ast.Compare, ast.IfExp, ast.Call,
    ast.Name, ast.Constant, ast.List, ast.Tuple, ast.Load,
    ast.And, ast.Or, ast.Not, ast.USub, ast.UAdd,
    ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Mod, ast.Pow,
    ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.In, ast.NotIn, ast.Is, ast.IsNot,
)


class _Evaluator(simpleeval.EvalWithCompoundTypes):
    """simpleeval with decimal literals and without comprehensions, dicts or sets."""

    def __init__(self) -> None:
        # a copy: EvalWithCompoundTypes adds list/tuple/dict/set to the dict it is given, which
        # would otherwise widen the whitelist the static check uses
        super().__init__(operators=OPERATORS, functions=dict(FUNCTIONS), names={})
        for node_type in (ast.ListComp, ast.GeneratorExp, ast.SetComp, ast.DictComp, ast.Dict, ast.Set,
                          ast.Attribute, ast.Subscript, ast.JoinedStr, ast.FormattedValue):
            self.nodes.pop(node_type, None)

    @staticmethod
    def _eval_constant(node: ast.Constant) -> Any:
        value = node.value
        if isinstance(value, float):
            return Decimal(repr(value))
        if isinstance(value, int) and not isinstance(value, bool):
            return Decimal(value)
        return simpleeval.SimpleEval._eval_constant(node)


@dataclass(frozen=True)
class CompiledExpression:
    source: str
    tree: ast.AST
    names: frozenset[str]
    functions: frozenset[str]

    def evaluate(self, names: Mapping[str, Any]) -> Any:
        return evaluate(self, names)


@lru_cache(maxsize=4096)
def compile_expression(source: str) -> CompiledExpression:
    """Parse and statically check an expression's syntax (not yet its names).

    Raises ExpressionError(code=...) with codes: empty, too_long, syntax, too_complex,
    forbidden_syntax, unknown_function.
    """
    if not isinstance(source, str) or not source.strip():
        raise ExpressionError("empty", "表达式不能为空")
    if len(source) > MAX_EXPRESSION_LENGTH:
        raise ExpressionError("too_long", f"表达式过长（最多 {MAX_EXPRESSION_LENGTH} 个字符）")
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as exc:
        raise ExpressionError("syntax", f"表达式语法错误：{exc.msg}") from None
    nodes = list(ast.walk(tree))
    if len(nodes) > MAX_EXPRESSION_NODES:
        raise ExpressionError("too_complex", f"表达式过于复杂（最多 {MAX_EXPRESSION_NODES} 个语法节点）")
    names: set[str] = set()
    functions: set[str] = set()
    for node in nodes:
        if not isinstance(node, ALLOWED_NODES):
            raise ExpressionError("forbidden_syntax", f"表达式中不允许使用 {type(node).__name__}")
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.keywords:
                raise ExpressionError("forbidden_syntax", "只能调用内置函数，且不能使用关键字参数")
            if node.func.id not in FUNCTIONS:
                raise ExpressionError("unknown_function", f"未知函数：{node.func.id}")
            functions.add(node.func.id)
        elif isinstance(node, ast.Name) and node.id not in CONSTANT_NAMES:
            names.add(node.id)
        elif isinstance(node, ast.Constant) and isinstance(node.value, (bytes, complex)):
            raise ExpressionError("forbidden_syntax", "不支持该类型的常量")
    names -= functions
    return CompiledExpression(source=source, tree=tree.body, names=frozenset(names),
                              functions=frozenset(functions))


def check_expression(source: str, known_names: Iterable[str]) -> CompiledExpression:
    """Compile ``source`` and make sure every name it uses is known.

    Context names (``ctx_…``) are always allowed: the host supplies them at run time.
    Raises ExpressionError with code ``unknown_name`` for an unknown reference.
    """
    compiled = compile_expression(source)
    known = set(known_names)
    unknown = sorted(n for n in compiled.names if n not in known and not n.startswith(CONTEXT_PREFIX))
    if unknown:
        raise ExpressionError("unknown_name", "引用了不存在的字段：" + "、".join(unknown))
    return compiled


_local = threading.local()


def _evaluator() -> _Evaluator:
    # one evaluator per thread: simpleeval keeps the current names on the instance
    evaluator = getattr(_local, "evaluator", None)
    if evaluator is None:
        evaluator = _local.evaluator = _Evaluator()
    return evaluator


def evaluate(expression: CompiledExpression | str, names: Mapping[str, Any]) -> Any:
    """Evaluate an expression; return UNDEFINED when the answers do not allow a value.

    Names not present in ``names`` evaluate to None (an unanswered field).
    """
    compiled = expression if isinstance(expression, CompiledExpression) else compile_expression(expression)
    scope = {name: names.get(name) for name in compiled.names}
    scope.update(CONSTANT_NAMES)
    if any(value is UNDEFINED for value in scope.values()):
        return UNDEFINED
    evaluator = _evaluator()
    evaluator.names = scope
    try:
        return evaluator.eval(compiled.source, previously_parsed=compiled.tree)
    except (TypeError, ValueError, ArithmeticError, InvalidOperation, DivisionByZero,
            simpleeval.InvalidExpression, KeyError, IndexError):
        return UNDEFINED
    finally:
        evaluator.names = {}


def truthy(value: Any) -> bool:
    """Truth of a condition; UNDEFINED and None are false."""
    return value is not UNDEFINED and bool(value)
