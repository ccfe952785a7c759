"""Where evidence bytes live, through the Django storage API only (so S3 works like the disk).

- ``STORAGES["evidence"]``: :class:`PrivateEvidenceStorage` by default (a directory outside
  ``MEDIA_ROOT``, no URL), django-storages' ``S3Storage`` in production (``EVIDENCE_S3_BUCKET``).
- Each tus PATCH body is streamed into its own *part* object (:func:`save_part`), 64 KB at a time;
  storage APIs cannot append, and a part per request also survives a dropped connection.
- The inspection task joins the parts into one archive object (:func:`assemble`), streaming and
  hashing (SHA-256) as it goes, then deletes them.

Names are generated here, never taken from the user: ``uploads/<uuid>/<offset>-<random>.part``
and ``archives/<yyyy>/<mm>/<uuid>.zip``.
"""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Iterable, Sequence
from typing import IO

from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.utils import timezone
from django.utils.crypto import get_random_string

STREAM_BLOCK = 64 * 1024


class PrivateEvidenceStorage(FileSystemStorage):
    """A directory outside MEDIA_ROOT, readable only by the portal's processes, without URLs:
    archives leave only through the owner-checked download view."""

    def __init__(self, location: str | None = None, **kwargs):
        kwargs.setdefault("file_permissions_mode", 0o640)
        kwargs.setdefault("directory_permissions_mode", 0o750)
        super().__init__(location=location, base_url=None, **kwargs)

    def url(self, name):
        raise ValueError("evidence archives have no URL; use the filings:evidence:download view")


def evidence_storage() -> Storage:
    return storages["evidence"]


def part_name(public_id, offset: int) -> str:
    return f"uploads/{public_id}/{offset:012d}-{get_random_string(8)}.part"


def archive_name(public_id) -> str:
    now = timezone.localtime()
    return f"archives/{now:%Y}/{now:%m}/{public_id}.zip"


class BodyReader(io.RawIOBase):
    """At most ``length`` bytes of a request body. A connection that drops mid-body simply ends
    it early (``interrupted``): tus keeps what arrived and the client resumes from there.
    ``hasher`` (optional) sees every byte, for the tus checksum extension."""

    def __init__(self, stream: IO[bytes], length: int, hasher=None):
        self._stream = stream
        self._left = length
        self._buffer = b""
        self.hasher = hasher
        self.received = 0
        self.interrupted = False

    def readable(self) -> bool:
        return True

    def prefetch(self, size: int) -> bytes:
        """Read up to ``size`` bytes ahead (served again by ``read``): the first bytes of an upload
        are checked before any of it is stored."""
        while len(self._buffer) < size:
            data = self._pull(size - len(self._buffer))
            if not data:
                break
            self._buffer += data
        return self._buffer[:size]

    def _pull(self, size: int) -> bytes:
        if self._left <= 0 or self.interrupted:
            return b""
        try:
            data = self._stream.read(min(size, self._left))
        except Exception:  # noqa: BLE001 - any server's "client went away" (OSError, NoMoreData …)
            data = b""
        if not data:
            self.interrupted = True
            return b""
        self._left -= len(data)
        if self.hasher is not None:
            self.hasher.update(data)
        return data

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            size = STREAM_BLOCK
        if self._buffer:
            data, self._buffer = self._buffer[:size], self._buffer[size:]
        else:
            data = self._pull(size)
        self.received += len(data)
        return data

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def save_part(storage: Storage, name: str, body: BodyReader) -> tuple[str, int]:
    """Stream ``body`` into a new object; returns (stored name, bytes stored)."""
    stored = storage.save(name, File(body, name=name))
    return stored, body.received


class JoinedParts(io.RawIOBase):
    """The parts read back one after the other, as one stream, hashed on the way."""

    def __init__(self, storage: Storage, names: Sequence[str]):
        self._storage = storage
        self._names = iter(names)
        self._current: IO[bytes] | None = None
        self.sha256 = hashlib.sha256()
        self.size = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            size = STREAM_BLOCK
        while True:
            if self._current is None:
                name = next(self._names, None)
                if name is None:
                    return b""
                self._current = self._storage.open(name, "rb")
            data = self._current.read(size)
            if data:
                self.sha256.update(data)
                self.size += len(data)
                return data
            self._current.close()
            self._current = None

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if self._current is not None:
            self._current.close()
            self._current = None
        super().close()


def assemble(storage: Storage, parts: Sequence[str], name: str) -> tuple[str, int, str]:
    """Join ``parts`` into the object ``name``; returns (stored name, size, SHA-256 hex)."""
    joined = JoinedParts(storage, parts)
    try:
        stored = storage.save(name, File(joined, name=name))
    finally:
        joined.close()
    return stored, joined.size, joined.sha256.hexdigest()


def delete_quietly(storage: Storage, names: Iterable[str]) -> None:
    """Delete objects that may already be gone (a retried task, a concurrent delete); on a local
    disk also the part directory they leave empty (object stores have no directories)."""
    for name in names:
        if not name:
            continue
        try:
            storage.delete(name)
        except OSError:
            pass
        if isinstance(storage, FileSystemStorage) and name.startswith("uploads/"):
            try:
                os.rmdir(os.path.dirname(storage.path(name)))
            except OSError:
                pass  # not empty yet, or already gone
