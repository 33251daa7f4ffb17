"""Other layouts of the genre (synthetic but realistic fixtures in tests/fixtures/directives)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.config import load_config
from bot.domain.parser import ParsedDirective, parse_directive
from bot.domain.units import UnitDirectory
from tests.support.parsing import warnings

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "directives"
DOAN_THE = {"ldld", "hnd", "hlhpn", "tinh_doan", "hccb"}


@pytest.fixture(scope="module")
def directory() -> UnitDirectory:
    return UnitDirectory.from_config(load_config(REPO / "config.yaml").units)


def _parse(name: str, directory: UnitDirectory) -> ParsedDirective:
    return parse_directive((FIXTURES / name).read_text(encoding="utf-8"), directory)


def test_chi_thi_with_roman_sections_and_sub_items(directory: UnitDirectory) -> None:
    r = _parse("chi_thi_sections.txt", directory)
    assert (r.number, r.kind, r.date) == ("12-CT/TU", "chỉ thị", dt.date(2022, 7, 5))
    assert r.title == "Về tăng cường sự lãnh đạo của Đảng đối với công tác chuyển đổi số trên địa bàn tỉnh"
    assert r.signer is not None and (r.signer.name, r.signer.title) == ("Đỗ Thanh Bình", "Bí thư")
    # "I. MỤC ĐÍCH, YÊU CẦU" is not work; labels carry the section. "2. Nhiệm vụ cụ thể:" only heads
    # its sub-items, so it is no duty of its own.
    labels = [d.label for d in r.duties]
    assert labels == ["II.1"] + [f"II.2.{k}" for k in range(1, 8)] + ["II.3", "III.1"]
    by = {d.label: d for d in r.duties}
    assert all(by[f"II.2.{k}"].parent is None for k in range(1, 8))
    assert by["II.2.1"].leads() == ["bcs_ubnd"]
    assert (by["II.2.2"].leads(), by["II.2.2"].supports()) == (["so_tttt"], ["so_taichinh", "so_khdt"])
    assert (by["II.2.3"].leads(), by["II.2.3"].supports()) == (["btg_tu"], ["bao_kg", "dai_ptth"])
    assert (by["II.2.4"].leads(), by["II.2.4"].supports()) == (["btc_tu"], ["so_noivu"])
    assert by["II.2.5"].leads() == ["so_gddt", "so_yte"]
    assert (by["II.2.6"].leads(), by["II.2.6"].supports()) == (["cong_an"], ["so_tuphap"])
    assert by["II.2.7"].general
    assert set(by["II.3"].leads()) == {"mttq"} | DOAN_THE
    assert "tu_rachgia" in by["III.1"].leads()
    # III.2 "Giao Ban Tuyên giáo Tỉnh ủy ... theo dõi, đôn đốc" is the monitor, not a duty.
    assert r.monitor is not None and r.monitor.code == "btg_tu"
    # No "Kính gửi": the distribution list stands in for it, minus "Ban Bí thư (b/c)" and "Lưu".
    assert [rec.text for rec in r.recipients] == [
        "Các huyện ủy, thành ủy, đảng ủy trực thuộc",
        "Các sở, ban, ngành tỉnh",
    ]
    assert any("MỤC ĐÍCH" in w for w in warnings(r))


def test_ket_luan_with_markdown_bold_numbers(directory: UnitDirectory) -> None:
    r = _parse("ket_luan_markdown.md", directory)
    assert (r.number, r.kind, r.place, r.date) == ("125-KL/TU", "kết luận", "Kiên Giang", dt.date(2022, 8, 2))
    assert r.title is not None and r.title.startswith("Về tình hình kinh tế - xã hội")
    assert r.signer is not None and (r.signer.name, r.signer.title) == ("Trần Văn Long", "Phó Bí thư Thường trực")
    # "1. Đánh giá chung" is an assessment; "2." groups the work; "3. Giao VPTU theo dõi" is the monitor.
    assert [d.label for d in r.duties] == ["2.1", "2.2", "2.3", "2.4", "2.5"]
    by = {d.label: d for d in r.duties}
    assert all("**" not in d.text and "*" not in d.text for d in r.duties)
    assert by["2.2"].leads() == ["hdnd"]
    assert (by["2.3"].leads(), by["2.3"].supports()) == (["btc_tu"], ["so_noivu"])
    # Sở Ngoại vụ is not in the directory: reported with the closest match, never guessed.
    assert by["2.4"].leads() == [] and by["2.4"].supports() == ["bdbp"] and not by["2.4"].general
    [un] = by["2.4"].unresolved
    assert un.text == "Sở Ngoại vụ" and un.suggestions[0] == "so_noivu"
    assert any("Sở Ngoại vụ" in w for w in warnings(r))
    assert set(by["2.5"].leads()) == {"mttq"} | DOAN_THE  # "Đề nghị ..." opens the subject
    assert r.monitor is not None and r.monitor.code == "vptu"


def test_ke_hoach_with_an_unknown_steering_committee_and_a_bullet_section(directory: UnitDirectory) -> None:
    r = _parse("ke_hoach.txt", directory)
    assert (r.number, r.kind) == ("88-KH/TU", "kế hoạch")
    assert r.title == "Tổ chức Tháng hành động vì an toàn thực phẩm năm 2023"
    assert r.signer is not None and r.signer.title == "Phó Bí thư"
    assert [d.label for d in r.duties] == ["II.1", "II.2", "II.3", "III"]
    d1, d2, d3, d_iii = r.duties
    assert (d1.leads(), d1.supports()) == (["so_yte"], ["so_congthuong", "so_nnptnt"])
    assert "tu_rachgia" in d2.leads() and "duk_cq" not in d2.leads()  # "các huyện ủy, thành ủy" only
    [un] = d3.unresolved
    assert un.text == "Ban Chỉ đạo liên ngành về an toàn thực phẩm tỉnh"
    assert d_iii.leads() == ["btg_tu", "hlhpn", "hnd"]  # section without numbered items: its bullets


def test_cong_van_with_page_break_damage(directory: UnitDirectory) -> None:
    r = _parse("cong_van_page_breaks.txt", directory)
    assert r.title == "Tăng cường phòng, chống thiên tai mùa mưa bão năm 2022"
    assert r.issuer == "Tỉnh ủy Kiên Giang"
    assert r.signer is not None and (r.signer.name, r.signer.title) == ("Nguyễn Minh Tâm", "Chánh Văn phòng")
    d1, d2, d3 = r.duties
    assert "nhất là khu vực quần đảo Nam Du, Thổ Châu." in d1.text  # the page number "2" is gone
    assert "công tác tuyên truyền, vận động" in d2.text
    assert (d2.leads(), d2.supports()) == (["bchqs"], ["bdbp", "cong_an"])  # "cùng với" gives support
    assert d3.general and {"bcs_ubnd", "bchqs", "hu_kienhai"} <= set(d3.leads())
    assert r.monitor is not None and r.monitor.code == "vptu"  # without "Giao", after the items


def test_thong_bao_extracted_from_a_pdf_with_wrapped_lines(directory: UnitDirectory) -> None:
    r = _parse("pdf_wrapped.txt", directory)
    assert (r.number, r.kind, r.place, r.date) == ("301-TB/TU", "thông báo", "Kiên Giang", dt.date(2021, 11, 3))
    assert r.title == "Kết luận của Thường trực Tỉnh ủy về công tác chuẩn bị Đại hội Hội Nông dân tỉnh"
    assert r.issuer == "Tỉnh ủy Kiên Giang"
    d1, d2, d3 = r.duties
    assert d1.leads() == ["hnd"]  # the subject of the item's second sentence
    assert "hoàn chỉnh dự thảo" in d1.text
    assert (d2.leads(), d2.supports()) == (["btc_tu"], ["bdv_tu"])
    assert "Thường trực Tỉnh ủy cho ý kiến" in d2.text
    assert d3.leads() == ["bdv_tu", "btg_tu"]
    assert r.monitor is None  # "theo dõi, đôn đốc" inside a numbered item without "Giao" stays a duty


def test_pasted_text_without_numbered_duties(directory: UnitDirectory) -> None:
    r = _parse("pasted_no_duties.txt", directory)
    assert r.duties == [] and r.monitor is None and r.signer is None
    assert any("nhiệm vụ" in w for w in warnings(r))
