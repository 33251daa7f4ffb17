"""Bounded reading of untrusted uploads: the zip and page checks, the text stop, and the child process."""

from __future__ import annotations

import io
import os
import time
import zipfile

import pytest

from bot.domain.extract import ExtractError, Limits, check_zip, extract_text
from bot.runtime.extract_worker import Sandbox, extract_isolated
from tests.support.bombs import docx_bomb, docx_with_body, pdf_pages, pdf_slow_page

_PARA = b"<w:p><w:r><w:t>1. Giao S\xe1\xbb\x9f Y t\xe1\xba\xbf ch\xe1\xbb\xa7 tr\xc3\xac.</w:t></w:r></w:p>"


def _kind(data: bytes, name: str, limits: Limits | None = None) -> ExtractError:
    with pytest.raises(ExtractError) as caught:
        extract_text(data, name, limits=limits)
    return caught.value


def test_a_docx_expanding_past_the_limit_is_refused_from_its_directory_alone() -> None:
    bomb = docx_bomb(50)
    assert len(bomb) < 300_000
    started = time.perf_counter()
    err = _kind(bomb, "bom.docx")
    assert err.kind == "expanded_too_large"
    assert err.values == {"size": pytest.approx(50.8, abs=0.5), "limit": 30.0}
    assert time.perf_counter() - started < 0.5  # nothing was inflated


def test_a_docx_part_compressed_too_well_is_refused() -> None:
    err = _kind(docx_bomb(5), "bom.docx")
    assert err.kind == "ratio"
    assert err.values["ratio"] > 100 and err.values["limit"] == 100


def test_ratio_is_checked_per_part_as_well_as_overall() -> None:
    # One bomb part hidden among incompressible parts: the overall ratio alone would pass it.
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/media/a.bin", os.urandom(3_000_000))
        z.writestr("word/document.xml", b"a" * 2_000_000)
    check_zip(out.getvalue(), Limits(max_ratio=5000))  # the part is ~1000x
    with pytest.raises(ExtractError) as caught:
        check_zip(out.getvalue(), Limits(max_ratio=100))
    assert caught.value.kind == "ratio"


def test_small_parts_are_never_called_bombs_and_an_ordinary_docx_passes() -> None:
    small = docx_with_body(_PARA, 2000)  # ~150 KB of XML, highly repetitive
    assert "Giao Sở Y tế chủ trì" in extract_text(small, "ok.docx", limits=Limits(max_text_chars=10**6))


def test_too_many_zip_members_is_corrupt() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for k in range(20):
            z.writestr(f"p{k}", b"")
    with pytest.raises(ExtractError) as caught:
        check_zip(out.getvalue(), Limits(max_zip_members=10))
    assert caught.value.kind == "corrupt"


def test_a_pdf_of_20000_pages_is_refused_by_its_page_count_at_once() -> None:
    bomb = pdf_pages(20_000)
    assert len(bomb) < 200_000
    started = time.perf_counter()
    err = _kind(bomb, "bom.pdf")
    assert err.kind == "too_many_pages" and err.values == {"pages": 20_000, "limit": 200}
    assert time.perf_counter() - started < 1


def test_a_pdf_lying_about_its_page_count_stops_at_the_cap() -> None:
    err = _kind(pdf_pages(20_000, declared=1), "bom.pdf")
    assert err.kind == "too_many_pages" and err.values["limit"] == 200


def test_text_stops_at_the_length_limit() -> None:
    err = _kind(pdf_slow_page(1), "dai.pdf", Limits(max_text_chars=5000))
    assert err.kind == "too_long" and err.values == {"limit": 5000}
    err = _kind(docx_with_body(_PARA, 5000), "dai.docx", Limits(max_text_chars=5000))
    assert err.kind == "too_long"
    assert _kind(b"x" * 6000, "dai.txt", Limits(max_text_chars=5000)).kind == "too_long"


# --- the child process ---------------------------------------------------------------------------


async def test_the_worker_returns_the_text() -> None:
    text = await extract_isolated("Số 12-CV/TU\n1. Giao Sở Y tế".encode(), "a.txt", None, Limits(), Sandbox())
    assert text == "Số 12-CV/TU\n1. Giao Sở Y tế"


async def test_the_worker_passes_refusals_on_with_their_figures() -> None:
    with pytest.raises(ExtractError) as caught:
        await extract_isolated(pdf_pages(20_000), "bom.pdf", None, Limits(), Sandbox())
    assert caught.value.kind == "too_many_pages" and caught.value.values == {"pages": 20_000, "limit": 200}


async def test_a_slow_file_is_killed_at_the_time_limit() -> None:
    slow = pdf_slow_page(5)  # ~13 KB; about 7 s of parsing
    started = time.perf_counter()
    with pytest.raises(ExtractError) as caught:
        await extract_isolated(slow, "cham.pdf", None, Limits(max_text_chars=10**9), Sandbox(timeout_s=1.5))
    assert caught.value.kind == "too_slow" and caught.value.values == {"limit": 2}
    assert time.perf_counter() - started < 3


async def test_a_file_needing_too_much_memory_is_stopped_at_the_memory_limit() -> None:
    # Past the zip checks on purpose (they are switched off here): the address-space cap catches it.
    bomb = docx_bomb(300)
    limits = Limits(max_bytes=10**8, max_expanded_bytes=10**10, max_ratio=10**6, max_text_chars=10**9)
    with pytest.raises(ExtractError) as caught:
        await extract_isolated(bomb, "bom.docx", None, limits, Sandbox(timeout_s=60, memory_bytes=256 * 1024 * 1024))
    assert caught.value.kind == "out_of_memory" and caught.value.values == {"limit": 256}
