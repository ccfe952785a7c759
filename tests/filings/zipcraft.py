"""Build zip archives byte by byte, so tests can make every malformed archive on purpose: raw
(GBK, cp437, invalid) name bytes with or without the UTF-8 flag, lying sizes and CRCs, chosen
methods and flags, symlinks, overlapping entries, spanned volumes, prefixes and truncations.

Well-formed archives in tests come from :mod:`zipfile`; this module is for the rest.
"""

from __future__ import annotations

import io
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass

DOS_TIME = (10 << 11) | (30 << 5)  # 10:30:00
DOS_DATE = ((2025 - 1980) << 9) | (3 << 5) | 15  # 2025-03-15


@dataclass
class Entry:
    name: str | bytes
    data: bytes = b""
    encoding: str = "utf-8"  # how a str name becomes bytes
    utf8_flag: bool | None = None  # default: set when the name is a str encoded as UTF-8 with non-ASCII
    method: int = zipfile.ZIP_DEFLATED
    payload: bytes | None = None  # stored bytes as they are (default: data compressed by ``method``)
    crc: int | None = None
    file_size: int | None = None  # declared sizes (default: the true ones)
    compress_size: int | None = None
    flags: int = 0
    create_system: int = 3
    mode: int = stat.S_IFREG | 0o644
    external_attr: int | None = None
    extra: bytes = b""
    header_offset: int | None = None  # point the directory entry elsewhere (overlaps)

    def raw_name(self) -> bytes:
        return self.name if isinstance(self.name, bytes) else self.name.encode(self.encoding)

    def flag_bits(self) -> int:
        flag = self.utf8_flag
        if flag is None:
            flag = isinstance(self.name, str) and self.encoding == "utf-8" and not self.name.isascii()
        return self.flags | (0x800 if flag else 0)


def compress(data: bytes, method: int) -> bytes:
    if method == zipfile.ZIP_STORED:
        return data
    if method == zipfile.ZIP_DEFLATED:
        compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
        return compressor.compress(data) + compressor.flush()
    raise ValueError(f"compress() does not do method {method}; pass payload=")


def deflated_zeros(size: int, block: int = 1024 * 1024) -> tuple[bytes, int]:
    """Raw deflate of ``size`` zero bytes and their CRC, streamed (never ``size`` bytes in memory)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    out, crc, zeros, left = io.BytesIO(), 0, bytes(block), size
    while left:
        piece = zeros[: min(block, left)]
        out.write(compressor.compress(piece))
        crc = zlib.crc32(piece, crc)
        left -= len(piece)
    out.write(compressor.flush())
    return out.getvalue(), crc


def unicode_path_extra(raw_name: bytes, unicode_name: str) -> bytes:
    body = b"\x01" + struct.pack("<I", zlib.crc32(raw_name)) + unicode_name.encode("utf-8")
    return struct.pack("<HH", 0x7075, len(body)) + body


def build(entries: list[Entry], *, prefix: bytes = b"", comment: bytes = b"", disk: int = 0) -> bytes:
    out = io.BytesIO()
    out.write(prefix)
    directory = io.BytesIO()
    for entry in entries:
        offset = out.tell() - len(prefix)
        name = entry.raw_name()
        payload = entry.payload if entry.payload is not None else compress(entry.data, entry.method)
        crc = entry.crc if entry.crc is not None else zlib.crc32(entry.data)
        file_size = entry.file_size if entry.file_size is not None else len(entry.data)
        compress_size = entry.compress_size if entry.compress_size is not None else len(payload)
        flags = entry.flag_bits()
        out.write(
            struct.pack(
                "<4s5H3L2H",
                b"PK\x03\x04",
                20,
                flags,
                entry.method,
                DOS_TIME,
                DOS_DATE,
                crc,
                compress_size,
                file_size,
                len(name),
                len(entry.extra),
            )
        )
        out.write(name + entry.extra + payload)
        external = entry.external_attr if entry.external_attr is not None else entry.mode << 16
        directory.write(
            struct.pack(
                "<4s4B4HL2L5H2L",
                b"PK\x01\x02",
                20,
                entry.create_system,
                20,
                0,
                flags,
                entry.method,
                DOS_TIME,
                DOS_DATE,
                crc,
                compress_size,
                file_size,
                len(name),
                len(entry.extra),
                0,
                0,
                0,
                external,
                entry.header_offset if entry.header_offset is not None else offset,
            )
        )
        directory.write(name + entry.extra)
    cd_offset = out.tell() - len(prefix)
    cd = directory.getvalue()
    out.write(cd)
    out.write(
        struct.pack(
            "<4s4H2LH",
            b"PK\x05\x06",
            disk,
            disk,
            len(entries),
            len(entries),
            len(cd),
            cd_offset,
            len(comment),
        )
    )
    out.write(comment)
    return out.getvalue()


def zip_of(
    files: dict[str, bytes], *, method: int = zipfile.ZIP_DEFLATED, force_zip64: bool = False
) -> bytes:
    """A well-formed archive written by :mod:`zipfile` (UTF-8 flag on non-ASCII names)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=method) as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=(2025, 3, 15, 10, 30, 0))
            info.compress_type = method
            info.external_attr = (
                (stat.S_IFDIR | 0o755) << 16 if name.endswith("/") else (stat.S_IFREG | 0o644) << 16
            )
            with archive.open(info, "w", force_zip64=force_zip64) as handle:
                handle.write(data)
    return buffer.getvalue()
