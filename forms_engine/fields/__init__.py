"""The field-type registry: one :class:`~forms_engine.fields.base.FieldType` per type.

Each module of this package defines field types and registers them with ``@field_types.register``;
every module here is imported when the package is (so a new type is one new module, plus its
tests — see ``docs/forms-engine.md``). The parser, value checks, rendering, the designer and the
diff all ask :data:`field_types`.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator

from forms_engine.fields.base import COMMON_ATTRIBUTES, AnswerError, FieldType, SpecField, blank, coerce


class FieldTypeRegistry:
    def __init__(self) -> None:
        self._types: dict[str, FieldType] = {}

    def register(self, cls: type[FieldType]) -> type[FieldType]:
        """Class decorator: register one instance of a field type under its ``name``."""
        if not cls.name or cls.name in self._types:
            raise ValueError(f"field type {cls.name!r} is unnamed or registered twice")
        self._types[cls.name] = cls()
        return cls

    def unregister(self, name: str) -> None:
        """Remove a type (tests that add one for a while)."""
        del self._types[name]

    def get(self, name: str) -> FieldType:
        """Raises KeyError for an unknown type."""
        return self._types[name]

    def __contains__(self, name: object) -> bool:
        return name in self._types

    def __iter__(self) -> Iterator[FieldType]:
        return iter(sorted(self._types.values(), key=lambda t: (t.order, t.name)))

    def names(self, *, column: bool = False) -> tuple[str, ...]:
        """Every type name in designer order (``column``: only those allowed as table columns)."""
        return tuple(t.name for t in self if t.column or not column)

    def labels(self) -> dict[str, str]:
        return {t.name: t.label for t in self}


field_types = FieldTypeRegistry()

_PLUGINS = {"base", "__init__"}


def _discover() -> None:
    for module in pkgutil.iter_modules(__path__):
        if module.name not in _PLUGINS:
            importlib.import_module(f"{__name__}.{module.name}")


__all__ = [
    "COMMON_ATTRIBUTES",
    "AnswerError",
    "FieldType",
    "FieldTypeRegistry",
    "SpecField",
    "blank",
    "coerce",
    "field_types",
]

_discover()
