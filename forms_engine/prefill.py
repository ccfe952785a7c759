"""Registry of prefill sources: where a field's initial value comes from.

A field's ``prefill`` names a source, e.g. ``profile.uscc`` (the enterprise profile, registered
by the enterprises app) or ``assessment.digital_level`` (the latest digital assessment,
registered by the assessment app). Host apps register callables in ``AppConfig.ready()``::

    from forms_engine.prefill import prefill_sources
    prefill_sources.register("profile.uscc", lambda *, user, context: user.enterprise.uscc)

Built in: ``context.<name>`` reads the submission's context supplied by the host app.
A source returns a JSON value, or None when it has nothing (the field then stays empty).
A source that fails is logged and treated as empty: prefill must never block filling in a form.

A source registered with ``locked=True`` is authoritative (the verified identity: enterprise
name, USCC …): a field prefilled from it is read-only in the wizard and its value is taken from
the source again, server-side, at every save and at submit — whatever was posted.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

logger = logging.getLogger(__name__)

PrefillSource = Callable[..., Any]


class PrefillRegistry:
    def __init__(self) -> None:
        self._sources: dict[str, PrefillSource] = {}
        self._locked: set[str] = set()

    def register(self, name: str, source: PrefillSource, *, locked: bool = False) -> None:
        self._sources[name] = source
        if locked:
            self._locked.add(name)
        else:
            self._locked.discard(name)

    def unregister(self, name: str) -> None:
        self._sources.pop(name, None)
        self._locked.discard(name)

    def is_locked(self, name: str | None) -> bool:
        """True for an authoritative source: its fields are read-only and re-read on save/submit."""
        return name in self._locked

    def source(self, name: str) -> PrefillSource | None:
        return self._sources.get(name)

    def names(self) -> list[str]:
        return sorted(self._sources)

    def __contains__(self, name: str) -> bool:
        return name in self._sources or name.startswith("context.")

    def resolve(self, name: str, *, user: Any, context: Mapping[str, Any]) -> Any:
        if name.startswith("context."):
            return context.get(name.removeprefix("context."))
        source = self._sources.get(name)
        if source is None:
            return None
        try:
            return source(user=user, context=context)
        except Exception:  # a broken source must not stop the form
            logger.exception("prefill source %s failed", name)
            return None


prefill_sources = PrefillRegistry()


def resolve_prefill(name: str, *, user: Any, context: Mapping[str, Any]) -> Any:
    return prefill_sources.resolve(name, user=user, context=context)
