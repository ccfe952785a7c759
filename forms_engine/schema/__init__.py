"""Form schemas: typed objects, the single JSON reader, and format converters."""

from forms_engine.schema.converters import CURRENT_FORMAT, SchemaFormatError, upgrade_schema
from forms_engine.schema.nodes import (
    Band,
    Condition,
    Field,
    Level,
    Option,
    Outcome,
    Place,
    ScenarioCount,
    Schema,
    ScoreGroup,
    ScoreItem,
    Scoring,
    Section,
    Step,
    Validation,
)
from forms_engine.schema.parser import SchemaIssue, SchemaValidationError, parse_schema, validate_schema

__all__ = [
    "CURRENT_FORMAT",
    "Band",
    "Condition",
    "Field",
    "Level",
    "Option",
    "Outcome",
    "Place",
    "ScenarioCount",
    "Schema",
    "SchemaFormatError",
    "SchemaIssue",
    "SchemaValidationError",
    "ScoreGroup",
    "ScoreItem",
    "Scoring",
    "Section",
    "Step",
    "Validation",
    "parse_schema",
    "upgrade_schema",
    "validate_schema",
]
