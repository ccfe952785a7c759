"""Rendering: each step of a schema becomes a Django form, its fields built by the field types.

Like Wagtail's FormBuilder, every question's form field comes from its type
(:meth:`forms_engine.fields.base.FieldType.formfield`). Every generated field parses and checks
its value with the type's ``coerce``, the same validator the submit service uses, so the wizard
and the service never disagree. Visibility, "required" and
cross-field rules are applied in the step form's ``clean()`` through
:func:`forms_engine.values.clean_answers`. HTML comes from Django widgets and templates
(crispy-forms' Bootstrap 5 pack), never from Python strings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from forms_engine.fields import SpecField
from forms_engine.fields.table import TableWidget
from forms_engine.prefill import prefill_sources
from forms_engine.schema.nodes import Field, Schema, Step
from forms_engine.values import clean_answers, to_json

__all__ = [
    "SectionLayout",
    "SpecField",
    "StepForm",
    "TableWidget",
    "build_field",
    "build_step_form",
    "build_step_forms",
]


def build_field(spec: Field) -> forms.Field:
    """The Django form field of one question, from its type plugin."""
    field = spec.kind.formfield(spec)
    if spec.readonly:
        field.disabled = True
    return field


@dataclass(frozen=True)
class SectionLayout:
    title: str
    help: str
    # ("field", BoundField, notes) or ("help", text, ()); notes: the host's annotations of the field
    items: tuple[tuple[str, Any, tuple[str, ...]], ...]


class StepForm(forms.Form):
    """One wizard step. ``answers`` are the (JSON) answers of every step, for rules that look
    across steps; ``quiet`` renders stored input without showing errors (reopening a draft)."""

    schema: Schema
    step: Step

    def __init__(
        self,
        *args: Any,
        answers: Mapping[str, Any] | None = None,
        context: Mapping[str, Any] | None = None,
        quiet: bool = False,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.answers = dict(answers or {})
        self.engine_context = dict(context or {})
        self.quiet = quiet
        computed = [spec for spec in self.step.fields if spec.has_value and not spec.stored]
        if computed:
            self.set_computed(
                clean_answers(
                    self.schema, self.answers, context=self.engine_context, require_complete=False
                ).values
            )
        for spec in self.step.fields:
            if spec.stored and spec.key in self.fields:
                # a read-only (disabled) field takes its value from ``initial`` even on a POST:
                # without it a required read-only answer (变更前注册地) read as empty on 【提交】
                if not self.is_bound or self.fields[spec.key].disabled:
                    self.fields[spec.key].initial = _initial(spec, self.answers.get(spec.key))
                if prefill_sources.is_locked(spec.prefill) and self.answers.get(spec.key) not in (None, ""):
                    # from the verified profile: shown, never taken from the POST (the services
                    # read it again from the source on every save and at submit)
                    field = self.fields[spec.key]
                    field.disabled = True
                    field.initial = _initial(spec, self.answers.get(spec.key))
                    field.help_text = _("来自已认证的企业信息，不能在此修改。")

    def set_computed(self, values: Mapping[str, Any]) -> None:
        """Show computed values (they are never posted: the inputs are read-only)."""
        for spec in self.step.fields:
            if spec.has_value and not spec.stored and spec.key in self.fields:
                self.fields[spec.key].initial = _initial(spec, values.get(spec.key))

    def full_clean(self) -> None:
        super().full_clean()
        if self.quiet:
            self._errors = forms.utils.ErrorDict()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        merged = dict(self.answers)
        for spec in self.step.fields:
            if not spec.stored:
                continue
            if spec.key in self.errors:
                merged[spec.key] = None
            elif spec.key in cleaned:
                value = cleaned[spec.key]
                merged[spec.key] = (
                    _file_placeholder(value) if isinstance(value, UploadedFile) else to_json(spec, value)
                )
        result = clean_answers(self.schema, merged, context=self.engine_context, steps={self.step.key})
        for issue in result.issues:
            if issue.field in self.fields and issue.field not in self.errors:
                self.add_error(issue.field, ValidationError(issue.message, code=issue.code))
        self.engine_values = result.values
        return cleaned

    def step_answers(self) -> dict[str, Any]:
        """JSON answers of this step's fields from the cleaned data (valid fields only)."""
        answers = {}
        for spec in self.step.fields:
            if spec.stored and spec.key in self.cleaned_data and spec.key not in self.errors:
                value = self.cleaned_data[spec.key]
                answers[spec.key] = (
                    _file_placeholder(value) if isinstance(value, UploadedFile) else to_json(spec, value)
                )
        return answers

    def layout(self, annotations: Mapping[str, list[str]] | None = None) -> list[SectionLayout]:
        """The step's sections with their fields (and the host's notes beside each field)."""
        notes = annotations or {}
        sections = []
        for section in self.step.sections:
            items: list[tuple[str, Any, tuple[str, ...]]] = []
            for spec in section.fields:
                if not spec.has_value:
                    items.append(("help", spec.text, ()))
                else:
                    items.append(("field", self[spec.key], tuple(notes.get(spec.key, ()))))
            sections.append(SectionLayout(section.title, section.help, tuple(items)))
        return sections


def _file_placeholder(upload: UploadedFile) -> dict[str, Any]:
    # checks the step only: the stored answer gets the private storage's generated name
    return {
        "name": upload.name,
        "path": "pending-upload",
        "size": upload.size,
        "content_type": getattr(upload, "content_type", "") or "",
    }


def _initial(spec: Field, value: Any) -> Any:
    return None if value is None else spec.kind.initial(spec, value)


def build_step_form(schema: Schema, step: Step) -> type[StepForm]:
    """A Form class for one step of a schema."""
    attrs: dict[str, Any] = {"schema": schema, "step": step}
    for spec in step.fields:
        if spec.has_value:
            attrs[spec.key] = build_field(spec)
    return type(f"StepForm_{step.key}", (StepForm,), attrs)


_STEP_FORMS: dict[int, tuple[Schema, list[tuple[str, type[StepForm]]]]] = {}
_STEP_FORMS_MAX = 128


def build_step_forms(schema: Schema) -> list[tuple[str, type[StepForm]]]:
    """The step form classes of ``schema``, built once per parsed schema (every wizard request
    needs them; forms copy their fields per instance, so the classes are shared safely)."""
    cached = _STEP_FORMS.get(id(schema))
    if cached is not None and cached[0] is schema:
        return cached[1]
    built = [(step.key, build_step_form(schema, step)) for step in schema.steps]
    if len(_STEP_FORMS) >= _STEP_FORMS_MAX:
        _STEP_FORMS.clear()
    _STEP_FORMS[id(schema)] = (schema, built)
    return built
