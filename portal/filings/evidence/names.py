"""Member names of an evidence zip: decoding as the writing tool meant them, and the rules a name
must follow so that reviewers can extract the archive on Windows.

Decoding (APPNOTE 6.3.10 §4.4.4, appendix D):
1. the UTF-8 flag (general purpose bit 11) is set → UTF-8;
2. an Info-ZIP Unicode Path extra field (0x7075) whose CRC matches the raw name → its UTF-8 name;
3. plain ASCII → ASCII;
4. valid UTF-8 → UTF-8 (macOS Archive Utility and many Linux tools write UTF-8 without the flag;
   GBK byte strings are almost never valid UTF-8);
5. otherwise the legacy code page of Chinese Windows (GBK, decoded as its superset GB 18030), as
   Explorer's 发送到“压缩文件夹” and older WinRAR write names — never cp437, which is what
   :mod:`zipfile` assumes and what turns 营业执照 into mojibake.
"""

from __future__ import annotations

import re
import struct
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from typing import Any

from .refusals import describe_character, printable

UTF8_FLAG = 0x800
UNICODE_PATH_EXTRA = 0x7075
# Windows refuses these as a file name, with or without an extension (CON.txt is CON).
RESERVED_NAMES = frozenset(
    ["CON", "PRN", "AUX", "NUL"] + [f"COM{i}" for i in range(1, 10)] + [f"LPT{i}" for i in range(1, 10)]
)
DRIVE_LETTER = re.compile(r"^[A-Za-z]:")
# Control, format (bidi overrides, zero-width), surrogate, private-use and unassigned code points:
# invisible or meaningless in a file name, and the classic way to disguise an extension.
REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})


class UndecodableNameError(Exception):
    def __init__(self, raw: bytes):
        self.raw = raw
        super().__init__(repr(raw))


@dataclass(frozen=True)
class NameRules:
    legacy_encoding: str = "gb18030"
    forbidden_characters: str = '\\:*?"<>|'
    max_length: int = 240


def raw_name(info: zipfile.ZipInfo) -> bytes:
    """The name bytes as stored (zipfile decoded them as UTF-8 or cp437; both round-trip)."""
    if info.flag_bits & UTF8_FLAG:
        return info.orig_filename.encode("utf-8")
    return info.orig_filename.encode("cp437")


def _unicode_path_extra(extra: bytes, raw: bytes) -> str | None:
    offset = 0
    while offset + 4 <= len(extra):
        header_id, size = struct.unpack_from("<HH", extra, offset)
        body = extra[offset + 4 : offset + 4 + size]
        offset += 4 + size
        if header_id == UNICODE_PATH_EXTRA and len(body) >= 5 and body[0] == 1:
            (crc,) = struct.unpack_from("<I", body, 1)
            if crc == zlib.crc32(raw):  # the field describes this very name, not a stale one
                try:
                    return body[5:].decode("utf-8")
                except UnicodeDecodeError:
                    return None
    return None


def decode_name(info: zipfile.ZipInfo, legacy_encoding: str = "gb18030") -> str:
    """The member name as its author wrote it; raises :class:`UndecodableNameError`."""
    if info.flag_bits & UTF8_FLAG:
        return info.orig_filename
    raw = raw_name(info)
    unicode_path = _unicode_path_extra(info.extra, raw)
    if unicode_path is not None:
        return unicode_path
    for encoding in ("ascii", "utf-8", legacy_encoding):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UndecodableNameError(raw)


def display_undecodable(raw: bytes, legacy_encoding: str = "gb18030") -> str:
    return printable(raw.decode(legacy_encoding, errors="replace"))


def name_problem(name: str, rules: NameRules) -> tuple[str, dict[str, Any]] | None:
    """The first rule ``name`` breaks, as (code, params), or None. Directories end with "/"."""
    member = printable(name)
    # Some Windows tools write "\" as the separator: treat it as one for the path checks.
    path = name.replace("\\", "/")
    if path.startswith("/") or DRIVE_LETTER.match(path):
        return "absolute_path", {"member": member}
    components = [part for part in path.split("/") if part]
    if ".." in components:
        return "path_traversal", {"member": member}
    for char in name:
        if char == "/":
            continue
        if char in rules.forbidden_characters or unicodedata.category(char) in REFUSED_CATEGORIES:
            return "bad_character", {"member": member, "character": describe_character(char)}
    for part in components:
        if part == ".":
            continue
        if part.split(".")[0].rstrip(" ").upper() in RESERVED_NAMES:
            return "reserved_name", {"member": member, "component": part}
        if part.endswith((" ", ".")):
            return "trailing_dot_or_space", {"member": member}
    if len(name.rstrip("/")) > rules.max_length:
        return "name_too_long", {"member": member, "limit": rules.max_length}
    return None


def duplicate_key(name: str) -> str:
    """Two members with the same key would overwrite each other when extracted on Windows
    (case-insensitive) or compare equal after Unicode normalisation (é vs e + ◌́)."""
    return unicodedata.normalize("NFC", name.replace("\\", "/").strip("/")).casefold()
