"""Rendering: a registry maps each field type to a Django form field and widget.

Like Wagtail's FormBuilder there is one ``create_<type>_field`` per type. Every generated field
parses and checks its value with :func:`forms_engine.values.coerce_value`, the same validator the
submit service uses, so the wizard and the service never disagree. Visibility, "required" and
cross-field rules are applied in the step form's ``clean()`` through
:func:`forms_engine.values.clean_answers`. HTML comes from Django widgets and templates
(crispy-forms' Bootstrap 5 pack), never from Python strings.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from forms_engine.lookups import lookups
from forms_engine.schema.nodes import Field, Schema, Step
from forms_engine.values import AnswerError, clean_answers, coerce_value, to_json


class SpecField(forms.Field):
    """A Django form field whose parsing and checks come from the field's schema."""

    def __init__(self, spec: Field, *, inner: forms.Field | None = None, **kwargs: Any):
        self.spec = spec
        self.inner = inner
        kwargs.setdefault("label", spec.label)
        kwargs.setdefault("help_text", spec.help)
        # Always-visible required fields are required here too (label asterisk, early message);
        # conditionally visible ones are checked in StepForm.clean(), once visibility is known.
        required = spec.required and spec.visible_if is None and spec.type != "computed"
        super().__init__(required=required, error_messages={"required": _("此项为必填项")}, **kwargs)
        if spec.required:
            self.widget.attrs.setdefault("aria-required", "true")

    def to_python(self, value: Any) -> Any:
        if self.inner is not None and value not in self.empty_values:
            value = self.inner.clean(value)
        if isinstance(value, UploadedFile):
            description = {"name": value.name, "path": "upload", "size": value.size,
                           "content_type": getattr(value, "content_type", "")}
            try:
                coerce_value(self.spec, description)
            except AnswerError as exc:
                raise ValidationError(exc.message, code=exc.code) from None
            return value
        try:
            return coerce_value(self.spec, value)
        except AnswerError as exc:
            raise ValidationError(exc.message, code=exc.code) from None


class TableWidget(forms.Widget):
    """Repeating rows of typed cells. Posted as ``<name>-<row>-<column>``."""

    template_name = "forms_engine/widgets/table.html"

    def __init__(self, spec: Field, attrs: dict | None = None):
        self.spec = spec
        super().__init__(attrs)

    def value_from_datadict(self, data: Mapping[str, Any], files: Any, name: str) -> list[dict[str, Any]]:
        rows = []
        for index in range(self.spec.max_rows + 1):
            row = {c.key: data.get(f"{name}-{index}-{c.key}") or None for c in self.spec.columns}
            rows.append(row)
        # keep blank rows in the middle so messages name the row the person sees ("第 3 行");
        # trailing blank rows are the spare rows of the widget
        while rows and all(v is None for v in rows[-1].values()):
            rows.pop()
        return rows

    def value_omitted_from_data(self, data, files, name) -> bool:
        return not any(key.startswith(f"{name}-") for key in data)

    def format_value(self, value: Any) -> Any:
        return value

    def get_context(self, name: str, value: Any, attrs: dict | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        rows = list(value or [])
        shown = max(self.spec.min_rows, len(rows) + 1, 1)
        shown = min(shown, self.spec.max_rows)
        context["widget"].update({
            "columns": self.spec.columns,
            "rows": [(index, rows[index] if index < len(rows) else {}) for index in range(shown)],
            "max_rows": self.spec.max_rows,
        })
        return context


def _number_widget(spec: Field) -> forms.Widget:
    step = "1" if spec.decimal_places == 0 else str(Decimal(1).scaleb(-spec.decimal_places))
    attrs = {"inputmode": "decimal" if spec.decimal_places else "numeric", "step": step}
    if spec.min is not None:
        attrs["min"] = str(spec.min)
    if spec.max is not None:
        attrs["max"] = str(spec.max)
    return forms.NumberInput(attrs=attrs)


def create_text_field(spec: Field) -> forms.Field:
    attrs = {"maxlength": spec.max_length} if spec.max_length else {}
    return SpecField(spec, widget=forms.TextInput(attrs=attrs))


def create_textarea_field(spec: Field) -> forms.Field:
    return SpecField(spec, widget=forms.Textarea(attrs={"rows": 4, "maxlength": spec.max_length}))


def create_number_field(spec: Field) -> forms.Field:
    return SpecField(spec, widget=_number_widget(spec))


def create_date_field(spec: Field) -> forms.Field:
    attrs = {"type": "date"}
    if spec.min_date:
        attrs["min"] = spec.min_date
    if spec.max_date:
        attrs["max"] = spec.max_date
    return SpecField(spec, widget=forms.DateInput(attrs=attrs, format="%Y-%m-%d"))


def _choices(spec: Field) -> list[tuple[str, str]]:
    return [(o.value, o.label) for o in spec.options]


def create_single_choice_field(spec: Field) -> forms.Field:
    if spec.widget == "select":
        widget: forms.Widget = forms.Select(choices=[("", _("请选择"))] + _choices(spec))
    else:
        widget = forms.RadioSelect(choices=_choices(spec))
    return SpecField(spec, widget=widget)


def create_multiple_choice_field(spec: Field) -> forms.Field:
    return SpecField(spec, widget=forms.CheckboxSelectMultiple(choices=_choices(spec)))


def create_yes_no_field(spec: Field) -> forms.Field:
    return SpecField(spec, widget=forms.RadioSelect(choices=[("true", _("是")), ("false", _("否"))]))


def _lookup_field(name: str) -> Callable[[Field], forms.Field]:
    def create(spec: Field) -> forms.Field:
        if name in lookups:
            inner = lookups.get(name).formfield(required=False, **({"min_level": spec.min_level}
                                                                   if name == "region" else {}))
            return SpecField(spec, inner=inner, widget=inner.widget)
        return SpecField(spec, widget=forms.TextInput(attrs={"inputmode": "numeric"}))

    return create


def create_file_field(spec: Field) -> forms.Field:
    attrs = {"accept": ",".join(spec.accept)} if spec.accept else {}
    return SpecField(spec, widget=forms.ClearableFileInput(attrs=attrs))


def create_table_field(spec: Field) -> forms.Field:
    return SpecField(spec, widget=TableWidget(spec))


def create_computed_field(spec: Field) -> forms.Field:
    field = SpecField(spec, widget=forms.TextInput(attrs={"readonly": "readonly", "tabindex": "-1"}),
                      disabled=True)
    field.help_text = spec.help or _("根据已填数据自动计算")
    return field


FIELD_BUILDERS: dict[str, Callable[[Field], forms.Field]] = {
    "text": create_text_field,
    "textarea": create_textarea_field,
    "integer": create_number_field,
    "decimal": create_number_field,
    "percentage": create_number_field,
    "money": create_number_field,
    "year": create_number_field,
    "date": create_date_field,
    "single_choice": create_single_choice_field,
    "multiple_choice": create_multiple_choice_field,
    "yes_no": create_yes_no_field,
    "region": _lookup_field("region"),
    "industry": _lookup_field("industry"),
    "file": create_file_field,
    "table": create_table_field,
    "computed": create_computed_field,
}


def build_field(spec: Field) -> forms.Field:
    field = FIELD_BUILDERS[spec.type](spec)
    if spec.unit and spec.type not in ("computed",):
        field.widget.attrs.setdefault("data-unit", spec.unit)
    if spec.readonly:
        field.disabled = True
    return field


@dataclass(frozen=True)
class SectionLayout:
    title: str
    help: str
    items: tuple[tuple[str, Any], ...]  # ("field", BoundField) or ("help", text)


class StepForm(forms.Form):
    """One wizard step. ``answers`` are the (JSON) answers of every step, for rules that look
    across steps; ``quiet`` renders stored input without showing errors (reopening a draft)."""

    schema: Schema
    step: Step

    def __init__(self, *args: Any, answers: Mapping[str, Any] | None = None,
                 context: Mapping[str, Any] | None = None, quiet: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.answers = dict(answers or {})
        self.engine_context = dict(context or {})
        self.quiet = quiet
        for spec in self.step.fields:
            if spec.type == "computed" and spec.key in self.fields:
                value = self.answers.get(spec.key)
                self.fields[spec.key].initial = "" if value is None else f"{value}{spec.unit}"
            elif spec.has_value and spec.key in self.fields and not self.is_bound:
                self.fields[spec.key].initial = _initial(spec, self.answers.get(spec.key))

    def full_clean(self) -> None:
        super().full_clean()
        if self.quiet:
            self._errors = forms.utils.ErrorDict()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        merged = dict(self.answers)
        for spec in self.step.fields:
            if not spec.has_value or spec.type == "computed":
                continue
            if spec.key in self.errors:
                merged[spec.key] = None
            elif spec.key in cleaned:
                value = cleaned[spec.key]
                merged[spec.key] = _file_placeholder(value) if isinstance(value, UploadedFile) else \
                    to_json(spec, value)
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
            if spec.has_value and spec.type != "computed" and spec.key in self.cleaned_data \
                    and spec.key not in self.errors:
                value = self.cleaned_data[spec.key]
                answers[spec.key] = _file_placeholder(value) if isinstance(value, UploadedFile) else \
                    to_json(spec, value)
        return answers

    def layout(self) -> list[SectionLayout]:
        sections = []
        for section in self.step.sections:
            items: list[tuple[str, Any]] = []
            for spec in section.fields:
                if spec.type == "help":
                    items.append(("help", spec.text))
                else:
                    items.append(("field", self[spec.key]))
            sections.append(SectionLayout(section.title, section.help, tuple(items)))
        return sections


def _file_placeholder(upload: UploadedFile) -> dict[str, Any]:
    return {"name": upload.name, "path": getattr(upload, "stored_path", "") or upload.name,
            "size": upload.size, "content_type": getattr(upload, "content_type", "") or ""}


def _initial(spec: Field, value: Any) -> Any:
    if value is None:
        return None
    if spec.type == "yes_no":
        return "true" if value else "false"
    return value


def build_step_form(schema: Schema, step: Step) -> type[StepForm]:
    """A Form class for one step of a schema."""
    attrs: dict[str, Any] = {"schema": schema, "step": step}
    for spec in step.fields:
        if spec.has_value:
            attrs[spec.key] = build_field(spec)
    return type(f"StepForm_{step.key}", (StepForm,), attrs)


def build_step_forms(schema: Schema) -> list[tuple[str, type[StepForm]]]:
    return [(step.key, build_step_form(schema, step)) for step in schema.steps]
