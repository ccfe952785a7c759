"""The rule language: safe, bounded expressions over a form's answers.

Rules (visibility conditions, cross-field validations, computed values, score formulas,
qualification conditions) are written as small Python-syntax expressions, for example::

    rd_spend / revenue * 100
    has_award or equity_financing >= 500
    "B" in network_options and len(network_options) >= 2

Why simpleeval's syntax: policy staff can read and write it (arithmetic, comparisons,
``and``/``or``, ``x if c else y``, ``in``); JSON Logic would be as safe but far harder to read
and write by hand. The package:

* :mod:`~forms_engine.rules.checks` — the static check run when a schema is saved: only
  whitelisted syntax, at most 1,000 characters and 250 syntax nodes, numbers written within
  ±10^15; names are checked against the form's field keys (unknown references are errors at
  save time, not at run time). Messages are Chinese, codes stable.
* :mod:`~forms_engine.rules.arithmetic` — bounded, exact decimal arithmetic (a Decimal context
  with 28 digits and exponents within ±40; no string formatting or repetition; lists and text
  capped) and the whitelisted functions. With no loops in the grammar, one evaluation is bounded
  by construction.
* :mod:`~forms_engine.rules.compiler` — each expression is compiled once, when checked, into a
  tree of closures; evaluation never re-parses or re-walks source.
* :mod:`~forms_engine.rules.interpreter` — the simpleeval reference evaluator with the same
  operations, kept to prove compiled == interpreted (property tests, ``make bench``).

An expression that cannot be evaluated on given answers (a missing answer, division by zero, a
number out of range) yields :data:`UNDEFINED` rather than raising; callers explain that.
"""

from forms_engine.rules.arithmetic import (
    CONTEXT,
    FUNCTION_HELP,
    FUNCTIONS,
    MAX_ITEMS,
    MAX_POWER_BASE,
    MAX_POWER_EXPONENT,
    MAX_TEXT,
    bounded,
    to_decimal,
)
from forms_engine.rules.checks import (
    CONSTANT_NAMES,
    CONTEXT_PREFIX,
    MAX_EXPRESSION_LENGTH,
    MAX_EXPRESSION_NODES,
    CompiledExpression,
    ExpressionError,
    check_expression,
    compile_expression,
)
from forms_engine.rules.evaluation import EVALUATION_ERRORS, evaluate, interpreted, mode, runner, truthy
from forms_engine.rules.undefined import UNDEFINED

__all__ = [
    "CONSTANT_NAMES",
    "CONTEXT",
    "EVALUATION_ERRORS",
    "CONTEXT_PREFIX",
    "FUNCTIONS",
    "FUNCTION_HELP",
    "MAX_EXPRESSION_LENGTH",
    "MAX_EXPRESSION_NODES",
    "MAX_ITEMS",
    "MAX_POWER_BASE",
    "MAX_POWER_EXPONENT",
    "MAX_TEXT",
    "UNDEFINED",
    "bounded",
    "CompiledExpression",
    "ExpressionError",
    "check_expression",
    "compile_expression",
    "evaluate",
    "interpreted",
    "mode",
    "runner",
    "to_decimal",
    "truthy",
]
