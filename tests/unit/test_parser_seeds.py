"""The three real directives (tests/fixtures/seeds) must come out fully right."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.config import load_config
from bot.domain.parser import ParsedDirective, ParsedDuty, parse_directive
from bot.domain.units import UnitDirectory
from tests.support.parsing import warnings

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "tests" / "fixtures" / "seeds"
DOAN_THE = {"ldld", "hnd", "hlhpn", "tinh_doan", "hccb"}


@pytest.fixture(scope="module")
def directory() -> UnitDirectory:
    return UnitDirectory.from_config(load_config(REPO / "config.yaml").units)


def _parse(name: str, directory: UnitDirectory) -> ParsedDirective:
    [path] = SEEDS.glob(f"{name}_*.txt")
    return parse_directive(path.read_text(encoding="utf-8"), directory)


def _roles(duty: ParsedDuty) -> tuple[set[str], set[str]]:
    return set(duty.leads()), set(duty.supports())


def _no_distribution_or_signature(result: ParsedDirective) -> None:
    for duty in result.duties:
        for marker in ("Nơi nhận", "Như trên", "Lưu Văn phòng", "T/M BAN", "Kính gửi"):
            assert marker not in duty.text, (duty.label, marker)


# --- seed 000 -----------------------------------------------------------------------------------
def test_seed_000_header_signer_and_recipients(directory: UnitDirectory) -> None:
    r = _parse("000", directory)
    assert r.signer is not None and (r.signer.name, r.signer.title) == ("Mai Văn Huỳnh", "Phó Bí thư Thường trực")
    assert r.issuer == "Ban Thường vụ Tỉnh ủy"
    assert (r.number, r.date, r.title) == (None, None, None)  # the text carries no header
    assert r.kind == "công văn"  # inferred from "Kính gửi", with a warning
    assert any("Kính gửi" in w for w in warnings(r))
    assert [rec.text for rec in r.recipients] == [
        "Các đồng chí Tỉnh ủy viên",
        "Ban cán sự đảng Ủy ban nhân dân tỉnh",
        "Ban Chỉ đạo phòng, chống dịch Covid-19 tỉnh",
        "Các sở, ban, ngành, đoàn thể cấp tỉnh",
        "Các huyện, thành ủy, đảng ủy trực thuộc",
    ]
    assert [[u.code for u in rec.units] for rec in r.recipients] == [
        [],
        ["bcs_ubnd"],
        ["bcd_covid"],
        ["cac_so_nganh", "cac_doan_the"],
        ["cac_huyen_dang_uy"],
    ]


def test_seed_000_duties(directory: UnitDirectory) -> None:
    r = _parse("000", directory)
    assert [d.label for d in r.duties] == ["1", "2", "3", "4"]
    assert all(d.parent is None and not d.unresolved for d in r.duties)
    d1, d2, d3, d4 = r.duties
    # 1 names nobody: it falls to every recipient, collectives expanded.
    assert d1.general
    leads = set(d1.leads())
    assert {"bcs_ubnd", "bcd_covid", "so_yte", "hnd", "tu_rachgia", "duk_cq"} <= leads
    assert not {"cac_so_nganh", "cac_doan_the", "cac_huyen_dang_uy"} & leads
    assert "Bí thư các huyện, thành ủy" in d1.text and "ổn định tình hình" in d1.text
    assert "nhanh chóng ổn định tình hình" in d1.text  # the page break inside the quotation is repaired
    assert _roles(d2) == ({"bcs_ubnd"}, set()) and not d2.general
    assert "- Chỉ đạo khẩn trương" in d2.text  # bullets stay in their item
    assert _roles(d3) == ({"btg_tu", "so_tttt"}, set())
    assert "tuyên truyền, cung cấp thông tin" in d3.text  # "tuyên\n\ntruyền" joined again
    # 4: the đoàn thể collective is expanded to its members (each assignment is one unit).
    assert _roles(d4) == ({"bdv_tu", "mttq"} | DOAN_THE, set())
    assert {u.matched_text for u in d4.units if u.code in DOAN_THE} == {"các đoàn thể chính trị-xã hội"}


def test_seed_000_monitor_is_not_a_duty(directory: UnitDirectory) -> None:
    r = _parse("000", directory)
    assert r.monitor is not None and r.monitor.code == "vptu"
    assert r.monitor.text.startswith("Giao Văn phòng Tỉnh ủy chủ trì")
    assert r.monitor.text.endswith("Ban Thường vụ Tỉnh ủy.")  # the stray "*nal*" fragment is gone
    assert all("Giao Văn phòng" not in d.text for d in r.duties)
    _no_distribution_or_signature(r)


# --- seed 001 -----------------------------------------------------------------------------------
def test_seed_001_header(directory: UnitDirectory) -> None:
    r = _parse("001", directory)
    assert r.number == "1046-CV/TU"
    assert r.kind == "công văn"
    assert r.title == "Tăng cường công tác phòng, chống dịch bệnh Covid-19 trong tình hình mới"
    assert r.place == "Kiên Giang"
    assert r.date == dt.date(2020, 3, 10)
    assert r.issuer == "Ban Thường vụ Tỉnh ủy"
    assert r.signer is not None and (r.signer.name, r.signer.title) == ("Đặng Tuyết Em", "Phó Bí thư Thường trực")
    assert warnings(r) == []
    assert [[u.code for u in rec.units] for rec in r.recipients] == [
        [],
        ["cac_so_nganh", "mttq", "cac_doan_the"],
        ["cac_huyen_dang_uy"],
    ]


def test_seed_001_duties(directory: UnitDirectory) -> None:
    r = _parse("001", directory)
    assert [d.label for d in r.duties] == ["1", "2", "3", "4", "5"]
    d1, d2, d3, d4, d5 = r.duties
    assert d1.general and d4.general and d5.general
    assert "Các cấp, các ngành, Mặt trận Tổ quốc" in d1.text
    # 2: BTG leads with Sở TT&TT in support; the bullet "- Công an tỉnh, Sở Thông tin và Truyền thông ..."
    # makes both leads. One role per unit: lead wins, so Sở TT&TT ends up lead.
    assert not d2.general
    assert d2.leads() == ["btg_tu", "so_tttt", "cong_an"]
    by_code = {u.code: u for u in d2.units}
    assert by_code["so_tttt"].matched_text == "Sở Thông tin và Truyền thông"
    assert "- Công an tỉnh, Sở Thông tin và Truyền thông" in d2.text
    assert _roles(d3) == ({"bcs_ubnd"}, set())
    assert d3.text.count("\n- ") == 5


def test_seed_001_support_before_the_bullet_upgrade(directory: UnitDirectory) -> None:
    head = _parse("001", directory).duties[1].text.split("\n")[0]
    duty = parse_directive(f"1. {head}", directory).duties[0]
    assert _roles(duty) == ({"btg_tu"}, {"so_tttt"})


def test_seed_001_monitor(directory: UnitDirectory) -> None:
    r = _parse("001", directory)
    assert r.monitor is not None and r.monitor.code == "btg_tu"
    assert "theo dõi, đôn đốc" in r.monitor.text
    assert all("Công văn này phổ biến" not in d.text for d in r.duties)
    _no_distribution_or_signature(r)


# --- seed 002 -----------------------------------------------------------------------------------
def test_seed_002(directory: UnitDirectory) -> None:
    r = _parse("002", directory)
    assert r.signer is not None and (r.signer.name, r.signer.title) == ("Hồ Quốc Dũng", "Bí thư")
    assert r.monitor is None
    assert [d.label for d in r.duties] == ["1", "2", "3"]
    d1, d2, d3 = r.duties
    assert _roles(d2) == ({"bcs_ubnd"}, set())
    assert _roles(d3) == ({"bdbp"}, set())
    assert d3.units[0].matched_text == "Đảng ủy - Bộ Chỉ huy Bộ đội Biên phòng tỉnh"
    assert "kịp thời phát hiện, ngăn chặn các hành vi" in d3.text
    # 1: "Các cấp ủy đảng, chính quyền, Mặt trận và các sở, ban, ngành, hội - đoàn thể ... phối hợp với
    # Bộ đội Biên phòng tỉnh": the named groups lead, BĐBP supports.
    leads, supports = _roles(d1)
    assert not d1.general and {"mttq", "so_yte", "hnd"} <= leads and supports == {"bdbp"}
    assert [rec.text for rec in r.recipients][-1] == "Các sở, ban, ngành, Mặt trận, hội - đoàn thể tỉnh"
    assert all("Yêu cầu các cơ quan" not in d.text for d in r.duties)
    _no_distribution_or_signature(r)


@pytest.mark.parametrize("name", ["000", "001", "002"])
def test_seeds_json_contract(directory: UnitDirectory, name: str) -> None:
    data = _parse(name, directory).to_json()
    assert list(data) == [
        "number", "kind", "title", "place", "date", "issuer", "signer", "recipients", "monitor", "duties", "warnings"
    ]  # fmt: skip
    for duty in data["duties"]:
        assert list(duty) == ["label", "parent", "text", "general", "units", "unresolved", "source", "mentioned"]
        for unit in duty["units"]:
            assert list(unit) == ["code", "name", "role", "matched_text", "via"] and unit["role"] in ("lead", "support")
