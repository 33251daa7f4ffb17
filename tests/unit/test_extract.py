"""Text extraction from .docx, .pdf (text layer) and .txt, and its refusals."""

from __future__ import annotations

import io
import unicodedata

import docx
import matplotlib
import pytest

from bot.domain.extract import ExtractError, extract_text
from tests.support.pdfs import matplotlib_pdf, raw_pdf

matplotlib.use("Agg")


def _docx_bytes() -> bytes:
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "TỈNH ỦY KIÊN GIANG"
    table.cell(0, 1).text = "ĐẢNG CỘNG SẢN VIỆT NAM"
    table.cell(1, 0).text = "Số 1046-CV/TU"
    table.cell(1, 1).text = "Kiên Giang, ngày 10 tháng 3 năm 2020"
    document.add_paragraph("Kính gửi: Sở Y tế")
    document.add_paragraph("Ban Tuyên giáo Tỉnh ủy phối hợp với Sở Thông tin và Truyền thông.", style="List Number")
    document.add_paragraph("Sở Y tế chủ trì.", style="List Number")
    document.add_paragraph("Tăng cường kiểm tra.", style="List Bullet")
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()






def test_docx_text_keeps_tables_and_rebuilds_automatic_numbers() -> None:
    text = extract_text(_docx_bytes(), "congvan.docx")
    lines = text.splitlines()
    assert lines[:4] == [
        "TỈNH ỦY KIÊN GIANG",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Số 1046-CV/TU",
        "Kiên Giang, ngày 10 tháng 3 năm 2020",
    ]
    assert "1. Ban Tuyên giáo Tỉnh ủy phối hợp với Sở Thông tin và Truyền thông." in lines
    assert "2. Sở Y tế chủ trì." in lines
    assert "- Tăng cường kiểm tra." in lines


def test_docx_is_recognised_by_mime_type_or_magic_bytes() -> None:
    data = _docx_bytes()
    mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert extract_text(data, "", mime) == extract_text(data, "x.docx")
    assert extract_text(data, "") == extract_text(data, "x.docx")


def test_pdf_with_a_vietnamese_text_layer() -> None:
    pdf = matplotlib_pdf(["Số 1046-CV/TU", "1. Ban Tuyên giáo Tỉnh ủy phối hợp với Sở Thông tin và Truyền thông"])
    text = extract_text(pdf, "congvan.pdf", "application/pdf")
    assert "Số 1046-CV/TU" in text
    assert "1. Ban Tuyên giáo Tỉnh ủy phối hợp với Sở Thông tin và Truyền thông" in text


def test_hand_written_pdf_text_layer() -> None:
    pdf = raw_pdf(b"BT /F1 12 Tf 72 760 Td (So 1046-CV/TU: Ban Tuyen giao Tinh uy chu tri) Tj ET")
    assert "Ban Tuyen giao Tinh uy chu tri" in extract_text(pdf, "scan.PDF")


def test_pdf_without_text_is_no_text() -> None:
    pdf = raw_pdf(b"0.5 g 72 600 200 100 re f")  # a grey rectangle: what a scan looks like to us
    with pytest.raises(ExtractError) as err:
        extract_text(pdf, "scan.pdf")
    assert err.value.kind == "no_text"


def _cp1258(text: str) -> bytes:
    """Windows-1258 spells tones as combining marks after a base letter it has (ơ, ê, ...)."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            base, *marks = unicodedata.normalize("NFD", ch)
            while marks and unicodedata.normalize("NFC", base + marks[0]).encode("cp1258", "ignore"):
                base = unicodedata.normalize("NFC", base + marks.pop(0))
            out += (base + "".join(marks)).encode("cp1258")
    return bytes(out)


def test_plain_text_in_utf8_with_bom_and_in_cp1258() -> None:
    assert extract_text("\ufeffSở Y tế\n".encode(), "a.txt") == "Sở Y tế"
    assert extract_text("Sở Y tế".encode("utf-16"), "a.txt") == "Sở Y tế"
    assert extract_text(_cp1258("Sở Y tế"), "a.txt") == "Sở Y tế"
    assert extract_text(b"# 1. Note", "a.md") == "# 1. Note"


@pytest.mark.parametrize(("data", "name", "mime"), [
    (b"MZ\x90\x00", "setup.exe", None), (b"\xff\xd8\xff\xe0", "scan.jpg", "image/jpeg"),
    (b"\xff\xd8\xff\xe0", "", "image/jpeg"), (b"{\\rtf1", "old.doc", "application/msword"), (b"abc", "", None),
])  # fmt: skip
def test_other_files_are_unsupported(data: bytes, name: str, mime: str | None) -> None:
    with pytest.raises(ExtractError) as err:
        extract_text(data, name, mime)
    assert err.value.kind == "unsupported"


def test_oversize_is_refused_before_reading() -> None:
    with pytest.raises(ExtractError) as err:
        extract_text(b"x" * 2048, "big.txt", max_bytes=1024)
    assert err.value.kind == "too_large"


@pytest.mark.parametrize(("data", "name"), [
    (b"PK\x03\x04 not really a zip", "broken.docx"), (b"hello", "broken.docx"), (b"%PDF-1.4\n garbage", "broken.pdf"),
    (b"not a pdf at all", "broken.pdf"),
])  # fmt: skip
def test_damaged_files_are_corrupt(data: bytes, name: str) -> None:
    with pytest.raises(ExtractError) as err:
        extract_text(data, name)
    assert err.value.kind == "corrupt"


def test_empty_files_have_no_text() -> None:
    for name, data in (("e.txt", b"  \n "), ("e.docx", _empty_docx())):
        with pytest.raises(ExtractError) as err:
            extract_text(data, name)
        assert err.value.kind == "no_text"


def _empty_docx() -> bytes:
    buf = io.BytesIO()
    docx.Document().save(buf)
    return buf.getvalue()
