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

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from forms_engine.fields import AnswerError, coerce
from forms_engine.rules import EVALUATION_ERRORS, UNDEFINED, bounded, mode, runner, truthy
from forms_engine.schema.nodes import Field, Schema, Validation

__all__ = [
    "AnswerError",
    "AnswerIssue",
    "CleanedAnswers",
    "clean_answers",
    "coerce_value",
    "display_value",
    "expression_names",
    "to_json",
]


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
        return {
            "field": self.field,
            "label": self.label,
            "code": self.code,
            "message": self.message,
            "step": self.step,
        }


@dataclass
class CleanedAnswers:
    values: dict[str, Any]  # typed values of visible fields (computed included); hidden → absent
    visible: set[str]
    issues: list[AnswerIssue] = dataclass_field(default_factory=list)
    # broken consistency rules of severity "warning": shown, never blocking
    warnings: list[AnswerIssue] = dataclass_field(default_factory=list)
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


Run = Callable[[Mapping[str, Any]], Any]


@dataclass(frozen=True)
class _Plan:
    """What cleaning needs of a schema, worked out once per (immutable) schema."""

    stored: tuple[tuple[str, Any], ...]  # key, coerce(raw) of every answered (not computed) field
    keys: tuple[str, ...]  # every value field, schema order
    key_set: frozenset[str]
    conditional: tuple[tuple[str, Run], ...]  # fields with visible_if (its runner), schema order
    computed: tuple[tuple[str, Run, str, Decimal], ...]  # dependency order: runner, source, quantum
    required: tuple[str, ...]
    required_texts: tuple[str, ...]  # required fields whose typed value may be "" or []
    validations: tuple[tuple[Validation, tuple[str, ...], Run, Run | None], ...]  # field steps, check, when
    labels: dict[str, str]
    step_of: dict[str, str]


_SLOTS = {"compiled": "values:compiled", "interpreted": "values:interpreted"}


def _plan(schema: Schema) -> _Plan:
    """The cleaning plan of a schema for the current evaluation mode (kept on the schema)."""
    slot = _SLOTS[mode()]
    plan = schema.derived.get(slot)
    if plan is None:
        step_of = schema.step_of_field
        fields = schema.value_fields
        plan = schema.derived[slot] = _Plan(
            stored=tuple((f.key, f.kind.coercer(f)) for f in fields if f.stored),
            keys=tuple(f.key for f in fields),
            key_set=frozenset(f.key for f in fields),
            conditional=tuple((f.key, runner(f.visible_if)) for f in fields if f.visible_if is not None),
            computed=tuple(
                (f.key, runner(f.expression), f.expression.source, Decimal(1).scaleb(-f.decimal_places))
                for f in schema.computed_order
            ),
            required=tuple(f.key for f in fields if f.required and f.stored),
            required_texts=tuple(
                f.key for f in fields if f.required and f.stored and (f.kind.free_text or f.kind.countable)
            ),
            validations=tuple(
                (
                    v,
                    tuple(step_of.get(k) for k in v.fields),
                    runner(v.check),
                    runner(v.when) if v.when is not None else None,
                )
                for v in schema.validations
            ),
            labels={f.key: f.label for f in fields},
            step_of=step_of,
        )
    return plan


def _run(run: Run, names: Mapping[str, Any]) -> Any:
    try:
        return run(names)
    except EVALUATION_ERRORS:
        return UNDEFINED


def _compute(
    plan: _Plan, names: dict[str, Any], values: dict[str, Any], visible: set[str] | None, memo: dict[str, Any]
) -> None:
    """Evaluate computed fields in dependency order (one pass), rounding half up; ``memo`` keeps
    each expression's unrounded result (a score band measuring the same expression reuses it)."""
    memo.clear()
    for key, run, source, quantum in plan.computed:
        if visible is not None and key not in visible:
            values[key] = names[key] = None
            continue
        try:
            result = run(names)
        except EVALUATION_ERRORS:
            result = UNDEFINED
        memo[source] = result
        if result.__class__ is Decimal:
            try:
                result = result.quantize(quantum, ROUND_HALF_UP)  # positional: kwargs cost 0.1 µs
            except ArithmeticError:
                result = None  # too large to represent: treated as undefined
        elif result is UNDEFINED or isinstance(result, (str, list, dict)):
            result = None
        values[key] = names[key] = result


def _coerce_all(
    plan: _Plan, answers: Mapping[str, Any], steps: set[str] | None, issues: list[AnswerIssue]
) -> dict[str, Any]:
    values: dict[str, Any] = dict.fromkeys(plan.keys)
    get = answers.get
    for key, coerce_fn in plan.stored:
        raw = get(key)
        if raw is None:
            continue
        try:
            values[key] = coerce_fn(raw)  # blank text, lists and objects give None
        except AnswerError as exc:
            step = plan.step_of[key]
            if steps is None or step in steps:
                issues.append(AnswerIssue(key, plan.labels[key], exc.code, exc.message, step))
    return values


def _check_validations(
    plan: _Plan,
    names: dict[str, Any],
    visible: set[str],
    steps: set[str] | None,
    issues: list[AnswerIssue],
    hidden: bool,
    warnings: list[AnswerIssue],
) -> None:
    wrong = {i.field for i in issues}
    for validation, field_steps, check, when in plan.validations:
        targets = [k for k in validation.fields if k in visible] if hidden else validation.fields
        if not targets or (
            steps is not None
            and not any(
                step in steps for k, step in zip(validation.fields, field_steps, strict=True) if k in visible
            )
        ):
            continue
        if wrong and not wrong.isdisjoint(validation.fields):
            continue  # the field is already wrong on its own; one message at a time
        try:
            if when is not None and not truthy(when(names)):
                continue
            result = check(names)
        except EVALUATION_ERRORS:
            result = UNDEFINED  # a "when" that cannot be evaluated is not met either
        if result is UNDEFINED:
            continue  # not enough answers to judge yet; "required" covers the gaps
        if not result:
            target = targets[0]
            issue = AnswerIssue(
                target,
                plan.labels[target],
                f"rule_{validation.key}",
                validation.message,
                plan.step_of.get(target),
            )
            if validation.severity == "warning":
                warnings.append(issue)
            else:
                issues.append(issue)
                wrong.add(target)


def _missing(
    plan: _Plan, values: dict[str, Any], visible: set[str], steps: set[str] | None, issues: list[AnswerIssue]
) -> None:
    """ "Required" issues of visible required fields left blank (and not already wrong)."""
    # typed values are None when blank; only text and lists can be "" or [] besides
    blank_keys = [k for k in plan.required if values[k] is None]
    blank_keys += [k for k in plan.required_texts if values[k] in ("", [])]
    if not blank_keys:
        return
    wrong = {i.field for i in issues}
    step_of, labels = plan.step_of, plan.labels
    for key in blank_keys:
        if key in visible and key not in wrong and (steps is None or step_of[key] in steps):
            issues.append(AnswerIssue(key, labels[key], "required", "此项为必填项", step_of[key]))


def clean_answers(
    schema: Schema,
    answers: Mapping[str, Any],
    *,
    context: Mapping[str, Any] | None = None,
    require_complete: bool = True,
    steps: set[str] | None = None,
) -> CleanedAnswers:
    """Coerce, apply visibility and computed values, and check a whole answer set.

    ``require_complete`` False skips "required" and cross-field checks (for drafts being saved).
    ``steps`` limits required/cross-field checks to fields of those steps (one wizard step).
    Never raises for bad answers: every problem is an AnswerIssue.
    """
    with bounded():
        return clean_in_bounds(schema, answers, context, require_complete, steps)


def clean_in_bounds(
    schema: Schema,
    answers: Mapping[str, Any],
    context: Mapping[str, Any] | None,
    require_complete: bool,
    steps: set[str] | None,
) -> CleanedAnswers:
    """:func:`clean_answers` for a caller already inside ``bounded()`` (scoring a round)."""
    return _clean(_plan(schema), answers, context, require_complete, steps)


def _clean(
    plan: _Plan,
    answers: Mapping[str, Any],
    context: Mapping[str, Any] | None,
    require_complete: bool,
    steps: set[str] | None,
) -> CleanedAnswers:
    issues: list[AnswerIssue] = []
    values = _coerce_all(plan, answers, steps, issues)
    # Computed values first (a visibility condition may use one), then visibility in schema
    # order (hidden fields count as unanswered), then computed values again without hidden input.
    # Without context the names rules see are the values themselves (one dict, kept in step).
    names = expression_names(values, context) if context else values
    memo: dict[str, Any] = {}
    _compute(plan, names, values, None, memo)
    visible = set(plan.keys) if plan.conditional else plan.key_set
    hidden = False
    for key, condition in plan.conditional:
        if not truthy(_run(condition, names)):
            values[key] = names[key] = None
            visible.discard(key)
            hidden = True
            if issues:
                issues = [i for i in issues if i.field != key]
    if hidden:  # nothing hidden: the second pass would compute the same values again
        _compute(plan, names, values, visible, memo)
    warnings: list[AnswerIssue] = []
    if require_complete:
        _missing(plan, values, visible, steps, issues)
        _check_validations(plan, names, visible, steps, issues, hidden, warnings)
    if hidden:
        values = {k: v for k, v in values.items() if k in visible}
    cleaned = object.__new__(CleanedAnswers)  # the dataclass's fields, without its __init__ (hot path)
    cleaned.__dict__.update(
        values=values, visible=visible, issues=issues, warnings=warnings, names=names, memo=memo
    )
    return cleaned
