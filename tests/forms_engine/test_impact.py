"""impact_of: outcomes re-scored with a draft, counted by transition (pure, no database)."""

from __future__ import annotations

import copy

from forms_engine.impact import AnswerSet, impact_of
from forms_engine.schema import parse_schema
from tests.forms_engine.conftest import INNOVATION_ANSWERS, load_document

BASE = load_document("innovation_self_test")["versions"][0]["schema"]


def answers(**changes) -> dict:
    return {**INNOVATION_ANSWERS, **changes}


def test_same_schema_changes_nothing():
    schema = parse_schema(BASE)
    result = impact_of(schema, schema, [AnswerSet(1, answers()), AnswerSet(2, answers(ip_class="D"))])
    assert result.count == 2
    assert result.changed_count == 0 and result.transitions == []


def test_raised_threshold_turns_qualified_into_not_qualified():
    stricter = copy.deepcopy(BASE)
    stricter["scoring"]["outcome"]["min_total"] = 90  # the seeded answers score 85
    sets = [AnswerSet(1, answers()), AnswerSet(2, answers()), AnswerSet(3, answers(is_sme=False))]
    result = impact_of(parse_schema(BASE), parse_schema(stricter), sets)
    outcome = BASE["scoring"]["outcome"]
    assert result.changed_count == 2
    assert result.transitions == [(outcome["qualified_label"], outcome["not_qualified_label"], 2)]
    assert [r.ref for r in result.changed] == [1, 2]
    assert result.total_changed_count == 0


def test_option_score_change_moves_totals():
    cheaper = copy.deepcopy(BASE)
    ip = next(
        f for st in cheaper["steps"] for se in st["sections"] for f in se["fields"] if f["key"] == "ip_class"
    )
    chosen = next(o for o in ip["options"] if o["value"] == "C")
    chosen["score"] = chosen["score"] - 10
    result = impact_of(parse_schema(BASE), parse_schema(cheaper), [AnswerSet(1, answers())])
    [row] = result.rows
    assert row.delta == -10
    assert row.old_total == 85


def test_outcome_counts_compare_before_and_after():
    stricter = copy.deepcopy(BASE)
    stricter["scoring"]["outcome"]["min_total"] = 90
    result = impact_of(parse_schema(BASE), parse_schema(stricter), [AnswerSet(1, answers())])
    counts = {label: (old, new) for label, old, new in result.outcome_counts}
    assert counts[BASE["scoring"]["outcome"]["qualified_label"]] == (1, 0)
