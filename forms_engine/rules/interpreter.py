"""The reference evaluator: simpleeval walking the checked tree on every evaluation.

It applies the same whitelist and the same functions as the compiled closures
(:mod:`forms_engine.rules.arithmetic`); the property tests and ``make bench`` compare the two.
Rules are evaluated compiled; this one exists so that "compiled == interpreted" can be checked.
"""

from __future__ import annotations

import ast
import threading
from collections.abc import Mapping
from typing import Any

import simpleeval

from forms_engine.rules.arithmetic import BINARY, COMPARE, FUNCTIONS, UNARY
from forms_engine.rules.undefined import UNDEFINED, UndefinedOperand

OPERATORS: dict[type[ast.AST], Any] = {
    **{getattr(ast, name): fn for name, fn in BINARY.items()},
    **{getattr(ast, name): fn for name, fn in UNARY.items()},
    **{getattr(ast, name): fn for name, fn in COMPARE.items()},
}


class _Evaluator(simpleeval.EvalWithCompoundTypes):
    """simpleeval with exact-decimal literals (set by the static check) and without comprehensions,
    dicts, sets, attributes or subscripts."""

    def __init__(self) -> None:
        # a copy: EvalWithCompoundTypes adds list/tuple/dict/set to the dict it is given, which
        # would otherwise widen the whitelist the static check uses
        super().__init__(operators=dict(OPERATORS), functions=dict(FUNCTIONS), names={})
        for node_type in (
            ast.ListComp,
            ast.GeneratorExp,
            ast.SetComp,
            ast.DictComp,
            ast.Dict,
            ast.Set,
            ast.Attribute,
            ast.Subscript,
            ast.JoinedStr,
            ast.FormattedValue,
        ):
            self.nodes.pop(node_type, None)

    @staticmethod
    def _eval_constant(node: ast.Constant) -> Any:
        return node.value

    def _eval_name(self, node: ast.Name) -> Any:
        value = self.names.get(node.id)
        if value is UNDEFINED:
            raise UndefinedOperand(node.id)
        return value


_local = threading.local()


def interpret(source: str, tree: ast.AST, names: Mapping[str, Any]) -> Any:
    """Evaluate a checked tree with simpleeval; raises what the operations raise."""
    # one evaluator per thread: simpleeval keeps the current names on the instance
    evaluator = getattr(_local, "evaluator", None)
    if evaluator is None:
        evaluator = _local.evaluator = _Evaluator()
    evaluator.names = names
    try:
        return evaluator.eval(source, previously_parsed=tree)
    finally:
        evaluator.names = {}


INTERPRETER_ERRORS = (simpleeval.InvalidExpression,)
