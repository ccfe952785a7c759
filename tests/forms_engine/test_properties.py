"""Property tests (hypothesis): arbitrary answers never break cleaning or scoring of shipped schemas."""

from __future__ import annotations

import json
import string
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forms_engine.rules import interpreted
from forms_engine.schema import parse_schema
from forms_engine.scoring import score
from forms_engine.values import clean_answers
from tests.forms_engine.conftest import lookups_removed

from .conftest import FORMS_DIR

PROPERTY_SETTINGS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def shipped_schemas() -> list[Any]:
    """Every version of every shipped definition; one that does not parse fails the suite here
    (it must never be skipped silently)."""
    params = []
    for path in sorted(FORMS_DIR.glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        for version in document["versions"]:
            params.append(
                pytest.param(parse_schema(version["schema"]), id=f"{path.stem}-v{version.get('number')}")
            )
    return params


SCHEMAS = shipped_schemas()
INNOVATION = parse_schema(
    json.loads((FORMS_DIR / "innovation_self_test.json").read_text(encoding="utf-8"))["versions"][0]["schema"]
)


@pytest.fixture(scope="module", autouse=True)
def no_lookups():
    """Pure tests: region/industry codes checked by pattern, not against the database."""
    with lookups_removed():
        yield


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "-1",
            "1e3",
            "3.14159",
            "是",
            "否",
            "true",
            "A",
            "B",
            "1",
            "4",
            "2024-02-29",
            "440305",
            "nan",
            "Infinity",
            "1,000",
        ]
    ),
)
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


def answers_for(schema) -> st.SearchStrategy[dict]:
    keys = [f.key for f in schema.value_fields]
    known = st.dictionaries(st.sampled_from(keys), values, max_size=len(keys))
    extra = st.dictionaries(
        st.text(string.ascii_lowercase + "_", min_size=1, max_size=12), values, max_size=3
    )
    return st.tuples(known, extra).map(lambda pair: {**pair[1], **pair[0]})


@pytest.mark.parametrize("schema", SCHEMAS)
@PROPERTY_SETTINGS
@given(data=st.data())
def test_random_answers_never_break_cleaning_or_scoring(schema, data):
    answers = data.draw(answers_for(schema))
    cleaned = clean_answers(schema, answers)
    assert set(cleaned.values) <= {f.key for f in schema.value_fields}
    result = score(schema, answers)
    payload = json.loads(json.dumps(result.as_dict(), ensure_ascii=False, allow_nan=False))
    assert {"total", "groups", "outcome", "explanation"} <= set(payload)
    assert result.total >= 0
    if schema.scoring.max_total is not None:
        assert result.total <= schema.scoring.max_total
    for item in result.items:
        assert Decimal(0) <= item.points
        if item.max:
            assert item.points <= item.max
    for group in result.groups:
        if group.max is not None:
            assert group.points <= group.max


def test_shipped_schemas_are_found():
    assert {p.id.split("-v")[0] for p in SCHEMAS} == {path.stem for path in FORMS_DIR.glob("*.json")}


def plausible_value(spec) -> st.SearchStrategy:
    """Answers of the field's type (mostly valid), so the rules really compute."""
    if spec.kind.numeric:
        return st.one_of(st.integers(-10, 10**6), st.decimals(0, 10**5, places=2, allow_nan=False)).map(
            lambda n: float(n) if isinstance(n, Decimal) else n
        )
    if spec.type == "single_choice":
        return st.sampled_from([o.value for o in spec.options])
    if spec.type == "multiple_choice":
        return st.lists(st.sampled_from([o.value for o in spec.options]), max_size=3, unique=True)
    if spec.type == "yes_no":
        return st.booleans()
    return st.just("测试")


def plausible_answers(schema) -> st.SearchStrategy[dict]:
    fields = [
        f for f in schema.value_fields if f.stored and f.type not in ("file", "table", "region", "industry")
    ]
    return st.fixed_dictionaries({}, optional={f.key: plausible_value(f) for f in fields})


@pytest.mark.parametrize("schema", SCHEMAS)
@PROPERTY_SETTINGS
@given(data=st.data())
def test_compiled_rules_score_exactly_as_the_interpreter(schema, data):
    """Same whitelist, same results: the closure tree and simpleeval agree on every answer set,
    plausible (the rules compute) or arbitrary (the rules meet every kind of bad value)."""
    answers = data.draw(st.one_of(plausible_answers(schema), answers_for(schema)))
    compiled = score(schema, answers).as_dict()
    with interpreted():
        reference = score(schema, answers).as_dict()
    assert compiled == reference


# --- valid innovation self-test answers -------------------------------------------------------

CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF)


def money(low: int = 0, high: int = 10**13) -> st.SearchStrategy[Decimal]:
    """Money in 万元 with at most 4 decimal places, as exact decimals."""
    return st.integers(min_value=low, max_value=high).map(lambda n: Decimal(n).scaleb(-4))


@st.composite
def valid_innovation_answers(draw) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for field in INNOVATION.value_fields:
        if field.type == "text":
            if field.pattern:
                # ASCII: RE2 (like the policy) reads \d as 0-9 only, Python's re also other scripts' digits
                answers[field.key] = draw(
                    st.from_regex(field.pattern, fullmatch=True, alphabet=st.characters(codec="ascii"))
                )
            else:
                answers[field.key] = draw(st.text(CJK, min_size=1, max_size=field.max_length or 50))
        elif field.type == "yes_no":
            answers[field.key] = draw(st.booleans())
        elif field.type in ("single_choice", "multiple_choice"):
            answers[field.key] = draw(st.sampled_from([o.value for o in field.options]))
        elif field.type == "money":
            answers[field.key] = draw(money())
    # cross-field rules of the schema
    answers["revenue"] = draw(money(low=1))
    answers["main_revenue"] = draw(money(high=int(answers["revenue"].scaleb(4))))
    answers["main_revenue_prev"] = draw(money(low=1))
    answers["total_assets"] = draw(money(low=1))
    answers["pledge_truthful"] = True
    as_json = draw(st.booleans())
    return {k: (str(v) if as_json and isinstance(v, Decimal) else v) for k, v in answers.items()}


@PROPERTY_SETTINGS
@given(answers=valid_innovation_answers())
def test_valid_innovation_answers_clean_without_issues(answers):
    cleaned = clean_answers(INNOVATION, answers)
    assert cleaned.issues == []
    assert {"rd_ratio", "revenue_growth", "main_business_share", "debt_ratio"} <= set(cleaned.values)


@PROPERTY_SETTINGS
@given(answers=valid_innovation_answers())
def test_valid_innovation_total_is_sum_of_group_subtotals(answers):
    result = score(INNOVATION, answers)
    groups = sum((g.points for g in result.groups), Decimal(0))
    assert result.total == groups
    assert Decimal(0) <= result.total <= Decimal(100)
    for group in result.groups:
        assert group.points == min(
            sum((i.points for i in result.items if i.group == group.key), Decimal(0)), group.max
        )
    assert result.outcome.qualified is (
        all(c.met for c in result.conditions)
        and (
            (result.total >= 60 and all(g.meets_min for g in result.groups))
            or any(d.met for d in result.direct_paths)
        )
    )
