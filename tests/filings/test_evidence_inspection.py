"""The attack corpus: crafted archives, each with the refusal code inspection must give (or None
for archives that must pass). Pure: no database, no settings (explicit Limits)."""

from __future__ import annotations

import io
import os
import stat
import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from portal.filings.evidence import inspection
from portal.filings.evidence.inspection import Limits, inspect_archive
from portal.filings.evidence.names import NameRules
from portal.filings.evidence.refusals import ArchiveRefusedError

from .zipcraft import Entry, build, deflated_zeros, unicode_path_extra, zip_of

MB = 1024 * 1024
PDF = b"%PDF-1.7\n" + os.urandom(2048)
LIMITS = Limits(
    max_members=50,
    max_uncompressed_bytes=64 * MB,
    max_ratio=100,
    ratio_min_bytes=1 * MB,
    nested="refuse",
    max_depth=2,
    max_problems=20,
    names=NameRules(max_length=120),
)
INSPECT_NESTED = Limits(**{**LIMITS.__dict__, "nested": "inspect"})


def inspect(data: bytes, limits: Limits = LIMITS):
    return inspect_archive(io.BytesIO(data), len(data), limits)


def refusal(data: bytes, limits: Limits = LIMITS) -> ArchiveRefusedError:
    with pytest.raises(ArchiveRefusedError) as caught:
        inspect(data, limits)
    return caught.value


# --- builders of the corpus -------------------------------------------------------------------


def gbk_names() -> bytes:
    return build(
        [
            Entry("申报材料/营业执照副本.pdf".encode("gbk"), PDF),
            Entry("申报材料/知识产权证明.pdf".encode("gbk"), PDF),
        ]
    )


def mac_utf8_without_flag() -> bytes:
    return build([Entry("研发费用明细.pdf".encode(), PDF, utf8_flag=False)])


def unicode_path_field() -> bytes:
    raw = "????.pdf".encode("ascii")
    return build([Entry(raw, PDF, extra=unicode_path_extra(raw, "财务报表.pdf"))])


def bad_question_mark() -> bytes:
    return zip_of({"报告?.pdf": PDF})


def gbk_colon() -> bytes:
    return build([Entry("说明:第一版.pdf".encode("gbk"), PDF)])


def bidi_override() -> bytes:
    return zip_of({"合同\u202efdp.exe": PDF})


def nul_in_name() -> bytes:
    return build([Entry(b"report\x00.pdf.exe", PDF)])


def slip_dotdot() -> bytes:
    return zip_of({"材料/../../etc/cron.d/evil": b"* * * * * root sh"})


def slip_backslash() -> bytes:
    return build([Entry(b"..\\..\\Windows\\System32\\evil.dll", b"MZ")])


def absolute_posix() -> bytes:
    return build([Entry(b"/etc/passwd", b"root:x:0:0")])


def drive_letter() -> bytes:
    return build([Entry(b"C:/Windows/evil.dll", b"MZ")])


def symlink() -> bytes:
    return build(
        [
            Entry("链接", b"/etc/shadow", mode=stat.S_IFLNK | 0o777, method=zipfile.ZIP_STORED),
            Entry("a.pdf", PDF),
        ]
    )


def fifo() -> bytes:
    return build(
        [Entry("pipe", b"", mode=stat.S_IFIFO | 0o644, method=zipfile.ZIP_STORED), Entry("a.pdf", PDF)]
    )


def encrypted_zipcrypto() -> bytes:
    return build([Entry("加密.pdf", payload=os.urandom(300), file_size=288, flags=0x1, crc=1234)])


def encrypted_aes() -> bytes:
    return build([Entry("加密.pdf", payload=os.urandom(300), file_size=288, method=99, flags=0x1, crc=0)])


def deflate64() -> bytes:
    return build([Entry("大文件.pdf", payload=os.urandom(100), method=9, file_size=100, crc=0)])


def nested_zip() -> bytes:
    return zip_of({"附件.zip": zip_of({"a.pdf": PDF}), "b.pdf": PDF})


def rar_disguised_as_pdf() -> bytes:
    return zip_of({"合同.pdf": b"Rar!\x1a\x07\x01\x00" + os.urandom(500)})


def docx_is_not_nested() -> bytes:
    return zip_of({"申请书.docx": zip_of({"word/document.xml": b"<w:document/>"}), "a.pdf": PDF})


def forty_two(levels: int = 4, copies: int = 4) -> bytes:
    """42.zip in miniature: ``copies`` zips per level, ``levels`` deep, 4 MB of zeros at the bottom."""
    zeros, crc = deflated_zeros(4 * MB)
    layer = build([Entry("0.dat", payload=zeros, crc=crc, file_size=4 * MB)])
    for _ in range(levels):
        layer = zip_of({f"{i}.zip": layer for i in range(copies)}, method=zipfile.ZIP_STORED)
    return layer


def one_nested_level() -> bytes:
    return zip_of(
        {"附件/补充材料.zip": zip_of({"专利证书.pdf": PDF, "说明.txt": "说明".encode()}), "b.pdf": PDF}
    )


def ratio_bomb() -> bytes:
    zeros, crc = deflated_zeros(40 * MB)
    return build([Entry("bomb.pdf", payload=zeros, crc=crc, file_size=40 * MB)])


def declared_total_bomb() -> bytes:
    # headers claim 4 GB per member: refused from the directory, nothing decompressed
    return build([Entry(f"{i}.pdf", payload=b"x", file_size=0xFFFFFFFE, crc=0) for i in range(3)])


def measured_total_bomb() -> bytes:
    # each member is compressible 50× (under the ratio cap), together over the 64 MB budget
    block = (os.urandom(1024) + bytes(49 * 1024)) * 400  # ~20 MB, ratio ~50
    return zip_of({f"part{i}.bin": block for i in range(4)})


def overlapping() -> bytes:
    """Fifield's "better zip bomb": many directory entries share one compressed kernel."""
    zeros, crc = deflated_zeros(2 * MB)
    entries = [Entry(f"{i}.dat", payload=zeros, crc=crc, file_size=2 * MB) for i in range(3)]
    data = build(entries)
    archive = zipfile.ZipFile(io.BytesIO(data))
    first = archive.infolist()[0].header_offset
    return build(
        [
            Entry(f"{i}.dat", payload=zeros, crc=crc, file_size=2 * MB, header_offset=first if i else None)
            for i in range(3)
        ]
    )


def truncated() -> bytes:
    data = zip_of({"a.pdf": os.urandom(50_000), "b.pdf": os.urandom(50_000)})
    return data[: int(len(data) * 0.6)]


def hole_in_the_middle() -> bytes:
    data = zip_of({"a.pdf": os.urandom(50_000), "b.pdf": os.urandom(50_000)})
    return data[:1000] + bytes(2000) + data[3000:]


def pdf_named_zip() -> bytes:
    return b"%PDF-1.4\n" + os.urandom(4000)


def self_extracting_stub() -> bytes:
    return build([Entry("a.pdf", PDF)], prefix=b"MZ\x90\x00" + bytes(512))


def case_duplicates() -> bytes:
    return zip_of({"材料/Report.pdf": PDF, "材料/report.PDF": PDF})


def normalisation_duplicates() -> bytes:
    return zip_of(
        {unicodedata.normalize("NFC", "résumé.pdf"): PDF, unicodedata.normalize("NFD", "résumé.pdf"): PDF}
    )


def reserved_device_name() -> bytes:
    return zip_of({"材料/CON.txt": b"x"})


def trailing_dot() -> bytes:
    return zip_of({"报告.": PDF})


def name_too_long() -> bytes:
    return zip_of({"长" * 130 + ".pdf": PDF})


def too_many_members() -> bytes:
    return zip_of({f"{i}.txt": b"x" for i in range(51)})


def only_directories() -> bytes:
    return zip_of({"空目录/": b"", "空目录/子目录/": b""})


def spanned_volume() -> bytes:
    return build([Entry("a.pdf", PDF)], disk=1)


def undecodable_name() -> bytes:
    return build([Entry(b"\xff\xfe\xfa.pdf", PDF)])


def utf8_flag_with_bad_bytes() -> bytes:
    return build([Entry(b"\xc3\x28bad.pdf", PDF, utf8_flag=True)])


def bad_crc() -> bytes:
    return build([Entry("财务.pdf", PDF, crc=zlib.crc32(PDF) ^ 0xFFFF)])


def lying_size() -> bytes:
    data = os.urandom(100_000)
    return build([Entry("a.pdf", data, file_size=1000)])  # CRC of the whole, size of a part


def zip64_records() -> bytes:
    return zip_of({"年报.pdf": PDF}, force_zip64=True)


def two_bad_names() -> bytes:
    return zip_of({"a?.pdf": PDF, "b|.pdf": PDF, "ok.pdf": PDF})


@dataclass(frozen=True)
class Case:
    build: Callable[[], bytes]
    code: str | None
    limits: Limits = LIMITS


CORPUS = {
    "utf8 names with the flag": Case(lambda: zip_of({"营业执照.pdf": PDF, "财务/2024年报.pdf": PDF}), None),
    "GBK names as Windows writes them": Case(gbk_names, None),
    "UTF-8 names without the flag (macOS)": Case(mac_utf8_without_flag, None),
    "Info-ZIP unicode path extra field": Case(unicode_path_field, None),
    "zip64 records": Case(zip64_records, None),
    "an OOXML document is not a nested archive": Case(docx_is_not_nested, None),
    "nested zip checked in inspect mode": Case(one_nested_level, None, INSPECT_NESTED),
    "question mark in a name": Case(bad_question_mark, "bad_character"),
    "colon in a GBK name": Case(gbk_colon, "bad_character"),
    "bidi override disguising .exe": Case(bidi_override, "bad_character"),
    "NUL byte in a name": Case(nul_in_name, "bad_character"),
    "zip slip with ../": Case(slip_dotdot, "path_traversal"),
    "zip slip with ..\\": Case(slip_backslash, "path_traversal"),
    "absolute path": Case(absolute_posix, "absolute_path"),
    "drive letter": Case(drive_letter, "absolute_path"),
    "symlink": Case(symlink, "symlink"),
    "named pipe": Case(fifo, "special_file"),
    "ZipCrypto encryption": Case(encrypted_zipcrypto, "encrypted"),
    "AES encryption": Case(encrypted_aes, "encrypted"),
    "Deflate64": Case(deflate64, "unsupported_compression"),
    "nested zip": Case(nested_zip, "nested_archive"),
    "RAR disguised as .pdf": Case(rar_disguised_as_pdf, "nested_archive"),
    "42.zip-style nesting": Case(forty_two, "nested_archive"),
    "42.zip-style nesting in inspect mode": Case(forty_two, "nesting_too_deep", INSPECT_NESTED),
    "compression-ratio bomb": Case(ratio_bomb, "compression_ratio"),
    "headers declaring 12 GB": Case(declared_total_bomb, "uncompressed_too_large"),
    "measured total over the budget": Case(measured_total_bomb, "uncompressed_too_large"),
    "overlapping entries": Case(overlapping, "overlapping_entries"),
    "truncated archive": Case(truncated, "truncated"),
    "hole in the middle": Case(hole_in_the_middle, "corrupt_member"),
    "a PDF named .zip": Case(pdf_named_zip, "not_zip"),
    "self-extracting stub before the zip": Case(self_extracting_stub, "not_zip"),
    "duplicates differing in case": Case(case_duplicates, "duplicate_name"),
    "duplicates differing in Unicode normalisation": Case(normalisation_duplicates, "duplicate_name"),
    "Windows device name": Case(reserved_device_name, "reserved_name"),
    "name ending with a dot": Case(trailing_dot, "trailing_dot_or_space"),
    "name too long": Case(name_too_long, "name_too_long"),
    "more members than allowed": Case(too_many_members, "too_many_members"),
    "directories only": Case(only_directories, "empty_archive"),
    "no entries at all": Case(lambda: zip_of({}), "empty_archive"),
    "spanned volume": Case(spanned_volume, "multi_volume"),
    "name neither UTF-8 nor GBK": Case(undecodable_name, "undecodable_name"),
    "UTF-8 flag on invalid UTF-8": Case(utf8_flag_with_bad_bytes, "undecodable_name"),
    "CRC mismatch": Case(bad_crc, "corrupt_member"),
    "size header lies": Case(lying_size, "corrupt_member"),
}


@pytest.mark.parametrize("case", CORPUS.values(), ids=CORPUS.keys())
def test_corpus_archive_gets_its_expected_verdict(case):
    data = case.build()
    if case.code is None:
        result = inspect(data, case.limits)
        assert result.member_count > 0
    else:
        assert refusal(data, case.limits).code == case.code


def test_corpus_has_at_least_25_hostile_archives():
    assert sum(1 for case in CORPUS.values() if case.code) >= 25


def test_gbk_member_names_are_decoded_not_cp437():
    names = [member["name"] for member in inspect(gbk_names()).members]
    assert names == ["申报材料/营业执照副本.pdf", "申报材料/知识产权证明.pdf"]


def test_utf8_without_flag_and_unicode_path_field_are_decoded():
    assert inspect(mac_utf8_without_flag()).members[0]["name"] == "研发费用明细.pdf"
    assert inspect(unicode_path_field()).members[0]["name"] == "财务报表.pdf"


def test_bad_character_names_the_member_and_the_character():
    error = refusal(bad_question_mark())
    assert error.params == {"member": "报告?.pdf", "character": "?"}
    assert "报告?.pdf" in error.message and "“?”" in error.message


def test_invisible_characters_are_shown_by_code_point():
    error = refusal(bidi_override())
    assert error.params["character"] == "U+202E"
    assert "\u202e" not in error.message  # the message itself cannot be flipped by the override


def test_every_bad_name_is_reported_at_once():
    error = refusal(two_bad_names())
    assert [(problem["code"], problem["params"]["member"]) for problem in error.problems] == [
        ("bad_character", "a?.pdf"),
        ("bad_character", "b|.pdf"),
    ]


def test_nested_members_are_listed_with_their_path_in_inspect_mode():
    names = [member["name"] for member in inspect(one_nested_level(), INSPECT_NESTED).members]
    assert "附件/补充材料.zip/专利证书.pdf" in names


def test_sizes_come_from_streaming_not_headers():
    result = inspect(zip_of({"a.bin": bytes(300_000), "b.pdf": PDF}))
    assert result.uncompressed_size == 300_000 + len(PDF)
    assert result.member_count == 2


def test_ratio_bomb_is_stopped_soon_after_the_threshold(monkeypatch):
    """Refused as soon as the output passes 100 × the member's compressed size (~4 MB), long
    before the 40 MB the bomb holds."""
    budgets = []

    class RecordingBudget(inspection.Budget):
        def __init__(self, limit):
            super().__init__(limit)
            budgets.append(self)

    monkeypatch.setattr(inspection, "Budget", RecordingBudget)
    assert refusal(ratio_bomb()).code == "compression_ratio"
    compressed = zipfile.ZipFile(io.BytesIO(ratio_bomb())).infolist()[0].compress_size
    assert budgets[0].used <= compressed * LIMITS.max_ratio + inspection.READ_SIZE < 40 * MB


def test_directory_larger_than_members_allow_is_refused_before_parsing():
    entries = 5
    data = zip_of({f"{i}.txt": b"x" for i in range(entries)})
    # rewrite the end record to claim a 10 MB central directory
    end = data.rfind(b"PK\x05\x06")
    fields = list(struct.unpack_from("<4s4H2LH", data, end))
    fields[5] = 10 * MB
    forged = data[:end] + struct.pack("<4s4H2LH", *fields) + data[end + 22 :]
    assert refusal(forged).code in {"too_many_members", "truncated"}
