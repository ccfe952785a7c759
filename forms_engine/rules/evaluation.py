"""Evaluate compiled expressions: UNDEFINED instead of errors, compiled by default.

:func:`evaluate` runs an expression's closure tree. Inside :func:`interpreted` (tests and
``make bench`` only) it walks the tree with simpleeval instead; both use the same operations, so
results are equal — the property tests check it over every shipped definition.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from forms_engine.rules.checks import CompiledExpression, compile_expression
from forms_engine.rules.interpreter import INTERPRETER_ERRORS, interpret
from forms_engine.rules.undefined import UNDEFINED, UndefinedOperand

# Everything an evaluation may raise on bad or missing answers; decimal signals (overflow,
# division by zero, invalid operation) are ArithmeticErrors, size limits ValueErrors.
EVALUATION_ERRORS = (TypeError, ValueError, ArithmeticError, KeyError, IndexError, UndefinedOperand,
                     RecursionError, *INTERPRETER_ERRORS)

_interpreted: ContextVar[bool] = ContextVar("forms_engine_rules_interpreted", default=False)


@contextmanager
def interpreted() -> Iterator[None]:
    """Evaluate with the simpleeval reference interpreter inside this block (tests, benchmarks)."""
    token = _interpreted.set(True)
    try:
        yield
    finally:
        _interpreted.reset(token)


def evaluate(expression: CompiledExpression | str, names: Mapping[str, Any]) -> Any:
    """Evaluate an expression; return UNDEFINED when the answers do not allow a value.

    Names not present in ``names`` evaluate to None (an unanswered field); a name whose value is
    UNDEFINED makes the result UNDEFINED. Raises ExpressionError only for a source string that
    does not pass the static check.
    """
    compiled = expression if isinstance(expression, CompiledExpression) else compile_expression(expression)
    try:
        if _interpreted.get():
            return interpret(compiled.source, compiled.tree, names)
        return compiled.fn(names)
    except EVALUATION_ERRORS:
        return UNDEFINED


def truthy(value: Any) -> bool:
    """Truth of a condition; UNDEFINED and None are false."""
    return value is not UNDEFINED and bool(value)
