"""What the engine asks the project it runs in (the *host*), through settings.

The engine imports neither ``portal`` nor ``cms``; everything it needs to know about accounts,
enterprises, staff scopes and storage it asks through these settings (all optional):

``FORMS_ENGINE_START_GUARD``
    dotted path of ``(request, definition) -> HttpResponse | None``: may this user start or open
    a self-service form? (None: yes; a response: show it instead.)
``FORMS_ENGINE_SUBMIT_HOOKS``
    ``{"<definition key>" | "category:<category>" | "*": "dotted.path" | ["dotted.path", …]}``:
    callables ``(*, submission, result) -> None`` run *inside* the submit transaction, after the
    answers were validated and scored and the submission marked submitted — so the host's own
    state (a filing moving to 待审核) changes atomically with it. A hook raises
    :class:`SubmissionRefusedError` (message shown to the person, stable code) to refuse: the
    whole submit is rolled back.
``FORMS_ENGINE_FILE_ACCESS``
    dotted path of ``(user, submission) -> bool``: may this user (not the owner) download the
    files of this submission? (Staff whose scope covers the enterprise.) Without it only the
    owner may.
``FORMS_ENGINE_UPLOAD_STORAGE``
    the ``STORAGES`` alias of the private storage for file answers (default
    ``"forms_engine_uploads"``). It must be outside ``MEDIA_ROOT`` and have no public URL.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import Storage, storages
from django.utils.module_loading import import_string

DEFAULT_UPLOAD_STORAGE = "forms_engine_uploads"


class SubmissionRefusedError(Exception):
    """A host refuses a submit (raised by a submit hook): ``message`` for the person, ``code`` stable."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


@lru_cache(maxsize=64)
def _callable(path: str) -> Callable[..., Any]:
    return import_string(path)


def start_guard(request: Any, definition: Any) -> Any:
    """The host's say on who may start a self-service form (None: go ahead)."""
    path = getattr(settings, "FORMS_ENGINE_START_GUARD", None)
    return _callable(path)(request, definition) if path else None


def submit_hooks(definition_key: str, category: str) -> list[Callable[..., Any]]:
    """The host's submit hooks for a definition: its own, its category's and the catch-all."""
    configured = getattr(settings, "FORMS_ENGINE_SUBMIT_HOOKS", None) or {}
    hooks: list[Callable[..., Any]] = []
    for key in (definition_key, f"category:{category}", "*"):
        paths = configured.get(key) or ()
        for path in [paths] if isinstance(paths, str) else paths:
            hooks.append(_callable(path))
    return hooks


def may_read_files(user: Any, submission: Any) -> bool:
    """The owner always; anyone else only if the host's FORMS_ENGINE_FILE_ACCESS says so."""
    if not getattr(user, "is_authenticated", False):
        return False
    if submission.owner_id == user.pk:
        return True
    path = getattr(settings, "FORMS_ENGINE_FILE_ACCESS", None)
    return bool(path) and bool(_callable(path)(user, submission))


def upload_storage() -> Storage:
    """The private storage of file answers (refuses a storage inside MEDIA_ROOT)."""
    alias = getattr(settings, "FORMS_ENGINE_UPLOAD_STORAGE", DEFAULT_UPLOAD_STORAGE)
    try:
        storage = storages[alias]
    except Exception as exc:  # InvalidStorageError
        raise ImproperlyConfigured(
            f"forms_engine: STORAGES has no {alias!r}: configure a private storage outside MEDIA_ROOT "
            "for file answers (see docs/forms-engine.md, Host contract)"
        ) from exc
    location = getattr(storage, "location", None)
    if location is not None and Path(location).resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve()):
        raise ImproperlyConfigured(f"forms_engine: the upload storage {alias!r} is inside MEDIA_ROOT")
    return storage
