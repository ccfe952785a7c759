"""Every write of evidence archives (keyword-only, transactional, audited).

Upload (the tus views call these):
- :func:`create_upload` — tus creation: declared length and name checked, quota, optional replacement.
- :func:`append_chunk` — tus PATCH: offset and checksum checks, the first bytes must be a zip,
  the body streamed into a part; the last byte queues the inspection.
- :func:`delete_evidence_archive` — 【删除】 and tus termination (not once locked).

Inspection (the background task): :func:`run_inspection` joins the parts, inspects, records
通过/未通过 and, for a replacement that passed, removes the archive it replaces.

Filings (for the filing's submit and return): :func:`lock_evidence_archive`,
:func:`unlock_evidence_archive`.

Housekeeping: :func:`purge_expired_uploads`, :func:`requeue_stale_inspections`.

Files are deleted only after the transaction that forgets them commits.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from portal.filings.models import EvidenceArchive

from . import storage as store
from .inspection import EMPTY_ARCHIVE, LOCAL_HEADER, Limits, inspect_archive
from .refusals import ArchiveRefusedError, format_bytes
from .signals import archive_replaced

logger = logging.getLogger(__name__)
State = EvidenceArchive.State
CHECKSUM_ALGORITHMS = {"sha1": hashlib.sha1, "sha256": hashlib.sha256, "md5": hashlib.md5}


class EvidenceUploadError(Exception):
    """Base of the protocol errors the tus views turn into status codes; ``code`` is stable."""

    code = "upload_error"


class UploadNotFoundError(EvidenceUploadError):
    code = "not_found"


class UploadExpiredError(EvidenceUploadError):
    code = "expired"


class UploadStateError(EvidenceUploadError):
    """The archive takes no more bytes (complete, being checked, or refused)."""

    code = "not_uploading"


class OffsetMismatchError(EvidenceUploadError):
    code = "offset_mismatch"

    def __init__(self, expected: int):
        self.expected = expected
        super().__init__(f"expected offset {expected}")


class ChunkTooLargeError(EvidenceUploadError):
    code = "chunk_too_large"


class ChecksumMismatchError(EvidenceUploadError):
    code = "checksum_mismatch"


class UnsupportedChecksumError(EvidenceUploadError):
    code = "unsupported_checksum"


class QuotaExceededError(EvidenceUploadError):
    code = "quota_exceeded"


class ArchiveLockedError(EvidenceUploadError):
    """The archive belongs to a submitted filing: no replacing, no deleting."""

    code = "locked"


class ArchiveNotPassedError(EvidenceUploadError):
    """Only an archive that passed inspection can go with a filing."""

    code = "not_passed"


def _log(archive: EvidenceArchive, action: str, user=None, **data: Any) -> None:
    log(
        instance=archive,
        action=action,
        user=user,
        data={"filename": archive.filename, "size": archive.size, **data},
    )


def _delete_files_on_commit(names: list[str]) -> None:
    names = [name for name in names if name]
    if names:
        transaction.on_commit(lambda: store.delete_quietly(store.evidence_storage(), names))


def _enqueue_inspection(archive_id: int) -> None:
    from .tasks import inspect_evidence_archive

    transaction.on_commit(lambda: inspect_evidence_archive.enqueue(archive_id))


# --- upload ---------------------------------------------------------------------------------


def check_declared_upload(*, filename: str, length: int) -> None:
    """The checks made before a single byte is accepted; raises ArchiveRefusedError."""
    if not filename.lower().endswith(".zip"):
        raise ArchiveRefusedError("not_zip_name", filename=filename)
    if length <= 0:
        raise ArchiveRefusedError("empty_file", filename=filename)
    if length > settings.EVIDENCE_MAX_BYTES:
        raise ArchiveRefusedError(
            "too_large", size=format_bytes(length), limit=format_bytes(settings.EVIDENCE_MAX_BYTES)
        )


def create_upload(
    *, user, enterprise, filename: str, length: int, replaces: EvidenceArchive | None = None
) -> EvidenceArchive:
    """Start an upload of ``length`` bytes. Raises ArchiveRefusedError (name, size),
    QuotaExceededError, ArchiveLockedError (replacing a locked archive)."""
    filename = (filename or "").strip().replace("/", "_").replace("\\", "_")[:255]
    check_declared_upload(filename=filename, length=length)
    with transaction.atomic():
        # One creation at a time per enterprise, so the quota cannot be raced past.
        type(enterprise).objects.select_for_update().filter(pk=enterprise.pk).first()
        if replaces is not None:
            replaces = EvidenceArchive.objects.select_for_update().get(pk=replaces.pk, enterprise=enterprise)
            if replaces.is_locked:
                raise ArchiveLockedError()
            earlier = EvidenceArchive.objects.filter(replaces=replaces).first()
            if earlier is not None:  # a replacement started before and never finished: this one wins
                _delete(earlier, user=user)
        count = EvidenceArchive.objects.filter(enterprise=enterprise).count()
        if count >= settings.EVIDENCE_MAX_ARCHIVES_PER_ENTERPRISE:
            raise QuotaExceededError()
        return EvidenceArchive.objects.create(
            enterprise=enterprise,
            uploaded_by=user,
            filename=filename,
            size=length,
            replaces=replaces,
            upload_expires_at=timezone.now() + dt.timedelta(hours=settings.EVIDENCE_UPLOAD_EXPIRY_HOURS),
        )


def _checksum_hasher(checksum: str | None):
    if not checksum:
        return None, None
    algorithm, _, expected = checksum.strip().partition(" ")
    factory = CHECKSUM_ALGORITHMS.get(algorithm.lower())
    if factory is None or not expected:
        raise UnsupportedChecksumError()
    return factory(), expected.strip()


def append_chunk(
    *, archive: EvidenceArchive, offset: int, length: int, body: IO[bytes], checksum: str | None = None
) -> EvidenceArchive:
    """Store ``length`` bytes of ``body`` at ``offset`` (tus PATCH). Keeps what arrives when the
    connection drops. Raises the EvidenceUploadError subclasses above, or ArchiveRefusedError
    when the first bytes are not a zip (the archive is then recorded as 未通过)."""
    if archive.state != State.UPLOADING:
        raise UploadStateError()
    if archive.upload_expires_at and archive.upload_expires_at <= timezone.now():
        raise UploadExpiredError()
    if offset != archive.offset:
        raise OffsetMismatchError(archive.offset)
    if length > settings.EVIDENCE_MAX_CHUNK_BYTES or offset + length > archive.size:
        raise ChunkTooLargeError()
    hasher, expected = _checksum_hasher(checksum)
    reader = store.BodyReader(body, length, hasher=hasher)
    if offset == 0 and length:
        head = reader.prefetch(len(LOCAL_HEADER))
        if not (LOCAL_HEADER.startswith(head) or EMPTY_ARCHIVE.startswith(head)):
            _refuse_upload(archive, ArchiveRefusedError("not_zip"))
            raise ArchiveRefusedError("not_zip")
    storage = store.evidence_storage()
    name, received = store.save_part(storage, store.part_name(archive.public_id, offset), reader)
    if received == 0:
        store.delete_quietly(storage, [name])
        return archive
    if hasher is not None and (reader.interrupted or _digest_b64(hasher) != expected):
        store.delete_quietly(storage, [name])
        raise ChecksumMismatchError()
    with transaction.atomic():
        current = EvidenceArchive.objects.select_for_update().filter(pk=archive.pk).first()
        if current is None or current.state != State.UPLOADING or current.offset != offset:
            # deleted, or another request for the same offset won the race: drop our copy
            store.delete_quietly(storage, [name])
            if current is None:
                raise UploadNotFoundError()
            raise OffsetMismatchError(current.offset)
        current.offset += received
        current.parts = [*current.parts, [name, received]]
        current.upload_expires_at = timezone.now() + dt.timedelta(hours=settings.EVIDENCE_UPLOAD_EXPIRY_HOURS)
        if current.offset == current.size:
            current.state = State.CHECKING
            current.uploaded_at = timezone.now()
            _log(current, "filings.evidence_uploaded", user=current.uploaded_by)
            _enqueue_inspection(current.pk)
        current.save(
            update_fields=["offset", "parts", "upload_expires_at", "state", "uploaded_at", "updated_at"]
        )
    return current


def _digest_b64(hasher) -> str:
    import base64

    return base64.b64encode(hasher.digest()).decode("ascii")


def _refuse_upload(archive: EvidenceArchive, error: ArchiveRefusedError) -> None:
    with transaction.atomic():
        current = EvidenceArchive.objects.select_for_update().filter(pk=archive.pk).first()
        if current is None or current.state != State.UPLOADING:
            return
        names = [part[0] for part in current.parts]
        _record_refusal(current, error)
        current.parts = []
        current.save()
        _log(current, "filings.evidence_refused", code=error.code)
        _delete_files_on_commit(names)


def _record_refusal(archive: EvidenceArchive, error: ArchiveRefusedError) -> None:
    archive.state = State.REFUSED
    archive.refusal_code = error.code
    archive.refusal_params = error.params
    archive.problems = error.problems
    archive.members = []
    archive.member_count = 0
    archive.uncompressed_size = 0
    archive.inspected_at = timezone.now()


def _delete(archive: EvidenceArchive, *, user) -> None:
    names = [archive.stored_name, *(part[0] for part in archive.parts)]
    _log(archive, "filings.evidence_deleted", user=user, state=archive.state)
    archive.delete()
    _delete_files_on_commit(names)


def delete_evidence_archive(*, archive: EvidenceArchive, user) -> None:
    """【删除】 or tus termination. Raises ArchiveLockedError once a filing was submitted with it."""
    with transaction.atomic():
        current = EvidenceArchive.objects.select_for_update().filter(pk=archive.pk).first()
        if current is None:
            return  # already gone: a double click deletes once
        if current.is_locked:
            raise ArchiveLockedError()
        _delete(current, user=user)


# --- inspection -----------------------------------------------------------------------------


def run_inspection(*, archive_id: int, limits: Limits | None = None) -> str:
    """Join, inspect and record the verdict of archive ``archive_id``; returns the final state.
    Idempotent: an archive that is not 检查中 (or no longer exists) is left as it is."""
    archive = EvidenceArchive.objects.filter(pk=archive_id).first()
    if archive is None or archive.state != State.CHECKING:
        return archive.state if archive else "missing"
    storage = store.evidence_storage()
    if archive.parts:
        archive = _join_parts(archive, storage)
        if archive is None:
            return "missing"
    try:
        with storage.open(archive.stored_name, "rb") as handle:
            result = inspect_archive(handle, archive.size, limits)
        error = None
    except ArchiveRefusedError as refusal:
        result, error = None, refusal
    except Exception:
        logger.exception("inspection of evidence archive %s failed", archive.pk)
        result, error = None, ArchiveRefusedError("inspection_failed")
    return _record_verdict(archive.pk, result, error)


def _join_parts(archive: EvidenceArchive, storage) -> EvidenceArchive | None:
    parts = [part[0] for part in archive.parts]
    name, size, sha256 = store.assemble(storage, parts, store.archive_name(archive.public_id))
    updated = EvidenceArchive.objects.filter(pk=archive.pk, state=State.CHECKING, stored_name="").update(
        stored_name=name, sha256=sha256, parts=[], updated_at=timezone.now()
    )
    if not updated:  # deleted meanwhile, or another run joined them first
        store.delete_quietly(storage, [name])
        return None
    store.delete_quietly(storage, parts)
    archive.refresh_from_db()
    if size != archive.size:
        logger.error("evidence archive %s: joined %s bytes, expected %s", archive.pk, size, archive.size)
    return archive


def _record_verdict(archive_id: int, result, error: ArchiveRefusedError | None) -> str:
    with transaction.atomic():
        archive = EvidenceArchive.objects.select_for_update().filter(pk=archive_id).first()
        if archive is None or archive.state != State.CHECKING:
            return archive.state if archive else "missing"
        if error is not None:
            stored = archive.stored_name
            _record_refusal(archive, error)
            archive.stored_name = ""  # a refused archive is of no use to anyone: free the space
            archive.save()
            _log(archive, "filings.evidence_refused", code=error.code)
            _delete_files_on_commit([stored])
            return archive.state
        archive.state = State.PASSED
        archive.members = result.members
        archive.member_count = result.member_count
        archive.uncompressed_size = result.uncompressed_size
        archive.inspected_at = timezone.now()
        archive.inspection_seconds = round(result.seconds, 3)
        archive.refusal_code, archive.refusal_params, archive.problems = "", {}, []
        archive.save()
        _log(archive, "filings.evidence_passed", members=result.member_count)
        _supersede(archive)
        return archive.state


def _supersede(archive: EvidenceArchive) -> None:
    old = archive.replaces
    if old is None:
        return
    old = EvidenceArchive.objects.select_for_update().filter(pk=old.pk).first()
    if old is None or old.is_locked:
        # the old archive went with a submitted filing meanwhile: both stay, nothing is replaced
        archive.replaces = None
        archive.save(update_fields=["replaces", "updated_at"])
        return
    # Receivers (a draft filing holding ``old``) move to ``archive`` before ``old`` is deleted.
    archive_replaced.send(sender=EvidenceArchive, old=old, new=archive)
    archive.replaces = None
    archive.save(update_fields=["replaces", "updated_at"])
    _log(archive, "filings.evidence_replaced", replaced=old.filename)
    _delete(old, user=None)


# --- filings --------------------------------------------------------------------------------


def lock_evidence_archive(*, archive: EvidenceArchive, user=None) -> EvidenceArchive:
    """Freeze a passed archive when the filing that holds it is submitted (idempotent).
    Raises ArchiveNotPassedError."""
    with transaction.atomic():
        current = EvidenceArchive.objects.select_for_update().get(pk=archive.pk)
        if current.state != State.PASSED:
            raise ArchiveNotPassedError()
        if current.locked_at is None:
            current.locked_at = timezone.now()
            current.save(update_fields=["locked_at", "updated_at"])
            _log(current, "filings.evidence_locked", user=user)
        return current


def unlock_evidence_archive(*, archive: EvidenceArchive, user=None) -> EvidenceArchive:
    """Let the enterprise replace or delete again (a filing returned for changes; idempotent)."""
    with transaction.atomic():
        current = EvidenceArchive.objects.select_for_update().get(pk=archive.pk)
        if current.locked_at is not None:
            current.locked_at = None
            current.save(update_fields=["locked_at", "updated_at"])
            _log(current, "filings.evidence_unlocked", user=user)
        return current


# --- housekeeping ---------------------------------------------------------------------------


def purge_expired_uploads(*, now: dt.datetime | None = None, dry_run: bool = False) -> dict[str, int]:
    """Delete unfinished uploads past their expiry and part objects no upload owns any more.
    Idempotent; returns counts."""
    now = now or timezone.now()
    expired = list(EvidenceArchive.objects.filter(state=State.UPLOADING, upload_expires_at__lte=now))
    if not dry_run:
        for archive in expired:
            with transaction.atomic():
                current = (
                    EvidenceArchive.objects.select_for_update()
                    .filter(pk=archive.pk, state=State.UPLOADING, upload_expires_at__lte=now)
                    .first()
                )
                if current is not None:
                    _delete(current, user=None)
    storage = store.evidence_storage()
    orphans: list[str] = []
    try:
        directories, _ = storage.listdir("uploads")
    except (FileNotFoundError, NotADirectoryError):
        directories = []
    active = {
        str(value)
        for value in EvidenceArchive.objects.filter(state=State.UPLOADING).values_list("public_id", flat=True)
    }
    known = {
        part[0]
        for parts in EvidenceArchive.objects.exclude(parts=[]).values_list("parts", flat=True)
        for part in parts
    }
    for directory in directories:
        _, files = storage.listdir(f"uploads/{directory}")
        orphans += [
            f"uploads/{directory}/{name}"
            for name in files
            if directory not in active or f"uploads/{directory}/{name}" not in known
        ]
    # a PATCH still streaming writes a part before the database knows it: spare recent files
    cutoff = now - dt.timedelta(hours=1)
    orphans = [name for name in orphans if _modified(storage, name) < cutoff]
    if not dry_run:
        store.delete_quietly(storage, orphans)
    return {"expired_uploads": len(expired), "orphan_parts": len(orphans)}


def _modified(storage, name: str) -> dt.datetime:
    try:
        return storage.get_modified_time(name)
    except (NotImplementedError, OSError):
        return timezone.now() - dt.timedelta(days=365)


def requeue_stale_inspections(*, older_than: dt.timedelta, dry_run: bool = False) -> int:
    """Queue again the inspections of archives 检查中 for longer than ``older_than`` (a worker
    that died mid-task). Safe to run at any time: the task skips finished archives."""
    from .tasks import inspect_evidence_archive

    stale = list(
        EvidenceArchive.objects.filter(
            state=State.CHECKING, uploaded_at__lte=timezone.now() - older_than
        ).values_list("pk", flat=True)
    )
    if not dry_run:
        for archive_id in stale:
            inspect_evidence_archive.enqueue(archive_id)
    return len(stale)
