"""Uploads in the portal's own forms: one size check, server-generated names, and keeping a file
the form accepted while another field failed.

- ``MaxUploadSizeValidator("ACCOUNTS_LICENCE_MAX_BYTES")``: a field validator reading the limit
  from a setting at validation time; ``ValidationError`` code ``file_too_large``.
- ``PrivateUploadTo("licences")``: ``upload_to`` giving ``licences/2026/12/<uuid>.png`` — never the
  user's file name as a path (names like ``../x`` or ``营业执照(1).PNG`` stay out of the file system).
- ``KeptUploads(request, "realname")``: when a form comes back with errors, the browser cannot
  re-fill a file input; the accepted file is parked in private storage for the session and used
  again on the next submit unless the user picks another one (nothing typed is lost).
"""

from __future__ import annotations

import os
import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from portal.core.storage import private_storage


@deconstructible(path="portal.core.uploads.MaxUploadSizeValidator")
class MaxUploadSizeValidator:
    def __init__(self, setting_name: str):
        self.setting_name = setting_name

    def __call__(self, upload) -> None:
        limit = getattr(settings, self.setting_name)
        if upload is not None and getattr(upload, "size", 0) > limit:
            raise ValidationError(
                _("文件不能超过 %(size)s。"), code="file_too_large", params={"size": filesizeformat(limit)}
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, MaxUploadSizeValidator) and other.setting_name == self.setting_name


def safe_extension(name: str) -> str:
    """The lower-cased extension of an uploaded name if it is short and plain, else ""."""
    extension = os.path.splitext(name or "")[1].lower()
    return extension if extension[1:].isalnum() and len(extension) <= 6 else ""


@deconstructible(path="portal.core.uploads.PrivateUploadTo")
class PrivateUploadTo:
    def __init__(self, prefix: str):
        self.prefix = prefix

    def __call__(self, instance, filename: str) -> str:
        return f"{self.prefix}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{safe_extension(filename)}"

    def __eq__(self, other) -> bool:
        return isinstance(other, PrivateUploadTo) and other.prefix == self.prefix


class KeptUploads:
    """Files of one form kept between submits of the same session (see the module docstring)."""

    directory = "pending"

    def __init__(self, request, form_key: str):
        self.session = request.session
        self.session_key = f"kept_uploads:{form_key}"

    def _entries(self) -> dict:
        return dict(self.session.get(self.session_key, {}))

    def keep(self, field: str, upload) -> None:
        entries = self._entries()
        if field in entries:
            private_storage.delete(entries[field]["path"])
        upload.seek(0)
        path = private_storage.save(
            f"{self.directory}/{secrets.token_hex(16)}{safe_extension(upload.name)}", upload
        )
        entries[field] = {
            "path": path,
            "name": os.path.basename(upload.name)[:100],
            "content_type": getattr(upload, "content_type", "") or "application/octet-stream",
        }
        self.session[self.session_key] = entries

    def name(self, field: str) -> str:
        entry = self._entries().get(field)
        return entry["name"] if entry else ""

    def merge_into(self, files, fields: tuple[str, ...]):
        """``files`` (request.FILES) plus the kept file of each field the user left empty."""
        merged = files.copy()
        for field, entry in self._entries().items():
            if field in fields and not files.get(field) and private_storage.exists(entry["path"]):
                with private_storage.open(entry["path"], "rb") as handle:
                    merged[field] = SimpleUploadedFile(entry["name"], handle.read(), entry["content_type"])
        return merged

    def keep_valid(self, form, fields: tuple[str, ...]) -> None:
        """After a failed submit: keep each file field that passed its own validation."""
        for field in fields:
            upload = form.cleaned_data.get(field) if hasattr(form, "cleaned_data") else None
            if upload and field not in form.errors and hasattr(upload, "read"):
                self.keep(field, upload)

    def clear(self) -> None:
        for entry in self._entries().values():
            private_storage.delete(entry["path"])
        self.session.pop(self.session_key, None)
