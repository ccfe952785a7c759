"""The form engine's prefill source ``assessment.digital_level`` (registered in ``ready()``).

It gives the ``specialized_filing`` field ``digital_level`` (indicator 5 数字化水平) the option of
the enterprise's latest submitted assessment — ``"4"``, ``"3"``, ``"2"``, ``"1"`` or ``"none"``
(未达到一级) — and nothing without one. It is registered *locked*: the field is read-only once it
has a value, and the engine reads the source again at every save and at submit, so a filing
always carries the latest result until it is submitted (FAQ 6), whatever the page posted.
"""

from __future__ import annotations

from typing import Any

from forms_engine.prefill import prefill_sources

from .selectors import digital_level_value, latest_level_of_owner

SOURCE = "assessment.digital_level"


def digital_level(*, user: Any, context: Any) -> str | None:
    return digital_level_value(latest_level_of_owner(user))


def register_prefill_sources() -> None:
    prefill_sources.register(SOURCE, digital_level, locked=True)
