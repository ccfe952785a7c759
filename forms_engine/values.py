"""Answer values: per-type coercion (through the field-type registry) and whole-answer cleaning.

Answers are stored as JSON. :func:`coerce_value` turns a stored (or submitted) JSON value into
the typed value rules and scoring use (numbers become :class:`~decimal.Decimal`, dates
:class:`datetime.date`, yes/no ``bool``…) and enforces the field's own constraints;
:func:`to_json` does the reverse and :func:`display_value` shows it as a person reads it.
:func:`clean_answers` applies visibility, computed values and cross-field validations to a whole
answer set and collects every error. The Django form fields of the wizard call the same
validators, so the wizard and the services agree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from forms_engine.fields import AnswerError, blank, coerce
from forms_engine.rules import UNDEFINED, CompiledExpression, evaluate, truthy
from forms_engine.schema.nodes import Field, Schema, Validation

__all__ = ["AnswerError", "AnswerIssue", "CleanedAnswers", "clean_answers", "coerce_value", "display_value",
           "expression_names", "to_json"]


@dataclass(frozen=True)
class AnswerIssue:
    field: str
    label: str
    code: str
    message: str
    step: str | None = None

    def __str__(self) -> str:
        return f"「{self.label}」{self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.field, "label": self.label, "code": self.code, "message": self.message,
                "step": self.step}


@dataclass
class CleanedAnswers:
    values: dict[str, Any]  # typed values of visible fields (computed included); hidden → absent
    visible: set[str]
    issues: list[AnswerIssue] = dataclass_field(default_factory=list)
    # the names rules were evaluated with (hidden fields None, ctx_ values included) and the raw
    # results of computed fields' expressions: scoring the same answers reuses both
    names: dict[str, Any] = dataclass_field(default_factory=dict, repr=False, compare=False)
    memo: dict[str, Any] = dataclass_field(default_factory=dict, repr=False, compare=False)

    @property
    def is_valid(self) -> bool:
        return not self.issues

    def issues_for(self, key: str) -> list[AnswerIssue]:
        return [i for i in self.issues if i.field == key]


def coerce_value(field: Field, raw: Any) -> Any:
    """Typed value of one answer, or None when blank.

    Raises AnswerError(code, message) when the value breaks the field's type or constraints.
    Does not check ``required`` (that depends on visibility, see clean_answers).
    """
    return coerce(field, raw)


def to_json(field: Field, value: Any) -> Any:
    """JSON-storable form of a typed value."""
    return None if value is None else field.kind.to_json(field, value)


def display_value(field: Field, value: Any) -> str:
    """A typed value as a person reads it: option labels, 是/否, units, regions by name …"""
    return "—" if value is None else field.kind.display(field, value)


def expression_names(values: Mapping[str, Any], context: Mapping[str, Any] | None) -> dict[str, Any]:
    names = dict(values)
    for key, value in (context or {}).items():
        names[f"ctx_{key}"] = value
    return names


@dataclass(frozen=True)
class _Plan:
    """What cleaning needs of a schema, worked out once per (immutable) schema."""

    stored: tuple[tuple[str, Field, Any, str], ...]  # key, field, coerce, step key
    fields: tuple[tuple[str, CompiledExpression | None], ...]  # key, visible_if (schema order)
    computed: tuple[tuple[Field, CompiledExpression, Decimal], ...]  # dependency order, with quantum
    required: tuple[tuple[str, str, str], ...]  # key, label, step key
    validations: tuple[Validation, ...]
    labels: dict[str, str]
    step_of: dict[str, str]


def _plan(schema: Schema) -> _Plan:
    plan = schema.derived.get("values")
    if plan is None:
        step_of = schema.step_of_field
        fields = schema.value_fields
        plan = schema.derived["values"] = _Plan(
            stored=tuple((f.key, f, f.kind.coerce, step_of[f.key]) for f in fields if f.stored),
            fields=tuple((f.key, f.visible_if) for f in fields),
            computed=tuple((f, f.expression, Decimal(1).scaleb(-f.decimal_places)) for f in schema.computed_order),
            required=tuple((f.key, f.label, step_of[f.key]) for f in fields if f.required and f.stored),
            validations=schema.validations, labels={f.key: f.label for f in fields}, step_of=step_of)
    return plan


def _compute(plan: _Plan, names: dict[str, Any], values: dict[str, Any], visible: set[str] | None,
             memo: dict[str, Any]) -> None:
    """Evaluate computed fields in dependency order (one pass), rounding half up; ``memo`` keeps
    each expression's unrounded result (a score band measuring the same expression reuses it)."""
    memo.clear()
    for field, expression, quantum in plan.computed:
        key = field.key
        if visible is not None and key not in visible:
            values[key] = names[key] = None
            continue
        result = memo[expression.source] = evaluate(expression, names)
        if isinstance(result, Decimal):
            try:
                result = result.quantize(quantum, rounding=ROUND_HALF_UP)
            except ArithmeticError:
                result = None  # too large to represent: treated as undefined
        elif result is UNDEFINED or isinstance(result, (str, list, dict)):
            result = None
        values[key] = names[key] = result


def _coerce_all(plan: _Plan, answers: Mapping[str, Any], steps: set[str] | None,
                issues: list[AnswerIssue]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key, field, coerce_fn, step in plan.stored:
        raw = answers.get(key)
        if raw is None or raw == "" or raw == [] or raw == {}:
            values[key] = None
            continue
        try:
            values[key] = coerce_fn(field, raw)
        except AnswerError as exc:
            values[key] = None
            if steps is None or step in steps:
                issues.append(AnswerIssue(key, field.label, exc.code, exc.message, step))
    return values


def _check_validations(plan: _Plan, names: dict[str, Any], visible: set[str], steps: set[str] | None,
                       issues: list[AnswerIssue]) -> None:
    step_of = plan.step_of
    wrong = {i.field for i in issues}
    for validation in plan.validations:
        targets = [k for k in validation.fields if k in visible]
        if not targets or (steps is not None and not any(step_of.get(k) in steps for k in targets)):
            continue
        if wrong.intersection(validation.fields):
            continue  # the field is already wrong on its own; one message at a time
        if validation.when is not None and not truthy(evaluate(validation.when, names)):
            continue
        result = evaluate(validation.check, names)
        if result is UNDEFINED:
            continue  # not enough answers to judge yet; "required" covers the gaps
        if not result:
            target = targets[0]
            issues.append(AnswerIssue(target, plan.labels[target], f"rule_{validation.key}", validation.message,
                                      step_of.get(target)))
            wrong.add(target)


def clean_answers(schema: Schema, answers: Mapping[str, Any], *, context: Mapping[str, Any] | None = None,
                  require_complete: bool = True, steps: set[str] | None = None) -> CleanedAnswers:
    """Coerce, apply visibility and computed values, and check a whole answer set.

    ``require_complete`` False skips "required" and cross-field checks (for drafts being saved).
    ``steps`` limits required/cross-field checks to fields of those steps (one wizard step).
    Never raises for bad answers: every problem is an AnswerIssue.
    """
    plan = _plan(schema)
    issues: list[AnswerIssue] = []
    values = _coerce_all(plan, answers, steps, issues)
    # Computed values first (a visibility condition may use one), then visibility in schema
    # order (hidden fields count as unanswered), then computed values again without hidden input.
    names = expression_names(values, context)
    memo: dict[str, Any] = {}
    _compute(plan, names, values, None, memo)
    visible: set[str] = set()
    hidden = False
    for key, condition in plan.fields:
        if condition is not None and not truthy(evaluate(condition, names)):
            values[key] = names[key] = None
            hidden = True
            if issues:
                issues = [i for i in issues if i.field != key]
            continue
        visible.add(key)
    if hidden:  # nothing hidden: the second pass would compute the same values again
        _compute(plan, names, values, visible, memo)
    if require_complete:
        wrong = {i.field for i in issues}
        for key, label, step in plan.required:
            if (key in visible and (steps is None or step in steps) and key not in wrong
                    and blank(values.get(key))):
                issues.append(AnswerIssue(key, label, "required", "此项为必填项", step))
        _check_validations(plan, names, visible, steps, issues)
    return CleanedAnswers(values={k: v for k, v in values.items() if k in visible}, visible=visible, issues=issues,
                          names=names, memo=memo)
