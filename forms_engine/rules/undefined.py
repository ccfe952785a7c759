"""The value of an expression that cannot be evaluated on the given answers."""

from __future__ import annotations

from typing import Any


class _Undefined:
    """Result of an expression that cannot be evaluated on the given answers."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "UNDEFINED"


UNDEFINED: Any = _Undefined()


class UndefinedOperand(Exception):
    """Raised inside an evaluation when a name's value is UNDEFINED: the whole result is."""
