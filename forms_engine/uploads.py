"""File answers in private storage, under names the server makes up.

A file answered in the wizard is saved at once in the host's private storage
(:func:`forms_engine.host.upload_storage`, outside ``MEDIA_ROOT``, no URL) as
``forms/<submission>/<field>/<random>.<ext>``: the user's file name is never part of the path
(it is kept, cleaned, only as the name shown and offered on download). Files are read back only
through :func:`forms_engine.views.submission_file`, which lets the owner and staff the host
admits (``FORMS_ENGINE_FILE_ACCESS``) download them.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from pathlib import PurePath
from typing import Any

from django.core.files.uploadedfile import UploadedFile

from forms_engine.host import upload_storage

PREFIX = "forms"
SAFE_EXTENSION = re.compile(r"\.[a-z0-9]{1,8}")
MAX_NAME = 120


def display_name(name: str) -> str:
    """The user's file name as shown: last path part, no control characters, at most 120 chars."""
    base = PurePath(str(name).replace("\\", "/")).name
    base = "".join(c for c in unicodedata.normalize("NFC", base) if unicodedata.category(c)[0] != "C")
    base = base.strip().strip(".") or "附件"
    if len(base) > MAX_NAME:
        stem, dot, ext = base.rpartition(".")
        base = (stem[: MAX_NAME - len(ext) - 1] + dot + ext) if dot and len(ext) <= 8 else base[:MAX_NAME]
    return base


def stored_name(*, owner: str, field_key: str, original: str) -> str:
    """``forms/<owner>/<field>/<32 hex>.<ext>``: the extension only if it is plain (``.pdf``)."""
    suffix = PurePath(display_name(original)).suffix.lower()
    extension = suffix if SAFE_EXTENSION.fullmatch(suffix) else ""
    return f"{PREFIX}/{owner}/{field_key}/{uuid.uuid4().hex}{extension}"


def save_upload(upload: UploadedFile, *, owner: str, field_key: str) -> dict[str, Any]:
    """Store an uploaded file privately; the file answer describing it (``name`` for display)."""
    path = upload_storage().save(stored_name(owner=owner, field_key=field_key, original=upload.name), upload)
    return {
        "name": display_name(upload.name),
        "path": path,
        "size": upload.size,
        "content_type": getattr(upload, "content_type", "") or "",
    }


def is_engine_path(path: str) -> bool:
    """A stored name this module made (refuses anything else a forged answer might point at)."""
    parts = str(path).split("/")
    return (
        len(parts) == 4
        and parts[0] == PREFIX
        and ".." not in parts
        and re.fullmatch(r"[0-9a-f]{32}(\.[a-z0-9]{1,8})?", parts[3]) is not None
    )


def open_upload(path: str):
    """The stored file (raises FileNotFoundError for a name this module did not make)."""
    if not is_engine_path(path):
        raise FileNotFoundError(path)
    return upload_storage().open(path, "rb")
