"""The suite itself: no test passes by asserting nothing (issue 10 §7).

Every test function checks something: an ``assert``, ``pytest.raises``/``pytest.warns``, a query
count (``django_assert_num_queries``…), a Playwright ``expect(…)`` or a helper named ``assert_…``."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def _checks(node: ast.AST) -> bool:
    for sub in ast.walk(node):
        if isinstance(sub, ast.Assert):
            return True
        if isinstance(sub, ast.With) and any(
            any(name in ast.unparse(item.context_expr) for name in ("raises", "warns", "django_assert_"))
            for item in sub.items
        ):
            return True
        if isinstance(sub, ast.Call):
            func = sub.func
            name = (
                func.id
                if isinstance(func, ast.Name)
                else func.attr
                if isinstance(func, ast.Attribute)
                else ""
            )
            if name == "expect" or name.startswith("assert_"):
                return True
    return False


def test_every_test_checks_something():
    silent = []
    for path in sorted(TESTS.rglob("test_*.py")):
        if "vendor" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test"):
                if not _checks(node):
                    silent.append(f"{path.relative_to(TESTS)}:{node.lineno} {node.name}")
    assert silent == []
