"""The static check: parse an expression once, refuse anything outside the whitelist, compile it.

:func:`compile_expression` accepts only whitelisted syntax (arithmetic, comparisons, ``and`` /
``or`` / ``not``, ``x if c else y``, ``in``, list literals, calls of whitelisted functions), at
most :data:`MAX_EXPRESSION_LENGTH` characters and :data:`MAX_EXPRESSION_NODES` syntax nodes, and
numbers of bounded size. Every refusal is an :class:`ExpressionError` with a stable ``code`` and
a Chinese message for policy staff (Python's own English messages are never shown).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from forms_engine.rules.arithmetic import FUNCTIONS, MAX_LITERAL, MAX_LITERAL_DIGITS

MAX_EXPRESSION_LENGTH = 1000
MAX_EXPRESSION_NODES = 250

CONTEXT_PREFIX = "ctx_"
CONSTANT_NAMES = {"True": True, "False": False, "None": None}

ALLOWED_NODES: tuple[type[ast.AST], ...] = (
    ast.Expression,
    ast.BoolOp,
    ast.BinOp,
    ast.UnaryOp,
    ast.Compare,
    ast.IfExp,
    ast.Call,
    ast.Name,
    ast.Constant,
    ast.List,
    ast.Tuple,
    ast.Load,
    ast.And,
    ast.Or,
    ast.Not,
    ast.USub,
    ast.UAdd,
    ast.Add,
    ast.Sub,
    ast.Mult,
    ast.Div,
    ast.Mod,
    ast.Pow,
    ast.Eq,
    ast.NotEq,
    ast.Lt,
    ast.LtE,
    ast.Gt,
    ast.GtE,
    ast.In,
    ast.NotIn,
    ast.Is,
    ast.IsNot,
)

# What policy staff read instead of Python's node names.
FORBIDDEN_SYNTAX_LABELS = {
    "Attribute": "属性访问（.）",
    "Subscript": "下标或切片（[ ]）",
    "Slice": "切片",
    "Lambda": "lambda 函数",
    "ListComp": "推导式",
    "SetComp": "推导式",
    "DictComp": "推导式",
    "GeneratorExp": "推导式",
    "comprehension": "推导式",
    "Dict": "字典（{ }）",
    "Set": "集合（{ }）",
    "JoinedStr": "f 字符串",
    "FormattedValue": "f 字符串",
    "FloorDiv": "整除（//）",
    "BitAnd": "位运算（&）",
    "BitOr": "位运算（|）",
    "BitXor": "位运算（^）",
    "LShift": "位移（<<）",
    "RShift": "位移（>>）",
    "Invert": "按位取反（~）",
    "MatMult": "矩阵乘法（@）",
    "NamedExpr": "赋值（:=）",
    "Starred": "展开（*）",
    "Await": "await",
    "Yield": "yield",
    "YieldFrom": "yield",
}

# Python's SyntaxError messages (English) → what the designer shows.
_SYNTAX_MESSAGES: tuple[tuple[str, str], ...] = (
    (r"^'(.)' was never closed", "括号“{0}”没有闭合"),
    (r"^unmatched '(.)'", "多了一个“{0}”"),
    (r"^closing parenthesis '(.)' does not match opening parenthesis '(.)'", "括号“{1}”与“{0}”不匹配"),
    (r"^unterminated (triple-quoted )?string literal", "引号没有闭合"),
    (r"^invalid character '(.)'", "含有不能使用的字符“{0}”（请使用英文半角标点）"),
    (r"^invalid non-printable character", "含有不可见的字符"),
    (r"^(invalid decimal literal|invalid \w+ literal)", "数字的写法不正确"),
    (r"^leading zeros in decimal integer literals", "整数不能以 0 开头"),
    (
        r"Maybe you meant '==' or ':=' instead of '='|cannot assign to|expression cannot contain assignment",
        "不能使用赋值“=”，判断相等请写“==”",
    ),
    (r"expected 'else' after 'if' expression", "条件表达式缺少 else 部分（写作：值1 if 条件 else 值2）"),
    (r"Perhaps you forgot a comma", "语法不正确，可能缺少逗号或运算符"),
    (r"too many nested parentheses", "括号嵌套过深"),
    (r"unexpected EOF|unexpected end|was never closed", "表达式不完整"),
    (r"unexpected indent|unindent", "表达式开头或换行处有多余的空格"),
    (r".", "语法不正确"),
)


class ExpressionError(ValueError):
    """An expression is not acceptable. ``code`` is stable; ``message`` is for people."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def syntax_message(exc: SyntaxError) -> str:
    """A Chinese explanation of Python's SyntaxError, with the position."""
    text = exc.msg or ""
    for pattern, template in _SYNTAX_MESSAGES:
        match = re.search(pattern, text)
        if match:
            message = template.format(*match.groups())
            break
    position = f"（第 {exc.offset} 个字符附近）" if exc.offset else ""
    return f"表达式语法错误{position}：{message}"


@dataclass(frozen=True)
class CompiledExpression:
    """A checked expression: its source, parsed tree, the names and functions it uses, and the
    closure tree :mod:`forms_engine.rules.compiler` built from it (evaluated without re-parsing)."""

    source: str
    tree: ast.AST
    names: frozenset[str]
    functions: frozenset[str]
    fn: Callable[[Mapping[str, Any]], Any] = field(compare=False, repr=False, default=None)

    def evaluate(self, names: Mapping[str, Any]) -> Any:
        from forms_engine.rules.evaluation import evaluate

        return evaluate(self, names)


def _literal(source: str, node: ast.Constant) -> Decimal:
    """The exact decimal a number literal is written as (``0.1`` is 1/10, not a binary float)."""
    text = ast.get_source_segment(source, node) or ""
    try:
        value = Decimal(text.replace("_", ""))
    except InvalidOperation:
        value = Decimal(node.value) if isinstance(node.value, int) else Decimal(repr(node.value))
    if not value.is_finite() or abs(value) > MAX_LITERAL or len(value.as_tuple().digits) > MAX_LITERAL_DIGITS:
        raise ExpressionError(
            "number_out_of_range",
            f"数字 {text} 超出允许范围（绝对值不超过 10^15，最多 {MAX_LITERAL_DIGITS} 位有效数字）",
        )
    return value


def _check_node(source: str, node: ast.AST, names: set[str], functions: set[str]) -> None:
    if not isinstance(node, ALLOWED_NODES):
        label = FORBIDDEN_SYNTAX_LABELS.get(type(node).__name__, "该写法")
        raise ExpressionError("forbidden_syntax", f"表达式中不允许使用{label}")
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.keywords:
            raise ExpressionError("forbidden_syntax", "只能调用内置函数，且不能使用关键字参数")
        if node.func.id not in FUNCTIONS:
            raise ExpressionError("unknown_function", f"未知函数：{node.func.id}")
        functions.add(node.func.id)
    elif isinstance(node, ast.Name) and node.id not in CONSTANT_NAMES:
        names.add(node.id)
    elif isinstance(node, ast.Constant):
        if isinstance(node.value, (bytes, complex)):
            raise ExpressionError("forbidden_syntax", "不支持该类型的常量")
        if isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
            # both evaluators read literals as exact decimals from the tree
            node.value = _literal(source, node)


@lru_cache(maxsize=4096)
def compile_expression(source: str) -> CompiledExpression:
    """Parse and statically check an expression's syntax (not yet its names), and compile it.

    Raises ExpressionError(code=...) with codes: empty, too_long, syntax, too_complex,
    forbidden_syntax, unknown_function, number_out_of_range.
    """
    from forms_engine.rules.compiler import build

    if not isinstance(source, str) or not source.strip():
        raise ExpressionError("empty", "表达式不能为空")
    if len(source) > MAX_EXPRESSION_LENGTH:
        raise ExpressionError("too_long", f"表达式过长（最多 {MAX_EXPRESSION_LENGTH} 个字符）")
    stripped = source.strip()
    try:
        tree = ast.parse(stripped, mode="eval")
    except SyntaxError as exc:
        raise ExpressionError("syntax", syntax_message(exc)) from None
    except (ValueError, RecursionError, MemoryError):  # e.g. a NUL byte, absurd nesting
        raise ExpressionError("syntax", "表达式语法错误：含有无法识别的内容") from None
    nodes = list(ast.walk(tree))
    if len(nodes) > MAX_EXPRESSION_NODES:
        raise ExpressionError("too_complex", f"表达式过于复杂（最多 {MAX_EXPRESSION_NODES} 个语法节点）")
    names: set[str] = set()
    functions: set[str] = set()
    for node in nodes:
        _check_node(stripped, node, names, functions)
    names -= functions
    return CompiledExpression(
        source=source,
        tree=tree.body,
        names=frozenset(names),
        functions=frozenset(functions),
        fn=build(tree.body),
    )


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
