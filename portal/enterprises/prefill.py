"""Prefill sources of the form engine backed by the enterprise profile (``profile.*``).

Registered in :meth:`EnterprisesConfig.ready`. Each source returns a JSON value, or None when
the user has no enterprise or the field is empty (the form field then stays empty).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from forms_engine.prefill import prefill_sources

from .selectors import enterprise_for_user, is_profile_complete, questionnaire_key_for


def _number(value: Any) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


# name → reader of a JSON value from the enterprise
PROFILE_READERS: dict[str, Callable[[Any], Any]] = {
    "name": lambda e: e.name or None,
    "uscc": lambda e: e.uscc or None,
    "legal_representative": lambda e: e.legal_representative or None,
    "region": lambda e: e.region.code if e.region_id else None,
    "industry": lambda e: e.industry.code if e.industry_id else None,
    "registered_capital": lambda e: _number(e.registered_capital),
    "employees": lambda e: e.employees,
    "established_on": lambda e: e.established_on.isoformat() if e.established_on else None,
    "size_class": lambda e: e.size_class or None,
    "questionnaire_key": questionnaire_key_for,
    "is_complete": is_profile_complete,
}


_UNREAD = object()


def _enterprise(user: Any) -> Any:
    """The user's enterprise, read once per user object (one request fills several fields)."""
    cached = getattr(user, "_prefill_enterprise", _UNREAD)
    if cached is _UNREAD:
        cached = enterprise_for_user(user)
        if user is not None:
            user._prefill_enterprise = cached
    return cached


def remember_enterprise(user: Any, enterprise: Any) -> None:
    """``user``'s enterprise, already read by the caller the way enterprise_for_user reads it: the
    sources below use it instead of reading it again (the wizard re-reads the verified identity at
    every 【暂存】)."""
    user._prefill_enterprise = enterprise


def _source(reader: Callable[[Any], Any]) -> Callable[..., Any]:
    def source(*, user: Any, context: Any) -> Any:
        enterprise = _enterprise(user)
        return reader(enterprise) if enterprise is not None else None

    return source


# The verified identity (from 实名认证, not editable in the profile): a form field prefilled from
# it is read-only and taken from the profile again at every save and at submit (issue 8).
LOCKED = frozenset({"name", "uscc", "legal_representative"})


def register_prefill_sources() -> None:
    for name, reader in PROFILE_READERS.items():
        prefill_sources.register(f"profile.{name}", _source(reader), locked=name in LOCKED)
