"""Hostile documents, generated on the spot (no binary fixtures): zip bombs and page bombs."""

from __future__ import annotations

import io
import zipfile
import zlib

import docx

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx_with_body(body_xml_repeat: bytes, times: int) -> bytes:
    """A real .docx whose document.xml body is `body_xml_repeat` repeated `times` times.

    The chunk is written in slices, so a 1 GB expansion needs no 1 GB string here.
    """
    base = io.BytesIO()
    docx.Document().save(base)
    out = io.BytesIO()
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != "word/document.xml":
                dst.writestr(info, src.read(info))
                continue
            info = zipfile.ZipInfo("word/document.xml")
            info.compress_type = zipfile.ZIP_DEFLATED
            with dst.open(info, "w", force_zip64=True) as part:
                part.write(f'<w:document xmlns:w="{_W_NS}"><w:body>'.encode())
                block = body_xml_repeat * 1000
                for _ in range(times // 1000):
                    part.write(block)
                part.write(body_xml_repeat * (times % 1000))
                part.write(b"</w:body></w:document>")
    return out.getvalue()


def docx_bomb(expanded_mb: int) -> bytes:
    """Paragraphs of one repeated sentence: expands to about `expanded_mb` MB, compresses ~300x."""
    para = b"<w:p><w:r><w:t>Giao S\xe1\xbb\x9f Y t\xe1\xba\xbf ch\xe1\xbb\xa7 tr\xc3\xac.</w:t></w:r></w:p>"
    return docx_with_body(para, expanded_mb * 1024 * 1024 // len(para))


def pdf_slow_page(mb: int) -> bytes:
    """One page whose content stream inflates to `mb` MB of drawing operators: small, slow to read."""
    return pdf_pages(1, content=b"BT /F1 1 Tf (a) Tj ET\n" * (mb * 1024 * 1024 // 22))


def pdf_pages(pages: int, *, declared: int | None = None, content: bytes = b"") -> bytes:
    """A PDF of `pages` pages (one shared page object, as bombs do); `declared` lies in /Count."""
    kids = b" ".join(b"3 0 R" for _ in range(pages))
    count = pages if declared is None else declared
    stream = zlib.compress(content, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % count,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
