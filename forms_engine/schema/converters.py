"""Chained converters that upgrade stored schemas of older formats to the current one.

A schema's ``format`` number says which shape it has. Each converter takes a schema of format N
and returns format N+1; :func:`upgrade_schema` applies them in order. Stored versions are never
rewritten in place: they are upgraded when read, so an old published version keeps its checksum.

Format history:
  1  (2025 pilots) options were plain strings ``"options": ["A", "B"]`` with scores in a separate
     ``"scores": {"A": 20}`` map; bands used ``"from"``/``"to"`` with implicit "from inclusive,
     to exclusive"; the per-field visibility key was ``show_if``.
  2  options are objects ``{"value", "label", "score"}``; bands state ``min``/``max`` with explicit
     ``min_inclusive``/``max_inclusive``; visibility is ``visible_if``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

CURRENT_FORMAT = 2


class SchemaFormatError(ValueError):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def _walk_fields(schema: dict[str, Any]):
    for step in schema.get("steps") or []:
        for section in (step or {}).get("sections") or []:
            for field in (section or {}).get("fields") or []:
                if isinstance(field, dict):
                    yield field
                    for column in field.get("columns") or []:
                        if isinstance(column, dict):
                            yield column


def _v1_to_v2(schema: dict[str, Any]) -> dict[str, Any]:
    for field in _walk_fields(schema):
        if "show_if" in field:
            field["visible_if"] = field.pop("show_if")
        options = field.get("options")
        if isinstance(options, list) and options and all(isinstance(o, str) for o in options):
            scores = field.pop("scores", {}) or {}
            field["options"] = [
                {"value": o, "label": o, **({"score": scores[o]} if o in scores else {})} for o in options
            ]
    scoring = schema.get("scoring") or {}
    for item in scoring.get("items") or []:
        for band in (item or {}).get("bands") or []:
            if not isinstance(band, dict):
                continue
            if "from" in band:
                band["min"] = band.pop("from")
                band.setdefault("min_inclusive", True)
            if "to" in band:
                band["max"] = band.pop("to")
                band.setdefault("max_inclusive", False)
    schema["format"] = 2
    return schema


CONVERTERS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _v1_to_v2}


def upgrade_schema(raw: dict[str, Any]) -> dict[str, Any]:
    """Return a copy of ``raw`` upgraded to CURRENT_FORMAT (the input is not modified).

    Raises SchemaFormatError for a missing, unknown or future format.
    """
    fmt = raw.get("format")
    if fmt is None:
        raise SchemaFormatError("missing_format", f"缺少表单格式号 format（当前为 {CURRENT_FORMAT}）")
    if not isinstance(fmt, int) or isinstance(fmt, bool):
        raise SchemaFormatError(
            "invalid_format", f"表单格式号 format 必须是整数（如 {CURRENT_FORMAT}），不能是文本或其他值"
        )
    if fmt > CURRENT_FORMAT:
        raise SchemaFormatError("unsupported_format", f"表单格式 {fmt} 比本系统支持的 {CURRENT_FORMAT} 更新")
    if fmt < 1:
        raise SchemaFormatError("unsupported_format", f"不存在表单格式 {fmt}")
    schema = copy.deepcopy(raw)
    while schema["format"] < CURRENT_FORMAT:
        schema = CONVERTERS[schema["format"]](schema)
    return schema
