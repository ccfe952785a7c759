"""What every field type provides: the :class:`FieldType` base class and the Django form field.

A field type is one class in one module of this package (see ``docs/forms-engine.md``, "How to
add a field type"). It declares its schema attributes and how they read, how an answer is
coerced and checked, stored as JSON and shown to a person, and which Django form field and
widget the wizard renders. The parser, the validators, the renderer, the designer and the diff
all ask the type (through :data:`forms_engine.fields.field_types`); none of them branches on
type names.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from forms_engine.schema.nodes import Field, Place
    from forms_engine.schema.parser.base import BaseParser

# Attributes every field may carry (read by the parser for all types).
COMMON_ATTRIBUTES = frozenset(
    {"key", "type", "label", "help", "required", "default", "prefill", "visible_if", "readonly"}
)


class AnswerError(ValueError):
    """One answer breaks its field's type or constraints; ``code`` is stable, ``message`` Chinese."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def blank(value: Any) -> bool:
    """None, "", [] or {} (checked by type: comparing a Decimal with "" is slow)."""
    return value is None or (isinstance(value, (str, list, dict)) and not value)


def fmt_number(number: Decimal) -> str:
    return f"{number.normalize():f}"


class FieldType:
    """One field type. Subclasses set the class attributes and override what differs."""

    #: the stored key (never renamed: add a converter instead)
    name: ClassVar[str] = ""
    #: what policy staff read in the designer and the diff
    label: ClassVar[str] = ""
    #: schema attributes of this type, beyond :data:`COMMON_ATTRIBUTES`
    attributes: ClassVar[frozenset[str]] = frozenset()
    #: readable names of those attributes (diff rows, designer)
    attribute_labels: ClassVar[dict[str, str]] = {}
    #: the designer's field-form inputs that apply to this type (see designer/forms/structure.py)
    designer_inputs: ClassVar[tuple[str, ...]] = ()
    #: order in the designer's type list
    order: ClassVar[int] = 100
    has_value: ClassVar[bool] = True  # False: a help text block
    stored: ClassVar[bool] = True  # False: recomputed from other answers (computed values)
    numeric: ClassVar[bool] = False  # a number in rules (bands, arithmetic)
    choice: ClassVar[bool] = False  # options with values and labels (option scores)
    countable: ClassVar[bool] = False  # ``count`` scoring counts its items
    column: ClassVar[bool] = False  # may be a column of a table
    free_text: ClassVar[bool] = False  # may hold personal data (names, codes, files): masked for policy staff
    upload: ClassVar[bool] = False  # an uploaded file: kept in private storage, offered for download
    unit: ClassVar[str] = ""  # fixed unit (e.g. 万元), shown beside the input

    # -- schema ----------------------------------------------------------------------------
    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "coerce" in cls.__dict__ and "coercer" not in cls.__dict__:
            # an inherited fast path would skip what this class's coerce() checks
            cls.coercer = FieldType.coercer

    def parse(self, parser: BaseParser, raw: Mapping[str, Any], place: Place) -> dict[str, Any]:
        """Read this type's attributes from ``raw``: keyword arguments for :class:`Field` (an
        attribute :class:`Field` does not declare is kept in ``Field.extra``, read as ``field.<name>``).

        Problems are reported through ``parser.issue(code, message, place)``; never raise.
        """
        return {}

    # -- answers ---------------------------------------------------------------------------
    def coerce(self, field: Field, raw: Any) -> Any:
        """The typed value of a non-blank answer. Raises AnswerError."""
        raise NotImplementedError

    def coercer(self, field: Field) -> Callable[[Any], Any]:
        """:func:`coerce` (blank → None) bound to one field, for cleaning many answer sets of one
        schema; a type may return a faster closure for the common JSON inputs, same results."""

        def coerce_one(raw: Any) -> Any:
            return coerce(field, raw)

        return coerce_one

    def to_json(self, field: Field, value: Any) -> Any:
        """JSON-storable form of a typed value (not None)."""
        return value

    def display(self, field: Field, value: Any) -> str:
        """A typed value as a person reads it (result page, PDF, reviewer, exports)."""
        return str(value)

    # -- rendering -------------------------------------------------------------------------
    def widget(self, field: Field) -> forms.Widget:
        return forms.TextInput()

    def formfield(self, field: Field) -> forms.Field:
        """The Django form field of the wizard step (parsing and checks through :meth:`coerce`)."""
        return SpecField(field, widget=self.widget(field))

    def initial(self, field: Field, value: Any) -> Any:
        """A stored JSON answer as the form field's initial value."""
        return value


class SpecField(forms.Field):
    """A Django form field whose parsing and checks come from the field's type."""

    def __init__(self, spec: Field, *, inner: forms.Field | None = None, **kwargs: Any):
        self.spec = spec
        self.inner = inner
        kwargs.setdefault("label", spec.label)
        kwargs.setdefault("help_text", spec.help)
        # Always-visible required fields are required here too (label asterisk, early message);
        # conditionally visible ones are checked in StepForm.clean(), once visibility is known.
        required = spec.required and spec.visible_if is None and spec.kind.stored
        super().__init__(required=required, error_messages={"required": _("此项为必填项")}, **kwargs)
        if spec.required:
            self.widget.attrs.setdefault("aria-required", "true")

    def to_python(self, value: Any) -> Any:
        if self.inner is not None and value not in self.empty_values:
            value = self.inner.clean(value)
        if isinstance(value, UploadedFile):
            description = {
                "name": value.name,
                "path": "upload",
                "size": value.size,
                "content_type": getattr(value, "content_type", ""),
            }
            try:
                coerce(self.spec, description)
            except AnswerError as exc:
                raise ValidationError(exc.message, code=exc.code) from None
            return value
        try:
            return coerce(self.spec, value)
        except AnswerError as exc:
            raise ValidationError(exc.message, code=exc.code) from None


def coerce(field: Field, raw: Any) -> Any:
    """Typed value of one answer, or None when blank (see :func:`forms_engine.values.coerce_value`)."""
    if blank(raw) or not field.has_value:
        return None
    return field.kind.coerce(field, raw)
