"""Evaluate compiled expressions: UNDEFINED instead of errors, compiled by default.

Every evaluation runs in the bounded decimal context (:func:`~forms_engine.rules.arithmetic.bounded`);
callers that evaluate many expressions of one answer set enter it once around all of them.

:func:`evaluate` runs an expression's closure tree. Inside :func:`interpreted` (tests and
``make bench`` only) it walks the tree with simpleeval instead; both use the same operations, so
results are equal — the property tests check it over every shipped definition.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial
from typing import Any

from forms_engine.rules.arithmetic import bounded, is_bounded
from forms_engine.rules.checks import CompiledExpression, compile_expression
from forms_engine.rules.interpreter import INTERPRETER_ERRORS, interpret
from forms_engine.rules.undefined import UNDEFINED, UndefinedOperand

# Everything an evaluation may raise on bad or missing answers; decimal signals (overflow,
# division by zero, invalid operation) are ArithmeticErrors, size limits ValueErrors.
EVALUATION_ERRORS = (
    TypeError,
    ValueError,
    ArithmeticError,
    KeyError,
    IndexError,
    UndefinedOperand,
    RecursionError,
    *INTERPRETER_ERRORS,
)

_interpreted: ContextVar[bool] = ContextVar("forms_engine_rules_interpreted", default=False)
_is_interpreted = _interpreted.get
_is_bounded = is_bounded


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
    compiled = expression if expression.__class__ is CompiledExpression else compile_expression(expression)
    if not _is_bounded():
        with bounded():
            return evaluate(compiled, names)
    try:
        if _is_interpreted():
            return interpret(compiled.source, compiled.tree, names)
        return compiled.fn(names)
    except EVALUATION_ERRORS:
        return UNDEFINED


def mode() -> str:
    """ "compiled" or "interpreted": the evaluation form in use (see :func:`interpreted`)."""
    return _MODES[_is_interpreted()]


_MODES = {False: "compiled", True: "interpreted"}


def runner(expression: CompiledExpression) -> Callable[[Mapping[str, Any]], Any]:
    """A function evaluating ``expression`` in the current mode, *raising* what the operations
    raise (callers catch :data:`EVALUATION_ERRORS`). For per-schema plans that evaluate many
    expressions inside one ``bounded()`` block; a plan built in one mode is kept for that mode."""
    if _is_interpreted():
        return partial(interpret, expression.source, expression.tree)
    return expression.fn


def truthy(value: Any) -> bool:
    """Truth of a condition; UNDEFINED and None are false."""
    return value is not UNDEFINED and bool(value)
