"""Small but valid files for demo content: a PDF, a .docx and a banner PNG, generated in Python."""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

PAGE_WIDTH_PT = 451  # A4 (595 pt) less 72 pt margins


def _wrapped(line: str, size: int) -> list[str]:
    """Split ``line`` into pieces that fit the page at ``size`` pt (Chinese characters are square;
    Latin letters and digits half as wide)."""
    pieces, current, width = [], "", 0.0
    for char in line:
        char_width = size * (0.5 if ord(char) < 128 else 1.0)
        if current and width + char_width > PAGE_WIDTH_PT:
            pieces.append(current)
            current, width = "", 0.0
        current += char
        width += char_width
    return [*pieces, current]


def _hex(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


def make_pdf(lines: list[str], *, title: str = "") -> bytes:
    """A one-page A4 PDF: ``title`` as a 16 pt heading, then ``lines`` at 12 pt (both wrapped to
    the page), with a correct cross-reference table.

    The text uses Adobe's predefined CJK font STSong-Light with the UniGB-UCS2-H encoding, which
    PDF readers supply themselves: nothing is embedded, so the file stays small. Strings are
    UTF-16BE hex; the Latin range (CIDs 1-95) is declared half-width.
    """
    text_ops = ["BT", "72 770 Td"]
    if title:
        text_ops += ["/F1 16 Tf", "26 TL"]
        text_ops += [f"<{_hex(piece)}> Tj T*" for piece in _wrapped(title, 16)]
        text_ops.append("T*")
    text_ops += ["/F1 12 Tf", "21 TL"]
    for line in lines:
        text_ops += [f"<{_hex(piece)}> Tj T*" for piece in _wrapped(line, 12)]
    text_ops.append("ET")
    stream = "\n".join(text_ops).encode()
    info_title = _hex(title or (lines[0] if lines else ""))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /Lang (zh-CN) >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
        b"/DescendantFonts [6 0 R] >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /FontDescriptor 7 0 R /DW 1000 "
        b"/W [1 95 500] >>",
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] "
        b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
        b"<< /Title <FEFF" + info_title.encode() + b"> /Producer (sme-portal demo content) >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, len(objects), xref)
    )
    return out.getvalue()


def make_docx(paragraphs: list[str]) -> bytes:
    """A minimal Word document (Office Open XML) holding the given paragraphs."""
    body = "".join(f'<w:p><w:r><w:t xml:space="preserve">{escape(p)}</w:t></w:r></w:p>' for p in paragraphs)
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="word/document.xml"/></Relationships>'
        ),
        "word/document.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body>{body}</w:body></w:document>"
        ),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


def make_banner_png(width: int = 1200, height: int = 300) -> bytes:
    """A decorative banner (red-to-blue gradient with light arcs); the title is shown as HTML text."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    start, end = (179, 22, 27), (11, 61, 117)
    for x in range(width):
        t = x / (width - 1)
        colour = tuple(round(a + (b - a) * t) for a, b in zip(start, end, strict=True))
        draw.line([(x, 0), (x, height)], fill=colour)
    for i in range(6):
        r = 120 + i * 60
        draw.arc(
            [width - r - 40, height // 2 - r, width + r - 40, height // 2 + r],
            100,
            260,
            fill=(255, 255, 255),
            width=2,
        )
    try:
        from PIL import ImageFont

        font = ImageFont.truetype("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 64)
        small = ImageFont.truetype("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 30)
        draw.text((70, 80), "创客中国大赛", font=font, fill=(255, 255, 255))
        draw.text((74, 180), "中小企业创新创业大赛", font=small, fill=(255, 230, 200))
    except OSError:
        pass  # no CJK font installed: the banner stays decorative
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
