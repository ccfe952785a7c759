"""Help text blocks: ``help`` — text shown between questions; no answer."""

from __future__ import annotations

from forms_engine.fields import field_types
from forms_engine.fields.base import FieldType


@field_types.register
class HelpType(FieldType):
    name = "help"
    label = "说明文字"
    order = 90
    attributes = frozenset({"text"})
    attribute_labels = {"text": "说明文字"}
    designer_inputs = ("text",)
    has_value = False
    stored = False

    def parse(self, parser, raw, place):
        return {"text": parser.text(raw, "text", place, required=True)}

    def coerce(self, field, raw):
        return None

    def formfield(self, field):
        raise TypeError("a help block has no form field")
