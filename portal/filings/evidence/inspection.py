"""Inspect an evidence zip without extracting it: pure functions over a seekable binary file.

:func:`inspect_archive` returns the member list or raises
:class:`~portal.filings.evidence.refusals.ArchiveRefusedError` naming every problem it found. It
works in three passes, cheapest first, so a hostile archive costs little:

1. the end-of-central-directory record, read by hand before :mod:`zipfile` sees the file: member
   count, central-directory size, spanned volumes and truncation are judged from ~100 bytes,
   before zipfile would load a directory of a million entries into memory;
2. the central directory: names (decoded as :mod:`.names` says, then checked), symlinks and
   special files, encryption, compression methods, duplicates, overlapping entries (the
   "better zip bomb"), nested archives by extension, and the declared total size;
3. every member streamed through its decompressor in 1 MB reads with one shared budget of
   decompressed bytes: sizes and ratios are *measured*, never taken from headers, and CRCs are
   verified. Nested zips (``EVIDENCE_NESTED_ARCHIVES = "inspect"``) are read in place through a
   metered stream whose seeks are charged to the same budget.

Nothing is written anywhere; memory stays bounded by the read size and the capped directory.
"""

from __future__ import annotations

import io
import lzma
import os
import stat
import struct
import time
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings

from .names import (
    NameRules,
    UndecodableNameError,
    decode_name,
    display_undecodable,
    duplicate_key,
    name_problem,
    raw_name,
)
from .refusals import ArchiveRefusedError, format_bytes, printable

READ_SIZE = 1024 * 1024
LOCAL_HEADER = b"PK\x03\x04"
EMPTY_ARCHIVE = b"PK\x05\x06"
END_RECORD = b"PK\x05\x06"
ZIP64_LOCATOR = b"PK\x06\x07"
ZIP64_END_RECORD = b"PK\x06\x06"
END_RECORD_SIZE = 22
MAX_COMMENT = 65535
# A legitimate central-directory entry is ~100–300 bytes (46 + name + a few extra fields).
DIRECTORY_BYTES_PER_MEMBER = 1024
SUPPORTED_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
METHOD_NAMES = {9: "Deflate64", 93: "Zstandard", 95: "XZ", 96: "JPEG", 97: "WavPack", 98: "PPMd", 99: "AES"}
ARCHIVE_EXTENSIONS = (
    ".zip",
    ".zipx",
    ".rar",
    ".7z",
    ".tar",
    ".gz",
    ".tgz",
    ".bz2",
    ".tbz",
    ".tbz2",
    ".xz",
    ".txz",
    ".zst",
    ".lz",
    ".lzma",
    ".z",
    ".cab",
    ".iso",
    ".arj",
    ".lzh",
    ".ace",
    ".001",
)
# Documents that are zip files inside (Office Open XML, OpenDocument, OFD, EPUB …): not nested archives.
ZIP_BASED_DOCUMENTS = (
    ".docx",
    ".docm",
    ".dotx",
    ".xlsx",
    ".xlsm",
    ".xltx",
    ".pptx",
    ".pptm",
    ".potx",
    ".ppsx",
    ".vsdx",
    ".odt",
    ".ods",
    ".odp",
    ".odg",
    ".ofd",
    ".epub",
    ".xps",
    ".oxps",
    ".jar",
    ".apk",
    ".ipa",
    ".key",
    ".pages",
    ".numbers",
    ".wps",
    ".et",
    ".dps",
)
ARCHIVE_MAGIC = (
    b"PK\x03\x04",
    b"Rar!\x1a\x07",
    b"7z\xbc\xaf\x27\x1c",
    b"\x1f\x8b",
    b"\xfd7zXZ\x00",
    b"\x28\xb5\x2f\xfd",
    b"MSCF",
    b"BZh",
)
WINDOWS_REPARSE_POINT = 0x400
DECOMPRESSION_ERRORS = (
    zipfile.BadZipFile,
    EOFError,
    zlib.error,
    lzma.LZMAError,
    OSError,
    ValueError,
    NotImplementedError,
    RuntimeError,
    struct.error,
)


@dataclass(frozen=True)
class Limits:
    max_members: int = 10_000
    max_uncompressed_bytes: int = 2048 * 1024 * 1024
    max_ratio: int = 100
    ratio_min_bytes: int = 1024 * 1024
    nested: str = "refuse"  # or "inspect"
    max_depth: int = 2
    max_problems: int = 20
    names: NameRules = field(default_factory=NameRules)

    @classmethod
    def from_settings(cls) -> Limits:
        nested = settings.EVIDENCE_NESTED_ARCHIVES
        if nested not in {"refuse", "inspect"}:
            raise ValueError(f"EVIDENCE_NESTED_ARCHIVES must be 'refuse' or 'inspect', not {nested!r}")
        return cls(
            max_members=settings.EVIDENCE_MAX_MEMBERS,
            max_uncompressed_bytes=settings.EVIDENCE_MAX_UNCOMPRESSED_BYTES,
            max_ratio=settings.EVIDENCE_MAX_COMPRESSION_RATIO,
            ratio_min_bytes=settings.EVIDENCE_RATIO_MIN_BYTES,
            nested=nested,
            max_depth=settings.EVIDENCE_MAX_NESTING_DEPTH,
            max_problems=settings.EVIDENCE_MAX_REPORTED_PROBLEMS,
            names=NameRules(
                legacy_encoding=settings.EVIDENCE_LEGACY_NAME_ENCODING,
                forbidden_characters=settings.EVIDENCE_FORBIDDEN_NAME_CHARACTERS,
                max_length=settings.EVIDENCE_MAX_NAME_LENGTH,
            ),
        )


@dataclass
class InspectionResult:
    members: list[dict[str, Any]]
    member_count: int
    uncompressed_size: int
    seconds: float


class Budget:
    """Decompressed bytes the whole inspection may produce (nested archives included)."""

    def __init__(self, limit: int):
        self.limit = limit
        self.used = 0

    def charge(self, amount: int) -> None:
        self.used += amount
        if self.used > self.limit:
            raise ArchiveRefusedError("uncompressed_too_large", limit=format_bytes(self.limit))


class MeteredMember(io.RawIOBase):
    """A nested zip read in place: every byte the decompressor produces — for reads and for the
    re-reading a backward seek implies — is charged to the budget."""

    def __init__(self, member: IO[bytes], size: int, budget: Budget):
        self._member = member
        self._size = size
        self._budget = budget
        self._pos = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        target = {os.SEEK_SET: offset, os.SEEK_CUR: self._pos + offset, os.SEEK_END: self._size + offset}[
            whence
        ]
        target = max(0, min(target, self._size))
        self._budget.charge(target - self._pos if target >= self._pos else target)
        self._member.seek(target)
        self._pos = target
        return target

    def read(self, size: int = -1) -> bytes:
        data = self._member.read(size)
        self._budget.charge(len(data))
        self._pos += len(data)
        return data

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def inspect_archive(fileobj: IO[bytes], size: int, limits: Limits | None = None) -> InspectionResult:
    """Check the zip in ``fileobj`` (seekable, ``size`` bytes); raises ArchiveRefusedError."""
    limits = limits or Limits.from_settings()
    started = time.monotonic()
    budget = Budget(limits.max_uncompressed_bytes)
    members = _inspect(fileobj, size, limits, budget, depth=0, prefix="")
    files = [member for member in members if not member["dir"]]
    return InspectionResult(
        members=members,
        member_count=len(files),
        uncompressed_size=sum(member["size"] for member in files),
        seconds=time.monotonic() - started,
    )


def _inspect(
    fileobj: IO[bytes], size: int, limits: Limits, budget: Budget, *, depth: int, prefix: str
) -> list[dict[str, Any]]:
    _check_end_record(fileobj, size, limits)
    archive = _open(fileobj, limits)
    with archive:
        entries = _check_directory(archive, limits, prefix=prefix, start_dir=archive.start_dir)
        return _stream_members(archive, entries, limits, budget, depth=depth, prefix=prefix)


def _check_end_record(fileobj: IO[bytes], size: int, limits: Limits) -> None:
    fileobj.seek(0)
    head = fileobj.read(4)
    if head not in (LOCAL_HEADER, EMPTY_ARCHIVE):
        raise ArchiveRefusedError("not_zip")
    tail_size = min(size, END_RECORD_SIZE + MAX_COMMENT)
    fileobj.seek(size - tail_size)
    tail = fileobj.read(tail_size)
    position = tail.rfind(END_RECORD)
    while position >= 0 and position + END_RECORD_SIZE > len(tail):
        position = tail.rfind(END_RECORD, 0, position)
    if position < 0:
        raise ArchiveRefusedError("truncated")
    (_, disk, cd_disk, _, entries, cd_size, cd_offset, _) = struct.unpack_from("<4s4H2LH", tail, position)
    end_offset = size - tail_size + position
    if (entries == 0xFFFF or cd_size == 0xFFFFFFFF or cd_offset == 0xFFFFFFFF) and position >= 20:
        locator = tail[position - 20 : position]
        if locator[:4] == ZIP64_LOCATOR:
            (_, zip64_disk, zip64_offset, _) = struct.unpack("<4sLQL", locator)
            fileobj.seek(zip64_offset)
            record = fileobj.read(56)
            if len(record) < 56 or record[:4] != ZIP64_END_RECORD:
                raise ArchiveRefusedError("truncated")
            (_, _, _, _, disk, cd_disk, _, entries, cd_size, cd_offset) = struct.unpack("<4sQ2H2L4Q", record)
            end_offset = zip64_offset
    if disk or cd_disk:
        raise ArchiveRefusedError("multi_volume")
    if entries > limits.max_members:
        raise ArchiveRefusedError("too_many_members", count=entries, limit=limits.max_members)
    if cd_size > max(limits.max_members, entries) * DIRECTORY_BYTES_PER_MEMBER:
        raise ArchiveRefusedError("too_many_members", count=entries, limit=limits.max_members)
    if cd_offset + cd_size > end_offset:
        raise ArchiveRefusedError("truncated")


def _open(fileobj: IO[bytes], limits: Limits) -> zipfile.ZipFile:
    fileobj.seek(0)
    try:
        archive = zipfile.ZipFile(fileobj)
    except UnicodeDecodeError as error:  # the UTF-8 flag is set but the name is not UTF-8
        raise ArchiveRefusedError(
            "undecodable_name", member=display_undecodable(bytes(error.object), limits.names.legacy_encoding)
        ) from error
    except NotImplementedError as error:
        raise ArchiveRefusedError("unsupported_compression", member="—", method=str(error)) from error
    except (zipfile.BadZipFile, OSError, ValueError, struct.error) as error:
        raise ArchiveRefusedError("truncated") from error
    if min((info.header_offset for info in archive.infolist()), default=0) != 0:
        # bytes before the first entry: two archives glued together, or a stub before the zip
        archive.close()
        raise ArchiveRefusedError("not_zip")
    return archive


@dataclass
class _Entry:
    info: zipfile.ZipInfo
    name: str
    is_dir: bool
    nested: bool = False


def _check_directory(  # noqa: C901 (see pyproject.toml, mccabe)
    archive: zipfile.ZipFile, limits: Limits, *, prefix: str, start_dir: int
) -> list[_Entry]:
    problems: list[dict[str, Any]] = []
    entries: list[_Entry] = []
    seen: dict[str, str] = {}
    declared_total = 0

    def problem(code: str, **params: Any) -> None:
        if len(problems) < limits.max_problems:
            problems.append({"code": code, "params": params})

    for info in archive.infolist():
        try:
            name = decode_name(info, limits.names.legacy_encoding)
        except UndecodableNameError as error:
            problem("undecodable_name", member=display_undecodable(error.raw, limits.names.legacy_encoding))
            continue
        shown = printable(prefix + name)
        is_dir = name.endswith("/")
        found = name_problem(name, limits.names)
        if found:
            code, params = found
            problem(code, **{**params, "member": printable(prefix + name)})
            continue
        mode = info.external_attr >> 16
        if info.create_system == 3 and stat.S_ISLNK(mode):
            problem("symlink", member=shown)
            continue
        if info.create_system == 3 and stat.S_IFMT(mode) not in (0, stat.S_IFREG, stat.S_IFDIR):
            problem("special_file", member=shown)
            continue
        if info.create_system == 0 and info.external_attr & WINDOWS_REPARSE_POINT:
            problem("symlink", member=shown)
            continue
        if info.flag_bits & 0x1 or info.flag_bits & 0x40 or info.compress_type == 99:
            problem("encrypted", member=shown)
            continue
        if not is_dir and info.compress_type not in SUPPORTED_METHODS:
            method = METHOD_NAMES.get(info.compress_type, f"#{info.compress_type}")
            problem("unsupported_compression", member=shown, method=method)
            continue
        key = duplicate_key(name)
        if key in seen:
            problem("duplicate_name", member=shown, other=seen[key])
            continue
        seen[key] = shown
        lowered = name.lower()
        nested = not is_dir and lowered.endswith(ARCHIVE_EXTENSIONS)
        if nested and (limits.nested == "refuse" or not lowered.endswith((".zip", ".zipx"))):
            problem("nested_archive", member=shown)
            continue
        declared_total += 0 if is_dir else info.file_size
        entries.append(_Entry(info=info, name=name, is_dir=is_dir, nested=nested))

    if not problems:
        overlap = _overlapping(archive.infolist(), start_dir)
        if overlap is not None:
            problem("overlapping_entries", member=printable(prefix + overlap))
    if problems:
        raise ArchiveRefusedError.from_problems(problems)
    if not any(not entry.is_dir for entry in entries):
        raise ArchiveRefusedError("empty_archive")
    if declared_total > limits.max_uncompressed_bytes:
        raise ArchiveRefusedError("uncompressed_too_large", limit=format_bytes(limits.max_uncompressed_bytes))
    return entries


def _overlapping(infos: list[zipfile.ZipInfo], start_dir: int) -> str | None:
    """The first member whose data runs into the next member's header (or the directory). Each
    local header is at least 30 bytes plus its name, so this never flags a well-formed archive."""
    ordered = sorted(infos, key=lambda info: info.header_offset)
    for current, following in zip(ordered, [*ordered[1:], None], strict=False):
        end = current.header_offset + 30 + len(raw_name(current)) + current.compress_size
        limit = following.header_offset if following is not None else start_dir
        if end > limit:
            try:
                return decode_name(current)
            except UndecodableNameError:
                return current.orig_filename
    return None


def _stream_members(
    archive: zipfile.ZipFile,
    entries: list[_Entry],
    limits: Limits,
    budget: Budget,
    *,
    depth: int,
    prefix: str,
) -> list[dict[str, Any]]:
    members: list[dict[str, Any]] = []
    for entry in entries:
        info = entry.info
        shown = printable(prefix + entry.name)
        record = {
            "name": prefix + entry.name,
            "size": info.file_size,
            "compressed": info.compress_size,
            "modified": "{:04d}-{:02d}-{:02d} {:02d}:{:02d}".format(*info.date_time[:5]),
            "dir": entry.is_dir,
        }
        members.append(record)
        if entry.is_dir:
            continue
        if entry.nested:
            members.extend(_inspect_nested(archive, entry, limits, budget, depth=depth, prefix=prefix))
            continue
        record["size"] = _stream_one(archive, info, shown, limits, budget)
    return members


def _stream_one(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, shown: str, limits: Limits, budget: Budget
) -> int:
    produced = 0
    try:
        with archive.open(info) as member:
            first = True
            while True:
                chunk = member.read(READ_SIZE)
                if not chunk:
                    break
                if first:
                    first = False
                    if _looks_like_archive(chunk, info.filename):
                        raise ArchiveRefusedError("nested_archive", member=shown)
                produced += len(chunk)
                budget.charge(len(chunk))
                if (
                    produced > limits.ratio_min_bytes
                    and produced > max(info.compress_size, 1) * limits.max_ratio
                ):
                    raise ArchiveRefusedError("compression_ratio", member=shown, limit=limits.max_ratio)
    except ArchiveRefusedError:
        raise
    except DECOMPRESSION_ERRORS as error:
        raise ArchiveRefusedError("corrupt_member", member=shown) from error
    return produced


def _looks_like_archive(head: bytes, filename: str) -> bool:
    lowered = filename.lower()
    if lowered.endswith(ZIP_BASED_DOCUMENTS):
        return False
    if head.startswith(b"BZh"):  # "BZh" + block size + the bzip2 block magic (pi)
        return len(head) >= 10 and head[3:4].isdigit() and head[4:10] == b"1AY&SY"
    return head.startswith(ARCHIVE_MAGIC)


def _inspect_nested(
    archive: zipfile.ZipFile, entry: _Entry, limits: Limits, budget: Budget, *, depth: int, prefix: str
) -> list[dict[str, Any]]:
    shown = printable(prefix + entry.name)
    if depth + 1 > limits.max_depth:
        raise ArchiveRefusedError("nesting_too_deep", member=shown, limit=limits.max_depth)
    try:
        with archive.open(entry.info) as member:
            metered = MeteredMember(member, entry.info.file_size, budget)
            return _inspect(
                metered,
                entry.info.file_size,
                limits,
                budget,
                depth=depth + 1,
                prefix=prefix + entry.name + "/",
            )
    except ArchiveRefusedError as error:
        if error.code in {"not_zip", "truncated"}:
            raise ArchiveRefusedError("corrupt_member", member=shown) from error
        raise
    except DECOMPRESSION_ERRORS as error:
        raise ArchiveRefusedError("corrupt_member", member=shown) from error


__all__ = ["Budget", "InspectionResult", "Limits", "MeteredMember", "inspect_archive"]
