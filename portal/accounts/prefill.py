"""Prefill sources of the accounts app for the form engine: ``account.phone``, ``account.email``,
``account.real_name`` (the verified holder or legal representative) and ``account.user_type``."""

from __future__ import annotations

from forms_engine.prefill import prefill_sources

FIELDS = ("phone", "email", "real_name", "user_type")


def _source(name: str):
    def read(*, user, context):
        account = getattr(user, "account", None) if getattr(user, "is_authenticated", False) else None
        return (getattr(account, name, None) or None) if account is not None else None

    return read


def register_prefill_sources() -> None:
    for name in FIELDS:
        prefill_sources.register(f"account.{name}", _source(name))
