"""The only reader of raw schema JSON: :func:`parse_schema` turns it into typed objects.

Every problem is collected (not just the first) as a :class:`SchemaIssue` with a stable
``code`` and the :class:`~forms_engine.schema.nodes.Place` it refers to;
:class:`SchemaValidationError` carries them all. Old schema formats are first upgraded by the
chained converters of :mod:`forms_engine.schema.converters`. A schema larger or deeper than the
limits of :mod:`forms_engine.schema.parser.base` is refused before anything else is read.

The parts: ``base`` (issues, limits, reading helpers), ``structure`` (steps, sections, fields
through the field-type registry, validations, computed-field cycles), ``scoring``.
"""

from __future__ import annotations

from typing import Any

from forms_engine.schema.converters import CURRENT_FORMAT, SchemaFormatError, upgrade_schema
from forms_engine.schema.nodes import Place, Schema
from forms_engine.schema.parser.base import (
    KEY_RE,
    MAX_FIELDS,
    RESERVED_KEYS,
    SchemaIssue,
    SchemaValidationError,
    size_problem,
)
from forms_engine.schema.parser.scoring import OUTCOME_TYPES, SCORE_METHODS, ScoringParser
from forms_engine.schema.parser.structure import StructureParser

TOP_LEVEL = {"format", "title", "description", "steps", "validations", "scoring", "metadata"}


class _Parser(StructureParser, ScoringParser):
    def parse(self, raw: dict) -> Schema:
        self.unknown_attrs(raw, TOP_LEVEL, Place())
        title = self.text(raw, "title", Place(), required=True, limit=200)
        metadata = raw.get("metadata") or {}
        if not isinstance(metadata, dict):
            self.issue("invalid_type", "metadata 必须是对象", Place(part="metadata"))
            metadata = {}
        steps = self.steps(raw)
        self.field_keys = [f.key for s in steps for f in s.fields if f.has_value]
        field_map = {f.key: f for s in steps for f in s.fields}
        validations = self.validations(raw.get("validations"), field_map)
        scoring = self.scoring(raw.get("scoring"), field_map)
        self.computed_cycles(field_map)
        for check in self.deferred:
            check()
        return Schema(
            format=CURRENT_FORMAT,
            title=title,
            description=self.text(raw, "description", Place()),
            steps=steps,
            validations=validations,
            scoring=scoring,
            metadata=metadata,
        )


def validate_shape(raw: Any) -> list[SchemaIssue]:
    """Issues that stop a schema from being read at all: not an object, too large or deep, a
    missing or unknown format. Empty when the parser (and the converters) can read it."""
    if not isinstance(raw, dict):
        return [SchemaIssue("invalid_type", "表单定义必须是 JSON 对象", Place())]
    problem = size_problem(raw)
    if problem is not None:
        return [problem]
    try:
        upgrade_schema(raw)
    except SchemaFormatError as exc:
        return [SchemaIssue(exc.code, str(exc), Place(part="format"))]
    return []


def parse_schema(raw: Any) -> Schema:
    """Upgrade ``raw`` to the current format and parse it.

    Raises SchemaValidationError listing every issue found.
    """
    shape = validate_shape(raw)
    if shape:
        raise SchemaValidationError(shape)
    upgraded = upgrade_schema(raw)
    parser = _Parser()
    schema = parser.parse(upgraded)
    if parser.issues:
        raise SchemaValidationError(parser.issues)
    return schema


def validate_schema(raw: Any) -> list[SchemaIssue]:
    """Every issue of ``raw`` (empty list if it is valid)."""
    try:
        parse_schema(raw)
    except SchemaValidationError as exc:
        return exc.issues
    return []


__all__ = [
    "KEY_RE",
    "MAX_FIELDS",
    "OUTCOME_TYPES",
    "RESERVED_KEYS",
    "SCORE_METHODS",
    "SchemaIssue",
    "SchemaValidationError",
    "parse_schema",
    "size_problem",
    "validate_schema",
    "validate_shape",
]
