"""The rule language: exact decimals, whitelisted syntax and functions, bounded cost, UNDEFINED."""

from __future__ import annotations

import datetime as dt
import threading
import time
from decimal import Decimal

import pytest

from forms_engine.rules import (
    FUNCTION_HELP,
    FUNCTIONS,
    MAX_EXPRESSION_LENGTH,
    UNDEFINED,
    CompiledExpression,
    ExpressionError,
    check_expression,
    compile_expression,
    evaluate,
    truthy,
)

# --- exact decimal arithmetic ----------------------------------------------------------


def test_division_then_multiplication_is_exact():
    result = evaluate("30 / 1000 * 100", {})
    assert isinstance(result, Decimal)
    assert result == Decimal(3)


def test_float_literals_add_exactly():
    assert evaluate("0.1 + 0.2 == 0.3", {}) is True


def test_integer_literals_evaluate_to_decimal():
    assert isinstance(evaluate("1 + 2", {}), Decimal)


def test_ratio_of_named_values_is_exact():
    assert evaluate("rd_spend / revenue * 100", {"rd_spend": Decimal("30"), "revenue": Decimal("1000")}) == 3


# --- every whitelisted function -----------------------------------------------------------

ROWS = [
    {"amount": Decimal("1.5"), "name": "a"},
    {"amount": None, "name": "b"},
    {"amount": Decimal(2), "name": "c"},
]


@pytest.mark.parametrize(
    ("expression", "names", "expected"),
    [
        ("min(3, 1, 2)", {}, Decimal(1)),
        ("min(xs)", {"xs": [Decimal(5), Decimal(4)]}, Decimal(4)),
        ("max(3, 1, 2)", {}, Decimal(3)),
        ("max(xs)", {"xs": [Decimal(5), Decimal(4)]}, Decimal(5)),
        ("abs(0 - 2.5)", {}, Decimal("2.5")),
        ("round(2.346, 2)", {}, Decimal("2.35")),
        ("round(2.344, 2)", {}, Decimal("2.34")),
        ("round(7.6)", {}, Decimal(8)),
        ("floor(2.7)", {}, Decimal(2)),
        ("floor(0 - 2.5)", {}, Decimal(-3)),
        ("ceil(2.1)", {}, Decimal(3)),
        ("len(xs)", {"xs": ["A", "B"]}, Decimal(2)),
        ("len(xs)", {"xs": None}, Decimal(0)),
        ("count(xs)", {"xs": ["A", "B", "C"]}, Decimal(3)),
        ("count(xs)", {}, Decimal(0)),
        ("sum(xs)", {"xs": [Decimal(1), None, Decimal("2.5")]}, Decimal("3.5")),
        ('sum(column(rows, "amount"))', {"rows": ROWS}, Decimal("3.5")),
        ('column(rows, "name")', {"rows": ROWS}, ["a", "b", "c"]),
        ('column(rows, "amount")', {"rows": None}, []),
        ('has(xs, "B")', {"xs": ["A", "B"]}, True),
        ('has(xs, "Z")', {"xs": ["A", "B"]}, False),
        ('has(xs, "A")', {"xs": None}, False),
        ("year(d)", {"d": dt.date(2024, 3, 1)}, Decimal(2024)),
        ("year(y)", {"y": Decimal(2019)}, Decimal(2019)),
        ("blank(x)", {"x": ""}, True),
        ("blank(x)", {"x": []}, True),
        ("blank(x)", {}, True),
        ("blank(x)", {"x": "a"}, False),
        ("blank(x)", {"x": Decimal(0)}, False),
        ('number("3.25")', {}, Decimal("3.25")),
        ("number(x)", {"x": True}, Decimal(1)),
    ],
)
def test_whitelisted_function_returns_expected_value(expression, names, expected):
    assert evaluate(expression, names) == expected


DOCUMENTED_FUNCTIONS = {
    "min",
    "max",
    "abs",
    "round",
    "floor",
    "ceil",
    "len",
    "count",
    "sum",
    "has",
    "column",
    "year",
    "blank",
    "number",
}


def test_every_documented_function_has_help_text():
    assert set(FUNCTION_HELP) == DOCUMENTED_FUNCTIONS


def test_evaluation_does_not_widen_the_function_whitelist():
    evaluate("1 + 1", {})
    assert set(FUNCTIONS) == DOCUMENTED_FUNCTIONS


@pytest.mark.parametrize("source", ["list(xs)", "tuple(xs)", "set(xs)", "dict(xs)"])
def test_builtin_constructor_is_unknown_function_after_an_evaluation(source):
    evaluate("1 + 1", {})
    compile_expression.cache_clear()
    with pytest.raises(ExpressionError) as info:
        compile_expression(source)
    assert info.value.code == "unknown_function"


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("round(2.5)", Decimal(3)),
        ("round(0.5)", Decimal(1)),
        ("round(2.345, 2)", Decimal("2.35")),
        ("round(0.125, 2)", Decimal("0.13")),
    ],
)
def test_round_rounds_half_up_as_documented(expression, expected):
    assert evaluate(expression, {}) == expected


@pytest.mark.parametrize(("cond", "expected"), [(True, Decimal(1)), (False, Decimal(2))])
def test_conditional_expression_picks_branch(cond, expected):
    assert evaluate("1 if c else 2", {"c": cond}) == expected


@pytest.mark.parametrize(
    ("expression", "names", "expected"),
    [
        ('x in ["A", "B"]', {"x": "A"}, True),
        ('x in ["A", "B"]', {"x": "C"}, False),
        ('x not in ["A", "B"]', {"x": "C"}, True),
        ("2 in [1, 2, 3]", {}, True),
        ('"B" in xs and len(xs) >= 2', {"xs": ["A", "B"]}, True),
    ],
)
def test_in_with_list_literal(expression, names, expected):
    assert evaluate(expression, names) is expected


@pytest.mark.parametrize(
    ("expression", "names", "expected"),
    [
        ("a > 1 and b < 5", {"a": Decimal(2), "b": Decimal(3)}, True),
        ("a > 1 or b > 5", {"a": Decimal(0), "b": Decimal(3)}, False),
        ("not a", {"a": False}, True),
        ("1 < a <= 3", {"a": Decimal(3)}, True),
        ("a == True", {"a": True}, True),
        ("a is None", {}, True),
        ("10 % 3 == 1", {}, True),
        ("2 ** 10 == 1024", {}, True),
    ],
)
def test_comparison_and_boolean_operators(expression, names, expected):
    assert evaluate(expression, names) is expected


# --- UNDEFINED ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "names"),
    [
        ("a / b", {"a": Decimal(1), "b": Decimal(0)}),
        ("a / 0", {"a": Decimal(1)}),
        ("0 / 0", {}),
        ("a + 1", {"a": None}),
        ("a * 2 > 3", {}),  # missing name → None → arithmetic on None
        ("missing + 1", {}),
        ("a - b", {"a": Decimal(1)}),
        ('"a" < 1', {}),
        ("round(1, 11)", {}),
        ("min()", {}),
        ("a + 1", {"a": UNDEFINED}),
    ],
)
def test_evaluation_yields_undefined_when_answers_do_not_allow_a_value(expression, names):
    assert evaluate(expression, names) is UNDEFINED


def test_undefined_is_falsy_and_not_truthy():
    assert not UNDEFINED
    assert truthy(UNDEFINED) is False
    assert truthy(None) is False
    assert truthy(True) is True


def test_missing_name_evaluates_as_none_not_as_error():
    assert evaluate("a == None", {}) is True


# --- static checks ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "code"),
    [
        ("", "empty"),
        ("   ", "empty"),
        (None, "empty"),
        ("1 + " * 300 + "1", "too_long"),
        ("a +", "syntax"),
        ("a = 1", "syntax"),
        ("(" * 300 + "1" + ")" * 300, "syntax"),
        ("+".join(["a"] * 200), "too_complex"),
        ("-" * 400 + "1", "too_complex"),
        ("a.__class__", "forbidden_syntax"),
        ("a.b", "forbidden_syntax"),
        ("xs[0]", "forbidden_syntax"),
        ("xs[0:1]", "forbidden_syntax"),
        ("(lambda: 1)()", "forbidden_syntax"),
        ("lambda x: x", "forbidden_syntax"),
        ("[x for x in xs]", "forbidden_syntax"),
        ("sum(x for x in xs)", "forbidden_syntax"),
        ("{x for x in xs}", "forbidden_syntax"),
        ("{x: 1 for x in xs}", "forbidden_syntax"),
        ('{"a": 1}', "forbidden_syntax"),
        ("{1, 2}", "forbidden_syntax"),
        ('f"{a}"', "forbidden_syntax"),
        ("round(a, places=2)", "forbidden_syntax"),
        ("min(*xs)", "forbidden_syntax"),
        ("xs[0](1)", "forbidden_syntax"),
        ("(a if c else b)(1)", "forbidden_syntax"),
        ("a // 2", "forbidden_syntax"),
        ("a & b", "forbidden_syntax"),
        ("~a", "forbidden_syntax"),
        ('b"x"', "forbidden_syntax"),
        ("1j", "forbidden_syntax"),
        ("(x := 1)", "forbidden_syntax"),
        ('open("f")', "unknown_function"),
        ('__import__("os")', "unknown_function"),
        ('eval("1")', "unknown_function"),
    ],
)
def test_compile_rejects_with_code(source, code):
    with pytest.raises(ExpressionError) as info:
        compile_expression(source)
    assert info.value.code == code
    assert info.value.message  # a message for people


def test_expression_at_length_limit_is_accepted_and_one_more_is_too_long():
    source = "a" * MAX_EXPRESSION_LENGTH
    assert compile_expression(source).names == frozenset({source})
    with pytest.raises(ExpressionError) as info:
        compile_expression(source + "a")
    assert info.value.code == "too_long"


def test_compile_collects_names_and_functions_without_constants():
    compiled = compile_expression("max(a, b) > 1 and c == True and d is None")
    assert isinstance(compiled, CompiledExpression)
    assert compiled.names == frozenset({"a", "b", "c", "d"})
    assert compiled.functions == frozenset({"max"})


def test_check_expression_reports_unknown_names_sorted_in_message():
    with pytest.raises(ExpressionError) as info:
        check_expression("zeta + alpha + known", ["known"])
    assert info.value.code == "unknown_name"
    assert info.value.message == "引用了不存在的字段：alpha、zeta"


def test_check_expression_reports_unknown_function():
    with pytest.raises(ExpressionError) as info:
        check_expression("median(a, b)", ["a", "b"])
    assert info.value.code == "unknown_function"
    assert "median" in info.value.message


@pytest.mark.parametrize("source", ['ctx_province == "440000"', "ctx_anything > 1", "a if ctx_x else 0"])
def test_check_expression_always_allows_context_names(source):
    assert check_expression(source, ["a"]).source == source


def test_context_name_is_evaluated_from_names():
    assert evaluate('ctx_province == "440000"', {"ctx_province": "440000"}) is True


# --- bounded cost ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "9 ** 999999",
        "10 ** 10 ** 10",
        '"a" * 10**9',
        '"a" * 1000000000',
        "[1] * 1000000000",
        "2 ** 65",
        "(10 ** 13) ** 2",
        'number("1e999999") * number("1e999999")',
    ],
)
def test_expensive_expression_is_undefined_quickly(source):
    start = time.perf_counter()
    result = evaluate(source, {})
    elapsed = time.perf_counter() - start
    assert result is UNDEFINED
    assert elapsed < 0.5


def test_small_power_is_allowed():
    assert evaluate("(10 ** 12) ** 2", {}) == Decimal(10) ** 24


# --- caching and thread safety -----------------------------------------------------------------


def test_compile_is_cached_for_identical_source():
    assert compile_expression("a + 1") is compile_expression("a + 1")


def test_evaluate_accepts_compiled_expression():
    compiled = compile_expression("a * 2")
    assert compiled.evaluate({"a": Decimal(4)}) == Decimal(8)


def test_concurrent_evaluations_in_threads_use_their_own_names():
    compiled = compile_expression("a * 1000 + b")
    errors: list[str] = []
    barrier = threading.Barrier(8)

    def work(n: int) -> None:
        barrier.wait()
        for i in range(300):
            names = {"a": Decimal(n), "b": Decimal(i)}
            if i % 2:
                result = evaluate(compiled, names)
            else:
                result = evaluate(f"a * 1000 + b + 0 * {n}", names)
            if result != Decimal(n * 1000 + i):
                errors.append(f"thread {n} iteration {i}: {result!r}")

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
