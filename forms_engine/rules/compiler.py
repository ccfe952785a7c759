"""Compile a checked expression tree into a tree of closures, once.

:func:`build` turns the whitelisted AST that :func:`forms_engine.rules.checks.compile_expression`
accepted into nested Python closures ``fn(names) -> value``. Evaluating one never parses or walks
source again: each closure calls the children it was built with and one function of
:mod:`forms_engine.rules.arithmetic` — the same functions the reference interpreter
(:mod:`forms_engine.rules.interpreter`, on simpleeval) uses, so both give the same results.
There is no ``eval``/``exec`` and no access to anything the whitelist does not name.

The common shapes of policy rules (``name op number``, ``name op name``, one comparison, two-way
``and``/``or``) get their own closures so a typical rule costs a few calls.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from forms_engine.rules.arithmetic import BINARY, COMPARE, FUNCTIONS, UNARY
from forms_engine.rules.undefined import UNDEFINED, UndefinedOperand

Fn = Callable[[Mapping[str, Any]], Any]


def build(node: ast.AST) -> Fn:
    """A closure evaluating ``node`` (an already checked expression body)."""
    return _BUILDERS[type(node)](node)


def _name_getter(key: str) -> Fn:
    def name(n: Mapping[str, Any]) -> Any:
        value = n.get(key)
        if value is UNDEFINED:
            raise UndefinedOperand(key)
        return value

    return name


def _build_name(node: ast.Name) -> Fn:
    return _name_getter(node.id)


def _build_constant(node: ast.Constant) -> Fn:
    value = node.value

    def constant(n: Mapping[str, Any]) -> Any:
        return value

    return constant


def _binary(op: Callable[[Any, Any], Any], left: ast.AST, right: ast.AST) -> Fn:
    if isinstance(left, ast.Name) and isinstance(right, ast.Constant):
        key, value = left.id, right.value

        def name_const(n: Mapping[str, Any]) -> Any:
            a = n.get(key)
            if a is UNDEFINED:
                raise UndefinedOperand(key)
            return op(a, value)

        return name_const
    if isinstance(left, ast.Name) and isinstance(right, ast.Name):
        key_a, key_b = left.id, right.id

        def name_name(n: Mapping[str, Any]) -> Any:
            a, b = n.get(key_a), n.get(key_b)
            if a is UNDEFINED or b is UNDEFINED:
                raise UndefinedOperand(key_a)
            return op(a, b)

        return name_name
    lhs = build(left)
    if isinstance(right, ast.Constant):
        value = right.value

        def expr_const(n: Mapping[str, Any]) -> Any:
            return op(lhs(n), value)

        return expr_const
    rhs = build(right)

    def expr_expr(n: Mapping[str, Any]) -> Any:
        return op(lhs(n), rhs(n))

    return expr_expr


# -- flat kernels: arithmetic of names and numbers in one closure ---------------------------
# Policy rules are mostly ``a / b * 100`` or ``(a - b) / b``: when every operand holds a Decimal
# the whole expression is computed in one closure with the C operators (the same operations the
# functions of rules.arithmetic apply to two Decimals); otherwise the general closure runs.

_C_OPERATORS = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}


def _leaf(node: ast.AST) -> tuple[bool, Any] | None:
    if isinstance(node, ast.Name):
        return True, node.id
    if isinstance(node, ast.Constant) and node.value.__class__ is Decimal:
        return False, node.value
    return None


def _flat(node: ast.BinOp, general: Fn) -> Fn | None:
    """A one-closure kernel for ``x op y``, ``(x op y) op z`` or ``x op (y op z)`` over leaves."""
    if type(node.op) not in _C_OPERATORS:
        return None
    outer = _C_OPERATORS[type(node.op)]
    left, right = node.left, node.right
    if _leaf(left) and _leaf(right):
        (na, ka), (nb, kb) = _leaf(left), _leaf(right)

        def flat2(n: Mapping[str, Any]) -> Any:
            a = n.get(ka) if na else ka
            b = n.get(kb) if nb else kb
            if a.__class__ is Decimal and b.__class__ is Decimal:
                return outer(a, b)
            return general(n)

        return flat2
    inner_node, last, inner_left = (
        (left, right, True) if isinstance(left, ast.BinOp) else (right, left, False)
    )
    if not (
        isinstance(inner_node, ast.BinOp)
        and type(inner_node.op) in _C_OPERATORS
        and _leaf(inner_node.left)
        and _leaf(inner_node.right)
        and _leaf(last)
    ):
        return None
    inner = _C_OPERATORS[type(inner_node.op)]
    (na, ka), (nb, kb), (nc, kc) = _leaf(inner_node.left), _leaf(inner_node.right), _leaf(last)

    def flat3(n: Mapping[str, Any]) -> Any:
        a = n.get(ka) if na else ka
        b = n.get(kb) if nb else kb
        c = n.get(kc) if nc else kc
        if a.__class__ is Decimal and b.__class__ is Decimal and c.__class__ is Decimal:
            return outer(inner(a, b), c) if inner_left else outer(c, inner(a, b))
        return general(n)

    return flat3


def _build_binop(node: ast.BinOp) -> Fn:
    general = _binary(BINARY[type(node.op).__name__], node.left, node.right)
    return _flat(node, general) or general


def _build_compare(node: ast.Compare) -> Fn:
    if len(node.ops) == 1:
        return _binary(COMPARE[type(node.ops[0]).__name__], node.left, node.comparators[0])
    first = build(node.left)
    steps = [
        (COMPARE[type(op).__name__], build(comp)) for op, comp in zip(node.ops, node.comparators, strict=True)
    ]

    def chain(n: Mapping[str, Any]) -> Any:
        right = first(n)
        result: Any = True
        for op, comp in steps:
            left, right = right, comp(n)
            result = op(left, right)
            if not result:
                return result
        return result

    return chain


def _build_boolop(node: ast.BoolOp) -> Fn:
    parts = [build(value) for value in node.values]
    is_and = isinstance(node.op, ast.And)
    if len(parts) == 2:
        a, b = parts
        if is_and:

            def and2(n: Mapping[str, Any]) -> Any:
                return a(n) and b(n)

            return and2

        def or2(n: Mapping[str, Any]) -> Any:
            return a(n) or b(n)

        return or2

    def boolop(n: Mapping[str, Any]) -> Any:
        result: Any = False
        for part in parts:
            result = part(n)
            if bool(result) is not is_and:
                return result
        return result

    return boolop


def _build_unaryop(node: ast.UnaryOp) -> Fn:
    op, operand = UNARY[type(node.op).__name__], build(node.operand)

    def unary(n: Mapping[str, Any]) -> Any:
        return op(operand(n))

    return unary


def _build_ifexp(node: ast.IfExp) -> Fn:
    test, body, orelse = build(node.test), build(node.body), build(node.orelse)
    if isinstance(node.body, ast.Constant) and isinstance(node.orelse, ast.Constant):
        yes, no = node.body.value, node.orelse.value  # "5 if x == True else 0"

        def choose(n: Mapping[str, Any]) -> Any:
            return yes if test(n) else no

        return choose

    def ifexp(n: Mapping[str, Any]) -> Any:
        return body(n) if test(n) else orelse(n)

    return ifexp


def _build_call(node: ast.Call) -> Fn:
    function = FUNCTIONS[node.func.id]
    args = [build(arg) for arg in node.args]
    if len(args) == 1:
        (only,) = args

        def call1(n: Mapping[str, Any]) -> Any:
            return function(only(n))

        return call1
    if len(args) == 2:
        first, second = args

        def call2(n: Mapping[str, Any]) -> Any:
            return function(first(n), second(n))

        return call2

    def call(n: Mapping[str, Any]) -> Any:
        return function(*[arg(n) for arg in args])

    return call


def _build_sequence(node: ast.List | ast.Tuple) -> Fn:
    kind = list if isinstance(node, ast.List) else tuple
    elements = [build(element) for element in node.elts]
    if all(isinstance(element, ast.Constant) for element in node.elts):
        constant = kind(element.value for element in node.elts)

        def literal(n: Mapping[str, Any]) -> Any:
            return constant

        return literal

    def sequence(n: Mapping[str, Any]) -> Any:
        return kind(element(n) for element in elements)

    return sequence


_BUILDERS: dict[type[ast.AST], Callable[[Any], Fn]] = {
    ast.Name: _build_name,
    ast.Constant: _build_constant,
    ast.BinOp: _build_binop,
    ast.Compare: _build_compare,
    ast.BoolOp: _build_boolop,
    ast.UnaryOp: _build_unaryop,
    ast.IfExp: _build_ifexp,
    ast.Call: _build_call,
    ast.List: _build_sequence,
    ast.Tuple: _build_sequence,
}
