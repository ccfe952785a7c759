"""Bounded cost (issue 10 §1): every bomb is refused when the schema is checked, with the place it
is at, or evaluates in under 50 ms. Tried as a hostile policy-staff account or a bad import would."""

from __future__ import annotations

import time

import pytest

from forms_engine.rules import UNDEFINED, ExpressionError, compile_expression, evaluate
from forms_engine.schema import SchemaValidationError, parse_schema
from forms_engine.values import clean_answers
from tests.factories.forms import field, make_schema
from tests.forms_engine.conftest import lookups_removed

LIMIT = 0.050  # seconds

ROWS = [{"a": 10**14, "b": "x" * 1000} for _ in range(200)]
NAMES = {
    "text": "字" * 100_000,
    "rows": ROWS,
    "big": 10**15 - 1,
    "many": list(range(10**6)),
    "choices": ["A"] * 10**6,
}


def at_the_limit(make) -> str:
    """The largest expression ``make(n)`` the static check still accepts (cost at its worst)."""
    n = 1
    while True:
        try:
            compile_expression(make(n + 1))
        except ExpressionError:
            return make(n)
        n += 1


# (name, expression): evaluated on NAMES, each must come back (any value or UNDEFINED) in < 50 ms
EVALUATED = [
    ("floor of a huge number", "floor(number('1e999999'))"),
    ("number text of 99 nines", "number('" + "9" * 99 + "') * 2"),
    ("string formatting", "'%999999999s' % 'x'"),
    ("string repetition", "'x' * 1000000000"),
    ("list repetition", "[1] * 1000000000"),
    ("power tower", "9 ** 9 ** 9"),
    ("power of a huge base", "big ** 64"),
    ("huge exponent", "2 ** 999999"),
    ("round to a billion places", "round(1.5, 1000000000)"),
    ("division chain", at_the_limit(lambda n: "big" + " / 0.0001" * n)),
    ("text concatenation", at_the_limit(lambda n: " + ".join(["text"] * n))),
    ("sum over table rows", at_the_limit(lambda n: " + ".join(["sum(column(rows, 'a'))"] * n))),
    ("membership in a huge list", "999999 in many"),
    ("count of a huge list", "count(many) + len(choices)"),
    ("max of a huge list", "max(many)"),
    ("has in a huge list", "has(choices, 'B')"),
    ("nested conditionals", at_the_limit(lambda n: "1 if big else " * n + "0")),
    ("long comparison chain", at_the_limit(lambda n: " < ".join(["big"] * n))),
    ("comparison of huge lists", "many == many"),
]


@pytest.mark.parametrize(("name", "source"), EVALUATED, ids=[n for n, _ in EVALUATED])
def test_expression_bomb_evaluates_in_under_50_ms(name, source):
    compiled = compile_expression(source)
    start = time.perf_counter()
    evaluate(compiled, NAMES)
    assert time.perf_counter() - start < LIMIT, name


@pytest.mark.parametrize(
    "source",
    ["floor(number('1e999999'))", "'%999999999s' % 'x'", "2 ** 999999", "max(many)", "'x' * 1000000000"],
)
def test_a_defused_bomb_is_undefined(source):
    assert evaluate(source, NAMES) is UNDEFINED


# (name, expression, code): refused by the static check
REFUSED = [
    ("a number beyond 10^15", "1e999999 > 1", "number_out_of_range"),
    ("a number with too many digits", "x > 0.123456789012345678901234", "number_out_of_range"),
    ("a thousand-digit literal", "9" * 999, "number_out_of_range"),
    ("too long", "a + " * 300 + "a", "too_long"),
    ("too many nodes", " + ".join(["a"] * 200), "too_complex"),
    ("deep parentheses", "(" * 300 + "1" + ")" * 300, "syntax"),
    ("a comprehension", "[x for x in many]", "forbidden_syntax"),
    ("an attribute", "text.__class__", "forbidden_syntax"),
    ("a lambda", "(lambda: 1)()", "forbidden_syntax"),
    ("a NUL byte", "1 +\x00 1", "syntax"),
]


@pytest.mark.parametrize(("name", "source", "code"), REFUSED, ids=[n for n, _, _ in REFUSED])
def test_expression_bomb_is_refused_by_the_static_check(name, source, code):
    with pytest.raises(ExpressionError) as info:
        compile_expression(source)
    assert info.value.code == code
    assert info.value.message and "Error" not in info.value.message  # Chinese, not Python's English


@pytest.mark.parametrize(("source", "code"), [(s, c) for _, s, c in REFUSED[:3]])
def test_a_refused_bomb_is_located_in_the_schema(source, code):
    schema = make_schema(field("x", "integer"), field("bomb", "computed", "炸弹", expression=source))
    with pytest.raises(SchemaValidationError) as info:
        parse_schema(schema)
    issue = info.value.issues[0]
    assert issue.code == f"expression_{code}"
    assert (issue.place.field, issue.place.part) == ("bomb", "expression")


# --- patterns --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        ("(a+)+$", "a" * 29 + "b"),
        ("(a+)+$", "a" * 5000 + "b"),
        ("(a|aa)+$", "a" * 5000 + "b"),
        ("(.*a){12}", "a" * 5000),
        ("([a-z]+)*\\d", "abcdefghijklmnopqrstuvwxyz" * 100),
    ],
)
def test_a_catastrophic_pattern_is_matched_in_linear_time(pattern, text):
    schema = parse_schema(make_schema(field("code", "text", "编号", pattern=pattern, max_length=10_000)))
    with lookups_removed():
        start = time.perf_counter()
        issues = clean_answers(schema, {"code": text}).issues
    assert time.perf_counter() - start < LIMIT
    assert [i.code for i in issues] in ([], ["pattern"])


@pytest.mark.parametrize("pattern", ["(a)\\1", "(?=a)a", "(?<=a)b", "a" * 600, "(a{1000}){1000}", "("])
def test_a_pattern_re2_cannot_run_is_refused_at_the_field(pattern):
    with pytest.raises(SchemaValidationError) as info:
        parse_schema(make_schema(field("code", "text", "编号", pattern=pattern)))
    issue = info.value.issues[0]
    assert (issue.code, issue.place.field) == ("invalid_pattern", "code")


# --- schema size -------------------------------------------------------------------------------------


def test_a_schema_of_50000_fields_is_refused_quickly():
    fields = [field(f"f{i}", "integer") for i in range(50_000)]
    start = time.perf_counter()
    with pytest.raises(SchemaValidationError) as info:
        parse_schema(make_schema(*fields))
    assert time.perf_counter() - start < 2.0
    assert {i.code for i in info.value.issues} <= {"too_many", "schema_too_large"}


def test_a_schema_nested_ten_thousand_deep_is_refused():
    deep: dict = {}
    node = deep
    for _ in range(10_000):
        node["x"] = {}
        node = node["x"]
    schema = make_schema(field("a", "integer"), metadata=deep)
    with pytest.raises(SchemaValidationError) as info:
        parse_schema(schema)
    assert info.value.issues[0].code == "schema_too_deep"


def test_a_label_of_a_megabyte_is_refused_at_its_field():
    with pytest.raises(SchemaValidationError) as info:
        parse_schema(make_schema(field("a", "integer", "题" * 1_000_000)))
    assert (info.value.issues[0].code, info.value.issues[0].place.field) == ("too_long", "a")
