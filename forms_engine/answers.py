"""Answers as people read them, and what changed between two answer sets. Pure: no database.

:func:`answers_display` renders a whole answer set in schema order — option labels, 是/否,
numbers with their unit (万元, %, 人), regions and industries by name (through the host's
lookups), tables row by row, files by name — with the step and section of each question. The
result page uses it; so will the PDF, the reviewer's page and exports.

:func:`diff_answers` compares two answer sets of one schema (e.g. two submitted states of a
submission reopened for revision) question by question.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from forms_engine.schema.nodes import Field, Schema
from forms_engine.values import clean_answers, display_value

MASKED = "（已隐去）"


@dataclass(frozen=True)
class AnswerRow:
    key: str
    label: str
    text: str  # the value as read ("—" when unanswered)
    step: str  # step title
    section: str  # section title
    answered: bool


@dataclass(frozen=True)
class AnswerChange:
    key: str
    label: str
    old: str
    new: str
    change: str  # added | removed | changed

    @property
    def change_label(self) -> str:
        return {"added": "新填", "removed": "删除", "changed": "修改"}[self.change]


def _typed(schema: Schema, answers: Mapping[str, Any], context: Mapping[str, Any] | None) -> tuple[dict, set]:
    cleaned = clean_answers(schema, answers, context=context, require_complete=False)
    return cleaned.values, cleaned.visible


def answers_display(
    schema: Schema,
    answers: Mapping[str, Any],
    *,
    context: Mapping[str, Any] | None = None,
    include_unanswered: bool = False,
    masked: frozenset[str] = frozenset(),
) -> list[AnswerRow]:
    """Every visible question with its answer as a person reads it, in schema order.

    Values are shown as they are valid for the field (a stored value the field refuses is shown
    as unanswered); computed values are included. ``masked`` keys are shown as （已隐去）.
    """
    values, visible = _typed(schema, answers, context)
    rows = []
    for step in schema.steps:
        for section in step.sections:
            for field in section.fields:
                if not field.has_value or field.key not in visible:
                    continue
                value = values.get(field.key)
                if value is None and not include_unanswered:
                    continue
                text = MASKED if field.key in masked and value is not None else display_value(field, value)
                rows.append(
                    AnswerRow(field.key, field.label, text, step.title, section.title, value is not None)
                )
    return rows


def masked_answers(schema: Schema, answers: Mapping[str, Any]) -> dict[str, Any]:
    """``answers`` with free-text answers that are not inputs of the score (names, codes, contact
    details, descriptions, files) replaced by （已隐去）: what policy staff see of a stored
    submission when they test rules on it."""
    from forms_engine.scoring import score_inputs

    inputs = score_inputs(schema)
    fields = schema.field_map()
    return {
        key: (
            MASKED
            if key in fields and fields[key].kind.free_text and key not in inputs and value not in (None, "")
            else value
        )
        for key, value in answers.items()
    }


def _shown(field: Field, value: Any) -> str:
    return display_value(field, value)


def diff_answers(
    schema: Schema,
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    *,
    context: Mapping[str, Any] | None = None,
) -> list[AnswerChange]:
    """What changed from ``old`` to ``new`` (two answer sets of ``schema``), in schema order.

    Computed values are compared too (a changed input shows its effect on ratios); questions
    hidden in both are left out.
    """
    old_values, old_visible = _typed(schema, old, context)
    new_values, new_visible = _typed(schema, new, context)
    changes = []
    for field in schema.value_fields:
        if field.key not in old_visible and field.key not in new_visible:
            continue
        before, after = old_values.get(field.key), new_values.get(field.key)
        if before == after:
            continue
        kind = "added" if before is None else "removed" if after is None else "changed"
        changes.append(
            AnswerChange(field.key, field.label, _shown(field, before), _shown(field, after), kind)
        )
    return changes


@dataclass(frozen=True)
class Reanswer:
    key: str
    label: str
    reason: str


@dataclass(frozen=True)
class MigrationPlan:
    """What moving a draft to another version of its form keeps and what must be answered again."""

    answers: dict[str, Any]  # the answers carried over (JSON)
    carried: tuple[str, ...]  # labels of the questions carried over
    reanswer: tuple[Reanswer, ...]  # questions to answer again (new, or changed), with why
    dropped: tuple[str, ...]  # labels of answered questions the new version no longer asks


def plan_migration(old: Schema, new: Schema, answers: Mapping[str, Any]) -> MigrationPlan:
    """Answers of keys that keep their type and are still valid are carried; the rest listed."""
    from forms_engine.fields import AnswerError, coerce

    old_fields, new_fields = old.field_map(), new.field_map()
    carried: dict[str, Any] = {}
    carried_labels, reanswer, dropped = [], [], []
    for key, value in answers.items():
        if key not in old_fields or not old_fields[key].stored or value in (None, "", [], {}):
            continue
        target = new_fields.get(key)
        if target is None or not target.stored:
            dropped.append(old_fields[key].label)
        elif target.type != old_fields[key].type:
            reanswer.append(Reanswer(key, target.label, "题型已改变"))
        else:
            try:
                coerce(target, value)
            except AnswerError as exc:
                reanswer.append(Reanswer(key, target.label, f"原答案不再有效：{exc.message}"))
            else:
                carried[key] = value
                carried_labels.append(target.label)
    for field in new.value_fields:
        if field.stored and field.required and field.key not in carried and field.key not in old_fields:
            reanswer.append(Reanswer(field.key, field.label, "新增的必填项"))
    return MigrationPlan(carried, tuple(carried_labels), tuple(reanswer), tuple(dropped))
