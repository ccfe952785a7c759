"""Registry of lookup sources for reference-data field types (region, industry, …).

The engine must not import the host project (``portal``), yet the ``region`` and ``industry``
field types need the project's reference data. Host apps therefore register a *lookup* under a
name in their ``AppConfig.ready()``::

    from forms_engine.lookups import lookups
    lookups.register("region", RegionLookup())

A lookup knows how to build the Django form field for a value of its kind, how to validate a
stored value, and how to label it for display and score explanations. Scoring never calls a
lookup: stored answers are plain codes.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from django import forms


@runtime_checkable
class Lookup(Protocol):
    """What a reference-data source must provide to the engine."""

    def formfield(self, **kwargs: Any) -> forms.Field:
        """A Django form field (with its widget) whose cleaned value is the stored code."""

    def is_valid(self, value: str) -> bool:
        """True if ``value`` is a known code (used when validating stored answers)."""

    def label(self, value: str) -> str:
        """Human-readable label of ``value`` (the code itself if unknown)."""


class LookupNotRegisteredError(LookupError):
    pass


class LookupRegistry:
    def __init__(self) -> None:
        self._lookups: dict[str, Lookup] = {}

    def register(self, name: str, lookup: Lookup) -> None:
        self._lookups[name] = lookup

    def unregister(self, name: str) -> None:
        self._lookups.pop(name, None)

    def get(self, name: str) -> Lookup:
        try:
            return self._lookups[name]
        except KeyError as exc:
            raise LookupNotRegisteredError(
                f"No lookup registered for {name!r}; the host app must register one."
            ) from exc

    def __contains__(self, name: str) -> bool:
        return name in self._lookups


lookups = LookupRegistry()
